import {
  BIZ_STEP_TERMS,
  BIZ_TRANSACTION_TYPE_TERMS,
  COMPONENT_TERMS,
  DISPOSITION_TERMS,
  ERROR_REASON_TERMS,
  MEASUREMENT_TYPE_TERMS,
  SENSOR_EXCEPTION_TERMS,
  SOURCE_DEST_TYPE_TERMS,
  type TermTable,
  VOCABULARY_BASES,
} from './context-terms';
import { normaliseGs1Identifier } from './digital-link-normaliser';
import { normaliseTimestamp } from './event-timestamp';
import { type NamespaceMap, expandKey, expandValue } from './json-ld-context';
import {
  hasSurrogates,
  normaliseNumberText,
  pyStrip,
  pythonNumberText,
  sortByCodePoint,
} from './python-compat';

/**
 * The canonical pre-hash string of an EPCIS event, CBV 2.0 §8.9 (EPCIS Event Hash ID), exactly as the reference
 * implementation (GitHub RalphTro/epcis-event-hash-generator) computes it from JSON-LD. The event is turned into a
 * tree of (name, value, children) like the reference's, the standard fields are emitted in the canonical property
 * order, and everything else (business transactions, sources, destinations, ILMD, extensions) follows as sorted
 * `name=value` strings.
 *
 * Where the reference's output depends on things that are not the event's content, this implementation is
 * deliberately representation-independent instead (so jsonb round trips and reordered keys keep the hash):
 * - the `type`/value pair of a business transaction, source or destination is always written type first (the
 *   reference follows the JSON key order, which gives the same for the usual `{"type", "source"}` order);
 * - bare-string expansion considers the event itself, not the other events of its document;
 * - prefixes of the EPCIS context (`gs1:`, `cbvmda:`, ...) are expanded even if the document does not repeat them;
 * - an event-level `@context` counts as context, not as a field; JSON `null` counts as absent; booleans are written
 *   `true`/`false` as in XML (the reference writes Python's `True`);
 * - milliseconds round half up on the fourth decimal, as the CBV text says (the reference rounds half to even);
 * - values the reference fails on (infinite numbers, a bizTransaction without a type) are hashed, not dropped.
 */

interface Node {
  name: string;
  /** Raw text value ('' when none); numbers are already canonical. */
  value: string;
  numeric: boolean;
  kids: Node[];
  /** Elements of bizTransactionList/sourceList/destinationList: their type, then their value. */
  pair?: Node[];
}

type Order = readonly (readonly [string, Order | null])[];

const EPC: Order = [['epc', null]];
const QUANTITY: Order = [
  [
    'quantityElement',
    [
      ['epcClass', null],
      ['quantity', null],
      ['uom', null],
    ],
  ],
];
const SENSOR_METADATA: Order = [
  'time',
  'startTime',
  'endTime',
  'deviceID',
  'deviceMetadata',
  'rawData',
  'dataProcessingMethod',
  'bizRules',
].map((name) => [name, null] as const);
const SENSOR_REPORT: Order = [
  'type',
  'exception',
  'deviceID',
  'deviceMetadata',
  'rawData',
  'dataProcessingMethod',
  'time',
  'microorganism',
  'chemicalSubstance',
  'value',
  'component',
  'stringValue',
  'booleanValue',
  'hexBinaryValue',
  'uriValue',
  'minValue',
  'maxValue',
  'meanValue',
  'sDev',
  'percRank',
  'percValue',
  'uom',
  'coordinateReferenceSystem',
].map((name) => [name, null] as const);

/**
 * Canonical property order (the reference's PROP_ORDER; `parentID` comes before `epcList` there, unlike the
 * README table, and the hashes follow the code). bizTransactionList, sourceList and destinationList are absent on
 * purpose: the reference's entries for them never match, so they are hashed with the remaining fields.
 */
const EVENT_ORDER: Order = [
  ['eventTime', null],
  ['eventTimeZoneOffset', null],
  ['certificationInfo', null],
  ['parentID', null],
  ['epcList', EPC],
  ['inputEPCList', EPC],
  ['childEPCs', EPC],
  ['quantityList', QUANTITY],
  ['childQuantityList', QUANTITY],
  ['inputQuantityList', QUANTITY],
  ['outputEPCList', EPC],
  ['outputQuantityList', QUANTITY],
  ['action', null],
  ['transformationID', null],
  ['bizStep', null],
  ['disposition', null],
  [
    'persistentDisposition',
    [
      ['set', null],
      ['unset', null],
    ],
  ],
  ['readPoint', [['id', null]]],
  ['bizLocation', [['id', null]]],
  [
    'sensorElementList',
    [
      [
        'sensorElement',
        [
          ['sensorMetadata', SENSOR_METADATA],
          ['sensorReport', SENSOR_REPORT],
        ],
      ],
    ],
  ],
];

