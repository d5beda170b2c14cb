import {
  commissioningEvent,
  epcisDocument,
  epcisMasterDataDocument,
  gtinOf,
  packingEvent,
  partyOf,
  sgtinUrn,
  shippingEvent,
  ssccUrn,
} from '@pedigree/epcis';
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

interface Verification {
  status: string;
  reasons: { code: string }[];
}
interface Alert {
  kind: string;
  severity: string;
  epcs: string[];
  summary: string;
}

const maker = partyOf('4012345');
const wholesaler = partyOf('4098765');
/** A vaccine stored at 2–8 °C (its owner says so in master data), and a tablet that states no range. */
const vaccine = (serial: string) => sgtinUrn('4012345', '12345', serial);
const tablet = (serial: string) => sgtinUrn('4012345', '54321', serial);

function withTemperature(event: Record<string, unknown>, celsius: number): Record<string, unknown> {
  return {
    ...event,
    sensorElementList: [
      {
        sensorMetadata: { time: event.eventTime, deviceID: 'urn:epc:id:giai:4012345.77' },
        sensorReport: [{ type: 'gs1:Temperature', value: celsius, uom: 'CEL' }],
      },
    ],
  };
}

/**
 * Cold chain on the real pipeline (Kafka → ingest → PostgreSQL → api, intelligence for alerts): a shipment whose
 * sensor recorded a temperature outside a product's storage range (from its owner's master data) flags the case
 * and every pack of that product in it; verification answers TEMPERATURE_EXCURSION for those packs only, and one
 * alert opens on the case.
 */
