import {
  commissioningEvent,
  computeEventHash,
  eventHashDigest,
  glnOf,
  receivingEvent,
  sgtinUrn,
  shippingEvent,
  epcisDocument,
  EPCIS_CONTEXT_URL,
  partyOf,
} from '@pedigree/epcis';
import {
  apiClient,
  createTestContext,
  database,
  type RunningService,
  startService,
  TEST_ADMIN_TOKEN,
  type TestContext,
  repoRoot,
  waitFor,
} from '@pedigree/testing';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const party = partyOf;
const maker = party('4012345');
const pharmacy = party('4260001');
const GTIN = '04012345123456';
const DEADLINE_SECONDS = 12;

interface Verdict {
  status: string;
  reasons: { code: string }[];
}

/**
 * An operator with write access to PostgreSQL, against the real stack with the ledger and the chain: rows written
 * by hand must never verify. Covered here: a forged event with its own ledger outbox entry (refused by the ledger,
 * so never anchored, so "not verified: unanchored" once the deadline passes), and a pack row with no history.
 */
describe('tampering with the database', () => {
  let context: TestContext;
  const services: RunningService[] = [];
  let pharmacist: ReturnType<typeof apiClient>;
  let t = Date.now() - 3600_000;
  const at = () => new Date((t += 60_000));

  beforeAll(async () => {
    context = await createTestContext('tamper', {
      env: { ANCHOR_DEADLINE_SECONDS: String(DEADLINE_SECONDS) },
    });
    for (const name of ['api', 'ingest', 'ledger'] as const)
      services.push(await startService(name, context.env));
    const admin = apiClient(services[0]!.port, TEST_ADMIN_TOKEN);
    const keys: Record<string, string> = {};
    for (const [name, role, prefix] of [
      ['maker', 'manufacturer', '4012345'],
      ['pharmacy', 'dispenser', '4260001'],
    ] as const) {
      const org = await admin.post<{ id: string }>('/v1/admin/organisations', {
        name: `Tamper ${name}`,
        role,
        companyPrefixes: [prefix],
        glns: [glnOf(prefix, 0), glnOf(prefix, 1)],
      });
      keys[name] = (
        await admin.post<{ key: string }>(`/v1/admin/organisations/${org.body.id}/api-keys`, { label: 't' })
      ).body.key;
    }
    pharmacist = apiClient(services[0]!.port, keys.pharmacy);
    const capture = async (key: string, events: Record<string, unknown>[]) => {
      const response = await apiClient(services[0]!.port, key).request(
        'POST',
        '/epcis/v2/capture',
        JSON.stringify(epcisDocument(events)),
        { 'content-type': 'application/ld+json' },
      );
      expect(response.status).toBe(202);
    };
    const pack = sgtinUrn('4012345', '12345', 'REAL1');
    await capture(keys.maker!, [
      commissioningEvent({ epcs: [pack], at: maker, time: at(), lot: 'L1', expiry: '2030-01-31' }),
      shippingEvent({ epcs: [pack], from: maker, to: pharmacy, time: at() }),
    ]);
    await waitFor(
      'the shipment stored',
      async () => (await verify('REAL1')).status !== 'not_verified' || undefined,
    );
    await capture(keys.pharmacy!, [receivingEvent({ epcs: [pack], from: maker, at: pharmacy, time: at() })]);
    await waitFor(
      'the genuine pack verified',
      async () => (await verify('REAL1')).status === 'verified' || undefined,
      90_000,
    );
  });

  afterAll(async () => {
    await Promise.all(services.map((s) => s.stop()));
    await context?.cleanup();
  });

  async function verify(serial: string): Promise<Verdict> {
    return (await pharmacist.get<Verdict>(`/v1/verify?gtin=${GTIN}&serial=${serial}`)).body;
  }

  it('refuses and reports a forged event with a hand-written outbox entry; it never verifies', async () => {
    const forged = sgtinUrn('4012345', '12345', 'FORGED1');
    const event = commissioningEvent({
      epcs: [forged],
      at: maker,
      time: at(),
      lot: 'L1',
      expiry: '2030-01-31',
    });
    const hash = eventHashDigest(computeEventHash(event, [EPCIS_CONTEXT_URL] as never));
    const db = await database(context.config);
    try {
      await db.query('BEGIN');
      await db.query(
        `INSERT INTO epcis_events (event_hash, event_type, action, biz_step, disposition, event_time,
                                   event_time_zone_offset, epcs, payload, source)
         VALUES ($1, 'ObjectEvent', 'ADD', 'commissioning', 'active', $2, '+00:00', $3, $4, 'psql')`,
        [hash, event.eventTime, [forged], JSON.stringify({ ...event, '@context': [EPCIS_CONTEXT_URL] })],
      );
      await db.query(
        `INSERT INTO packs (epc, kind, gtin, serial, lot, expiry, status, last_event_hash, last_event_time, commission_event_hash)
         VALUES ($1, 'sgtin', $2, 'FORGED1', 'L1', '2030-01-31', 'commissioned', $3, now(), $3)`,
        [forged, GTIN, hash],
      );
      const outbox = await db.query<{ id: string }>(
        `INSERT INTO ledger_outbox (kind, payload) VALUES ('anchor', $1) RETURNING id`,
        [JSON.stringify({ eventHashes: [hash.toString('hex')] })],
      );
      await db.query('COMMIT');
      const refused = await waitFor('the ledger to refuse the entry', async () => {
        const row = await db.query<{ processed_by: string | null }>(
          'SELECT processed_by FROM ledger_outbox WHERE id = $1',
          [outbox.rows[0]!.id],
        );
        return row.rows[0]?.processed_by ?? undefined;
      });
      expect(refused).toBe('refused:seal');
      const anchored = await db.query('SELECT 1 FROM event_anchors WHERE event_hash = $1', [hash]);
      expect(anchored.rowCount).toBe(0);
      const ledgerLog = await waitFor('the refusal in the ledger log', async () => {
        const { readFileSync } = await import('node:fs');
        const log = readFileSync(services[2]!.logFile, 'utf8');
        return log.includes('without a valid seal') ? log : undefined;
      });
      expect(ledgerLog).toContain(outbox.rows[0]!.id);
    } finally {
      await db.end();
    }
    // Within the deadline it may only ever be pending; past it, not verified.
    expect((await verify('FORGED1')).status).not.toBe('verified');
    await new Promise((resolve) => setTimeout(resolve, DEADLINE_SECONDS * 1000 + 500));
    const verdict = await verify('FORGED1');
    expect(verdict.status).toBe('not_verified');
    expect(verdict.reasons.map((r) => r.code)).toContain('UNANCHORED');
    const provenance = await apiClient(services[0]!.port, TEST_ADMIN_TOKEN).get<{ verdict: string }>(
      `/v1/provenance/${encodeURIComponent(forged)}`,
    );
    expect(provenance.body.verdict).toBe('unanchored');
  });

  it('answers tampered for a pack row with no history at all', async () => {
    const db = await database(context.config);
    try {
      await db.query(
        `INSERT INTO packs (epc, kind, gtin, serial, lot, expiry, status, last_event_hash, last_event_time)
         VALUES ($1, 'sgtin', $2, 'NOHIST1', 'L1', '2030-01-31', 'received', $3, now())`,
        [sgtinUrn('4012345', '12345', 'NOHIST1'), GTIN, Buffer.alloc(32, 7)],
      );
    } finally {
      await db.end();
    }
    const verdict = await verify('NOHIST1');
    expect(verdict.status).toBe('not_verified');
    expect(verdict.reasons.map((r) => r.code)).toContain('TAMPERED');
  });

  it('still verifies the genuine pack, and pedigree audit proves each hop against the contract', async () => {
    expect((await verify('REAL1')).status).toBe('verified');
    const audit = pedigreeAudit(sgtinUrn('4012345', '12345', 'REAL1'));
    expect([audit.code, audit.report.outcome]).toEqual([0, 'proven']);
    expect(audit.report.hops.map((h) => h.outcome)).toEqual(['proven', 'proven', 'proven']);
  });

  it('catches an event edited in PostgreSQL, in verification and in pedigree audit (which trusts only the chain)', async () => {
    const real = sgtinUrn('4012345', '12345', 'REAL1');
    const db = await database(context.config);
    try {
      // The operator rewrites the lot on the commissioning event of the genuine pack.
      await db.query(
        `UPDATE epcis_events SET payload = jsonb_set(payload, '{ilmd,cbvmda:lotNumber}', '"L9"')
          WHERE epcs @> ARRAY[$1] AND biz_step = 'commissioning'`,
        [real],
      );
    } finally {
      await db.end();
    }
    expect((await verify('REAL1')).reasons.map((r) => r.code)).toContain('TAMPERED');
    const audit = pedigreeAudit(real);
    expect([audit.code, audit.report.outcome]).toEqual([1, 'tampered']);
    expect(audit.report.hops[0]!.checks.join(' ')).toMatch(/hashes to .* not to the Event Hash ID/);
  });

  function pedigreeAudit(epc: string) {
    const result = spawnSync(
      process.execPath,
      [
        join(repoRoot(), 'bin', 'pedigree.js'),
        '--api',
        `http://127.0.0.1:${services[0]!.port}`,
        '--key',
        TEST_ADMIN_TOKEN,
        '--json',
        'audit',
        epc,
        '--rpc',
        context.config.chainRpcUrl,
      ],
      { encoding: 'utf8', env: { ...process.env, ...context.env }, timeout: 60_000 },
    );
    return {
      code: result.status,
      report: JSON.parse(result.stdout || '{}') as {
        outcome: string;
        hops: { outcome: string; checks: string[] }[];
      },
    };
  }
});
