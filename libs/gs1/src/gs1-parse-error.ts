/**
 * Every failure of this library is a `Gs1ParseError` with a stable `code`, so callers (the pharmacy verification
 * API, the EPCIS validator) can map it to a response without parsing messages.
 */
export const GS1_ERROR_CODES = [
  /** Nothing to parse (empty or whitespace only). */
  'GS1_EMPTY_INPUT',
  /** A symbology identifier (`]xy`) this parser does not read as GS1 data. */
  'GS1_UNSUPPORTED_SYMBOLOGY',
  /** The data is neither a GS1 element string, a bracketed element string nor a GS1 Digital Link. */
  'GS1_NOT_GS1_DATA',
  /** An Application Identifier that is not in the GS1 AI table. */
  'GS1_UNKNOWN_AI',
  /** A value longer than its AI allows. */
  'GS1_FIELD_TOO_LONG',
  /** A value shorter than its AI requires (including data that ends in the middle of a fixed-length value). */
  'GS1_FIELD_TOO_SHORT',
  /** A character outside the character set of the AI (digits, GS1 set 82, set 39, set 64). */
  'GS1_INVALID_CHARACTER',
  /** A GS1 key whose check digit is wrong. */
  'GS1_CHECK_DIGIT',
  /** A date or time value that is not a real date (month 13, 31 April, 25:00, ...). */
  'GS1_INVALID_DATE',
  /** Separators (GS/FNC1) are missing and more than one reading of the data is valid. */
  'GS1_AMBIGUOUS_SEPARATOR',
  /** The same AI occurs twice with different values. */
  'GS1_DUPLICATE_AI',
  /** The data carries no GTIN (AI 01), which a pack scan must have. */
  'GS1_MISSING_GTIN',
  /** Bracketed element string syntax broken (unclosed bracket, empty AI, ...). */
  'GS1_BRACKET_SYNTAX',
  /** The input looks typed on a keyboard layout that cannot be told apart (German and French signs mixed). */
  'GS1_KEYBOARD_LAYOUT',
  /** Not a well-formed GS1 Digital Link URI. */
  'GS1_INVALID_DIGITAL_LINK',
  /** Not a well-formed EPC URN (pure identity, class or pattern). */
  'GS1_INVALID_EPC_URN',
  /** An EPC scheme or GS1 key with no counterpart in the requested form (e.g. `urn:epc:id:gid:` has no Digital Link). */
  'GS1_UNSUPPORTED_SCHEME',
  /** A GS1 key value of the wrong length or not numeric (e.g. a 15-digit GTIN). */
  'GS1_INVALID_KEY',
  /** Converting to an EPC URN needs the GS1 Company Prefix length and nobody knew it. */
  'GS1_UNKNOWN_COMPANY_PREFIX_LENGTH',
  /** A GS1 Company Prefix length outside 6..12 or not fitting the key. */
  'GS1_INVALID_COMPANY_PREFIX',
] as const;

export type Gs1ErrorCode = (typeof GS1_ERROR_CODES)[number];

export interface Gs1ParseErrorDetails {
  /** The Application Identifier involved, without brackets (`'17'`). */
  ai?: string;
  /** Zero-based character position in the caller's input where the problem starts. */
  position?: number;
}

export class Gs1ParseError extends Error {
  override readonly name = 'Gs1ParseError';
  readonly code: Gs1ErrorCode;
  readonly ai: string | undefined;
  readonly position: number | undefined;

  constructor(code: Gs1ErrorCode, message: string, details: Gs1ParseErrorDetails = {}) {
    super(message);
    this.code = code;
    this.ai = details.ai;
    this.position = details.position;
  }
}

export function isGs1ParseError(value: unknown): value is Gs1ParseError {
  return value instanceof Gs1ParseError;
}
