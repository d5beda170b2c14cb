/**
 * Date arithmetic for regular series, in UTC on ISO `YYYY-MM-DD` strings (no time zones: a demand period
 * is a calendar date, and the process time zone must not move it).
 */
import { ForecastInputError } from './forecast.errors';

export type Frequency = 'daily' | 'weekly' | 'monthly' | 'quarterly' | 'yearly';

export const FREQUENCIES: readonly Frequency[] = ['daily', 'weekly', 'monthly', 'quarterly', 'yearly'];

/** Seasonal period used by the seasonal baselines and the MASE scale (weekly data: 52, the usual rounding). */
export const SEASON_PERIOD: Readonly<Record<Frequency, number>> = {
  daily: 7,
  weekly: 52,
  monthly: 12,
  quarterly: 4,
  yearly: 1,
};

const DAY_MS = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Parses `YYYY-MM-DD` to a UTC day number (days since 1970-01-01), or undefined if not a real date. */
export function parseIsoDate(text: string): number | undefined {
  const match = ISO_DATE.exec(text);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const ms = Date.UTC(year, month - 1, day);
  const date = new Date(ms);
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    return undefined;
  }
  return Math.round(ms / DAY_MS);
}

export function formatIsoDate(dayNumber: number): string {
  return new Date(dayNumber * DAY_MS).toISOString().slice(0, 10);
}

/** Months since year 0 (for monthly/quarterly/yearly steps). */
function monthIndex(dayNumber: number): number {
  const date = new Date(dayNumber * DAY_MS);
  return date.getUTCFullYear() * 12 + date.getUTCMonth();
}

function dayOfMonth(dayNumber: number): number {
  return new Date(dayNumber * DAY_MS).getUTCDate();
}

function isMonthEnd(dayNumber: number): boolean {
  return dayOfMonth(dayNumber + 1) === 1;
}

const MONTHS_PER_STEP: Partial<Record<Frequency, number>> = { monthly: 1, quarterly: 3, yearly: 12 };

/** The date `steps` periods after `start` (months keep the day of month, clamped to the month's length). */
export function addPeriods(start: string, steps: number, frequency: Frequency): string {
  const day = parseIsoDate(start);
  if (day === undefined) throw new ForecastInputError('BAD_DATE', `Not an ISO date: ${start}`);
  switch (frequency) {
    case 'daily':
      return formatIsoDate(day + steps);
    case 'weekly':
      return formatIsoDate(day + 7 * steps);
    case 'monthly':
    case 'quarterly':
    case 'yearly': {
      const date = new Date(day * DAY_MS);
      const months = date.getUTCMonth() + steps * (MONTHS_PER_STEP[frequency] ?? 1);
      const target = new Date(Date.UTC(date.getUTCFullYear(), months, 1));
      const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
      // A month-end series stays on month ends (Jan 31 → Feb 29 → Mar 31).
      target.setUTCDate(isMonthEnd(day) ? lastDay : Math.min(date.getUTCDate(), lastDay));
      return target.toISOString().slice(0, 10);
    }
  }
}

/**
 * Number of periods from `a` to `b` when both lie on the same grid, else undefined (e.g. a weekly
 * series with a Tuesday among Mondays, or a monthly one mixing the 1st and the 15th).
 */
export function periodsBetween(a: number, b: number, frequency: Frequency): number | undefined {
  switch (frequency) {
    case 'daily':
      return b - a;
    case 'weekly':
      return (b - a) % 7 === 0 ? (b - a) / 7 : undefined;
    case 'monthly':
    case 'quarterly':
    case 'yearly': {
      // Same day of month, or both the last day of their month (month-end reporting).
      if (dayOfMonth(a) !== dayOfMonth(b) && !(isMonthEnd(a) && isMonthEnd(b))) return undefined;
      const months = monthIndex(b) - monthIndex(a);
      const per = MONTHS_PER_STEP[frequency] ?? 1;
      return months % per === 0 ? months / per : undefined;
    }
  }
}

/**
 * Position of a date within the yearly cycle in [0, 1) (and within the week for daily data), the
 * calendar input of the global model: it learns "flu season" once for all series instead of per series.
 */
export function yearPhase(date: string): number {
  const day = parseIsoDate(date);
  if (day === undefined) throw new ForecastInputError('BAD_DATE', `Not an ISO date: ${date}`);
  const d = new Date(day * DAY_MS);
  const startOfYear = Date.UTC(d.getUTCFullYear(), 0, 1) / DAY_MS;
  const daysInYear =
    d.getUTCFullYear() % 4 === 0 && (d.getUTCFullYear() % 100 !== 0 || d.getUTCFullYear() % 400 === 0)
      ? 366
      : 365;
  return (day - startOfYear) / daysInYear;
}

/** Day of week, Monday = 0 … Sunday = 6 (ISO order). */
export function isoWeekday(date: string): number {
  const day = parseIsoDate(date);
  if (day === undefined) throw new ForecastInputError('BAD_DATE', `Not an ISO date: ${date}`);
  // 1970-01-01 was a Thursday (ISO weekday index 3).
  return (((day + 3) % 7) + 7) % 7;
}

/** Monday of the ISO week holding an instant (UTC), as YYYY-MM-DD: where a weekly series' periods begin. */
export function isoWeekStart(instant: Date): string {
  const day = Math.floor(instant.getTime() / DAY_MS);
  return formatIsoDate(day - isoWeekday(formatIsoDate(day)));
}
