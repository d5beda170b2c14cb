import { createDocumentContext, getEventList } from '../model/epcis-document-context';
import { normaliseDocument, normaliseEvent } from '../model/event-normaliser';
import { computeEventHash } from '../hash/event-hash';
import { EpcisIssueCode, type EpcisIssue, type EpcisValidationResult } from './epcis-issue.types';
import { parseEpcisJson } from './epcis-json-parser';
import { EpcisValidationError } from './epcis-validation.error';
import { createEpcisValidator, groupIssuesByEvent } from './epcis-validator';
import {
  type MutableJson,
  example,
  loadEpcisExamples,
  loadEpcisSchema,
  loadEventHashDocuments,
} from './testing/epcis-conformance.fixtures';

const schema = loadEpcisSchema();
const validator = createEpcisValidator({ schema });

type Json = MutableJson;

function eventsOf(doc: Json): Json[] {
  return doc.epcisBody.eventList as Json[];
}

/** The one issue a mutation should produce, with a readable failure when there are more or fewer. */
function onlyIssue(result: EpcisValidationResult): EpcisIssue {
  expect(result.valid).toBe(false);
  expect(result.errors.map((e) => `${e.code} ${e.field}: ${e.message}`)).toHaveLength(1);
  return result.errors[0];
}

describe('createEpcisValidator — conformance documents', () => {
  const examples = loadEpcisExamples();
  const hashDocuments = loadEventHashDocuments();

  it('finds the conformance data', () => {
    expect(examples.length).toBeGreaterThanOrEqual(15);
    expect(hashDocuments.length).toBeGreaterThanOrEqual(13);
  });

  it.each(examples.map((f) => [f.name, f.text]))(
    'accepts and normalises the official example %s',
    (_name, text) => {
      const { value, eventCount } = parseEpcisJson(text);
      expect(validator.validate(value)).toEqual({ valid: true, errors: [] });
      const events = normaliseDocument(value);
      expect(events).toHaveLength(eventCount);
      for (const event of events) expect(Number.isNaN(event.eventTime.getTime())).toBe(false);
    },
  );

  // All of them pass the official schema too; none needed an exception.
  it.each(hashDocuments.map((f) => [f.name, f.text]))('accepts the event-hash document %s', (_name, text) => {
    const { value } = parseEpcisJson(text);
    expect(validator.validate(value)).toEqual({ valid: true, errors: [] });
    expect(() => normaliseDocument(value)).not.toThrow();
  });

  it.each([
    'https://ref.gs1.org/standards/epcis/epcis-context.jsonld',
    'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld',
    'https://ref.gs1.org/standards/epcis/2.0.1/epcis-context.jsonld',
    'https://gs1.github.io/EPCIS/epcis-context.jsonld',
  ])('accepts the EPCIS context in every form GS1 publishes: %s', (url) => {
    const document = parseEpcisJson(examples[0]!.text).value as Record<string, unknown>;
    const extras = (
      Array.isArray(document['@context']) ? document['@context'] : [document['@context']]
    ).filter((entry) => typeof entry !== 'string');
    expect(validator.validate({ ...document, '@context': [url, ...extras] })).toEqual({
      valid: true,
      errors: [],
    });
  });

  it('refuses a context that only looks like it', () => {
    const document = parseEpcisJson(examples[0]!.text).value as Record<string, unknown>;
    const result = validator.validate({
      ...document,
      '@context': ['https://example.com/standards/epcis/epcis-context.jsonld'],
    });
    expect(result.errors.map((e) => e.code)).toContain('EPCIS_MISSING_CONTEXT');
  });

  it('validates each event on its own with the document context (proceed mode)', () => {
    for (const { text } of [...examples, ...hashDocuments]) {
      const document = parseEpcisJson(text).value;
      const context = createDocumentContext(document);
      getEventList(document)!.forEach((event, index) => {
        expect(validator.validateEvent(event, context, index)).toEqual({ valid: true, errors: [] });
      });
    }
  });
});