/** Top-level fields that never take part in the hash. */
const IGNORED_TOP_LEVEL = new Set(['recordTime', 'eventID', 'type', 'errorDeclaration']);
/** Keys dropped everywhere: comments are not data. */
const COMMENT_KEYS = new Set([
  '#text',
  'rdfs:comment',
  'comment',
  '{http://www.w3.org/2000/01/rdf-schema#}comment',
  '@context',
]);
const PAIR_LISTS = new Set(['bizTransactionList', 'sourceList', 'destinationList']);

// ------------------------------------------------------------------------------------ bare-string expansion

const AMBIGUOUS = '\u0000';

/** Properties whose values JSON-LD treats as IRIs (so a compact IRI there is expanded). */
const IRI_PROPERTIES = new Set([
  'id',
  'type',
  'epcList',
  'childEPCs',
  'inputEPCList',
  'outputEPCList',
  'parentID',
  'epcClass',
  'transformationID',
  'certificationInfo',
  'source',
  'destination',
  'bizTransaction',
  'deviceID',
  'deviceMetadata',
  'rawData',
  'dataProcessingMethod',
  'bizRules',
  'coordinateReferenceSystem',
  'microorganism',
  'chemicalSubstance',
  'uriValue',
  'correctiveEventIDs',
  'eventID',
]);

function isVocabularyIri(iri: string): boolean {
  // 'h' first: nearly every value is a URN or a number and fails here.
  return (
    iri.charCodeAt(0) === 104 && (iri.startsWith(VOCABULARY_BASES[0]) || iri.startsWith(VOCABULARY_BASES[1]))
  );
}

type Json = unknown;

function asArray(value: Json): readonly Json[] {
  return Array.isArray(value) ? value : value === undefined ? [] : [value];
}

function record(value: Json): Readonly<Record<string, Json>> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, Json>)
    : undefined;
}

/**
 * The IRIs JSON-LD expansion gives the bare terms in vocabulary positions (bizStep `shipping`, sensor type
 * `Temperature`, ...). IRIs written out, and compact IRIs in IRI positions, are collected while the tree is built.
 */
function vocabularyTerms(event: Readonly<Record<string, Json>>, ns: NamespaceMap, found: Set<string>): void {
  const term = (value: Json, table: TermTable) => {
    for (const v of asArray(value)) {
      if (typeof v !== 'string') continue;
      const iri = table.get(v) ?? expandValue(v, ns);
      if (isVocabularyIri(iri)) found.add(iri);
    }
  };
  term(event.bizStep, BIZ_STEP_TERMS);
  term(event.disposition, DISPOSITION_TERMS);
  const pd = record(event.persistentDisposition);
  if (pd) {
    term(pd.set, DISPOSITION_TERMS);
    term(pd.unset, DISPOSITION_TERMS);
  }
  for (const el of asArray(event.bizTransactionList)) term(record(el)?.type, BIZ_TRANSACTION_TYPE_TERMS);
  for (const el of asArray(event.sourceList)) term(record(el)?.type, SOURCE_DEST_TYPE_TERMS);
  for (const el of asArray(event.destinationList)) term(record(el)?.type, SOURCE_DEST_TYPE_TERMS);
  term(record(event.errorDeclaration)?.reason, ERROR_REASON_TERMS);
  for (const element of asArray(event.sensorElementList)) {
    for (const report of asArray(record(element)?.sensorReport)) {
      const r = record(report);
      if (!r) continue;
      term(r.type, MEASUREMENT_TYPE_TERMS);
      term(r.exception, SENSOR_EXCEPTION_TERMS);
      term(r.component, COMPONENT_TERMS);
    }
  }
}

/** Suffix → IRI (or AMBIGUOUS), and the first two characters of every suffix, to skip lookups cheaply. */
interface Suffixes {
  map: ReadonlyMap<string, string>;
  heads: ReadonlySet<number>;
}

function head(s: string): number {
  return s.length >= 2
    ? s.charCodeAt(0) * 65536 + s.charCodeAt(1)
    : -1 - s.length - (s.charCodeAt(0) || 0) * 2;
}

const suffixCache = new Map<string, Suffixes>();
const NO_SUFFIXES: Suffixes = { map: new Map(), heads: new Set() };

/**
 * The reference replaces any string value `v` for which exactly one expanded IRI ends in `-v` or `/v` (its
 * heuristic for "this bare string is that term"). Precomputed as suffix → IRI, with ambiguous suffixes marked.
 */
