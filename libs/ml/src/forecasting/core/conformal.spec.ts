import { applyIntervalAdjustment, conformalQuantile, fitIntervalAdjustment, recentLevel } from './conformal';
import { buildForecast } from './quantiles';

describe('conformal recalibration', () => {
  it('takes the ⌈(n+1)(1−α)⌉-th smallest score', () => {
    const scores = [5, 1, 4, 2, 3, 9, 8, 7, 6, 10];
    expect(conformalQuantile(scores, 0.8)).toBe(9); // ⌈11 × 0.8⌉ = 9
    expect(conformalQuantile(scores, 0.95)).toBe(10);
    expect(conformalQuantile([], 0.8)).toBe(0);
  });

  it('widens intervals that are too narrow until they cover the calibration window', () => {
    // Intervals of width 2 around 10; actuals spread ±5: far too narrow.
    const actuals = Array.from({ length: 200 }, (_, i) => 10 + (((i * 37) % 11) - 5));
    const forecast = (id: string) =>
      buildForecast(id, [10], (level) => ({ 0.025: 8.5, 0.1: 9, 0.5: 10, 0.9: 11, 0.975: 11.5 })[level]);
    const items = actuals.map((y, i) => ({ forecast: forecast(`s${i}`), actual: [y], level: 10 }));
    const adjustment = fitIntervalAdjustment(items, 1);
    const covered = (level: 80 | 95) =>
      items.filter(({ actual }) => {
        const f = applyIntervalAdjustment(forecast('x'), adjustment, 10);
        const [lo, hi] =
          level === 80
            ? [f.quantiles[0.1][0]!, f.quantiles[0.9][0]!]
            : [f.quantiles[0.025][0]!, f.quantiles[0.975][0]!];
        return actual[0]! >= lo && actual[0]! <= hi;
      }).length / items.length;
    expect(covered(80)).toBeGreaterThanOrEqual(0.8);
    expect(covered(95)).toBeGreaterThanOrEqual(0.95);
    expect(adjustment.samples).toBe(200);
    const adjusted = applyIntervalAdjustment(forecast('x'), adjustment, 10);
    expect(adjusted.point).toEqual([10]);
    expect(adjusted.quantiles[0.5]).toEqual([10]);
  });

  it('adjusts steps past the calibrated ones like the last calibrated step', () => {
    const forecast = buildForecast(
      'x',
      [10, 10, 10, 10],
      (level) => ({ 0.025: 8.5, 0.1: 9, 0.5: 10, 0.9: 11, 0.975: 11.5 })[level],
    );
    // Calibrated on two steps only (a validation window shorter than the four-step horizon).
    const adjusted = applyIntervalAdjustment(
      forecast,
      { delta80: [0.1, 0.3], delta95: [0.2, 0.4], samples: 200 },
      10,
    );
    expect(adjusted.quantiles[0.9][3]).toBe(adjusted.quantiles[0.9][1]);
    expect(adjusted.quantiles[0.975][2]).toBe(adjusted.quantiles[0.975][1]);
    expect(adjusted.quantiles[0.9][3]).toBeGreaterThan(adjusted.quantiles[0.9][0]!);
  });

  it('normalises by the recent level, never by zero', () => {
    expect(recentLevel([0, 0, 0])).toBe(1);
    expect(recentLevel([1, 2, 3, 6], 2)).toBe(4.5);
  });
});
