import { generateDemand } from '../../simulator/demand';
import { ForecastInputError } from '../core/forecast.errors';
import { QUANTILE_LEVELS, type TimeSeries } from '../core/forecast.types';
import {
  FittedGlobalModel,
  GlobalModelForecaster,
  heldOutWindows,
  isDormant,
} from './global-model.forecaster';
import { prepareAll } from './window-features';

const TINY = { hidden: [8], epochs: 2, ensemble: 1, batchSize: 64 };

function tinyData(): TimeSeries[] {
  const { series } = generateDemand(
    { start: '2023-01-02', weeks: 70, products: 3, regions: 2, pharmacySeries: 2, pharmaciesPerRegion: 3 },
    5,
  );
  return series.map((s) => ({
    id: s.id,
    start: s.start,
    frequency: s.frequency,
    values: s.values,
    group: s.gtin,
  }));
}

describe('GlobalModelForecaster', () => {
  const data = tinyData();
  const options = { horizon: 8, seasonPeriod: 52, seed: 3 };

  it('trains on a tiny data set and returns calibrated, ordered, non-negative quantiles with metadata', async () => {
    const fitted = await new GlobalModelForecaster(TINY).fit(data, options);
    const forecasts = await fitted.forecast(data, 8);
    expect(forecasts).toHaveLength(data.length);
    for (const f of forecasts) {
      expect(f.point).toHaveLength(8);
      expect(f.point).toEqual(f.quantiles[0.5]);
      for (let h = 0; h < 8; h++) {
        const q = QUANTILE_LEVELS.map((level) => f.quantiles[level][h] as number);
        expect([...q].sort((a, b) => a - b)).toEqual(q);
        expect(q[0]).toBeGreaterThanOrEqual(0);
      }
    }
    expect(fitted.holdout?.length).toBe(8);
    // 70 weeks hold out two 8-week windows for model selection (each needs four times its length of history).
    expect(fitted.holdout?.earlier).toHaveLength(1);
    expect(fitted.holdout?.earlier?.[0]?.[0]?.point).toHaveLength(8);
    expect(fitted.holdout?.earlier?.[0]).not.toEqual(fitted.holdout?.forecasts);
    expect(fitted.metadata.version).toBe('global-mlp/1');
    expect(fitted.metadata.dataWindow).toEqual({
      start: '2023-01-02',
      end: '2024-04-29',
      series: data.length,
    });
    expect(fitted.metadata.trainingSeconds).toBeGreaterThan(0);
    expect(fitted.metadata.metrics.trainingWindows).toBeGreaterThan(0);
    expect(fitted.metadata.calibration.delta80).toHaveLength(8);
    await expect(fitted.forecast(data, 9)).rejects.toBeInstanceOf(ForecastInputError);
    fitted.dispose();
  });

  it('holds out as many windows as the median history allows, at least one', () => {
    const of = (...lengths: number[]) =>
      lengths.map((n, i) => ({
        id: `s${i}`,
        start: '2024-01-01',
        frequency: 'weekly' as const,
        values: new Array<number>(n).fill(1),
      }));
    expect(heldOutWindows(of(156, 156, 40), 8, 3)).toBe(3);
    expect(heldOutWindows(of(70, 70), 8, 3)).toBe(2);
    // The live network's 40 weeks: one window, as before, so the model still trains on most of its history.
    expect(heldOutWindows(of(40, 40, 20), 8, 3)).toBe(1);
    expect(heldOutWindows(of(10), 8, 3)).toBe(1);
    expect(heldOutWindows(of(156), 8, 1)).toBe(1);
  });

  it('is deterministic: the same seed gives identical forecasts, another seed different ones', async () => {
    const a = await new GlobalModelForecaster(TINY).fit(data, options);
    const b = await new GlobalModelForecaster(TINY).fit(data, options);
    const c = await new GlobalModelForecaster(TINY).fit(data, { ...options, seed: 4 });
    const fa = await a.forecast(data, 8);
    expect(await b.forecast(data, 8)).toEqual(fa);
    expect(await c.forecast(data, 8)).not.toEqual(fa);
    [a, b, c].forEach((m) => m.dispose());
  });

  it('round-trips through a JSON artifact with identical predictions', async () => {
    const fitted = await new GlobalModelForecaster(TINY).fit(data, options);
    const artifact = JSON.parse(JSON.stringify(await fitted.toArtifact()));
    const restored = await FittedGlobalModel.fromArtifact(artifact);
    expect(await restored.forecast(data, 8)).toEqual(await fitted.forecast(data, 8));
    expect(restored.metadata.calibration).toEqual(fitted.metadata.calibration);
    fitted.dispose();
    restored.dispose();
  });

  it('refuses data too short to train on', async () => {
    const short: TimeSeries[] = [
      { id: 'a', start: '2024-01-01', frequency: 'weekly', values: [1, 2, 3, 4, 5] },
    ];
    await expect(new GlobalModelForecaster(TINY).fit(short, options)).rejects.toMatchObject({
      code: 'SERIES_TOO_SHORT',
    });
  });

  it('flags a zero run that the earlier level makes implausible as dormant', () => {
    const [busy, sparse] = prepareAll(
      [
        {
          id: 'busy',
          start: '2024-01-01',
          frequency: 'weekly',
          values: [...new Array(20).fill(10), 0, 0, 0],
        },
        {
          id: 'sparse',
          start: '2024-01-01',
          frequency: 'weekly',
          values: [0, 1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0],
        },
      ],
      8,
    );
    expect(isDormant(busy!, 23)).toBe(true);
    expect(isDormant(busy!, 22)).toBe(false);
    expect(isDormant(sparse!, 12)).toBe(false);
  });
});
