/**
 * Shared plumbing of the per-series baselines: they have nothing to learn across series, so `fit` is
 * free and every `forecast` call fits each series on the history it is given.
 */
import type {
  FitOptions,
  FittedForecaster,
  Forecaster,
  SeriesForecast,
  TimeSeries,
} from '../core/forecast.types';
import { buildForecast, normalQuantile, quantileSorted, sortedCopy } from '../core/quantiles';

export interface LocalContext {
  id: string;
  horizon: number;
  seasonPeriod: number;
}

export type LocalMethod = (values: readonly number[], context: LocalContext) => SeriesForecast;

export class LocalForecaster implements Forecaster {
  constructor(
    readonly name: string,
    private readonly method: LocalMethod,
  ) {}

  fit(_histories: readonly TimeSeries[], options: FitOptions): Promise<FittedForecaster> {
    const { seasonPeriod } = options;
    const method = this.method;
    return Promise.resolve({
      method: this.name,
      forecast: (histories: readonly TimeSeries[], horizon: number) =>
        Promise.resolve(histories.map((s) => method(s.values, { id: s.id, horizon, seasonPeriod }))),
    });
  }

  /** Forecast one series directly (handy in tests and for callers without the fit/forecast ceremony). */
  forecastValues(values: readonly number[], context: LocalContext): SeriesForecast {
    return this.method(values, context);
  }
}

/** Below this many in-sample residuals the empirical quantiles are too coarse; use a normal instead. */
const MIN_EMPIRICAL_RESIDUALS = 20;

/**
 * Prediction intervals from in-sample one-step residuals: the h-step error is the one-step error scaled
 * by sqrt(varianceMultiplier(h)) (the method's own variance growth, e.g. h for the naive method). With
 * enough residuals their empirical quantiles are used as they are (uncentred, so skew and bias carry
 * over, which matters for count data); otherwise a zero-mean normal with the residuals' RMS.
 */
export function residualForecast(
  context: LocalContext,
  point: readonly number[],
  residuals: readonly number[],
  varianceMultiplier: (h: number) => number,
): SeriesForecast {
  const finite = residuals.filter((r) => Number.isFinite(r));
  const sorted = sortedCopy(finite);
  const rms = finite.length ? Math.sqrt(finite.reduce((s, r) => s + r * r, 0) / finite.length) : 0;
  const empirical = finite.length >= MIN_EMPIRICAL_RESIDUALS;
  return buildForecast(context.id, point, (level, step) => {
    const scale = Math.sqrt(varianceMultiplier(step + 1));
    const oneStep = empirical ? quantileSorted(sorted, level) : rms * normalQuantile(level);
    return (point[step] as number) + scale * oneStep;
  });
}