describe('createEpcisValidator — invalid variants of valid examples', () => {
  it('rejects an event without action (EPCIS_ACTION_RULE at the action field)', () => {
    const doc = example('Example_9.6.1-ObjectEvent.jsonld');
    delete eventsOf(doc)[1].action;
    const issue = onlyIssue(validator.validate(doc));
    expect(issue).toMatchObject({
      code: EpcisIssueCode.ACTION_RULE,
      field: '/epcisBody/eventList/1/action',
      eventIndex: 1,
    });
    expect(issue.message).toContain('ADD, OBSERVE or DELETE');
  });

  it('rejects a malformed eventTime and says what was expected and what came', () => {
    const doc = example('Example_9.6.1-ObjectEvent.jsonld');
    eventsOf(doc)[0].eventTime = '2005-04-03 20:33';
    const issue = onlyIssue(validator.validate(doc));
    expect(issue).toMatchObject({
      code: EpcisIssueCode.INVALID_TIME,
      field: '/epcisBody/eventList/0/eventTime',
    });
    expect(issue.message).toMatch(/RFC 3339 .* offset/);
    expect(issue.value).toBe('"2005-04-03 20:33"');
  });

  it('rejects an eventTime without an offset and an impossible date', () => {
    for (const eventTime of ['2005-04-03T20:33:31', '2005-02-30T20:33:31Z', '2005-04-03T24:00:00Z']) {
      const doc = example('Example_9.6.1-ObjectEvent.jsonld');
      eventsOf(doc)[0].eventTime = eventTime;
      expect(onlyIssue(validator.validate(doc)).code).toBe(EpcisIssueCode.INVALID_TIME);
    }
  });

  it('rejects a bad eventTimeZoneOffset', () => {
    const doc = example('Example_9.6.1-ObjectEvent.jsonld');
    eventsOf(doc)[0].eventTimeZoneOffset = '+1:00';
    expect(onlyIssue(validator.validate(doc))).toMatchObject({
      code: EpcisIssueCode.INVALID_TIME,
      field: '/epcisBody/eventList/0/eventTimeZoneOffset',
    });
  });

  it('rejects a non-standard bizStep without a namespace', () => {
    const doc = example('Example_9.6.1-ObjectEvent.jsonld');
    eventsOf(doc)[0].bizStep = 'Shipping';
    const issue = onlyIssue(validator.validate(doc));
    expect(issue).toMatchObject({
      code: EpcisIssueCode.NON_STANDARD_VOCABULARY,
      field: '/epcisBody/eventList/0/bizStep',
      value: '"Shipping"',
    });
    expect(issue.message).toContain("Did you mean 'shipping'?");
  });

  it('accepts a non-standard bizStep with a namespace, and CBV web URIs', () => {
    const doc = example('Example_9.6.1-ObjectEvent.jsonld');
    eventsOf(doc)[0].bizStep = 'https://example.com/bizstep/relabelling';
    eventsOf(doc)[1].bizStep = 'example:relabelling';
    eventsOf(doc)[1].disposition = 'https://ref.gs1.org/cbv/Disp-in_progress';
    expect(validator.validate(doc)).toEqual({ valid: true, errors: [] });
  });

  it('accepts a standard CBV term in all three spellings (bare, CBV 1.x URN, web URI), each normalised to one', () => {
    const doc = example('Example_9.6.1-ObjectEvent.jsonld');
    eventsOf(doc)[0].bizStep = 'urn:epcglobal:cbv:bizstep:shipping';
    eventsOf(doc)[0].disposition = 'https://ref.gs1.org/cbv/Disp-in_transit';
    eventsOf(doc)[0].bizTransactionList[0].type = 'urn:epcglobal:cbv:btt:po';
    expect(validator.validate(doc)).toEqual({ valid: true, errors: [] });
    const context = createDocumentContext(doc);
    const normalised = normaliseEvent(eventsOf(doc)[0], context, 0);
    expect(normalised.bizStep).toBe('shipping');
    expect(normalised.disposition).toBe('in_transit');
    const bare = example('Example_9.6.1-ObjectEvent.jsonld');
    expect(computeEventHash(eventsOf(doc)[0], doc['@context'])).toBe(
      computeEventHash(eventsOf(bare)[0], bare['@context']),
    );
  });

  it('accepts persistentDisposition on every event type (the schema lists it on two of five)', () => {
    for (const file of ['Example_9.6.3-AggregationEvent.jsonld', 'AssociationEvent-a.jsonld']) {
      const doc = example(file);
      for (const event of eventsOf(doc)) event.persistentDisposition = { set: ['completeness_verified'] };
      expect(validator.validate(doc)).toEqual({ valid: true, errors: [] });
      eventsOf(doc)[0].persistentDisposition = { set: ['in_limbo'] };
      expect(validator.validate(doc).valid).toBe(false);
    }
  });

  it('rejects unknown terms in the CBV namespace, in either spelling', () => {
    const doc = example('Example_9.6.1-ObjectEvent.jsonld');
    eventsOf(doc)[0].bizStep = 'urn:epcglobal:cbv:bizstep:teleporting';
    eventsOf(doc)[1].disposition = 'https://ref.gs1.org/cbv/Disp-in_limbo';
    const result = validator.validate(doc);
    expect(result.errors.map((e) => [e.code, e.field])).toEqual([
      [EpcisIssueCode.NON_STANDARD_VOCABULARY, '/epcisBody/eventList/0/bizStep'],
      [EpcisIssueCode.NON_STANDARD_VOCABULARY, '/epcisBody/eventList/1/disposition'],
    ]);
    expect(result.errors[0].message).toContain("'teleporting' is not a CBV business step");
  });

  it('rejects a vocabulary value whose prefix @context does not define', () => {
    const doc = example('Example_9.6.1-ObjectEvent.jsonld');
    eventsOf(doc)[0].bizTransactionList[0].type = 'acme:contract';
    expect(onlyIssue(validator.validate(doc))).toMatchObject({
      code: EpcisIssueCode.UNKNOWN_PREFIX,
      field: '/epcisBody/eventList/0/bizTransactionList/0/type',
    });
  });

  it('rejects a GTIN with a wrong check digit in a Digital Link', () => {
    const doc = example('Example_9.6.1-ObjectEventWithDigitalLink.jsonld');
    eventsOf(doc)[0].epcList[1] = 'https://id.gs1.org/01/70614141123452/21/2018';
    const issue = onlyIssue(validator.validate(doc));
    expect(issue).toMatchObject({
      code: EpcisIssueCode.CHECK_DIGIT,
      field: '/epcisBody/eventList/0/epcList/1',
    });
    expect(issue.message).toContain('expected 1');
  });

  it('rejects wrong check digits in SSCC and GLN Digital Links', () => {
    const doc = example('Example_9.6.1-ObjectEvent.jsonld');
    eventsOf(doc)[0].epcList = ['https://id.gs1.org/00/106141412345678909'];
    eventsOf(doc)[0].readPoint = { id: 'https://id.gs1.org/414/0614141123453/254/7' };
    const result = validator.validate(doc);
    expect(result.errors.map((e) => [e.code, e.field])).toEqual([
      [EpcisIssueCode.CHECK_DIGIT, '/epcisBody/eventList/0/epcList/0'],
      [EpcisIssueCode.CHECK_DIGIT, '/epcisBody/eventList/0/readPoint/id'],
    ]);
  });

  it('rejects malformed EPC URNs and class-level identifiers in an epcList', () => {
    const doc = example('Example_9.6.1-ObjectEvent.jsonld');
    eventsOf(doc)[0].epcList = [
      'urn:epc:id:sgtin:0614141.10734.2017',
      'urn:epc:class:lgtin:4012345.012345.998877',
    ];
    const result = validator.validate(doc);
    expect(result.errors.map((e) => [e.code, e.field])).toEqual([
      [EpcisIssueCode.INVALID_EPC, '/epcisBody/eventList/0/epcList/0'],
      [EpcisIssueCode.INVALID_EPC, '/epcisBody/eventList/0/epcList/1'],
    ]);
    expect(result.errors[0].message).toContain('13 digits');
    expect(result.errors[1].message).toContain('quantity list');
  });

  it('rejects a quantity given as text (EPCIS_INVALID_QUANTITY, not a schema cascade)', () => {
    const doc = example('Example_9.6.2-ObjectEvent.jsonld');
    eventsOf(doc)[0].quantityList[0].quantity = '200';
    const issue = onlyIssue(validator.validate(doc));
    expect(issue).toMatchObject({
      code: EpcisIssueCode.INVALID_QUANTITY,
      field: '/epcisBody/eventList/0/quantityList/0/quantity',
      value: '"200"',
    });
  });

  it('rejects a negative quantity and a uom without quantity', () => {
    const doc = example('Example_9.6.3-AggregationEvent.jsonld');
    eventsOf(doc)[0].childQuantityList = [
      { epcClass: 'urn:epc:class:lgtin:4012345.012345.998877', quantity: -1 },
      { epcClass: 'urn:epc:class:lgtin:4012345.012345.998877', uom: 'KGM' },
    ];
    const result = validator.validate(doc);
    expect(result.errors.map((e) => [e.code, e.field])).toEqual([
      [EpcisIssueCode.INVALID_QUANTITY, '/epcisBody/eventList/0/childQuantityList/0/quantity'],
      [EpcisIssueCode.INVALID_QUANTITY, '/epcisBody/eventList/0/childQuantityList/1/uom'],
    ]);
  });

  it('rejects a document without @context', () => {
    const doc = example('Example_9.6.2-ObjectEvent.jsonld');
    delete doc['@context'];
    // The extension key's prefix is undefined too, but that follows from the missing @context.
    expect(eventsOf(doc)[0]['example:myField']).toBeDefined();
    expect(onlyIssue(validator.validate(doc))).toMatchObject({
      code: EpcisIssueCode.MISSING_CONTEXT,
      field: '/@context',
    });
  });

  it('rejects an @context that does not reference EPCIS 2.0, and accepts the GitHub alias', () => {
    const doc = example('SensorDataExample2.jsonld');
    doc['@context'] = 'https://example.com/my-context.jsonld';
    expect(onlyIssue(validator.validate(doc)).code).toBe(EpcisIssueCode.MISSING_CONTEXT);
    doc['@context'] = 'https://gs1.github.io/EPCIS/epcis-context.jsonld';
    expect(validator.validate(doc).valid).toBe(true);
  });

  it('rejects an extension key with an unknown prefix, nested ones included', () => {
    const doc = example('Example_9.6.1-ObjectEvent.jsonld');
    eventsOf(doc)[1]['acme:batchInfo'] = { 'example:ok': 1, 'other:nested': [{ 'third:deep': true }] };
    const result = validator.validate(doc);
    expect(result.errors.map((e) => [e.code, e.field])).toEqual([
      [EpcisIssueCode.UNKNOWN_PREFIX, '/epcisBody/eventList/1/acme:batchInfo'],
      [EpcisIssueCode.UNKNOWN_PREFIX, '/epcisBody/eventList/1/acme:batchInfo/other:nested'],
      [EpcisIssueCode.UNKNOWN_PREFIX, '/epcisBody/eventList/1/acme:batchInfo/other:nested/0/third:deep'],
    ]);
    expect(result.errors[0].message).toContain("prefix 'acme'");
  });

  it('accepts extension keys that are full IRIs or use prefixes the document or the event defines', () => {
    const doc = example('Example_9.6.1-ObjectEvent.jsonld');
    eventsOf(doc)[0]['https://ns.acme.com/epcis/field'] = 1;
    eventsOf(doc)[0]['urn:acme:field'] = 2;
    eventsOf(doc)[1]['@context'] = { acme: 'https://ns.acme.com/epcis/' };
    eventsOf(doc)[1]['acme:field'] = 3;
    expect(validator.validate(doc)).toEqual({ valid: true, errors: [] });
  });

  it('rejects an ErrorDeclaration without declarationTime', () => {
    const doc = example('ErrorDeclarationAndCorrectiveEvent.jsonld');
    delete eventsOf(doc)[0].errorDeclaration.declarationTime;
    expect(onlyIssue(validator.validate(doc))).toMatchObject({
      code: EpcisIssueCode.ERROR_DECLARATION,
      field: '/epcisBody/eventList/0/errorDeclaration/declarationTime',
    });
  });

  it('applies the action rules of each event type', () => {
    const aggregation = example('Example_9.6.3-AggregationEvent.jsonld');
    Object.assign(eventsOf(aggregation)[0], { action: 'ADD' });
    delete eventsOf(aggregation)[0].parentID;
    expect(onlyIssue(validator.validate(aggregation))).toMatchObject({
      code: EpcisIssueCode.ACTION_RULE,
      field: '/epcisBody/eventList/0/parentID',
    });

    // DELETE may omit the children.
    const unpack = example('Example_9.6.3-AggregationEvent.jsonld');
    Object.assign(eventsOf(unpack)[0], { action: 'DELETE' });
    delete eventsOf(unpack)[0].childEPCs;
    delete eventsOf(unpack)[0].childQuantityList;
    expect(validator.validate(unpack).valid).toBe(true);
    eventsOf(unpack)[0].action = 'ADD';
    expect(onlyIssue(validator.validate(unpack))).toMatchObject({
      code: EpcisIssueCode.ACTION_RULE,
      field: '/epcisBody/eventList/0/childEPCs',
    });

    const transformation = example('Example_9.6.4-TransformationEvent.jsonld');
    eventsOf(transformation)[0].action = 'ADD';
    expect(onlyIssue(validator.validate(transformation))).toMatchObject({
      code: EpcisIssueCode.ACTION_RULE,
      field: '/epcisBody/eventList/0/action',
    });

    const observeWithIlmd = example('Example_9.6.1-ObjectEvent.jsonld');
    eventsOf(observeWithIlmd)[0].ilmd = { 'cbvmda:lotNumber': 'L1' };
    expect(onlyIssue(validator.validate(observeWithIlmd))).toMatchObject({
      code: EpcisIssueCode.ACTION_RULE,
      field: '/epcisBody/eventList/0/ilmd',
    });

    const badAction = example('AssociationEvent-a.jsonld');
    eventsOf(badAction)[0].action = 'add';
    expect(onlyIssue(validator.validate(badAction)).message).toContain('got "add"');
  });

  it('applies the event-type rules that are not about action', () => {
    const object = example('Example_9.6.1-ObjectEvent.jsonld');
    delete eventsOf(object)[0].epcList;
    expect(onlyIssue(validator.validate(object))).toMatchObject({
      code: EpcisIssueCode.EVENT_RULE,
      field: '/epcisBody/eventList/0/epcList',
    });

    const transformation = example('Example_9.6.4-TransformationEvent.jsonld');
    delete eventsOf(transformation)[0].outputEPCList;
    expect(onlyIssue(validator.validate(transformation))).toMatchObject({
      code: EpcisIssueCode.EVENT_RULE,
      field: '/epcisBody/eventList/0/transformationID',
    });
  });

  it('rejects a document that is not an EPCIS document', () => {
    expect(onlyIssue(validator.validate([1, 2]))).toMatchObject({
      code: EpcisIssueCode.DOCUMENT_TYPE,
      field: '',
    });
    const event = eventsOf(example('Example_9.6.1-ObjectEvent.jsonld'))[0];
    expect(validator.validate(event).errors[0]).toMatchObject({
      code: EpcisIssueCode.DOCUMENT_TYPE,
      field: '/type',
    });
  });

  it('rejects a schemaVersion that is not 2.x', () => {
    const doc = example('AssociationEvent-b.jsonld');
    doc.schemaVersion = '1.2';
    expect(onlyIssue(validator.validate(doc)).code).toBe(EpcisIssueCode.UNSUPPORTED_VERSION);
  });

  it('enforces the event limit', () => {
    const limited = createEpcisValidator({ schema, limits: { maxEvents: 1 } });
    expect(onlyIssue(limited.validate(example('Example_9.6.1-ObjectEvent.jsonld')))).toMatchObject({
      code: EpcisIssueCode.TOO_MANY_EVENTS,
      field: '/epcisBody/eventList',
    });
  });
});

