import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { SaxesParser } from 'saxes';
import { CBV_BIZ_STEPS, CBV_BIZ_TRANSACTION_TYPES, CBV_DISPOSITIONS, CBV_SOURCE_DEST_TYPES } from '../cbv';
import { eventHashesOfDocument } from '../hash/event-hash';
import { EPCIS_CONTEXT_URLS } from '../model/epcis-document.model';
import {
  CONFORMANCE_DIR,
  EPCIS_EXAMPLES_DIR,
  EVENT_HASH_DIR,
  type MutableJson,
  REPO_ROOT,
} from '../validation/testing/epcis-conformance.fixtures';
import { parseEpcisXml } from './epcis-xml.reader';
import { EpcisXmlWriteError, writeEpcisQueryXml, writeEpcisXml } from './epcis-xml.writer';
import { EpcisXsdValidator } from './xsd-validator';

/**
 * The XML writer against third-party data read in place: every official EPCIS 2.0 JSON example and every JSON-LD
 * vector of the CBV 2.0 Event Hash reference implementation is written as XML, read back with the project's own
 * reader, and must keep each event's Event Hash ID; the XML must validate against the official XSD. Generated
 * events (fast-check) must do the same, and query results must validate against the query XSD.
 */
const XSD_DIR = join(CONFORMANCE_DIR, 'epcis-xml', 'xsd');
const QUERY_XSD = join(XSD_DIR, 'EPCglobal-epcis-query-2_0.xsd');

interface Source {
  name: string;
  document: MutableJson;
}

function jsonLd(dir: string, label: string): Source[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.jsonld'))
    .sort()
    .map((f) => ({ name: `${label}/${f}`, document: JSON.parse(readFileSync(join(dir, f), 'utf8')) }));
}

const SOURCES = [...jsonLd(EPCIS_EXAMPLES_DIR, 'epcis/examples'), ...jsonLd(EVENT_HASH_DIR, 'event-hash')];
const DOCUMENTS = SOURCES.filter((s) => s.document.type === 'EPCISDocument');
const QUERY_DOCUMENTS = SOURCES.filter((s) => s.document.type === 'EPCISQueryDocument');
const byName = (sources: Source[]) => sources.map((s) => [s.name, s.document] as const);

/**
 * Events whose Event Hash ID the XML round trip cannot keep, and why. Both are the reference implementation's
 * test-only `repository-x:ignoreFields` convention (a document- or queryResults-level list naming, by compact IRI
 * in a value, fields its hash leaves out): XML expands no prefix inside a value, so the writer names them by full
 * IRI, and the reader names namespaces `ns1…`; the hash matches ignoreFields only in the compact or `{ns}local`
 * spelling. The standard's hash (no ignoreFields) is kept: checked below.
 */
const KNOWN_DIVERGENCES = [
  'event-hash/epcisDocHavingEventWithIgnoreFields.jsonld:0',
  'event-hash/epcisQueryDocHavingEventWithIgnoreFields.jsonld:0',
];
const IGNORE_FIELDS_OFF = { ignoreFieldsProperty: null };

const roundTrip = (document: MutableJson): MutableJson => parseEpcisXml(writeEpcisXml(document)).value;

/** Hash positions that differ, as `name:index`. */
function diverging(name: string, before: string[], after: string[]): string[] {
  expect(after).toHaveLength(before.length);
  return before.flatMap((hash, i) => (after[i] === hash ? [] : [`${name}:${i}`]));
}

describe('JSON examples → XML → JSON keep every Event Hash ID', () => {
  const divergent: string[] = [];

  it('finds the examples and vectors', () => {
    expect(DOCUMENTS.length).toBeGreaterThanOrEqual(25);
    expect(QUERY_DOCUMENTS.length).toBeGreaterThanOrEqual(2);
  });

  it('skips the files that are not EPCISDocuments, naming them', () => {
    const skipped = SOURCES.filter((s) => !DOCUMENTS.includes(s)).map((s) => s.name);
    // Query documents are written by writeEpcisQueryXml (below); nothing else is skipped.
    expect(skipped).toEqual(QUERY_DOCUMENTS.map((s) => s.name));
    expect(skipped).toEqual([
      'event-hash/epcisQueryDocHavingEventWithIgnoreFields.jsonld',
      'event-hash/epcisQueryDocument.jsonld',
    ]);
  });

  it.each(byName(DOCUMENTS))('%s', (name, document) => {
    const back = roundTrip(document);
    divergent.push(...diverging(name, eventHashesOfDocument(document), eventHashesOfDocument(back)));
    expect(eventHashesOfDocument(back, IGNORE_FIELDS_OFF)).toEqual(
      eventHashesOfDocument(document, IGNORE_FIELDS_OFF),
    );
  });

  it('diverges exactly where listed (document part)', () => {
    expect(divergent).toEqual(KNOWN_DIVERGENCES.filter((d) => d.includes('epcisDoc')));
  });
});

