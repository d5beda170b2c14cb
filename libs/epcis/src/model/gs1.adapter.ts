/**
 * The one place the EPCIS model touches GS1 identifier logic (`@pedigree/gs1`): EPC URNs and GS1 Digital Links
 * parsed with form and check-digit checks, memoised because the same EPCs recur across a document's events.
 */
import { isGs1ParseError, parseDigitalLink, parseEpcUrn } from '@pedigree/gs1';

export type Gs1IdentifierLevel = 'instance' | 'class';

export interface Gs1Identifier {
  form: 'epc-urn' | 'digital-link';
  /** EPC scheme (`sgtin`, `sscc`, `sgln`, `lgtin`, ...); `gtin` for a GTIN-only class. */
  scheme: string;
  level: Gs1IdentifierLevel;
  /** Canonical EPC URN when derivable without extra knowledge (a Digital Link lacks the company prefix length). */
  epcUrn?: string;
  /** Canonical GS1 Digital Link on id.gs1.org, when there is one. */
  digitalLink?: string;
}

export interface Gs1IdentifierProblem {
  problem: 'malformed' | 'check-digit';
  message: string;
}

/** `undefined`: the value is neither an EPC URN nor a GS1 Digital Link (a private URI, `urn:uuid:`, ...). */
export type Gs1ParseResult = Gs1Identifier | Gs1IdentifierProblem | undefined;

export function isGs1Problem(result: Gs1ParseResult): result is Gs1IdentifierProblem {
  return result !== undefined && 'problem' in result;
}

/** A path segment naming a GS1 primary key: only such URLs are read as Digital Links, others are private URIs. */
const PRIMARY_KEY_SEGMENT =
  /\/(00|01|253|255|401|402|414|417|8003|8004|8006|8010|8013|8017|8018|gtin|sscc|gln|grai|giai|gsrn|gdti|gcn|ginc|gsin|itip|cpid|gmn|gsrnp)\/[^/?#]/;

function problemOf(error: unknown): Gs1IdentifierProblem {
  if (!isGs1ParseError(error)) throw error;
  return { problem: error.code === 'GS1_CHECK_DIGIT' ? 'check-digit' : 'malformed', message: error.message };
}

function parse(value: string): Gs1ParseResult {
  if (value.startsWith('urn:epc:')) {
    try {
      const identity = parseEpcUrn(value);
      return {
        form: 'epc-urn',
        scheme: identity.scheme,
        level: identity.level,
        epcUrn: identity.urn,
        ...(identity.digitalLink ? { digitalLink: identity.digitalLink } : {}),
      };
    } catch (error) {
      return problemOf(error);
    }
  }
  if (!PRIMARY_KEY_SEGMENT.test(value)) return undefined;
  try {
    const link = parseDigitalLink(value);
    return { form: 'digital-link', scheme: link.scheme, level: link.level, digitalLink: link.canonical };
  } catch (error) {
    return problemOf(error);
  }
}

const MAX_CACHED = 20_000;
const cache = new Map<string, Gs1ParseResult>();

/**
 * Parses an EPC URN or GS1 Digital Link, checking form and check digits. `undefined` when the value is some other
 * URI (private identifiers are legal in EPCIS). Results are shared: treat them as read-only.
 */
export function parseGs1Identifier(value: string): Gs1ParseResult {
  const isUrn = value.startsWith('urn:epc:');
  if (!isUrn && !value.startsWith('https://') && !value.startsWith('http://')) return undefined;
  const cached = cache.get(value);
  if (cached !== undefined || cache.has(value)) return cached;
  const parsed = parse(value);
  // Long values are hostile or exotic; caching them would let one document evict the useful entries.
  if (value.length <= 200) {
    if (cache.size >= MAX_CACHED) cache.clear();
    cache.set(value, parsed);
  }
  return parsed;
}
