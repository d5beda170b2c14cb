/**
 * Long-format CSV input: a header with `series_id,date,value` (any order, extra columns ignored), one row
 * per series and period, ISO dates. An optional `group` column (e.g. the GTIN of GTIN × region series)
 * lets the global model read related series together. Comment lines start with `#`; two are directives:
 *   `# frequency: weekly`   (daily | weekly | monthly | quarterly | yearly; inferred from the dates if absent)
 *   `# count: true`         (or a comma-separated list of series ids): values are counts, so a missing
 *                           period means zero demand and is filled with 0. Otherwise a gap is an error,
 *                           because silently inventing zeros for, say, revenue would bias every forecast.
 * Every error carries the 1-based line number and/or the series id.
 */
import {
  FREQUENCIES,
  SEASON_PERIOD,
  addPeriods,
  formatIsoDate,
  parseIsoDate,
  periodsBetween,
  type Frequency,
} from '../core/calendar';
import { ForecastInputError } from '../core/forecast.errors';
import type { TimeSeries } from '../core/forecast.types';

export interface ParsedSeriesCsv {
  frequency: Frequency;
  /** How the frequency was established. */
  frequencySource: 'declared' | 'inferred';
  seasonPeriod: number;
  series: TimeSeries[];
  /** Periods filled with zero (count series only). */
  filledPeriods: number;
}

export interface ParseSeriesCsvOptions {
  /** Overrides the file's `# frequency:` directive. */
  frequency?: Frequency;
  /** Overrides the file's `# count:` directive (true = every series is a count). */
  count?: boolean;
}

interface Row {
  line: number;
  day: number;
  value: number;
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Splits one CSV line (RFC 4180 quoting: "a,b" and "" for a literal quote). */
function splitCsvLine(text: string, line: number): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  while (i < text.length) {
    const ch = text[i] as string;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
        continue;
      }
      if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field.trim() === '') {
      quoted = true;
      field = '';
    } else if (ch === ',') {
      fields.push(field.trim());
      field = '';
    } else {
      field += ch;
    }
    i++;
  }
  if (quoted) throw new ForecastInputError('BAD_ROW', `Line ${line}: unterminated quoted field`, { line });
  fields.push(field.trim());
  return fields;
}