describe('cold chain', () => {
  let context: TestContext;
  const services: RunningService[] = [];
  const orgs: Record<string, string> = {};
  const keys: Record<string, string> = {};
  const api = (name: string) => apiClient(services[0]!.port, keys[name]);
  const send = (publisher: string, key: string, document: object) =>
    produceDocuments(context.config, [{ key, headers: publisherHeader(orgs[publisher]!), value: document }]);
  const hot = ssccUrn('4012345', 501);
  const cool = ssccUrn('4012345', 502);
  const t0 = Date.now() - 3_600_000;
  const at = (minutes: number) => new Date(t0 + minutes * 60_000);

  beforeAll(async () => {
    context = await createTestContext('cold chain', { deployContracts: false });
    for (const name of ['api', 'ingest', 'intelligence'] as const)
      services.push(await startService(name, context.env, 180_000));
    const admin = apiClient(services[0]!.port, TEST_ADMIN_TOKEN);
    for (const [name, role, prefix] of [
      ['Vaccine Maker', 'manufacturer', '4012345'],
      ['Cold Wholesale', 'distributor', '4098765'],
    ] as const) {
      const member = await registerMember(admin, { name, role, prefix });
      orgs[role] = member.id;
      keys[role] = member.key;
    }
    await send(
      'manufacturer',
      'md',
      epcisMasterDataDocument([
        {
          type: 'urn:epcglobal:epcis:vtype:EPCClass',
          vocabularyElementList: [
            {
              id: 'urn:epc:idpat:sgtin:4012345.012345.*',
              attributes: [
                { id: 'cbvmda:regulatedProductName', attribute: 'Measles vaccine' },
                { id: 'https://gs1.org/voc/minimumTemperature', attribute: 2 },
                { id: 'https://gs1.org/voc/maximumTemperature', attribute: '8 CEL' },
              ],
            },
          ],
        },
      ]),
    );
    // A shipper that would rather not see excursions states a wider range for the maker's product: kept as its
    // own view, never the range ingest checks against.
    await send(
      'distributor',
      'md-shipper',
      epcisMasterDataDocument([
        {
          type: 'urn:epcglobal:epcis:vtype:EPCClass',
          vocabularyElementList: [
            {
              id: 'urn:epc:idpat:sgtin:4012345.012345.*',
              attributes: [{ id: 'https://gs1.org/voc/maximumTemperature', attribute: 30 }],
            },
          ],
        },
      ]),
    );
    // Master data first: a range applies to events ingested after it.
    await waitFor(
      'both statements about the vaccine',
      async () => {
        const md = await api('manufacturer').get<{ statements?: unknown[] }>(
          `/v1/master-data/${encodeURIComponent('urn:epc:idpat:sgtin:4012345.012345.*')}`,
        );
        return md.status === 200 && (md.body.statements?.length ?? 0) >= 2;
      },
      30_000,
    );
    await new Promise((resolve) => setTimeout(resolve, 5500)); // ingest reloads ranges every 5 s
    const hotPacks = [vaccine('H1'), vaccine('H2'), tablet('H3')];
    const coolPacks = [vaccine('C1')];
    await send(
      'manufacturer',
      'cold',
      epcisDocument([
        commissioningEvent({
          epcs: [...hotPacks, ...coolPacks],
          at: maker,
          time: at(1),
          lot: 'V1',
          expiry: '2028-01-31',
        }),
        packingEvent({ parent: hot, children: hotPacks, at: maker, time: at(2) }),
        packingEvent({ parent: cool, children: coolPacks, at: maker, time: at(2) }),
        withTemperature(shippingEvent({ epcs: [hot], from: maker, to: wholesaler, time: at(3) }), 14.5),
        withTemperature(shippingEvent({ epcs: [cool], from: maker, to: wholesaler, time: at(3) }), 5),
      ]),
    );
  });

  afterAll(async () => {
    await Promise.all(services.map((s) => s.stop()));
    await context?.cleanup();
  });

  const verify = async (epc: string) => {
    const [, , serial] = /^urn:epc:id:sgtin:(\d+)\.(\d+)\.(.+)$/.exec(epc)!.slice(1);
    const gtin = epc.includes('.012345.') ? gtinOf('4012345', '12345') : gtinOf('4012345', '54321');
    return (await api('distributor').get<Verification>(`/v1/verify?gtin=${gtin}&serial=${serial}`)).body;
  };

  it('answers TEMPERATURE_EXCURSION for the packs of the product whose range the shipment left, and only them', async () => {
    const answer = await waitFor(
      'the hot vaccine pack to be verified',
      async () => {
        const v = await verify(vaccine('H1'));
        return v.reasons.some((r) => r.code === 'TEMPERATURE_EXCURSION') ? v : undefined;
      },
      60_000,
      500,
    );
    expect(answer.status).toBe('not_verified');
    expect(answer.reasons.map((r) => r.code)).not.toContain('SUSPECT');
    const codes = async (epc: string) => (await verify(epc)).reasons.map((r) => r.code);
    expect(await codes(vaccine('H2'))).toContain('TEMPERATURE_EXCURSION');
    // The tablet in the same case states no range; the vaccine shipped at 5 °C stayed within its own.
    expect(await codes(tablet('H3'))).not.toContain('TEMPERATURE_EXCURSION');
    expect(await codes(vaccine('C1'))).not.toContain('TEMPERATURE_EXCURSION');
  });

  it('opens one alert on the case, naming it and the vaccine packs', async () => {
    const alerts = await waitFor(
      'the temperature alert',
      async () => {
        const body = (
          await api('manufacturer').get<{ items: Alert[] }>('/v1/alerts?kind=temperature_excursion')
        ).body;
        return body.items.length > 0 ? body.items : undefined;
      },
      60_000,
      500,
    );
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.severity).toBe('high');
    expect(new Set(alerts[0]!.epcs)).toEqual(new Set([hot, vaccine('H1'), vaccine('H2')]));
    expect(alerts[0]!.summary).toMatch(/14.5 °C/);
    // The receiver sees it too: the consignment was on its way to it.
    const theirs = (await api('distributor').get<{ items: Alert[] }>('/v1/alerts?kind=temperature_excursion'))
      .body;
    expect(theirs.items).toHaveLength(1);
  });

  it('finds the shipment by its sensor reading in the EPCIS query', async () => {
    const found = await api('manufacturer').get<{
      epcisBody: { queryResults: { resultsBody: { eventList: { epcList: string[] }[] } } };
    }>('/epcis/v2/events?EQ_type=Temperature&GT_value_CEL=8');
    expect(found.body.epcisBody.queryResults.resultsBody.eventList.map((e) => e.epcList)).toEqual([[hot]]);
  });
});
