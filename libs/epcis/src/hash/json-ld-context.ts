/**
 * What the event hash needs of a JSON-LD `@context`: the namespace each prefix stands for, to write user extension
 * keys as `{namespace}local` and expand compact IRIs in values. The standard EPCIS 2.0 context is known here (its
 * prefixes are below); nothing is ever fetched.
 */

/** An `@context` as documents carry it: a URL, an object of term definitions, or a list of both. */
export type JsonLdContextValue =
  | string
  | Readonly<Record<string, unknown>>
  | readonly (string | Readonly<Record<string, unknown>> | null)[]
  | null;

/** Prefix → namespace IRI, with a quick filter on first characters (most values are URNs and URLs). */
export class NamespaceMap {
  private readonly prefixes: ReadonlyMap<string, string>;
  private readonly firstChars = new Uint8Array(128);
  private wide = false;

  constructor(prefixes: Iterable<readonly [string, string]>) {
    this.prefixes = new Map(prefixes);
    for (const p of this.prefixes.keys()) {
      const c = p.charCodeAt(0);
      if (c < 128) this.firstChars[c] = 1;
      else this.wide = true;
    }
  }

  get(prefix: string): string | undefined {
    return this.prefixes.get(prefix);
  }

  entries(): IterableIterator<[string, string]> {
    return this.prefixes.entries();
  }

  /** The namespace of the prefix before the first colon of `text`, when that prefix is known. */
  namespaceOf(text: string): { namespace: string; colon: number } | undefined {
    const c = text.charCodeAt(0);
    if (c < 128 ? this.firstChars[c] === 0 : !this.wide) return undefined;
    const colon = text.indexOf(':');
    if (colon < 1) return undefined;
    const namespace = this.prefixes.get(text.slice(0, colon));
    return namespace === undefined ? undefined : { namespace, colon };
  }
}

/** Prefixes the EPCIS 2.0 JSON-LD context defines; every EPCIS 2.0 document has that context. */
export const EPCIS_CONTEXT_PREFIXES = new NamespaceMap([
  ['epcis', 'https://ref.gs1.org/epcis/'],
  ['cbv', 'https://ref.gs1.org/cbv/'],
  ['cbvmda', 'urn:epcglobal:cbv:mda:'],
  ['gs1', 'https://gs1.org/voc/'],
  ['rdfs', 'http://www.w3.org/2000/01/rdf-schema#'],
  ['owl', 'http://www.w3.org/2002/07/owl#'],
  ['xsd', 'http://www.w3.org/2001/XMLSchema#'],
  ['dcterms', 'http://purl.org/dc/terms/'],
]);

const cache = new WeakMap<object, NamespaceMap>();

function iriOf(definition: unknown): string | undefined {
  if (typeof definition === 'string') return definition;
  if (definition !== null && typeof definition === 'object') {
    const id = (definition as { '@id'?: unknown })['@id'];
    if (typeof id === 'string') return id;
  }
  return undefined;
}

/**
 * The namespaces of a document's `@context` on top of `base` (by default the EPCIS context's own prefixes).
 * Cached per context object: the events of a document share it.
 */
export function namespacesOf(
  context: JsonLdContextValue | undefined,
  base: NamespaceMap = EPCIS_CONTEXT_PREFIXES,
): NamespaceMap {
  if (context === undefined || context === null || typeof context === 'string') return base;
  const cacheable = base === EPCIS_CONTEXT_PREFIXES;
  if (cacheable) {
    const hit = cache.get(context);
    if (hit) return hit;
  }
  const map = new Map(base.entries());
  const entries: readonly unknown[] = Array.isArray(context) ? context : [context];
  for (const entry of entries) {
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) continue;
    for (const [prefix, definition] of Object.entries(entry as Record<string, unknown>)) {
      const iri = iriOf(definition);
      // Only prefix definitions (absolute IRIs) matter; keywords and aliases such as "type": "@type" do not.
      if (!prefix.startsWith('@') && iri !== undefined && !iri.startsWith('@') && iri.includes(':')) {
        map.set(prefix, iri);
      }
    }
  }
  const namespaces = new NamespaceMap(map);
  if (cacheable) cache.set(context, namespaces);
  return namespaces;
}

/** `example:myField` → `{https://ns.example.com/epcis/}myField`; keys without a known prefix stay as they are. */
export function expandKey(key: string, namespaces: NamespaceMap): string {
  const found = namespaces.namespaceOf(key);
  return found === undefined ? key : `{${found.namespace}}${key.slice(found.colon + 1)}`;
}

/** `gs1:Temperature` → `https://gs1.org/voc/Temperature`; other values stay as they are. */
export function expandValue(value: string, namespaces: NamespaceMap): string {
  const found = namespaces.namespaceOf(value);
  return found === undefined ? value : found.namespace + value.slice(found.colon + 1);
}
