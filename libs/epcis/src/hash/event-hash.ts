import { hash } from 'node:crypto';
import { type JsonLdContextValue, type NamespaceMap, expandKey, namespacesOf } from './json-ld-context';
import { preHashOf } from './pre-hash';

/** Algorithm and version parts of the CBV 2.0 Event Hash ID (RFC 6920 `ni` URI). */
const PREFIX = 'ni:///sha-256;';
const SUFFIX = '?ver=CBV2.0';
const HASH_ID = /^ni:\/\/\/sha-256;([0-9a-f]{64})\?ver=CBV2\.0$/;

export interface EventHashOptions {
  /**
   * Top-level fields to leave out of the hash besides the standard ones (`eventID`, `recordTime`,
   * `errorDeclaration`), written as in the event (`example:captureID`) or expanded (`{https://…/}captureID`).
   */
  ignoreFields?: readonly string[];
}

type JsonObject = Readonly<Record<string, unknown>>;

function asEvent(event: object): JsonObject {
  if (event === null || typeof event !== 'object' || Array.isArray(event)) {
    throw new TypeError('an EPCIS event must be a JSON object');
  }
  return event as JsonObject;
}

function eventNamespaces(event: JsonObject, documentNamespaces: NamespaceMap): NamespaceMap {
  // An event may carry its own @context (EPCIS 2.0 allows it); it adds to the document's.
  const own = event['@context'] as JsonLdContextValue | undefined;
  return own === undefined ? documentNamespaces : namespacesOf(own, documentNamespaces);
}

function ignoreSet(fields: readonly string[] | undefined, ns: NamespaceMap): ReadonlySet<string> | undefined {
  if (!fields || fields.length === 0) return undefined;
  const set = new Set<string>();
  for (const f of fields) {
    set.add(f);
    set.add(expandKey(f, ns));
  }
  return set;
}

function preHash(event: JsonObject, ns: NamespaceMap, ignoreFields: readonly string[] | undefined): string {
  const namespaces = eventNamespaces(event, ns);
  return preHashOf({ event, namespaces, ignoreFields: ignoreSet(ignoreFields, namespaces) });
}

function hashIdOf(preHashString: string): string {
  // One-shot hashing (Node >= 20.12): no Hash object per event.
  return PREFIX + hash('sha256', preHashString, 'hex') + SUFFIX;
}

/**
 * The canonical pre-hash string of an event (CBV 2.0 §8.9): what gets hashed, useful to see why two events differ.
 * `context` is the `@context` of the document the event came in (prefixes of extensions); the EPCIS 2.0 context's
 * own prefixes are always known.
 */
export function computePreHash(
  event: object,
  context?: JsonLdContextValue,
  options: EventHashOptions = {},
): string {
  return preHash(asEvent(event), namespacesOf(context), options.ignoreFields);
}

/**
 * The CBV 2.0 Event Hash ID of an EPCIS 2.0 event in JSON(-LD): `ni:///sha-256;<64 hex>?ver=CBV2.0`. The same for
 * any serialisation of the same event: key order, list order, number formatting (`26.0` = `26`), time zone and
 * precision of timestamps, EPC URN or Digital Link, bare or URI CBV values.
 */
export function computeEventHash(
  event: object,
  context?: JsonLdContextValue,
  options: EventHashOptions = {},
): string {
  return hashIdOf(computePreHash(event, context, options));
}

/** The 32-byte SHA-256 digest inside an Event Hash ID (the Merkle leaf Pedigree anchors on-chain). */
export function eventHashDigest(hashId: string): Buffer {
  const m = HASH_ID.exec(hashId);
  if (!m)
    throw new RangeError(
      `'${hashId}' is not a CBV 2.0 SHA-256 Event Hash ID (ni:///sha-256;<64 hex>?ver=CBV2.0)`,
    );
  return Buffer.from(m[1], 'hex');
}

export function isEventHashId(value: string): boolean {
  return HASH_ID.test(value);
}

export interface DocumentHashOptions {
  /**
   * Expanded IRI of a document-level property listing further fields to ignore in every event. The reference
   * implementation reads `<prefix>:ignoreFields` for a prefix bound to `https://repository-x.example.com/` (its
   * test repository's namespace); that is the default, so documents written for it hash the same. `null` turns
   * it off.
   */
  ignoreFieldsProperty?: string | null;
}

const REFERENCE_IGNORE_FIELDS = 'https://repository-x.example.com/ignoreFields';

function objectAt(value: unknown): JsonObject | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as JsonObject)
    : undefined;
}

/** `repository-x:ignoreFields` → `https://repository-x.example.com/ignoreFields` (unknown prefixes: as written). */
function keyIri(key: string, ns: NamespaceMap): string {
  const expanded = expandKey(key, ns);
  const close = expanded.indexOf('}');
  return expanded.startsWith('{') && close > 0
    ? expanded.slice(1, close) + expanded.slice(close + 1)
    : expanded;
}

function ignoreFieldsOf(
  holder: JsonObject | undefined,
  property: string | null,
  ns: NamespaceMap,
): string[] | undefined {
  if (!holder || property === null) return undefined;
  for (const [key, value] of Object.entries(holder)) {
    if (keyIri(key, ns) === property && Array.isArray(value)) {
      return value.filter((v): v is string => typeof v === 'string');
    }
  }
  return undefined;
}

function eventsOf(document: JsonObject): { events: readonly unknown[]; fieldHolder: JsonObject | undefined } {
  const body = objectAt(document.epcisBody);
  if (!body) throw new TypeError('not an EPCIS document: no epcisBody');
  if (Array.isArray(body.eventList)) return { events: body.eventList, fieldHolder: document };
  const results = objectAt(body.queryResults);
  const resultsBody = objectAt(results?.resultsBody);
  if (resultsBody && Array.isArray(resultsBody.eventList))
    return { events: resultsBody.eventList, fieldHolder: results };
  if (objectAt(body.event)) return { events: [body.event], fieldHolder: document };
  throw new TypeError(
    'not an EPCIS document: epcisBody has no eventList, queryResults.resultsBody.eventList or event',
  );
}

/** Pre-hash strings of every event of an EPCISDocument or EPCISQueryDocument, in document order. */
export function eventPreHashesOfDocument(document: object, options: DocumentHashOptions = {}): string[] {
  const doc = asEvent(document);
  const ns = namespacesOf(doc['@context'] as JsonLdContextValue | undefined);
  const { events, fieldHolder } = eventsOf(doc);
  const ignoreFields = ignoreFieldsOf(
    fieldHolder,
    options.ignoreFieldsProperty === undefined ? REFERENCE_IGNORE_FIELDS : options.ignoreFieldsProperty,
    ns,
  );
  return events.map((event) => preHash(asEvent(event as object), ns, ignoreFields));
}

/** Event Hash IDs of every event of an EPCISDocument or EPCISQueryDocument, in document order. */
export function eventHashesOfDocument(document: object, options: DocumentHashOptions = {}): string[] {
  return eventPreHashesOfDocument(document, options).map(hashIdOf);
}
