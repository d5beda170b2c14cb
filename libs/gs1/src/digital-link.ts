import { aiDefinition } from './ai-table';
import { aiLabel, checkAiValue } from './ai-value';
import { decodePercent, encodeDigitalLinkValue } from './character-set';
import type { Gs1Element, Gs1IdentifierLevel, Gs1Scheme } from './gs1-element';
import { Gs1ParseError } from './gs1-parse-error';

/** The canonical resolver domain (GS1 Digital Link URI Syntax §4.11). */
export const CANONICAL_DIGITAL_LINK_BASE = 'https://id.gs1.org';

/**
 * Digital Link primary keys with their key qualifiers: each alternative lists the qualifiers allowed after the key,
 * in the only order they may appear (GS1 Digital Link URI Syntax 1.2 §4.3, GS1 Barcode Syntax Dictionary `dlpkey`).
 */
const PRIMARY_KEYS: ReadonlyMap<string, readonly (readonly string[])[]> = new Map([
  ['00', [[]]],
  ['01', [['22', '10', '21'], ['235']]],
  ['253', [[]]],
  ['255', [[]]],
  ['401', [[]]],
  ['402', [[]]],
  ['414', [['254'], ['7040']]],
  ['417', [['7040']]],
  ['8003', [[]]],
  ['8004', [['7040']]],
  ['8006', [['22', '10', '21']]],
  ['8010', [['8011']]],
  ['8013', [[]]],
  ['8017', [['8019']]],
  ['8018', [['8019']]],
]);

const QUALIFIERS = new Set(['22', '10', '21', '235', '254', '7040', '8011', '8019']);

/** Short names older Digital Links use instead of AIs (deprecated, still accepted on input). */
const ALPHAS: ReadonlyMap<string, string> = new Map([
  ['cpid', '8010'],
  ['cpsn', '8011'],
  ['cpv', '22'],
  ['gcn', '255'],
  ['gdti', '253'],
  ['giai', '8004'],
  ['ginc', '401'],
  ['gln', '414'],
  ['glnx', '254'],
  ['gmn', '8013'],
  ['grai', '8003'],
  ['gsin', '402'],
  ['gsrn', '8018'],
  ['gsrnp', '8017'],
  ['gtin', '01'],
  ['itip', '8006'],
  ['lot', '10'],
  ['party', '417'],
  ['ser', '21'],
  ['srin', '8019'],
  ['sscc', '00'],
]);

export interface DigitalLink {
  /** Scheme, domain and any path before the primary key, as written (`https://example.com/dl`). */
  stem: string;
  primaryKey: Gs1Element;
  /** Key qualifiers in path order (CPV, lot, serial, GLN extension, ...). */
  qualifiers: Gs1Element[];
  /** Data attributes from the query string (`?17=251231`); non-AI parameters are left out. */
  attributes: Gs1Element[];
  /** Canonical form of key and qualifiers: `https://id.gs1.org/01/{gtin14}/21/{serial}`, no query. */
  canonical: string;
  scheme: Gs1Scheme;
  level: Gs1IdentifierLevel;
  /** True when AI (01) was a GTIN-8/12/13 in the link and was padded to 14 digits. */
  gtinPadded: boolean;
}

function invalid(uri: string, why: string, ai?: string, position?: number): Gs1ParseError {
  const where = position === undefined ? '' : ` (position ${position})`;
  return new Gs1ParseError(
    'GS1_INVALID_DIGITAL_LINK',
    `'${uri}' is not a valid GS1 Digital Link: ${why}${where}`,
    {
      ai,
      position,
    },
  );
}

const HTTPS_SCHEME = /^https:\/\//i;
const HTTP_SCHEME = /^http:\/\//i;
const HTTP_URI = /^https?:\/\//i;
const AI_DIGITS = /^\d{2,4}$/;

function resolveAi(segment: string): string | undefined {
  const first = segment.charCodeAt(0);
  if (first >= 48 && first <= 57) return aiDefinition(segment) ? segment : undefined;
  return ALPHAS.get(segment);
}

/** Appends key and qualifiers as canonical path segments. */
export function digitalLinkPath(elements: readonly Gs1Element[]): string {
  let path = '';
  for (const e of elements) path += `/${e.ai}/${encodeDigitalLinkValue(e.value)}`;
  return path;
}

