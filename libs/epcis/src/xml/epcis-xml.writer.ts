import { CBV_NAMESPACES, type CbvKind, isStandardCbvTerm } from '../cbv';
import {
  COMPONENT_TERMS,
  MEASUREMENT_TYPE_TERMS,
  SENSOR_EXCEPTION_TERMS,
  type TermTable,
} from '../hash/context-terms';
import {
  EPCIS_CONTEXT_PREFIXES,
  type JsonLdContextValue,
  type NamespaceMap,
  namespacesOf,
} from '../hash/json-ld-context';
import {
  EPC_LIST_FIELDS,
  type EpcisEventType,
  QUANTITY_LIST_FIELDS,
  isEpcisEventType,
} from '../model/epcis-event.model';
import { XSI_NAMESPACE } from './xml-node';

/**
 * The EPCIS 2.0 JSON-LD binding → the EPCIS 2.0 XML binding (EPCIS 2.0 §9 and §10 describe the same fields), for
 * partners and query clients that take XML. Standard fields follow the XSD sequences (the output validates against
 * the official schema); extension keys become elements in their namespace, named with the author's JSON-LD prefix.
 *
 * The aim is that reading the XML back (`parseEpcisXml`) gives events with the same CBV 2.0 Event Hash IDs. Two
 * rules follow from that, since XML never expands a prefix inside a value while JSON-LD (and the Event Hash) does:
 * - a value written as a compact IRI with a prefix of the document's own `@context` (`example:rp1`) is written
 *   expanded (`https://ns.example.com/epcis/rp1`); prefixes of the EPCIS context (`gs1:`, `cbv:`, `cbvmda:`) stay,
 *   as in GS1's XML examples, because every reader knows them;
 * - bare CBV terms (`shipping`) are written as the CBV URNs of GS1's XML examples and DSCSA partners
 *   (`urn:epcglobal:cbv:bizstep:shipping`); bare sensor terms as `gs1:Temperature`, `cbv:Comp-x`.
 */

const EPCIS_NAMESPACE = 'urn:epcglobal:epcis:xsd:2';
const EPCIS_QUERY_NAMESPACE = 'urn:epcglobal:epcis-query:xsd:2';
const XSD_NAMESPACE = 'http://www.w3.org/2001/XMLSchema';

/** A document the XML binding cannot carry as it is; `field` is the JSON pointer of the value at fault. */
export class EpcisXmlWriteError extends Error {
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(field ? `${field}: ${message}` : message);
    this.name = 'EpcisXmlWriteError';
  }
}

// ------------------------------------------------------------------------------------ XML elements and text

/** An XML name and its namespace; prefix and uri are '' for the unqualified names of EPCIS standard fields. */
interface XmlName {
  prefix: string;
  local: string;
  uri: string;
}

interface XmlAttribute {
  name: XmlName;
  value: string;
  /** A prefix the value itself uses (`xsi:type="xsd:integer"`), which must be bound where it is written. */
  valueNamespace?: XmlName;
}

interface XmlElement {
  name: XmlName;
  attributes: XmlAttribute[];
  children: XmlElement[];
  text: string;
}

const unqualified = (local: string): XmlName => ({ prefix: '', local, uri: '' });

function element(
  name: string | XmlName,
  content: XmlElement[] | string = [],
  attributes: XmlAttribute[] = [],
): XmlElement {
  const children = typeof content === 'string' ? [] : content;
  const text = typeof content === 'string' ? content : '';
  return { name: typeof name === 'string' ? unqualified(name) : name, attributes, children, text };
}

const attribute = (local: string, value: string): XmlAttribute => ({ name: unqualified(local), value });

const qname = (n: XmlName): string => (n.prefix ? `${n.prefix}:${n.local}` : n.local);

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  '\t': '&#9;',
  '\n': '&#10;',
  '\r': '&#13;',
};

