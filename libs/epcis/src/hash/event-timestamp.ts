/**
 * Timestamps in the pre-hash: UTC, millisecond precision, `Z` (CBV 2.0 §8.9.2 rules 8 and 9). A fourth decimal of
 * 5..9 rounds the milliseconds up; further decimals are ignored, as the rule says.
 */

const TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)?$/;

function daysInMonth(year: number, month: number): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month, 0);
  return d.getUTCDate();
}

function digit(text: string, i: number): number {
  const d = text.charCodeAt(i) - 48;
  return d >= 0 && d <= 9 ? d : -100_000;
}

function two(text: string, i: number): number {
  return digit(text, i) * 10 + digit(text, i + 1);
}

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * The usual EPCIS form, `YYYY-MM-DDThh:mm:ss[.f+](Z|±hh:mm)`, read without a regular expression (this runs for
 * every event). Undefined for anything else, which the general path handles.
 */
function fastPath(text: string): string | undefined {
  const n = text.length;
  if (
    n < 20 ||
    text[4] !== '-' ||
    text[7] !== '-' ||
    text[10] !== 'T' ||
    text[13] !== ':' ||
    text[16] !== ':'
  ) {
    return undefined;
  }
  const year = two(text, 0) * 100 + two(text, 2);
  const month = two(text, 5);
  const day = two(text, 8);
  const hour = two(text, 11);
  const minute = two(text, 14);
  const second = two(text, 17);
  if (year < 1000 || month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59)
    return undefined;
  const leap = month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (day > DAYS[month - 1] + (leap ? 1 : 0)) return undefined;
  let i = 19;
  let millis = 0;
  if (text[i] === '.') {
    let digits = 0;
    for (i++; i < n; i++) {
      const d = digit(text, i);
      if (d < 0) break;
      if (digits < 3) millis = millis * 10 + d;
      else if (digits === 3 && d >= 5) millis += 1;
      digits++;
    }
    if (digits === 0) return undefined;
    for (let k = digits; k < 3; k++) millis *= 10;
  }
  let offsetMinutes: number;
  if (i === n - 1 && (text[i] === 'Z' || text[i] === 'z')) offsetMinutes = 0;
  else if (i === n - 6 && (text[i] === '+' || text[i] === '-') && text[i + 3] === ':') {
    const oh = two(text, i + 1);
    const om = two(text, i + 4);
    if (oh < 0 || oh > 23 || om < 0 || om > 59) return undefined;
    offsetMinutes = (oh * 60 + om) * (text[i] === '-' ? -1 : 1);
  } else return undefined;
  const utc = Date.UTC(year, month - 1, day, hour, minute, second, millis) - offsetMinutes * 60_000;
  const out = new Date(utc);
  const y = out.getUTCFullYear();
  return y >= 1 && y <= 9999 ? out.toISOString() : undefined;
}

/**
 * `2019-10-21T14:58:56.5916+02:00` → `2019-10-21T12:58:56.592Z`. Local times without offset count as UTC (the
 * reference uses the machine's zone, which is UTC on servers). Text that is not an ISO 8601 date-time is returned
 * unchanged, as the reference does.
 */
export function normaliseTimestamp(text: string): string {
  const fast = fastPath(text);
  if (fast !== undefined) return fast;
  const m = TIMESTAMP.exec(text);
  if (!m) return text;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = m[4] === undefined ? 0 : Number(m[4]);
  const minute = m[5] === undefined ? 0 : Number(m[5]);
  const second = m[6] === undefined ? 0 : Number(m[6]);
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return text;
  if (hour > 23 || minute > 59 || second > 59) return text;
  let offsetMinutes = 0;
  if (m[9] !== undefined) {
    const oh = Number(m[10]);
    const om = m[11] === undefined ? 0 : Number(m[11]);
    if (oh > 23 || om > 59) return text;
    offsetMinutes = (oh * 60 + om) * (m[9] === '-' ? -1 : 1);
  }
  let millis = 0;
  const fraction = m[7];
  if (fraction !== undefined) {
    millis = Number((fraction + '00').slice(0, 3));
    if (fraction.length > 3 && fraction.charCodeAt(3) >= 53) millis += 1;
  }
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, minute, second, millis);
  const utc = d.getTime() - offsetMinutes * 60_000;
  const out = new Date(utc);
  const y = out.getUTCFullYear();
  if (y < 1 || y > 9999) return text;
  return out.toISOString();
}
