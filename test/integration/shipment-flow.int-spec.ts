import {
  commissioningEvent,
  epcisDocument,
  glnOf,
  type Party,
  pglnUrn,
  receivingEvent,
  sglnUrn,
  sgtinUrn,
  shippingEvent,
} from '@pedigree/epcis';
import {
  apiClient,
  createTestContext,
  database,
  produceDocuments,
  publisherHeader,
  readDeadLetters,
  type RunningService,
  startService,
  TEST_ADMIN_TOKEN,
  type TestContext,
  waitFor,
} from '@pedigree/testing';

interface Hop {
  bizStep: string | null;
  anchor: { transactionHash: string | null; blockNumber: number | null; status: string } | null;
  custody: {
    status: string;
    shipTransactionHash: string | null;
    receiveTransactionHash: string | null;
  } | null;
  check: { status: string };
}

function party(prefix: string): Party {
  return { companyPrefix: prefix, pgln: pglnUrn(prefix, 0), site: sglnUrn(prefix, 1) };
}

/**
 * One shipment end to end through the real parts: a manufacturer's EPCIS documents go into Kafka, ingest stores
 * them in PostgreSQL, the ledger anchors them and records the custody handoff on the Hardhat chain, and the API
 * answers the pack's provenance with each hop's transaction and block.
 */
