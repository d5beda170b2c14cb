import { decodeUrnText, encodeDigitalLinkValue, isDigits, urnValueToEventHashPath } from './character-set';
import type { Gs1CharacterSet } from './character-set';
import { withCheckDigit } from './check-digit';
import { CANONICAL_DIGITAL_LINK_BASE } from './digital-link';
import type { Gs1Element, Gs1IdentifierLevel, Gs1Scheme } from './gs1-element';
import { Gs1ParseError } from './gs1-parse-error';

/**
 * EPC URNs (GS1 EPC Tag Data Standard 2.x, §6 pure identities, §8 patterns, class URNs) to GS1 Digital Links.
 * This direction needs no outside knowledge: the company prefix is marked by the first dot.
 */

export type EpcUrnKind = 'id' | 'class' | 'idpat';

export interface EpcUrnIdentity {
  urn: string;
  kind: EpcUrnKind;
  /** EPC scheme (`sgtin`, `sscc`, ...); for GS1 schemes the scheme the Digital Link denotes (`gtin` for sgtin patterns). */
  scheme: string;
  level: Gs1IdentifierLevel;
  /** GS1 Company Prefix (digits), when the URN has one. */
  companyPrefix?: string;
  /** The GS1 key and its qualifiers, decoded (key first); absent when the URN has no single GS1 equivalent. */
  elements?: Gs1Element[];
  /** Canonical GS1 Digital Link, when there is one. */
  digitalLink?: string;
}

/** How the text parts of a URN (serials, lots, references) are escaped in the Digital Link built from it. */
export type UrnToDigitalLinkEscaping = 'canonical' | 'event-hash';

export interface EpcUrnToDigitalLinkOptions {
  /**
   * `canonical` (default): every character outside the URI unreserved set is percent-encoded, as the GS1 Digital
   * Link standard's canonical form wants. `event-hash`: what the CBV 2.0 Event Hash ID reference implementation
   * does, keeping the URN's `%HH` escapes verbatim and escaping only `!()*+,:`; use it only to compute event hashes.
   */
  escaping?: UrnToDigitalLinkEscaping;
}

/** A Digital Link path segment built from URN parts: digits (with check digits added) then decoded text. */
interface TextPart {
  decoded: string;
  raw: string;
}

interface Segment {
  ai: string;
  digits: string;
  text?: TextPart;
}

type Built = { segments: Segment[]; scheme: Gs1Scheme; level: Gs1IdentifierLevel } | string;

interface SchemeSpec {
  parts: number;
  build(p: string[]): Built;
}

const CP_PROBLEM = 'the GS1 Company Prefix must be 6 to 12 digits';

function companyPrefixOk(cp: string): boolean {
  return cp.length >= 6 && cp.length <= 12 && isDigits(cp);
}

/** Company prefix and reference digits that must make up `total` digits together. */
function digitsProblem(cp: string, ref: string, total: number, refName: string): string | undefined {
  if (!companyPrefixOk(cp)) return CP_PROBLEM;
  if (ref.length > 0 && !isDigits(ref)) return `the ${refName} must be digits`;
  if (cp.length + ref.length !== total) {
    return `the company prefix and ${refName} must have ${total} digits together (got ${cp.length + ref.length})`;
  }
  return undefined;
}

function text(raw: string, min: number, max: number, set: Gs1CharacterSet, name: string): TextPart | string {
  const decoded = decodeUrnText(raw, set);
  if (decoded === undefined) {
    return `the ${name} must be characters of GS1 set ${set === 'Y' ? '39' : '82'}, with "%&/<>?#" escaped as %HH`;
  }
  if (decoded.length < min || decoded.length > max) return `the ${name} must be ${min} to ${max} characters`;
  return { decoded, raw };
}

function gtin(cp: string, iir: string): string | undefined {
  if (digitsProblem(cp, iir, 13, 'indicator and item reference')) return undefined;
  return withCheckDigit(iir.slice(0, 1) + cp + iir.slice(1));
}

function gtinProblem(cp: string, iir: string): string {
  return digitsProblem(cp, iir, 13, 'indicator and item reference') ?? '';
}

