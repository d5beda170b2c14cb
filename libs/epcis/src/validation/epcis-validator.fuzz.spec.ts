import fc from 'fast-check';
import { createDocumentContext } from '../model/epcis-document-context';
import { normaliseDocument } from '../model/event-normaliser';
import { parseEpcisJson } from './epcis-json-parser';
import { EpcisValidationError } from './epcis-validation.error';
import { createEpcisValidator } from './epcis-validator';
import {
  loadEpcisExamples,
  loadEpcisSchema,
  loadEventHashDocuments,
} from './testing/epcis-conformance.fixtures';

/**
 * Whatever arrives from Kafka or HTTP, the parser throws nothing but EpcisValidationError, the validator never
 * throws, and whatever the validator accepts the normaliser can read.
 */
const validator = createEpcisValidator({ schema: loadEpcisSchema() });
const documents = [...loadEpcisExamples(), ...loadEventHashDocuments()].map((f) => f.text);
// EPCIS_FUZZ_RUNS=20000 for a longer local run.
const RUNS = Number(process.env.EPCIS_FUZZ_RUNS ?? 400);

type Path = (string | number)[];

function paths(value: unknown, prefix: Path = [], out: Path[] = []): Path[] {
  out.push(prefix);
  if (Array.isArray(value)) value.forEach((item, i) => paths(item, [...prefix, i], out));
  else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) paths(item, [...prefix, key], out);
  }
  return out;
}

type Mutation = 'replace' | 'delete' | 'duplicate' | 'stringify';

/** Applies one mutation at `path` inside `root` (mutates; returns the possibly new root). */
function mutate(root: unknown, path: Path, kind: Mutation, replacement: unknown): unknown {
  if (path.length === 0) return kind === 'replace' ? replacement : root;
  let parent = root as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  const key = path[path.length - 1];
  switch (kind) {
    case 'replace':
      parent[key] = replacement;
      break;
    case 'delete':
      if (Array.isArray(parent)) parent.splice(Number(key), 1);
      else delete parent[key];
      break;
    case 'duplicate':
      if (Array.isArray(parent)) parent.push(structuredClone(parent[key]));
      else parent[`${String(key)}2`] = structuredClone(parent[key]);
      break;
    case 'stringify':
      parent[key] = JSON.stringify(parent[key]) ?? 'undefined';
      break;
  }
  return root;
}

function expectOnlyValidationErrors(run: () => void): void {
  try {
    run();
  } catch (error) {
    if (!(error instanceof EpcisValidationError)) throw error;
  }
}

/** The contract for any input: a well-formed result, and a normalisable document when valid. */
function checkContract(value: unknown): void {
  const result = validator.validate(value);
  expect(typeof result.valid).toBe('boolean');
  expect(result.valid).toBe(result.errors.length === 0);
  for (const issue of result.errors) {
    expect(issue.code).toMatch(/^EPCIS_[A-Z_]+$/);
    expect(issue.field === '' || issue.field.startsWith('/')).toBe(true);
    expect(issue.message.length).toBeGreaterThan(0);
    expect(issue.message).not.toMatch(/must match "then" schema/);
  }
  if (result.valid) expect(() => normaliseDocument(value)).not.toThrow();
  else expectOnlyValidationErrors(() => normaliseDocument(value));
}

describe('fuzzing the parser, validator and normaliser', () => {
  it('parseEpcisJson throws only EpcisValidationError on random text and bytes', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), fc.json(), fc.uint8Array({ maxLength: 200 })),
        (input) => {
          expectOnlyValidationErrors(() => {
            const { value } = parseEpcisJson(typeof input === 'string' ? input : Buffer.from(input), {
              maxDepth: 8,
            });
            checkContract(value);
          });
        },
      ),
      { numRuns: RUNS * 2 },
    );
  });

  it('validate never throws on random JSON values', () => {
    fc.assert(fc.property(fc.jsonValue(), checkContract), { numRuns: RUNS });
  });

  it('validate never throws on random values shaped like EPCIS documents', () => {
    const event = fc.record(
      {
        type: fc.constantFrom(
          'ObjectEvent',
          'AggregationEvent',
          'TransactionEvent',
          'TransformationEvent',
          'AssociationEvent',
          'x:Y',
          'Z',
        ),
        action: fc.oneof(fc.constantFrom('ADD', 'OBSERVE', 'DELETE'), fc.jsonValue()),
        eventTime: fc.oneof(
          fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
          fc.jsonValue(),
        ),
        eventTimeZoneOffset: fc.oneof(fc.constant('+01:00'), fc.jsonValue()),
        epcList: fc.oneof(
          fc.array(fc.oneof(fc.string(), fc.constant('urn:epc:id:sgtin:0614141.107346.1'))),
          fc.jsonValue(),
        ),
        quantityList: fc.array(
          fc.record(
            { epcClass: fc.string(), quantity: fc.jsonValue(), uom: fc.string() },
            { requiredKeys: [] },
          ),
        ),
        bizStep: fc.oneof(fc.string(), fc.jsonValue()),
        ilmd: fc.dictionary(fc.string(), fc.jsonValue()),
        errorDeclaration: fc.jsonValue(),
        parentID: fc.oneof(fc.string(), fc.constant('https://id.gs1.org/00/106141412345678908')),
      },
      { requiredKeys: [] },
    );
    const document = fc.record(
      {
        '@context': fc.oneof(
          fc.constant(['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld']),
          fc.jsonValue(),
        ),
        type: fc.constantFrom('EPCISDocument', 'EPCISQueryDocument', 'Other'),
        schemaVersion: fc.constantFrom('2.0', '1.2', 'x'),
        creationDate: fc.string(),
        epcisBody: fc.record({ eventList: fc.array(fc.oneof(event, fc.jsonValue()), { maxLength: 4 }) }),
      },
      { requiredKeys: [] },
    );
    fc.assert(fc.property(document, checkContract), { numRuns: RUNS });
    fc.assert(
      fc.property(event, (e) => {
        const result = validator.validateEvent(e, createDocumentContext({}), 0);
        expect(result.valid).toBe(result.errors.length === 0);
      }),
      { numRuns: RUNS },
    );
  });

  it('validate never throws on random mutations of the valid conformance documents', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: documents.length - 1 }),
        fc.array(
          fc.tuple(
            fc.nat(),
            fc.constantFrom<Mutation>('replace', 'delete', 'duplicate', 'stringify'),
            fc.jsonValue({ maxDepth: 3 }),
          ),
          { minLength: 1, maxLength: 4 },
        ),
        (which, mutations) => {
          let document: unknown = JSON.parse(documents[which]);
          for (const [pick, kind, replacement] of mutations) {
            const all = paths(document);
            document = mutate(document, all[pick % all.length], kind, replacement);
          }
          checkContract(document);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('parse + validate never throw anything else on byte-level corruption of valid documents', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: documents.length - 1 }),
        fc.array(fc.tuple(fc.nat(), fc.string({ unit: 'binary', maxLength: 3 })), {
          minLength: 1,
          maxLength: 5,
        }),
        (which, edits) => {
          let text = documents[which];
          for (const [at, insert] of edits) {
            const i = at % (text.length + 1);
            text = text.slice(0, i) + insert + text.slice(i + 1);
          }
          expectOnlyValidationErrors(() => checkContract(parseEpcisJson(text).value));
        },
      ),
      { numRuns: RUNS },
    );
  });
});