export function parseSeriesCsv(text: string, options: ParseSeriesCsvOptions = {}): ParsedSeriesCsv {
  const lines = text.split(/\r?\n/);
  let declaredFrequency: { value: Frequency; line: number } | undefined;
  let countAll = false;
  const countIds = new Set<string>();
  let columns: { id: number; date: number; value: number; group: number; width: number } | undefined;
  const groups = new Map<string, { group: string; line: number }>();
  const rowsById = new Map<string, Row[]>();
  const seen = new Map<string, number>();

  for (let index = 0; index < lines.length; index++) {
    const raw = lines[index] as string;
    const line = index + 1;
    const trimmed = raw.trim();
    if (trimmed === '') continue;
    if (trimmed.startsWith('#')) {
      const directive = /^#\s*([a-z_-]+)\s*:\s*(.*)$/i.exec(trimmed);
      if (!directive) continue;
      const key = (directive[1] as string).toLowerCase();
      const value = (directive[2] as string).trim();
      if (key === 'frequency') {
        const frequency = value.toLowerCase() as Frequency;
        if (!FREQUENCIES.includes(frequency)) {
          throw new ForecastInputError(
            'BAD_FREQUENCY',
            `Line ${line}: unknown frequency "${value}" (expected one of ${FREQUENCIES.join(', ')})`,
            { line },
          );
        }
        declaredFrequency = { value: frequency, line };
      } else if (key === 'count') {
        if (/^(true|yes|all)$/i.test(value)) countAll = true;
        else if (!/^(false|no|none)$/i.test(value)) {
          value
            .split(',')
            .map((id) => id.trim())
            .filter(Boolean)
            .forEach((id) => countIds.add(id));
        }
      }
      continue;
    }
    if (!columns) {
      const header = splitCsvLine(trimmed, line).map((h) => h.toLowerCase());
      const id = header.indexOf('series_id');
      const date = header.indexOf('date');
      const value = header.indexOf('value');
      if (id < 0 || date < 0 || value < 0) {
        throw new ForecastInputError(
          'MISSING_HEADER',
          `Line ${line}: expected a header with series_id,date,value, got "${trimmed}"`,
          { line },
        );
      }
      columns = { id, date, value, group: header.indexOf('group'), width: Math.max(id, date, value) + 1 };
      continue;
    }
    const fields = splitCsvLine(raw, line);
    if (fields.length < columns.width) {
      throw new ForecastInputError(
        'BAD_ROW',
        `Line ${line}: expected at least ${columns.width} fields, got ${fields.length}`,
        { line },
      );
    }
    const seriesId = fields[columns.id] as string;
    const dateText = fields[columns.date] as string;
    const valueText = fields[columns.value] as string;
    if (seriesId === '') throw new ForecastInputError('BAD_ROW', `Line ${line}: empty series_id`, { line });
    const day = parseIsoDate(dateText);
    if (day === undefined) {
      throw new ForecastInputError('BAD_DATE', `Line ${line}: "${dateText}" is not a valid YYYY-MM-DD date`, {
        line,
        seriesId,
      });
    }
    const value = Number(valueText);
    if (!NUMBER.test(valueText) || !Number.isFinite(value)) {
      throw new ForecastInputError('BAD_VALUE', `Line ${line}: value "${valueText}" is not a number`, {
        line,
        seriesId,
      });
    }
    const group = columns.group >= 0 ? (fields[columns.group] ?? '') : '';
    if (group !== '') {
      const known = groups.get(seriesId);
      if (known && known.group !== group) {
        throw new ForecastInputError(
          'BAD_ROW',
          `Line ${line}: series "${seriesId}" has group "${group}" but line ${known.line} says "${known.group}"`,
          { line, seriesId },
        );
      }
      if (!known) groups.set(seriesId, { group, line });
    }
    const key = `${seriesId}\u0000${day}`;
    const first = seen.get(key);
    if (first !== undefined) {
      throw new ForecastInputError(
        'DUPLICATE_ROW',
        `Line ${line}: series "${seriesId}" already has a value for ${dateText} (line ${first})`,
        { line, seriesId },
      );
    }
    seen.set(key, line);
    let rows = rowsById.get(seriesId);
    if (!rows) rowsById.set(seriesId, (rows = []));
    rows.push({ line, day, value });
  }

  if (!columns) throw new ForecastInputError('EMPTY_INPUT', 'No header line (series_id,date,value) found');
  if (rowsById.size === 0)
    throw new ForecastInputError('EMPTY_INPUT', 'The file has a header but no data rows');

  for (const rows of rowsById.values()) rows.sort((a, b) => a.day - b.day);
  const isCount = (id: string) => options.count ?? (countAll || countIds.has(id));
  for (const [id, rows] of rowsById) {
    if (isCount(id)) {
      const negative = rows.find((r) => r.value < 0);
      if (negative) {
        throw new ForecastInputError(
          'BAD_VALUE',
          `Line ${negative.line}: series "${id}" is declared a count but has a negative value`,
          { line: negative.line, seriesId: id },
        );
      }
    }
  }

  const frequency = options.frequency ?? declaredFrequency?.value ?? inferFrequency(rowsById);
  const frequencySource = options.frequency !== undefined || declaredFrequency ? 'declared' : 'inferred';

  let filledPeriods = 0;
  const series: TimeSeries[] = [];
  for (const [id, rows] of rowsById) {
    const first = rows[0] as Row;
    const values: number[] = [first.value];
    for (let i = 1; i < rows.length; i++) {
      const previous = rows[i - 1] as Row;
      const row = rows[i] as Row;
      const steps = periodsBetween(previous.day, row.day, frequency);
      if (steps === undefined) {
        throw new ForecastInputError(
          'MISALIGNED_DATE',
          `Line ${row.line}: series "${id}" date ${formatIsoDate(row.day)} is not on the ${frequency} grid of ${formatIsoDate(previous.day)} (line ${previous.line})`,
          { line: row.line, seriesId: id },
        );
      }
      if (steps > 1) {
        if (!isCount(id)) {
          const missing = addPeriods(formatIsoDate(previous.day), 1, frequency);
          throw new ForecastInputError(
            'MISSING_PERIOD',
            `Series "${id}" has no value for ${missing} (between lines ${previous.line} and ${row.line}); ` +
              `add the row, or declare "# count: true" if missing periods mean zero demand`,
            { line: row.line, seriesId: id },
          );
        }
        for (let k = 1; k < steps; k++) values.push(0);
        filledPeriods += steps - 1;
      }
      values.push(row.value);
    }
    const group = groups.get(id)?.group;
    series.push({
      id,
      start: formatIsoDate(first.day),
      frequency,
      values,
      ...(group === undefined ? {} : { group }),
    });
  }
  return { frequency, frequencySource, seasonPeriod: SEASON_PERIOD[frequency], series, filledPeriods };
}

/**
 * The finest frequency on whose grid every series lies and whose one-period step actually occurs (so a
 * weekly file with a few gaps is still weekly, not fortnightly).
 */
function inferFrequency(rowsById: ReadonlyMap<string, Row[]>): Frequency {
  let anyPair = false;
  for (const frequency of FREQUENCIES) {
    let aligned = true;
    let unitStep = false;
    for (const rows of rowsById.values()) {
      for (let i = 1; i < rows.length && aligned; i++) {
        anyPair = true;
        const steps = periodsBetween((rows[i - 1] as Row).day, (rows[i] as Row).day, frequency);
        if (steps === undefined) aligned = false;
        else if (steps === 1) unitStep = true;
      }
      if (!aligned) break;
    }
    if (aligned && unitStep) return frequency;
  }
  throw new ForecastInputError(
    'BAD_FREQUENCY',
    anyPair
      ? 'Cannot infer the frequency: the dates do not lie on a daily, weekly, monthly, quarterly or yearly grid; declare it with "# frequency: weekly"'
      : 'Cannot infer the frequency from single-row series; declare it with "# frequency: weekly"',
  );
}

/** Renders series back to the long CSV format (used by the eval script and tests). */
export function formatSeriesCsv(series: readonly TimeSeries[], options: { count?: boolean } = {}): string {
  const frequency = series[0]?.frequency ?? 'weekly';
  const out = [`# frequency: ${frequency}`];
  if (options.count) out.push('# count: true');
  const withGroups = series.some((s) => s.group !== undefined);
  out.push(withGroups ? 'series_id,date,value,group' : 'series_id,date,value');
  const quote = (text: string) => (/[",]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);
  for (const s of series) {
    const id = quote(s.id);
    const group = withGroups ? `,${quote(s.group ?? '')}` : '';
    s.values.forEach((value, i) => out.push(`${id},${addPeriods(s.start, i, s.frequency)},${value}${group}`));
  }
  return `${out.join('\n')}\n`;
}
