import { EPCIS_CONTEXT_PREFIXES } from '../model/epcis-document-context';
import { EPC_LIST_FIELDS, QUANTITY_LIST_FIELDS } from '../model/epcis-event.model';
import { type XmlNode, XSI_NAMESPACE, attribute, childNamed, childrenNamed, textOf } from './xml-node';

/**
 * EPCIS XML (2.0, and 1.2 with its `extension` wrappers) → the EPCIS 2.0 JSON-LD binding, element by element as
 * EPCIS 2.0 §9 (XML binding) and §10 (JSON binding) describe the same fields. The result goes through the same
 * JSON Schema, rules, normaliser and Event Hash as a JSON document, so there is one ingest decision for both.
 */

/** Lists of EPCs and of quantities: `<epcList><epc>…` → `["…"]`. */
const EPC_LISTS = new Set<string>(EPC_LIST_FIELDS);
const QUANTITY_LISTS = new Set<string>(QUANTITY_LIST_FIELDS);
/** `<bizTransactionList><bizTransaction type="…">value` → `[{type, bizTransaction: value}]`, and the like. */
const TYPED_LISTS: Record<string, string> = {
  bizTransactionList: 'bizTransaction',
  sourceList: 'source',
  destinationList: 'destination',
};
/** Sensor report and metadata attributes whose JSON type is a number or a boolean (EPCIS 2.0 §7.3.8). */
const NUMERIC_SENSOR_FIELDS = new Set([
  'value',
  'minValue',
  'maxValue',
  'meanValue',
  'sDev',
  'percRank',
  'percValue',
]);
/** Wrappers EPCIS 1.2 (and 2.0 for a few fields) put around fields that JSON holds directly. */
const WRAPPERS = new Set(['extension', 'baseExtension']);
/** XML Schema types whose values JSON writes as numbers. */
const NUMERIC_XSI_TYPES = new Set([
  'integer',
  'int',
  'long',
  'short',
  'decimal',
  'double',
  'float',
  'nonNegativeInteger',
  'positiveInteger',
]);

/** XML namespaces the EPCIS context already names (the XML spelling of cbvmda has no trailing colon). */
const KNOWN_NAMESPACES = new Map<string, string>([
  ...[...EPCIS_CONTEXT_PREFIXES].map(([prefix, iri]) => [iri, prefix] as [string, string]),
  ['urn:epcglobal:cbv:mda', 'cbvmda'],
]);

/**
 * The JSON-LD prefixes a converted document needs. Extension namespaces get generated prefixes (`ns1`, `ns2`, …),
 * not the author's: XML never expands `example:x` inside a value, while JSON-LD expands it when `example` is a
 * context prefix, so keeping the author's prefix would change the Event Hash of any value that mentions it (the
 * CBV 2.0 XML vectors have such sensor types and components).
 */
export class NamespacePrefixes {
  private readonly byUri = new Map<string, string>();

  prefixFor(uri: string): string {
    const known = KNOWN_NAMESPACES.get(uri) ?? this.byUri.get(uri);
    if (known) return known;
    const prefix = `ns${this.byUri.size + 1}`;
    this.byUri.set(uri, prefix);
    return prefix;
  }

  /** The inline `@context` entry defining every prefix used (EPCIS context prefixes need none). */
  context(): Record<string, string> | undefined {
    if (this.byUri.size === 0) return undefined;
    return Object.fromEntries([...this.byUri].map(([uri, prefix]) => [prefix, uri]));
  }
}

export function mapEvent(node: XmlNode, prefixes: NamespacePrefixes): Record<string, unknown> {
  const json: Record<string, unknown> = { type: node.local };
  placeChildren(json, node, prefixes);
  return json;
}

function placeChildren(json: Record<string, unknown>, node: XmlNode, prefixes: NamespacePrefixes): void {
  for (const child of node.children) {
    if (isNil(child)) continue;
    if (child.uri !== '') addExtension(json, child, prefixes);
    else if (WRAPPERS.has(child.local)) placeChildren(json, child, prefixes);
    else json[child.local] = standardField(child, prefixes);
  }
}

function standardField(node: XmlNode, prefixes: NamespacePrefixes): unknown {
  const name = node.local;
  if (EPC_LISTS.has(name)) return childrenNamed(node, 'epc').map(textOf);
  if (QUANTITY_LISTS.has(name)) return childrenNamed(node, 'quantityElement').map(quantityElement);
  if (name in TYPED_LISTS) return typedList(node, TYPED_LISTS[name]);
  switch (name) {
    case 'readPoint':
    case 'bizLocation':
    case 'ilmd':
    case 'errorDeclaration':
      return objectOf(node, prefixes);
    case 'sensorElementList':
      return childrenNamed(node, 'sensorElement').map((e) => sensorElement(e, prefixes));
    case 'persistentDisposition':
      return persistentDisposition(node);
    case 'correctiveEventIDs':
      return childrenNamed(node, 'correctiveEventID').map(textOf);
    default:
      return textOf(node);
  }
}

/** Standard fields plus extensions in an object (readPoint, bizLocation, ilmd, errorDeclaration). */
function objectOf(node: XmlNode, prefixes: NamespacePrefixes): Record<string, unknown> {
  const json: Record<string, unknown> = {};
  placeChildren(json, node, prefixes);
  return json;
}

function quantityElement(node: XmlNode): Record<string, unknown> {
  const json: Record<string, unknown> = {};
  const epcClass = childNamed(node, 'epcClass');
  if (epcClass) json.epcClass = textOf(epcClass);
  const quantity = childNamed(node, 'quantity');
  if (quantity && !isNil(quantity)) json.quantity = numberOrText(textOf(quantity));
  const uom = childNamed(node, 'uom');
  if (uom) json.uom = textOf(uom);
  return json;
}

