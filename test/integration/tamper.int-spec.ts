import {
  commissioningEvent,
  computeEventHash,
  dispensingEvent,
  eventHashDigest,
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
  registerMember,
  type RunningService,
  startService,
  TEST_ADMIN_TOKEN,
  type TestContext,
  pedigreeJson,
  waitFor,
} from '@pedigree/testing';
import { historyHeadOf } from '@pedigree/chain';

const party = partyOf;
const maker = party('4012345');
const pharmacy = party('4260001');
const GTIN = '04012345123456';
const DEADLINE_SECONDS = 12;

interface Verdict {
  status: string;
  reasons: { code: string }[];
  state?: { status: string; reasons: string[] };
}

/** Packs dispensed by the pharmacy, one per kind of edit below. */
const DISPENSED = [
  'STATUS1',
  'REVIVE1',
  'IDENT1',
  'CONTAIN1',
  'INSERT1',
  'PROOF1',
  'DELETE1',
  'BATCH1',
  'CUSTODY1',
];

/**
 * An operator with write access to PostgreSQL, against the real stack with the ledger and the chain: rows edited,
 * removed or written by hand must never verify, and `pedigree audit` (which trusts only the chain) must agree. One
 * case per kind of edit: the pack row, an event, an identifier removed from an event, containment, an alert's
 * status, an inserted event, an inserted outbox entry, proof and batch rows, a deleted event, a pack with no
 * history. Each pack is real and went through the whole flow first (its state committed on chain).
 */