function suffixMap(iris: Set<string>): Suffixes {
  if (iris.size === 0) return NO_SUFFIXES;
  // Insertion order is stable for events of one shape, so no sort is needed for a good hit rate.
  const key = [...iris].join('\n');
  const hit = suffixCache.get(key);
  if (hit) return hit;
  const map = new Map<string, string>();
  const heads = new Set<number>();
  for (const iri of iris) {
    for (let i = 0; i < iri.length; i++) {
      const c = iri.charCodeAt(i);
      if (c !== 45 && c !== 47) continue; // '-' or '/'
      const suffix = iri.slice(i + 1);
      const prev = map.get(suffix);
      map.set(suffix, prev === undefined || prev === iri ? iri : AMBIGUOUS);
      heads.add(head(suffix));
    }
  }
  const suffixes = { map, heads };
  if (suffixCache.size >= 1024) suffixCache.clear();
  suffixCache.set(key, suffixes);
  return suffixes;
}

/** The vocabulary IRI a bare string stands for, if exactly one matches. */
function replacementOf(value: string, suffixes: Suffixes): string | undefined {
  if (!suffixes.heads.has(head(value))) return undefined;
  const iri = suffixes.map.get(value);
  return iri === AMBIGUOUS ? undefined : iri;
}

// ---------------------------------------------------------------------------------------- tree building

interface Build {
  ns: NamespaceMap;
  ignore: ReadonlySet<string> | undefined;
  /** Vocabulary IRIs written in the event (for the bare-string replacement). */
  iris: Set<string>;
}

function noteString(value: string, key: string, b: Build): void {
  if (isVocabularyIri(value)) b.iris.add(value);
  else if (IRI_PROPERTIES.has(key)) {
    const expanded = expandValue(value, b.ns);
    if (expanded !== value && isVocabularyIri(expanded)) b.iris.add(expanded);
  }
}

/** Strings of fields left out of the hash still take part in JSON-LD expansion, so in the replacement table. */
function noteStrings(value: Json, key: string, b: Build): void {
  if (typeof value === 'string') noteString(value, key, b);
  else if (Array.isArray(value)) for (const v of value as Json[]) noteStrings(v, key, b);
  else if (value !== null && typeof value === 'object') {
    const obj = value as Record<string, Json>;
    for (const k in obj) noteStrings(obj[k], k, b);
  }
}

function toNode(name: string, key: string, value: Json, b: Build): Node | undefined {
  switch (typeof value) {
    case 'string':
      noteString(value, key, b);
      return { name, value, numeric: false, kids: [] };
    case 'number':
      return Number.isFinite(value)
        ? { name, value: pythonNumberText(value), numeric: true, kids: [] }
        : { name, value: String(value), numeric: false, kids: [] };
    case 'bigint':
      return { name, value: value.toString(), numeric: false, kids: [] };
    case 'boolean':
      return { name, value: value ? 'true' : 'false', numeric: false, kids: [] };
    case 'object': {
      if (value === null) return undefined;
      if (Array.isArray(value)) {
        const kids: Node[] = [];
        for (const item of value as Json[]) {
          const kid = toNode('', key, item, b);
          if (kid) kids.push(kid);
        }
        return { name, value: '', numeric: false, kids };
      }
      const obj = value as Record<string, Json>;
      const text = obj['#text'];
      return {
        name,
        value: typeof text === 'string' ? text : '',
        numeric: false,
        kids: toKids(obj, b, false),
      };
    }
    case 'undefined':
    case 'function':
    case 'symbol':
      // Not JSON: absent.
      return undefined;
  }
}

function toKids(obj: Readonly<Record<string, Json>>, b: Build, top: boolean): Node[] {
  const kids: Node[] = [];
  for (const key in obj) {
    const value = obj[key];
    if (COMMENT_KEYS.has(key)) {
      if (key !== '@context' && key !== '#text') noteStrings(value, key, b);
      continue;
    }
    const name = expandKey(key, b.ns);
    if (
      COMMENT_KEYS.has(name) ||
      (top && b.ignore !== undefined && (b.ignore.has(key) || b.ignore.has(name)))
    ) {
      noteStrings(value, key, b);
      continue;
    }
    if (Array.isArray(value)) {
      for (const item of value as Json[]) {
        const kid = toNode(name, key, item, b);
        if (kid) kids.push(kid);
      }
    } else {
      const kid = toNode(name, key, value, b);
      if (kid) kids.push(kid);
    }
  }
  return kids;
}