describe('one shipment, Kafka → PostgreSQL → chain → API', () => {
  let context: TestContext;
  const services: RunningService[] = [];
  let api: ReturnType<typeof apiClient>;

  const maker = party('4012345');
  const wholesaler = party('4098765');
  const pack = sgtinUrn('4012345', '12345', 'E2E0001');
  const orgs: Record<string, string> = {};

  beforeAll(async () => {
    context = await createTestContext('shipment flow');
    for (const name of ['api', 'ingest', 'ledger'] as const)
      services.push(await startService(name, context.env));
    api = apiClient(services[0].port, TEST_ADMIN_TOKEN);
    for (const [name, role, prefix] of [
      ['Acme Pharma', 'manufacturer', '4012345'],
      ['Central Wholesale', 'distributor', '4098765'],
    ] as const) {
      const created = await api.post<{ id: string }>('/v1/admin/organisations', {
        name,
        role,
        companyPrefixes: [prefix],
        glns: [glnOf(prefix, 0), glnOf(prefix, 1)],
      });
      expect(created.status).toBe(201);
      orgs[role] = created.body.id;
    }
  });

  afterAll(async () => {
    await Promise.all(services.map((s) => s.stop()));
    await context?.cleanup();
  });

  it('records the custody chain with each hop anchored on-chain', async () => {
    const t0 = Date.now() - 3600_000;
    await produceDocuments(context.config, [
      {
        key: 'lot-A1',
        headers: publisherHeader(orgs.manufacturer),
        value: epcisDocument([
          commissioningEvent({
            epcs: [pack],
            at: maker,
            time: new Date(t0),
            lot: 'A1',
            expiry: '2030-01-31',
          }),
        ]),
      },
      {
        key: 'lot-A1',
        headers: publisherHeader(orgs.manufacturer),
        value: epcisDocument([
          shippingEvent({ epcs: [pack], from: maker, to: wholesaler, time: new Date(t0 + 60_000) }),
        ]),
      },
      {
        key: 'lot-A1',
        headers: publisherHeader(orgs.distributor),
        value: epcisDocument([
          receivingEvent({ epcs: [pack], from: maker, at: wholesaler, time: new Date(t0 + 120_000) }),
        ]),
      },
    ]);

    const provenance = await waitFor(
      'every hop verified on-chain and the custody handoff received on-chain',
      async () => {
        const response = await api.get<{ verdict: string; hops: Hop[]; status: string }>(
          `/v1/provenance/${pack}`,
        );
        if (response.status !== 200) return undefined;
        const body = response.body;
        const handoff = body.hops.find((h) => h.bizStep === 'receiving')?.custody;
        return body.hops.length === 3 &&
          body.verdict === 'verified' &&
          handoff?.status === 'received_on_chain'
          ? body
          : undefined;
      },
      90_000,
      500,
    );

    expect(provenance.status).toBe('received');
    expect(provenance.hops.map((h) => h.bizStep)).toEqual(['commissioning', 'shipping', 'receiving']);
    for (const hop of provenance.hops) {
      expect(hop.check.status).toBe('verified');
      expect(hop.anchor?.transactionHash).toMatch(/^0x[0-9a-f]{64}$/);
      expect(hop.anchor?.blockNumber).toBeGreaterThan(0);
    }
    const shipping = provenance.hops[1].custody!;
    expect(shipping.shipTransactionHash).toMatch(/^0x[0-9a-f]{64}$/);
    expect(shipping.receiveTransactionHash).toMatch(/^0x[0-9a-f]{64}$/);

    const db = await database(context.config);
    try {
      const events = await db.query('SELECT count(*)::int AS n FROM epcis_events');
      expect(events.rows[0].n).toBe(3);
      const pending = await db.query(
        'SELECT count(*)::int AS n FROM ledger_outbox WHERE processed_at IS NULL',
      );
      expect(pending.rows[0].n).toBe(0);
    } finally {
      await db.end();
    }
  });

  it('dead-letters a message that is not JSON and one that is not EPCIS, keeping the original bytes', async () => {
    const garbage = Buffer.from([0xff, 0xfe, 0x00, 0x41, 0x42]);
    const notEpcis = Buffer.from(JSON.stringify({ hello: 'world' }));
    // Signed by a member (relayed): the origin is fine, the bytes are not.
    const publisher = publisherHeader(Object.values(orgs)[0]!);
    await produceDocuments(context.config, [
      { key: 'bad-1', value: garbage, headers: publisher },
      { key: 'bad-2', value: notEpcis, headers: publisher },
    ]);
    const letters = await readDeadLetters(context.config, 2, 60_000);
    const byKey = new Map(letters.map((l) => [l.source.key, l]));
    expect(Buffer.from(byKey.get('bad-1')!.originalPayloadBase64, 'base64')).toEqual(garbage);
    expect(byKey.get('bad-1')!.reason.code).toBe('EPCIS_MALFORMED_JSON');
    expect(Buffer.from(byKey.get('bad-2')!.originalPayloadBase64, 'base64')).toEqual(notEpcis);
    expect(byKey.get('bad-2')!.reason.detail.length).toBeGreaterThan(10);

    // The partition kept moving: a good document sent after the bad ones is stored.
    const later = sgtinUrn('4012345', '12345', 'E2E0002');
    await produceDocuments(context.config, [
      {
        key: 'bad-1',
        headers: publisherHeader(orgs.manufacturer),
        value: epcisDocument([
          commissioningEvent({
            epcs: [later],
            at: maker,
            time: new Date(Date.now() - 60_000),
            lot: 'A1',
            expiry: '2030-01-31',
          }),
        ]),
      },
    ]);
    await waitFor(
      'the later document to be stored',
      async () => (await api.get(`/v1/provenance/${later}`)).status === 200,
    );
  });

  it('answers a malformed API request with problem+json naming the field', async () => {
    const response = await api.post<{ code: string; field: string; type: string; detail: string }>(
      '/v1/admin/organisations',
      {
        name: 'X',
        role: 'smuggler',
        companyPrefixes: [],
        glns: [],
      },
    );
    expect(response.status).toBe(400);
    expect(response.contentType).toContain('application/problem+json');
    expect(response.body.code).toBe('VALIDATION_FAILED');
    expect(['name', 'role']).toContain(response.body.field);
    expect(response.body.type).toMatch(/^https:\/\/pedigree\.dev\/problems\//);

    const unauthenticated = await apiClient(services[0].port).get<{ code: string }>(`/v1/provenance/${pack}`);
    expect(unauthenticated.status).toBe(401);
    expect(unauthenticated.body.code).toBe('AUTH_MISSING_CREDENTIALS');
  });
});
