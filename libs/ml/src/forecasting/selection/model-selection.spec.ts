import { SesForecaster } from '../baselines/ets.forecaster';
import { NaiveForecaster } from '../baselines/naive.forecaster';
import type {
  FitOptions,
  FittedForecaster,
  Forecaster,
  SeriesForecast,
  TimeSeries,
} from '../core/forecast.types';
import { buildForecast } from '../core/quantiles';
import {
  ModelSelectionForecaster,
  classifySeries,
  pairedComparison,
  type SelectionDecision,
  studentT95,
  validationLength,
} from './model-selection';

/** A stand-in "model" with a holdout: forecasts actual + bias (so its quality is known in advance). */
class FakeModel implements Forecaster {
  readonly name = 'fake-model';
  fits = 0;
  constructor(
    private readonly truth: ReadonlyMap<string, number[]>,
    private readonly bias: number,
    /** Biases on the windows held out before the latest, newest first (none: one window held out). */
    private readonly earlierBias: readonly number[] = [],
  ) {}

  fit(histories: readonly TimeSeries[], options: FitOptions): Promise<FittedForecaster> {
    this.fits++;
    const length = options.horizon;
    const predict = (s: TimeSeries, from: number, horizon: number, bias = this.bias): SeriesForecast => {
      const actual = this.truth.get(s.id) ?? [];
      const point = Array.from({ length: horizon }, (_, h) => (actual[from + h] ?? 0) + bias);
      return buildForecast(s.id, point, (_level, h) => point[h] as number);
    };
    const earlier = this.earlierBias.map((bias, w) =>
      histories.map((s) => predict(s, s.values.length - (w + 2) * length, length, bias)),
    );
    return Promise.resolve({
      method: this.name,
      holdout: {
        length,
        forecasts: histories.map((s) => predict(s, s.values.length - length, length)),
        ...(earlier.length ? { earlier } : {}),
      },
      // The forecast depends on how many series are forecast together, like a global model's group inputs.
      forecast: (hs: readonly TimeSeries[], horizon: number) =>
        Promise.resolve(
          hs.map((s) => {
            const f = predict(s, s.values.length, horizon);
            const point = f.point.map((x) => x + hs.length / 1000);
            return buildForecast(s.id, point, (_level, h) => point[h] as number);
          }),
        ),
    });
  }
}

function dataset(): { histories: TimeSeries[]; truth: Map<string, number[]> } {
  const truth = new Map<string, number[]>();
  const histories: TimeSeries[] = [];
  for (let i = 0; i < 6; i++) {
    const values = Array.from({ length: 40 }, (_, t) => 20 + i + ((t * 7 + i) % 5));
    truth.set(`s${i}`, values);
    histories.push({ id: `s${i}`, start: '2024-01-01', frequency: 'weekly', values: values.slice(0, 32) });
  }
  return { histories, truth };
}