describe('createEpcisValidator — schema errors are distilled', () => {
  const noise = /must match "then" schema|must match a schema in anyOf/;

  it('names an unknown property once, with what was expected', () => {
    const doc = example('Example_9.6.1-ObjectEvent.jsonld');
    eventsOf(doc)[0].bizstep = 'shipping';
    const issue = onlyIssue(validator.validate(doc));
    expect(issue).toMatchObject({ code: EpcisIssueCode.SCHEMA, field: '/epcisBody/eventList/0/bizstep' });
    expect(issue.message).toMatch(/property "bizstep" is not allowed here; expected one of .*bizStep/);
  });

  it('reports the specific failing keyword at the real path, with the value', () => {
    const doc = example('Example_9.6.2-ObjectEvent.jsonld');
    eventsOf(doc)[0].quantityList[0].uom = 'kg';
    const issue = onlyIssue(validator.validate(doc));
    expect(issue).toMatchObject({
      code: EpcisIssueCode.SCHEMA,
      field: '/epcisBody/eventList/0/quantityList/0/uom',
      value: '"kg"',
    });
    expect(issue.message).toContain('^[A-Z0-9]{2,3}$');
  });

  it('merges the alternatives of a vocabulary anyOf into one sentence', () => {
    const doc = example('SensorDataExample1.jsonld');
    eventsOf(doc)[0].sensorElementList[0].sensorReport[0].type = 'Temprature';
    const issue = onlyIssue(validator.validate(doc));
    expect(issue.field).toBe('/epcisBody/eventList/0/sensorElementList/0/sensorReport/0/type');
    expect(issue.message).toMatch(/must be a standard value \(.*\) or an absolute URI/);
    expect(issue.message).not.toMatch(noise);
  });

  it('explains an unsatisfied anyOf as one "one of" issue', () => {
    const doc = example('PersistentDisposition-example.jsonld');
    eventsOf(doc)[0].persistentDisposition = {};
    const issue = onlyIssue(validator.validate(doc));
    expect(issue.field).toBe('/epcisBody/eventList/0/persistentDisposition');
    expect(issue.message).toMatch(/one of: .*set.* or .*unset/);
  });

  it('reports the error inside the value rather than the alternatives it defeats', () => {
    const doc = example('Example_9.6.1-ObjectEvent.jsonld');
    eventsOf(doc)[0].epcList[1] = 'not a uri';
    const issue = onlyIssue(validator.validate(doc));
    expect(issue).toMatchObject({ code: EpcisIssueCode.SCHEMA, field: '/epcisBody/eventList/0/epcList/1' });
    expect(issue.message).toBe(`'epcList/1' must be an absolute URI; got "not a uri"`);
  });

  it('reports a wrong JSON type once', () => {
    const doc = example('Example_9.6.1-ObjectEvent.jsonld');
    (eventsOf(doc) as unknown[])[1] = 42;
    const issue = onlyIssue(validator.validate(doc));
    expect(issue).toMatchObject({
      code: EpcisIssueCode.SCHEMA,
      field: '/epcisBody/eventList/1',
      eventIndex: 1,
    });
    expect(issue.message).toBe('the event must be of type object; got 42');
  });

  it('reports envelope problems without touching the events', () => {
    const doc = example('Example_9.6.1-ObjectEvent.jsonld');
    delete doc.creationDate;
    doc.sender = 7;
    const result = validator.validate(doc);
    expect(result.errors.map((e) => e.field).sort()).toEqual(['/creationDate', '/sender']);
    expect(result.errors.every((e) => e.eventIndex === undefined && !noise.test(e.message))).toBe(true);
  });

  it('places issues of query documents under the query result list', () => {
    const doc = parseEpcisJson(
      loadEventHashDocuments().find((f) => f.name === 'epcisQueryDocument.jsonld')!.text,
    ).value as Json;
    doc.epcisBody.queryResults.resultsBody.eventList[1].epcList = ['urn:epc:id:sgtin:1.2.3'];
    expect(onlyIssue(validator.validate(doc))).toMatchObject({
      code: EpcisIssueCode.INVALID_EPC,
      field: '/epcisBody/queryResults/resultsBody/eventList/1/epcList/0',
      eventIndex: 1,
    });
  });
});

