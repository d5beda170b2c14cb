/**
 * Split-conformal recalibration of prediction intervals (conformalised quantile regression, Romano et
 * al. 2019): on a validation window, score how far each actual falls outside its interval, normalised by
 * the interval's width (plus a tenth of the series' level, so zero-width intervals of intermittent series
 * can still widen); the (1 − α) quantile of the scores is the amount by which every future interval is
 * widened (or, when negative, narrowed).
 */
import { QUANTILE_LEVELS, type QuantileLevel, type SeriesForecast } from './forecast.types';

export interface IntervalAdjustment {
  /** Per-horizon adjustment of the 80% and 95% bounds, in units of the normaliser. */
  delta80: number[];
  delta95: number[];
  samples: number;
}

export interface CalibrationItem {
  forecast: SeriesForecast;
  actual: readonly number[];
  /** The series' level before the validation window (e.g. the mean of its last year). */
  level: number;
}

/** Conformal quantile with the finite-sample correction ⌈(n+1)(1−α)⌉/n. */
export function conformalQuantile(scores: readonly number[], coverage: number): number {
  if (scores.length === 0) return 0;
  const sorted = [...scores].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.ceil((sorted.length + 1) * coverage));
  return sorted[rank - 1] as number;
}

function normaliser(lower: number, upper: number, level: number): number {
  return Math.max(0, upper - lower) + 0.1 * Math.max(level, 1e-9);
}

/** Fits per-horizon adjustments (pooled over horizons when there are fewer than 100 scores per horizon). */
export function fitIntervalAdjustment(
  items: readonly CalibrationItem[],
  horizon: number,
): IntervalAdjustment {
  const scores80: number[][] = Array.from({ length: horizon }, () => []);
  const scores95: number[][] = Array.from({ length: horizon }, () => []);
  let samples = 0;
  for (const { forecast, actual, level } of items) {
    for (let h = 0; h < Math.min(horizon, actual.length, forecast.point.length); h++) {
      const y = actual[h] as number;
      const q = forecast.quantiles;
      const [lo80, hi80, lo95, hi95] = [q[0.1][h], q[0.9][h], q[0.025][h], q[0.975][h]] as number[];
      scores80[h]?.push(Math.max(lo80! - y, y - hi80!) / normaliser(lo80!, hi80!, level));
      scores95[h]?.push(Math.max(lo95! - y, y - hi95!) / normaliser(lo95!, hi95!, level));
      samples++;
    }
  }
  const perHorizon = samples / Math.max(1, horizon) >= 100;
  const pooled80 = conformalQuantile(scores80.flat(), 0.8);
  const pooled95 = conformalQuantile(scores95.flat(), 0.95);
  return {
    delta80: scores80.map((s) => (perHorizon && s.length ? conformalQuantile(s, 0.8) : pooled80)),
    delta95: scores95.map((s) => (perHorizon && s.length ? conformalQuantile(s, 0.95) : pooled95)),
    samples,
  };
}

/** Applies an adjustment; the median stays, bounds stay ordered around it and non-negative. */
export function applyIntervalAdjustment(
  forecast: SeriesForecast,
  adjustment: IntervalAdjustment,
  level: number,
): SeriesForecast {
  const quantiles = {} as Record<QuantileLevel, number[]>;
  for (const l of QUANTILE_LEVELS) quantiles[l] = [...forecast.quantiles[l]];
  // Steps past the calibrated ones (a young history's validation window is shorter than the horizon) take the last
  // calibrated step's adjustment: errors grow with the horizon, so leaving them unadjusted narrowed the longest steps.
  const at = (deltas: readonly number[], h: number) => deltas[Math.min(h, deltas.length - 1)] ?? 0;
  for (let h = 0; h < forecast.point.length; h++) {
    const q = forecast.quantiles;
    const median = q[0.5][h] as number;
    const d80 = at(adjustment.delta80, h) * normaliser(q[0.1][h] as number, q[0.9][h] as number, level);
    const d95 = at(adjustment.delta95, h) * normaliser(q[0.025][h] as number, q[0.975][h] as number, level);
    const lo80 = Math.max(0, Math.min((q[0.1][h] as number) - d80, median));
    const hi80 = Math.max((q[0.9][h] as number) + d80, median);
    quantiles[0.1][h] = lo80;
    quantiles[0.9][h] = hi80;
    quantiles[0.025][h] = Math.max(0, Math.min((q[0.025][h] as number) - d95, lo80));
    quantiles[0.975][h] = Math.max((q[0.975][h] as number) + d95, hi80);
  }
  return { ...forecast, quantiles };
}

/** The level used to normalise: mean of the last `window` values (1 when that is zero or empty). */
export function recentLevel(values: readonly number[], window = 52): number {
  const recent = values.slice(-window);
  const mean = recent.reduce((a, b) => a + b, 0) / (recent.length || 1);
  return mean > 0 ? mean : 1;
}
