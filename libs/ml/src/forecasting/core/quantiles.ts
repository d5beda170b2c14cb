/** Quantile helpers shared by the baselines' interval construction and the metrics. */
import { QUANTILE_LEVELS, type QuantileLevel, type SeriesForecast } from './forecast.types';

/** Inverse of the standard normal CDF (Acklam's rational approximation, relative error < 1.2e-9). */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`normalQuantile needs 0 < p < 1 (got ${p})`);
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
    2.506628277459239,
  ];
  const b = [
    -54.47609879822406, 161.5858589803464, -155.6989798598866, 66.80131188771972, -13.28068155288572,
  ];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  const [a0, a1, a2, a3, a4, a5] = a as [number, number, number, number, number, number];
  const [b0, b1, b2, b3, b4] = b as [number, number, number, number, number];
  const [c0, c1, c2, c3, c4, c5] = c as [number, number, number, number, number, number];
  const [d0, d1, d2, d3] = d as [number, number, number, number];
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (
      (((((c0 * q + c1) * q + c2) * q + c3) * q + c4) * q + c5) /
      ((((d0 * q + d1) * q + d2) * q + d3) * q + 1)
    );
  }
  if (p > 1 - low) {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    return (
      -(((((c0 * q + c1) * q + c2) * q + c3) * q + c4) * q + c5) /
      ((((d0 * q + d1) * q + d2) * q + d3) * q + 1)
    );
  }
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a0 * r + a1) * r + a2) * r + a3) * r + a4) * r + a5) * q) /
    (((((b0 * r + b1) * r + b2) * r + b3) * r + b4) * r + 1)
  );
}

/** Empirical quantile of sorted values with linear interpolation (R type 7, numpy's default). */
export function quantileSorted(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) throw new RangeError('quantile of an empty sample');
  const position = (sorted.length - 1) * p;
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  const lo = sorted[lower] as number;
  const hi = sorted[upper] as number;
  return lo + (hi - lo) * (position - lower);
}

export function sortedCopy(values: readonly number[]): number[] {
  return [...values].sort((x, y) => x - y);
}

/**
 * Builds a forecast from a point path and a per-horizon quantile function, clipping at zero (demand is
 * never negative, so a negative bound only widens an interval for nothing) and sorting each horizon's
 * quantiles so they never cross.
 */
export function buildForecast(
  id: string,
  point: readonly number[],
  quantileAt: (level: QuantileLevel, step: number) => number,
  nonNegative = true,
): SeriesForecast {
  const clip = (x: number) => (nonNegative ? Math.max(0, x) : x);
  const quantiles = {} as Record<QuantileLevel, number[]>;
  for (const level of QUANTILE_LEVELS) quantiles[level] = [];
  for (let step = 0; step < point.length; step++) {
    const values = QUANTILE_LEVELS.map((level) => clip(quantileAt(level, step))).sort((x, y) => x - y);
    QUANTILE_LEVELS.forEach((level, i) => quantiles[level].push(values[i] as number));
  }
  return { id, point: point.map(clip), quantiles };
}
