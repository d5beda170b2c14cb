import type { AnySchemaObject } from 'ajv';

/**
 * Where the official EPCIS 2.0 JSON Schema is stricter than the standard, Pedigree follows the standard. Each
 * deviation says what the schema refuses, why the standard allows it, and which test shows it; the schema file
 * itself is read unchanged from the conformance folder and relaxed here, in memory, by exactly these edits.
 */
export interface SchemaDeviation {
  id: string;
  schemaRefuses: string;
  standardSays: string;
  test: string;
}

export const SCHEMA_DEVIATIONS: readonly SchemaDeviation[] = [
  {
    id: 'cbv-urn-spelling',
    schemaRefuses:
      'a standard CBV value written as its CBV 1.x URN (urn:epcglobal:cbv:bizstep:shipping): vocab-other-uri excludes the urn:epcglobal:cbv namespace',
    standardSays:
      'CBV 2.0 §6.2/§8.2: the URN and the web URI name the same term; EPCIS XML documents (2.0 and 1.2) write URNs. ' +
      'Accepted in every spelling; the normaliser stores the bare term, the Event Hash uses the web URI, and the rules ' +
      'still refuse a URN whose term is not in the CBV',
    test: 'epcis-validator.spec.ts: "accepts a standard CBV term in all three spellings"',
  },
  {
    id: 'persistent-disposition-all-events',
    schemaRefuses:
      'persistentDisposition on an AggregationEvent, TransactionEvent or AssociationEvent (only ObjectEvent and TransformationEvent list it)',
    standardSays:
      'EPCIS 2.0 §7.4: persistentDisposition is a field of every event type; the EPCIS 2.0 XSD has it in all five',
    test: 'epcis-validator.spec.ts: "accepts persistentDisposition on every event type"',
  },
  {
    id: 'sensor-report-exception-only',
    schemaRefuses: 'a sensorReport with an exception and no type (sensorReport requires type)',
    standardSays:
      'EPCIS 2.0 §7.3.8 and the XSD: type and exception are both optional; an alarm or error report names its ' +
      'exception and may carry no measurement. Pedigree asks for at least one of the two',
    test: 'epcis-xml.conformance.spec.ts: WithSensorData_SensorDataExamples.xml, event 8',
  },
];

/** CBV vocabulary definitions of the schema, and the URN namespace of each. */
const CBV_URN_DEFINITIONS: Record<string, string> = {
  bizStep: 'urn:epcglobal:cbv:bizstep:',
  disposition: 'urn:epcglobal:cbv:disp:',
  'bizTransaction-type': 'urn:epcglobal:cbv:btt:',
  'source-dest-type': 'urn:epcglobal:cbv:sdt:',
  'error-reason': 'urn:epcglobal:cbv:er:',
};

const EVENTS_WITHOUT_PERSISTENT_DISPOSITION = ['AggregationEvent', 'TransactionEvent', 'AssociationEvent'];

type Definitions = Record<string, AnySchemaObject>;
/** The part of an event definition this file edits. */
interface EventBody {
  properties?: Record<string, unknown>;
  propertyNames?: { anyOf?: { enum?: string[] }[] };
}

/** A copy of the official schema with the deviations above applied; the input is not modified. */
export function relaxOfficialSchema(official: AnySchemaObject): AnySchemaObject {
  const schema = structuredClone(official) as AnySchemaObject & { definitions?: Definitions };
  const definitions = schema.definitions;
  if (!definitions) return schema;
  for (const [name, urn] of Object.entries(CBV_URN_DEFINITIONS)) {
    const original = definitions[name];
    if (!original) continue;
    definitions[name] = {
      anyOf: [original, { type: 'string', pattern: `^${urn.replace(/[.]/g, '\\.')}[A-Za-z0-9_.-]+$` }],
    };
  }
  for (const name of EVENTS_WITHOUT_PERSISTENT_DISPOSITION) {
    const body = (definitions[name]?.allOf as EventBody[] | undefined)?.[1];
    if (!body?.properties) continue;
    body.properties.persistentDisposition = { $ref: '#/definitions/persistentDisposition' };
    const names = body.propertyNames?.anyOf?.find((n) => Array.isArray(n.enum));
    if (names?.enum && !names.enum.includes('persistentDisposition'))
      names.enum.push('persistentDisposition');
  }
  const report = definitions.sensorReport;
  if (Array.isArray(report?.required) && report.required.includes('type')) {
    report.required = report.required.filter((r: string) => r !== 'type');
    report.anyOf = [{ required: ['type'] }, { required: ['exception'] }];
  }
  return schema;
}
