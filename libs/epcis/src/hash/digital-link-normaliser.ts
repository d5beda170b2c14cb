import { tryEpcUrnToDigitalLink } from '@pedigree/gs1';

/**
 * Rule 17/18 of the event hash: EPC URNs become canonical GS1 Digital Links and Digital Links are constrained to
 * the canonical domain and the finest identification level. This follows the reference implementation step by
 * step, including what it leaves alone: a value that fails its checks (a Digital Link with a percent-escape in a
 * serial, an unknown key) is hashed as written, so this must not be "improved" without changing hashes.
 */

/** The characters the reference allows in serials, lots and other alphanumeric key parts of a Digital Link. */
const C = `[\\x22\\x27\\x2D\\x2E\\x30-\\x39\\x3B-\\x3F\\x41-\\x5A\\x5F\\x61-\\x7A]`;

/** A Digital Link with one of the primary keys, on any domain (the reference's recognition pattern). */
const DIGITAL_LINK =
  /^https?:(\/\/((([^/?#]*)@)?([^/?#:]*)(:([^/?#]*))?))?((([^?#]*)(\/(01|gtin|8006|itip|8010|cpid|414|gln|417|party|8017|gsrnp|8018|gsrn|255|gcn|00|sscc|253|gdti|401|ginc|402|gsin|8003|grai|8004|giai)\/)(\d{4}[^/]+)(\/[^/]+\/[^/]+)?[/]?(\?([^?\n]*))?(#([^\n]*))?)|(\/[A-Za-z_-]{10}$))/;

/** Already on the canonical domain (the `.` are unescaped in the reference, so they match any character). */
const ON_CANONICAL_DOMAIN =
  /^(?:https:\/\/id.gs1.org\/(01|8006|8010|414|417|8017|8018|255|00|253|401|402|8003|8004)\/(\d{4}[^/]+)(\/[^/]+\/[^/]+)?[/]?(\?([^?\n]*))?(#([^\n]*))?|(\/[A-Za-z_-]{10}$))/;

/** Legacy short names → AIs, replaced everywhere in the URI, in this order. */
const SHORT_NAMES: readonly [string, string][] = [
  ['/gtin/', '/01/'],
  ['/itip/', '/8006/'],
  ['/cpid/', '/8010/'],
  ['/gln/', '/414/'],
  ['/party/', '/417/'],
  ['/gsrnp/', '/8017/'],
  ['/gsrn/', '/8018/'],
  ['/gcn/', '/255/'],
  ['/sscc/', '/00/'],
  ['/gdti/', '/253/'],
  ['/ginc/', '/401/'],
  ['/gsin/', '/402/'],
  ['/grai/', '/8003/'],
  ['/giai/', '/8004/'],
  ['/cpv/', '/22/'],
  ['/lot/', '/10/'],
  ['/ser/', '/21/'],
];

/** Primary keys in the order the reference looks for them when moving a link to the canonical domain. */
const KEY_PRIORITY = [
  '/00/',
  '/01/',
  '/253/',
  '/255/',
  '/401/',
  '/402/',
  '/414/',
  '/417/',
  '/8003/',
  '/8004/',
  '/8006/',
  '/8010/',
  '/8017/',
  '/8018/',
];

const GTIN_14 = /^https:\/\/id.gs1.org\/01\/\d{14}/;
const GTIN_13 = /^https:\/\/id.gs1.org\/01\/\d{13}/;
const GTIN_12 = /^https:\/\/id.gs1.org\/01\/\d{12}/;
const GTIN_8 = /^https:\/\/id.gs1.org\/01\/\d{8}/;

const CPV_LAST = [
  new RegExp(`^https:\\/\\/id.gs1.org\\/8006\\/\\d{18}\\/22\\/(${C}{0,20})$`),
  new RegExp(`^https:\\/\\/id.gs1.org\\/01\\/\\d{14}\\/22\\/(${C}{0,20})$`),
];
const CPV_FOLLOWED = [
  new RegExp(`^https:\\/\\/id.gs1.org\\/8006\\/\\d{18}\\/22\\/([\\x2F${C.slice(1, -1)}]{0,20})$`),
  new RegExp(`^https:\\/\\/id.gs1.org\\/01\\/\\d{14}\\/22\\/([\\x2F${C.slice(1, -1)}]{0,20})$`),
];
const LOT_AND_SERIAL = [
  new RegExp(`^https:\\/\\/id.gs1.org\\/8006\\/\\d{18}\\/10\\/(${C}{0,20})\\/21\\/(${C}{0,20})$`),
  new RegExp(`^https:\\/\\/id.gs1.org\\/01\\/(\\d{14})\\/10\\/(${C}{0,20})\\/21\\/(${C}{0,20})$`),
];

/** The constrained canonical forms a result must have; anything else is hashed as written. */
const VALID = [
  /^https:\/\/id.gs1.org\/00\/(\d{18})$/,
  new RegExp(`^https:\\/\\/id.gs1.org\\/01\\/(\\d{14})\\/21\\/(${C}{0,20})$`),
  new RegExp(`^https:\\/\\/id.gs1.org\\/01\\/(\\d{14})\\/10\\/(${C}{0,20})$`),
  /^https:\/\/id.gs1.org\/01\/(\d{14})$/,
  new RegExp(`^https:\\/\\/id.gs1.org\\/01\\/(\\d{14})\\/235\\/(${C}{0,28})$`),
  new RegExp(`^https:\\/\\/id.gs1.org\\/253\\/(\\d{13})(${C}{0,17})$`),
  /^https:\/\/id.gs1.org\/255\/(\d{13})(\d{0,12})$/,
  new RegExp(`^https:\\/\\/id.gs1.org\\/401\\/(${C}{0,30})$`),
  /^https:\/\/id.gs1.org\/402\/(\d{17})$/,
  /^https:\/\/id.gs1.org\/414\/(\d{13})$/,
  new RegExp(`^https:\\/\\/id.gs1.org\\/414\\/(\\d{13})\\/254\\/(${C}{0,20})$`),
  /^https:\/\/id.gs1.org\/417\/(\d{13})$/,
  new RegExp(`^https:\\/\\/id.gs1.org\\/8003\\/(\\d{14})(${C}{0,16})$`),
  new RegExp(`^https:\\/\\/id.gs1.org\\/8004\\/(${C}{0,30})$`),
  new RegExp(`^https:\\/\\/id.gs1.org\\/8006\\/(\\d{18})\\/21\\/(${C}{0,20})$`),
  new RegExp(`^https:\\/\\/id.gs1.org\\/8006\\/(\\d{18})\\/10\\/(${C}{0,20})$`),
  /^https:\/\/id.gs1.org\/8006\/(\d{18})$/,
  /^https:\/\/id.gs1.org\/8010\/([\x23\x2D\x2F\x30-\x39\x41-\x5A]{0,30})\/8011\/(\d{0,12})$/,
  /^https:\/\/id.gs1.org\/8010\/([\x23\x2D\x2F\x30-\x39\x41-\x5A]{0,30})$/,
  /^https:\/\/id.gs1.org\/8017\/(\d{18})$/,
  /^https:\/\/id.gs1.org\/8018\/(\d{18})$/,
];

/** Python's `s[a:b]` with its negative-index rules, for the reference's `find()`-based slicing. */
function pySlice(s: string, start: number, end?: number): string {
  const n = s.length;
  const norm = (i: number) => (i < 0 ? Math.max(0, n + i) : Math.min(i, n));
  return s.slice(norm(start), end === undefined ? n : norm(end));
}

function constrainDigitalLink(input: string): string | undefined {
  if (!DIGITAL_LINK.test(input)) return undefined;
  let uri = input;
  const query = uri.indexOf('?');
  if (query >= 0) uri = uri.slice(0, query);
  for (const [name, ai] of SHORT_NAMES) {
    if (uri.includes(name)) uri = uri.split(name).join(ai);
  }
  if (!ON_CANONICAL_DOMAIN.test(uri)) {
    for (const key of KEY_PRIORITY) {
      const at = uri.indexOf(key);
      if (at >= 0) {
        uri = 'https://id.gs1.org' + uri.slice(at);
        break;
      }
    }
  }
  // Zero-suppressed GTINs to 14 digits (every "/01/" in the URI is padded, as the reference's replace() does).
  if (!GTIN_14.test(uri)) {
    if (GTIN_13.test(uri)) uri = uri.split('/01/').join('/01/0');
    else if (GTIN_12.test(uri)) uri = uri.split('/01/').join('/01/00');
    else if (GTIN_8.test(uri)) uri = uri.split('/01/').join('/01/000000');
  }
  // Consumer product variant is not an identification level of its own: drop it.
  const afterCpv = pySlice(uri, uri.indexOf('/22/') + 4);
  if (CPV_LAST.some((r) => r.test(uri))) {
    uri = pySlice(uri, 0, uri.indexOf('/22/')) + pySlice(afterCpv, afterCpv.indexOf('/'), -1);
  }
  if (CPV_FOLLOWED.some((r) => r.test(uri))) {
    uri = pySlice(uri, 0, uri.indexOf('/22/')) + pySlice(afterCpv, afterCpv.indexOf('/'));
  }
  // Only the finest level: with a serial, the lot goes.
  if (LOT_AND_SERIAL.some((r) => r.test(uri))) {
    const afterLot = pySlice(uri, uri.indexOf('/10/') + 4);
    uri = pySlice(uri, 0, uri.indexOf('/10/')) + pySlice(afterLot, afterLot.indexOf('/'));
  }
  return VALID.some((r) => r.test(uri)) ? uri : undefined;
}

const EVENT_HASH_ESCAPING = { escaping: 'event-hash' } as const;
const MAX_CACHED = 10_000;
const cache = new Map<string, string | null>();

/**
 * The constrained canonical GS1 Digital Link of an EPC URN or Digital Link, or undefined when the value is
 * neither (or not one the reference converts). Results are memoised: the same EPCs recur across events.
 */
export function normaliseGs1Identifier(value: string): string | undefined {
  // The reference only considers values with a dot (every URN and URL has one).
  if (value.indexOf('.') < 0) return undefined;
  // Both patterns are case-sensitive and start with "urn:epc:" or "http".
  const c = value.charCodeAt(0);
  // EPC URNs convert faster than a cache lookup of a fresh string costs, and memoising every new serial would
  // fill the heap; Digital Links go through a dozen regular expressions, so they are memoised.
  if (c === 117)
    return value.startsWith('urn:epc:') ? tryEpcUrnToDigitalLink(value, EVENT_HASH_ESCAPING) : undefined;
  if (c !== 104) return undefined;
  const hit = cache.get(value);
  if (hit !== undefined) return hit ?? undefined;
  const result = constrainDigitalLink(value);
  if (value.length <= 256) {
    if (cache.size >= MAX_CACHED) cache.clear();
    cache.set(value, result ?? null);
  }
  return result;
}
