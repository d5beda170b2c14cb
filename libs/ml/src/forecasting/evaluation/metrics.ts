/**
 * Accuracy metrics (Hyndman & Koehler 2006; fpp3 §5.8). MASE here is scaled by the in-sample MAE of the
 * seasonal naive method (lag m) on the history before the forecast origin, falling back to lag 1 when
 * the history is shorter than m + 1 periods or the seasonal scale is zero.
 */

/** In-sample MAE of the seasonal naive method; undefined when zero or impossible (constant history). */
export function maseScale(history: readonly number[], seasonPeriod: number): number | undefined {
  const scaleFor = (lag: number) => {
    if (history.length <= lag) return 0;
    let sum = 0;
    for (let t = lag; t < history.length; t++)
      sum += Math.abs((history[t] as number) - (history[t - lag] as number));
    return sum / (history.length - lag);
  };
  const seasonal = seasonPeriod > 1 ? scaleFor(seasonPeriod) : 0;
  if (seasonal > 0) return seasonal;
  const lagOne = scaleFor(1);
  return lagOne > 0 ? lagOne : undefined;
}

export function meanAbsoluteError(actual: readonly number[], forecast: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < actual.length; i++) sum += Math.abs((actual[i] as number) - (forecast[i] as number));
  return sum / actual.length;
}

/** MASE of one forecast path; undefined when the history gives no usable scale. */
export function mase(
  actual: readonly number[],
  forecast: readonly number[],
  history: readonly number[],
  seasonPeriod: number,
): number | undefined {
  const scale = maseScale(history, seasonPeriod);
  return scale === undefined ? undefined : meanAbsoluteError(actual, forecast) / scale;
}

/** Symmetric MAPE in percent (0–200), with 0/0 counted as a perfect forecast (common for zero demand). */
export function smape(actual: readonly number[], forecast: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i] as number;
    const f = forecast[i] as number;
    const denominator = Math.abs(a) + Math.abs(f);
    sum += denominator === 0 ? 0 : (2 * Math.abs(a - f)) / denominator;
  }
  return (100 * sum) / actual.length;
}

/** Share of actuals inside [lower, upper] (bounds inclusive: a count equal to the bound is covered). */
export function coverage(
  actual: readonly number[],
  lower: readonly number[],
  upper: readonly number[],
): number {
  let inside = 0;
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i] as number;
    if (a >= (lower[i] as number) && a <= (upper[i] as number)) inside++;
  }
  return inside / actual.length;
}

/** Pinball (quantile) loss of a quantile forecast at level q. */
export function pinballLoss(actual: readonly number[], quantile: readonly number[], level: number): number {
  let sum = 0;
  for (let i = 0; i < actual.length; i++) {
    const diff = (actual[i] as number) - (quantile[i] as number);
    sum += Math.max(level * diff, (level - 1) * diff);
  }
  return sum / actual.length;
}