const SPECS: Record<string, SchemeSpec> = {
  sgtin: {
    parts: 3,
    build: ([cp, iir, ser]) => {
      const g = gtin(cp, iir);
      if (g === undefined) return gtinProblem(cp, iir);
      const serial = text(ser, 1, 20, 'X', 'serial number');
      if (typeof serial === 'string') return serial;
      return {
        segments: [
          { ai: '01', digits: g },
          { ai: '21', digits: '', text: serial },
        ],
        scheme: 'sgtin',
        level: 'instance',
      };
    },
  },
  sscc: {
    parts: 2,
    build: ([cp, sr]) => {
      const problem = digitsProblem(cp, sr, 17, 'serial reference');
      if (problem) return problem;
      return {
        segments: [{ ai: '00', digits: withCheckDigit(sr.slice(0, 1) + cp + sr.slice(1)) }],
        scheme: 'sscc',
        level: 'instance',
      };
    },
  },
  sgln: {
    parts: 3,
    build: ([cp, lr, ext]) => {
      const problem = digitsProblem(cp, lr, 12, 'location reference');
      if (problem) return problem;
      const extension = text(ext, 1, 20, 'X', 'extension');
      if (typeof extension === 'string') return `${extension} (0 for none)`;
      const segments: Segment[] = [{ ai: '414', digits: withCheckDigit(cp + lr) }];
      // TDS: extension "0" means "no extension", i.e. the GLN itself.
      if (extension.decoded !== '0') segments.push({ ai: '254', digits: '', text: extension });
      return { segments, scheme: 'sgln', level: 'instance' };
    },
  },
  grai: {
    parts: 3,
    build: ([cp, at, ser]) => {
      const problem = digitsProblem(cp, at, 12, 'asset type');
      if (problem) return problem;
      const serial = text(ser, 1, 16, 'X', 'serial number');
      if (typeof serial === 'string') return serial;
      return {
        segments: [{ ai: '8003', digits: '0' + withCheckDigit(cp + at), text: serial }],
        scheme: 'grai',
        level: 'instance',
      };
    },
  },
  giai: {
    parts: 2,
    build: ([cp, iar]) => {
      if (!companyPrefixOk(cp)) return CP_PROBLEM;
      const ref = text(iar, 1, 30 - cp.length, 'X', 'asset reference');
      if (typeof ref === 'string') return `${ref} (30 with the company prefix)`;
      return { segments: [{ ai: '8004', digits: cp, text: ref }], scheme: 'giai', level: 'instance' };
    },
  },
  gsrn: {
    parts: 2,
    build: ([cp, sr]) => {
      const problem = digitsProblem(cp, sr, 17, 'service reference');
      if (problem) return problem;
      return {
        segments: [{ ai: '8018', digits: withCheckDigit(cp + sr) }],
        scheme: 'gsrn',
        level: 'instance',
      };
    },
  },
  gsrnp: {
    parts: 2,
    build: ([cp, sr]) => {
      const problem = digitsProblem(cp, sr, 17, 'service reference');
      if (problem) return problem;
      return {
        segments: [{ ai: '8017', digits: withCheckDigit(cp + sr) }],
        scheme: 'gsrnp',
        level: 'instance',
      };
    },
  },
  gdti: {
    parts: 3,
    build: ([cp, dt, ser]) => {
      const problem = digitsProblem(cp, dt, 12, 'document type');
      if (problem) return problem;
      // An empty serial is accepted (the document type alone), as the CBV event hash reference does.
      const serial: TextPart | string =
        ser === '' ? { decoded: '', raw: '' } : text(ser, 1, 17, 'X', 'serial number');
      if (typeof serial === 'string') return serial;
      return {
        segments: [{ ai: '253', digits: withCheckDigit(cp + dt), text: serial }],
        scheme: 'gdti',
        level: serial.decoded ? 'instance' : 'class',
      };
    },
  },
  cpi: {
    parts: 3,
    build: ([cp, ref, ser]) => {
      if (!companyPrefixOk(cp)) return CP_PROBLEM;
      const part = text(ref, 1, 30 - cp.length, 'Y', 'component/part reference');
      if (typeof part === 'string') return part;
      if (!isDigits(ser) || ser.length > 12) return 'the serial must be 1 to 12 digits';
      return {
        segments: [
          { ai: '8010', digits: cp, text: part },
          { ai: '8011', digits: ser },
        ],
        scheme: 'cpi',
        level: 'instance',
      };
    },
  },
  sgcn: {
    parts: 3,
    build: ([cp, cr, ser]) => {
      const problem = digitsProblem(cp, cr, 12, 'coupon reference');
      if (problem) return problem;
      if (!isDigits(ser) || ser.length > 12) return 'the serial must be 1 to 12 digits';
      return {
        segments: [{ ai: '255', digits: withCheckDigit(cp + cr) + ser }],
        scheme: 'sgcn',
        level: 'instance',
      };
    },
  },
  ginc: {
    parts: 2,
    build: ([cp, ref]) => {
      if (!companyPrefixOk(cp)) return CP_PROBLEM;
      const consignment = text(ref, 1, 30 - cp.length, 'X', 'consignment reference');
      if (typeof consignment === 'string') return `${consignment} (30 with the company prefix)`;
      return { segments: [{ ai: '401', digits: cp, text: consignment }], scheme: 'ginc', level: 'instance' };
    },
  },
  gsin: {
    parts: 2,
    build: ([cp, sr]) => {
      const problem = digitsProblem(cp, sr, 16, 'shipper reference');
      if (problem) return problem;
      return {
        segments: [{ ai: '402', digits: withCheckDigit(cp + sr) }],
        scheme: 'gsin',
        level: 'instance',
      };
    },
  },
  itip: {
    parts: 5,
    build: ([cp, iir, piece, total, ser]) => {
      const g = gtin(cp, iir);
      if (g === undefined) return gtinProblem(cp, iir);
      if (piece.length !== 2 || total.length !== 2 || !isDigits(piece + total)) {
        return 'piece and total must be 2 digits each';
      }
      const serial = text(ser, 1, 20, 'X', 'serial number');
      if (typeof serial === 'string') return serial;
      return {
        segments: [
          { ai: '8006', digits: g + piece + total },
          { ai: '21', digits: '', text: serial },
        ],
        scheme: 'itip',
        level: 'instance',
      };
    },
  },
  upui: {
    parts: 3,
    build: ([cp, iir, tpx]) => {
      const g = gtin(cp, iir);
      if (g === undefined) return gtinProblem(cp, iir);
      const extension = text(tpx, 1, 28, 'X', 'third-party controlled extension');
      if (typeof extension === 'string') return extension;
      return {
        segments: [
          { ai: '01', digits: g },
          { ai: '235', digits: '', text: extension },
        ],
        scheme: 'upui',
        level: 'instance',
      };
    },
  },
  pgln: {
    parts: 2,
    build: ([cp, pr]) => {
      const problem = digitsProblem(cp, pr, 12, 'party reference');
      if (problem) return problem;
      return {
        segments: [{ ai: '417', digits: withCheckDigit(cp + pr) }],
        scheme: 'pgln',
        level: 'instance',
      };
    },
  },
};

