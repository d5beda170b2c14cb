/**
 * The CBV 2.0 Event Hash ID reference implementation is Python; where its output depends on Python's string and
 * number semantics (which whitespace `strip()` removes, how `str(float)` writes numbers, how strings sort), these
 * helpers reproduce them so hashes match byte for byte.
 */

/** Characters Python's `str.isspace()` accepts (and so `str.strip()` removes). */
function isPythonSpace(c: number): boolean {
  if (c <= 0x20) return c === 0x20 || (c >= 0x09 && c <= 0x0d) || (c >= 0x1c && c <= 0x1f);
  if (c < 0x85) return false;
  return (
    c === 0x85 ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000
  );
}

/** Python `str.strip()`. */
export function pyStrip(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && isPythonSpace(s.charCodeAt(start))) start++;
  while (end > start && isPythonSpace(s.charCodeAt(end - 1))) end--;
  return start === 0 && end === s.length ? s : s.slice(start, end);
}

/** Python `float()` syntax: digits may be grouped with single underscores. */
const PY_FLOAT = /^[+-]?(?:\d(?:_?\d)*(?:\.(?:\d(?:_?\d)*)?)?|\.\d(?:_?\d)*)(?:[eE][+-]?\d(?:_?\d)*)?$/;
const UNDERSCORES = /_/g;
const EXPONENT_SIGN = /^[+-]/;

/**
 * Python `repr(float)` of a finite double, or `str(int(x))` when the double is integral (the reference drops `.0`
 * that way, exactly, so 1e22 is written out in full). Shortest round-trip digits as in JavaScript; the format
 * differs only for magnitudes below 1e-4, which Python writes as `1.5e-05`.
 */
export function pythonNumberText(n: number): string {
  if (Number.isInteger(n)) return BigInt(n).toString();
  if (Math.abs(n) >= 1e-4) return String(n);
  const [mantissa, exponent] = n.toExponential().split('e');
  const sign = exponent[0] === '-' ? '-' : '+';
  const digits = exponent.replace(EXPONENT_SIGN, '');
  return `${mantissa}e${sign}${digits.length < 2 ? `0${digits}` : digits}`;
}

/**
 * The reference's numeric normalisation of a (stripped) value: a value Python's `float()` accepts becomes its
 * canonical number text (`1.0` → `1`, `+05` → `5`, `0.50` → `0.5`, `1e3` → `1000`); any other text is returned as
 * is. Infinity and NaN stay as written (the reference fails on the former).
 */
export function normaliseNumberText(text: string): string {
  const c = text.charCodeAt(0);
  // Fast exit: URIs and words start with a letter.
  if (!((c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46)) return text;
  if (!PY_FLOAT.test(text)) return text;
  const n = Number(text.includes('_') ? text.replace(UNDERSCORES, '') : text);
  return Number.isFinite(n) ? pythonNumberText(n) : text;
}

const SURROGATE = /[\uD800-\uDFFF]/;

/** True when the text has astral characters, the only case where code point and UTF-16 order can differ. */
export function hasSurrogates(text: string): boolean {
  return SURROGATE.test(text);
}

function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n;) {
    const x = a.codePointAt(i) as number;
    const y = b.codePointAt(i) as number;
    if (x !== y) return x - y;
    i += x > 0xffff ? 2 : 1;
  }
  return a.length - b.length;
}

/**
 * Sorts like Python's `list.sort()` on strings: by Unicode code point. JavaScript's default sort compares UTF-16
 * units, which differs only when astral characters meet U+E000..U+FFFF; `astral` (from `hasSurrogates` on the
 * input) selects the slower exact comparison.
 */
export function sortByCodePoint(values: string[], astral: boolean): string[] {
  const n = values.length;
  if (n < 2) return values;
  if (astral) return values.sort(compareCodePoints);
  if (n > 16) return values.sort();
  // Insertion sort: the lists here are short (a few EPCs, reports, fields) and `<` is UTF-16 order like sort().
  for (let i = 1; i < n; i++) {
    const v = values[i];
    let j = i - 1;
    while (j >= 0 && values[j] > v) {
      values[j + 1] = values[j];
      j--;
    }
    values[j + 1] = v;
  }
  return values;
}
