import { metricsRegistry } from '@pedigree/common';
import type { VerificationAccessMessage } from '@pedigree/messaging';
import type { AlertChange, AlertOutbox } from '../alerts/alert-outbox.service';
import { AccessMonitorService } from './access-monitor.service';

const verification = (serial: string): VerificationAccessMessage => ({
  schemaVersion: 1,
  apiKeyId: 'key-1',
  organisationId: 'org-1',
  gtin: '04012345123456',
  serial,
  found: true,
  held: false,
  at: '2026-12-07T09:00:00.000Z',
});
const slice = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => ({
    offset: String(from + i),
    message: verification(`SN${from + i}`),
  }));

async function observedTotal(): Promise<number> {
  const metric = await metricsRegistry
    .getSingleMetric('pedigree_intelligence_verifications_observed_total')!
    .get();
  return metric.values.reduce((sum, v) => sum + v.value, 0);
}

describe('AccessMonitorService', () => {
  it('counts a verification once when its batch is handed over again after a failed alert write', async () => {
    const sent: AlertChange[][] = [];
    const outbox = { send: (changes: AlertChange[]) => Promise.resolve(void sent.push(changes)) };
    const monitor = new AccessMonitorService(outbox as unknown as AlertOutbox);
    const before = await observedTotal();
    await monitor.observe(0, slice(10, 12));
    // The same slice again (the consumer's retry), then one that overlaps it and goes on.
    await monitor.observe(0, slice(10, 12));
    await monitor.observe(0, slice(11, 14));
    // Another partition's offsets are its own.
    await monitor.observe(1, slice(10, 11));
    expect((await observedTotal()) - before).toBe(7);
  });
});
