import { CommonError, CommonErrorCode } from '@pedigree/common';
import {
  type CbvKind,
  CBV_NAMESPACES,
  compactCbv,
  EPCIS_EVENT_TYPES,
  expandCbv,
  parseEpcisDateTime,
} from '@pedigree/epcis';

/** A query parameter as it arrives: a query-string value (repeated or comma-separated) or a named query's JSON. */
export type QueryParamValue = string | number | boolean | (string | number | boolean)[];
export type QueryParams = Record<string, QueryParamValue | undefined>;

export type Comparison = 'EQ' | 'GT' | 'GE' | 'LT' | 'LE';
export type IdentifierField = 'epc' | 'parentID' | 'inputEPC' | 'outputEPC' | 'anyEPC';
export type ClassField = 'epcClass' | 'inputEPCClass' | 'outputEPCClass' | 'anyEPCClass';

/** A condition on a field of the event (an extension field) or of its ILMD, by its name as captured. */
export interface FieldCondition {
  scope: 'event' | 'ilmd';
  field: string;
  op: Comparison | 'EXISTS';
  values: (string | number)[];
}

/** Conditions one sensor report must meet together (type, unit and value, device, time). */
export interface SensorCondition {
  types?: string[];
  deviceIds?: string[];
  uom?: string;
  values: { field: string; op: Comparison; value: number }[];
  geTime?: string;
  ltTime?: string;
}

export interface PartyCondition {
  type: string[];
  values: string[];
}

/** A SimpleEventQuery, parsed and checked: every name is known, every value has its type. */
export interface EventQuery {
  eventTypes?: string[];
  actions?: string[];
  bizSteps?: string[];
  dispositions?: string[];
  readPoints?: string[];
  bizLocations?: string[];
  eventIds?: string[];
  transformationIds?: string[];
  geEventTime?: string;
  ltEventTime?: string;
  geRecordTime?: string;
  ltRecordTime?: string;
  identifiers: Partial<Record<IdentifierField, string[]>>;
  classes: Partial<Record<ClassField, string[]>>;
  bizTransactions: PartyCondition[];
  sources: PartyCondition[];
  destinations: PartyCondition[];
  errorDeclaration?: boolean;
  errorReasons?: string[];
  correctiveEventIds?: string[];
  fields: FieldCondition[];
  sensor?: SensorCondition;
  orderBy: 'eventTime' | 'recordTime';
  orderDirection: 'ASC' | 'DESC';
  eventCountLimit?: number;
  maxEventCount?: number;
  perPage?: number;
  nextPageToken?: string;
}

const LIST_PARAMS = {
  eventType: 'eventTypes',
  EQ_action: 'actions',
  EQ_readPoint: 'readPoints',
  EQ_bizLocation: 'bizLocations',
  EQ_eventID: 'eventIds',
  EQ_transformationID: 'transformationIds',
  EQ_correctiveEventID: 'correctiveEventIds',
} as const;
const CBV_PARAMS = {
  EQ_bizStep: ['bizSteps', 'bizStep'],
  EQ_disposition: ['dispositions', 'disposition'],
  EQ_errorReason: ['errorReasons', 'errorReason'],
} as const;
const TIME_PARAMS = {
  GE_eventTime: 'geEventTime',
  LT_eventTime: 'ltEventTime',
  GE_recordTime: 'geRecordTime',
  LT_recordTime: 'ltRecordTime',
} as const;
const IDENTIFIER_PARAMS: Record<string, IdentifierField> = {
  MATCH_epc: 'epc',
  MATCH_parentID: 'parentID',
  MATCH_inputEPC: 'inputEPC',
  MATCH_outputEPC: 'outputEPC',
  MATCH_anyEPC: 'anyEPC',
};
const CLASS_PARAMS: Record<string, ClassField> = {
  MATCH_epcClass: 'epcClass',
  MATCH_inputEPCClass: 'inputEPCClass',
  MATCH_outputEPCClass: 'outputEPCClass',
  MATCH_anyEPCClass: 'anyEPCClass',
};
const INTEGER_PARAMS = { eventCountLimit: 1_000_000, maxEventCount: 1_000_000, perPage: 1000 } as const;
const ACTIONS = new Set(['ADD', 'OBSERVE', 'DELETE']);
const SENSOR_VALUE_FIELDS = new Set([
  'value',
  'minValue',
  'maxValue',
  'meanValue',
  'sDev',
  'percRank',
  'percValue',
]);
const SENSOR_PARAMS = new Set(['EQ_type', 'EQ_deviceID', 'GE_time', 'LT_time']);
const GS1_VOC = 'https://gs1.org/voc/';