/** Scheme and level a Digital Link's key and qualifiers denote. */
export function classifyDigitalLink(
  primary: Gs1Element,
  qualifiers: readonly Gs1Element[],
): { scheme: Gs1Scheme; level: Gs1IdentifierLevel } {
  const has = (ai: string) => qualifiers.some((q) => q.ai === ai);
  switch (primary.ai) {
    case '00':
      return { scheme: 'sscc', level: 'instance' };
    case '01':
      if (has('21')) return { scheme: 'sgtin', level: 'instance' };
      if (has('235')) return { scheme: 'upui', level: 'instance' };
      return has('10') ? { scheme: 'lgtin', level: 'class' } : { scheme: 'gtin', level: 'class' };
    case '8006':
      return { scheme: 'itip', level: has('21') ? 'instance' : 'class' };
    case '8003':
      return { scheme: 'grai', level: primary.value.length > 14 ? 'instance' : 'class' };
    case '253':
      return { scheme: 'gdti', level: primary.value.length > 13 ? 'instance' : 'class' };
    case '255':
      return { scheme: 'sgcn', level: primary.value.length > 13 ? 'instance' : 'class' };
    case '8010':
      return { scheme: 'cpi', level: has('8011') ? 'instance' : 'class' };
    case '401':
      return { scheme: 'ginc', level: 'instance' };
    case '402':
      return { scheme: 'gsin', level: 'instance' };
    case '414':
      return { scheme: 'sgln', level: 'instance' };
    case '417':
      return { scheme: 'pgln', level: 'instance' };
    case '8004':
      return { scheme: 'giai', level: 'instance' };
    case '8013':
      return { scheme: 'gmn', level: 'class' };
    case '8017':
      return { scheme: 'gsrnp', level: 'instance' };
    default:
      return { scheme: 'gsrn', level: 'instance' };
  }
}

export interface ParseDigitalLinkOptions {
  /** Anchors two-digit years of date attributes (default: now). */
  now?: Date;
}

/**
 * Parses a GS1 Digital Link URI on any domain, with any path before the primary key, AI numbers or the legacy
 * short names (`/gtin/`), percent-encoded values and a query of data attributes. Validates lengths, character sets,
 * check digits and dates and that the qualifiers belong to the key in the right order. A GTIN-8/12/13 in AI (01) is
 * padded to GTIN-14. Throws `Gs1ParseError` (`GS1_INVALID_DIGITAL_LINK`, or the code of the failing value check).
 */
export function parseDigitalLink(uri: string, options: ParseDigitalLinkOptions = {}): DigitalLink {
  const now = options.now ?? new Date();
  let schemeEnd: number;
  if (HTTPS_SCHEME.test(uri)) schemeEnd = 8;
  else if (HTTP_SCHEME.test(uri)) schemeEnd = 7;
  else throw invalid(uri, 'it must start with https:// or http://', undefined, 0);

  const hash = uri.indexOf('#', schemeEnd);
  const withoutFragment = hash < 0 ? uri : uri.slice(0, hash);
  const q = withoutFragment.indexOf('?', schemeEnd);
  const beforeQuery = q < 0 ? withoutFragment : withoutFragment.slice(0, q);
  const query = q < 0 ? '' : withoutFragment.slice(q + 1);
  const pathStart = beforeQuery.indexOf('/', schemeEnd);
  if (pathStart <= schemeEnd) throw invalid(uri, 'it has no domain name or no path', undefined, schemeEnd);
  for (let i = 0; i < beforeQuery.length; i++) {
    const c = beforeQuery.charCodeAt(i);
    if (c <= 0x20 || c >= 0x7f)
      throw invalid(uri, 'it contains a space or a non-ASCII character', undefined, i);
  }

  const segments = beforeQuery.slice(pathStart + 1).split('/');
  if (segments.length > 1 && segments[segments.length - 1] === '') segments.pop();
  // Walk AI/value pairs back from the end; the leftmost primary key of that run starts the GS1 part (anything
  // before it is the resolver's own path).
  let root = -1;
  for (let j = segments.length - 2; j >= 0; j -= 2) {
    const ai = resolveAi(segments[j]);
    if (ai === undefined || !(PRIMARY_KEYS.has(ai) || QUALIFIERS.has(ai))) break;
    if (PRIMARY_KEYS.has(ai)) root = j;
  }
  if (root < 0) {
    const last = resolveAi(segments[segments.length - 1] ?? '');
    if (last !== undefined && (PRIMARY_KEYS.has(last) || QUALIFIERS.has(last))) {
      throw invalid(uri, `AI (${last}) has no value`, last);
    }
    throw invalid(uri, 'no GS1 primary key (such as /01/ or /00/) in its path');
  }

  // Character offset of each segment, for positions in errors.
  const offsets: number[] = [];
  let offset = pathStart + 1;
  for (const s of segments) {
    offsets.push(offset);
    offset += s.length + 1;
  }

  const elements: Gs1Element[] = [];
  let gtinPadded = false;
  for (let j = root; j < segments.length; j += 2) {
    const ai = resolveAi(segments[j]) as string;
    const raw = segments[j + 1];
    const decoded = decodePercent(raw);
    if (raw === '' || decoded === undefined) {
      throw invalid(
        uri,
        `AI (${ai}) has ${raw === '' ? 'an empty value' : 'a bad percent-encoding'}`,
        ai,
        offsets[j + 1],
      );
    }
    let value = decoded;
    if (ai === '01' && (value.length === 8 || value.length === 12 || value.length === 13)) {
      value = value.padStart(14, '0');
      gtinPadded = true;
    }
    elements.push({ ai, value });
  }

  const primary = elements[0];
  const qualifiers = elements.slice(1);
  const alternatives = PRIMARY_KEYS.get(primary.ai) ?? [[]];
  const fits = alternatives.some((order) => {
    let k = 0;
    for (const qual of qualifiers) {
      while (k < order.length && order[k] !== qual.ai) k++;
      if (k === order.length) return false;
      k++;
    }
    return true;
  });
  if (!fits) {
    const allowed = alternatives.map((o) => (o.length ? o.join(', ') : 'none')).join(' or ');
    throw invalid(
      uri,
      `the qualifiers ${qualifiers.map((x) => `(${x.ai})`).join('')} do not fit key (${primary.ai}) (allowed, in order: ${allowed})`,
      primary.ai,
    );
  }

  for (let i = 0; i < elements.length; i++) checkElement(uri, elements[i], offsets[root + 2 * i + 1], now);

  const attributes: Gs1Element[] = [];
  if (query) {
    let at = q + 1;
    for (const pair of query.split('&')) {
      const eq = pair.indexOf('=');
      const name = eq < 0 ? pair : pair.slice(0, eq);
      if (AI_DIGITS.test(name) && aiDefinition(name)) {
        const value = decodePercent(pair.slice(eq + 1));
        if (eq < 0 || value === undefined || value === '') {
          throw invalid(uri, `attribute (${name}) has no value or a bad percent-encoding`, name, at);
        }
        const element = { ai: name, value };
        checkElement(uri, element, at + eq + 1, now);
        attributes.push(element);
      }
      at += pair.length + 1;
    }
  }

  const { scheme, level } = classifyDigitalLink(primary, qualifiers);
  return {
    stem: beforeQuery.slice(0, offsets[root] - 1),
    primaryKey: primary,
    qualifiers,
    attributes,
    canonical: CANONICAL_DIGITAL_LINK_BASE + digitalLinkPath(elements),
    scheme,
    level,
    gtinPadded,
  };
}