/** Markup characters, and `\r`, which a parser would turn into `\n` if written as is. */
const escapeText = (text: string): string => text.replace(/[&<>\r]/g, (c) => ESCAPES[c]);
/** In attributes also quotes and whitespace, which attribute-value normalisation would turn into spaces. */
const escapeAttribute = (text: string): string => text.replace(/[&<>"\t\n\r]/g, (c) => ESCAPES[c]);

// ---------------------------------------------------------------------------------------- serialisation

type Bindings = ReadonlyMap<string, string>;

/** Prefix → namespace pairs an element's name, attributes and QName values use. */
function usedBindings(e: XmlElement): XmlName[] {
  const names = [e.name];
  for (const a of e.attributes) names.push(a.name, ...(a.valueNamespace ? [a.valueNamespace] : []));
  return names.filter((n) => n.prefix !== '');
}

/** The declarations an element must make: prefixes it uses that its ancestors left unbound or bound elsewhere. */
function declarations(e: XmlElement, scope: Bindings): Map<string, string> {
  const own = new Map<string, string>();
  for (const { prefix, uri } of usedBindings(e)) {
    const mine = own.get(prefix);
    if (mine !== undefined && mine !== uri) {
      throw new EpcisXmlWriteError(
        `<${qname(e.name)}> would need prefix '${prefix}' for ${mine} and ${uri}`,
        '',
      );
    }
    if (scope.get(prefix) !== uri) own.set(prefix, uri);
  }
  return own;
}

/**
 * Namespaces to declare once on the root: every prefix the document uses with one namespace only. A prefix bound
 * to different namespaces in different events (event-level `@context`) is declared where it is used instead.
 */
function rootBindings(root: XmlElement): Map<string, string> {
  const found = new Map<string, string | null>();
  const visit = (e: XmlElement): void => {
    for (const { prefix, uri } of usedBindings(e)) {
      const seen = found.get(prefix);
      found.set(prefix, seen === undefined || seen === uri ? uri : null);
    }
    e.children.forEach(visit);
  };
  visit(root);
  return new Map([...found].filter((entry): entry is [string, string] => entry[1] !== null));
}

function writeElement(
  e: XmlElement,
  scope: Bindings,
  indent: string,
  out: string[],
  hoisted?: Bindings,
): void {
  const declared = declarations(e, scope);
  for (const [prefix, uri] of hoisted ?? []) if (!declared.has(prefix)) declared.set(prefix, uri);
  const inner = declared.size > 0 ? new Map([...scope, ...declared]) : scope;
  const name = qname(e.name);
  const xmlns = [...declared].map(([p, uri]) => ` xmlns:${p}="${escapeAttribute(uri)}"`).join('');
  const attributes = e.attributes.map((a) => ` ${qname(a.name)}="${escapeAttribute(a.value)}"`).join('');
  const open = `${indent}<${name}${xmlns}${attributes}`;
  if (e.children.length === 0) {
    out.push(e.text === '' ? `${open}/>\n` : `${open}>${escapeText(e.text)}</${name}>\n`);
    return;
  }
  out.push(`${open}>\n`);
  for (const child of e.children) writeElement(child, inner, `${indent}  `, out);
  out.push(`${indent}</${name}>\n`);
}

function serialise(root: XmlElement): string {
  const out = ['<?xml version="1.0" encoding="UTF-8"?>\n'];
  writeElement(root, new Map(), '', out, rootBindings(root));
  return out.join('');
}

// ----------------------------------------------------------------------------------------------- JSON values

/** Where the writer is in the JSON document. */
interface Scope {
  /** JSON-LD prefixes in force: the EPCIS context's, the document's `@context`, the event's own. */
  ns: NamespaceMap;
  /** JSON pointer of the value being written, for errors. */
  at: string;
  /** Prefixes made up for extension keys written as absolute IRIs, by namespace (shared by the document). */
  generated: Map<string, string>;
}

const inside = (s: Scope, key: string | number): Scope => ({
  ...s,
  at: `${s.at}/${String(key).replace(/~/g, '~0').replace(/\//g, '~1')}`,
});

type JsonObject = Record<string, unknown>;

function objectAt(value: unknown, s: Scope): JsonObject {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value as JsonObject;
  throw new EpcisXmlWriteError('expected a JSON object', s.at);
}

/** JSON-LD lets a one-item list be written as the item (the Event Hash reads both alike). */
const listOf = (value: unknown): unknown[] => (Array.isArray(value) ? value : [value]);

const present = (json: JsonObject, key: string): boolean => json[key] !== undefined && json[key] !== null;

/** Characters XML 1.0 cannot carry at all, not even as a character reference (most C0 controls, lone surrogates). */
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

/** A JSON scalar as XML text (see the file comment for why compact IRIs are expanded). */
function text(value: unknown, s: Scope): string {
  if (typeof value === 'number') return decimalText(value, s);
  if (typeof value === 'boolean') return String(value);
  if (typeof value !== 'string') throw new EpcisXmlWriteError('expected a string, number or boolean', s.at);
  const bad = NOT_XML.exec(value);
  if (bad) {
    const code = bad[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
    throw new EpcisXmlWriteError(`U+${code} cannot be written in XML 1.0`, s.at);
  }
  return expandOwnPrefix(value, s.ns);
}

function expandOwnPrefix(value: string, ns: NamespaceMap): string {
  const found = ns.namespaceOf(value);
  if (!found || EPCIS_CONTEXT_PREFIXES.get(value.slice(0, found.colon)) === found.namespace) return value;
  return found.namespace + value.slice(found.colon + 1);
}

/** xsd:decimal has no exponent: `1e-7` → `0.0000001`, `1e21` → `1000000000000000000000`. */
function decimalText(n: number, s: Scope): string {
  if (!Number.isFinite(n)) throw new EpcisXmlWriteError(`${n} is not a number XML can carry`, s.at);
  const plain = String(n);
  if (!plain.includes('e')) return plain;
  const [mantissa, exponent] = Math.abs(n).toExponential().split('e');
  const digits = mantissa.replace('.', '');
  const point = 1 + Number(exponent);
  const sign = n < 0 ? '-' : '';
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return sign + digits + '0'.repeat(point - digits.length);
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/** A bare standard CBV term in its URN, the form of GS1's EPCIS 2.0 XML examples; any other value as text. */
function cbv(kind: CbvKind, value: unknown, s: Scope): string {
  return typeof value === 'string' && isStandardCbvTerm(kind, value)
    ? CBV_NAMESPACES[kind].urn + value
    : text(value, s);
}

/** Bare sensor terms, written as GS1's XML examples do, with prefixes of the EPCIS context. */
const SENSOR_TERMS: Record<string, [TermTable, string]> = {
  type: [MEASUREMENT_TYPE_TERMS, 'gs1:'],
  exception: [SENSOR_EXCEPTION_TERMS, 'gs1:'],
  component: [COMPONENT_TERMS, 'cbv:Comp-'],
};

function sensorValue(key: string, value: unknown, s: Scope): string {
  const terms = SENSOR_TERMS[key];
  return terms && typeof value === 'string' && terms[0].has(value) ? terms[1] + value : text(value, s);
}

// ------------------------------------------------------------------------------------- extension elements

/** XML names without a colon (letters, marks and digits after the first letter, as XML 1.0 fifth edition allows). */
const NCNAME = /^[\p{L}_][\p{L}\p{M}\p{N}_.\-\u00B7\u203F\u2040]*$/u;

/** The XML spelling of a JSON-LD namespace: cbvmda's IRI ends in ':' in the EPCIS context but not in XML. */
const xmlNamespace = (iri: string): string =>
  iri === 'urn:epcglobal:cbv:mda:' ? 'urn:epcglobal:cbv:mda' : iri;

/** `example:myField` → {example, myField, its namespace}; an absolute IRI key is cut at its last `/` or `#`. */
function nameOf(key: string, s: Scope): XmlName {
  const colon = key.indexOf(':');
  if (colon < 0 && NCNAME.test(key)) return unqualified(key);
  const prefix = key.slice(0, colon);
  const local = key.slice(colon + 1);
  const iri = colon > 0 ? s.ns.get(prefix) : undefined;
  if (iri !== undefined && NCNAME.test(prefix) && NCNAME.test(local)) {
    return { prefix, local, uri: xmlNamespace(iri) };
  }
  const absolute = iri === undefined ? /^(.+[/#])([^/#]+)$/.exec(key) : null;
  if (absolute && NCNAME.test(absolute[2])) {
    return { prefix: generatedPrefix(absolute[1], s), local: absolute[2], uri: absolute[1] };
  }
  throw new EpcisXmlWriteError(`the key '${key}' has no XML element name (an undefined prefix?)`, s.at);
}

function generatedPrefix(uri: string, s: Scope): string {
  let prefix = s.generated.get(uri);
  if (prefix === undefined) s.generated.set(uri, (prefix = `ext${s.generated.size + 1}`));
  return prefix;
}

/** xsi:type for numbers and booleans, so that the reader gives back the JSON type and not a string. */
function typeAttributes(value: unknown): XmlAttribute[] {
  const type =
    typeof value === 'boolean'
      ? 'boolean'
      : typeof value !== 'number'
        ? undefined
        : Number.isInteger(value)
          ? 'integer'
          : 'decimal';
  if (type === undefined) return [];
  return [
    {
      name: { prefix: 'xsi', local: 'type', uri: XSI_NAMESPACE },
      value: `xsd:${type}`,
      valueNamespace: { prefix: 'xsd', local: '', uri: XSD_NAMESPACE },
    },
  ];
}

/**
 * A user extension: a scalar is an element with text, an object an element of elements, a list repeats the
 * element (how the reader builds lists back). JSON null is left out: the Event Hash reads it as absent.
 */
function extensionElements(key: string, value: unknown, s: Scope): XmlElement[] {
  if (value === null || value === undefined) return [];
  if (Array.isArray(value)) {
    return value.flatMap((item, i) => {
      if (Array.isArray(item)) throw new EpcisXmlWriteError('a list inside a list has no XML form', s.at);
      return extensionElements(key, item, inside(s, i));
    });
  }
  const name = nameOf(key, s);
  if (typeof value !== 'object') return [element(name, text(value, s), typeAttributes(value))];
  const children = Object.entries(value as JsonObject).flatMap(([k, v]) =>
    k === '@context' ? [] : extensionElements(k, v, inside(s, k)),
  );
  return [element(name, children)];
}

/**
 * The extension keys of an object (those with a prefix or an absolute IRI), after its standard fields. A key that is
 * neither standard here nor an extension has no place in the XSD, so it is refused rather than dropped.
 */
function extensions(json: JsonObject, standard: ReadonlySet<string>, s: Scope): XmlElement[] {
  return Object.entries(json).flatMap(([key, value]) => {
    if (standard.has(key) || key === '@context') return [];
    if (!key.includes(':')) {
      throw new EpcisXmlWriteError(`'${key}' is not a field the XML binding has here`, inside(s, key).at);
    }
    return extensionElements(key, value, inside(s, key));
  });
}

// ---------------------------------------------------------------------------------------------------- events

/** EPCISEventType's sequence, which every event starts with. */
const EVENT_HEAD = [
  'eventTime',
  'recordTime',
  'eventTimeZoneOffset',
  'eventID',
  'errorDeclaration',
  'certificationInfo',
];
const WHAT_WHERE = ['bizStep', 'disposition', 'readPoint', 'bizLocation'];
const LATER = ['sourceList', 'destinationList', 'sensorElementList', 'persistentDisposition'];

/** Each event type's own sequence in the EPCIS 2.0 XSD (the order differs by type; the XSD refuses any other). */
const EVENT_BODY: Record<EpcisEventType, readonly string[]> = {
  ObjectEvent: ['epcList', 'action', ...WHAT_WHERE, 'bizTransactionList', 'quantityList', ...LATER, 'ilmd'],
  AggregationEvent: [
    'parentID',
    'childEPCs',
    'action',
    ...WHAT_WHERE,
    'bizTransactionList',
    'childQuantityList',
    ...LATER,
  ],
  TransactionEvent: [
    'bizTransactionList',
    'parentID',
    'epcList',
    'action',
    ...WHAT_WHERE,
    'quantityList',
    ...LATER,
  ],
  TransformationEvent: [
    'inputEPCList',
    'inputQuantityList',
    'outputEPCList',
    'outputQuantityList',
    'transformationID',
    ...WHAT_WHERE,
    'bizTransactionList',
    ...LATER,
    'ilmd',
  ],
  AssociationEvent: [
    'parentID',
    'childEPCs',
    'childQuantityList',
    'action',
    ...WHAT_WHERE,
    'bizTransactionList',
    ...LATER,
  ],
};
const EVENT_FIELDS = new Map(
  Object.entries(EVENT_BODY).map(([type, body]) => [type, [...EVENT_HEAD, ...body]] as const),
);

const EPC_LISTS = new Set<string>(EPC_LIST_FIELDS);
const QUANTITY_LISTS = new Set<string>(QUANTITY_LIST_FIELDS);
/** `[{type, bizTransaction}]` → `<bizTransaction type="…">…`, and the like, with the CBV kind of the type. */
const TYPED_LISTS: Record<string, [string, CbvKind]> = {
  bizTransactionList: ['bizTransaction', 'bizTransactionType'],
  sourceList: ['source', 'sourceDestType'],
  destinationList: ['destination', 'sourceDestType'],
};

function eventElement(value: unknown, outer: Scope): XmlElement {
  const event = objectAt(value, outer);
  const type = event.type;
  if (!isEpcisEventType(type)) {
    // EPCIS 2.0 XML would put it in EventList/extension, which no reader here (nor most partners) reads back.
    throw new EpcisXmlWriteError(
      `'${String(type)}' is not an event type of the XML binding`,
      `${outer.at}/type`,
    );
  }
  const s = { ...outer, ns: namespacesOf(event['@context'] as JsonLdContextValue | undefined, outer.ns) };
  const fields = EVENT_FIELDS.get(type)!;
  const written = fields.filter((k) => present(event, k) && !isEmptyList(k, event[k]));
  const standard = written.map((k) => standardField(k, event[k], inside(s, k)));
  return element(type, [...standard, ...extensions(event, new Set([...fields, 'type']), s)]);
}

/**
 * The XSD wants at least one item in these lists; an empty list means the same as none to JSON-LD and to the Event
 * Hash, so it is left out.
 */
const NON_EMPTY_LISTS = new Set([...Object.keys(TYPED_LISTS), 'sensorElementList']);
const isEmptyList = (name: string, value: unknown): boolean =>
  NON_EMPTY_LISTS.has(name) && Array.isArray(value) && value.length === 0;

function standardField(name: string, value: unknown, s: Scope): XmlElement {
  if (EPC_LISTS.has(name))
    return element(
      name,
      listOf(value).map((epc, i) => element('epc', text(epc, inside(s, i)))),
    );
  if (QUANTITY_LISTS.has(name))
    return element(
      name,
      listOf(value).map((q, i) => quantityElement(q, inside(s, i))),
    );
  if (name in TYPED_LISTS) return typedList(name, value, s);
  switch (name) {
    case 'bizStep':
    case 'disposition':
      return element(name, cbv(name, value, s));
    case 'readPoint':
    case 'bizLocation':
      return element(name, [
        element('id', text(objectAt(value, s).id, inside(s, 'id'))),
        ...extensions(objectAt(value, s), new Set(['id']), s),
      ]);
    case 'ilmd':
      return element(name, extensions(objectAt(value, s), new Set(), s));
    case 'errorDeclaration':
      return errorDeclaration(objectAt(value, s), s);
    case 'sensorElementList':
      return element(
        name,
        listOf(value).map((e, i) => sensorElement(e, inside(s, i))),
      );
    case 'persistentDisposition':
      return persistentDisposition(objectAt(value, s), s);
    case 'certificationInfo':
      return element(name, text(single(value, s), s));
    default:
      return element(name, text(value, s));
  }
}

/** certificationInfo is a set in JSON-LD but one element in the XSD. */
function single(value: unknown, s: Scope): unknown {
  const values = listOf(value);
  if (values.length === 1) return values[0];
  throw new EpcisXmlWriteError(`the XSD holds one certificationInfo, not ${values.length}`, s.at);
}

function quantityElement(value: unknown, s: Scope): XmlElement {
  const q = objectAt(value, s);
  const children = [element('epcClass', text(q.epcClass, inside(s, 'epcClass')))];
  if (present(q, 'quantity')) children.push(element('quantity', text(q.quantity, inside(s, 'quantity'))));
  // The XSD allows uom only after a quantity; a nil quantity is "unknown", which the reader leaves out again.
  else if (present(q, 'uom')) children.push(element('quantity', '', [nil()]));
  if (present(q, 'uom')) children.push(element('uom', text(q.uom, inside(s, 'uom'))));
  return element('quantityElement', children);
}

const nil = (): XmlAttribute => ({
  name: { prefix: 'xsi', local: 'nil', uri: XSI_NAMESPACE },
  value: 'true',
});

function typedList(name: string, value: unknown, s: Scope): XmlElement {
  const [item, kind] = TYPED_LISTS[name];
  return element(
    name,
    listOf(value).map((entry, i) => {
      const at = inside(s, i);
      const json = objectAt(entry, at);
      const type = present(json, 'type') ? [attribute('type', cbv(kind, json.type, inside(at, 'type')))] : [];
      return element(item, text(json[item], inside(at, item)), type);
    }),
  );
}

function errorDeclaration(json: JsonObject, s: Scope): XmlElement {
  const children: XmlElement[] = [];
  if (present(json, 'declarationTime')) {
    children.push(element('declarationTime', text(json.declarationTime, inside(s, 'declarationTime'))));
  }
  if (present(json, 'reason'))
    children.push(element('reason', cbv('errorReason', json.reason, inside(s, 'reason'))));
  if (present(json, 'correctiveEventIDs')) {
    const ids = listOf(json.correctiveEventIDs).map((id, i) =>
      element('correctiveEventID', text(id, inside(inside(s, 'correctiveEventIDs'), i))),
    );
    children.push(element('correctiveEventIDs', ids));
  }
  const standard = new Set(['declarationTime', 'reason', 'correctiveEventIDs']);
  return element('errorDeclaration', [...children, ...extensions(json, standard, s)]);
}

/** The XSD wants `unset` before `set`. */
function persistentDisposition(json: JsonObject, s: Scope): XmlElement {
  const children = ['unset', 'set'].flatMap((key) =>
    present(json, key)
      ? listOf(json[key]).map((d, i) => element(key, cbv('disposition', d, inside(inside(s, key), i))))
      : [],
  );
  return element('persistentDisposition', [...children, ...extensions(json, new Set(['set', 'unset']), s)]);
}

function sensorElement(value: unknown, s: Scope): XmlElement {
  const json = objectAt(value, s);
  const children: XmlElement[] = [];
  if (present(json, 'sensorMetadata')) {
    children.push(sensorAttributes('sensorMetadata', json.sensorMetadata, inside(s, 'sensorMetadata')));
  }
  if (present(json, 'sensorReport')) {
    const reports = inside(s, 'sensorReport');
    listOf(json.sensorReport).forEach((r, i) =>
      children.push(sensorAttributes('sensorReport', r, inside(reports, i))),
    );
  }
  return element('sensorElement', [
    ...children,
    ...extensions(json, new Set(['sensorMetadata', 'sensorReport']), s),
  ]);
}

/**
 * Sensor metadata and reports are attributes in XML. An extension with a structured value cannot be one: it goes
 * in a child element, which the reader reads back but the XSD (simple content) does not admit.
 */
function sensorAttributes(name: string, value: unknown, s: Scope): XmlElement {
  const attributes: XmlAttribute[] = [];
  const children: XmlElement[] = [];
  for (const [key, v] of Object.entries(objectAt(value, s))) {
    if (v === null || v === undefined || key === '@context') continue;
    const at = inside(s, key);
    if (typeof v === 'object') children.push(...extensionElements(key, v, at));
    else attributes.push({ name: nameOf(key, at), value: sensorValue(key, v, at) });
  }
  return element(name, children, attributes);
}

// -------------------------------------------------------------------------------------------- master data

function vocabularyList(value: unknown, s: Scope): XmlElement {
  return element(
    'VocabularyList',
    listOf(value).map((v, i) => vocabulary(v, inside(s, i))),
  );
}

function vocabulary(value: unknown, s: Scope): XmlElement {
  const json = objectAt(value, s);
  const elements = present(json, 'vocabularyElementList') ? listOf(json.vocabularyElementList) : [];
  const list = inside(s, 'vocabularyElementList');
  // VocabularyElementList needs at least one element: an empty list is written as none.
  const children = elements.length
    ? [
        element(
          'VocabularyElementList',
          elements.map((e, i) => vocabularyElement(e, inside(list, i))),
        ),
      ]
    : [];
  return element('Vocabulary', children, [attribute('type', text(json.type, inside(s, 'type')))]);
}

function vocabularyElement(value: unknown, s: Scope): XmlElement {
  const json = objectAt(value, s);
  const attributes = present(json, 'attributes') ? listOf(json.attributes) : [];
  const children = attributes.map((a, i) => masterDataAttribute(a, inside(inside(s, 'attributes'), i)));
  if (present(json, 'children')) {
    const ids = listOf(json.children).map((id, i) =>
      element('id', text(id, inside(inside(s, 'children'), i))),
    );
    children.push(element('children', ids));
  }
  return element('VocabularyElement', children, [attribute('id', text(json.id, inside(s, 'id')))]);
}

function masterDataAttribute(value: unknown, s: Scope): XmlElement {
  const json = objectAt(value, s);
  const id = [attribute('id', text(json.id, inside(s, 'id')))];
  const v = json.attribute;
  if (v === undefined || v === null) return element('attribute', '', id);
  if (typeof v !== 'object') return element('attribute', text(v, inside(s, 'attribute')), id);
  const at = inside(s, 'attribute');
  const children = Object.entries(objectAt(v, at)).flatMap(([k, x]) =>
    extensionElements(k, x, inside(at, k)),
  );
  return element('attribute', children, id);
}

// ------------------------------------------------------------------------------------------------ documents

/**
 * Document fields with a place in XML, and those without: `id` (a JSON-LD node identifier; XML has none) and
 * `instanceIdentifier`, `sender`, `receiver`, which belong in an SBDH that also needs what JSON does not carry.
 */
const DOCUMENT_FIELDS = new Set([
  '@context',
  'type',
  'schemaVersion',
  'creationDate',
  'epcisHeader',
  'epcisBody',
]);
const UNWRITTEN_DOCUMENT_FIELDS = ['id', 'instanceIdentifier', 'sender', 'receiver'];

function documentScope(document: Record<string, unknown>, type: string): Scope {
  const s: Scope = { ns: EPCIS_CONTEXT_PREFIXES, at: '', generated: new Map() };
  if (objectAt(document, s).type !== type) {
    throw new EpcisXmlWriteError(`expected an ${type}, not ${JSON.stringify(document.type)}`, '/type');
  }
  return { ...s, ns: namespacesOf(document['@context'] as JsonLdContextValue | undefined) };
}

/** The XML is EPCIS 2.0 whatever version JSON named; creationDate is required there, so now when JSON has none. */
function rootAttributes(document: JsonObject, s: Scope): XmlAttribute[] {
  const created = present(document, 'creationDate') ? document.creationDate : new Date().toISOString();
  return [
    attribute('schemaVersion', '2.0'),
    attribute('creationDate', text(created, inside(s, 'creationDate'))),
  ];
}

function documentExtensions(document: JsonObject, s: Scope): XmlElement[] {
  return extensions(document, new Set([...DOCUMENT_FIELDS, ...UNWRITTEN_DOCUMENT_FIELDS]), s);
}

/** Master data in the header, where EPCIS 2.0 XML carries it (EPCISHeader/extension/EPCISMasterData). */
function header(document: JsonObject, outer: Scope): XmlElement[] {
  if (!present(document, 'epcisHeader')) return [];
  const s = inside(outer, 'epcisHeader');
  const json = objectAt(document.epcisHeader, s);
  // EPCISHeaderType has no wildcard for extensions.
  extensions(json, new Set(['epcisMasterData']), s).forEach((e) => {
    throw new EpcisXmlWriteError(`the XML header has no place for <${qname(e.name)}>`, s.at);
  });
  const masterData = present(json, 'epcisMasterData')
    ? objectAt(json.epcisMasterData, inside(s, 'epcisMasterData'))
    : {};
  if (!present(masterData, 'vocabularyList')) return [];
  const list = vocabularyList(
    masterData.vocabularyList,
    inside(inside(s, 'epcisMasterData'), 'vocabularyList'),
  );
  return [element('EPCISHeader', [element('extension', [element('EPCISMasterData', [list])])])];
}

function eventList(value: unknown, s: Scope): XmlElement {
  return element(
    'EventList',
    listOf(value ?? []).map((event, i) => eventElement(event, inside(s, i))),
  );
}

/** A JSON-LD EPCISDocument as an EPCIS 2.0 XML `epcis:EPCISDocument`. */
export function writeEpcisXml(document: Record<string, unknown>): string {
  const s = documentScope(document, 'EPCISDocument');
  const bodyScope = inside(s, 'epcisBody');
  const body = objectAt(document.epcisBody, bodyScope);
  const events = eventList(body.eventList, inside(bodyScope, 'eventList'));
  const root = element(
    { prefix: 'epcis', local: 'EPCISDocument', uri: EPCIS_NAMESPACE },
    [
      ...header(document, s),
      element('EPCISBody', [events, ...extensions(body, new Set(['eventList']), bodyScope)]),
      ...documentExtensions(document, s),
    ],
    rootAttributes(document, s),
  );
  return serialise(root);
}

/**
 * A JSON-LD EPCISQueryDocument (a query's or subscription's results) as an EPCIS 2.0 XML `epcisq:EPCISQueryDocument`
 * with its `epcisq:QueryResults`: queryName, subscriptionID, and the events (or vocabularies) in resultsBody.
 */
export function writeEpcisQueryXml(queryDocument: Record<string, unknown>): string {
  const s = documentScope(queryDocument, 'EPCISQueryDocument');
  const bodyScope = inside(s, 'epcisBody');
  const body = objectAt(queryDocument.epcisBody, bodyScope);
  // EPCISQueryBodyType is a choice of messages, with no wildcard for extensions.
  extensions(body, new Set(['queryResults']), bodyScope).forEach((e) => {
    throw new EpcisXmlWriteError(`the XML query body has no place for <${qname(e.name)}>`, bodyScope.at);
  });
  const resultsScope = inside(bodyScope, 'queryResults');
  const results = element(
    { prefix: 'epcisq', local: 'QueryResults', uri: EPCIS_QUERY_NAMESPACE },
    queryResults(objectAt(body.queryResults, resultsScope), resultsScope),
  );
  const root = element(
    { prefix: 'epcisq', local: 'EPCISQueryDocument', uri: EPCIS_QUERY_NAMESPACE },
    [element('EPCISBody', [results]), ...documentExtensions(queryDocument, s)],
    rootAttributes(queryDocument, s),
  );
  return serialise(root);
}

function queryResults(json: JsonObject, s: Scope): XmlElement[] {
  const subscription = present(json, 'subscriptionID')
    ? [element('subscriptionID', text(json.subscriptionID, inside(s, 'subscriptionID')))]
    : [];
  return [
    element('queryName', text(json.queryName, inside(s, 'queryName'))),
    ...subscription,
    element('resultsBody', [resultsBody(json.resultsBody, inside(s, 'resultsBody'))]),
    ...extensions(json, new Set(['queryName', 'subscriptionID', 'resultsBody']), s),
  ];
}

/** QueryResultsBody is a choice: the events, or (a master data query's) vocabularies. */
function resultsBody(value: unknown, s: Scope): XmlElement {
  const json = objectAt(value, s);
  if (present(json, 'eventList') || !present(json, 'vocabularyList')) {
    return eventList(json.eventList, inside(s, 'eventList'));
  }
  return vocabularyList(json.vocabularyList, inside(s, 'vocabularyList'));
}