/** A business transaction, source or destination: its type first, then the rest (normally the one value). */
function toPair(element: Node): Node {
  const kids = element.kids;
  if (kids.length === 0) return element;
  const typeAt = kids.findIndex((k) => k.name === 'type');
  if (typeAt > 0) kids.unshift(kids.splice(typeAt, 1)[0]);
  // Anything besides type and value is invalid EPCIS; keep it, in a fixed order.
  if (kids.length > 2) {
    const rest = kids.splice(typeAt >= 0 ? 1 : 0);
    rest.sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
    kids.push(...rest);
  }
  element.pair = kids;
  element.kids = [];
  return element;
}

function renamed(node: Node): string {
  switch (node.name) {
    case 'inputEPC':
    case 'outputEPC':
      return 'epc';
    case 'inputQuantity':
    case 'outputQuantity':
    case 'childQuantity':
      return 'quantityElement';
    case 'quantity':
      return node.kids.length > 0 ? 'quantityElement' : node.name;
    default:
      return node.name;
  }
}

/**
 * The reference's JSON → XML model corrections: a `fooList` array becomes one `fooList` node of `foo` elements,
 * `childEPCs` items become `epc`, input/output EPCs `epc`, quantity list items `quantityElement`.
 */
function correct(kids: Node[]): Node[] {
  let lists: Map<string, Node[]> | undefined;
  let childEpcs: Node[] | undefined;
  const result: Node[] = [];
  for (const k of kids) {
    if (k.pair !== undefined) {
      result.push(k);
    } else if (k.name.endsWith('List')) {
      lists ??= new Map();
      let elements = lists.get(k.name);
      if (!elements) lists.set(k.name, (elements = []));
      k.name = k.name.slice(0, -4);
      elements.push(k);
    } else if (k.name === 'childEPCs') {
      (childEpcs ??= []).push({ name: 'epc', value: k.value, numeric: k.numeric, kids: [] });
    } else {
      result.push(k);
    }
  }
  if (lists) {
    for (const [name, elements] of lists) {
      result.push({
        name,
        value: '',
        numeric: false,
        kids: PAIR_LISTS.has(name) ? elements.map(toPair) : elements,
      });
    }
  }
  if (childEpcs) result.push({ name: 'childEPCs', value: '', numeric: false, kids: childEpcs });
  for (const k of result) {
    if (k.pair !== undefined || PAIR_LISTS.has(k.name)) continue;
    if (k.kids.length > 0) k.kids = correct(k.kids);
    k.name = renamed(k);
  }
  return result;
}

// ------------------------------------------------------------------------------------------- pre-hash text

interface Emit {
  ns: NamespaceMap;
  suffixes: Suffixes;
  astral: boolean;
}

const CBV_URNS: readonly [string, string][] = [
  ['urn:epcglobal:cbv:bizstep:', 'https://ref.gs1.org/cbv/BizStep-'],
  ['urn:epcglobal:cbv:disp:', 'https://ref.gs1.org/cbv/Disp-'],
  ['urn:epcglobal:cbv:btt:', 'https://ref.gs1.org/cbv/BTT-'],
  ['urn:epcglobal:cbv:sdt:', 'https://ref.gs1.org/cbv/SDT-'],
  ['urn:epcglobal:cbv:er:', 'https://ref.gs1.org/cbv/ER-'],
];

/** Rules 14-18: CBV URNs to web URIs, numbers to canonical form, GS1 identifiers to constrained Digital Links. */
function canonical(text: string): string {
  let t = text;
  if (t.includes('urn:epcglobal:cbv:')) {
    for (const [urn, web] of CBV_URNS) if (t.includes(urn)) t = t.split(urn).join(web);
  }
  t = normaliseNumberText(t);
  return normaliseGs1Identifier(t) ?? t;
}

/** A text value as the reference reads it: bare term → its IRI, compact IRI expanded, then stripped. */
function textOf(node: Node, e: Emit): string {
  if (node.numeric) return node.value;
  const replacement = replacementOf(node.value, e.suffixes);
  return pyStrip(expandValue(replacement ?? node.value, e.ns));
}

function valueText(node: Node, e: Emit): string {
  if (!node.value) return '';
  const t = textOf(node, e);
  if (!t) return '';
  return '=' + (node.numeric ? t : canonical(t));
}

/** Remaining fields: `name=value` plus their children, sorted (pairs keep type before value). */
function generic(kids: readonly Node[], e: Emit): string {
  if (kids.length === 0) return '';
  const parts: string[] = [];
  for (const k of kids) {
    if (k.pair !== undefined) {
      let s = '';
      for (const member of k.pair) s += member.name + valueText(member, e) + generic(member.kids, e);
      parts.push(s);
    } else {
      parts.push(k.name + valueText(k, e) + generic(k.kids, e));
    }
  }
  return sortByCodePoint(parts, e.astral).join('');
}