describe('written XML validates against the official EPCIS 2.0 XSD', () => {
  let validator: EpcisXsdValidator;
  // Started in beforeAll: a pool made while collecting would outlive a run that filters this block out.
  beforeAll(() => (validator = new EpcisXsdValidator(XSD_DIR)));
  afterAll(() => validator.close());

  it.each(byName(DOCUMENTS))('%s', async (_name, document) => {
    expect(await validator.validate(Buffer.from(writeEpcisXml(document)))).toEqual([]);
  });
});

// ------------------------------------------------------------------------------------------ generated events

const EXT = 'https://ext.example.com/ns/';
const LOCAL = 'https://local.example.org/vocab#';
const digits = (n: number) => fc.stringMatching(new RegExp(`^[0-9]{${n}}$`));
const company = digits(7);
const serial = fc.stringMatching(/^[0-9A-Za-z]{1,10}$/);
const sgtin = fc.tuple(company, digits(6), serial).map(([c, i, s]) => `urn:epc:id:sgtin:${c}.${i}.${s}`);
const sgln = fc.tuple(company, digits(5), serial).map(([c, l, s]) => `urn:epc:id:sgln:${c}.${l}.${s}`);
const sscc = fc.tuple(company, digits(10)).map(([c, s]) => `urn:epc:id:sscc:${c}.${s}`);
const pgln = fc.tuple(company, digits(5)).map(([c, p]) => `urn:epc:id:pgln:${c}.${p}`);
const lgtin = fc.tuple(company, digits(6), serial).map(([c, i, l]) => `urn:epc:class:lgtin:${c}.${i}.${l}`);

/** Text that needs escaping in XML (markup, quotes, CDATA end, whitespace that parsers normalise), or any text. */
const AWKWARD = [
  '<',
  '>',
  '&',
  '"',
  "'",
  ']]>',
  '&amp;',
  '<!--',
  '\t',
  '\n',
  '\r\n',
  '\r',
  ' ',
  'é',
  '中',
  '😀',
  'a',
  'Z',
  '0',
  ':',
  '/',
];
const XML_CHAR = /^[\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]*$/u;
const awkward = fc.oneof(
  fc.array(fc.constantFrom(...AWKWARD), { minLength: 1, maxLength: 12 }).map((parts) => parts.join('')),
  // U+FEFF at either end: the reader's JavaScript trim() drops it, the hash's Python strip() keeps it (a reader
  // quirk in xml-node.ts textOf, not the writer's; reported).
  fc.string({ unit: 'binary', maxLength: 20 }).filter((s) => XML_CHAR.test(s) && !/^\uFEFF|\uFEFF$/.test(s)),
);

/** RFC 3339 times with offsets the XSD's DateTimeStamp admits (±13:59, ±14:00), with and without fractions. */
const OFFSETS = [-720, -600, -210, 0, 60, 330, 345, 540, 780, 840];
const offsetText = (minutes: number) =>
  `${minutes < 0 ? '-' : '+'}${String(Math.floor(Math.abs(minutes) / 60)).padStart(2, '0')}:${String(Math.abs(minutes) % 60).padStart(2, '0')}`;
const time = fc
  .record({
    at: fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2035, 0, 1) }),
    offset: fc.constantFrom(...OFFSETS),
    fraction: fc.constantFrom('', '.sss', '.ssssss'),
    zulu: fc.boolean(),
  })
  .map(({ at, offset, fraction, zulu }) => {
    const minutes = zulu ? 0 : offset;
    const local = new Date(at + minutes * 60_000).toISOString().slice(0, 19);
    const ms = String(at % 1000).padStart(3, '0');
    const part = fraction === '' ? '' : fraction === '.sss' ? `.${ms}` : `.${ms}417`;
    return `${local}${part}${zulu ? 'Z' : offsetText(minutes)}`;
  });

