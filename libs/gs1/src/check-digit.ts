import { Gs1ParseError } from './gs1-parse-error';

/**
 * GS1 mod-10 check digit (GS1 General Specifications §7.9.1) of `body`, the digits before the check digit: weights
 * 3,1,3,... from the right. Works for every length (GTIN-8..14, GLN, SSCC, GSIN, GSRN, GDTI, GCN, GRAI).
 */
export function gs1CheckDigit(body: string): number {
  let sum = 0;
  let triple = true;
  for (let i = body.length - 1; i >= 0; i--) {
    const d = body.charCodeAt(i) - 48;
    if (d < 0 || d > 9) {
      throw new Gs1ParseError(
        'GS1_INVALID_CHARACTER',
        `check digit of '${body}': '${body[i]}' is not a digit (position ${i})`,
        { position: i },
      );
    }
    sum += triple ? d * 3 : d;
    triple = !triple;
  }
  return (10 - (sum % 10)) % 10;
}

/** `body` followed by its check digit. */
export function withCheckDigit(body: string): string {
  return body + String(gs1CheckDigit(body));
}

/** True when `key` (digits, check digit last) carries the right check digit; false for non-digits. */
export function hasValidCheckDigit(key: string): boolean {
  const n = key.length;
  if (n < 2) return false;
  let sum = 0;
  let triple = true;
  for (let i = n - 2; i >= 0; i--) {
    const d = key.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    sum += triple ? d * 3 : d;
    triple = !triple;
  }
  const last = key.charCodeAt(n - 1) - 48;
  return last === (10 - (sum % 10)) % 10;
}
