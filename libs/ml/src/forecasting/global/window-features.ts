/**
 * Turns (series, forecast origin) pairs into fixed-size feature vectors for the global model.
 *
 * Everything is relative to a per-window scale (the mean of the last year before the origin), so one
 * network serves a pharmacy selling 0.3 units a week and a region selling 3 000; the scale itself enters
 * as log1p, because the noise shape of counts depends on their size. Series that share a `group` (e.g.
 * the GTIN across regions and pharmacies) also see the group's aggregate: its seasonal state and recent
 * dynamics are the same signal as the series' own, with a fraction of the noise.
 */
import { addPeriods, parseIsoDate, periodsBetween, yearPhase, type Frequency } from '../core/calendar';
import type { TimeSeries } from '../core/forecast.types';

export interface FeatureConfig {
  horizon: number;
  seasonPeriod: number;
  /** Number of most recent values fed directly. */
  lags: number;
  /** Window (periods) of the scale and the long rolling statistics. */
  longWindow: number;
  /** Harmonics of the yearly phase (sin/cos pairs). */
  harmonics: number;
  /** Recent values of the group aggregate fed directly. */
  groupLags: number;
}

export function defaultFeatureConfig(horizon: number, seasonPeriod: number): FeatureConfig {
  return {
    horizon,
    seasonPeriod,
    lags: Math.max(2 * horizon, Math.min(26, seasonPeriod > 1 ? seasonPeriod : 26)),
    longWindow: Math.max(seasonPeriod, 2 * horizon),
    harmonics: 3,
    groupLags: horizon,
  };
}

/**
 * Values enter (and targets leave) the network as log(y / scale + offset): multiplicative effects such as
 * "20% above last year in flu season" become sums, which a ReLU network represents with a linear layer
 * instead of having to approximate ratios. Quantiles survive the monotone transform, so the pinball loss
 * in this space still yields quantiles of the demand itself.
 */
export const LOG_OFFSET = 0.1;

export function toModelSpace(value: number, scale: number): number {
  return Math.log(Math.max(0, value) / scale + LOG_OFFSET);
}

export function fromModelSpace(z: number, scale: number): number {
  return Math.max(0, (Math.exp(z) - LOG_OFFSET) * scale);
}

/** Extra periods on each side of the year-ago window, so a season that shifts by a week is still seen. */
const SEASONAL_MARGIN = 2;
/** Windows of the running medians: robust levels that promotions (spikes) and shortages (dips) barely move. */
const ROBUST_WINDOWS = [5, 9, 13, 27];
/** Mean windows (the last one is replaced by `longWindow`). */
const MEAN_WINDOWS = [4, 13];

function seasonalBlockSize(config: FeatureConfig): number {
  // Per year (1 and 2 back): the target weeks ± margin, availability, the level before; then the
  // robust seasonal ratios per horizon and the share of years available.
  return config.seasonPeriod > 1 ? 2 * (config.horizon + 2 * SEASONAL_MARGIN + 2) + config.horizon + 1 : 0;
}

function groupBlockSize(config: FeatureConfig): number {
  const ratios = config.seasonPeriod > 1 ? config.horizon + 1 : 0;
  return 2 + config.groupLags + ratios + ROBUST_WINDOWS.length + MEAN_WINDOWS.length + 1;
}

export function featureCount(config: FeatureConfig): number {
  const own =
    config.lags + 1 + seasonalBlockSize(config) + ROBUST_WINDOWS.length + MEAN_WINDOWS.length + 1 + 6;
  return own + groupBlockSize(config) + 2 * config.harmonics;
}

/** Precomputed per-series arrays so building thousands of windows stays linear. */
export interface PreparedSeries {
  values: Float64Array;
  prefix: Float64Array;
  prefixSq: Float64Array;
  prefixZero: Float64Array;
  /** Index of the last non-zero value at or before i (−1 if none). */
  lastNonZero: Int32Array;
  /** Yearly phase of each period, extended `horizon` periods past the end. */
  phase: Float64Array;
  /** The group aggregate and this series' index offset into it (group index = own index + offset). */
  group?: { series: PreparedSeries; offset: number };
}

function prepareValues(values: readonly number[] | Float64Array, phase: Float64Array): PreparedSeries {
  const n = values.length;
  const copy = Float64Array.from(values);
  const prefix = new Float64Array(n + 1);
  const prefixSq = new Float64Array(n + 1);
  const prefixZero = new Float64Array(n + 1);
  const lastNonZero = new Int32Array(n);
  let last = -1;
  for (let i = 0; i < n; i++) {
    const v = copy[i] as number;
    prefix[i + 1] = (prefix[i] as number) + v;
    prefixSq[i + 1] = (prefixSq[i] as number) + v * v;
    prefixZero[i + 1] = (prefixZero[i] as number) + (v === 0 ? 1 : 0);
    if (v !== 0) last = i;
    lastNonZero[i] = last;
  }
  return { values: copy, prefix, prefixSq, prefixZero, lastNonZero, phase };
}

