import { scoreLiveForecasts, type ApiForecastSeries } from './live-forecast';

const WEEK = 7 * 86_400_000;
const week = (i: number) => new Date(Date.UTC(2026, 6, 13) + i * WEEK).toISOString().slice(0, 10);

/** Twelve weeks of 10, 12, 10, 12, ...; then a forecast of 11 with intervals [10, 12] and [9, 13] for four weeks. */
function series(overrides: Partial<ApiForecastSeries> = {}): ApiForecastSeries {
  return {
    seriesId: '04000001100019|DE-N',
    gtin: '04000001100019',
    region: 'DE-N',
    method: 'tsb',
    modelVersion: '2026-12-06T20:05:00.000Z',
    history: Array.from({ length: 12 }, (_, i) => ({ periodStart: week(i), value: i % 2 === 0 ? 10 : 12 })),
    forecast: Array.from({ length: 4 }, (_, h) => ({
      periodStart: week(12 + h),
      horizon: h + 1,
      p50: 11,
      p10: 10,
      p90: 12,
      p025: 9,
      p975: 13,
    })),
    ...overrides,
  };
}

describe('scoreLiveForecasts', () => {
  // The network went on to dispense 10, 14, 10 and (outside the simulated future) an unknown fourth week.
  const truth = [
    { seriesId: '04000001100019@DE-N', start: week(0), values: [...Array(12).fill(0), 10, 14, 10] },
  ];

  it('scores the weeks the simulated future knows, against the baselines fitted on the same history', async () => {
    const report = await scoreLiveForecasts([series()], truth);
    expect(report.points).toBe(3);
    // |10-11| + |14-11| + |10-11| = 5 over 3 weeks, scaled by the history's mean week-to-week change (2).
    expect(report.mase.intelligence).toBeCloseTo(5 / 3 / 2, 10);
    // Naive repeats the last week (12): (2 + 2 + 2) / 3 / 2.
    expect(report.mase.naive).toBeCloseTo(1, 10);
    expect(report.ratio).toBeCloseTo(report.mase.intelligence! / report.bestBaseline.mase, 10);
    expect(Object.keys(report.mase)).toEqual(expect.arrayContaining(['naive', 'ses', 'tsb', 'croston']));
    // 10 and 10 inside [10, 12], 14 outside; all but 14 inside [9, 13].
    expect(report.coverage80).toBeCloseTo(2 / 3, 10);
    expect(report.coverage95).toBeCloseTo(2 / 3, 10);
    // Flat at the future's median (10): (0 + 4 + 0) / 3 / 2, below every method here.
    expect(report.bestFlat.mase).toBeCloseTo(4 / 3 / 2, 10);
    expect(report.bestFlat.ratioToBestBaseline).toBeCloseTo(4 / 3 / 2 / report.bestBaseline.mase, 10);
    // The future's mean (11.3) stays within 1.5× of the last 8 weeks' (11): every week counts as steady.
    expect(report.coverageByRegime.steady).toEqual({ points: 3, coverage80: 2 / 3, coverage95: 2 / 3 });
    expect(report.coverageByRegime.rising.points).toBe(0);
  });

  it('tells the coverage of a rising future from that of a steady one', async () => {
    const rising = {
      seriesId: '04000001100019@DE-N',
      start: week(0),
      values: [...Array(12).fill(0), 30, 40, 50],
    };
    const report = await scoreLiveForecasts([series()], [rising]);
    expect(report.coverageByRegime.rising).toEqual({ points: 3, coverage80: 0, coverage95: 0 });
    expect(report.coverageByRegime.steady.points).toBe(0);
  });

  it('says what it got when no forecast week falls inside the simulated future', async () => {
    await expect(scoreLiveForecasts([series({ region: 'FR-N' })], truth)).rejects.toThrow(
      /none of the API's 1 forecast series/,
    );
  });
});