const LGTIN: SchemeSpec = {
  parts: 3,
  build: ([cp, iir, lot]) => {
    const g = gtin(cp, iir);
    if (g === undefined) return gtinProblem(cp, iir);
    const lotNumber = text(lot, 1, 20, 'X', 'lot number');
    if (typeof lotNumber === 'string') return lotNumber;
    return {
      segments: [
        { ai: '01', digits: g },
        { ai: '10', digits: '', text: lotNumber },
      ],
      scheme: 'lgtin',
      level: 'class',
    };
  },
};

/**
 * EPC patterns with a GS1 class equivalent: the serial (last part) is `*` and everything before it is given.
 * Other patterns (`CP.*.*`) are accepted as patterns without a Digital Link.
 */
const PATTERN_CLASSES: Record<string, (p: string[]) => Built> = {
  sgtin: ([cp, iir]) => {
    const g = gtin(cp, iir);
    return g === undefined
      ? gtinProblem(cp, iir)
      : { segments: [{ ai: '01', digits: g }], scheme: 'gtin', level: 'class' };
  },
  upui: ([cp, iir]) => {
    const g = gtin(cp, iir);
    return g === undefined
      ? gtinProblem(cp, iir)
      : { segments: [{ ai: '01', digits: g }], scheme: 'gtin', level: 'class' };
  },
  grai: ([cp, at]) =>
    digitsProblem(cp, at, 12, 'asset type') ?? {
      segments: [{ ai: '8003', digits: '0' + withCheckDigit(cp + at) }],
      scheme: 'grai',
      level: 'class',
    },
  gdti: ([cp, dt]) =>
    digitsProblem(cp, dt, 12, 'document type') ?? {
      segments: [{ ai: '253', digits: withCheckDigit(cp + dt) }],
      scheme: 'gdti',
      level: 'class',
    },
  sgcn: ([cp, cr]) =>
    digitsProblem(cp, cr, 12, 'coupon reference') ?? {
      segments: [{ ai: '255', digits: withCheckDigit(cp + cr) }],
      scheme: 'sgcn',
      level: 'class',
    },
  cpi: ([cp, ref]) => {
    if (!companyPrefixOk(cp)) return CP_PROBLEM;
    const part = text(ref, 1, 30 - cp.length, 'Y', 'component/part reference');
    if (typeof part === 'string') return part;
    return { segments: [{ ai: '8010', digits: cp, text: part }], scheme: 'cpi', level: 'class' };
  },
  itip: ([cp, iir, piece, total]) => {
    const g = gtin(cp, iir);
    if (g === undefined) return gtinProblem(cp, iir);
    if (piece.length !== 2 || total.length !== 2 || !isDigits(piece + total))
      return 'piece and total must be 2 digits each';
    return { segments: [{ ai: '8006', digits: g + piece + total }], scheme: 'itip', level: 'class' };
  },
};