/**
 * User extensions inside readPoint, bizLocation, sensorElement, sensorMetadata and sensorReport go after their
 * parent's standard fields. The reference recognises them by a `{namespace/}` key (so a namespace not ending in `/`
 * is not moved) and never at event level (which it detects by an `eventTime` or `action` child).
 */
function takeExtensions(kids: Node[]): Node[] {
  if (kids.length <= 1) return [];
  for (const k of kids) if (k.name.includes('eventTime') || k.name.includes('action')) return [];
  let extensions: Node[] | undefined;
  let w = 0;
  for (const k of kids) {
    if (k.pair === undefined && k.name.includes('{') && k.name.includes('/}')) (extensions ??= []).push(k);
    else kids[w++] = k;
  }
  kids.length = w;
  return extensions ?? [];
}

function isTimeField(name: string): boolean {
  const lower = name.toLowerCase();
  return lower.includes('time') && !lower.includes('offset');
}

const orderIndexes = new WeakMap<Order, ReadonlyMap<string, number>>();

function orderIndex(order: Order): ReadonlyMap<string, number> {
  let index = orderIndexes.get(order);
  if (!index) {
    index = new Map(order.map(([name], i) => [name, i]));
    orderIndexes.set(order, index);
  }
  return index;
}

/**
 * Emits the fields named in `order` and then the parent's extensions. Fields fully emitted leave `kids`; a field
 * with children outside the order (unknown nested fields) stays, so the rest of the hash picks them up, as in the
 * reference.
 */
function ordered(kids: Node[], order: Order, e: Emit): string {
  const extensions = takeExtensions(kids);
  const index = orderIndex(order);
  let buckets: (Node[] | undefined)[] | undefined;
  let w = 0;
  for (const kid of kids) {
    const at = kid.pair === undefined ? index.get(kid.name) : undefined;
    if (at === undefined) {
      kids[w++] = kid;
    } else {
      buckets ??= new Array<Node[] | undefined>(order.length);
      (buckets[at] ??= []).push(kid);
    }
  }
  kids.length = w;
  let out = '';
  if (buckets) {
    for (let at = 0; at < order.length; at++) {
      const bucket = buckets[at];
      if (!bucket) continue;
      const [name, sub] = order[at];
      let parts: string[] | undefined;
      for (const kid of bucket) {
        const grand = sub ? ordered(kid.kids, sub, e) : '';
        let text = '';
        if (kid.value) {
          const t = textOf(kid, e);
          const v = kid.numeric ? t : isTimeField(name) ? normaliseTimestamp(t) : canonical(t);
          if (v) text = '=' + v;
        }
        if (text || grand) (parts ??= []).push(name + text + grand);
        if (kid.kids.length > 0) kids.push(kid);
      }
      if (parts) out += sortByCodePoint(parts, e.astral).join('');
    }
  }
  if (extensions.length > 0) out += generic(extensions, e);
  return out;
}

export interface PreHashInput {
  event: Readonly<Record<string, Json>>;
  namespaces: NamespaceMap;
  /** Top-level keys (as written or expanded) left out. */
  ignoreFields?: ReadonlySet<string>;
}

function emit(kids: Node[], eventType: string, e: Emit): string {
  const standard = ordered(kids, EVENT_ORDER, e);
  let w = 0;
  for (const k of kids) if (!IGNORED_TOP_LEVEL.has(k.name)) kids[w++] = k;
  kids.length = w;
  return `eventType=${eventType}${standard}${generic(kids, e)}`;
}

export function preHashOf({ event, namespaces, ignoreFields }: PreHashInput): string {
  const b: Build = { ns: namespaces, ignore: ignoreFields, iris: new Set() };
  vocabularyTerms(event, namespaces, b.iris);
  const kids = correct(toKids(event, b, true));
  const e: Emit = { ns: namespaces, suffixes: suffixMap(b.iris), astral: false };
  const type = event.type;
  const raw = typeof type === 'string' ? type : type === undefined ? '' : JSON.stringify(type);
  const eventType = replacementOf(raw, e.suffixes) ?? raw;
  const text = emit(kids, eventType, e);
  if (!hasSurrogates(text)) return text;
  // UTF-16 and code point order differ only with astral characters: then emit again with the exact sort.
  return emit(correct(toKids(event, b, true)), eventType, { ...e, astral: true });
}