function phases(start: string, length: number, frequency: Frequency): Float64Array {
  const phase = new Float64Array(length);
  for (let i = 0; i < length; i++) phase[i] = yearPhase(addPeriods(start, i, frequency));
  return phase;
}

/**
 * Prepares every series and, for series sharing a `group` with at least one other series on the same
 * date grid, the group aggregate (sum over members per period).
 */
export function prepareAll(histories: readonly TimeSeries[], horizon: number): PreparedSeries[] {
  const prepared = histories.map((s) =>
    prepareValues(s.values, phases(s.start, s.values.length + horizon + 1, s.frequency)),
  );
  const groups = new Map<string, number[]>();
  histories.forEach((s, i) => {
    if (s.group === undefined) return;
    const members = groups.get(s.group);
    if (members) members.push(i);
    else groups.set(s.group, [i]);
  });
  for (const members of groups.values()) {
    if (members.length < 2) continue;
    const first = members.reduce((a, b) =>
      (histories[a] as TimeSeries).start <= (histories[b] as TimeSeries).start ? a : b,
    );
    const reference = histories[first] as TimeSeries;
    const startDay = parseIsoDate(reference.start) as number;
    const offsets = new Map<number, number>();
    let length = 0;
    for (const i of members) {
      const s = histories[i] as TimeSeries;
      const day = parseIsoDate(s.start);
      const offset =
        day === undefined || s.frequency !== reference.frequency
          ? undefined
          : periodsBetween(startDay, day, reference.frequency);
      if (offset === undefined) continue;
      offsets.set(i, offset);
      length = Math.max(length, offset + s.values.length);
    }
    if (offsets.size < 2) continue;
    const sum = new Float64Array(length);
    for (const [i, offset] of offsets) {
      (histories[i] as TimeSeries).values.forEach(
        (v, t) => (sum[offset + t] = (sum[offset + t] as number) + v),
      );
    }
    const aggregate = prepareValues(sum, phases(reference.start, length + horizon + 1, reference.frequency));
    for (const [i, offset] of offsets) (prepared[i] as PreparedSeries).group = { series: aggregate, offset };
  }
  return prepared;
}

/** Mean over [from, to) clipped to [0, limit); undefined when empty. */
function windowMean(
  p: PreparedSeries,
  from: number,
  to: number,
  limit: number,
  sums = p.prefix,
): number | undefined {
  const a = Math.max(0, from);
  const b = Math.min(limit, to);
  return b > a ? ((sums[b] as number) - (sums[a] as number)) / (b - a) : undefined;
}

/** Median of values[from..to) clipped to [0, limit); undefined when empty. */
function medianOf(values: Float64Array, from: number, to: number, limit: number): number | undefined {
  const a = Math.max(0, from);
  const b = Math.min(limit, to);
  if (b <= a) return undefined;
  const window = Array.from(values.subarray(a, b)).sort((x, y) => x - y);
  const mid = window.length >> 1;
  return window.length % 2
    ? (window[mid] as number)
    : ((window[mid - 1] as number) + (window[mid] as number)) / 2;
}

/** The per-window scale: mean of the last `longWindow` values before the origin (1 for all-zero history). */
export function windowScale(p: PreparedSeries, origin: number, config: FeatureConfig): number {
  const recent = windowMean(p, origin - config.longWindow, origin, origin);
  if (recent !== undefined && recent > 0) return recent;
  const all = windowMean(p, 0, origin, origin);
  return all !== undefined && all > 0 ? all : 1;
}

/** Appends values to a feature row. */
class Row {
  constructor(
    private readonly out: Float32Array,
    public k: number,
  ) {}
  push(value: number): void {
    this.out[this.k++] = value;
  }
}

/**
 * Last years' seasonal change from "now" to each target period, in log space and robust to single
 * spikes: median of the three periods around the target a year (two years) ago minus the median of the
 * eight periods before the origin then; averaged over the years available, plus the share available.
 */
function writeSeasonalRatios(
  p: PreparedSeries,
  origin: number,
  config: FeatureConfig,
  scale: number,
  row: Row,
  shift: number,
): void {
  const m = config.seasonPeriod;
  const anchor = origin + shift;
  let years = 0;
  const ratios = new Array<number>(config.horizon).fill(0);
  for (const back of [m, 2 * m]) {
    const base = medianOf(p.values, anchor - back - 8, anchor - back, origin);
    if (anchor - back - 8 < 0 || base === undefined) continue;
    years++;
    for (let h = 0; h < config.horizon; h++) {
      const target = medianOf(p.values, anchor - back + h - 1, anchor - back + h + 2, origin) ?? base;
      ratios[h] = (ratios[h] as number) + toModelSpace(target, scale) - toModelSpace(base, scale);
    }
  }
  for (let h = 0; h < config.horizon; h++) row.push(years ? (ratios[h] as number) / years : 0);
  row.push(years / 2);
}