function checkElement(uri: string, element: Gs1Element, position: number, now: Date): void {
  const def = aiDefinition(element.ai);
  if (!def) throw invalid(uri, `AI (${element.ai}) is unknown`, element.ai, position);
  const problem = checkAiValue(def, element.value, now);
  if (problem) {
    throw new Gs1ParseError(
      problem.code,
      `AI (${element.ai}) ${aiLabel(def)} '${element.value}' in '${uri}': ${problem.detail} (position ${position + problem.offset})`,
      { ai: element.ai, position: position + problem.offset },
    );
  }
}

/** The canonical `https://id.gs1.org/...` form of a GS1 Digital Link (key and qualifiers; no query). */
export function canonicaliseDigitalLink(uri: string): string {
  return parseDigitalLink(uri).canonical;
}

export interface FormatDigitalLinkOptions {
  /** Scheme, domain and path before the key (default `https://id.gs1.org`). */
  base?: string;
}

/**
 * Builds a Digital Link from element strings data: the first DL primary key found becomes the path with its
 * qualifiers (in canonical order); every other AI becomes a query attribute, in the given order.
 */
export function formatDigitalLink(
  elements: readonly Gs1Element[],
  options: FormatDigitalLinkOptions = {},
): string {
  const primary = elements.find((e) => PRIMARY_KEYS.has(e.ai));
  if (!primary) {
    throw new Gs1ParseError(
      'GS1_UNSUPPORTED_SCHEME',
      'a Digital Link needs a primary key such as (01) or (00)',
    );
  }
  const order =
    (PRIMARY_KEYS.get(primary.ai) ?? [[]]).find((alt) =>
      elements.some((e) => e !== primary && alt.includes(e.ai)),
    ) ?? [];
  const path: Gs1Element[] = [primary];
  for (const ai of order) {
    const q = elements.find((e) => e.ai === ai);
    if (q) path.push(q);
  }
  const query = elements
    .filter((e) => !path.includes(e))
    .map((e) => `${e.ai}=${encodeDigitalLinkValue(e.value)}`)
    .join('&');
  return (options.base ?? CANONICAL_DIGITAL_LINK_BASE) + digitalLinkPath(path) + (query ? `?${query}` : '');
}

/** Cheap test, no validation: does the value look like an http(s) URI (and so maybe a Digital Link)? */
export function looksLikeHttpUri(value: string): boolean {
  return HTTP_URI.test(value);
}
