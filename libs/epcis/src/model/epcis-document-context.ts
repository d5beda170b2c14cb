import { EVENT_LIST_POINTER, isEpcisContextUrl } from './epcis-document.model';

/**
 * What the events of one document share: the JSON-LD prefixes in scope and where the event list sits. Built once
 * per document and passed to `normaliseEvent` / `validateEvent`, so per-event work never re-reads `@context`.
 */
export interface EpcisDocumentContext {
  /** Prefix (or term) → IRI: the EPCIS 2.0 context's prefixes plus those the document's `@context` defines. */
  readonly prefixes: ReadonlyMap<string, string>;
  /** The document's `@context` references the EPCIS 2.0 context (see {@link isEpcisContextUrl}). */
  readonly referencesEpcisContext: boolean;
  /** The document has an `@context` at all. */
  readonly hasContext: boolean;
  readonly documentType?: EpcisDocumentType;
  /** JSON pointer of the event list, for issue fields (`/epcisBody/eventList`; a master data document has none). */
  readonly eventListPointer: string;
}

export type EpcisDocumentType = 'EPCISDocument' | 'EPCISQueryDocument' | 'EPCISMasterDataDocument';
const DOCUMENT_TYPES: ReadonlySet<unknown> = new Set<EpcisDocumentType>([
  'EPCISDocument',
  'EPCISQueryDocument',
  'EPCISMasterDataDocument',
]);

/** Prefixes the EPCIS 2.0 context itself defines (epcis-context.jsonld). */
export const EPCIS_CONTEXT_PREFIXES: ReadonlyMap<string, string> = new Map([
  ['epcis', 'https://ref.gs1.org/epcis/'],
  ['cbv', 'https://ref.gs1.org/cbv/'],
  ['cbvmda', 'urn:epcglobal:cbv:mda:'],
  ['gs1', 'https://gs1.org/voc/'],
  ['rdfs', 'http://www.w3.org/2000/01/rdf-schema#'],
  ['owl', 'http://www.w3.org/2002/07/owl#'],
  ['xsd', 'http://www.w3.org/2001/XMLSchema#'],
  ['dcterms', 'http://purl.org/dc/terms/'],
]);

/**
 * URI schemes whose values are absolute IRIs even without `//` (so `urn:x` is never read as prefix `urn`).
 * `http`/`https` are covered by the `//` rule.
 */
const ABSOLUTE_SCHEMES = new Set(['urn', 'tag', 'ni', 'did', 'geo', 'mailto', 'data']);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Adds the prefixes an `@context` value defines to `into`; returns whether it references the EPCIS context. */
function readContext(context: unknown, into: Map<string, string>): boolean {
  let referencesEpcis = false;
  const entries = Array.isArray(context) ? (context as unknown[]) : [context];
  for (const entry of entries) {
    if (typeof entry === 'string') {
      if (isEpcisContextUrl(entry)) referencesEpcis = true;
      continue;
    }
    if (!isRecord(entry)) continue;
    for (const key of Object.keys(entry)) {
      if (key.startsWith('@')) continue;
      const definition = entry[key];
      const iri =
        typeof definition === 'string' ? definition : isRecord(definition) ? definition['@id'] : undefined;
      if (typeof iri === 'string' && !iri.startsWith('@')) into.set(key, iri);
    }
  }
  return referencesEpcis;
}

export function createDocumentContext(document: unknown): EpcisDocumentContext {
  const prefixes = new Map(EPCIS_CONTEXT_PREFIXES);
  const doc = isRecord(document) ? document : {};
  const hasContext = doc['@context'] !== undefined;
  const referencesEpcisContext = hasContext && readContext(doc['@context'], prefixes);
  const documentType = DOCUMENT_TYPES.has(doc.type) ? (doc.type as EpcisDocumentType) : undefined;
  return {
    prefixes,
    referencesEpcisContext,
    hasContext,
    documentType,
    eventListPointer:
      EVENT_LIST_POINTER[documentType === 'EPCISQueryDocument' ? documentType : 'EPCISDocument'],
  };
}

/**
 * The context in force inside one event: an event may carry its own `@context` (EPCIS 2.0 allows it), which adds
 * prefixes. Returns `context` itself when the event has none, so the common path allocates nothing.
 */
export function contextForEvent(context: EpcisDocumentContext, event: unknown): EpcisDocumentContext {
  if (!isRecord(event) || event['@context'] === undefined) return context;
  const prefixes = new Map(context.prefixes);
  const referencesEpcis = readContext(event['@context'], prefixes);
  return {
    ...context,
    prefixes,
    hasContext: true,
    referencesEpcisContext: context.referencesEpcisContext || referencesEpcis,
  };
}

/** The event list of an EPCISDocument or EPCISQueryDocument, or undefined when the document has none. */
export function getEventList(document: unknown): unknown[] | undefined {
  if (!isRecord(document) || !isRecord(document.epcisBody)) return undefined;
  const body = document.epcisBody;
  if (document.type === 'EPCISQueryDocument') {
    const results = isRecord(body.queryResults) ? body.queryResults.resultsBody : undefined;
    const list = isRecord(results) ? results.eventList : undefined;
    return Array.isArray(list) ? (list as unknown[]) : undefined;
  }
  return Array.isArray(body.eventList) ? (body.eventList as unknown[]) : undefined;
}

export type IriKind = 'absolute' | 'compact' | 'unknown-prefix' | 'not-an-iri';

/**
 * How a key or vocabulary value reads as an IRI in this context: absolute (`https://...`, `urn:...`), compact
 * with a defined prefix (`example:x`), compact with an undefined prefix, or a bare word.
 */
export function classifyIri(value: string, context: EpcisDocumentContext): IriKind {
  const colon = value.indexOf(':');
  if (colon <= 0) return 'not-an-iri';
  if (value.startsWith('//', colon + 1)) return 'absolute';
  const prefix = value.slice(0, colon);
  if (context.prefixes.has(prefix)) return 'compact';
  if (ABSOLUTE_SCHEMES.has(prefix)) return 'absolute';
  return 'unknown-prefix';
}

/** Expands `prefix:suffix` with the context's prefixes; other values are returned unchanged. */
export function expandIri(value: string, context: EpcisDocumentContext): string {
  const colon = value.indexOf(':');
  if (colon <= 0 || value.startsWith('//', colon + 1)) return value;
  const namespace = context.prefixes.get(value.slice(0, colon));
  return namespace === undefined ? value : namespace + value.slice(colon + 1);
}
