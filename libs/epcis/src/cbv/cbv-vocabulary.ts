/**
 * CBV 2.0 standard vocabularies (GS1 Core Business Vocabulary 2.0; the same term lists as the EPCIS 2.0 JSON-LD
 * context and JSON Schema) and the conversions between their three spellings:
 *
 * - bare, as EPCIS 2.0 JSON/JSON-LD writes them: `shipping`
 * - web URI, the CBV 2.0 form: `https://ref.gs1.org/cbv/BizStep-shipping`
 * - URN, the CBV 1.x form still found in XML and older data: `urn:epcglobal:cbv:bizstep:shipping`
 */

export const CBV_KINDS = [
  'bizStep',
  'disposition',
  'bizTransactionType',
  'sourceDestType',
  'errorReason',
] as const;
export type CbvKind = (typeof CBV_KINDS)[number];

export const CBV_BIZ_STEPS = [
  'accepting',
  'arriving',
  'assembling',
  'collecting',
  'commissioning',
  'consigning',
  'creating_class_instance',
  'cycle_counting',
  'decommissioning',
  'departing',
  'destroying',
  'disassembling',
  'dispensing',
  'encoding',
  'entering_exiting',
  'holding',
  'inspecting',
  'installing',
  'killing',
  'loading',
  'other',
  'packing',
  'picking',
  'receiving',
  'removing',
  'repackaging',
  'repairing',
  'replacing',
  'reserving',
  'retail_selling',
  'sampling',
  'sensor_reporting',
  'shipping',
  'staging_outbound',
  'stock_taking',
  'stocking',
  'storing',
  'transporting',
  'unloading',
  'unpacking',
  'void_shipping',
] as const;

export const CBV_DISPOSITIONS = [
  'active',
  'available',
  'completeness_verified',
  'completeness_inferred',
  'conformant',
  'container_closed',
  'container_open',
  'damaged',
  'destroyed',
  'dispensed',
  'disposed',
  'encoded',
  'expired',
  'in_progress',
  'in_transit',
  'inactive',
  'mismatch_instance',
  'mismatch_class',
  'mismatch_quantity',
  'needs_replacement',
  'no_pedigree_match',
  'non_conformant',
  'non_sellable_other',
  'partially_dispensed',
  'recalled',
  'reserved',
  'retail_sold',
  'returned',
  'sellable_accessible',
  'sellable_not_accessible',
  'stolen',
  'unavailable',
  'unknown',
] as const;

export const CBV_BIZ_TRANSACTION_TYPES = [
  'bol',
  'cert',
  'desadv',
  'inv',
  'pedigree',
  'po',
  'poc',
  'prodorder',
  'recadv',
  'rma',
  'testprd',
  'testres',
  'upevt',
] as const;

export const CBV_SOURCE_DEST_TYPES = ['owning_party', 'possessing_party', 'location'] as const;

export const CBV_ERROR_REASONS = ['did_not_occur', 'incorrect_data'] as const;

const TERM_LISTS: Record<CbvKind, readonly string[]> = {
  bizStep: CBV_BIZ_STEPS,
  disposition: CBV_DISPOSITIONS,
  bizTransactionType: CBV_BIZ_TRANSACTION_TYPES,
  sourceDestType: CBV_SOURCE_DEST_TYPES,
  errorReason: CBV_ERROR_REASONS,
};

const TERM_SETS: Record<CbvKind, ReadonlySet<string>> = {
  bizStep: new Set(CBV_BIZ_STEPS),
  disposition: new Set(CBV_DISPOSITIONS),
  bizTransactionType: new Set(CBV_BIZ_TRANSACTION_TYPES),
  sourceDestType: new Set(CBV_SOURCE_DEST_TYPES),
  errorReason: new Set(CBV_ERROR_REASONS),
};

export const CBV_WEB_BASE = 'https://ref.gs1.org/cbv/';

