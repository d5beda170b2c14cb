import {
  commissioningEvent,
  epcisDocument,
  packingEvent,
  type Party,
  pglnUrn,
  sglnUrn,
  sgtinUrn,
  shippingEvent,
  ssccUrn,
} from '@pedigree/epcis';
import {
  apiClient,
  createTestContext,
  registerMember,
  type RunningService,
  startService,
  TEST_ADMIN_TOKEN,
  type TestContext,
  waitFor,
} from '@pedigree/testing';
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import WebSocket from 'ws';

type Client = ReturnType<typeof apiClient>;
type Event = Record<string, unknown> & { eventID?: string; epcList?: string[] };
interface QueryDocument {
  type: string;
  epcisBody: {
    queryResults: { queryName: string; subscriptionID?: string; resultsBody: { eventList: Event[] } };
  };
}

const maker: Party = { companyPrefix: '4012345', pgln: pglnUrn('4012345', 0), site: sglnUrn('4012345', 1) };
const wholesaler: Party = {
  companyPrefix: '4098765',
  pgln: pglnUrn('4098765', 0),
  site: sglnUrn('4098765', 1),
};
const TOKEN = 'subscription-secret-0123456789';

/** A webhook receiver whose answers the test scripts: each request takes the next behaviour, then `ok`. */
class Receiver {
  readonly requests: { body: string; signature?: string; deliveryId?: string; outcome: string }[] = [];
  private server!: Server;
  constructor(private readonly script: ('fail500' | 'hang' | 'reset' | 'ok')[]) {}

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const outcome = this.script.shift() ?? 'ok';
    this.requests.push({
      body: Buffer.concat(chunks).toString('utf8'),
      signature: req.headers['gs1-signature'] as string | undefined,
      deliveryId: req.headers['pedigree-delivery-id'] as string | undefined,
      outcome,
    });
    if (outcome === 'fail500') res.writeHead(500).end('busy');
    else if (outcome === 'reset') req.socket.destroy();
    else if (outcome === 'ok') res.writeHead(204).end();
    // 'hang': never answer; the sender's timeout gives up.
  }

  accepted(): QueryDocument[] {
    return this.requests.filter((r) => r.outcome === 'ok').map((r) => JSON.parse(r.body) as QueryDocument);
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/**
 * The EPCIS 2.0 query interface beyond the basic filters, on the real stack (API → Kafka → ingest → PostgreSQL):
 * the standard's further parameters, named queries, and webhook subscriptions delivered at least once to a receiver
 * that fails, times out and drops the connection before it accepts.
 */
describe('EPCIS queries, named queries and subscriptions', () => {
  let context: TestContext;
  const services: RunningService[] = [];
  let makerApi: Client;
  let wholesalerApi: Client;
  const keys: Record<string, string> = {};
  const run = String(Date.now() % 1_000_000);
  const serials = [1, 2, 3].map((i) => sgtinUrn('4012345', '12345', `Q${run}${i}`));
  const case_ = ssccUrn('4012345', Number(run));
  const t0 = Date.now() - 3_600_000;
  const at = (minutes: number) => new Date(t0 + minutes * 60_000);

  beforeAll(async () => {
    context = await createTestContext('epcis query', {
      deployContracts: false,
      env: { SUBSCRIPTION_TIMEOUT_MS: '700', SUBSCRIPTION_MAX_BACKOFF_SECONDS: '2' },
    });
    services.push(await startService('api', context.env), await startService('ingest', context.env));
    const admin = apiClient(services[0]!.port, TEST_ADMIN_TOKEN);
    const member = async (name: string, role: string, prefix: string) => {
      keys[role] = (await registerMember(admin, { name, role, prefix })).key;
      return apiClient(services[0]!.port, keys[role]);
    };
    makerApi = await member('Query Pharma', 'manufacturer', '4012345');
    wholesalerApi = await member('Query Wholesale', 'distributor', '4098765');
    const sensorEvent = {
      type: 'ObjectEvent',
      eventTime: at(3).toISOString(),
      eventTimeZoneOffset: '+00:00',
      action: 'OBSERVE',
      bizStep: 'inspecting',
      epcList: [serials[0]],
      readPoint: { id: maker.site },
      'example:grade': 'A',
      sensorElementList: [
        {
          sensorMetadata: { time: at(3).toISOString(), deviceID: 'urn:epc:id:giai:4012345.9' },
          sensorReport: [{ type: 'gs1:Temperature', value: 9.5, uom: 'CEL' }],
        },
      ],
    };
    const document = epcisDocument([
      commissioningEvent({ epcs: serials, at: maker, time: at(1), lot: `L${run}`, expiry: '2028-01-31' }),
      packingEvent({ parent: case_, children: serials, at: maker, time: at(2) }),
      sensorEvent,
      shippingEvent({
        epcs: [case_],
        from: maker,
        to: wholesaler,
        time: at(4),
        despatchAdvice: `urn:epcglobal:cbv:bt:4012345000009:DA${run}`,
      }),
    ]);
    (document['@context'] as unknown[]).push({ example: 'https://ns.example.com/epcis/' });
    await capture(makerApi, document);
  });

  afterAll(async () => {
    await Promise.all(services.map((s) => s.stop()));
    await context?.cleanup();
  });

  async function capture(client: Client, document: unknown): Promise<void> {
    const response = await client.request('POST', '/epcis/v2/capture', JSON.stringify(document), {
      'content-type': 'application/ld+json',
    });
    expect(response.status).toBe(202);
    const location = response.headers.get('location')!;
    const job = await waitFor(
      `capture ${location}`,
      async () => {
        const body = (await client.get<{ running: boolean; success: boolean; errors: unknown[] }>(location))
          .body;
        return body.running ? undefined : body;
      },
      60_000,
      200,
    );
    expect(job.errors).toEqual([]);
  }

  async function events(client: Client, query: string): Promise<Event[]> {
    const response = await client.get<QueryDocument & { detail?: string }>(`/epcis/v2/events?${query}`);
    expect([query, response.status, response.body.detail]).toEqual([query, 200, undefined]);
    return response.body.epcisBody.queryResults.resultsBody.eventList;
  }
  const bizSteps = (list: Event[]) => list.map((e) => e.bizStep);
  const mine = `GE_eventTime=${encodeURIComponent(at(0).toISOString())}&LT_eventTime=${encodeURIComponent(at(10).toISOString())}`;

  it('answers the standard parameters beyond the basic filters', async () => {
    expect(bizSteps(await events(makerApi, `${mine}&EQ_action=ADD`))).toEqual(['commissioning', 'packing']);
    expect(bizSteps(await events(makerApi, `${mine}&MATCH_parentID=${encodeURIComponent(case_)}`))).toEqual([
      'packing',
    ]);
    expect(
      bizSteps(
        await events(
          makerApi,
          `${mine}&EQ_bizTransaction_desadv=${encodeURIComponent(`urn:epcglobal:cbv:bt:4012345000009:DA${run}`)}`,
        ),
      ),
    ).toEqual(['shipping']);
    expect(
      bizSteps(
        await events(makerApi, `${mine}&EQ_destination_owning_party=${encodeURIComponent(wholesaler.pgln)}`),
      ),
    ).toEqual(['shipping']);
    expect(
      bizSteps(await events(makerApi, `${mine}&EQ_source_location=${encodeURIComponent(wholesaler.site)}`)),
    ).toEqual([]);
    expect(bizSteps(await events(makerApi, `${mine}&EQ_ILMD_cbvmda:lotNumber=L${run}`))).toEqual([
      'commissioning',
    ]);
    expect(
      bizSteps(await events(makerApi, `${mine}&GE_ILMD_cbvmda:itemExpirationDate=2028-01-01T00:00:00Z`)),
    ).toEqual([]);
    expect(bizSteps(await events(makerApi, `${mine}&EXISTS_example:grade`))).toEqual(['inspecting']);
    expect(bizSteps(await events(makerApi, `${mine}&EQ_type=Temperature&GE_value_CEL=8`))).toEqual([
      'inspecting',
    ]);
    expect(bizSteps(await events(makerApi, `${mine}&EQ_type=Temperature&GE_value_CEL=20`))).toEqual([]);
    expect(
      bizSteps(
        await events(makerApi, `${mine}&EQ_deviceID=${encodeURIComponent('urn:epc:id:giai:4012345.9')}`),
      ),
    ).toEqual(['inspecting']);
    expect(bizSteps(await events(makerApi, `${mine}&EXISTS_errorDeclaration=true`))).toEqual([]);
    expect(bizSteps(await events(makerApi, `${mine}&orderBy=eventTime&orderDirection=DESC`))).toEqual([
      'shipping',
      'inspecting',
      'packing',
      'commissioning',
    ]);
    // What the caller may see does not change with the parameters: none of this is the wholesaler's.
    expect(await events(wholesalerApi, `${mine}&EQ_action=ADD`)).toEqual([]);
  });

  it('answers in EPCIS 2.0 XML when the client prefers it (Accept), JSON-LD otherwise', async () => {
    const path = `/epcis/v2/events?${mine}&EQ_action=ADD`;
    const xml = await makerApi.get<string>(path, { accept: 'application/xml' });
    expect([xml.status, xml.contentType]).toEqual([200, expect.stringMatching(/^application\/xml/)]);
    expect(xml.body).toMatch(/<epcisq:EPCISQueryDocument[^>]*xmlns:epcisq="urn:epcglobal:epcis-query:xsd:2"/);
    for (const epc of serials) expect(xml.body).toContain(`<epc>${epc}</epc>`);
    expect(xml.body).toContain(`<parentID>${case_}</parentID>`);
    const json = await makerApi.get<QueryDocument>(path, { accept: 'application/json' });
    expect([json.status, json.contentType]).toEqual([200, expect.stringMatching(/^application\/json/)]);
    const ld = await makerApi.get<QueryDocument>(path, { accept: '*/*' });
    expect(ld.contentType).toMatch(/^application\/ld\+json/);
    expect(ld.body.epcisBody.queryResults.resultsBody.eventList).toHaveLength(2);
  });

  it('caps results with eventCountLimit across pages, and refuses with maxEventCount', async () => {
    const first = await makerApi.get<QueryDocument>(`/epcis/v2/events?${mine}&eventCountLimit=3&perPage=2`);
    expect(first.body.epcisBody.queryResults.resultsBody.eventList).toHaveLength(2);
    const next = /<([^>]+)>; rel="next"/.exec(first.headers.get('link') ?? '')?.[1];
    const second = await makerApi.get<QueryDocument>(next!);
    expect(second.body.epcisBody.queryResults.resultsBody.eventList).toHaveLength(1);
    expect(second.headers.get('link')).toBeNull();
    const tooMany = await makerApi.get<{ code: string; field: string }>(
      `/epcis/v2/events?${mine}&maxEventCount=3`,
    );
    expect([tooMany.status, tooMany.body.field]).toEqual([413, 'maxEventCount']);
    const wrongOrder = await makerApi.get<{ field: string }>(`${next!}&orderBy=recordTime`);
    expect([wrongOrder.status, wrongOrder.body.field]).toEqual([400, 'nextPageToken']);
  });

  it('saves, runs, lists and deletes named queries, each organisation in its own space', async () => {
    const created = await makerApi.post<{ name: string }>('/epcis/v2/queries', {
      name: 'adds',
      query: { EQ_action: ['ADD'], GE_eventTime: at(0).toISOString(), LT_eventTime: at(10).toISOString() },
    });
    expect([created.status, created.headers.get('location')]).toEqual([201, '/epcis/v2/queries/adds']);
    const again = await makerApi.post<{ code: string }>('/epcis/v2/queries', { name: 'adds', query: {} });
    expect([again.status, again.body.code]).toEqual([409, 'QUERY_EXISTS']);
    const bad = await makerApi.post<{ field: string }>('/epcis/v2/queries', {
      name: 'bad',
      query: { EQ_colour: 'red' },
    });
    expect([bad.status, bad.body.field]).toEqual([400, 'EQ_colour']);
    const results = await makerApi.get<QueryDocument>('/epcis/v2/queries/adds/events');
    expect(results.body.epcisBody.queryResults.queryName).toBe('adds');
    expect(bizSteps(results.body.epcisBody.queryResults.resultsBody.eventList)).toEqual([
      'commissioning',
      'packing',
    ]);
    expect((await makerApi.get<{ name: string }[]>('/epcis/v2/queries')).body.map((q) => q.name)).toEqual([
      'adds',
    ]);
    expect((await wholesalerApi.get('/epcis/v2/queries/adds')).status).toBe(404);
    expect((await wholesalerApi.get('/epcis/v2/queries')).body).toEqual([]);
    const widened = await makerApi.get<{ field: string }>('/epcis/v2/queries/adds/events?EQ_action=DELETE');
    expect([widened.status, widened.body.field]).toEqual([400, 'EQ_action']);
    expect((await makerApi.request('DELETE', '/epcis/v2/queries/adds')).status).toBe(204);
    expect((await makerApi.get('/epcis/v2/queries/adds')).status).toBe(404);
  });

  it('delivers a stream subscription at least once: nothing lost and nothing advanced before a 2xx', async () => {
    const receiver = new Receiver(['fail500', 'hang', 'reset']);
    const dest = await receiver.start();
    try {
      await makerApi.post('/epcis/v2/queries', { name: 'shipments', query: { EQ_bizStep: 'shipping' } });
      const refused = await makerApi.post<{ field: string; code: string }>(
        '/epcis/v2/queries/shipments/subscriptions',
        {
          dest: 'https://user:pw@erp.example.com/hook',
          stream: true,
        },
      );
      expect([refused.status, refused.body.field]).toEqual([400, 'dest']);
      const subscribed = await makerApi.post<{ subscriptionID: string }>(
        '/epcis/v2/queries/shipments/subscriptions',
        {
          dest,
          stream: true,
          signatureToken: TOKEN,
        },
      );
      expect(subscribed.status).toBe(201);
      const id = subscribed.body.subscriptionID;
      expect((await wholesalerApi.get(`/epcis/v2/queries/shipments/subscriptions/${id}`)).status).toBe(404);

      // Two more shipments after the subscription: only those are delivered (it starts from now).
      const shipped: string[] = [];
      for (const n of [1, 2]) {
        const epc = sgtinUrn('4012345', '12345', `S${run}${n}`);
        shipped.push(epc);
        await capture(
          makerApi,
          epcisDocument([
            commissioningEvent({
              epcs: [epc],
              at: maker,
              time: at(5 + n),
              lot: `L${run}`,
              expiry: '2028-01-31',
            }),
            shippingEvent({ epcs: [epc], from: maker, to: wholesaler, time: at(6 + n) }),
          ]),
        );
      }
      const delivered = await waitFor(
        'both shipments accepted by the receiver',
        () => {
          const epcs = receiver
            .accepted()
            .flatMap((d) => d.epcisBody.queryResults.resultsBody.eventList.flatMap((e) => e.epcList ?? []));
          return Promise.resolve(shipped.every((e) => epcs.includes(e)) ? epcs : undefined);
        },
        60_000,
        250,
      );
      // Only this member's shipments (an earlier one may come too: the start is the oldest running transaction).
      expect(delivered.every((e) => e.startsWith('urn:epc:id:sgtin:4012345.') || e === case_)).toBe(true);
      expect(receiver.requests.slice(0, 3).map((r) => r.outcome)).toEqual(['fail500', 'hang', 'reset']);
      // Not advanced early: what the failed attempts carried came again in an accepted delivery.
      const failedEvents = receiver.requests
        .filter((r) => r.outcome !== 'ok')
        .flatMap((r) =>
          (JSON.parse(r.body) as QueryDocument).epcisBody.queryResults.resultsBody.eventList.flatMap(
            (e) => e.epcList ?? [],
          ),
        );
      expect(failedEvents.length).toBeGreaterThan(0);
      for (const epc of failedEvents) expect(delivered).toContain(epc);
      for (const request of receiver.requests) {
        expect(request.signature).toBe(
          `sha256=${createHmac('sha256', TOKEN).update(request.body).digest('hex')}`,
        );
        expect((JSON.parse(request.body) as QueryDocument).epcisBody.queryResults.subscriptionID).toBe(id);
      }
      const state = await makerApi.get<{ deliveredEvents: number; failures: number; signed: boolean }>(
        `/epcis/v2/queries/shipments/subscriptions/${id}`,
      );
      expect(state.body).toMatchObject({ failures: 0, signed: true });
      expect(state.body.deliveredEvents).toBeGreaterThanOrEqual(2);
      expect(JSON.stringify(state.body)).not.toContain(TOKEN);
      expect(
        (await makerApi.request('DELETE', `/epcis/v2/queries/shipments/subscriptions/${id}`)).status,
      ).toBe(204);
    } finally {
      await receiver.stop();
    }
  });

  it('streams a named query over a WebSocket as events are recorded, to its organisation only', async () => {
    await makerApi.post('/epcis/v2/queries', { name: 'live-shipping', query: { EQ_bizStep: 'shipping' } });
    const url = `ws://127.0.0.1:${services[0]!.port}/epcis/v2/queries/live-shipping/events`;
    const refusal = (headers: Record<string, string>, target = url) =>
      new Promise<number>((resolve) => {
        const ws = new WebSocket(target, { headers });
        ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        ws.on('open', () => resolve(101));
      });
    expect(await refusal({})).toBe(401);
    expect(await refusal({ authorization: `Bearer ${keys.distributor}` })).toBe(404);
    const ws = new WebSocket(url, { headers: { authorization: `Bearer ${keys.manufacturer}` } });
    const received: QueryDocument[] = [];
    ws.on('message', (data: Buffer) => received.push(JSON.parse(data.toString('utf8')) as QueryDocument));
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    try {
      const epc = sgtinUrn('4012345', '12345', `W${run}`);
      await capture(
        makerApi,
        epcisDocument([
          commissioningEvent({ epcs: [epc], at: maker, time: at(20), lot: `L${run}`, expiry: '2028-01-31' }),
          shippingEvent({ epcs: [epc], from: maker, to: wholesaler, time: at(21) }),
        ]),
      );
      const pushed = await waitFor(
        'the shipment pushed on the WebSocket',
        () =>
          Promise.resolve(
            received.find((d) =>
              d.epcisBody.queryResults.resultsBody.eventList.some((e) => e.epcList?.includes(epc)),
            ),
          ),
        30_000,
        200,
      );
      expect(pushed.epcisBody.queryResults.queryName).toBe('live-shipping');
      expect(
        received
          .flatMap((d) => d.epcisBody.queryResults.resultsBody.eventList)
          .every((e) => e.bizStep === 'shipping'),
      ).toBe(true);
    } finally {
      ws.close();
    }
  });

  it('delivers a scheduled subscription with reportIfEmpty even when nothing matched', async () => {
    const receiver = new Receiver([]);
    const dest = await receiver.start();
    try {
      await makerApi.post('/epcis/v2/queries', { name: 'nothing', query: { EQ_bizStep: 'destroying' } });
      const bad = await makerApi.post<{ field: string }>('/epcis/v2/queries/nothing/subscriptions', {
        dest,
        schedule: { minute: 'often' },
      });
      expect([bad.status, bad.body.field]).toEqual([400, 'schedule.minute']);
      const subscribed = await makerApi.post<{ subscriptionID: string }>(
        '/epcis/v2/queries/nothing/subscriptions',
        {
          dest,
          schedule: { second: '*/2' },
          reportIfEmpty: true,
        },
      );
      expect(subscribed.status).toBe(201);
      const empty = await waitFor(
        'an empty scheduled report',
        () => Promise.resolve(receiver.accepted()[0]),
        20_000,
        200,
      );
      expect(empty.epcisBody.queryResults).toMatchObject({
        queryName: 'nothing',
        subscriptionID: subscribed.body.subscriptionID,
        resultsBody: { eventList: [] },
      });
      expect(receiver.requests[0]!.signature).toBeUndefined();
    } finally {
      await receiver.stop();
    }
  });
});
