import { crostonFilter, crostonForecast, sbaForecast, tsbFilter, tsbForecast } from './croston.forecaster';
import { etsFilter, etsPointForecast, fitEts, sesForecast, etsForecast, type EtsFit } from './ets.forecaster';
import { naiveForecast } from './naive.forecaster';
import { seasonalNaiveForecast } from './seasonal-naive.forecaster';
import { createBaselines } from './baselines';
import { normalQuantile } from '../core/quantiles';

const context = (horizon: number, seasonPeriod = 1) => ({ id: 's', horizon, seasonPeriod });
const z90 = normalQuantile(0.9);

describe('naive', () => {
  it('repeats the last value; intervals grow like sqrt(h) from the residual RMS', () => {
    // Residuals 1, 1, 1 (fewer than 20 → normal with RMS 1).
    const f = naiveForecast([1, 2, 3, 4], context(4));
    expect(f.point).toEqual([4, 4, 4, 4]);
    expect(f.quantiles[0.9][0]).toBeCloseTo(4 + z90, 9);
    expect(f.quantiles[0.9][3]).toBeCloseTo(4 + 2 * z90, 9);
    expect(f.quantiles[0.5][0]).toBeCloseTo(4, 9);
  });

  it('uses empirical residual quantiles when there are enough residuals', () => {
    const values = Array.from({ length: 31 }, (_, t) => (t % 2 === 0 ? 10 : 12));
    const f = naiveForecast(values, context(1));
    // Residuals alternate +2/−2: the 0.9 quantile is +2, the 0.1 quantile −2.
    expect(f.point[0]).toBe(10);
    expect(f.quantiles[0.9][0]).toBeCloseTo(12, 9);
    expect(f.quantiles[0.1][0]).toBeCloseTo(8, 9);
  });
});

describe('seasonal naive', () => {
  it('repeats the last season', () => {
    const f = seasonalNaiveForecast([1, 2, 3, 10, 20, 30], context(4, 3));
    expect(f.point).toEqual([10, 20, 30, 10]);
  });

  it('falls back to naive with less than one season of history', () => {
    expect(seasonalNaiveForecast([1, 2], context(2, 3)).point).toEqual([2, 2]);
  });

  it('grows variance by whole seasons', () => {
    // Residuals y_t − y_{t−2}: 2, 2 → RMS 2; h = 3 is in the second season (multiplier 2).
    const f = seasonalNaiveForecast([1, 2, 3, 4], context(3, 2));
    expect(f.quantiles[0.9][0] - f.point[0]!).toBeCloseTo(2 * z90, 9);
    expect(f.quantiles[0.9][2] - f.point[2]!).toBeCloseTo(2 * Math.SQRT2 * z90, 9);
  });
});

describe('exponential smoothing', () => {
  it('runs the SES recursion as computed by hand', () => {
    // l0 = 1, α = 0.5: e1 = 0 → l1 = 1; e2 = 1 → l2 = 1.5; e3 = 1.5 → l3 = 2.25.
    const run = etsFilter(
      [1, 2, 3],
      { trend: 'none', season: 'none' },
      { alpha: 0.5, beta: 0, gamma: 0, phi: 1 },
      { level: 1, trend: 0, season: [] },
      1,
    );
    expect(run.level).toBeCloseTo(2.25, 12);
    expect(run.residuals).toEqual([0, 1, 1.5]);
    expect(run.sse).toBeCloseTo(3.25, 12);
  });

  it('forecasts a damped trend as l + (φ + … + φ^h)·b, with the ETS variance multipliers', () => {
    const fit = {
      spec: { trend: 'damped', season: 'none' },
      params: { alpha: 0.5, beta: 0.1, gamma: 0, phi: 0.9 },
      level: 10,
      trend: 2,
      season: [],
      seasonPeriod: 1,
      n: 5,
    } as unknown as EtsFit;
    const { point, multiplier } = etsPointForecast(fit, 3);
    expect(point[0]).toBeCloseTo(10 + 0.9 * 2, 12);
    expect(point[1]).toBeCloseTo(10 + (0.9 + 0.81) * 2, 12);
    expect(point[2]).toBeCloseTo(10 + (0.9 + 0.81 + 0.729) * 2, 12);
    // c1 = α + β·φ = 0.59; c2 = α + β(φ + φ²) = 0.671.
    expect(multiplier(1)).toBeCloseTo(1, 12);
    expect(multiplier(2)).toBeCloseTo(1 + 0.59 ** 2, 12);
    expect(multiplier(3)).toBeCloseTo(1 + 0.59 ** 2 + 0.671 ** 2, 12);
  });

  it('adds the seasonal state of the target position', () => {
    const fit = {
      spec: { trend: 'none', season: 'additive' },
      params: { alpha: 0.2, beta: 0, gamma: 0.1, phi: 1 },
      level: 100,
      trend: 0,
      season: [5, -5],
      seasonPeriod: 2,
      n: 4,
    } as unknown as EtsFit;
    // n = 4: the next period has position 4 mod 2 = 0.
    expect(etsPointForecast(fit, 3).point).toEqual([105, 95, 105]);
  });

  it('fits SES to a constant series exactly and follows a level shift', () => {
    expect(
      sesForecast(new Array(30).fill(7), context(3)).point.map((x) => Math.round(x * 1e6) / 1e6),
    ).toEqual([7, 7, 7]);
    const shifted = [...new Array(20).fill(10), ...new Array(20).fill(20)];
    const fit = fitEts(shifted, { trend: 'none', season: 'none' }, 1);
    expect(fit?.params.alpha).toBeGreaterThan(0.9);
    expect(sesForecast(shifted, context(1)).point[0]).toBeCloseTo(20, 2);
  });

  it('picks a seasonal ETS for a strongly seasonal series and reproduces the pattern', () => {
    const pattern = [10, 30, 50, 30];
    const values = Array.from(
      { length: 24 },
      (_, t) => 100 + (pattern[t % 4] as number) + 0.01 * ((t * 7) % 5),
    );
    const f = etsForecast(values, context(4, 4));
    f.point.forEach((x, h) => expect(x).toBeCloseTo(100 + (pattern[h] as number), 0));
  });
});

