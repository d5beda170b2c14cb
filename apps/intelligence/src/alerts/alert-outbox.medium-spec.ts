import { loadConfig } from '@pedigree/config';
import { dataSourceOptions } from '@pedigree/database';
import { createTestContext, database, type TestContext } from '@pedigree/testing';
import type { Client } from 'pg';
import { DataSource } from 'typeorm';
import type { AlertPublisher } from './alert-publisher.service';
import { AlertOutbox } from './alert-outbox.service';
import { type AlertCandidate, AlertsRepository } from './alerts.repository';
import { SetAsideAlertsRepository } from './set-aside-alerts.repository';

function candidate(dedupeKey: string, gtin = '04012345123456'): AlertCandidate {
  return {
    dedupeKey,
    kind: 'unknown_serial',
    severity: 'high',
    score: 1,
    epcs: [`urn:epc:id:sgtin:4012345.012345.${dedupeKey}`],
    gtin,
    lot: null,
    summary: `Serial ${dedupeKey} was never commissioned`,
    evidence: { eventHashes: ['aa'], rules: ['unknown-serial'] },
    orgIds: [],
  };
}

/**
 * What PostgreSQL itself refuses is set aside, and the alerts after it are still written: before the outbox, one such
 * write was retried forever and stalled intelligence's stream (no later alert at all).
 */
describe('AlertOutbox (PostgreSQL)', () => {
  let context: TestContext;
  let dataSource: DataSource;
  let db: Client;
  let outbox: AlertOutbox;
  let setAside: SetAsideAlertsRepository;

  beforeAll(async () => {
    context = await createTestContext('alert_outbox', { deployContracts: false });
    dataSource = new DataSource(dataSourceOptions(context.config));
    await dataSource.initialize();
    db = await database(context.config);
    const alerts = new AlertsRepository(dataSource, loadConfig('intelligence', context.env));
    // The stored half of the publisher (wording and Kafka are the publisher's own tests).
    const publisher = {
      raise: async (candidates: AlertCandidate[]) => {
        for (const c of candidates) await alerts.upsert(c);
      },
      close: (dedupeKey: string, note: string) => alerts.closeByEvidence(dedupeKey, note),
    };
    setAside = new SetAsideAlertsRepository(dataSource);
    outbox = new AlertOutbox(publisher as unknown as AlertPublisher, setAside);
  });

  afterAll(async () => {
    await db?.end();
    await dataSource?.destroy();
    await context?.cleanup();
  });

  it('sets aside an alert the database refuses, with its payload and reason, and writes the ones around it', async () => {
    await outbox.send([
      { action: 'open', candidate: candidate('S1') },
      // A GTIN of 16 digits does not fit alerts.gtin (char(14)): 22001, not a reason to retry.
      { action: 'open', candidate: candidate('S2', '0401234512345699') },
      { action: 'open', candidate: candidate('S3') },
      { action: 'close', dedupeKey: 'S3', note: 'commissioned after all' },
    ]);
    const { rows } = await db.query<{ dedupe_key: string; status: string; occurrences: number }>(
      `SELECT dedupe_key, status, occurrences FROM alerts ORDER BY dedupe_key`,
    );
    expect(rows).toEqual([
      { dedupe_key: 'S1', status: 'open', occurrences: 2 },
      { dedupe_key: 'S3', status: 'resolved', occurrences: 1 },
    ]);
    const [entry, ...more] = await setAside.list();
    expect(more).toEqual([]);
    expect(entry).toMatchObject({
      dedupeKey: 'S2',
      action: 'open',
      payload: candidate('S2', '0401234512345699'),
    });
    expect(entry!.reason).toMatch(/^22001: value too long/);
    expect(outbox.size).toBe(0);
  });
});