/** Web URI prefix and CBV 1.x URN prefix of each kind. */
export const CBV_NAMESPACES: Record<CbvKind, { readonly web: string; readonly urn: string }> = {
  bizStep: { web: `${CBV_WEB_BASE}BizStep-`, urn: 'urn:epcglobal:cbv:bizstep:' },
  disposition: { web: `${CBV_WEB_BASE}Disp-`, urn: 'urn:epcglobal:cbv:disp:' },
  bizTransactionType: { web: `${CBV_WEB_BASE}BTT-`, urn: 'urn:epcglobal:cbv:btt:' },
  sourceDestType: { web: `${CBV_WEB_BASE}SDT-`, urn: 'urn:epcglobal:cbv:sdt:' },
  errorReason: { web: `${CBV_WEB_BASE}ER-`, urn: 'urn:epcglobal:cbv:er:' },
};

/** Pre-ratification web namespaces of CBV 2.0 drafts; read like the URNs (legacy), never written. */
const DRAFT_WEB_BASES = ['https://ns.gs1.org/cbv/', 'http://ns.gs1.org/cbv/'];

/** The bare standard terms of a kind, in the standard's order. */
export function standardCbvTerms(kind: CbvKind): readonly string[] {
  return TERM_LISTS[kind];
}

/** True when `term` is a bare standard term of the kind (`shipping`, `in_transit`, `po`). */
export function isStandardCbvTerm(kind: CbvKind, term: string): boolean {
  return TERM_SETS[kind].has(term);
}

/**
 * The term a URI in the kind's CBV namespace names, standard or not, and its spelling: `web` for the CBV 2.0 URI,
 * `legacy` for the CBV 1.x URN or a draft web namespace. Undefined for bare words and URIs outside the CBV.
 */
export function cbvTermOf(kind: CbvKind, uri: string): { term: string; form: 'web' | 'legacy' } | undefined {
  const { web, urn } = CBV_NAMESPACES[kind];
  if (uri.startsWith(web)) return { term: uri.slice(web.length), form: 'web' };
  if (uri.startsWith(urn)) return { term: uri.slice(urn.length), form: 'legacy' };
  const local = web.slice(CBV_WEB_BASE.length);
  for (const base of DRAFT_WEB_BASES) {
    if (uri.startsWith(base + local)) return { term: uri.slice(base.length + local.length), form: 'legacy' };
  }
  return undefined;
}

/** True when the value names a standard term of the kind in any spelling (bare, web URI, URN). */
export function isStandardCbv(kind: CbvKind, value: string): boolean {
  if (TERM_SETS[kind].has(value)) return true;
  const named = cbvTermOf(kind, value);
  return named !== undefined && TERM_SETS[kind].has(named.term);
}

/**
 * The CBV 2.0 web URI of a value: a bare standard term or a CBV 1.x URN / draft URI of the kind becomes
 * `https://ref.gs1.org/cbv/<Prefix>-<term>`. A URN's term is carried over even when it is not standard (the
 * namespace mapping is mechanical). Any other value (a private URI, an unknown bare word) is returned unchanged.
 */
export function expandCbv(kind: CbvKind, value: string): string {
  if (TERM_SETS[kind].has(value)) return CBV_NAMESPACES[kind].web + value;
  const named = cbvTermOf(kind, value);
  if (named === undefined || named.form === 'web') return value;
  return CBV_NAMESPACES[kind].web + named.term;
}

/**
 * The bare term of a value naming a standard term in any spelling (`https://ref.gs1.org/cbv/BizStep-shipping`,
 * `urn:epcglobal:cbv:bizstep:shipping` → `shipping`), as EPCIS 2.0 JSON writes it. Any other value is returned
 * unchanged, so non-standard CBV URIs keep their full form.
 */
export function compactCbv(kind: CbvKind, value: string): string {
  if (TERM_SETS[kind].has(value)) return value;
  const named = cbvTermOf(kind, value);
  return named !== undefined && TERM_SETS[kind].has(named.term) ? named.term : value;
}
