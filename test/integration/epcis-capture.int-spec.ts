import {
  commissioningEvent,
  epcisDocument,
  epcisMasterDataDocument,
  eventHashesOfDocument,
  glnOf,
  masterDataVocabulary,
  parseEpcisXml,
  type Party,
  pglnUrn,
  sglnUrn,
  sgtinUrn,
  shippingEvent,
} from '@pedigree/epcis';
import { epcUrnToDigitalLink } from '@pedigree/gs1';
import {
  apiClient,
  conformanceDir,
  createTestContext,
  database,
  produceDocuments,
  type RunningService,
  startService,
  TEST_ADMIN_TOKEN,
  type TestContext,
  waitFor,
} from '@pedigree/testing';
import { Headers } from '@pedigree/messaging';
import { Wallet } from 'ethers';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface CaptureJob {
  captureID: string;
  running: boolean;
  success: boolean;
  eventCount: number;
  acceptedCount: number;
  rejectedCount: number;
  masterDataCount: number;
  errors: { title: string; detail: string; pointer?: string; eventIndex?: number }[];
  waiting: { title: string; detail: string; waitingFor: string[] }[];
}

const maker: Party = { companyPrefix: '4012345', pgln: pglnUrn('4012345', 0), site: sglnUrn('4012345', 1) };
const wholesaler: Party = {
  companyPrefix: '4098765',
  pgln: pglnUrn('4098765', 0),
  site: sglnUrn('4098765', 1),
};

/**
 * The EPCIS 2.0 REST capture and query bindings on the real pipeline (API → Kafka → ingest → PostgreSQL):
 * every official example is captured and queryable, invalid documents are refused with a clear error and leave
 * nothing behind, and the capture options behave as the standard says.
 */