describe('ModelSelectionForecaster', () => {
  it('judges young histories on a shorter window instead of picking the first candidate without evidence', async () => {
    // 20 weeks of noise around a level: the last value (naive) carries each week's noise into the forecast, a level
    // (SES) does not. With an 8-week window there was nothing to score before it, and naive, listed first, won.
    let seed = 7;
    const noise = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31 - 0.5) * 20;
    const histories: TimeSeries[] = Array.from({ length: 30 }, (_, i) => ({
      id: `young${i}`,
      start: '2026-07-13',
      frequency: 'weekly' as const,
      values: Array.from({ length: 20 }, () => Math.round(50 + noise())),
    }));
    expect(validationLength(histories, 8)).toBe(6);
    const fitted = await new ModelSelectionForecaster({
      candidates: [new NaiveForecaster(), new SesForecaster()],
      groupBy: 'none',
    }).fit(histories, { horizon: 8, seasonPeriod: 52 });
    expect(fitted.info?.chosen).toBe('ses');
    const [decision] = fitted.info?.decisions as { bestBaseline: { mase: number; windows: number } }[];
    expect(Number.isFinite(decision!.bestBaseline.mase)).toBe(true);
    expect(
      validationLength(
        histories.slice(0, 1).map((h) => ({ ...h, values: h.values.concat(h.values, h.values) })),
        8,
      ),
    ).toBe(8);
  });

  it('falls back to the best baseline when the model is worse on the validation window', async () => {
    const { histories, truth } = dataset();
    const naive = new NaiveForecaster();
    const model = new FakeModel(truth, 50);
    const auto = new ModelSelectionForecaster({
      candidates: [model, naive],
      primary: model,
      groupBy: 'none',
      recalibrate: false,
    });
    const fitted = await auto.fit(histories, { horizon: 4, seasonPeriod: 52 });
    expect(fitted.info?.chosen).toBe('naive');
    const forecasts = await fitted.forecast(histories, 4);
    const direct = await (
      await naive.fit(histories, { horizon: 4, seasonPeriod: 52 })
    ).forecast(histories, 4);
    expect(forecasts).toEqual(direct);
    // By default the chosen baseline's intervals are recalibrated; its point forecasts stay the same.
    const recalibrated = await new ModelSelectionForecaster({ candidates: [model, naive], primary: model })
      .fit(histories, { horizon: 4, seasonPeriod: 52 })
      .then((f) => f.forecast(histories, 4));
    expect(recalibrated.map((f) => f.point)).toEqual(direct.map((f) => f.point));
  });

  it('chooses the model when it beats the best baseline by the margin, reusing its holdout', async () => {
    const { histories, truth } = dataset();
    const model = new FakeModel(truth, 0);
    const auto = new ModelSelectionForecaster({
      candidates: [model, new NaiveForecaster()],
      primary: model,
      groupBy: 'none',
    });
    const fitted = await auto.fit(histories, { horizon: 4, seasonPeriod: 52 });
    expect(fitted.info?.chosen).toBe('fake-model');
    expect(model.fits).toBe(1);
    const [first] = await fitted.forecast(histories, 4);
    expect(first?.point).toEqual(
      truth
        .get('s0')
        ?.slice(32, 36)
        .map((x) => x + histories.length / 1000),
    );
  });

  it('judges the model on every window it held out, not on the latest alone', async () => {
    // Worse than naive on the latest window (a season arriving late, say: 1.25 against 0.87), exact on the two before.
    const { histories, truth } = dataset();
    const judge = (model: FakeModel) =>
      new ModelSelectionForecaster({
        candidates: [model, new NaiveForecaster()],
        primary: model,
        groupBy: 'none',
      })
        .fit(histories, { horizon: 4, seasonPeriod: 52 })
        .then((fitted) => fitted.info?.decisions as SelectionDecision[]);
    const [pooled] = await judge(new FakeModel(truth, 3, [0, 0]));
    expect(pooled?.chosen).toBe('fake-model');
    // Six series × three windows, paired with naive on the same windows.
    expect(pooled?.challenger).toMatchObject({ series: 18, significant: true });
    expect(pooled?.challenger?.relative).toBeLessThan(0);
    const [latestOnly] = await judge(new FakeModel(truth, 3));
    expect(latestOnly?.chosen).toBe('naive');
    expect(latestOnly?.challenger?.series).toBe(6);
    expect(latestOnly?.challenger?.relative).toBeGreaterThan(0);
  });

  it('shares fits through the cache', async () => {
    const { histories, truth } = dataset();
    const model = new FakeModel(truth, 0);
    const cache = new Map();
    const options = { horizon: 4, seasonPeriod: 52, cache };
    const auto = new ModelSelectionForecaster({ candidates: [model, new NaiveForecaster()], primary: model });
    await auto.fit(histories, options);
    await auto.fit(histories, options);
    expect(model.fits).toBe(1);
  });

  it('classifies series as smooth or intermittent (Syntetos-Boylan ADI > 1.32)', () => {
    expect(classifySeries([3, 4, 5, 3, 4, 5, 2, 3], 4)).toBe('smooth');
    expect(classifySeries([0, 0, 3, 0, 0, 1, 0, 0], 4)).toBe('intermittent');
    expect(classifySeries([0, 0, 0], 4)).toBe('intermittent');
  });

  it('demands a consistent advantage across series (paired one-sided t-test)', () => {
    // Better on average by 25% but only thanks to one series: not significant.
    const lucky = pairedComparison([0.2, 1.1, 1.0, 1.05, 0.95], [1.0, 1.0, 1.0, 1.0, 1.0]);
    expect(lucky.relative).toBeCloseTo(-0.14, 10);
    expect(lucky.significant).toBe(false);
    // Better on every series: significant.
    const steady = pairedComparison([0.8, 0.85, 0.9, 0.8, 0.82], [1.0, 1.0, 1.1, 0.95, 1.0]);
    expect(steady.significant).toBe(true);
    expect(steady.t).toBeLessThan(-studentT95(4));
  });

  it('uses the one-sided 95% Student t quantiles', () => {
    expect(studentT95(1)).toBeCloseTo(6.314, 3);
    expect(studentT95(4)).toBeCloseTo(2.132, 1);
    expect(studentT95(10)).toBeCloseTo(1.812, 2);
    expect(studentT95(1000)).toBeCloseTo(1.646, 2);
  });

  it('forecasts with the chosen model on the whole set even when groups are chosen separately', async () => {
    const { histories, truth } = dataset();
    // Make half the series intermittent so there are two groups.
    const mixed = histories.map((s, i) =>
      i % 2 ? { ...s, values: s.values.map((v, t) => (t % 3 ? 0 : v)) } : s,
    );
    const mixedTruth = new Map(
      [...truth].map(([id, v], i) => [id, i % 2 ? v.map((x, t) => (t % 3 ? 0 : x)) : v]),
    );
    const model = new FakeModel(mixedTruth, 0);
    const auto = new ModelSelectionForecaster({
      candidates: [model, new NaiveForecaster()],
      primary: model,
      minGroupSize: 1,
    });
    const fitted = await auto.fit(mixed, { horizon: 4, seasonPeriod: 52 });
    expect(fitted.info?.chosen).toBe('smooth: fake-model, intermittent: fake-model');
    const direct = await (await model.fit(mixed, { horizon: 4, seasonPeriod: 52 })).forecast(mixed, 4);
    expect((await fitted.forecast(mixed, 4)).map((f) => f.point)).toEqual(direct.map((f) => f.point));
  });
});
