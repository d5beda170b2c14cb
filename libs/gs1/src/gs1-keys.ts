import { gs1CheckDigit } from './check-digit';
import { isDigits } from './character-set';
import { Gs1ParseError } from './gs1-parse-error';

/** Lengths a GTIN may have; every form is a GTIN-14 with leading zeros dropped. */
const GTIN_LENGTHS = new Set([8, 12, 13, 14]);

/**
 * Checks a numeric GS1 key: digits only, one of `lengths`, right check digit. Throws `Gs1ParseError`
 * (`GS1_INVALID_KEY` or `GS1_CHECK_DIGIT`) naming `label` so the message says which key was wrong.
 */
export function assertValidNumericKey(
  value: string,
  label: string,
  lengths: ReadonlySet<number>,
  ai?: string,
): void {
  if (!hasDigitsOfLength(value, lengths)) {
    throw new Gs1ParseError(
      'GS1_INVALID_KEY',
      `${label} '${value}' must be ${[...lengths].join(', ')} digits (got ${isDigits(value) ? `${value.length} digits` : 'non-digits'})`,
      { ai },
    );
  }
  const expected = gs1CheckDigit(value.slice(0, -1));
  const actual = value.charCodeAt(value.length - 1) - 48;
  if (expected !== actual) {
    throw new Gs1ParseError(
      'GS1_CHECK_DIGIT',
      `${label} '${value}' has check digit ${actual}, expected ${expected}`,
      { ai, position: value.length - 1 },
    );
  }
}

function hasDigitsOfLength(value: string, lengths: ReadonlySet<number>): boolean {
  return lengths.has(value.length) && isDigits(value);
}

function isValidKey(value: string, lengths: ReadonlySet<number>): boolean {
  if (!hasDigitsOfLength(value, lengths)) return false;
  return gs1CheckDigit(value.slice(0, -1)) === value.charCodeAt(value.length - 1) - 48;
}

const GLN_LENGTH = new Set([13]);
const SSCC_LENGTH = new Set([18]);

/** GTIN-8, -12, -13 or -14 with a valid check digit. */
export function isValidGtin(value: string): boolean {
  return isValidKey(value, GTIN_LENGTHS);
}

/** 13-digit GLN with a valid check digit. */
export function isValidGln(value: string): boolean {
  return isValidKey(value, GLN_LENGTH);
}

/** 18-digit SSCC with a valid check digit. */
export function isValidSscc(value: string): boolean {
  return isValidKey(value, SSCC_LENGTH);
}

export function assertValidGtin(value: string): void {
  assertValidNumericKey(value, 'GTIN', GTIN_LENGTHS, '01');
}

export function assertValidGln(value: string): void {
  assertValidNumericKey(value, 'GLN', GLN_LENGTH, '414');
}

export function assertValidSscc(value: string): void {
  assertValidNumericKey(value, 'SSCC', SSCC_LENGTH, '00');
}

/**
 * The GTIN-14 form of a GTIN-8/12/13/14 (left-padded with zeros), after checking it. GTIN-14 is the form GS1
 * Digital Links, EPCIS and the element strings use, so stores keep this one.
 */
export function normaliseGtin(value: string): string {
  assertValidGtin(value);
  return value.length === 14 ? value : value.padStart(14, '0');
}