function typedList(node: XmlNode, item: string): Record<string, unknown>[] {
  return childrenNamed(node, item).map((element) => {
    const type = attribute(element, 'type');
    return { ...(type !== undefined ? { type } : {}), [item]: textOf(element) };
  });
}

function persistentDisposition(node: XmlNode): Record<string, string[]> {
  const json: Record<string, string[]> = {};
  for (const key of ['set', 'unset']) {
    const values = childrenNamed(node, key).map(textOf);
    if (values.length > 0) json[key] = values;
  }
  return json;
}

function sensorElement(node: XmlNode, prefixes: NamespacePrefixes): Record<string, unknown> {
  const json: Record<string, unknown> = {};
  for (const child of node.children) {
    if (child.uri !== '') addExtension(json, child, prefixes);
    else if (child.local === 'sensorMetadata') json.sensorMetadata = sensorAttributes(child, prefixes);
    else if (child.local === 'sensorReport') {
      ((json.sensorReport ??= []) as unknown[]).push(sensorAttributes(child, prefixes));
    } else if (WRAPPERS.has(child.local)) placeChildren(json, child, prefixes);
  }
  return json;
}

function sensorAttributes(node: XmlNode, prefixes: NamespacePrefixes): Record<string, unknown> {
  const json: Record<string, unknown> = {};
  for (const a of node.attributes) {
    if (a.uri === XSI_NAMESPACE) continue;
    if (a.uri !== '') json[`${prefixes.prefixFor(a.uri)}:${a.local}`] = a.value;
    else if (NUMERIC_SENSOR_FIELDS.has(a.local)) json[a.local] = numberOrText(a.value);
    else if (a.local === 'booleanValue') json[a.local] = booleanOrText(a.value);
    else json[a.local] = a.value;
  }
  for (const child of node.children) if (child.uri !== '') addExtension(json, child, prefixes);
  return json;
}

/** A user extension: `<ex:f>v</ex:f>` → `"ex:f": "v"`; nested elements → objects; repeated names → arrays. */
export function addExtension(
  json: Record<string, unknown>,
  node: XmlNode,
  prefixes: NamespacePrefixes,
): void {
  const key = node.uri === '' ? node.local : `${prefixes.prefixFor(node.uri)}:${node.local}`;
  const value = extensionValue(node, prefixes);
  // Only repetition makes an array here (extensionValue never returns one).
  const existing = json[key];
  if (existing === undefined) json[key] = value;
  else if (Array.isArray(existing)) existing.push(value);
  else json[key] = [existing, value];
}

function extensionValue(node: XmlNode, prefixes: NamespacePrefixes): unknown {
  if (node.children.length === 0) return typedText(node);
  const json: Record<string, unknown> = {};
  for (const child of node.children) addExtension(json, child, prefixes);
  return json;
}

/** Extension text typed by `xsi:type` when the author gave one (JSON then has a number or a boolean). */
function typedText(node: XmlNode): unknown {
  const text = textOf(node);
  const type = attribute(node, 'type', XSI_NAMESPACE)?.replace(/^.*:/, '');
  if (type && NUMERIC_XSI_TYPES.has(type)) return numberOrText(text);
  if (type === 'boolean') return booleanOrText(text);
  return text;
}

/** `xsi:nil="true"`: the field is absent (an unknown quantity, say). */
function isNil(node: XmlNode): boolean {
  const nil = attribute(node, 'nil', XSI_NAMESPACE);
  return nil === 'true' || nil === '1';
}

/** Text that is not a number stays text, so the JSON Schema names the field instead of a silent NaN. */
function numberOrText(text: string): number | string {
  const value = Number(text);
  return text !== '' && Number.isFinite(value) ? value : text;
}

function booleanOrText(text: string): boolean | string {
  if (text === 'true' || text === '1') return true;
  if (text === 'false' || text === '0') return false;
  return text;
}

/**
 * A master data document's `<EPCISBody>` → `epcisBody`: its `<VocabularyList>` (optional in the XSD: none is an empty
 * list) and its user extensions. The `extension` wrapper holds only elements of future EPCIS versions: not read.
 */
export function mapMasterDataBody(node: XmlNode, prefixes: NamespacePrefixes): Record<string, unknown> {
  const list = childNamed(node, 'VocabularyList');
  const json: Record<string, unknown> = { vocabularyList: list ? mapVocabularyList(list, prefixes) : [] };
  for (const child of node.children) if (child.uri !== '') addExtension(json, child, prefixes);
  return json;
}

/** `<VocabularyList>` (in the EPCIS header, or a master data document) → `vocabularyList`. */
export function mapVocabularyList(node: XmlNode, prefixes: NamespacePrefixes): Record<string, unknown>[] {
  return childrenNamed(node, 'Vocabulary').map((vocabulary) => {
    const list = childNamed(vocabulary, 'VocabularyElementList');
    return {
      type: attribute(vocabulary, 'type') ?? '',
      vocabularyElementList: (list ? childrenNamed(list, 'VocabularyElement') : []).map((element) =>
        vocabularyElement(element, prefixes),
      ),
    };
  });
}

function vocabularyElement(node: XmlNode, prefixes: NamespacePrefixes): Record<string, unknown> {
  const attributes = childrenNamed(node, 'attribute').map((a) => ({
    id: attribute(a, 'id') ?? '',
    attribute: a.children.length > 0 ? extensionValue(a, prefixes) : textOf(a),
  }));
  const children = childNamed(node, 'children');
  return {
    id: attribute(node, 'id') ?? '',
    ...(attributes.length > 0 ? { attributes } : {}),
    ...(children ? { children: childrenNamed(children, 'id').map(textOf) } : {}),
  };
}
