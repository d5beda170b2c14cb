import { CrostonForecaster, SbaForecaster, TsbForecaster } from './croston.forecaster';
import { EtsForecaster, SesForecaster } from './ets.forecaster';
import type { LocalForecaster } from './local.forecaster';
import { NaiveForecaster } from './naive.forecaster';
import { SeasonalNaiveForecaster } from './seasonal-naive.forecaster';

export const BASELINE_NAMES = ['naive', 'seasonal-naive', 'ses', 'ets', 'croston', 'sba', 'tsb'] as const;
export type BaselineName = (typeof BASELINE_NAMES)[number];

export function createBaseline(name: BaselineName): LocalForecaster {
  switch (name) {
    case 'naive':
      return new NaiveForecaster();
    case 'seasonal-naive':
      return new SeasonalNaiveForecaster();
    case 'ses':
      return new SesForecaster();
    case 'ets':
      return new EtsForecaster();
    case 'croston':
      return new CrostonForecaster();
    case 'sba':
      return new SbaForecaster();
    case 'tsb':
      return new TsbForecaster();
  }
}

/** All baselines of the field, in the order reports list them. */
export function createBaselines(names: readonly BaselineName[] = BASELINE_NAMES): LocalForecaster[] {
  return names.map(createBaseline);
}
