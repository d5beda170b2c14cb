import { LocalForecaster, residualForecast, type LocalContext } from './local.forecaster';
import type { SeriesForecast } from '../core/forecast.types';

/** Naive: every horizon repeats the last observation; h-step variance grows like a random walk (h·σ²). */
export function naiveForecast(values: readonly number[], context: LocalContext): SeriesForecast {
  const last = values.length ? (values[values.length - 1] as number) : 0;
  const residuals: number[] = [];
  for (let t = 1; t < values.length; t++) residuals.push((values[t] as number) - (values[t - 1] as number));
  return residualForecast(context, new Array<number>(context.horizon).fill(last), residuals, (h) => h);
}

export class NaiveForecaster extends LocalForecaster {
  constructor() {
    super('naive', naiveForecast);
  }
}
