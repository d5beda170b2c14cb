import {
  commissioningEvent,
  epcisDocument,
  epcisMasterDataDocument,
  glnOf,
  masterDataVocabulary,
  type Party,
  pglnUrn,
  sglnUrn,
  sgtinUrn,
} from '@pedigree/epcis';
import {
  apiClient,
  createTestContext,
  produceDocuments,
  publisherHeader,
  type RunningService,
  startService,
  TEST_ADMIN_TOKEN,
  type TestContext,
  waitFor,
} from '@pedigree/testing';
import { readFileSync } from 'node:fs';

type Role =
  'anonymous' | 'admin' | 'manufacturer' | 'other-manufacturer' | 'distributor' | 'dispenser' | 'regulator';
const ROLES: Role[] = [
  'anonymous',
  'admin',
  'manufacturer',
  'other-manufacturer',
  'distributor',
  'dispenser',
  'regulator',
];
const maker: Party = { companyPrefix: '4012345', pgln: pglnUrn('4012345', 0), site: sglnUrn('4012345', 1) };
const PACK = sgtinUrn('4012345', '12345', 'SEC1');

/**
 * Who may do what: every endpoint × every role, with the organisation's own data and another's. Then the
 * protections around the API: rate limiting, security headers, CORS, and no secret in any log.
 */