describe('Croston, SBA and TSB', () => {
  it('smooths sizes and intervals only when demand occurs (hand-computed, α = 0.1)', () => {
    // First demand at t = 2: z = 3, p = 3. Next at t = 4 (interval 2): z = 3.2, p = 2.9.
    const state = crostonFilter([0, 0, 3, 0, 5], 0.1);
    expect(state?.size).toBeCloseTo(3.2, 12);
    expect(state?.interval).toBeCloseTo(2.9, 12);
    expect(crostonForecast([0, 0, 3, 0, 5], context(2), { alpha: 0.1 }).point[0]).toBeCloseTo(3.2 / 2.9, 12);
    expect(sbaForecast([0, 0, 3, 0, 5], context(2), { alpha: 0.1 }).point[0]).toBeCloseTo(
      (0.95 * 3.2) / 2.9,
      12,
    );
  });

  it('updates the TSB probability every period (hand-computed, α = 0.1, β = 0.2)', () => {
    // p0 = 2/4 = 0.5, z0 = 3 → after 0: p 0.4; after 2: p 0.52, z 2.9; after 0: p 0.416; after 4: p 0.5328, z 3.01.
    const state = tsbFilter([0, 2, 0, 4], 0.1, 0.2);
    expect(state?.probability).toBeCloseTo(0.5328, 12);
    expect(state?.size).toBeCloseTo(3.01, 12);
    expect(tsbForecast([0, 2, 0, 4], context(1), { alpha: 0.1, beta: 0.2 }).point[0]).toBeCloseTo(
      0.5328 * 3.01,
      12,
    );
  });

  it('forecasts zero for a series without demand and puts no mass below zero', () => {
    expect(crostonForecast([0, 0, 0], context(2)).point).toEqual([0, 0]);
    const f = tsbForecast([0, 0, 1, 0, 0, 2, 0, 0, 0, 1], context(2));
    // P(demand) < 0.5 → the median and lower quantiles are zero, the upper ones a demand size.
    expect(f.quantiles[0.5][0]).toBe(0);
    expect(f.quantiles[0.975][0]).toBeGreaterThan(0);
  });
});

describe('baselines registry', () => {
  it('runs every baseline through the Forecaster interface with ordered quantiles', async () => {
    const history = {
      id: 'x',
      start: '2024-01-01',
      frequency: 'weekly' as const,
      values: [0, 3, 1, 0, 4, 2, 0, 1, 5, 0, 2, 3],
    };
    for (const baseline of createBaselines()) {
      const fitted = await baseline.fit([history], { horizon: 3, seasonPeriod: 4 });
      const [f] = await fitted.forecast([history], 3);
      expect(f?.point).toHaveLength(3);
      for (let h = 0; h < 3; h++) {
        const q = [0.025, 0.1, 0.5, 0.9, 0.975].map((l) => f!.quantiles[l as 0.5][h]!);
        expect([...q].sort((a, b) => a - b)).toEqual(q);
        expect(q[0]).toBeGreaterThanOrEqual(0);
      }
    }
  });
});