const vocabulary = (terms: readonly string[], urn: string, own: string) =>
  fc.oneof(
    fc.constantFrom(...terms),
    fc.constantFrom(...terms).map((t) => urn + t),
    fc.constant(own),
    fc.constant(`ext:${own.split('/').pop()}`),
  );
const bizStep = vocabulary(
  CBV_BIZ_STEPS,
  'urn:epcglobal:cbv:bizstep:',
  'https://example.com/bizstep/quality_check',
);
const disposition = vocabulary(
  CBV_DISPOSITIONS,
  'urn:epcglobal:cbv:disp:',
  'https://example.com/disp/quarantined',
);
const number = fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }));

const location = fc.record({ id: sgln, 'ext:note': awkward }, { requiredKeys: ['id'] });
const bizTransaction = fc.record(
  {
    type: fc.constantFrom(...CBV_BIZ_TRANSACTION_TYPES, 'https://example.com/btt/asn', 'ext:callOff'),
    bizTransaction: fc.oneof(
      fc.tuple(company, digits(5)).map(([c, n]) => `urn:epcglobal:cbv:bt:${c}${n}0:${n}`),
      digits(6).map((n) => `https://example.com/po?id=${n}&rev=2`),
    ),
  },
  { requiredKeys: ['bizTransaction'] },
);
const party = (key: 'source' | 'destination') =>
  fc.record({ type: fc.constantFrom(...CBV_SOURCE_DEST_TYPES), [key]: fc.oneof(pgln, sgln) });
const quantity = fc.record(
  {
    epcClass: lgtin,
    quantity: fc.oneof(fc.integer({ min: 0, max: 1_000_000 }), fc.double({ min: 0, max: 1e6, noNaN: true })),
    uom: fc.constantFrom('KGM', 'LTR', 'EA'),
  },
  { requiredKeys: ['epcClass'] },
);
const ilmd = fc.record(
  {
    'cbvmda:lotNumber': serial,
    'ext:lot': awkward,
    'ext:count': number,
    'ext:sterile': fc.boolean(),
    'ext:batch': fc.record({ 'ext:note': awkward, 'ext:tag': fc.array(awkward, { maxLength: 3 }) }),
  },
  { requiredKeys: [] },
);
const sensorElement = fc.record({
  sensorMetadata: fc.record({ time }),
  sensorReport: fc.array(
    fc.record({
      type: fc.constantFrom('Temperature', 'RelativeHumidity'),
      value: number,
      'ext:probe': awkward,
    }),
    { minLength: 1, maxLength: 2 },
  ),
});

/** Fields every generated event may have (the standard's and extensions). */
const common = {
  eventTime: time,
  recordTime: time,
  eventTimeZoneOffset: fc.constantFrom(...OFFSETS).map(offsetText),
  eventID: fc.uuid().map((u) => `urn:uuid:${u}`),
  action: fc.constantFrom('ADD', 'OBSERVE', 'DELETE'),
  bizStep,
  disposition,
  readPoint: location,
  bizLocation: location,
  sourceList: fc.array(party('source'), { maxLength: 3 }),
  destinationList: fc.array(party('destination'), { maxLength: 3 }),
  sensorElementList: fc.array(sensorElement, { minLength: 1, maxLength: 2 }),
  persistentDisposition: fc.record({ set: fc.array(disposition, { minLength: 1, maxLength: 2 }) }),
  'ext:note': awkward,
  'local:shift': awkward,
  '@context': fc.constant([{ local: LOCAL }]),
};
const required = ['eventTime', 'eventTimeZoneOffset', 'action', '@context'] as const;
const bizTransactions = (minLength: number) => fc.array(bizTransaction, { minLength, maxLength: 3 });
const quantities = fc.array(quantity, { maxLength: 3 });