describe('EPCIS capture and query', () => {
  let context: TestContext;
  const services: RunningService[] = [];
  let admin: ReturnType<typeof apiClient>;
  let maker_: ReturnType<typeof apiClient>;
  let makerSigner: Wallet;

  beforeAll(async () => {
    context = await createTestContext('epcis capture', {
      deployContracts: false,
      env: { CAPTURE_MAX_EVENTS: '50', INGEST_PARK_TIMEOUT_SECONDS: '4' },
    });
    services.push(await startService('api', context.env), await startService('ingest', context.env));
    admin = apiClient(services[0]!.port, TEST_ADMIN_TOKEN);
    const org = await admin.post<{ id: string; signingKey: string }>('/v1/admin/organisations', {
      name: 'Acme Pharma',
      role: 'manufacturer',
      companyPrefixes: ['4012345'],
      glns: [glnOf('4012345', 0), glnOf('4012345', 1)],
    });
    const key = await admin.post<{ key: string }>(`/v1/admin/organisations/${org.body.id}/api-keys`, {
      label: 'test',
    });
    maker_ = apiClient(services[0]!.port, key.body.key);
    makerSigner = new Wallet(org.body.signingKey);
  });

  afterAll(async () => {
    await Promise.all(services.map((s) => s.stop()));
    await context?.cleanup();
  });

  async function capture(
    client: ReturnType<typeof apiClient>,
    body: unknown,
    headers: Record<string, string> = {},
  ) {
    return client.request<{ captureID: string; code?: string; detail?: string; field?: string }>(
      'POST',
      '/epcis/v2/capture',
      typeof body === 'string' ? body : JSON.stringify(body),
      { 'content-type': 'application/ld+json', ...headers },
    );
  }

  async function finished(client: ReturnType<typeof apiClient>, location: string): Promise<CaptureJob> {
    return waitFor(
      `capture job ${location} to finish`,
      async () => {
        const job = (await client.get<CaptureJob>(location)).body;
        // Finished and settled: nothing of the document still waits for a precondition.
        return job.running || job.waiting.length > 0 ? undefined : job;
      },
      60_000,
      200,
    );
  }

  async function eventCount(): Promise<number> {
    const db = await database(context.config);
    try {
      return (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM epcis_events')).rows[0]!.n;
    } finally {
      await db.end();
    }
  }

  it('captures every official EPCIS 2.0 example, and each event is queryable afterwards by its Event Hash ID', async () => {
    const dir = conformanceDir('epcis', 'examples');
    const files = readdirSync(dir).filter((f) => f.endsWith('.jsonld'));
    expect(files.length).toBeGreaterThanOrEqual(15);
    const jobs: { file: string; location: string; document: object }[] = [];
    for (const file of files) {
      const text = readFileSync(join(dir, file), 'utf8');
      // A member captures them: every document has an authenticated publisher.
      const response = await capture(maker_, text);
      expect([file, response.status]).toEqual([file, 202]);
      expect(response.headers.get('location')).toMatch(/^\/epcis\/v2\/capture\/[0-9a-f-]{36}$/);
      expect(response.headers.get('gs1-epcis-capture-limit')).toBe('50');
      jobs.push({ file, location: response.headers.get('location')!, document: JSON.parse(text) as object });
    }
    for (const { file, location, document } of jobs) {
      const job = await finished(maker_, location);
      expect([file, job.success, job.errors]).toEqual([file, true, []]);
      for (const hashId of eventHashesOfDocument(document, { ignoreFieldsProperty: null })) {
        const found = await admin.get<{
          type: string;
          epcisBody: { queryResults: { resultsBody: { eventList: unknown[] } } };
        }>(`/epcis/v2/events/${encodeURIComponent(hashId)}`);
        expect([file, hashId, found.status]).toEqual([file, hashId, 200]);
        expect(found.body.type).toBe('EPCISQueryDocument');
        expect(found.body.epcisBody.queryResults.resultsBody.eventList).toHaveLength(1);
      }
    }
  });

  async function captureXml(
    client: ReturnType<typeof apiClient>,
    xml: string,
    headers: Record<string, string> = {},
  ) {
    return client.request<{ captureID: string; code?: string; detail?: string; field?: string }>(
      'POST',
      '/epcis/v2/capture',
      xml,
      { 'content-type': 'application/xml', ...headers },
    );
  }

  it('captures every official EPCIS 2.0 XML example (master data documents too): only custody rules refuse, the rest is stored under the Event Hash ID of its JSON form', async () => {
    const dir = conformanceDir('epcis-xml', 'examples');
    const files = readdirSync(dir).filter(
      (f) =>
        f.endsWith('.xml') &&
        /EPCISDocument|EPCISMasterDataDocument/.test(readFileSync(join(dir, f), 'utf8')),
    );
    expect(files.length).toBeGreaterThanOrEqual(25);
    const jobs: { file: string; location: string; hashes: string[] }[] = [];
    for (const file of files) {
      const xml = readFileSync(join(dir, file), 'utf8');
      // proceed: an example that commissions serials of a prefix this member does not own loses only that event.
      const response = await captureXml(maker_, xml, { 'GS1-Capture-Error-Behaviour': 'proceed' });
      expect([file, response.status]).toEqual([file, 202]);
      const parsed = parseEpcisXml(xml);
      const hashes =
        parsed.documentType === 'EPCISMasterDataDocument'
          ? []
          : eventHashesOfDocument(parsed.value, { ignoreFieldsProperty: null });
      jobs.push({ file, location: response.headers.get('location')!, hashes });
    }
    let stored = 0;
    for (const { file, location, hashes } of jobs) {
      const job = await finished(maker_, location);
      expect([file, job.errors.filter((e) => e.title !== 'RULE_PREFIX_NOT_OWNED')]).toEqual([file, []]);
      const refused = new Set(job.errors.map((e) => e.eventIndex));
      for (const [index, hashId] of hashes.entries()) {
        if (refused.has(index)) continue;
        const found = await admin.get(`/epcis/v2/events/${encodeURIComponent(hashId)}`);
        expect([file, hashId, found.status]).toEqual([file, hashId, 200]);
        stored++;
      }
    }
    expect(stored).toBeGreaterThanOrEqual(40);
  });

  let dscsaSerial = '';
  it('captures an EPCIS 1.2 document as DSCSA partners send it (SBDH, master data, extension wrappers)', async () => {
    const run = String(Date.now() % 1_000_000);
    dscsaSerial = `${run}1`;
    const xml = readFileSync(join(__dirname, '../../libs/epcis/src/xml/testing/dscsa-epcis-1.2.xml'), 'utf8')
      .replaceAll('0312345', '4012345')
      .replace(/012345\.100([12])</g, `012345.${run}$1<`)
      .replaceAll('0000000017', run.padStart(10, '0'));
    const response = await captureXml(maker_, xml);
    expect(response.status).toBe(202);
    const job = await finished(maker_, response.headers.get('location')!);
    expect(job.errors).toEqual([]);
    expect(job.acceptedCount).toBe(4);
    const db = await database(context.config);
    try {
      const packs = await db.query<{ epc: string; lot: string | null }>(
        `SELECT epc, lot FROM packs WHERE epc = ANY($1) ORDER BY epc`,
        [[1, 2].map((n) => `urn:epc:id:sgtin:4012345.012345.${run}${n}`)],
      );
      expect(packs.rows.map((r) => r.lot)).toEqual(['LOT2611A', 'LOT2611A']);
    } finally {
      await db.end();
    }
  });

  it('checks XML against the EPCIS 2.0 XSD in ingest: a document it refuses is refused whole, with the line', async () => {
    const before = await eventCount();
    const xml = readFileSync(
      join(conformanceDir('epcis-xml', 'examples'), 'Example_9.6.1-ObjectEvent-2020_06_18a.xml'),
      'utf8',
    ).replace(
      // Valid for the JSON binding (fields have no order there), not for the XSD.
      /(<eventTime>[^<]*<\/eventTime>)(\s*)(<eventTimeZoneOffset>[^<]*<\/eventTimeZoneOffset>)/,
      '$3$2$1',
    );
    const response = await captureXml(maker_, xml);
    expect(response.status).toBe(202);
    const job = await finished(maker_, response.headers.get('location')!);
    expect(job.success).toBe(false);
    expect(job.errors[0]).toMatchObject({ title: 'EPCIS_XML_SCHEMA', eventIndex: 0 });
    expect(job.errors[0]!.detail).toMatch(/at line 11: Element 'eventTimeZoneOffset'/);
    expect(await eventCount()).toBe(before);
  });

  it('answers for a lot: every pack, where it is and its state, to its manufacturer', async () => {
    const lot = await maker_.get<{
      scope: string;
      packCount: number;
      byStatus: Record<string, number>;
      packs: {
        epc: string;
        status: string;
        expiry: string;
        container: string | null;
        containerStatus: string;
      }[];
    }>('/v1/provenance/01/04012345123456/10/LOT2611A');
    expect(lot.status).toBe(200);
    expect(lot.body.scope).toBe('whole_lot');
    // The 1.2 test's two packs: commissioned, packed into a case, and the case shipped.
    expect(lot.body.byStatus).toEqual({ in_transit: lot.body.packCount });
    expect(lot.body.packs[0]).toMatchObject({
      status: 'in_transit',
      containerStatus: 'in_transit',
      expiry: '2028-06-30',
    });
    expect(lot.body.packs[0]!.container).toMatch(/^urn:epc:id:sscc:4012345\./);
  });

  it('keeps master data from document headers: the owner describes its product, others only state their view', async () => {
    // The 1.2 document's header described the product class and the plant (both the maker's).
    const classId = 'urn:epc:idpat:sgtin:4012345.012345.*';
    const product = {
      name: 'Amoxicillin',
      strength: '500 mg',
      dosageForm: 'CAPSULE',
      nationalCode: '12345-678-90',
    };
    const own = await maker_.get<{ product: object; statements: { authoritative: boolean }[] }>(
      `/v1/master-data/${encodeURIComponent(classId)}`,
    );
    expect(own.status).toBe(200);
    expect(own.body.product).toMatchObject(product);
    // Another member states a different name in a header-only JSON document: kept as its view, not the product's.
    const other = await admin.post<{ id: string }>('/v1/admin/organisations', {
      name: `Grossiste ${Date.now()}`,
      role: 'distributor',
      companyPrefixes: ['4098765'],
      glns: [glnOf('4098765', 0)],
    });
    const otherKey = (
      await admin.post<{ key: string }>(`/v1/admin/organisations/${other.body.id}/api-keys`, { label: 'md' })
    ).body.key;
    const claim = {
      ...epcisDocument([]),
      epcisHeader: {
        epcisMasterData: {
          vocabularyList: [
            {
              type: 'urn:epcglobal:epcis:vtype:EPCClass',
              vocabularyElementList: [
                {
                  id: classId,
                  attributes: [{ id: 'cbvmda:regulatedProductName', attribute: 'Miracle Cure' }],
                },
              ],
            },
          ],
        },
      },
    };
    const client = apiClient(services[0]!.port, otherKey);
    const job = await finished(client, (await capture(client, claim)).headers.get('location')!);
    expect([job.success, job.errors]).toEqual([true, []]);
    const after = await maker_.get<{
      product: object;
      statements: { organisation: string; authoritative: boolean }[];
    }>(`/v1/master-data/${encodeURIComponent(classId)}`);
    expect(after.body.product).toMatchObject(product);
    expect(after.body.statements.map((s) => s.authoritative)).toEqual([true, false]);
    // A pharmacist's verification and a lot view read the owner's description.
    const verdict = await maker_.get<{ product: object }>(
      `/v1/verify?gtin=04012345123456&serial=${encodeURIComponent(dscsaSerial)}`,
    );
    expect(verdict.body.product).toMatchObject(product);
    const lot = await maker_.get<{ product: object }>('/v1/provenance/01/04012345123456/10/LOT2611A');
    expect(lot.body.product).toMatchObject({ name: 'Amoxicillin' });
  });

  type Described = {
    product?: Record<string, string>;
    statements: { organisation: string; authoritative: boolean; attributes: Record<string, unknown> }[];
  };
  const describe_ = async (id: string) =>
    (await maker_.get<Described>(`/v1/master-data/${encodeURIComponent(id)}`)).body;
  const metformin = 'urn:epc:idpat:sgtin:4012345.054321.*';

  it('captures a JSON EPCISMasterDataDocument over HTTP: described at /v1/master-data, named when a pack verifies', async () => {
    const document = epcisMasterDataDocument([
      masterDataVocabulary('EPCClass', metformin, {
        regulatedProductName: 'Metformin',
        strengthDescription: '850 mg',
        dosageFormType: 'TABLET',
        additionalTradeItemIdentification: '12345-543-21',
      }),
      masterDataVocabulary('Location', maker.site, { name: 'Acme Plant 1', city: 'Basel' }),
    ]);
    const response = await capture(maker_, document);
    expect(response.status).toBe(202);
    const job = await finished(maker_, response.headers.get('location')!);
    // No events, and the job still finishes: with success and the count of vocabulary elements stored.
    expect(job).toMatchObject({
      success: true,
      errors: [],
      eventCount: 0,
      acceptedCount: 0,
      rejectedCount: 0,
      masterDataCount: 2,
    });
    const product = {
      name: 'Metformin',
      strength: '850 mg',
      dosageForm: 'TABLET',
      nationalCode: '12345-543-21',
    };
    const described = await describe_(metformin);
    expect(described.product).toMatchObject(product);
    expect(described.statements).toEqual([
      expect.objectContaining({ organisation: 'Acme Pharma', authoritative: true }),
    ]);
    const site = await describe_(maker.site);
    expect(site.statements[0]).toMatchObject({
      authoritative: true,
      attributes: { 'urn:epcglobal:cbv:mda:city': 'Basel' },
    });

    // A pack of the class, commissioned after its master data: the pharmacist's answer names the product.
    const serial = `MD${Date.now()}`;
    const pack = sgtinUrn('4012345', '54321', serial);
    const commissioning = epcisDocument([
      commissioningEvent({
        epcs: [pack],
        at: maker,
        time: new Date(Date.now() - 60_000),
        lot: 'MD1',
        expiry: '2030-01-31',
      }),
    ]);
    const commissioned = await finished(
      maker_,
      (await capture(maker_, commissioning)).headers.get('location')!,
    );
    expect(commissioned.errors).toEqual([]);
    const gtin = /\/01\/(\d{14})\//.exec(epcUrnToDigitalLink(pack))![1]!;
    const verdict = await maker_.get<{ product: object }>(`/v1/verify?gtin=${gtin}&serial=${serial}`);
    expect(verdict.status).toBe(200);
    expect(verdict.body.product).toMatchObject(product);
  });

  it('takes an EPCIS 2.0 XML master data document from Kafka, signed by the member as event documents are', async () => {
    const classId = 'urn:epc:idpat:sgtin:4012345.054322.*';
    const xml =
      '<?xml version="1.0" encoding="UTF-8"?>\n' +
      '<epcismd:EPCISMasterDataDocument xmlns:epcismd="urn:epcglobal:epcis-masterdata:xsd:2" ' +
      `schemaVersion="2.0" creationDate="${new Date().toISOString()}">\n<EPCISBody><VocabularyList>` +
      '<Vocabulary type="urn:epcglobal:epcis:vtype:EPCClass"><VocabularyElementList>' +
      `<VocabularyElement id="${classId}">` +
      '<attribute id="urn:epcglobal:cbv:mda:regulatedProductName">Atorvastatin</attribute>' +
      '<attribute id="urn:epcglobal:cbv:mda:strengthDescription">20 mg</attribute>' +
      '</VocabularyElement></VocabularyElementList></Vocabulary>' +
      '</VocabularyList></EPCISBody></epcismd:EPCISMasterDataDocument>\n';
    await produceDocuments(context.config, [
      {
        key: classId,
        value: xml,
        headers: { [Headers.contentType]: 'application/xml' },
        signer: makerSigner,
      },
    ]);
    const described = await waitFor(
      'the master data sent on Kafka to be stored',
      async () => {
        const found = await describe_(classId);
        return found.product ? found : undefined;
      },
      60_000,
      250,
    );
    expect(described.product).toMatchObject({ name: 'Atorvastatin', strength: '20 mg' });
    expect(described.statements.map((s) => [s.organisation, s.authoritative])).toEqual([
      ['Acme Pharma', true],
    ]);
  });

  it('captures an EPCIS 1.2 XML master data document over HTTP, as DSCSA partners send product data ahead of shipments', async () => {
    const xml = readFileSync(
      join(__dirname, '../../libs/epcis/src/xml/testing/dscsa-masterdata-1.2.xml'),
      'utf8',
    ).replaceAll('0312345', '4012345');
    const response = await captureXml(maker_, xml);
    expect(response.status).toBe(202);
    const job = await finished(maker_, response.headers.get('location')!);
    expect(job).toMatchObject({ success: true, errors: [], acceptedCount: 0, masterDataCount: 2 });
    const described = await describe_('urn:epc:idpat:sgtin:4012345.012346.*');
    expect(described.product).toMatchObject({ name: 'Lisinopril', strength: '10 mg', dosageForm: 'TABLET' });
    const plant = await describe_(sglnUrn('4012345', 1));
    expect(plant.statements[0]!.attributes).toMatchObject({
      'urn:epcglobal:cbv:mda#streetAddressTwo': 'Building 4',
    });
  });

  it("keeps a master data document about another member's product as its sender's view, not the product's", async () => {
    const other = await admin.post<{ id: string }>('/v1/admin/organisations', {
      name: `Relabeller ${Date.now()}`,
      role: 'distributor',
      companyPrefixes: ['4055555'],
      glns: [glnOf('4055555', 0)],
    });
    const otherKey = (
      await admin.post<{ key: string }>(`/v1/admin/organisations/${other.body.id}/api-keys`, { label: 'md' })
    ).body.key;
    const client = apiClient(services[0]!.port, otherKey);
    const claim = epcisMasterDataDocument([
      masterDataVocabulary('EPCClass', metformin, { regulatedProductName: 'Miracle Cure' }),
      masterDataVocabulary('Location', sglnUrn('4055555', 0), { name: 'Relabeller HQ' }),
    ]);
    const job = await finished(client, (await capture(client, claim)).headers.get('location')!);
    expect(job).toMatchObject({ success: true, errors: [], masterDataCount: 2 });
    const described = await describe_(metformin);
    expect(described.product).toMatchObject({ name: 'Metformin' });
    expect(described.statements.map((s) => s.authoritative)).toEqual([true, false]);
    expect(described.statements[1]!.attributes).toEqual({
      'urn:epcglobal:cbv:mda:regulatedProductName': 'Miracle Cure',
    });
    // Its own site it describes with authority.
    const own = await describe_(sglnUrn('4055555', 0));
    expect(own.statements.map((s) => s.authoritative)).toEqual([true]);
  });

  it('refuses a malformed master data document, naming the field, and closes its job as failed', async () => {
    const valid = masterDataVocabulary('EPCClass', 'urn:epc:idpat:sgtin:4012345.054323.*', {
      regulatedProductName: 'Never Stored',
    });
    const noId = { type: 'urn:epcglobal:epcis:vtype:EPCClass', vocabularyElementList: [{ attributes: [] }] };
    const response = await capture(maker_, epcisMasterDataDocument([valid, noId]));
    expect(response.status).toBe(202);
    const job = await finished(maker_, response.headers.get('location')!);
    expect(job).toMatchObject({ success: false, rejectedCount: 1, masterDataCount: 0 });
    expect(job.errors[0]).toMatchObject({
      title: 'EPCIS_MASTER_DATA',
      pointer: '/epcisBody/vocabularyList/1/vocabularyElementList/0/id',
    });
    expect(job.errors[0]!.detail).toContain('urn:epcglobal:epcis:vtype:EPCClass element 0 has no id');
    // Refused whole: the good element beside it is not kept either.
    expect((await describe_('urn:epc:idpat:sgtin:4012345.054323.*')).statements).toEqual([]);

    // EPCIS 2.0 XML is also held to the master data XSD (children come after the attributes).
    const xml = readFileSync(
      join(conformanceDir('epcis-xml', 'examples'), 'Mimasu_Example-masterData.xml'),
      'utf8',
    ).replace(
      /(<attribute id="urn:epcglobal:cbv:mda:sst">202<\/attribute>)(\s*)(<children>[\s\S]*?<\/children>)/,
      '$3$2$1',
    );
    const reordered = await finished(maker_, (await captureXml(maker_, xml)).headers.get('location')!);
    expect(reordered.success).toBe(false);
    expect(reordered.errors[0]!.title).toBe('EPCIS_XML_SCHEMA');
    expect(reordered.errors[0]!.detail).toMatch(/Element 'attribute': This element is not expected/);

    // And a body that is no vocabulary list is refused while the client waits.
    const shapeless = await capture(maker_, { ...epcisMasterDataDocument([]), epcisBody: { eventList: [] } });
    expect(shapeless.status).toBe(400);
    expect(shapeless.body).toMatchObject({
      code: 'CAPTURE_NOT_AN_EPCIS_DOCUMENT',
      field: '/epcisBody/vocabularyList',
    });
  });

  it('refuses XML that is not an EPCIS document at once, naming what and where', async () => {
    const broken = await captureXml(
      maker_,
      '<?xml version="1.0"?>\n<epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:2"><EPCISBody>',
    );
    expect(broken.status).toBe(400);
    expect(broken.body.detail).toMatch(/not well-formed XML.*line \d+, column \d+/);
    const job = await captureXml(
      maker_,
      readFileSync(
        join(conformanceDir('epcis-xml', 'examples'), 'CaptureJob_Example-CaptureJobSuccess.xml'),
        'utf8',
      ),
    );
    expect(job.status).toBe(400);
    expect(job.body.detail).toContain('EPCISCaptureJob');
  });

  it('commissions a pack named by its GS1 Digital Link under its EPC URN, the company prefix read from the registered ones', async () => {
    const urn = sgtinUrn('4012345', '12345', `DL${Date.now()}`);
    const link = epcUrnToDigitalLink(urn);
    const foreign = epcUrnToDigitalLink(sgtinUrn('4099999', '12345', `DL${Date.now()}`));
    const document = (epcs: string[]) =>
      epcisDocument([
        commissioningEvent({
          epcs,
          at: maker,
          time: new Date(Date.now() - 60_000),
          lot: 'DL1',
          expiry: '2030-01-31',
        }),
      ]);
    const stored = document([link]);
    const own = await finished(maker_, (await capture(maker_, stored)).headers.get('location')!);
    expect([own.success, own.errors]).toEqual([true, []]);
    const db = await database(context.config);
    try {
      const packs = await db.query<{ epc: string; lot: string }>(
        'SELECT epc, lot FROM packs WHERE epc = $1',
        [urn],
      );
      expect(packs.rows).toEqual([{ epc: urn, lot: 'DL1' }]);
    } finally {
      await db.end();
    }
    // The REST resources: the same event by its EPC (either spelling, URL-encoded) and by its business step.
    type Found = { epcisBody: { queryResults: { resultsBody: { eventList: { eventTime: string }[] } } } };
    for (const id of [urn, link]) {
      const byEpc = await maker_.get<Found>(`/epcis/v2/epcs/${encodeURIComponent(id)}/events`);
      expect([id, byEpc.status, byEpc.body.epcisBody.queryResults.resultsBody.eventList.length]).toEqual([
        id,
        200,
        1,
      ]);
    }
    const page = await maker_.get<Found>('/epcis/v2/bizSteps/commissioning/events?perPage=1');
    expect(page.body.epcisBody.queryResults.resultsBody.eventList).toHaveLength(1);
    expect(page.headers.get('link')).toMatch(
      /^<\/epcis\/v2\/bizSteps\/commissioning\/events\?perPage=1&nextPageToken=/,
    );
    expect((await maker_.get<{ '@set': string[] }>('/epcis/v2/eventTypes')).body['@set']).toContain(
      'ObjectEvent',
    );
    expect((await maker_.get(`/epcis/v2/shipments/x/events`)).status).toBe(404);

    // GS1-EPC-Format: the same event in either spelling, its Event Hash ID the same.
    const hashId = eventHashesOfDocument(stored, { ignoreFieldsProperty: null })[0]!;
    const path = `/epcis/v2/events/${encodeURIComponent(hashId)}`;
    type Answer = { epcisBody: { queryResults: { resultsBody: { eventList: { epcList: string[] }[] } } } };
    const asUrn = await maker_.get<Answer>(path, { 'GS1-EPC-Format': 'Always_EPC_URN' });
    expect(asUrn.headers.get('gs1-epc-format')).toBe('Always_EPC_URN');
    expect(asUrn.body.epcisBody.queryResults.resultsBody.eventList[0]!.epcList).toEqual([urn]);
    const asLink = await maker_.get<Answer>(path, { 'GS1-EPC-Format': 'Always_GS1_Digital_Link' });
    expect(asLink.body.epcisBody.queryResults.resultsBody.eventList[0]!.epcList).toEqual([link]);
    const bad = await maker_.get<{ field: string }>(path, { 'GS1-EPC-Format': 'Sometimes' });
    expect([bad.status, bad.body.field]).toEqual([400, 'GS1-EPC-Format']);

    const refused = await finished(
      maker_,
      (await capture(maker_, document([foreign]))).headers.get('location')!,
    );
    expect(refused.errors[0]).toMatchObject({ title: 'RULE_PREFIX_NOT_OWNED' });
    expect(refused.errors[0]!.detail).toContain('no registered GS1 Company Prefix starts its key');
  });

  const valid = () =>
    epcisDocument([
      commissioningEvent({
        epcs: [sgtinUrn('4012345', '12345', `V${Date.now()}`)],
        at: maker,
        time: new Date(Date.now() - 60_000),
        lot: 'L1',
        expiry: '2030-01-31',
      }),
    ]) as { epcisBody: { eventList: Record<string, unknown>[] }; '@context'?: unknown };

  const variants: [string, (d: ReturnType<typeof valid>) => void, string, RegExp][] = [
    ['missing action', (d) => delete d.epcisBody.eventList[0]!.action, 'EPCIS_', /action/],
    [
      'malformed eventTime',
      (d) => (d.epcisBody.eventList[0]!.eventTime = '2026-13-45T25:61:00Z'),
      'EPCIS_',
      /eventTime|time/,
    ],
    [
      'non-standard bizStep without a namespace',
      (d) => (d.epcisBody.eventList[0]!.bizStep = 'teleporting'),
      'EPCIS_NON_STANDARD_VOCABULARY',
      /teleporting/,
    ],
    [
      'wrong check digit',
      (d) => (d.epcisBody.eventList[0]!.epcList = ['https://id.gs1.org/01/04012345123457/21/X1']),
      'EPCIS_CHECK_DIGIT',
      /check digit/,
    ],
    [
      'quantity as text',
      (d) => {
        d.epcisBody.eventList[0]!.quantityList = [
          { epcClass: 'urn:epc:class:lgtin:4012345.012345.L1', quantity: 'ten' },
        ];
      },
      'EPCIS_INVALID_QUANTITY',
      /quantity/,
    ],
    ['no @context', (d) => delete d['@context'], 'EPCIS_MISSING_CONTEXT', /@context/],
  ];

  it.each(variants)(
    'refuses a document with %s, naming the problem, and keeps nothing of it',
    async (_name, mutate, code, detail) => {
      const before = await eventCount();
      const document = valid();
      mutate(document);
      const response = await capture(maker_, document);
      expect(response.status).toBe(202);
      const job = await finished(maker_, response.headers.get('location')!);
      expect(job.success).toBe(false);
      expect(job.errors[0]!.title.startsWith(code)).toBe(true);
      expect(job.errors[0]!.detail).toMatch(detail);
      expect(await eventCount()).toBe(before);
    },
  );

  it('with GS1-Capture-Error-Behaviour: proceed keeps the good events and reports the bad one', async () => {
    const document = valid();
    const second = commissioningEvent({
      epcs: [sgtinUrn('4012345', '12345', `P${Date.now()}`)],
      at: maker,
      time: new Date(Date.now() - 30_000),
      lot: 'L1',
      expiry: '2030-01-31',
    });
    document.epcisBody.eventList.push(second, { ...second, eventTime: 'yesterday' });
    const before = await eventCount();
    const response = await capture(maker_, document, { 'GS1-Capture-Error-Behaviour': 'proceed' });
    const job = await finished(maker_, response.headers.get('location')!);
    expect(job).toMatchObject({ acceptedCount: 2, rejectedCount: 1 });
    expect(job.errors[0]!.eventIndex).toBe(2);
    expect(await eventCount()).toBe(before + 2);
  });

  it('with rollback (the default) keeps nothing of a document with one bad event', async () => {
    const document = valid();
    document.epcisBody.eventList.push({ ...document.epcisBody.eventList[0]!, eventTime: 'yesterday' });
    const before = await eventCount();
    const job = await finished(maker_, (await capture(maker_, document)).headers.get('location')!);
    expect(job.success).toBe(false);
    expect(await eventCount()).toBe(before);
  });

  it('answers a replayed capture with the first job and stores the events once', async () => {
    const text = JSON.stringify(valid());
    const first = await capture(maker_, text);
    const second = await capture(maker_, text);
    expect(second.body.captureID).toBe(first.body.captureID);
    const before = await eventCount();
    await finished(maker_, first.headers.get('location')!);
    expect(await eventCount()).toBeLessThanOrEqual(before + 1);
  });

  it('refuses what it cannot take, with problem+json naming the field', async () => {
    const tooMany = epcisDocument(
      Array.from({ length: 51 }, (_, i) =>
        shippingEvent({
          epcs: [sgtinUrn('4012345', '12345', `T${i}`)],
          from: maker,
          to: wholesaler,
          time: new Date(Date.now() - 60_000),
        }),
      ),
    );
    const limit = await capture(maker_, tooMany);
    expect(limit.status).toBe(413);
    expect(limit.body.code).toBe('CAPTURE_LIMIT_EXCEEDED');

    const malformed = await capture(maker_, '{"type": "EPCISDocument", ');
    expect(malformed.status).toBe(400);
    expect(malformed.body.code).toBe('MALFORMED_JSON');
    expect(malformed.contentType).toContain('application/problem+json');

    const notEpcis = await capture(maker_, { hello: 'world' });
    expect(notEpcis.status).toBe(400);
    expect(notEpcis.body).toMatchObject({ code: 'CAPTURE_NOT_AN_EPCIS_DOCUMENT', field: 'type' });

    const badHeader = await capture(maker_, valid(), { 'GS1-Capture-Error-Behaviour': 'sometimes' });
    expect(badHeader.status).toBe(400);
    expect(badHeader.body.field).toBe('GS1-Capture-Error-Behaviour');

    const unknownJob = await maker_.get<{ code: string }>(
      '/epcis/v2/capture/00000000-0000-0000-0000-000000000000',
    );
    expect(unknownJob.status).toBe(404);
  });

  it('queries with the standard parameters and pages with nextPageToken', async () => {
    const serials = [1, 2, 3, 4, 5].map((i) => sgtinUrn('4012345', '12345', `Q${Date.now()}${i}`));
    const document = epcisDocument(
      serials.map((epc, i) =>
        commissioningEvent({
          epcs: [epc],
          at: maker,
          time: new Date(Date.now() - 50_000 + i * 1000),
          lot: 'QL',
          expiry: '2030-01-31',
        }),
      ),
    );
    await finished(maker_, (await capture(maker_, document)).headers.get('location')!);

    const byEpc = await maker_.get<{
      epcisBody: { queryResults: { resultsBody: { eventList: { epcList: string[] }[] } } };
    }>(`/epcis/v2/events?MATCH_epc=${encodeURIComponent(serials[2]!)}`);
    expect(byEpc.status).toBe(200);
    expect(byEpc.body.epcisBody.queryResults.resultsBody.eventList.map((e) => e.epcList[0])).toEqual([
      serials[2],
    ]);

    const seen: string[] = [];
    let next: string | undefined =
      `/epcis/v2/events?EQ_bizStep=commissioning&MATCH_anyEPC=${encodeURIComponent(serials.join(','))}&perPage=2`;
    while (next) {
      const page: Awaited<
        ReturnType<
          typeof maker_.get<{
            epcisBody: { queryResults: { resultsBody: { eventList: { epcList: string[] }[] } } };
          }>
        >
      > = await maker_.get(next);
      seen.push(...page.body.epcisBody.queryResults.resultsBody.eventList.map((e) => e.epcList[0]!));
      next = /<([^>]+)>; rel="next"/.exec(page.headers.get('link') ?? '')?.[1];
    }
    expect(seen).toEqual(serials);

    const unknownParameter = await maker_.get<{ code: string; field: string }>(
      '/epcis/v2/events?EQ_colour=red',
    );
    expect(unknownParameter.status).toBe(400);
    expect(unknownParameter.body.field).toBe('EQ_colour');
    const badTime = await maker_.get<{ field: string }>('/epcis/v2/events?GE_eventTime=last-tuesday');
    expect(badTime.status).toBe(400);
    expect(badTime.body.field).toBe('GE_eventTime');
  });
});
