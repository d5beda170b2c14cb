/** The one place the EPCIS model touches CBV vocabulary helpers (`../cbv`). */
import {
  type CbvKind,
  cbvTermOf as termOf,
  compactCbv,
  isStandardCbvTerm as isStandardTerm,
  standardCbvTerms as terms,
} from '../cbv';

export type { CbvKind };

/** True when `value` is a bare standard CBV term of that kind (`shipping`, `in_transit`, `po`). */
export function isStandardCbvTerm(kind: CbvKind, value: string): boolean {
  return isStandardTerm(kind, value);
}

/** Bare CBV term for a standard value in any spelling (bare, web URI); other values unchanged. */
export function compactCbvValue(kind: CbvKind, value: string): string {
  return compactCbv(kind, value);
}

/** The term a URI in a CBV namespace names (standard or not) and whether it is the current web form. */
export function cbvTermOf(kind: CbvKind, uri: string): { term: string; form: 'web' | 'legacy' } | undefined {
  return termOf(kind, uri);
}

/** The standard terms of a kind. */
export function standardCbvTerms(kind: CbvKind): readonly string[] {
  return terms(kind);
}