const objectEvent = fc
  .record(
    {
      ...common,
      epcList: fc.array(sgtin, { maxLength: 4 }),
      bizTransactionList: bizTransactions(1),
      quantityList: quantities,
      ilmd,
    },
    { requiredKeys: [...required] },
  )
  .map((e) => ({ type: 'ObjectEvent', ...e }));
const aggregationEvent = fc
  .record(
    {
      ...common,
      parentID: sscc,
      childEPCs: fc.array(sgtin, { maxLength: 4 }),
      bizTransactionList: bizTransactions(1),
      childQuantityList: quantities,
    },
    { requiredKeys: [...required] },
  )
  .map((e) => ({ type: 'AggregationEvent', ...e }));
const transactionEvent = fc
  .record(
    {
      ...common,
      bizTransactionList: bizTransactions(1),
      parentID: sscc,
      epcList: fc.array(sgtin, { maxLength: 4 }),
      quantityList: quantities,
    },
    { requiredKeys: [...required, 'bizTransactionList'] },
  )
  .map((e) => ({ type: 'TransactionEvent', ...e }));

const generatedDocument = fc
  .record({
    creationDate: time,
    eventList: fc.array(fc.oneof(objectEvent, aggregationEvent, transactionEvent), {
      minLength: 1,
      maxLength: 3,
    }),
  })
  .map(({ creationDate, eventList }) => ({
    '@context': [EPCIS_CONTEXT_URLS[0], { ext: EXT }],
    type: 'EPCISDocument',
    schemaVersion: '2.0',
    creationDate,
    epcisBody: { eventList },
  }));

