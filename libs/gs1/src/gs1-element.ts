/** One GS1 element: an Application Identifier (without brackets) and its value, decoded. */
export interface Gs1Element {
  ai: string;
  value: string;
}

/** Instance-level identifiers name one object; class-level ones a product, lot or other group. */
export type Gs1IdentifierLevel = 'instance' | 'class';

/**
 * EPC scheme names (EPC Tag Data Standard) of the GS1 keys, plus `gtin` (a GTIN alone, the EPC pattern
 * `urn:epc:idpat:sgtin:CP.IR.*`) and `gmn`, which have no EPC pure identity.
 */
export type Gs1Scheme =
  | 'sgtin'
  | 'sscc'
  | 'sgln'
  | 'grai'
  | 'giai'
  | 'gsrn'
  | 'gsrnp'
  | 'gdti'
  | 'cpi'
  | 'sgcn'
  | 'ginc'
  | 'gsin'
  | 'itip'
  | 'upui'
  | 'pgln'
  | 'lgtin'
  | 'gtin'
  | 'gmn';
