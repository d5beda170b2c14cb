import {
  commissioningEvent,
  epcisDocument,
  partyOf,
  receivingEvent,
  sgtinUrn,
  shippingEvent,
} from '@pedigree/epcis';
import { describeEpc } from '@pedigree/gs1';
import {
  apiClient,
  createTestContext,
  produceDocuments,
  publisherHeader,
  registerMember,
  type RunningService,
  startService,
  TEST_ADMIN_TOKEN,
  type TestContext,
  waitFor,
} from '@pedigree/testing';

interface Alert {
  id: string;
  kind: string;
  severity: string;
  status: string;
  summary: string;
  evidence: { rules: string[]; apiKeyId?: string; features?: Record<string, number> };
}

const maker = partyOf('4012345');
const berlin = partyOf('4260001');
const serial = (n: number) => `H${String(n).padStart(6, '0')}`;
const packs = Array.from({ length: 24 }, (_, i) => sgtinUrn('4012345', '12345', serial(1000 + i)));
const GTIN = describeEpc(packs[0]!)!.gtin!;

/**
 * Serial harvesting on the real stack (API → Kafka → intelligence → alert → API): a member's key that counts through
 * serials it never held is caught, the consortium sees why, the key is held to a few requests a minute until the alert
 * is resolved, and a pharmacy checking the cases it received, in order, raises nothing.
 */