describe('generated Object, Aggregation and Transaction events (fast-check)', () => {
  let validator: EpcisXsdValidator;
  // Started in beforeAll: a pool made while collecting would outlive a run that filters this block out.
  beforeAll(() => (validator = new EpcisXsdValidator(XSD_DIR)));
  afterAll(() => validator.close());

  it('keep their Event Hash IDs through JSON → XML → JSON, and the XML validates', async () => {
    await fc.assert(
      fc.asyncProperty(generatedDocument, async (document) => {
        const xml = writeEpcisXml(document);
        expect(eventHashesOfDocument(parseEpcisXml(xml).value)).toEqual(eventHashesOfDocument(document));
        expect(await validator.validate(Buffer.from(xml))).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});

// ---------------------------------------------------------------------------------------------- query results

/** The query XSD through libxml2 in a child process: the project's validator worker loads only the EPCIS XSD. */
const QUERY_XSD_SCRIPT = `
import { XmlDocument, XsdValidator } from 'libxml2-wasm';
import { xmlRegisterFsInputProviders } from 'libxml2-wasm/lib/nodejs.mjs';
import { readFileSync } from 'node:fs';
xmlRegisterFsInputProviders();
const xsd = process.argv[1];
const validator = XsdValidator.fromDoc(XmlDocument.fromBuffer(readFileSync(xsd), { url: xsd }));
const findings = JSON.parse(readFileSync(0, 'utf8')).map((xml) => {
  const document = XmlDocument.fromString(xml);
  try {
    validator.validate(document);
    return [];
  } catch (error) {
    return (error.details ?? [error]).map((d) => String(d.message).trim());
  } finally {
    document.dispose();
  }
});
process.stdout.write(JSON.stringify(findings));
`;

function queryXsdFindings(xmls: string[]): string[][] {
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', QUERY_XSD_SCRIPT, QUERY_XSD], {
    input: JSON.stringify(xmls),
    cwd: REPO_ROOT,
    encoding: 'utf8',
  });
  return JSON.parse(out) as string[][];
}

interface Tree {
  uri: string;
  local: string;
  text: string;
  children: Tree[];
}

/** An XML text as a namespace-resolved tree, read with saxes (the parser the reader uses). */
function parseTree(xml: string): Tree {
  const parser = new SaxesParser({ xmlns: true });
  const stack: Tree[] = [{ uri: '', local: '#document', text: '', children: [] }];
  parser.on('error', (error) => {
    throw error;
  });
  parser.on('opentag', (tag) => {
    const node = { uri: tag.uri, local: tag.local, text: '', children: [] };
    stack[stack.length - 1].children.push(node);
    stack.push(node);
  });
  parser.on('closetag', () => stack.pop());
  parser.on('text', (text) => (stack[stack.length - 1].text += text));
  parser.write(xml).close();
  return stack[0].children[0];
}

const child = (node: Tree, local: string) => node.children.find((c) => c.local === local)!;

/** A written query document's events re-rooted as an EPCISDocument, so the project's reader can read them back. */
function asEpcisDocument(queryXml: string): string {
  return queryXml
    .replace('<epcisq:EPCISQueryDocument ', `<epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:2" `)
    .replace('</epcisq:EPCISQueryDocument>', '</epcis:EPCISDocument>')
    .replace(/<epcisq:QueryResults>[\s\S]*?<resultsBody>/, '')
    .replace(/<\/resultsBody>[\s\S]*?<\/epcisq:QueryResults>/, '');
}

const asQueryDocument = (document: MutableJson, subscriptionID?: string): MutableJson => ({
  '@context': document['@context'],
  type: 'EPCISQueryDocument',
  schemaVersion: '2.0',
  creationDate: document.creationDate,
  epcisBody: {
    queryResults: {
      queryName: 'SimpleEventQuery',
      ...(subscriptionID ? { subscriptionID } : {}),
      resultsBody: { eventList: document.epcisBody.eventList },
    },
  },
});

describe('writeEpcisQueryXml', () => {
  const generated = fc.sample(generatedDocument, { numRuns: 40, seed: 20260 }).map((d, i) => ({
    name: `generated #${i}`,
    document: asQueryDocument(d, i % 2 ? `urn:uuid:subscription-${i}` : undefined),
  }));
  const queries = [...QUERY_DOCUMENTS, ...generated];
  const divergent: string[] = [];

  it.each(byName(queries))('%s: parses back as QueryResults holding every event', (_name, document) => {
    const results = document.epcisBody.queryResults;
    const root = parseTree(writeEpcisQueryXml(document));
    expect([root.uri, root.local]).toEqual(['urn:epcglobal:epcis-query:xsd:2', 'EPCISQueryDocument']);
    const queryResults = child(child(root, 'EPCISBody'), 'QueryResults');
    expect(queryResults.uri).toBe('urn:epcglobal:epcis-query:xsd:2');
    const fields = queryResults.children.map((c) => c.local);
    expect(fields.filter((l) => ['queryName', 'subscriptionID', 'resultsBody'].includes(l))).toEqual(
      results.subscriptionID ? ['queryName', 'subscriptionID', 'resultsBody'] : ['queryName', 'resultsBody'],
    );
    expect(child(queryResults, 'queryName').text).toBe(results.queryName);
    expect(child(queryResults, 'subscriptionID')?.text).toBe(results.subscriptionID);
    const events = child(child(queryResults, 'resultsBody'), 'EventList').children;
    expect(events.map((e) => e.local)).toEqual(
      results.resultsBody.eventList.map((e: MutableJson) => String(e.type)),
    );
  });

  it.each(byName(queries))('%s: its events keep their Event Hash IDs', (name, document) => {
    const back = parseEpcisXml(asEpcisDocument(writeEpcisQueryXml(document))).value;
    divergent.push(...diverging(name, eventHashesOfDocument(document), eventHashesOfDocument(back)));
  });

  it('diverges exactly where listed (query part)', () => {
    expect(divergent).toEqual(KNOWN_DIVERGENCES.filter((d) => d.includes('epcisQuery')));
  });

  // The query XSD is third-party conformance data beside the repository (../shared); it is there here and in CI, and
  // a checkout without it skips this one check rather than failing on a missing file it does not own.
  (existsSync(QUERY_XSD) ? it : it.skip)('validates against the official EPCIS 2.0 query XSD', () => {
    const vocabularyResults = asQueryDocument({ '@context': [EPCIS_CONTEXT_URLS[0]], epcisBody: {} });
    vocabularyResults.epcisBody.queryResults.resultsBody = {
      vocabularyList: [
        { type: 'urn:epcglobal:epcis:vtype:ReadPoint', vocabularyElementList: [{ id: 'urn:x:1' }] },
      ],
    };
    vocabularyResults.creationDate = '2026-01-01T00:00:00Z';
    const written = [...queries.map((q) => q.document), vocabularyResults].map(writeEpcisQueryXml);
    expect(queryXsdFindings(written)).toEqual(written.map(() => []));
    // Not vacuous: the same schema refuses a QueryResults whose queryName comes last.
    const queryName = /\s*<queryName>[^<]*<\/queryName>/.exec(written[0])![0];
    const moved = written[0]
      .replace(queryName, '')
      .replace('</epcisq:QueryResults>', `${queryName}</epcisq:QueryResults>`);
    expect(queryXsdFindings([moved])[0].join(' ')).toMatch(/queryName/);
  });
});

// ------------------------------------------------------------------------------------------------ behaviour

const EXAMPLE_NS = 'http://ns.example.com/epcis/';
const minimalEvent = (fields: MutableJson = {}): MutableJson => ({
  type: 'ObjectEvent',
  eventTime: '2026-03-01T10:00:00.000+01:00',
  eventTimeZoneOffset: '+01:00',
  epcList: ['urn:epc:id:sgtin:0614141.107346.2018'],
  action: 'OBSERVE',
  ...fields,
});
const documentOf = (events: MutableJson[], context: MutableJson = { example: EXAMPLE_NS }): MutableJson => ({
  '@context': [EPCIS_CONTEXT_URLS[0], context],
  type: 'EPCISDocument',
  schemaVersion: '2.0',
  creationDate: '2026-03-01T09:00:00Z',
  epcisBody: { eventList: events },
});
const firstEvent = (document: MutableJson) => roundTrip(document).epcisBody.eventList[0] as MutableJson;
const sameHashes = (document: MutableJson) =>
  expect(eventHashesOfDocument(roundTrip(document))).toEqual(eventHashesOfDocument(document));

describe('how the writer writes', () => {
  let validator: EpcisXsdValidator;
  beforeAll(() => (validator = new EpcisXsdValidator(XSD_DIR)));
  afterAll(() => validator.close());
  const valid = async (xml: string) => expect(await validator.validate(Buffer.from(xml))).toEqual([]);

  it('bare CBV terms as the URNs of the XML examples, sensor terms with the gs1: and cbv: prefixes', async () => {
    const document = documentOf([
      minimalEvent({
        bizStep: 'shipping',
        disposition: 'in_transit',
        bizTransactionList: [{ type: 'po', bizTransaction: 'urn:epcglobal:cbv:bt:0614141000005:PO-1' }],
        sourceList: [{ type: 'owning_party', source: 'urn:epc:id:pgln:0614141.00000' }],
        persistentDisposition: { set: ['completeness_verified'], unset: ['completeness_inferred'] },
        errorDeclaration: { declarationTime: '2026-03-02T00:00:00Z', reason: 'incorrect_data' },
        sensorElementList: [
          { sensorReport: [{ type: 'Temperature', component: 'x', exception: 'ALARM_CONDITION', value: 8 }] },
        ],
      }),
    ]);
    const xml = writeEpcisXml(document);
    for (const expected of [
      '<bizStep>urn:epcglobal:cbv:bizstep:shipping</bizStep>',
      '<disposition>urn:epcglobal:cbv:disp:in_transit</disposition>',
      'type="urn:epcglobal:cbv:btt:po"',
      'type="urn:epcglobal:cbv:sdt:owning_party"',
      '<unset>urn:epcglobal:cbv:disp:completeness_inferred</unset>',
      '<reason>urn:epcglobal:cbv:er:incorrect_data</reason>',
      'type="gs1:Temperature" component="cbv:Comp-x" exception="gs1:ALARM_CONDITION" value="8"',
    ]) {
      expect(xml).toContain(expected);
    }
    expect(xml.indexOf('<unset>')).toBeLessThan(xml.indexOf('<set>'));
    sameHashes(document);
    await valid(xml);
  });

  it('escapes markup, quotes and the whitespace XML parsers would normalise, in text and attributes', async () => {
    const hostile = `x <a href="b">&amp; 'q' ]]> \t tab\r\nCRLF\rCR 😀 y`;
    const document = documentOf([
      minimalEvent({
        'example:note': hostile,
        sensorElementList: [{ sensorReport: [{ type: 'Temperature', value: 1, 'example:probe': hostile }] }],
      }),
    ]);
    const xml = writeEpcisXml(document);
    expect(xml).toContain(
      'x &lt;a href="b"&gt;&amp;amp; \'q\' ]]&gt; \t tab&#13;\nCRLF&#13;CR 😀 y</example:note>',
    );
    expect(xml).toContain(
      "example:probe=\"x &lt;a href=&quot;b&quot;&gt;&amp;amp; 'q' ]]&gt; &#9; tab&#13;&#10;CRLF&#13;CR",
    );
    const back = firstEvent(document);
    expect(back['ns1:note']).toBe(hostile);
    expect(back.sensorElementList[0].sensorReport[0]['ns1:probe']).toBe(hostile);
    sameHashes(document);
    await valid(xml);
  });

  it("keeps the author's prefixes as XML prefixes, and writes their compact IRIs in values in full", async () => {
    const document = documentOf([
      minimalEvent({
        readPoint: { id: 'example:dock-7' },
        ilmd: { 'cbvmda:lotNumber': 'LOT1', 'example:grade': 'example:A' },
        sensorElementList: [
          { sensorReport: [{ type: 'gs1:Temperature', component: 'example:x', value: 2 }] },
        ],
      }),
    ]);
    const xml = writeEpcisXml(document);
    expect(xml).toContain(`xmlns:example="${EXAMPLE_NS}"`);
    expect(xml).toContain('xmlns:cbvmda="urn:epcglobal:cbv:mda"');
    expect(xml).toContain(`<id>${EXAMPLE_NS}dock-7</id>`);
    expect(xml).toContain(`<example:grade>${EXAMPLE_NS}A</example:grade>`);
    expect(xml).toContain(`type="gs1:Temperature" component="${EXAMPLE_NS}x"`);
    expect(firstEvent(document).ilmd).toEqual({ 'cbvmda:lotNumber': 'LOT1', 'ns1:grade': `${EXAMPLE_NS}A` });
    sameHashes(document);
    await valid(xml);
  });

  it('declares a prefix that event contexts bind differently on each element that uses it', async () => {
    const document = documentOf([
      minimalEvent({ '@context': { v: 'https://a.example/' }, 'v:f': 'one' }),
      minimalEvent({ '@context': { v: 'https://b.example/' }, 'v:f': 'two' }),
    ]);
    const xml = writeEpcisXml(document);
    expect(xml).toContain('<v:f xmlns:v="https://a.example/">one</v:f>');
    expect(xml).toContain('<v:f xmlns:v="https://b.example/">two</v:f>');
    sameHashes(document);
    await valid(xml);
  });

  it('types numbers and booleans with xsi:type, so they come back as numbers and booleans', async () => {
    const values = { 'example:count': 3, 'example:ratio': 0.25, 'example:tiny': 1e-7, 'example:ok': false };
    const document = documentOf([
      minimalEvent({
        ...values,
        quantityList: [{ epcClass: 'urn:epc:class:lgtin:0614141.107346.L1', quantity: 1e-7 }],
      }),
    ]);
    const xml = writeEpcisXml(document);
    expect(xml).toContain('<example:count xsi:type="xsd:integer">3</example:count>');
    expect(xml).toContain('<example:tiny xsi:type="xsd:decimal">0.0000001</example:tiny>');
    expect(xml).toContain('<example:ok xsi:type="xsd:boolean">false</example:ok>');
    expect(xml).toContain('<quantity>0.0000001</quantity>');
    const back = firstEvent(document);
    expect([back['ns1:count'], back['ns1:ratio'], back['ns1:tiny'], back['ns1:ok']]).toEqual(
      Object.values(values),
    );
    sameHashes(document);
    await valid(xml);
  });

  it('writes a uom without a quantity after a nil quantity, as the XSD orders them; empty lists as none', async () => {
    const document = documentOf([
      minimalEvent({
        quantityList: [{ epcClass: 'urn:epc:class:lgtin:0614141.107346.L1', uom: 'KGM' }],
        sourceList: [],
        bizTransactionList: [],
        'example:nothing': null,
      }),
    ]);
    const xml = writeEpcisXml(document);
    expect(xml).toContain('<quantity xsi:nil="true"/>');
    expect(xml).not.toMatch(/sourceList|bizTransactionList|example:nothing/);
    expect(firstEvent(document).quantityList).toEqual([
      { epcClass: 'urn:epc:class:lgtin:0614141.107346.L1', uom: 'KGM' },
    ]);
    sameHashes(document);
    await valid(xml);
  });

  it('writes header master data where EPCIS 2.0 XML carries it, and reads back the same', async () => {
    const epcisHeader = {
      epcisMasterData: {
        vocabularyList: [
          {
            type: 'urn:epcglobal:epcis:vtype:BusinessLocation',
            vocabularyElementList: [
              {
                id: 'urn:epc:id:sgln:0614141.00777.0',
                attributes: [
                  { id: 'urn:epcglobal:cbv:mda#name', attribute: 'Dock & Yard <7>' },
                  { id: 'urn:epcglobal:cbv:mda#address', attribute: { 'example:city': 'Brussels' } },
                ],
                children: ['urn:epc:id:sgln:0614141.00777.1'],
              },
            ],
          },
        ],
      },
    };
    const document = { ...documentOf([minimalEvent()]), epcisHeader };
    const xml = writeEpcisXml(document);
    expect(xml).toMatch(/<EPCISHeader>\s*<extension>\s*<EPCISMasterData>\s*<VocabularyList>/);
    const back = roundTrip(document).epcisHeader;
    expect(back.epcisMasterData.vocabularyList[0].vocabularyElementList[0].attributes).toEqual([
      { id: 'urn:epcglobal:cbv:mda#name', attribute: 'Dock & Yard <7>' },
      { id: 'urn:epcglobal:cbv:mda#address', attribute: { 'ns1:city': 'Brussels' } },
    ]);
    await valid(xml);
  });

  /**
   * Known limit, pinned so that it cannot change unnoticed: the Event Hash (like the reference) replaces any value
   * equal to a bare CBV term the same event uses by that term's IRI. URNs, the XML form written here, take no part in
   * that rule, so such a value hashes differently after the round trip. No example or vector has one; writing CBV
   * web URIs (https://ref.gs1.org/cbv/BizStep-shipping) instead of URNs would keep it.
   */
  it('known limit: a value equal to a bare CBV term of its own event', () => {
    const document = documentOf([minimalEvent({ bizStep: 'shipping', 'example:note': 'shipping' })]);
    expect(eventHashesOfDocument(roundTrip(document))).not.toEqual(eventHashesOfDocument(document));
  });

  it('is checked for real: the XSD refuses the written XML with two fields swapped', async () => {
    const xml = writeEpcisXml(documentOf([minimalEvent({ bizStep: 'shipping' })]));
    const swapped = xml.replace(/(<action>[^<]*<\/action>)(\s*)(<bizStep>[^<]*<\/bizStep>)/, '$3$2$1');
    expect(swapped).not.toBe(xml);
    expect((await validator.validate(Buffer.from(swapped)))[0].message).toContain('bizStep');
  });

  it.each([
    ['an extension key with an undefined prefix', { 'nope:f': 1 }, '/epcisBody/eventList/0/nope:f'],
    ['a character XML 1.0 cannot carry', { 'example:f': 'a\u0001b' }, '/epcisBody/eventList/0/example:f'],
    ['a field the XSD has no place for', { lotNumber: 'L1' }, '/epcisBody/eventList/0/lotNumber'],
    [
      'two certificationInfo (the XSD holds one)',
      { certificationInfo: ['urn:a:1', 'urn:a:2'] },
      '/epcisBody/eventList/0/certificationInfo',
    ],
    ['an extension event type', { type: 'https://example.com/MyEvent' }, '/epcisBody/eventList/0/type'],
    ['a list inside a list', { 'example:f': [['a']] }, '/epcisBody/eventList/0/example:f'],
  ])('refuses %s, naming the field', (_what, fields, field) => {
    let error: unknown;
    try {
      writeEpcisXml(documentOf([minimalEvent(fields)]));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EpcisXmlWriteError);
    expect(error).toMatchObject({ field });
  });

  it('refuses a document of the other type', () => {
    expect(() => writeEpcisXml(asQueryDocument(documentOf([])))).toThrow(EpcisXmlWriteError);
    expect(() => writeEpcisQueryXml(documentOf([]))).toThrow(/expected an EPCISQueryDocument/);
  });
});
