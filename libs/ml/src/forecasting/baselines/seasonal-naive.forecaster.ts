import { LocalForecaster, residualForecast, type LocalContext } from './local.forecaster';
import { naiveForecast } from './naive.forecaster';
import type { SeriesForecast } from '../core/forecast.types';

/**
 * Seasonal naive: horizon h repeats the value one season earlier, y[T + h - m·k]. With less than one full
 * season of history it degrades to the naive method (there is nothing seasonal to copy).
 * Variance grows by whole seasons: (floor((h-1)/m) + 1)·σ².
 */
export function seasonalNaiveForecast(values: readonly number[], context: LocalContext): SeriesForecast {
  const m = context.seasonPeriod;
  const n = values.length;
  if (m <= 1 || n < m) return naiveForecast(values, context);
  const point: number[] = [];
  for (let h = 1; h <= context.horizon; h++) point.push(values[n - m + ((h - 1) % m)] as number);
  const residuals: number[] = [];
  for (let t = m; t < n; t++) residuals.push((values[t] as number) - (values[t - m] as number));
  return residualForecast(context, point, residuals, (h) => Math.floor((h - 1) / m) + 1);
}

export class SeasonalNaiveForecaster extends LocalForecaster {
  constructor() {
    super('seasonal-naive', seasonalNaiveForecast);
  }
}
