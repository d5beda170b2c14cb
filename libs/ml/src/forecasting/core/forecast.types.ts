import type { Frequency } from './calendar';

/** One regular series: `values[i]` is the period starting `i` steps after `start`. */
export interface TimeSeries {
  id: string;
  /** ISO date of the first period. */
  start: string;
  frequency: Frequency;
  values: number[];
  /** Optional grouping hint (e.g. 'region' | 'pharmacy'); forecasters must not require it. */
  kind?: string;
  /**
   * Optional hierarchy key shared by related series (e.g. the GTIN of GTIN × region and GTIN × pharmacy
   * series): the global model reads the group's aggregate as extra, less noisy input.
   */
  group?: string;
}

/** The quantile levels every forecaster returns: the median plus the bounds of the 80% and 95% intervals. */
export const QUANTILE_LEVELS = [0.025, 0.1, 0.5, 0.9, 0.975] as const;
export type QuantileLevel = (typeof QUANTILE_LEVELS)[number];

export interface SeriesForecast {
  id: string;
  /** Point forecasts for horizons 1..H. */
  point: number[];
  /** Quantile forecasts per level, each of length H, non-decreasing across levels. */
  quantiles: Record<QuantileLevel, number[]>;
}

export interface FitOptions {
  horizon: number;
  /** Seasonal period of the data (52 for weekly); the MASE scale and seasonal baselines use it. */
  seasonPeriod: number;
  seed?: number;
  /**
   * Shares fitted models between methods fitted on the same histories (the model-selection wrapper and
   * the standalone global model in one backtest), so the expensive fit runs once per origin.
   */
  cache?: FitCache;
}

export type FitCache = Map<Forecaster, Promise<FittedForecaster>>;

/**
 * Out-of-sample forecasts a fit produced on its own held-out tail (`length` periods), e.g. the global
 * model's calibration window. Model selection compares candidates on this window instead of refitting.
 */
export interface HoldoutForecasts {
  length: number;
  forecasts: SeriesForecast[];
  /**
   * The windows before it, newest first (`earlier[0]` ends `length` periods before the end): one window is a noisy
   * judge when seasons make some windows much harder than others.
   */
  earlier?: SeriesForecast[][];
}

/** A fitted method: forecasts from the end of the given histories (which may be newer than the fit's). */
export interface FittedForecaster {
  readonly method: string;
  forecast(histories: readonly TimeSeries[], horizon: number): Promise<SeriesForecast[]>;
  readonly holdout?: HoldoutForecasts;
  /** Facts worth reporting (chosen method, fitted parameters, training time). */
  readonly info?: Record<string, unknown>;
  /** For a forecaster made of others (model selection): every candidate it fitted, chosen or not. */
  readonly parts?: readonly FittedForecaster[];
}

/**
 * Every method, baselines and the global model alike, goes through this interface, so the backtest and
 * model selection treat them identically. Local methods do their fitting per series inside `forecast`.
 */
export interface Forecaster {
  readonly name: string;
  fit(histories: readonly TimeSeries[], options: FitOptions): Promise<FittedForecaster>;
}

/** Fits through the shared cache when one is given. */
export function fitCached(
  forecaster: Forecaster,
  histories: readonly TimeSeries[],
  options: FitOptions,
): Promise<FittedForecaster> {
  const cached = options.cache?.get(forecaster);
  if (cached) return cached;
  const fitted = forecaster.fit(histories, options);
  options.cache?.set(forecaster, fitted);
  return fitted;
}