describe('security', () => {
  let context: TestContext;
  const services: RunningService[] = [];
  const keys: Partial<Record<Role, string>> = { admin: TEST_ADMIN_TOKEN };
  const orgs: Record<string, string> = {};
  let capturedDocument: string;
  const tickets: string[] = [];

  beforeAll(async () => {
    context = await createTestContext('security', {
      deployContracts: false,
      env: { API_RATE_LIMIT_PER_MINUTE: '400', API_CORS_ORIGINS: 'https://dashboard.pharma.example' },
    });
    for (const name of ['api', 'ingest'] as const) services.push(await startService(name, context.env));
    const admin = apiClient(services[0]!.port, TEST_ADMIN_TOKEN);
    for (const [role, orgRole, prefix] of [
      ['manufacturer', 'manufacturer', '4012345'],
      ['other-manufacturer', 'manufacturer', '5790001'],
      ['distributor', 'distributor', '4098765'],
      ['dispenser', 'dispenser', '4260001'],
      ['regulator', 'regulator', '4000001'],
    ] as const) {
      const org = await admin.post<{ id: string }>('/v1/admin/organisations', {
        name: `Org ${role}`,
        role: orgRole,
        companyPrefixes: [prefix],
        glns: [glnOf(prefix, 0), glnOf(prefix, 1)],
      });
      orgs[role] = org.body.id;
      keys[role] = (
        await admin.post<{ key: string }>(`/v1/admin/organisations/${org.body.id}/api-keys`, {
          label: 'matrix',
        })
      ).body.key;
    }
    await produceDocuments(context.config, [
      {
        key: 'sec',
        headers: publisherHeader(orgs.manufacturer!),
        value: epcisDocument([
          commissioningEvent({
            epcs: [PACK],
            at: maker,
            time: new Date(Date.now() - 60_000),
            lot: 'S1',
            expiry: '2030-01-31',
          }),
        ]),
      },
    ]);
    await waitFor(
      'the pack stored',
      async () =>
        (await apiClient(services[0]!.port, TEST_ADMIN_TOKEN).get(`/v1/provenance/${PACK}`)).status === 200,
    );
    capturedDocument = JSON.stringify(
      epcisDocument([
        commissioningEvent({
          epcs: [sgtinUrn('4012345', '12345', 'SEC2')],
          at: maker,
          time: new Date(Date.now() - 30_000),
          lot: 'S1',
          expiry: '2030-01-31',
        }),
      ]),
    );
  });

  afterAll(async () => {
    await Promise.all(services.map((s) => s.stop()));
    await context?.cleanup();
  });

  const call = (role: Role, method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
    apiClient(services[0]!.port, role === 'anonymous' ? undefined : keys[role]).request(
      method,
      path,
      body,
      headers,
    );

  // expected status per role, in ROLES order: anonymous, admin, manufacturer, other-manufacturer, distributor, dispenser, regulator
  const MATRIX: [string, string, () => unknown, number[]][] = [
    ['GET', '/v1/me', () => undefined, [401, 200, 200, 200, 200, 200, 200]],
    ['GET', '/v1/admin/organisations', () => undefined, [401, 200, 403, 403, 403, 403, 403]],
    [
      'POST',
      '/v1/admin/organisations',
      () => ({ name: `X${Date.now()}${Math.random()}`, role: 'dispenser', companyPrefixes: [], glns: [] }),
      [401, 201, 403, 403, 403, 403, 403],
    ],
    ['GET', `/v1/provenance/${PACK}`, () => undefined, [401, 200, 200, 403, 403, 403, 200]],
    // A lot: whole for its manufacturer and regulators; nothing for members that never handled one of its packs.
    ['GET', '/v1/provenance/01/04012345123456/10/S1', () => undefined, [401, 200, 200, 404, 404, 404, 200]],
    ['GET', '/v1/provenance/01/04012345123457/10/S1', () => undefined, [401, 400, 400, 400, 400, 400, 400]],
    ['GET', '/epcis/v2/eventTypes', () => undefined, [401, 200, 200, 200, 200, 200, 200]],
    ['GET', '/epcis/v2/bizSteps/shipping/events', () => undefined, [401, 200, 200, 200, 200, 200, 200]],
    // Master data describes products and places: every member reads it, nobody anonymous.
    [
      'GET',
      `/v1/master-data/${encodeURIComponent('urn:epc:idpat:sgtin:4012345.012345.*')}`,
      () => undefined,
      [401, 200, 200, 200, 200, 200, 200],
    ],
    [
      'GET',
      '/v1/verify?gtin=04012345123456&serial=SEC1',
      () => undefined,
      [401, 200, 200, 200, 200, 200, 200],
    ],
    [
      'POST',
      '/v1/verify',
      () => ({ barcode: '(01)04012345123456(21)SEC1' }),
      [401, 200, 200, 200, 200, 200, 200],
    ],
    ['GET', '/epcis/v2/events', () => undefined, [401, 200, 200, 200, 200, 200, 200]],
    [
      'GET',
      '/epcis/v2/events?EQ_action=ADD&EQ_ILMD_cbvmda:lotNumber=S1&orderBy=recordTime',
      () => undefined,
      [401, 200, 200, 200, 200, 200, 200],
    ],
    // Named queries and subscriptions belong to a member organisation: the consortium admin has none.
    ['GET', '/epcis/v2/queries', () => undefined, [401, 403, 200, 200, 200, 200, 200]],
    [
      'POST',
      '/epcis/v2/queries',
      () => ({
        name: `q${Date.now()}${Math.random().toString(36).slice(2, 8)}`,
        query: { EQ_bizStep: 'shipping' },
      }),
      [401, 403, 201, 201, 201, 201, 201],
    ],
    ['GET', '/epcis/v2/queries/none/events', () => undefined, [401, 403, 404, 404, 404, 404, 404]],
    [
      'POST',
      '/epcis/v2/queries/none/subscriptions',
      () => ({ dest: 'https://erp.example.com/hook', stream: true }),
      [401, 403, 404, 404, 404, 404, 404],
    ],
    ['GET', '/v1/alerts', () => undefined, [401, 200, 200, 200, 200, 200, 200]],
    ['GET', '/v1/alerts/summary', () => undefined, [401, 200, 200, 200, 200, 200, 200]],
    ['GET', '/v1/shipments', () => undefined, [401, 200, 200, 200, 200, 200, 200]],
    ['GET', '/v1/stats/overview', () => undefined, [401, 200, 200, 200, 200, 200, 200]],
    ['GET', '/v1/forecasts', () => undefined, [401, 200, 200, 200, 200, 403, 200]],
    ['GET', '/v1/custody/key', () => undefined, [401, 403, 200, 200, 200, 200, 200]],
    ['GET', '/v1/custody/signature-requests', () => undefined, [401, 403, 200, 200, 200, 200, 200]],
    [
      'POST',
      '/v1/custody/signature-requests/1/signature',
      () => ({ signature: `0x${'11'.repeat(65)}` }),
      [401, 403, 404, 404, 404, 404, 404],
    ],
    ['GET', '/v1/models', () => undefined, [401, 200, 200, 200, 200, 200, 200]],
    ['GET', '/v1/models/anomaly-shipment/none', () => undefined, [401, 404, 404, 404, 404, 404, 404]],
    ['GET', '/v1/models/BAD$NAME/1', () => undefined, [401, 400, 400, 400, 400, 400, 400]],
    ['GET', '/health', () => undefined, [200, 200, 200, 200, 200, 200, 200]],
    ['GET', '/docs-json', () => undefined, [200, 200, 200, 200, 200, 200, 200]],
  ];

  it.each(MATRIX)('%s %s answers each role as its rights say', async (method, path, body, expected) => {
    const actual: number[] = [];
    for (const role of ROLES) actual.push((await call(role, method, path, body())).status);
    expect(Object.fromEntries(ROLES.map((r, i) => [r, actual[i]]))).toEqual(
      Object.fromEntries(ROLES.map((r, i) => [r, expected[i]])),
    );
  });

  it('lets members capture but not regulators, and only for their own products', async () => {
    const statuses: Record<string, number> = {};
    for (const role of ['regulator', 'manufacturer', 'other-manufacturer'] as const) {
      // Each its own serial: a document already stored would be a harmless duplicate whoever sends it again.
      const document = capturedDocument.replace('SEC2', `SEC2${role.length}`);
      statuses[role] = (
        await call(role, 'POST', '/epcis/v2/capture', document, { 'content-type': 'application/ld+json' })
      ).status;
    }
    expect(statuses).toEqual({ regulator: 403, manufacturer: 202, 'other-manufacturer': 202 });
    // The other manufacturer's capture of serials under 4012345 is refused by the rules, by name.
    const jobs = (await call('other-manufacturer', 'GET', '/epcis/v2/capture')).body as {
      captureID: string;
    }[];
    const job = await waitFor('the foreign capture to be judged', async () => {
      const response = await call('other-manufacturer', 'GET', `/epcis/v2/capture/${jobs[0]!.captureID}`);
      const body = response.body as { running: boolean; success: boolean; errors: { title: string }[] };
      return body.running ? undefined : body;
    });
    expect(job.success).toBe(false);
    expect(job.errors[0]!.title).toBe('RULE_PREFIX_NOT_OWNED');
    // …and one organisation cannot read another's capture jobs.
    expect((await call('manufacturer', 'GET', `/epcis/v2/capture/${jobs[0]!.captureID}`)).status).toBe(404);
    // Master data sent on its own (an EPCISMasterDataDocument) comes through the same door, with the same rights.
    const masterData = JSON.stringify(
      epcisMasterDataDocument([
        masterDataVocabulary('EPCClass', 'urn:epc:idpat:sgtin:4012345.012345.*', {
          regulatedProductName: 'S',
        }),
      ]),
    );
    const masterDataStatuses: Record<string, number> = {};
    for (const role of ['anonymous', 'regulator', 'manufacturer'] as const) {
      masterDataStatuses[role] = (
        await call(role, 'POST', '/epcis/v2/capture', masterData, { 'content-type': 'application/ld+json' })
      ).status;
    }
    expect(masterDataStatuses).toEqual({ anonymous: 401, regulator: 403, manufacturer: 202 });
  });

  it('documents the custody-key endpoints and the handoff proof format in the OpenAPI', async () => {
    const spec = (await call('anonymous', 'GET', '/docs-json')).body as {
      paths: Record<string, Record<string, unknown>>;
      components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
    };
    expect(Object.keys(spec.paths)).toEqual(
      expect.arrayContaining([
        '/v1/custody/key',
        '/v1/custody/signature-requests',
        '/v1/custody/signature-requests/{id}/signature',
        '/v1/models',
        '/v1/models/{name}/{version}',
        '/v1/alerts/summary',
        '/v1/provenance/01/{gtin}/10/{lot}',
        '/v1/master-data/{id}',
        '/epcis/v2/{resource}/{id}/events',
        '/epcis/v2/eventTypes',
        '/epcis/v2/queries',
        '/epcis/v2/queries/{queryName}/events',
        '/epcis/v2/queries/{queryName}/subscriptions',
        '/epcis/v2/queries/{queryName}/subscriptions/{subscriptionID}',
      ]),
    );
    expect(Object.keys(spec.paths['/v1/custody/key']!)).toEqual(expect.arrayContaining(['get', 'put']));
    expect(Object.keys(spec.components.schemas.HopCustodyChainDto!.properties!)).toEqual(
      expect.arrayContaining([
        'status',
        'consignmentId',
        'from',
        'to',
        'sequence',
        'transactionHash',
        'reasons',
      ]),
    );
    expect(Object.keys(spec.components.schemas.HandoffTypedDataDto!.properties!)).toEqual(
      expect.arrayContaining(['domain', 'primaryType', 'types', 'message']),
    );
  });

  it('refuses a revoked key at once and a malformed one', async () => {
    const admin = apiClient(services[0]!.port, TEST_ADMIN_TOKEN);
    const created = await admin.post<{ id: string; key: string }>(
      `/v1/admin/organisations/${orgs.dispenser}/api-keys`,
      { label: 'to revoke' },
    );
    expect((await apiClient(services[0]!.port, created.body.key).get('/v1/me')).status).toBe(200);
    expect((await admin.delete(`/v1/admin/api-keys/${created.body.id}`)).status).toBe(204);
    expect((await apiClient(services[0]!.port, created.body.key).get('/v1/me')).status).toBe(401);
    expect((await apiClient(services[0]!.port, 'pdg_nope').get('/v1/me')).status).toBe(401);
  });

  it('sends security headers and allows cross-origin calls only from configured origins', async () => {
    const response = await fetch(`http://127.0.0.1:${services[0]!.port}/health`, {
      headers: { origin: 'https://evil.example' },
    });
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(response.headers.get('strict-transport-security')).toBeTruthy();
    expect(response.headers.get('x-powered-by')).toBeNull();
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    const allowed = await fetch(`http://127.0.0.1:${services[0]!.port}/health`, {
      headers: { origin: 'https://dashboard.pharma.example' },
    });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://dashboard.pharma.example');
  });

  it('rate-limits a key that floods the API, with Retry-After, without affecting other keys', async () => {
    let limited: Response | undefined;
    for (let i = 0; i < 450 && !limited; i++) {
      const response = await fetch(`http://127.0.0.1:${services[0]!.port}/v1/me`, {
        headers: { authorization: `Bearer ${keys.distributor}` },
      });
      if (response.status === 429) limited = response;
    }
    expect(limited).toBeDefined();
    expect(Number(limited!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await limited!.json()) as { code: string }).code).toBe('RATE_LIMITED');
    expect((await call('dispenser', 'GET', '/v1/me')).status).toBe(200);
  });

  it('opens the live stream with a short-lived ticket only; a key in the URL is refused', async () => {
    const base = `http://127.0.0.1:${services[0]!.port}/v1/stream`;
    const withKey = await fetch(`${base}?access_token=${keys.dispenser}`);
    expect(withKey.status).toBe(401);
    await withKey.body?.cancel();
    const forged = await fetch(`${base}?ticket=eyJrIjoiYWRtaW4iLCJlIjo5OTk5OTk5OTk5OTk5fQ.${'A'.repeat(43)}`);
    expect(forged.status).toBe(401);
    await forged.body?.cancel();
    const { ticket } = (
      await apiClient(services[0]!.port, keys.dispenser!).post<{ ticket: string }>('/v1/stream/tickets', {})
    ).body;
    tickets.push(ticket);
    const controller = new AbortController();
    const stream = await fetch(`${base}?ticket=${encodeURIComponent(ticket)}`, { signal: controller.signal });
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toContain('text/event-stream');
    controller.abort();
  });

  it('never writes a key, a stream ticket, a Kafka password or the admin token into a log', () => {
    const logs = services.map((s) => readFileSync(s.logFile, 'utf8')).join('\n');
    expect(logs.length).toBeGreaterThan(0);
    for (const secret of Object.values(keys)) expect(logs).not.toContain(secret!);
    for (const ticket of tickets) expect(logs).not.toContain(ticket.split('.')[1]!);
    expect(logs).not.toContain(TEST_ADMIN_TOKEN);
    expect(logs).not.toContain(context.config.kafkaSaslPassword);
    expect(logs).not.toContain(context.config.apiRelayPrivateKey!.slice(2));
  });
});
