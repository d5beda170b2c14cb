import {
  commissioningEvent,
  dispensingEvent,
  epcisDocument,
  glnOf,
  receivingEvent,
  sgtinUrn,
  shippingEvent,
  partyOf,
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

interface Alert {
  id: string;
  kind: string;
  severity: string;
  status: string;
  epcs: string[];
  evidence: { eventHashes: string[]; rules: string[]; models?: Record<string, string> };
  summary: string;
  comments: { action: string; text: string }[];
}

const party = partyOf;
const maker = party('4012345');
const berlin = party('4260001');
const lisbon = party('5600001');

/**
 * The counterfeit-detection path on the real pipeline: a pack dispensed in Berlin shows up at a pharmacy in Lisbon;
 * intelligence raises an alert within seconds, it streams to the dashboard's SSE feed, and people handle it.
 */
describe('counterfeit alerts', () => {
  let context: TestContext;
  const services: RunningService[] = [];
  const keys: Record<string, string> = {};
  const orgs: Record<string, string> = {};
  let api: (role: string) => ReturnType<typeof apiClient>;

  beforeAll(async () => {
    context = await createTestContext('counterfeit alerts', { deployContracts: false });
    // A short wait for preconditions, so a never-commissioned serial is settled within the test.
    const env = { ...context.env, INGEST_PARK_TIMEOUT_SECONDS: '4' };
    for (const name of ['api', 'ingest', 'intelligence'] as const)
      services.push(await startService(name, env, 180_000));
    const admin = apiClient(services[0]!.port, TEST_ADMIN_TOKEN);
    for (const [name, role, prefix, region, latitude, longitude] of [
      ['Acme Pharma', 'manufacturer', '4012345', 'DE', 50.1, 8.7],
      ['Apotheke Berlin', 'dispenser', '4260001', 'DE', 52.52, 13.4],
      ['Farmácia Lisboa', 'dispenser', '5600001', 'PT', 38.72, -9.14],
      ['Other Pharma', 'manufacturer', '5790001', 'DK', 55.7, 12.6],
      ['Medicines Agency', 'regulator', '4000001', 'DE', 52.5, 13.3],
    ] as const) {
      const org = await admin.post<{ id: string }>('/v1/admin/organisations', {
        name,
        role,
        companyPrefixes: [prefix],
        glns: [glnOf(prefix, 0), glnOf(prefix, 1)],
        region,
        latitude,
        longitude,
      });
      orgs[name] = org.body.id;
      keys[name] = (
        await admin.post<{ key: string }>(`/v1/admin/organisations/${org.body.id}/api-keys`, {
          label: 'test',
        })
      ).body.key;
    }
    api = (name: string) => apiClient(services[0]!.port, keys[name]);
  });

  afterAll(async () => {
    await Promise.all(services.map((s) => s.stop()));
    await context?.cleanup();
  });

  it('alerts within seconds when a pack dispensed in Berlin is dispensed again in Lisbon, live on the SSE feed', async () => {
    const pack = sgtinUrn('4012345', '12345', 'CF001');
    // A plausible genuine journey: Frankfurt to Berlin (423 km) by road in five hours, so it raises nothing itself.
    const t0 = Date.now() - 12 * 3600_000;
    const hour = 3600_000;
    const send = (publisher: string, events: Record<string, unknown>[]) =>
      produceDocuments(context.config, [
        { key: 'lot-CF', headers: publisherHeader(orgs[publisher]!), value: epcisDocument(events) },
      ]);
    await send('Acme Pharma', [
      commissioningEvent({ epcs: [pack], at: maker, time: new Date(t0), lot: 'CF', expiry: '2030-01-31' }),
      shippingEvent({ epcs: [pack], from: maker, to: berlin, time: new Date(t0 + 60_000) }),
    ]);
    await send('Apotheke Berlin', [
      receivingEvent({ epcs: [pack], from: maker, at: berlin, time: new Date(t0 + 5 * hour) }),
      dispensingEvent({ epcs: [pack], at: berlin, time: new Date(t0 + 6 * hour) }),
    ]);
    await waitFor(
      'the genuine history stored',
      async () => (await api('Medicines Agency').get(`/v1/provenance/${pack}`)).status === 200,
    );

    // The regulator's dashboard is listening.
    const controller = new AbortController();
    // EventSource cannot send a header: it opens the stream with a one-minute ticket, never the key itself.
    const { ticket } = (await api('Medicines Agency').post<{ ticket: string }>('/v1/stream/tickets', {}))
      .body;
    expect(ticket).not.toContain(keys['Medicines Agency']!);
    const stream = await fetch(`http://127.0.0.1:${services[0]!.port}/v1/stream?ticket=${ticket}`, {
      signal: controller.signal,
    });
    expect(stream.headers.get('content-type')).toContain('text/event-stream');
    const reader = stream.body!.getReader();
    const live = (async () => {
      let text = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return undefined;
        text += Buffer.from(value).toString('utf8');
        const match = /event: alert\n(?:id: .*\n)?data: (.+)\n/.exec(text);
        if (match) return JSON.parse(match[1]!) as Alert;
      }
    })();

    const injected = Date.now();
    await send('Farmácia Lisboa', [
      dispensingEvent({ epcs: [pack], at: lisbon, time: new Date(t0 + 6 * hour + 20 * 60_000) }),
    ]);
    const alert = await waitFor(
      'an alert on the pack',
      async () => {
        const page = await api('Medicines Agency').get<{ items: Alert[] }>(
          `/v1/alerts?epc=${encodeURIComponent(pack)}`,
        );
        return page.body.items.find((a) => a.kind === 'reappearance' || a.kind === 'cloned_serial');
      },
      60_000,
      250,
    );
    const latencyMs = Date.now() - injected;
    expect(latencyMs).toBeLessThan(15_000);
    // Every alert on the pack is about the second dispensing: the genuine journey before it raised none.
    const onPack = await api('Medicines Agency').get<{ items: Alert[] }>(
      `/v1/alerts?epc=${encodeURIComponent(pack)}`,
    );
    for (const each of onPack.body.items) expect(each.summary).toContain('Farmácia Lisboa');
    expect(['high', 'critical']).toContain(alert.severity);
    expect(alert.evidence.eventHashes.length).toBeGreaterThan(0);
    // The alert names the versions of the detector's models, whose cards GET /v1/models lists.
    expect(alert.evidence.models).toEqual({
      'anomaly-shipment': expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      'anomaly-pharmacy-week': expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });

    const pushed = await Promise.race([
      live,
      new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 15_000)),
    ]);
    controller.abort();
    expect(pushed?.epcs).toContain(pack);

    const verdict = await api('Apotheke Berlin').get<{ reasons: { code: string }[] }>(
      `/v1/verify?gtin=04012345123456&serial=CF001`,
    );
    expect(verdict.body.reasons.map((r) => r.code)).toContain('SUSPECT');
  });

  it('alerts on a serial nobody commissioned once its wait for a commissioning is over, and never verifies it', async () => {
    const fake = sgtinUrn('4012345', '12345', 'NEVER-MADE-1');
    await produceDocuments(context.config, [
      {
        key: 'lot-CF',
        headers: publisherHeader(orgs['Farmácia Lisboa']!),
        value: epcisDocument([
          dispensingEvent({ epcs: [fake], at: lisbon, time: new Date(Date.now() - 60_000) }),
        ]),
      },
    ]);
    // Ingest parks it (the commissioning may be late), then stores it as flagged evidence: intelligence must see that.
    const alert = await waitFor(
      'an unknown-serial alert',
      async () =>
        (
          await api('Medicines Agency').get<{ items: Alert[] }>(`/v1/alerts?epc=${encodeURIComponent(fake)}`)
        ).body.items.find((a) => a.kind === 'unknown_serial'),
      60_000,
      500,
    );
    expect(alert.evidence.rules).toContain('RULE_NOT_COMMISSIONED');
    expect(alert.summary).toContain('never commissioned');
    // The pharmacy that dispensed it sees the alert; the manufacturer whose prefix it abuses does too.
    for (const member of ['Farmácia Lisboa', 'Acme Pharma']) {
      expect((await api(member).get(`/v1/alerts/${alert.id}`)).status).toBe(200);
    }
    const verdict = await api('Apotheke Berlin').get<{ verified: boolean }>(
      `/v1/verify?gtin=04012345123456&serial=NEVER-MADE-1`,
    );
    expect(verdict.body.verified).toBe(false);

    // Then the brand owner's late upload commissions it: the alert no longer holds, and closes itself, saying why.
    await produceDocuments(context.config, [
      {
        key: 'lot-CF',
        headers: publisherHeader(orgs['Acme Pharma']!),
        value: epcisDocument([
          commissioningEvent({
            epcs: [fake],
            at: maker,
            time: new Date(Date.now() - 3_600_000),
            lot: 'CF',
            expiry: '2030-01-31',
          }),
        ]),
      },
    ]);
    const closed = await waitFor(
      'the alert closed by the evidence',
      async () => {
        const detail = await api('Medicines Agency').get<Alert>(`/v1/alerts/${alert.id}`);
        return detail.body.status === 'resolved' ? detail.body : undefined;
      },
      30_000,
      500,
    );
    expect(closed.comments).toEqual([
      expect.objectContaining({
        action: 'resolve',
        text: expect.stringContaining('commissioned by its brand owner'),
      }),
    ]);
  });

  it('lets people acknowledge and resolve an alert with a comment, and shows it only to those concerned', async () => {
    const alert = (
      await api('Medicines Agency').get<{ items: Alert[] }>('/v1/alerts?status=open')
    ).body.items.find((a) => a.kind === 'reappearance' || a.kind === 'cloned_serial');
    expect(alert).toBeDefined();
    const detail = await api('Medicines Agency').get<Alert & { events: { eventHash: string }[] }>(
      `/v1/alerts/${alert!.id}`,
    );
    expect(detail.body.events.length).toBeGreaterThan(0);

    const empty = await api('Medicines Agency').post<{ field: string }>(
      `/v1/alerts/${alert!.id}/acknowledge`,
      { comment: '' },
    );
    expect(empty.status).toBe(400);
    expect(empty.body.field).toBe('comment');
    const acknowledged = await api('Medicines Agency').post<Alert>(`/v1/alerts/${alert!.id}/acknowledge`, {
      comment: 'Quarantine requested',
    });
    expect(acknowledged.body).toMatchObject({
      status: 'acknowledged',
      comments: [{ action: 'acknowledge', text: 'Quarantine requested' }],
    });
    // The pharmacy whose dispensing is the evidence may comment, never resolve: resolving clears the suspicion.
    const bySuspect = await api('Farmácia Lisboa').post<{ code: string }>(`/v1/alerts/${alert!.id}/resolve`, {
      comment: 'all fine here',
    });
    expect([bySuspect.status, bySuspect.body.code]).toEqual([403, 'ALERT_NOT_A_RESOLVER']);
    const byDispenser = await api('Apotheke Berlin').post<{ code: string }>(
      `/v1/alerts/${alert!.id}/resolve`,
      {
        comment: 'not ours to close',
      },
    );
    expect([403, 404]).toContain(byDispenser.status);
    const resolved = await api('Medicines Agency').post<Alert>(`/v1/alerts/${alert!.id}/resolve`, {
      comment: 'Copy seized',
    });
    expect(resolved.body.status).toBe('resolved');
    const again = await api('Medicines Agency').post<{ code: string }>(`/v1/alerts/${alert!.id}/resolve`, {
      comment: 'twice',
    });
    expect(again.status).toBe(409);

    // Another manufacturer has nothing to do with this pack.
    const outsider = await api('Other Pharma').get<{ items: Alert[] }>('/v1/alerts');
    expect(outsider.body.items).toHaveLength(0);
    expect((await api('Other Pharma').get(`/v1/alerts/${alert!.id}`)).status).toBe(404);
  });
});