/** Parameters the query answers in the REST binding without being SimpleEventQuery parameters. */
const TRANSPORT_PARAMS = new Set(['nextPageToken']);

export function queryError(field: string, message: string): CommonError {
  return new CommonError(CommonErrorCode.VALIDATION_FAILED, message, { field });
}

/** The values of a parameter: repeated, comma-separated or a JSON array, trimmed, none empty. */
export function listOf(name: string, raw: QueryParamValue): string[] {
  const items = (Array.isArray(raw) ? raw : [raw]).flatMap((v) =>
    typeof v === 'string' ? v.split(',') : [String(v)],
  );
  const values = items.map((v) => v.trim()).filter((v) => v.length > 0);
  if (values.length === 0) throw queryError(name, `${name} needs at least one value.`);
  if (values.length > 500) throw queryError(name, `${name} takes at most 500 values.`);
  if (values.some((v) => v.length > 1000))
    throw queryError(name, `${name} has a value over 1,000 characters.`);
  return values;
}

function single(name: string, raw: QueryParamValue): string {
  const values = listOf(name, raw);
  if (values.length > 1) throw queryError(name, `${name} takes one value, got ${values.length}.`);
  return values[0]!;
}

/** Every spelling of a CBV value (bare, web URI, CBV 1.x URN), since stored events keep the one they came with. */
export function cbvSpellings(kind: CbvKind, value: string): string[] {
  const bare = compactCbv(kind, value);
  const web = expandCbv(kind, value);
  const term = web.startsWith(CBV_NAMESPACES[kind].web)
    ? web.slice(CBV_NAMESPACES[kind].web.length)
    : undefined;
  const urn = term === undefined ? undefined : CBV_NAMESPACES[kind].urn + term;
  return [...new Set([value, bare, web, ...(urn ? [urn] : [])])];
}

/** A GS1 Web Vocabulary term in its three spellings (`Temperature`, `gs1:Temperature`, the full URI). */
function gs1VocSpellings(value: string): string[] {
  const local = value.startsWith(GS1_VOC) ? value.slice(GS1_VOC.length) : value.replace(/^gs1:/, '');
  return [...new Set([value, local, `gs1:${local}`, GS1_VOC + local])];
}

function number(name: string, raw: QueryParamValue): number {
  const text = single(name, raw);
  const value = Number(text);
  if (!Number.isFinite(value))
    throw queryError(name, `${name} must be a number, got "${text.slice(0, 40)}".`);
  return value;
}

function integer(name: keyof typeof INTEGER_PARAMS, raw: QueryParamValue): number {
  const value = number(name, raw);
  if (!Number.isInteger(value) || value < 1 || value > INTEGER_PARAMS[name])
    throw queryError(name, `${name} must be an integer from 1 to ${INTEGER_PARAMS[name]}.`);
  return value;
}

function dateTime(name: string, raw: QueryParamValue): string {
  const value = single(name, raw);
  if (parseEpcisDateTime(value) === undefined)
    throw queryError(
      name,
      `${name} must be an ISO 8601 date-time with an offset, got "${value.slice(0, 40)}".`,
    );
  return value;
}

