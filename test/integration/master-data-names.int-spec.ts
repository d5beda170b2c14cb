import {
  commissioningEvent,
  dispensingEvent,
  epcisDocument,
  glnOf,
  partyOf,
  receivingEvent,
  sgtinUrn,
  shippingEvent,
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

interface Name {
  kind: string;
  label: string;
  source: 'owner' | 'own' | 'registry';
}
interface Shipment {
  fromParty: string | null;
  toParty: string | null;
  gtins: string[];
}
interface Alert {
  id: string;
  summary: string;
  gtin: string | null;
  epcs: string[];
}

const maker = partyOf('4012345');
const wholesaler = partyOf('4098765');
const berlin = partyOf('4260001');
const lisbon = partyOf('5600001');
const gtin = '04012345123456';
const productClass = 'urn:epc:idpat:sgtin:4012345.012345.*';
const pack = sgtinUrn('4012345', '12345', 'MD001');
const berlinParty = glnOf('4260001', 0);

/** A header-only EPCIS document stating master data (CBV attributes by local name). */
function masterDataDocument(type: string, elements: { id: string; attributes: Record<string, string> }[]) {
  return {
    ...epcisDocument([]),
    epcisHeader: {
      epcisMasterData: {
        vocabularyList: [
          {
            type: `urn:epcglobal:epcis:vtype:${type}`,
            vocabularyElementList: elements.map((e) => ({
              id: e.id,
              attributes: Object.entries(e.attributes).map(([id, attribute]) => ({
                id: `cbvmda:${id}`,
                attribute,
              })),
            })),
          },
        ],
      },
    },
  };
}

/**
 * Master data names what people read, on the real pipeline (Kafka → ingest → PostgreSQL → api, and intelligence for
 * alerts): shipments and alerts carry product and place names, each reader sees the owner's statement or its own
 * organisation's, never another member's view, and alert sentences name the product and the pharmacies.
 */
describe('master data names in API answers and alerts', () => {
  let context: TestContext;
  const services: RunningService[] = [];
  const orgs: Record<string, string> = {};
  const keys: Record<string, string> = {};
  const api = (name: string) => apiClient(services[0]!.port, keys[name]);

  const send = (publisher: string, document: object) =>
    produceDocuments(context.config, [
      { key: 'lot-MD', headers: publisherHeader(orgs[publisher]!), value: document },
    ]);

  beforeAll(async () => {
    context = await createTestContext('master data names', { deployContracts: false });
    for (const name of ['api', 'ingest', 'intelligence'] as const)
      services.push(await startService(name, context.env, 180_000));
    const admin = apiClient(services[0]!.port, TEST_ADMIN_TOKEN);
    for (const [name, role, prefix, region, latitude, longitude] of [
      ['Rhenus Pharma AG', 'manufacturer', '4012345', 'DE', 50.94, 6.96],
      ['Central Pharma Distribution', 'distributor', '4098765', 'DE', 50.11, 8.68],
      ['Apotheke Berlin', 'dispenser', '4260001', 'DE', 52.52, 13.4],
      ['Farmácia Lisboa', 'dispenser', '5600001', 'PT', 38.72, -9.14],
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

    // The maker describes its product; the wholesaler files its own name for the product and for the pharmacy.
    await send(
      'Rhenus Pharma AG',
      masterDataDocument('EPCClass', [
        {
          id: productClass,
          attributes: { regulatedProductName: 'Amoxicillin', strengthDescription: '500 mg' },
        },
      ]),
    );
    await send(
      'Central Pharma Distribution',
      masterDataDocument('EPCClass', [
        { id: productClass, attributes: { regulatedProductName: 'Amoxi generic' } },
      ]),
    );
    await send(
      'Central Pharma Distribution',
      masterDataDocument('Location', [
        { id: berlin.pgln, attributes: { name: 'Markt-Apotheke (our filing)' } },
        { id: berlin.site, attributes: { name: 'Markt-Apotheke, shop (our filing)' } },
      ]),
    );
    await waitFor(
      'both statements about the product and the wholesaler’s about the pharmacy stored',
      async () => {
        const product = await api('Rhenus Pharma AG').get<{ statements: unknown[] }>(
          `/v1/master-data/${encodeURIComponent(productClass)}`,
        );
        const place = await api('Rhenus Pharma AG').get<{ statements: unknown[] }>(
          `/v1/master-data/${encodeURIComponent(berlin.pgln)}`,
        );
        return product.body.statements?.length === 2 && place.body.statements?.length === 1;
      },
    );

    // One pack from the maker through the wholesaler to Berlin, dispensed there, at a truck's pace.
    const t0 = Date.now() - 24 * 3600_000;
    const at = (minutes: number) => new Date(t0 + minutes * 60_000);
    await send(
      'Rhenus Pharma AG',
      epcisDocument([
        commissioningEvent({ epcs: [pack], at: maker, time: at(0), lot: 'MD', expiry: '2030-01-31' }),
        shippingEvent({ epcs: [pack], from: maker, to: wholesaler, time: at(1) }),
      ]),
    );
    await send(
      'Central Pharma Distribution',
      epcisDocument([
        receivingEvent({ epcs: [pack], from: maker, at: wholesaler, time: at(240) }),
        shippingEvent({ epcs: [pack], from: wholesaler, to: berlin, time: at(300) }),
      ]),
    );
    await send(
      'Apotheke Berlin',
      epcisDocument([
        receivingEvent({ epcs: [pack], from: wholesaler, at: berlin, time: at(660) }),
        dispensingEvent({ epcs: [pack], at: berlin, time: at(720) }),
      ]),
    );
    await waitFor('the pack dispensed in Berlin', async () => {
      const provenance = await api('Medicines Agency').get<{ status: string }>(`/v1/provenance/${pack}`);
      return provenance.status === 200 && provenance.body.status === 'dispensed';
    });
  }, 420_000);

  afterAll(async () => {
    await Promise.all(services.map((s) => s.stop()));
    await context?.cleanup();
  });

  async function shipments(reader: string) {
    const response = await api(reader).get<{ items: Shipment[]; names: Record<string, Name> }>(
      '/v1/shipments?status=all',
    );
    expect(response.status).toBe(200);
    return response.body;
  }

  it('names the shipments’ product from its owner’s master data, for every reader', async () => {
    for (const reader of ['Central Pharma Distribution', 'Apotheke Berlin', 'Medicines Agency']) {
      const { items, names } = await shipments(reader);
      expect(items.some((s) => s.gtins.includes(gtin))).toBe(true);
      // The wholesaler's "Amoxi generic" is its view; the owner's statement wins, for the wholesaler too.
      expect(names[gtin]).toMatchObject({ kind: 'product', label: 'Amoxicillin 500 mg', source: 'owner' });
    }
  });

  it('shows a member its own name for a place, and nobody else', async () => {
    const own = await shipments('Central Pharma Distribution');
    expect(own.items.map((s) => s.toParty)).toContain(berlinParty);
    expect(own.names[berlinParty]).toMatchObject({ label: 'Markt-Apotheke (our filing)', source: 'own' });

    for (const reader of ['Apotheke Berlin', 'Medicines Agency']) {
      const { items, names } = await shipments(reader);
      expect(items.map((s) => s.toParty)).toContain(berlinParty);
      // Not the wholesaler's filing: the member registered with the GLN.
      expect(names[berlinParty]).toMatchObject({ label: 'Apotheke Berlin', source: 'registry' });
      expect(JSON.stringify(names)).not.toContain('our filing');
    }
  });

  it('names the product and the places in a pack’s provenance, each for its reader', async () => {
    const provenance = async (reader: string) => {
      const response = await api(reader).get<{
        gtin: string;
        hops: { custody: { toParty: string | null } | null }[];
        names: Record<string, Name>;
      }>(`/v1/provenance/${encodeURIComponent(pack)}`);
      expect(response.status).toBe(200);
      expect(response.body.hops.map((h) => h.custody?.toParty)).toContain(berlinParty);
      return response.body.names;
    };
    const wholesalers = await provenance('Central Pharma Distribution');
    expect(wholesalers[gtin]?.label).toBe('Amoxicillin 500 mg');
    expect(wholesalers[pack]?.label).toBe('Amoxicillin 500 mg');
    expect(wholesalers[berlinParty]).toMatchObject({ label: 'Markt-Apotheke (our filing)', source: 'own' });
    const pharmacy = await provenance('Apotheke Berlin');
    expect(pharmacy[berlinParty]).toMatchObject({ label: 'Apotheke Berlin', source: 'registry' });
  });

  it('documents the names in the OpenAPI document', async () => {
    const spec = (await api('Medicines Agency').get('/docs-json')).body as {
      components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
    };
    expect(Object.keys(spec.components.schemas.IdentifierNameDto!.properties!)).toEqual(
      expect.arrayContaining(['kind', 'label', 'name', 'source']),
    );
    for (const response of ['ShipmentsResponse', 'AlertsPageDto', 'AlertDetailDto', 'ProvenanceResponse'])
      expect(spec.components.schemas[response]!.properties!.names).toMatchObject({
        additionalProperties: { $ref: '#/components/schemas/IdentifierNameDto' },
      });
  });

  it('words an alert with the product’s and the pharmacies’ names, and names its pack in the answer', async () => {
    await send(
      'Farmácia Lisboa',
      epcisDocument([
        dispensingEvent({ epcs: [pack], at: lisbon, time: new Date(Date.now() - 60 * 60_000) }),
      ]),
    );
    const page = await waitFor(
      'an alert on the pack',
      async () => {
        const response = await api('Medicines Agency').get<{ items: Alert[]; names: Record<string, Name> }>(
          `/v1/alerts?epc=${encodeURIComponent(pack)}`,
        );
        return response.body.items.length > 0 ? response.body : undefined;
      },
      90_000,
      250,
    );
    const alert = page.items[0]!;
    expect(alert.summary).toContain(`Amoxicillin 500 mg (${pack})`);
    // Places by the members registered with their GLNs (no master data names these sites).
    expect(alert.summary).toMatch(/(Apotheke Berlin|Farmácia Lisboa) \(GLN \d{13}\)/);
    expect(alert.summary).not.toContain('our filing');
    expect(page.names[pack]).toMatchObject({ label: 'Amoxicillin 500 mg', source: 'owner' });

    const detail = await api('Medicines Agency').get<{ names: Record<string, Name> }>(
      `/v1/alerts/${alert.id}`,
    );
    expect(detail.body.names[pack]?.label).toBe('Amoxicillin 500 mg');
  });
});
