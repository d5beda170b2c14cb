import { NaiveForecaster } from '../baselines/naive.forecaster';
import type { TimeSeries } from '../core/forecast.types';
import { backtest } from './backtest';

describe('backtest', () => {
  it('scores rolling origins counted back from the end (hand-computed naive)', async () => {
    // Values 1..10, horizon 2, 2 origins, step 1: origins at 7 (forecast 8, 9 from 7) and 8 (9, 10 from 8).
    const series: TimeSeries[] = [
      { id: 'a', start: '2024-01-01', frequency: 'weekly', values: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] },
    ];
    const result = await backtest(series, [new NaiveForecaster()], {
      horizon: 2,
      origins: 2,
      step: 1,
      seasonPeriod: 1,
      minHistory: 4,
    });
    const [naive] = result.methods;
    // Scale: the lag-1 MAE of each history is 1. Errors: origin 1 → 1, 2; origin 2 → 1, 2.
    expect(naive?.mase).toBeCloseTo(1.5, 12);
    expect(naive?.maseByHorizon).toEqual([1, 2]);
    // sMAPE: origin 1: (2/15 + 4/16)/2; origin 2: (2/17 + 4/18)/2, in percent, averaged.
    const expected = (100 * ((2 / 15 + 4 / 16) / 2 + (2 / 17 + 4 / 18) / 2)) / 2;
    expect(naive?.smape).toBeCloseTo(expected, 10);
    expect(naive?.forecasts).toBe(2);
    expect(result.evaluated).toBe(2);
  });

  it('leaves out series too short for an origin and excludes unusable MASE scales', async () => {
    const series: TimeSeries[] = [
      { id: 'short', start: '2024-01-01', frequency: 'weekly', values: [1, 2, 3] },
      { id: 'flat', start: '2024-01-01', frequency: 'weekly', values: [5, 5, 5, 5, 5, 5, 5] },
    ];
    const result = await backtest(series, [new NaiveForecaster()], {
      horizon: 1,
      origins: 1,
      step: 1,
      seasonPeriod: 1,
      minHistory: 3,
    });
    expect(result.evaluated).toBe(1);
    expect(result.excludedFromMase).toBe(1);
    expect(result.methods[0]?.coverage80).toBe(1);
  });
});