function flag(name: string, raw: QueryParamValue): boolean {
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (value === '' || value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw queryError(name, `${name} takes no value, or true/false.`);
}

/**
 * Parses the EPCIS 2.0 SimpleEventQuery parameters (§8.2.7.1) of the REST binding: the fixed ones, and the
 * patterned `EQ_bizTransaction_{type}`, `EQ_source_{type}`, `EQ_destination_{type}`, `{EQ|GT|GE|LT|LE|EXISTS}_ILMD_{field}`,
 * `{EQ|GT|GE|LT|LE|EXISTS}_{prefix:field}` (an extension field by the name it was captured with), and the sensor
 * parameters (`EQ_type`, `EQ_deviceID`, `{EQ|GT|GE|LT|LE}_{value|minValue|…}_{uom}`, `GE_time`, `LT_time`). An
 * unknown name is refused by name rather than ignored: a typo must not silently widen a query.
 */
export function parseEventQuery(params: QueryParams): EventQuery {
  const query: EventQuery = {
    identifiers: {},
    classes: {},
    bizTransactions: [],
    sources: [],
    destinations: [],
    fields: [],
    orderBy: 'eventTime',
    orderDirection: 'ASC',
  };
  for (const [name, raw] of Object.entries(params)) {
    if (raw === undefined) continue;
    if (!isParamValue(raw))
      throw queryError(name, `${name.slice(0, 80)} must be a text value or a list of them.`);
    if (!applyFixed(query, name, raw) && !applyPatterned(query, name, raw))
      throw queryError(
        name,
        `${name.slice(0, 80)} is not an EPCIS 2.0 event query parameter this server knows.`,
      );
  }
  checkValues(query);
  return query;
}

/** Query strings like `a[b]=1` parse into objects; no EPCIS parameter takes one. */
function isParamValue(raw: unknown): raw is QueryParamValue {
  const scalar = (v: unknown) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
  return scalar(raw) || (Array.isArray(raw) && raw.every(scalar));
}

function applyFixed(query: EventQuery, name: string, raw: QueryParamValue): boolean {
  if (name in LIST_PARAMS) query[LIST_PARAMS[name as keyof typeof LIST_PARAMS]] = listOf(name, raw);
  else if (name in CBV_PARAMS) {
    const [key, kind] = CBV_PARAMS[name as keyof typeof CBV_PARAMS];
    query[key] = listOf(name, raw).flatMap((v) => cbvSpellings(kind, v));
  } else if (name in TIME_PARAMS) query[TIME_PARAMS[name as keyof typeof TIME_PARAMS]] = dateTime(name, raw);
  else if (name in IDENTIFIER_PARAMS) query.identifiers[IDENTIFIER_PARAMS[name]!] = listOf(name, raw);
  else if (name in CLASS_PARAMS) query.classes[CLASS_PARAMS[name]!] = listOf(name, raw);
  else if (name in INTEGER_PARAMS)
    query[name as keyof typeof INTEGER_PARAMS] = integer(name as keyof typeof INTEGER_PARAMS, raw);
  else if (name === 'EXISTS_errorDeclaration') query.errorDeclaration = flag(name, raw);
  else if (name === 'orderBy') query.orderBy = orderBy(raw);
  else if (name === 'orderDirection') query.orderDirection = direction(raw);
  else if (TRANSPORT_PARAMS.has(name)) query.nextPageToken = single(name, raw);
  else return false;
  return true;
}

function orderBy(raw: QueryParamValue): EventQuery['orderBy'] {
  const value = single('orderBy', raw);
  if (value === 'eventTime' || value === 'recordTime') return value;
  throw queryError('orderBy', `orderBy is eventTime or recordTime, got "${value.slice(0, 40)}".`);
}

function direction(raw: QueryParamValue): EventQuery['orderDirection'] {
  const value = single('orderDirection', raw).toUpperCase();
  if (value === 'ASC' || value === 'DESC') return value;
  throw queryError('orderDirection', 'orderDirection is ASC or DESC.');
}

function applyPatterned(query: EventQuery, name: string, raw: QueryParamValue): boolean {
  const party = /^EQ_(bizTransaction|source|destination)_(.+)$/.exec(name);
  if (party) {
    const kind: CbvKind = party[1] === 'bizTransaction' ? 'bizTransactionType' : 'sourceDestType';
    const list =
      party[1] === 'bizTransaction'
        ? query.bizTransactions
        : party[1] === 'source'
          ? query.sources
          : query.destinations;
    list.push({ type: cbvSpellings(kind, party[2]!), values: listOf(name, raw) });
    return true;
  }
  return applySensor(query, name, raw) || applyField(query, name, raw);
}

function applySensor(query: EventQuery, name: string, raw: QueryParamValue): boolean {
  const valueParam = /^(EQ|GT|GE|LT|LE)_([A-Za-z]+)_([A-Za-z0-9]{1,3})$/.exec(name);
  const isValue = valueParam !== null && SENSOR_VALUE_FIELDS.has(valueParam[2]!);
  if (!isValue && !SENSOR_PARAMS.has(name)) return false;
  const sensor = (query.sensor ??= { values: [] });
  if (name === 'EQ_type') sensor.types = listOf(name, raw).flatMap(gs1VocSpellings);
  else if (name === 'EQ_deviceID') sensor.deviceIds = listOf(name, raw);
  else if (name === 'GE_time') sensor.geTime = dateTime(name, raw);
  else if (name === 'LT_time') sensor.ltTime = dateTime(name, raw);
  else {
    const [, op, field, uom] = valueParam!;
    if (sensor.uom !== undefined && sensor.uom !== uom)
      throw queryError(
        name,
        `Sensor value parameters use one unit per query; ${name} differs from ${sensor.uom}.`,
      );
    sensor.uom = uom;
    sensor.values.push({ field: field!, op: op as Comparison, value: number(name, raw) });
  }
  return true;
}

function applyField(query: EventQuery, name: string, raw: QueryParamValue): boolean {
  const match = /^(EQ|GT|GE|LT|LE|EXISTS)_(ILMD_)?([A-Za-z_][\w.-]*:[\w.-]+)$/.exec(name);
  if (!match) return false;
  const op = match[1] as FieldCondition['op'];
  const scope = match[2] ? 'ilmd' : 'event';
  const values =
    op === 'EXISTS'
      ? (flag(name, raw), [])
      : op === 'EQ'
        ? listOf(name, raw)
        : [comparable(name, single(name, raw))];
  query.fields.push({ scope, field: match[3]!, op, values });
  return true;
}

/** A GT/GE/LT/LE value compares as a number or as a date-time; anything else has no order. */
function comparable(name: string, value: string): string | number {
  if (parseEpcisDateTime(value) !== undefined) return value;
  const n = Number(value);
  if (Number.isFinite(n)) return n;
  throw queryError(name, `${name} compares numbers or date-times, got "${value.slice(0, 40)}".`);
}

function checkValues(query: EventQuery): void {
  for (const type of query.eventTypes ?? []) {
    if (!(EPCIS_EVENT_TYPES as readonly string[]).includes(type))
      throw queryError(
        'eventType',
        `eventType "${type.slice(0, 40)}" is not one of ${EPCIS_EVENT_TYPES.join(', ')}.`,
      );
  }
  for (const action of query.actions ?? []) {
    if (!ACTIONS.has(action)) throw queryError('EQ_action', 'EQ_action is ADD, OBSERVE or DELETE.');
  }
  if (query.eventCountLimit !== undefined && query.maxEventCount !== undefined)
    throw queryError(
      'maxEventCount',
      'eventCountLimit and maxEventCount cannot be used together (EPCIS 2.0 §8.2.7.1).',
    );
}
