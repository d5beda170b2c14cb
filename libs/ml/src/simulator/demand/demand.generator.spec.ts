import { DEMAND_PRESETS } from './demand.presets';
import { aggregateToWeekly, generateDemand, gs1CheckDigit } from './demand.generator';
import type { DemandConfig } from './demand.types';

const CONFIG: DemandConfig = {
  start: '2024-01-03', // a Wednesday: the simulation starts on Monday 2024-01-01
  weeks: 60,
  products: 4,
  regions: 2,
  pharmacySeries: 6,
  pharmaciesPerRegion: 4,
  launchShare: 0.5,
  discontinuationShare: 0.5,
  shortages: { perYear: 2, weeks: [2, 4], fillRate: [0, 0.3] },
};

describe('generateDemand', () => {
  it('is reproducible per seed and differs across seeds', () => {
    expect(generateDemand(CONFIG, 1)).toEqual(generateDemand(CONFIG, 1));
    expect(generateDemand(CONFIG, 2).series[0]?.values).not.toEqual(
      generateDemand(CONFIG, 1).series[0]?.values,
    );
  });

  it('emits GTIN × region and GTIN × pharmacy series with valid GS1 identifiers', () => {
    const { series, start } = generateDemand(CONFIG, 1);
    expect(start).toBe('2024-01-01');
    expect(series.filter((s) => s.kind === 'region')).toHaveLength(8);
    const pharmacy = series.filter((s) => s.kind === 'pharmacy');
    expect(pharmacy).toHaveLength(6);
    for (const s of series) {
      expect(s.gtin).toMatch(/^\d{14}$/);
      expect(Number(s.gtin[13])).toBe(gs1CheckDigit(s.gtin.slice(0, 13)));
      expect(s.id).toBe(`${s.gtin}@${s.pharmacy ?? s.region}`);
    }
    for (const s of pharmacy) expect(Number(s.pharmacy?.[12])).toBe(gs1CheckDigit(s.pharmacy!.slice(0, 12)));
    expect(new Set(series.map((s) => s.id)).size).toBe(series.length);
  });

  it('returns ground truth consistent with the observed values (censoring, lost sales, lifecycle)', () => {
    const { series, products } = generateDemand(CONFIG, 1);
    for (const s of series) {
      const c = s.components;
      expect(c.expected).toHaveLength(s.values.length);
      s.values.forEach((v, t) => {
        expect(Number.isInteger(v) && v >= 0).toBe(true);
        expect(v).toBe((c.demand[t] as number) - (c.lostSales[t] as number));
        if (!c.shortage[t]) expect(c.lostSales[t]).toBe(0);
      });
    }
    const launched = products.find((p) => p.launchDay !== undefined);
    expect(launched).toBeDefined();
    const launchedSeries = series.find((s) => s.gtin === launched?.gtin);
    expect(launchedSeries!.values.length).toBeLessThan(60);
    expect(launchedSeries!.components.lifecycle[0]).toBeLessThan(0.5);
    const discontinued = products.find((p) => p.discontinuationDay !== undefined);
    const ended = series.find((s) => s.gtin === discontinued?.gtin && s.kind === 'region');
    expect(ended!.values.slice(-2)).toEqual([0, 0]);
    expect(series.some((s) => s.components.shortage.some(Boolean))).toBe(true);
  });

  it('produces daily series that sum exactly to the weekly ones', () => {
    const weekly = generateDemand(CONFIG, 9);
    const daily = generateDemand({ ...CONFIG, frequency: 'daily' }, 9);
    daily.series.forEach((d, i) => {
      expect(d.frequency).toBe('daily');
      const aggregated = aggregateToWeekly(d);
      expect(aggregated.values).toEqual(weekly.series[i]?.values);
      expect(aggregated.start).toBe(weekly.series[i]?.start);
    });
  });

  it('makes pharmacy series intermittent and region series smooth', () => {
    const { series } = generateDemand(
      { ...DEMAND_PRESETS.mixed, weeks: 52, products: 6, regions: 2, pharmacySeries: 24 },
      3,
    );
    const zeroShare = (kind: string) => {
      const chosen = series.filter((s) => s.kind === kind);
      return (
        chosen.reduce((a, s) => a + s.values.filter((v) => v === 0).length / s.values.length, 0) /
        chosen.length
      );
    };
    expect(zeroShare('pharmacy')).toBeGreaterThan(0.2);
    expect(zeroShare('region')).toBeLessThan(0.05);
    const intermittent = generateDemand(
      { ...DEMAND_PRESETS.intermittent, weeks: 20, pharmacySeries: 10 },
      3,
    ).series;
    expect(intermittent.every((s) => s.kind === 'pharmacy')).toBe(true);
  });

  it('puts a flu season into flu products', () => {
    const { series } = generateDemand(
      { ...CONFIG, categoryWeights: { flu: 1, chronic: 0 }, launchShare: 0, discontinuationShare: 0 },
      4,
    );
    const s = series[0]!;
    const winter = s.components.seasonal.slice(0, 8).reduce((a, b) => a + b, 0) / 8;
    const summer = s.components.seasonal.slice(26, 34).reduce((a, b) => a + b, 0) / 8;
    expect(winter).toBeGreaterThan(1.3 * summer);
  });

  it('rejects invalid configurations', () => {
    expect(() => generateDemand({ ...CONFIG, weeks: 0 }, 1)).toThrow(RangeError);
    expect(() => generateDemand({ ...CONFIG, start: 'soon' }, 1)).toThrow(RangeError);
  });
});