/** EPC schemes outside the GS1 key system: accepted as identities, with no Digital Link. */
const OTHER_SCHEMES = new Set(['gid', 'usdod', 'adi', 'bic', 'imovn']);

/** Splits into `count` parts at the first `count - 1` dots: the last part (a serial) may itself hold dots. */
function split(body: string, count: number): string[] | undefined {
  const parts: string[] = [];
  let start = 0;
  for (let i = 1; i < count; i++) {
    const dot = body.indexOf('.', start);
    if (dot < 0) return undefined;
    parts.push(body.slice(start, dot));
    start = dot + 1;
  }
  parts.push(body.slice(start));
  return parts;
}

interface Analysed {
  identity: EpcUrnIdentity;
  segments?: Segment[];
}

type Analysis = Analysed | { error: string; code: 'GS1_INVALID_EPC_URN' };

const PREFIX = 'urn:epc:';

function failure(urn: string, why: string): Analysis {
  return { error: `'${urn}' is not a valid EPC URN: ${why}`, code: 'GS1_INVALID_EPC_URN' };
}

function analyse(urn: string): Analysis {
  if (!urn.startsWith(PREFIX)) return failure(urn, 'it must start with urn:epc:');
  const kindEnd = urn.indexOf(':', PREFIX.length);
  const schemeEnd = kindEnd < 0 ? -1 : urn.indexOf(':', kindEnd + 1);
  if (schemeEnd < 0) return failure(urn, 'expected urn:epc:id:<scheme>:<parts>');
  const kind = urn.slice(PREFIX.length, kindEnd);
  const scheme = urn.slice(kindEnd + 1, schemeEnd);
  const body = urn.slice(schemeEnd + 1);

  if (kind === 'id') {
    const spec = SPECS[scheme];
    if (!spec) {
      if (OTHER_SCHEMES.has(scheme) && body.length > 0) {
        return { identity: { urn, kind, scheme, level: 'instance' } };
      }
      return failure(urn, `unknown EPC scheme '${scheme}'`);
    }
    return fromSpec(urn, kind, spec, body);
  }
  if (kind === 'class') {
    if (scheme !== 'lgtin')
      return failure(urn, `unknown EPC class scheme '${scheme}' (only lgtin is defined)`);
    return fromSpec(urn, kind, LGTIN, body);
  }
  if (kind === 'idpat') {
    const spec = SPECS[scheme];
    if (!spec && !OTHER_SCHEMES.has(scheme)) return failure(urn, `unknown EPC pattern scheme '${scheme}'`);
    const parts = spec ? split(body, spec.parts) : [body];
    if (!parts || parts.some((p) => p === '')) {
      return failure(
        urn,
        `a ${scheme} pattern has ${spec?.parts ?? 1} dot-separated parts, each a value or *`,
      );
    }
    const classOf = PATTERN_CLASSES[scheme];
    const identity: EpcUrnIdentity = { urn, kind, scheme, level: 'class' };
    // Only "everything given but the serial" maps to a GS1 class; CP.*.* and *.*.* name no single key.
    const exact = parts.slice(0, -1);
    if (classOf && parts[parts.length - 1] === '*' && exact.every((p) => p !== '*')) {
      const built = classOf(exact);
      if (typeof built === 'string') return failure(urn, `${scheme} pattern: ${built}`);
      identity.scheme = built.scheme;
      identity.companyPrefix = exact[0];
      return { identity, segments: built.segments };
    }
    if (parts.some((p, i) => p !== '*' && parts.slice(0, i).includes('*'))) {
      return failure(urn, 'in a pattern, * may only be followed by *');
    }
    if (spec && parts[0] !== '*' && !companyPrefixOk(parts[0])) return failure(urn, CP_PROBLEM);
    return { identity };
  }
  return failure(urn, `unknown EPC URN kind '${kind}' (expected id, class or idpat)`);
}

