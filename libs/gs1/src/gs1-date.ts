/**
 * GS1 dates: YYMMDD with the GS1 century rule (General Specifications §7.12) and day `00`, which AIs (11)-(17)
 * allow to mean "the month as a whole": a pack marked expiry `2512 00` expires at the end of December 2025.
 */

export interface Gs1Date {
  year: number;
  month: number;
  /** The day as encoded; null when the data said `00` (end of month). */
  day: number | null;
  /** Calendar date, `YYYY-MM-DD`; a day `00` is resolved to the month's last day. */
  iso: string;
  /** True when the data carried day `00` and `iso` is the month's last day. */
  endOfMonth: boolean;
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * Full year for a two-digit GS1 year relative to `now`: a year more than 50 years ahead belongs to the previous
 * century and one more than 49 years behind to the next (GS1 General Specifications §7.12).
 */
export function gs1CenturyYear(yy: number, now: Date): number {
  const current = now.getUTCFullYear();
  const currentYy = current % 100;
  const century = current - currentYy;
  const diff = yy - currentYy;
  if (diff >= 51) return century - 100 + yy;
  if (diff <= -50) return century + 100 + yy;
  return century + yy;
}

function two(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** Why a YYMMDD value is not a date (`offset`: where in the value), or undefined when it is one. */
export function yymmddProblem(
  value: string,
  allowDayZero: boolean,
  now: Date,
): { detail: string; offset: number } | undefined {
  const month = Number(value.slice(2, 4));
  const day = Number(value.slice(4, 6));
  if (month < 1 || month > 12) return { detail: `month ${value.slice(2, 4)} is not a month`, offset: 2 };
  if (day === 0) return allowDayZero ? undefined : { detail: 'day 00 is not allowed for this AI', offset: 4 };
  const year = gs1CenturyYear(Number(value.slice(0, 2)), now);
  const last = daysInMonth(year, month);
  if (day > last)
    return { detail: `day ${value.slice(4, 6)} does not exist in ${year}-${two(month)}`, offset: 4 };
  return undefined;
}

/** Reads a checked YYMMDD value (see `yymmddProblem`). */
export function readGs1Date(value: string, now: Date): Gs1Date {
  const year = gs1CenturyYear(Number(value.slice(0, 2)), now);
  const month = Number(value.slice(2, 4));
  const encodedDay = Number(value.slice(4, 6));
  const endOfMonth = encodedDay === 0;
  const day = endOfMonth ? daysInMonth(year, month) : encodedDay;
  return {
    year,
    month,
    day: endOfMonth ? null : encodedDay,
    iso: `${String(year).padStart(4, '0')}-${two(month)}-${two(day)}`,
    endOfMonth,
  };
}

/** YYMMDD of a calendar date; `endOfMonth` writes day `00`. */
export function formatGs1Date(year: number, month: number, day: number | null): string {
  return two(year % 100) + two(month) + (day === null ? '00' : two(day));
}