describe('verification harvesting', () => {
  let context: TestContext;
  const services: RunningService[] = [];
  const keys: Record<string, { id: string; key: string }> = {};
  const orgs: Record<string, string> = {};
  const api = (name: string) => apiClient(services[0]!.port, keys[name]!.key);
  const verify = (name: string, n: number) => api(name).get(`/v1/verify?gtin=${GTIN}&serial=${serial(n)}`);

  beforeAll(async () => {
    context = await createTestContext('verification harvesting', { deployContracts: false });
    for (const name of ['api', 'ingest', 'intelligence'] as const)
      services.push(await startService(name, context.env, 180_000));
    const admin = apiClient(services[0]!.port, TEST_ADMIN_TOKEN);
    for (const [name, role, prefix] of [
      ['Acme Pharma', 'manufacturer', '4012345'],
      ['Apotheke Berlin', 'dispenser', '4260001'],
      ['Grey Pharmacy', 'dispenser', '4260002'],
      ['Medicines Agency', 'regulator', '4000001'],
    ] as const) {
      const member = await registerMember(admin, { name, role, prefix });
      orgs[name] = member.id;
      keys[name] = { id: member.keyId, key: member.key };
    }
    const t0 = Date.now() - 3 * 3600_000;
    await produceDocuments(context.config, [
      {
        key: 'lot-H',
        headers: publisherHeader(orgs['Acme Pharma']!),
        value: epcisDocument([
          commissioningEvent({ epcs: packs, at: maker, time: new Date(t0), lot: 'H1', expiry: '2030-01-31' }),
          shippingEvent({ epcs: packs, from: maker, to: berlin, time: new Date(t0 + 60_000) }),
        ]),
      },
      {
        key: 'lot-H',
        headers: publisherHeader(orgs['Apotheke Berlin']!),
        value: epcisDocument([
          receivingEvent({ epcs: packs, from: maker, at: berlin, time: new Date(t0 + 3600_000) }),
        ]),
      },
    ]);
    await waitFor('the packs received in Berlin', async () => {
      const answer = await verify('Apotheke Berlin', 1023);
      return (answer.body as { packStatus?: string }).packStatus === 'received';
    });
  });

  afterAll(async () => {
    await Promise.all(services.map((s) => s.stop()));
    await context?.cleanup();
  });

  const harvestingAlerts = async () =>
    (await api('Medicines Agency').get<{ items: Alert[] }>('/v1/alerts?kind=verification_harvesting')).body
      .items;

  jest.setTimeout(240_000);

  it('catches a key walking serials it never held, holds it back until the alert is resolved, and leaves others alone', async () => {
    // Berlin checks both of its cases, in serial order, twice: its own packs.
    for (let round = 0; round < 2; round++)
      for (let n = 1000; n < 1024; n++) expect((await verify('Apotheke Berlin', n)).status).toBe(200);
    // The grey pharmacy counts through the manufacturer's serials: the 24 real ones and the ones after them.
    // Intelligence may catch the walk before it ends; from then on the key is held back (429), as a harvester would be.
    const walked: number[] = [];
    for (let n = 990; n < 1050; n++) {
      const status = (await verify('Grey Pharmacy', n)).status;
      walked.push(status);
      if (status === 429) break;
    }
    expect(walked.filter((status) => status === 200).length).toBeGreaterThanOrEqual(20);
    expect(walked.filter((status) => status !== 200 && status !== 429)).toEqual([]);

    const [alert] = await waitFor('a harvesting alert', async () => {
      const alerts = await harvestingAlerts();
      return alerts.length > 0 ? alerts : undefined;
    });
    expect(alert).toMatchObject({ kind: 'verification_harvesting', severity: 'high', status: 'open' });
    expect(alert!.evidence.apiKeyId).toBe(keys['Grey Pharmacy']!.id);
    expect(alert!.evidence.rules).toContain('sequential_serials');
    expect(alert!.summary).toMatch(
      /^The API key of Grey Pharmacy verified .*consecutive serial order.*rate-limited until the alert is resolved/,
    );
    // Only the one key: Berlin's in-order checks of its own cases are ordinary work.
    expect(await harvestingAlerts()).toHaveLength(1);
    // The inbox at a glance counts it in its group.
    const summary = await api('Medicines Agency').get<{
      unresolved: number;
      groups: Record<string, unknown>[];
    }>('/v1/alerts/summary');
    expect(summary.body.groups).toContainEqual(
      expect.objectContaining({
        kind: 'verification_harvesting',
        severity: 'high',
        open: 1,
        acknowledged: 0,
      }),
    );
    // An uninvolved member does not see the alert (the organisation whose key it is does: below, once its key is free).
    const other = await api('Acme Pharma').get<{ items: Alert[] }>('/v1/alerts?kind=verification_harvesting');
    expect(other.body.items).toHaveLength(0);

    // The key is now held to API_SUSPECT_KEY_RATE_PER_MINUTE (10): it has used this minute's allowance already.
    const held = await waitFor('the key held back', async () => {
      const answer = await verify('Grey Pharmacy', 2000);
      return answer.status === 429 ? answer : undefined;
    });
    const problem = held.body as { code: string; detail: string; alertId?: string };
    expect(problem.code).toBe('RATE_LIMITED');
    expect(problem.alertId).toBe(alert!.id);
    expect(problem.detail).toMatch(/verification harvesting/);
    expect((await verify('Apotheke Berlin', 1000)).status).toBe(200);

    // Resolving the alert lifts the limit (each API process re-reads the open alerts every few seconds).
    const resolved = await api('Medicines Agency').post<Alert>(`/v1/alerts/${alert!.id}/resolve`, {
      comment: 'Key revoked with the pharmacy; a test script',
    });
    expect(resolved.body.status).toBe('resolved');
    // The throttler keeps a key it blocked blocked for the rest of that minute, limit or not.
    await waitFor(
      'the key free again',
      async () => (await verify('Grey Pharmacy', 1000)).status === 200,
      90_000,
      1000,
    );
    // Asked before, this raced the hold: once the API has read the alert, the key's allowance covers every route, and a
    // walk that used it up got 429 here instead of its list.
    const own = await api('Grey Pharmacy').get<{ items: Alert[] }>('/v1/alerts?kind=verification_harvesting');
    expect(own.status).toBe(200);
    expect(own.body.items.map((a) => a.id)).toEqual([alert!.id]);
  });
});