function fromSpec(urn: string, kind: EpcUrnKind, spec: SchemeSpec, body: string): Analysis {
  const parts = split(body, spec.parts);
  if (!parts) return failure(urn, `expected ${spec.parts} dot-separated parts`);
  const built = spec.build(parts);
  if (typeof built === 'string') return failure(urn, built);
  return {
    identity: { urn, kind, scheme: built.scheme, level: built.level, companyPrefix: parts[0] },
    segments: built.segments,
  };
}

function elementsOf(segments: readonly Segment[]): Gs1Element[] {
  return segments.map((s) => ({ ai: s.ai, value: s.digits + (s.text?.decoded ?? '') }));
}

function pathOf(segments: readonly Segment[], escaping: UrnToDigitalLinkEscaping): string {
  let path = CANONICAL_DIGITAL_LINK_BASE;
  for (const s of segments) {
    const textPart =
      s.text === undefined
        ? ''
        : escaping === 'event-hash'
          ? urnValueToEventHashPath(s.text.raw)
          : s.text.decoded;
    path += `/${s.ai}/${escaping === 'event-hash' ? s.digits + textPart : encodeDigitalLinkValue(s.digits + textPart)}`;
  }
  return path;
}

/**
 * Parses an EPC URN: pure identity (`urn:epc:id:`), class (`urn:epc:class:lgtin:`) or pattern (`urn:epc:idpat:`).
 * Checks lengths, digits and character sets and computes the GS1 key with its check digit. Throws
 * `Gs1ParseError` (`GS1_INVALID_EPC_URN`).
 */
export function parseEpcUrn(urn: string): EpcUrnIdentity {
  const a = analyse(urn);
  if ('error' in a) throw new Gs1ParseError(a.code, a.error);
  if (a.segments) {
    a.identity.elements = elementsOf(a.segments);
    a.identity.digitalLink = pathOf(a.segments, 'canonical');
  }
  return a.identity;
}

/**
 * The GS1 Digital Link of an EPC URN (`urn:epc:id:sgtin:0614141.107346.2017` →
 * `https://id.gs1.org/01/00614141073467/21/2017`). Throws `Gs1ParseError`: `GS1_INVALID_EPC_URN` for a malformed
 * URN, `GS1_UNSUPPORTED_SCHEME` when the URN has no Digital Link (`gid`, patterns such as `CP.*.*`).
 */
export function epcUrnToDigitalLink(urn: string, options: EpcUrnToDigitalLinkOptions = {}): string {
  const a = analyse(urn);
  if ('error' in a) throw new Gs1ParseError(a.code, a.error);
  if (!a.segments) {
    throw new Gs1ParseError('GS1_UNSUPPORTED_SCHEME', `'${urn}' has no GS1 Digital Link equivalent`);
  }
  return pathOf(a.segments, options.escaping ?? 'canonical');
}

/** As `epcUrnToDigitalLink`, but undefined instead of an error: for hot paths where most values convert. */
export function tryEpcUrnToDigitalLink(
  urn: string,
  options: EpcUrnToDigitalLinkOptions = {},
): string | undefined {
  if (!urn.startsWith(PREFIX)) return undefined;
  const a = analyse(urn);
  if ('error' in a || !a.segments) return undefined;
  return pathOf(a.segments, options.escaping ?? 'canonical');
}

export function isEpcUrn(value: string): boolean {
  return value.startsWith(PREFIX);
}
