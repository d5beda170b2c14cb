/**
 * GS1 character sets (GS1 General Specifications §7.11) and the two percent-encodings GS1 identifiers meet: the
 * EPC URN escaping of the EPC Tag Data Standard (§6.3) and URI percent-encoding in GS1 Digital Links. Lookup tables
 * instead of regular expressions: these run for every identifier on the ingest hot path.
 */

export type Gs1CharacterSet = 'N' | 'X' | 'Y' | 'Z';

const SET82 = '!"%&\'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz';
const SET39 = '#-/0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const SET64 = '-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz=';

function table(chars: string): Uint8Array {
  const t = new Uint8Array(128);
  for (let i = 0; i < chars.length; i++) t[chars.charCodeAt(i)] = 1;
  return t;
}

const IN_SET82 = table(SET82);
const IN_SET39 = table(SET39);
const IN_SET64 = table(SET64);
const IN_DIGITS = table('0123456789');

const TABLES: Record<Gs1CharacterSet, Uint8Array> = { N: IN_DIGITS, X: IN_SET82, Y: IN_SET39, Z: IN_SET64 };

export const CHARACTER_SET_NAMES: Record<Gs1CharacterSet, string> = {
  N: 'digits',
  X: 'GS1 character set 82',
  Y: 'GS1 character set 39',
  Z: 'GS1 character set 64',
};

/** Index of the first character of `value[start, end)` outside the set, or -1 when all belong to it. */
export function firstInvalidCharacter(
  value: string,
  set: Gs1CharacterSet,
  start = 0,
  end = value.length,
): number {
  const t = TABLES[set];
  for (let i = start; i < end; i++) {
    const c = value.charCodeAt(i);
    if (c >= 128 || t[c] === 0) return i;
  }
  return -1;
}

export function isInCharacterSet(value: string, set: Gs1CharacterSet): boolean {
  return firstInvalidCharacter(value, set) < 0;
}

export function isDigits(value: string, start = 0, end = value.length): boolean {
  if (end <= start) return false;
  for (let i = start; i < end; i++) {
    const c = value.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** `'\x1D'` shows as nothing in a message; name control characters instead. */
export function describeCharacter(ch: string): string {
  const c = ch.codePointAt(0) ?? 0;
  if (c === 0x1d) return 'GS (0x1D)';
  if (c < 0x20 || c === 0x7f) return `control character 0x${c.toString(16).toUpperCase().padStart(2, '0')}`;
  if (c === 0x20) return 'space';
  return `'${ch}'`;
}

const HEX = '0123456789ABCDEF';

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 70) return c - 55;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

function escape(c: number): string {
  return '%' + HEX[c >> 4] + HEX[c & 15];
}

/** URI unreserved characters (RFC 3986): the only ones a canonical GS1 Digital Link leaves unescaped. */
const URI_UNRESERVED = table('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~');

/** Percent-encodes a GS1 AI value for a Digital Link path or query (GS1 Digital Link URI Syntax §7.1). */
export function encodeDigitalLinkValue(value: string): string {
  let out: string | undefined;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 128 && URI_UNRESERVED[c] === 1) {
      if (out !== undefined) out += value[i];
    } else {
      // AI values are ASCII (set 82/39/64); encodeURIComponent covers the rest correctly as UTF-8.
      const escaped = c < 128 ? escape(c) : encodeURIComponent(value[i]);
      out = (out ?? value.slice(0, i)) + escaped;
    }
  }
  return out ?? value;
}

/**
 * Decodes `%HH` escapes. Returns undefined for a malformed escape or a decoded character outside ASCII printable
 * (GS1 AI values never carry them), so callers can report the value as invalid.
 */
export function decodePercent(value: string): string | undefined {
  if (value.indexOf('%') < 0) return value;
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c !== 37) {
      out += value[i];
      continue;
    }
    const hi = i + 2 < value.length ? hexValue(value.charCodeAt(i + 1)) : -1;
    const lo = hi >= 0 ? hexValue(value.charCodeAt(i + 2)) : -1;
    if (lo < 0) return undefined;
    const code = hi * 16 + lo;
    if (code < 0x20 || code >= 0x7f) return undefined;
    out += String.fromCharCode(code);
    i += 2;
  }
  return out;
}

/**
 * Characters of set 82 (and `#` of set 39) that an EPC URN must escape (EPC Tag Data Standard §6.3, Table 6-1):
 * everything else of set 82 appears literally.
 */
const URN_MUST_ESCAPE = table('"%&/<>?#');

/** EPC URN escaping of a decoded GS1 value (serial, lot, asset reference, ...). */
export function encodeUrnValue(value: string): string {
  let out: string | undefined;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 128 && URN_MUST_ESCAPE[c] === 1) {
      out = (out ?? value.slice(0, i)) + escape(c);
    } else if (out !== undefined) {
      out += value[i];
    }
  }
  return out ?? value;
}

/** Characters an EPC URN component may carry literally (set 82 minus the escaped ones; set 39 has no others). */
const URN_LITERAL = (() => {
  const t = table(SET82);
  for (const ch of '"%&/<>?') t[ch.charCodeAt(0)] = 0;
  return t;
})();

/**
 * Decodes an EPC URN component. Undefined when it holds a character a URN may not carry literally or a malformed
 * escape; the caller then checks the decoded value against the component's character set.
 */
export function decodeUrnValue(raw: string): string | undefined {
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c === 37) {
      if (i + 2 >= raw.length || hexValue(raw.charCodeAt(i + 1)) < 0 || hexValue(raw.charCodeAt(i + 2)) < 0) {
        return undefined;
      }
      i += 2;
    } else if (c >= 128 || URN_LITERAL[c] === 0) {
      return undefined;
    }
  }
  return decodePercent(raw);
}

/**
 * Decodes an EPC URN component and checks it against a character set in one pass (the common case, no escapes,
 * allocates nothing). Undefined when a character is not allowed literally, an escape is malformed, or a character
 * is outside the set.
 */
export function decodeUrnText(raw: string, set: Gs1CharacterSet): string | undefined {
  const t = TABLES[set];
  let escaped = false;
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c === 37) {
      escaped = true;
      break;
    }
    if (c >= 128 || URN_LITERAL[c] === 0 || t[c] === 0) return undefined;
  }
  if (!escaped) return raw;
  const decoded = decodeUrnValue(raw);
  return decoded === undefined || firstInvalidCharacter(decoded, set) >= 0 ? undefined : decoded;
}

/** Literal URN characters the CBV 2.0 event hash reference escapes when it turns a URN into a Digital Link. */
const EVENT_HASH_ESCAPED = table('!()*+,:');

/**
 * The Digital Link path value the CBV 2.0 Event Hash reference implementation derives from a raw EPC URN
 * component: the URN's own `%HH` escapes are kept as written and only `!()*+,:` are escaped. Canonical Digital
 * Links escape more (`'`, `;`, `=`), so this is only for reproducing event hashes.
 */
export function urnValueToEventHashPath(raw: string): string {
  let out: string | undefined;
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c < 128 && EVENT_HASH_ESCAPED[c] === 1) {
      out = (out ?? raw.slice(0, i)) + escape(c);
    } else if (out !== undefined) {
      out += raw[i];
    }
  }
  return out ?? raw;
}
