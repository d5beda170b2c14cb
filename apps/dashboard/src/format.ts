/** Display helpers: dates, ages, CBV vocabulary and numbers, written for people rather than machines. */

const dateTime = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: 'short',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  timeZoneName: 'short',
});
const shortDateTime = new Intl.DateTimeFormat(undefined, {
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});
const dateOnly = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: '2-digit' });
const timeOnly = new Intl.DateTimeFormat(undefined, {
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});
const number = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });
const integer = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
const significant = new Intl.NumberFormat(undefined, { maximumSignificantDigits: 4 });

function parse(iso: string | null | undefined): Date | null {
  if (!iso) return null;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? null : date;
}

export function formatDateTime(iso: string | null | undefined): string {
  const date = parse(iso);
  return date ? dateTime.format(date) : '—';
}

/** "Nov 20, 12:39 AM": for dense tables (the full time is in the title). */
export function formatShortDateTime(iso: string | null | undefined): string {
  const date = parse(iso);
  return date ? shortDateTime.format(date) : '—';
}

export function formatDate(iso: string | null | undefined): string {
  const date = parse(iso);
  return date ? dateOnly.format(date) : '—';
}

export function formatTime(iso: string | null | undefined): string {
  const date = parse(iso);
  return date ? timeOnly.format(date) : '—';
}

export function formatNumber(value: number | null | undefined): string {
  return value === null || value === undefined || Number.isNaN(value) ? '—' : number.format(value);
}

export function formatInteger(value: number | null | undefined): string {
  return value === null || value === undefined || Number.isNaN(value) ? '—' : integer.format(value);
}

/** "45 min", "5 h", "3 d 4 h". */
export function formatHours(hours: number): string {
  if (!Number.isFinite(hours) || hours < 0) return '—';
  if (hours < 1) return `${Math.max(0, Math.round(hours * 60))} min`;
  if (hours < 48) return `${Math.round(hours)} h`;
  const days = Math.floor(hours / 24);
  const rest = Math.round(hours - days * 24);
  return rest ? `${days} d ${rest} h` : `${days} d`;
}

export function ageHours(iso: string, now = Date.now()): number {
  const date = parse(iso);
  return date ? (now - date.getTime()) / 3_600_000 : Number.NaN;
}

export function formatAge(iso: string, now = Date.now()): string {
  const hours = ageHours(iso, now);
  if (Number.isNaN(hours)) return '—';
  if (hours < 1 / 60) return 'just now';
  return `${formatHours(hours)} ago`;
}

/** `urn:epcglobal:cbv:bizstep:shipping` / `https://ref.gs1.org/cbv/BizStep-shipping` / `shipping` → `shipping`. */
export function cbvTerm(value: string | null | undefined): string | null {
  if (!value) return null;
  const match = /(?:bizstep:|disp:|BizStep-|Disp-)([A-Za-z_]+)$/.exec(value);
  return match?.[1] ?? value;
}

/** `reappeared_after_dispense` → `Reappeared after dispense`. */
export function humanise(value: string | null | undefined): string {
  const term = cbvTerm(value);
  if (!term) return '—';
  const words = term.replace(/[_-]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function formatPercent(value: number): string {
  return `${Math.round(value * 100)} %`;
}

export function pluralise(count: number, one: string, many = `${one}s`): string {
  return `${formatInteger(count)} ${count === 1 ? one : many}`;
}

/** A model metric: counts whole, measures to four significant digits (an error of 0.000123 stays readable). */
export function formatMetric(value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  return Number.isInteger(value) ? integer.format(value) : significant.format(value);
}

/** "840 B", "12.4 KB", "3.1 MB". */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${integer.format(bytes)} B`;
  if (bytes < 1024 * 1024) return `${number.format(bytes / 1024)} KB`;
  return `${number.format(bytes / (1024 * 1024))} MB`;
}
