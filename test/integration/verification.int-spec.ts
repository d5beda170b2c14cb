import {
  commissioningEvent,
  decommissioningEvent,
  dispensingEvent,
  epcisDocument,
  glnOf,
  gtinOf,
  receivingEvent,
  sgtinUrn,
  shippingEvent,
  partyOf,
} from '@pedigree/epcis';
import {
  apiClient,
  createTestContext,
  database,
  produceDocuments,
  publisherHeader,
  type RunningService,
  startService,
  TEST_ADMIN_TOKEN,
  type TestContext,
  waitFor,
} from '@pedigree/testing';

interface Verdict {
  verified: boolean;
  status: string;
  reasons: { code: string; dscsa?: string; euFmd?: string }[];
  scanWarnings?: string[];
}

const party = partyOf;
const maker = party('4012345');
const wholesaler = party('4098765');
const pharmacy = party('4260001');
const GTIN = gtinOf('4012345', '12345');
const serial = (name: string) => `VF${name}`;
const pack = (name: string) => sgtinUrn('4012345', '12345', serial(name));

/**
 * A pharmacy's verification against the real pipeline: one test per reason code, the scanned-barcode forms, and
 * tampering (a row edited directly in PostgreSQL is reported as tampered by verification and provenance).
 */
describe('pharmacy verification', () => {
  let context: TestContext;
  const services: Partial<Record<'api' | 'ingest' | 'ledger' | 'intelligence', RunningService>> = {};
  let pharmacist: ReturnType<typeof apiClient>;
  let regulator: ReturnType<typeof apiClient>;
  const orgs: Record<string, string> = {};
  let t = Date.now() - 8 * 3600_000;
  const at = () => new Date((t += 60_000));

  const verify = async (query: string) => (await pharmacist.get<Verdict>(`/v1/verify?${query}`)).body;
  const codes = (verdict: Verdict) => verdict.reasons.map((r) => r.code).sort();

  beforeAll(async () => {
    context = await createTestContext('verification');
    for (const name of ['api', 'ingest', 'ledger', 'intelligence'] as const)
      services[name] = await startService(name, context.env);
    const admin = apiClient(services.api!.port, TEST_ADMIN_TOKEN);
    const keys: Record<string, string> = {};
    for (const [name, role, prefix] of [
      ['Acme Pharma', 'manufacturer', '4012345'],
      ['Central Wholesale', 'distributor', '4098765'],
      ['Apotheke am Markt', 'dispenser', '4260001'],
      ['Medicines Agency', 'regulator', '4000001'],
    ] as const) {
      const org = await admin.post<{ id: string }>('/v1/admin/organisations', {
        name,
        role,
        companyPrefixes: [prefix],
        glns: [glnOf(prefix, 0), glnOf(prefix, 1)],
      });
      orgs[role] = org.body.id;
      keys[role] = (
        await admin.post<{ key: string }>(`/v1/admin/organisations/${org.body.id}/api-keys`, {
          label: 'test',
        })
      ).body.key;
    }
    pharmacist = apiClient(services.api!.port, keys.dispenser);
    regulator = apiClient(services.api!.port, keys.regulator);

    const names = ['ok', 'dispensed', 'twice', 'decommissioned', 'recalled', 'stolen', 'tampered'];
    const send = (publisher: string, events: Record<string, unknown>[]) =>
      produceDocuments(context.config, [
        { key: 'lot-VF', headers: publisherHeader(orgs[publisher]!), value: epcisDocument(events) },
      ]);
    await send('manufacturer', [
      commissioningEvent({
        epcs: names.map(pack),
        at: maker,
        time: at(),
        lot: 'VFLOT',
        expiry: '2030-01-31',
      }),
    ]);
    await send('manufacturer', [
      commissioningEvent({
        epcs: [pack('expired')],
        at: maker,
        time: at(),
        lot: 'OLD',
        expiry: '2021-06-30',
      }),
    ]);
    await send('manufacturer', [
      shippingEvent({ epcs: names.map(pack), from: maker, to: wholesaler, time: at() }),
    ]);
    await send('distributor', [
      receivingEvent({ epcs: names.map(pack), from: maker, at: wholesaler, time: at() }),
    ]);
    await send('distributor', [
      shippingEvent({ epcs: names.map(pack), from: wholesaler, to: pharmacy, time: at() }),
    ]);
    await send('dispenser', [
      receivingEvent({ epcs: names.map(pack), from: wholesaler, at: pharmacy, time: at() }),
    ]);
    await send('dispenser', [
      dispensingEvent({ epcs: [pack('dispensed'), pack('twice')], at: pharmacy, time: at() }),
    ]);
    await send('dispenser', [
      decommissioningEvent({ epcs: [pack('decommissioned')], at: pharmacy, time: at() }),
    ]);
    // A recall is the manufacturer's (or a regulator's) to publish, wherever the pack is.
    await send('manufacturer', [
      {
        ...dispensingEvent({ epcs: [pack('recalled')], at: maker, time: at() }),
        bizStep: 'holding',
        disposition: 'recalled',
      },
    ]);
    await send('dispenser', [
      {
        ...dispensingEvent({ epcs: [pack('stolen')], at: pharmacy, time: at() }),
        bizStep: 'holding',
        disposition: 'stolen',
      },
    ]);
    // The same pack dispensed again an hour later (not a double scan): the classic counterfeit signal.
    t += 3600_000;
    await send('dispenser', [dispensingEvent({ epcs: [pack('twice')], at: pharmacy, time: at() })]);

    await waitFor(
      'every pack anchored and the second dispensing alerted',
      async () => {
        const verdict = await verify(`gtin=${GTIN}&serial=${serial('ok')}&lot=VFLOT&expiry=300131`);
        const twice = await verify(`gtin=${GTIN}&serial=${serial('twice')}`);
        // The last events (a second dispensing, a recall) may land in a later anchor batch than the first ones.
        const others = await Promise.all(
          ['dispensed', 'decommissioned', 'recalled', 'stolen', 'expired', 'twice'].map((name) =>
            verify(`gtin=${GTIN}&serial=${serial(name)}`),
          ),
        );
        return (
          verdict.status === 'verified' &&
          codes(twice).includes('SUSPECT') &&
          others.every((v) => !codes(v).includes('NOT_YET_ANCHORED'))
        );
      },
      120_000,
      500,
    );
  });

  afterAll(async () => {
    await Promise.all(Object.values(services).map((s) => s.stop()));
    await context?.cleanup();
  });

  it('verifies a genuine pack by its data, with lot and expiry (day 00 means end of month)', async () => {
    expect(await verify(`gtin=${GTIN}&serial=${serial('ok')}&lot=VFLOT&expiry=300131`)).toMatchObject({
      verified: true,
      status: 'verified',
      reasons: [],
    });
    expect((await verify(`gtin=${GTIN}&serial=${serial('ok')}&expiry=300100`)).verified).toBe(true);
  });

  it.each([
    ['GTIN not found', `gtin=${gtinOf('4012345', '99999')}&serial=X1`, ['GTIN_NOT_FOUND']],
    ['unknown serial', `gtin=${GTIN}&serial=NEVERMADE`, ['UNKNOWN_SERIAL']],
    ['lot mismatch', `gtin=${GTIN}&serial=${serial('ok')}&lot=FAKE`, ['LOT_MISMATCH']],
    ['expiry mismatch', `gtin=${GTIN}&serial=${serial('ok')}&expiry=290101`, ['EXPIRY_MISMATCH']],
    ['already dispensed', `gtin=${GTIN}&serial=${serial('dispensed')}`, ['ALREADY_DISPENSED']],
    ['decommissioned', `gtin=${GTIN}&serial=${serial('decommissioned')}`, ['DECOMMISSIONED']],
    ['recalled', `gtin=${GTIN}&serial=${serial('recalled')}`, ['RECALLED']],
    ['stolen', `gtin=${GTIN}&serial=${serial('stolen')}`, ['STOLEN']],
    ['expired', `gtin=${GTIN}&serial=${serial('expired')}`, ['EXPIRED']],
    [
      'dispensed twice (an open alert)',
      `gtin=${GTIN}&serial=${serial('twice')}`,
      ['ALREADY_DISPENSED', 'SUSPECT'],
    ],
  ])('refuses a pack that is %s', async (_case, query, expected) => {
    const verdict = await verify(query);
    expect(verdict.verified).toBe(false);
    expect(verdict.status).toBe('not_verified');
    expect(codes(verdict)).toEqual(expected);
  });

  it('names the DSCSA and EU FMD equivalents of a reason', async () => {
    const verdict = await verify(`gtin=${GTIN}&serial=NEVERMADE`);
    expect(verdict.reasons[0]).toMatchObject({
      dscsa: 'No match for GTIN + serial number',
      euFmd: expect.stringContaining('Pack unknown'),
    });
  });

  it('reads scanned codes in every form a scanner delivers, repairing a dropped separator', async () => {
    const gs = '\u001d';
    const forms = [
      `]d201${GTIN}21${serial('ok')}${gs}10VFLOT${gs}17300131`,
      `(01)${GTIN}(21)${serial('ok')}(10)VFLOT(17)300131`,
      `https://id.gs1.org/01/${GTIN}/21/${serial('ok')}?10=VFLOT&17=300131`,
      `]d201${GTIN}17300131${'10'}VFLOT${gs}21${serial('ok')}`,
    ];
    for (const barcode of forms) {
      const verdict = (await pharmacist.post<Verdict>('/v1/verify', { barcode })).body;
      expect([barcode, verdict.status]).toEqual([barcode, 'verified']);
    }
    const dropped = (
      await pharmacist.post<Verdict>('/v1/verify', {
        barcode: `]d201${GTIN}17300131${'10'}VFLOT21${serial('ok')}`,
      })
    ).body;
    expect(dropped.status).toBe('verified');
    expect(dropped.scanWarnings?.length).toBeGreaterThan(0);
  });

  it('refuses an unreadable barcode with a problem naming the AI and position', async () => {
    const response = await pharmacist.post<{
      code: string;
      field: string;
      gs1Code: string;
      ai: string;
      position: number;
      detail: string;
    }>('/v1/verify', {
      barcode: `(01)${GTIN}(17)301332(21)X`,
    });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({
      code: 'VALIDATION_FAILED',
      field: 'barcode',
      gs1Code: 'GS1_INVALID_DATE',
      ai: '17',
    });
    expect(response.body.detail).toMatch(/month 13/);
    const badGtin = await pharmacist.get<{ field: string }>(`/v1/verify?gtin=04012345123457&serial=X`);
    expect(badGtin.status).toBe(400);
    expect(badGtin.body.field).toBe('gtin');
  });

  it('reports a pack whose events are not anchored yet as pending', async () => {
    await services.ledger!.stop();
    try {
      await produceDocuments(context.config, [
        {
          key: 'lot-VF',
          headers: publisherHeader(orgs.manufacturer!),
          value: epcisDocument([
            commissioningEvent({
              epcs: [pack('fresh')],
              at: maker,
              time: at(),
              lot: 'VFLOT',
              expiry: '2030-01-31',
            }),
          ]),
        },
      ]);
      const verdict = await waitFor('the new pack to be stored', async () => {
        const v = await verify(`gtin=${GTIN}&serial=${serial('fresh')}`);
        return codes(v).includes('UNKNOWN_SERIAL') ? undefined : v;
      });
      expect(verdict).toMatchObject({ verified: false, status: 'pending' });
      expect(codes(verdict)).toEqual(['NOT_YET_ANCHORED']);
    } finally {
      services.ledger = await startService('ledger', context.env);
    }
    await waitFor(
      'the pack to be anchored once the ledger is back',
      async () => (await verify(`gtin=${GTIN}&serial=${serial('fresh')}`)).verified,
    );
  });

  it('detects a history edited directly in PostgreSQL, in verification and in provenance', async () => {
    expect((await verify(`gtin=${GTIN}&serial=${serial('tampered')}`)).verified).toBe(true);
    const db = await database(context.config);
    try {
      // Someone with database access moves the receiving pharmacy of one hop.
      const result = await db.query(
        `UPDATE epcis_events SET payload = jsonb_set(payload, '{bizLocation,id}', to_jsonb('urn:epc:id:sgln:4999999.00001.0'::text))
          WHERE epcs @> ARRAY[$1]::text[] AND biz_step = 'receiving' AND payload->'bizLocation'->>'id' = $2`,
        [pack('tampered'), pharmacy.site],
      );
      expect(result.rowCount).toBe(1);
    } finally {
      await db.end();
    }
    const verdict = await verify(`gtin=${GTIN}&serial=${serial('tampered')}`);
    expect(verdict.verified).toBe(false);
    expect(codes(verdict)).toContain('TAMPERED');

    const provenance = (
      await regulator.get<{
        verdict: string;
        hops: { bizStep: string; check: { status: string; hashMatches: boolean } }[];
      }>(`/v1/provenance/${pack('tampered')}`)
    ).body;
    expect(provenance.verdict).toBe('tampered');
    const tampered = provenance.hops.filter((h) => h.check.status === 'tampered');
    expect(tampered).toHaveLength(1);
    expect(tampered[0]).toMatchObject({ bizStep: 'receiving', check: { hashMatches: false } });
    expect(provenance.hops.filter((h) => h.check.status === 'verified').length).toBe(
      provenance.hops.length - 1,
    );
  });
});
