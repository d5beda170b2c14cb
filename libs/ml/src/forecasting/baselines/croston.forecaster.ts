/**
 * Intermittent-demand methods (Croston 1972; fpp3 "Forecasting count time series"; Syntetos & Boylan 2005; Teunter, Syntetos & Babai 2011):
 * - Croston: exponentially smooth the non-zero demand sizes (z) and the intervals between them (p);
 *   forecast z/p, updated only in periods with demand.
 * - SBA: Croston × (1 − α/2), correcting Croston's known positive bias.
 * - TSB: smooth the demand probability every period (so an item that stops selling decays to zero,
 *   which Croston never does) and the size when demand occurs; forecast p·z.
 * Smoothing constants are fitted on a grid by in-sample one-step MSE unless given. Intervals come from the
 * methods' own demand model: zero with probability 1 − P(demand), otherwise a size drawn from the
 * empirical non-zero sizes rescaled to the smoothed size.
 */
import { LocalForecaster, type LocalContext } from './local.forecaster';
import { buildForecast, quantileSorted, sortedCopy } from '../core/quantiles';
import type { SeriesForecast } from '../core/forecast.types';

const ALPHA_GRID = [0.05, 0.1, 0.15, 0.2, 0.3];
const BETA_GRID = [0.02, 0.05, 0.1, 0.2, 0.3];
/** Only the most recent sizes describe the current size distribution. */
const SIZE_HISTORY = 52;

export interface CrostonState {
  /** Smoothed non-zero demand size. */
  size: number;
  /** Smoothed inter-demand interval (periods). */
  interval: number;
  /** One-step in-sample forecasts z/p (NaN before the first demand). */
  fitted: number[];
}

/** Croston's recursions; undefined when the series has no demand at all. */
export function crostonFilter(values: readonly number[], alpha: number): CrostonState | undefined {
  let size = Number.NaN;
  let interval = Number.NaN;
  let last = -1;
  const fitted: number[] = [];
  for (let t = 0; t < values.length; t++) {
    fitted.push(last < 0 ? Number.NaN : size / interval);
    const y = values[t] as number;
    if (y <= 0) continue;
    if (last < 0) {
      // First demand initialises both states: its size, and the periods elapsed since the start (t + 1).
      size = y;
      interval = t + 1;
    } else {
      size += alpha * (y - size);
      interval += alpha * (t - last - interval);
    }
    last = t;
  }
  return last < 0 ? undefined : { size, interval, fitted };
}

export interface TsbState {
  probability: number;
  size: number;
  fitted: number[];
}

/** TSB recursions, initialised with the history's demand frequency and mean non-zero size. */
export function tsbFilter(values: readonly number[], alpha: number, beta: number): TsbState | undefined {
  const nonZero = values.filter((y) => y > 0);
  if (nonZero.length === 0) return undefined;
  let probability = nonZero.length / values.length;
  let size = nonZero.reduce((s, y) => s + y, 0) / nonZero.length;
  const fitted: number[] = [];
  for (const y of values) {
    fitted.push(probability * size);
    if (y > 0) {
      probability += beta * (1 - probability);
      size += alpha * (y - size);
    } else {
      probability += beta * (0 - probability);
    }
  }
  return { probability, size, fitted };
}

function mse(values: readonly number[], fitted: readonly number[]): number {
  let sum = 0;
  let count = 0;
  fitted.forEach((f, t) => {
    if (Number.isNaN(f)) return;
    const e = (values[t] as number) - f;
    sum += e * e;
    count++;
  });
  return count ? sum / count : Number.POSITIVE_INFINITY;
}

/** Quantiles of "0 with probability 1 − p, else a rescaled empirical size": the same for every horizon. */
function intermittentForecast(
  context: LocalContext,
  values: readonly number[],
  point: number,
  probability: number,
  meanSize: number,
): SeriesForecast {
  const sizes = values.filter((y) => y > 0).slice(-SIZE_HISTORY);
  const average = sizes.reduce((s, y) => s + y, 0) / (sizes.length || 1);
  const sorted = sortedCopy(sizes.map((y) => (average > 0 ? (y * meanSize) / average : y)));
  const p = Math.min(1, Math.max(0, probability));
  const quantile = (level: number) => {
    if (sorted.length === 0 || p === 0 || level <= 1 - p) return 0;
    return quantileSorted(sorted, (level - (1 - p)) / p);
  };
  return buildForecast(context.id, new Array<number>(context.horizon).fill(point), (level) =>
    quantile(level),
  );
}

const zeroForecast = (context: LocalContext) =>
  buildForecast(context.id, new Array<number>(context.horizon).fill(0), () => 0);

export interface CrostonOptions {
  /** Fixed smoothing constant; fitted on a grid by in-sample MSE when omitted. */
  alpha?: number;
}

function crostonFamily(
  values: readonly number[],
  context: LocalContext,
  options: CrostonOptions,
  sba: boolean,
): SeriesForecast {
  const alphas = options.alpha === undefined ? ALPHA_GRID : [options.alpha];
  let best: { alpha: number; state: CrostonState; error: number } | undefined;
  for (const alpha of alphas) {
    const state = crostonFilter(values, alpha);
    if (!state) return zeroForecast(context);
    const factor = sba ? 1 - alpha / 2 : 1;
    const error = mse(
      values,
      state.fitted.map((f) => f * factor),
    );
    if (!best || error < best.error) best = { alpha, state, error };
  }
  if (!best) return zeroForecast(context);
  const factor = sba ? 1 - best.alpha / 2 : 1;
  const { size, interval } = best.state;
  return intermittentForecast(context, values, (factor * size) / interval, 1 / interval, factor * size);
}

export function crostonForecast(
  values: readonly number[],
  context: LocalContext,
  options: CrostonOptions = {},
): SeriesForecast {
  return crostonFamily(values, context, options, false);
}

export function sbaForecast(
  values: readonly number[],
  context: LocalContext,
  options: CrostonOptions = {},
): SeriesForecast {
  return crostonFamily(values, context, options, true);
}

export interface TsbOptions {
  alpha?: number;
  beta?: number;
}

export function tsbForecast(
  values: readonly number[],
  context: LocalContext,
  options: TsbOptions = {},
): SeriesForecast {
  const alphas = options.alpha === undefined ? ALPHA_GRID : [options.alpha];
  const betas = options.beta === undefined ? BETA_GRID : [options.beta];
  let best: { state: TsbState; error: number } | undefined;
  for (const alpha of alphas) {
    for (const beta of betas) {
      const state = tsbFilter(values, alpha, beta);
      if (!state) return zeroForecast(context);
      const error = mse(values, state.fitted);
      if (!best || error < best.error) best = { state, error };
    }
  }
  if (!best) return zeroForecast(context);
  const { probability, size } = best.state;
  return intermittentForecast(context, values, probability * size, probability, size);
}

export class CrostonForecaster extends LocalForecaster {
  constructor(options: CrostonOptions = {}) {
    super('croston', (values, context) => crostonForecast(values, context, options));
  }
}

export class SbaForecaster extends LocalForecaster {
  constructor(options: CrostonOptions = {}) {
    super('sba', (values, context) => sbaForecast(values, context, options));
  }
}

export class TsbForecaster extends LocalForecaster {
  constructor(options: TsbOptions = {}) {
    super('tsb', (values, context) => tsbForecast(values, context, options));
  }
}