function writeLevels(
  p: PreparedSeries,
  origin: number,
  config: FeatureConfig,
  scale: number,
  row: Row,
): void {
  for (const w of ROBUST_WINDOWS)
    row.push(toModelSpace(medianOf(p.values, origin - w, origin, origin) ?? scale, scale));
  for (const w of MEAN_WINDOWS)
    row.push(toModelSpace(windowMean(p, origin - w, origin, origin) ?? scale, scale));
  row.push(toModelSpace(windowMean(p, origin - config.longWindow, origin, origin) ?? scale, scale));
}

/**
 * Writes the features of the window ending just before `origin` into `out` at `offset`: the series' own
 * block (lags, year-ago windows, seasonal ratios, robust levels, volatility and intermittency), the group
 * block (or a copy of the own block's summary when the series has no group), and calendar harmonics.
 *
 * `seasonalShift` (training only) reads the calendar and last years' windows as if the origin were that
 * many periods later: seasons do not arrive on the same week every year, and with two or three years of
 * history a network would otherwise learn last year's timing as a law (a late flu season then looks like
 * an early decline). Nothing after the origin is ever read.
 */
export function writeFeatures(
  p: PreparedSeries,
  origin: number,
  config: FeatureConfig,
  scale: number,
  out: Float32Array,
  offset: number,
  seasonalShift = 0,
): void {
  const row = new Row(out, offset);
  // Periods before the series starts read as the scale itself (neutral), flagged by the availability inputs.
  const at = (i: number) => toModelSpace(i >= 0 && i < origin ? (p.values[i] as number) : scale, scale);
  for (let lag = 1; lag <= config.lags; lag++) row.push(at(origin - lag));
  row.push(Math.min(origin, config.lags) / config.lags);

  const m = config.seasonPeriod;
  if (m > 1) {
    // One and two years back: the same periods (± a margin) and the level just before them.
    const anchor = origin + seasonalShift;
    for (const years of [1, 2]) {
      const back = years * m;
      const from = anchor - back - SEASONAL_MARGIN;
      for (let i = from; i < anchor - back + config.horizon + SEASONAL_MARGIN; i++) row.push(at(i));
      row.push(from >= 0 ? 1 : 0);
      const level = windowMean(p, anchor - back - 4, anchor - back, origin);
      row.push(toModelSpace(level === undefined || anchor - back - 4 < 0 ? scale : level, scale));
    }
    writeSeasonalRatios(p, origin, config, scale, row, seasonalShift);
  }
  writeLevels(p, origin, config, scale, row);

  const m13 = windowMean(p, origin - 13, origin, origin);
  const sq13 = windowMean(p, origin - 13, origin, origin, p.prefixSq);
  row.push(m13 === undefined || sq13 === undefined ? 0 : Math.sqrt(Math.max(0, sq13 - m13 * m13)) / scale);
  row.push(windowMean(p, origin - 13, origin, origin, p.prefixZero) ?? 0);
  row.push(windowMean(p, origin - config.longWindow, origin, origin, p.prefixZero) ?? 0);
  const last = origin > 0 ? (p.lastNonZero[origin - 1] as number) : -1;
  row.push(Math.min(origin - last, config.longWindow) / config.longWindow);
  row.push(Math.log1p(scale) / 10);
  row.push(Math.min(origin, config.longWindow) / config.longWindow);

  // Group block: the aggregate's own scale, its recent values, seasonal ratios and levels, and this
  // series' share of it. Without a group the series stands in for its own group (flag = 0).
  const group = p.group;
  const g = group ? group.series : p;
  const gOrigin = group ? origin + group.offset : origin;
  const gScale = group ? windowScale(g, gOrigin, config) : scale;
  row.push(group ? 1 : 0);
  row.push(Math.log(scale / gScale));
  for (let lag = 1; lag <= config.groupLags; lag++) {
    const i = gOrigin - lag;
    row.push(toModelSpace(i >= 0 ? (g.values[i] as number) : gScale, gScale));
  }
  if (m > 1) writeSeasonalRatios(g, gOrigin, config, gScale, row, seasonalShift);
  writeLevels(g, gOrigin, config, gScale, row);

  const phase = p.phase[Math.min(p.phase.length - 1, Math.max(0, origin + seasonalShift))] as number;
  for (let h = 1; h <= config.harmonics; h++) {
    row.push(Math.sin(2 * Math.PI * h * phase));
    row.push(Math.cos(2 * Math.PI * h * phase));
  }
  if (row.k - offset !== featureCount(config)) {
    throw new Error(`Feature layout mismatch: wrote ${row.k - offset}, expected ${featureCount(config)}`);
  }
}