describe('tampering with the database', () => {
  let context: TestContext;
  const services: RunningService[] = [];
  let pharmacist: ReturnType<typeof apiClient>;
  let capture: (key: string, events: Record<string, unknown>[]) => Promise<void>;
  const keys: Record<string, string> = {};
  let t = Date.now() - 3600_000;
  const at = () => new Date((t += 60_000));

  beforeAll(async () => {
    context = await createTestContext('tamper', {
      env: { ANCHOR_DEADLINE_SECONDS: String(DEADLINE_SECONDS) },
    });
    for (const name of ['api', 'ingest', 'ledger'] as const)
      services.push(await startService(name, context.env));
    const admin = apiClient(services[0]!.port, TEST_ADMIN_TOKEN);
    for (const [name, role, prefix] of [
      ['maker', 'manufacturer', '4012345'],
      ['pharmacy', 'dispenser', '4260001'],
    ] as const)
      keys[name] = (await registerMember(admin, { name: `Tamper ${name}`, role, prefix })).key;
    pharmacist = apiClient(services[0]!.port, keys.pharmacy);
    capture = async (key: string, events: Record<string, unknown>[]) => {
      const response = await apiClient(services[0]!.port, key).request(
        'POST',
        '/epcis/v2/capture',
        JSON.stringify(epcisDocument(events)),
        { 'content-type': 'application/ld+json' },
      );
      expect(response.status).toBe(202);
    };
    const serials = ['REAL1', 'ALERT1', ...DISPENSED];
    const packs = serials.map((serial) => sgtinUrn('4012345', '12345', serial));
    // One event per pack and step: an edit of one pack's events must not touch another's.
    await capture(keys.maker!, [
      ...packs.map((pack) =>
        commissioningEvent({ epcs: [pack], at: maker, time: at(), lot: 'L1', expiry: '2030-01-31' }),
      ),
      ...packs.map((pack) => shippingEvent({ epcs: [pack], from: maker, to: pharmacy, time: at() })),
    ]);
    await waitFor(
      'the shipments stored',
      async () => (await verify('REAL1')).status !== 'not_verified' || undefined,
    );
    await capture(
      keys.pharmacy!,
      packs.map((pack) => receivingEvent({ epcs: [pack], from: maker, at: pharmacy, time: at() })),
    );
    await capture(
      keys.pharmacy!,
      packs.slice(2).map((pack) => dispensingEvent({ epcs: [pack], at: pharmacy, time: at() })),
    );
    await waitFor(
      'every pack committed on chain',
      async () => {
        const all = await Promise.all(serials.map(verify));
        return all.every((v) => v.state?.status === 'verified') || undefined;
      },
      90_000,
    );
    const db = await database(context.config);
    try {
      await waitFor(
        'every custody handoff on chain',
        async () => {
          const { rows } = await db.query<{ open: number }>(
            `SELECT count(*) FILTER (WHERE status <> 'received_on_chain')::int AS open FROM custody_transfers`,
          );
          return rows[0]!.open === 0 || undefined;
        },
        60_000,
      );
    } finally {
      await db.end();
    }
    expect((await verify('REAL1')).status).toBe('verified');
    for (const serial of DISPENSED)
      expect((await verify(serial)).reasons.map((r) => r.code)).toEqual(['ALREADY_DISPENSED']);
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
      // A careful forger: the pack row with a history of one step, its count and its head, all consistent.
      await db.query(
        `INSERT INTO packs (epc, kind, gtin, serial, lot, expiry, status, last_event_hash, last_event_time,
                            commission_event_hash, history_count, history_head)
         VALUES ($1, 'sgtin', $2, 'FORGED1', 'L1', '2030-01-31', 'commissioned', $3, now(), $3, 1, $4)`,
        [forged, GTIN, hash, historyHeadOf([hash])],
      );
      await db.query(`INSERT INTO pack_history (epc, seq, event_hash) VALUES ($1, 1, $2)`, [forged, hash]);
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

  it('answers unknown for a pack row with no history at all: the chain holds no such pack', async () => {
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
    expect(verdict.reasons.map((r) => r.code)).toContain('NOT_ON_CHAIN');
    expect(verdict.state?.status).toBe('absent');
    expect(pedigreeAudit(sgtinUrn('4012345', '12345', 'NOHIST1')).report.outcome).toBe('unknown');
  });

  it('still verifies the genuine pack, and pedigree audit proves each hop and its state against the contract', async () => {
    expect((await verify('REAL1')).status).toBe('verified');
    const audit = pedigreeAudit(sgtinUrn('4012345', '12345', 'REAL1'));
    expect([audit.code, audit.report.outcome]).toEqual([0, 'proven']);
    expect(audit.report.hops.map((h) => h.outcome)).toEqual(['proven', 'proven', 'proven']);
    expect(audit.report.state.outcome).toBe('proven');
    // A dispensed pack is proven too: proven dispensed (the answer is the chain's, and it says dispensed).
    const dispensed = pedigreeAudit(sgtinUrn('4012345', '12345', 'STATUS1'));
    expect([dispensed.code, dispensed.report.outcome]).toEqual([0, 'proven']);
  });

  /** Each edit, then: verification not verified with `reason`, the state check's status, and the audit's outcome. */
  const EDITS: {
    serial: string;
    kind: string;
    reason: string;
    audit: string;
    edit: (epc: string) => string[];
  }[] = [
    {
      serial: 'STATUS1',
      kind: 'the pack row (a dispensed pack set back to received)',
      reason: 'TAMPERED',
      audit: 'tampered',
      edit: () => [`UPDATE packs SET status = 'received' WHERE epc = $1`],
    },
    {
      serial: 'REVIVE1',
      kind: 'a dispensing step removed with the row made consistent (count and head of the step before)',
      reason: 'TAMPERED',
      audit: 'tampered',
      edit: () => [
        `DELETE FROM pack_history WHERE epc = $1 AND seq = (SELECT max(seq) FROM pack_history WHERE epc = $1)`,
        `UPDATE packs SET status = 'received', history_count = history_count - 1 WHERE epc = $1`,
      ],
    },
    {
      serial: 'IDENT1',
      kind: 'the identifier removed from its dispensing event',
      reason: 'TAMPERED',
      audit: 'tampered',
      edit: () => [
        `UPDATE epcis_events SET epcs = array_remove(epcs, $1),
                payload = jsonb_set(payload, '{epcList}', '["urn:epc:id:sgtin:4012345.012345.OTHER"]')
          WHERE epcs @> ARRAY[$1] AND biz_step = 'dispensing'`,
      ],
    },
    {
      serial: 'CONTAIN1',
      kind: 'containment (the pack put in a case by hand)',
      reason: 'TAMPERED',
      audit: 'tampered',
      edit: () => [
        `INSERT INTO containments (child_epc, parent_epc, from_event_hash, from_time)
           SELECT $1, 'urn:epc:id:sscc:4012345.0000000099', last_event_hash, now() FROM packs WHERE epc = $1`,
        `UPDATE packs SET parent_epc = 'urn:epc:id:sscc:4012345.0000000099' WHERE epc = $1`,
      ],
    },
    {
      serial: 'INSERT1',
      kind: 'an inserted event (a receipt after the dispensing, with its step, count and head)',
      reason: 'UNANCHORED',
      audit: 'unanchored',
      edit: () => [], // written by insertEvent below: it needs the hashes
    },
    {
      serial: 'PROOF1',
      kind: 'the Merkle proof row of its commissioning event',
      reason: 'TAMPERED',
      audit: 'tampered',
      edit: () => [
        `UPDATE event_anchors SET proof = array_append(proof, '0x' || repeat('ab', 32))
          WHERE event_hash = (SELECT commission_event_hash FROM packs WHERE epc = $1)`,
      ],
    },
    {
      serial: 'DELETE1',
      kind: 'a deleted event (its dispensing)',
      reason: 'TAMPERED',
      audit: 'tampered',
      edit: () => [
        `DELETE FROM event_anchors WHERE event_hash IN (SELECT event_hash FROM epcis_events WHERE epcs @> ARRAY[$1] AND biz_step = 'dispensing')`,
        `DELETE FROM epcis_events WHERE epcs @> ARRAY[$1] AND biz_step = 'dispensing'`,
      ],
    },
  ];

  it.each(EDITS)(
    'catches $kind, in verification and in pedigree audit',
    async ({ serial, reason, audit, edit }) => {
      const epc = sgtinUrn('4012345', '12345', serial);
      const db = await database(context.config);
      try {
        if (serial === 'INSERT1') await insertEvent(db, epc);
        if (serial === 'REVIVE1') await reviveHead(db, epc);
        for (const statement of edit(epc)) await db.query(statement, [epc]);
      } finally {
        await db.end();
      }
      const verdict = await verify(serial);
      expect(verdict.status).toBe('not_verified');
      expect(verdict.reasons.map((r) => r.code)).toContain(reason);
      const result = pedigreeAudit(epc);
      expect(result.report.outcome).toBe(audit);
      if (audit !== 'proven') expect(result.code).not.toBe(0);
    },
  );

  it("catches custody records edited to name another sender: CustodyLedger's signer owns another GLN", async () => {
    const epc = sgtinUrn('4012345', '12345', 'CUSTODY1');
    const admin = apiClient(services[0]!.port, TEST_ADMIN_TOKEN);
    type Hops = {
      hops: { bizStep: string; custody: { chain: { status: string } } | null; check: { status: string } }[];
    };
    const before = await admin.get<Hops>(`/v1/provenance/${encodeURIComponent(epc)}`);
    const shipping = () => before.body.hops.find((h) => h.bizStep === 'shipping')!;
    expect(shipping().custody?.chain.status).toBe('confirmed');
    expect(before.body.hops.find((h) => h.bizStep === 'receiving')!.custody?.chain.status).toBe('confirmed');
    const db = await database(context.config);
    try {
      // The operator claims the pharmacy shipped it (e.g. to pin a diversion on it).
      // The addressee's own party id, in the form ingest stored it, now stands as the sender too.
      await db.query(
        `UPDATE custody_transfers SET from_party = to_party
          WHERE ship_event_hash IN (SELECT event_hash FROM epcis_events WHERE epcs @> ARRAY[$1] AND biz_step = 'shipping')`,
        [epc],
      );
    } finally {
      await db.end();
    }
    const after = await admin.get<Hops & { verdict: string }>(`/v1/provenance/${encodeURIComponent(epc)}`);
    const hop = after.body.hops.find((h) => h.bizStep === 'shipping')!;
    expect([hop.custody?.chain.status, hop.check.status, after.body.verdict]).toEqual([
      'mismatch',
      'tampered',
      'tampered',
    ]);
    const audit = pedigreeAudit(epc);
    expect([audit.code, audit.report.outcome]).toEqual([1, 'tampered']);
    expect(audit.report.hops.flatMap((h) => h.checks).join('\n')).toMatch(
      /GLN \d{13} .* belongs to participant/,
    );
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

  /** The step before the last, walked from the remaining history: what a careful forger would write. */
  async function reviveHead(db: Awaited<ReturnType<typeof database>>, epc: string): Promise<void> {
    const rows = await db.query<{ event_hash: Buffer }>(
      `SELECT event_hash FROM pack_history WHERE epc = $1 ORDER BY seq`,
      [epc],
    );
    const head = historyHeadOf(rows.rows.slice(0, -1).map((r) => r.event_hash));
    await db.query(`UPDATE packs SET history_head = $2 WHERE epc = $1`, [epc, head]);
  }

  /** A receipt written after the dispensing, as ingest would have written it, but by hand and an hour ago. */
  async function insertEvent(db: Awaited<ReturnType<typeof database>>, epc: string): Promise<void> {
    const event = receivingEvent({ epcs: [epc], from: maker, at: pharmacy, time: at() });
    const hash = eventHashDigest(computeEventHash(event, [EPCIS_CONTEXT_URL] as never));
    const steps = await db.query<{ event_hash: Buffer }>(
      `SELECT event_hash FROM pack_history WHERE epc = $1 ORDER BY seq`,
      [epc],
    );
    const history = [...steps.rows.map((r) => r.event_hash), hash];
    await db.query(
      `INSERT INTO epcis_events (event_hash, event_type, action, biz_step, disposition, event_time,
                                 event_time_zone_offset, epcs, payload, source, record_time)
       VALUES ($1, 'ObjectEvent', 'OBSERVE', 'receiving', 'in_progress', $2, '+00:00', $3, $4, 'psql', now() - interval '1 hour')`,
      [hash, event.eventTime, [epc], JSON.stringify({ ...event, '@context': [EPCIS_CONTEXT_URL] })],
    );
    await db.query(`INSERT INTO pack_history (epc, seq, event_hash) VALUES ($1, $2, $3)`, [
      epc,
      history.length,
      hash,
    ]);
    await db.query(
      `UPDATE packs SET status = 'received', history_count = $2, history_head = $3, last_event_hash = $4 WHERE epc = $1`,
      [epc, history.length, historyHeadOf(history), hash],
    );
  }

  it('keeps a flagged pack suspect when its alert is resolved by hand, and catches its flag count edited', async () => {
    const epc = sgtinUrn('4012345', '12345', 'ALERT1');
    // A second commissioning of the serial (a clone's): flagged evidence, committed with the pack's state.
    await capture(keys.maker!, [
      commissioningEvent({ epcs: [epc], at: maker, time: at(), lot: 'L1', expiry: '2030-01-31' }),
    ]);
    await waitFor('the flag committed on chain', async () => {
      const v = await verify('ALERT1');
      return (v.state?.status === 'verified' && v.reasons.some((r) => r.code === 'SUSPECT')) || undefined;
    });
    expect(pedigreeAudit(epc).report.outcome).toBe('suspect');
    const db = await database(context.config);
    try {
      // The operator writes a resolved alert: the chain holds no such resolution, so nothing is cleared.
      await db.query(
        `INSERT INTO alerts (dedupe_key, kind, severity, status, score, epcs, summary, evidence)
         VALUES ('by-hand', 'clone', 'high', 'resolved', 1, ARRAY[$1], 'resolved by hand', '{}')`,
        [epc],
      );
      const stillSuspect = await verify('ALERT1');
      expect(stillSuspect.status).toBe('not_verified');
      expect(stillSuspect.reasons.map((r) => r.code)).toEqual(['SUSPECT']);
      const audit = pedigreeAudit(epc);
      expect([audit.code, audit.report.outcome]).toEqual([1, 'suspect']);
      // Clearing the flag itself is an edit of the committed state.
      await db.query(`UPDATE packs SET flagged = 0 WHERE epc = $1`, [epc]);
    } finally {
      await db.end();
    }
    expect((await verify('ALERT1')).reasons.map((r) => r.code)).toContain('TAMPERED');
  });

  // Last: the batch is shared with the other packs' dispensing events.
  it('catches the anchor batch row of its dispensing edited, in verification and in pedigree audit', async () => {
    const epc = sgtinUrn('4012345', '12345', 'BATCH1');
    const db = await database(context.config);
    try {
      await db.query(
        `UPDATE anchor_batches SET merkle_root = decode(repeat('ab', 32), 'hex')
          WHERE id = (SELECT ea.batch_id FROM event_anchors ea JOIN epcis_events e ON e.event_hash = ea.event_hash
                       WHERE e.epcs @> ARRAY[$1] AND e.biz_step = 'dispensing')`,
        [epc],
      );
    } finally {
      await db.end();
    }
    expect((await verify('BATCH1')).reasons.map((r) => r.code)).toContain('TAMPERED');
    const audit = pedigreeAudit(epc);
    expect([audit.code, audit.report.outcome]).toEqual([1, 'tampered']);
  });

  it('stops anchoring when the database was rolled back behind the chain, and says so', async () => {
    await services[2]!.stop();
    const db = await database(context.config);
    try {
      // The batch that committed the chain's latest state root disappears, as after restoring an older backup.
      await db.query(
        `DELETE FROM event_anchors WHERE batch_id = (SELECT max(id) FROM anchor_batches WHERE state_root IS NOT NULL)`,
      );
      await db.query(
        `DELETE FROM anchor_batches WHERE id = (SELECT max(id) FROM anchor_batches WHERE state_root IS NOT NULL)`,
      );
    } finally {
      await db.end();
    }
    services[2] = await startService('ledger', context.env);
    const { readFileSync } = await import('node:fs');
    const log = await waitFor('the refusal in the ledger log', () => {
      const text = readFileSync(services[2]!.logFile, 'utf8');
      return Promise.resolve(text.includes("is not among this database's batches") ? text : undefined);
    });
    expect(log).toMatch(/the database was rolled back or edited; anchoring stops/);
  });

  function pedigreeAudit(epc: string) {
    return pedigreeJson<{
      outcome: string;
      state: { outcome: string; checks: string[] };
      hops: { outcome: string; checks: string[] }[];
    }>(services[0]!.port, TEST_ADMIN_TOKEN, ['audit', epc, '--rpc', context.config.chainRpcUrl], context.env);
  }
});