describe('per-event mode and helpers', () => {
  it('rejects one bad event and accepts the rest', () => {
    const doc = example('Example_9.6.1-ObjectEvent.jsonld');
    eventsOf(doc)[0].eventTime = 'yesterday';
    const context = createDocumentContext(doc);
    const results = eventsOf(doc).map((event, index) => validator.validateEvent(event, context, index));
    expect(results.map((r) => r.valid)).toEqual([false, true]);
    expect(results[0].errors[0]).toMatchObject({ field: '/epcisBody/eventList/0/eventTime', eventIndex: 0 });
    expect(validator.validateEvent(eventsOf(doc)[0], context).errors[0].field).toBe('/eventTime');
  });

  it('groups document issues and event issues', () => {
    const doc = example('Example_9.6.1-ObjectEvent.jsonld');
    doc.schemaVersion = '3.0';
    eventsOf(doc)[1].eventTime = 'nope';
    const { document, events } = groupIssuesByEvent(validator.validate(doc).errors);
    expect(document.map((i) => i.code)).toEqual([EpcisIssueCode.UNSUPPORTED_VERSION]);
    expect([...events.keys()]).toEqual([1]);
  });

  it('assertValid returns the typed document or throws EpcisValidationError with every issue', () => {
    const doc = example('Example_9.6.1-ObjectEvent.jsonld');
    expect(validator.assertValid(doc).type).toBe('EPCISDocument');
    eventsOf(doc)[0].eventTime = 'nope';
    eventsOf(doc)[1].bizStep = 'nope';
    try {
      validator.assertValid(doc);
      throw new Error('expected a throw');
    } catch (error) {
      expect(error).toBeInstanceOf(EpcisValidationError);
      const e = error as EpcisValidationError;
      expect(e.code).toBe(EpcisIssueCode.INVALID_TIME);
      expect(e.retriable).toBe(false);
      expect(e.issues).toHaveLength(2);
    }
  });

  it('caps the number of issues and says so', () => {
    const capped = createEpcisValidator({ schema, maxIssues: 3 });
    const doc = example('PersistentDisposition-example.jsonld');
    for (const event of eventsOf(doc)) event.epcList = event.epcList.map(() => 'urn:epc:id:sgtin:1.2.3');
    const result = capped.validate(doc);
    expect(result.errors).toHaveLength(3);
    expect(result.truncated).toBe(true);
  });

  it('reports extension values nested too deeply (or cyclic) instead of overflowing the stack', () => {
    const doc = example('Example_9.6.1-ObjectEvent.jsonld');
    let deep: Json = {};
    for (let i = 0; i < 100_000; i++) deep = { 'example:x': [deep] };
    eventsOf(doc)[0]['example:deep'] = deep;
    const cyclic: Json = {};
    cyclic['example:self'] = cyclic;
    eventsOf(doc)[1]['example:cyclic'] = cyclic;
    const result = validator.validate(doc);
    expect(result.errors.map((e) => [e.code, e.eventIndex])).toEqual([
      [EpcisIssueCode.TOO_DEEP, 0],
      [EpcisIssueCode.TOO_DEEP, 1],
    ]);
  });
});
