/**
 * What a person typed or scanned into the provenance search. EPC URNs and GS1 Digital Links are identifiers the
 * provenance endpoint takes as they are; anything else is taken as a scanned barcode string (a GS1 element string,
 * raw with FNC1/GS separators or bracketed), which `POST /v1/verify` turns into an EPC first.
 */
export type IdentifierKind = 'epc-urn' | 'digital-link' | 'barcode' | 'empty';

export function classifyIdentifier(input: string): IdentifierKind {
  const value = input.trim();
  if (!value) return 'empty';
  if (/^urn:epc:/i.test(value)) return 'epc-urn';
  if (/^https?:\/\//i.test(value)) return 'digital-link';
  return 'barcode';
}

export function describeKind(kind: IdentifierKind): string {
  switch (kind) {
    case 'epc-urn':
      return 'EPC URN';
    case 'digital-link':
      return 'GS1 Digital Link';
    case 'barcode':
      return 'barcode string';
    case 'empty':
      return 'nothing';
  }
}
