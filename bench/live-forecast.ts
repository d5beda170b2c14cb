// Demand forecasts scored on the running system (a step of `npm run eval:live`): the forecasts intelligence wrote,
// read back through the API, against what the simulated network went on to dispense in the weeks it was not shown.
// The baselines are the forecasting library's own (`createBaselines`), fitted in the same run on the same history the
// API returns, so the ratios compare methods on one machine and one data set. MASE and coverage are the library's.
import { coverage, createBaselines, type DispensedSeries, mase, type TimeSeries } from '@pedigree/ml';
import type { ForecastSeries } from '../apps/api/src/forecasts/forecasts.repository';

const WEEK_MS = 7 * 86_400_000;
/** The service's forecasts use a 52-week season; MASE's scale falls back to lag 1 on shorter histories. */
const SEASON = 52;

/** A series as `GET /v1/forecasts` answers it. */
export type ApiForecastSeries = ForecastSeries;

export interface LiveForecastReport {
  modelVersion: string;
  /** The method intelligence chose (its model selection on a validation window). */
  method: string;
  series: number;
  /** Forecast weeks with a known outcome (inside the simulated future). */
  points: number;
  /** Mean MASE over series: intelligence's forecasts, then each baseline fitted here on the same history. */
  mase: Record<string, number>;
  bestBaseline: { name: string; mase: number };
  /** Intelligence's MASE over the best baseline's (below 1 is better). */
  ratio: number;
  coverage80: number;
  coverage95: number;
  /**
   * A reference, not a method: each series forecast flat at the median of its own scored future, known only in
   * hindsight. No flat forecast has a lower absolute error, so its ratio to the best baseline bounds what knowing the
   * future's level could give; the rest of the error is the future's shape (a season beginning, a spike).
   */
  bestFlat: { mase: number; ratioToBestBaseline: number };
  /**
   * Interval coverage of the series whose scored future stays within 1.5× of their last 8 weeks' mean (`steady`),
   * and of those whose future rises above it (`rising`, a season starting): what the intervals miss, and why.
   */
  coverageByRegime: Record<'steady' | 'rising', { points: number; coverage80: number; coverage95: number }>;
}

/** A series' future mean over its last 8 weeks' mean above which its future counts as rising. */
const RISING = 1.5;

/** ISO date of a `date` column however the driver rendered it (a string, or a Date's text). */
function isoDay(value: string): string {
  return /^\d{4}-\d{2}-\d{2}/.test(value) ? value.slice(0, 10) : new Date(value).toISOString().slice(0, 10);
}

/** The history the API shows, as a regular weekly series (weeks without dispensing count as 0, as in training). */
function historyOf(series: ApiForecastSeries): TimeSeries | undefined {
  const points = series.history
    .map((h) => ({ t: Date.parse(`${isoDay(h.periodStart)}T00:00:00Z`), v: h.value }))
    .sort((a, b) => a.t - b.t);
  if (points.length === 0) return undefined;
  const first = points[0]!.t;
  const values = new Array<number>(Math.round((points[points.length - 1]!.t - first) / WEEK_MS) + 1).fill(0);
  for (const p of points) values[Math.round((p.t - first) / WEEK_MS)] = p.v;
  return { id: series.seriesId, start: isoDay(new Date(first).toISOString()), frequency: 'weekly', values };
}

/** What the network dispensed in a week, from the simulator's ground truth (`gtin@region` series). */
function truthOf(
  truth: readonly DispensedSeries[],
): (gtin: string, region: string, week: string) => number | undefined {
  const byId = new Map(truth.map((s) => [s.seriesId, s]));
  return (gtin, region, week) => {
    const series = byId.get(`${gtin}@${region}`);
    if (!series) return undefined;
    const index = Math.round(
      (Date.parse(`${week}T00:00:00Z`) - Date.parse(`${series.start}T00:00:00Z`)) / WEEK_MS,
    );
    return index >= 0 && index < series.values.length ? series.values[index] : undefined;
  };
}

interface ScoredSeries {
  series: ApiForecastSeries;
  history: TimeSeries;
  weeks: string[];
  actual: number[];
}

export async function scoreLiveForecasts(
  api: readonly ApiForecastSeries[],
  truth: readonly DispensedSeries[],
): Promise<LiveForecastReport> {
  const scored = withOutcomes(api, truth);
  const points = scored.reduce((n, s) => n + s.actual.length, 0);
  const mase = { intelligence: mean(scored.flatMap(intelligenceMase)), ...(await baselineMase(scored)) };
  const best = Object.entries(mase)
    .filter(([name]) => name !== 'intelligence')
    .sort((a, b) => a[1] - b[1])[0]!;
  const bestFlat = mean(scored.flatMap(bestFlatMase));
  return {
    modelVersion: scored[0]!.series.modelVersion,
    method: scored[0]!.series.method,
    series: scored.length,
    points,
    mase,
    bestBaseline: { name: best[0], mase: best[1] },
    ratio: mase.intelligence / best[1],
    coverage80: covered(scored, 'p10', 'p90') / points,
    coverage95: covered(scored, 'p025', 'p975') / points,
    bestFlat: { mase: bestFlat, ratioToBestBaseline: bestFlat / best[1] },
    coverageByRegime: {
      steady: regimeCoverage(scored.filter((s) => !rising(s))),
      rising: regimeCoverage(scored.filter(rising)),
    },
  };
}

function rising(s: ScoredSeries): boolean {
  return mean(s.actual) > RISING * Math.max(mean(s.history.values.slice(-8)), 0.1);
}

function regimeCoverage(scored: readonly ScoredSeries[]) {
  const points = scored.reduce((n, s) => n + s.actual.length, 0);
  return {
    points,
    coverage80: points ? covered(scored, 'p10', 'p90') / points : NaN,
    coverage95: points ? covered(scored, 'p025', 'p975') / points : NaN,
  };
}

/** The API's series with the forecast weeks whose outcome the simulated future knows. */
function withOutcomes(api: readonly ApiForecastSeries[], truth: readonly DispensedSeries[]): ScoredSeries[] {
  const actualIn = truthOf(truth);
  const scored: ScoredSeries[] = [];
  for (const series of api) {
    const history = historyOf(series);
    const region = series.region;
    if (!history || !region) continue;
    const known = series.forecast.filter(
      (f) => actualIn(series.gtin, region, isoDay(f.periodStart)) !== undefined,
    );
    if (known.length === 0) continue;
    const weeks = known.map((f) => isoDay(f.periodStart));
    const actual = weeks.map((w) => actualIn(series.gtin, region, w)!);
    scored.push({ series: { ...series, forecast: known }, history, weeks, actual });
  }
  if (scored.length === 0)
    throw new Error(
      `none of the API's ${api.length} forecast series has both a history and a week inside the simulated future ` +
        `(first: ${JSON.stringify(api[0] ? { ...api[0], history: api[0].history.slice(-2) } : null)})`,
    );
  return scored;
}

function intelligenceMase(s: ScoredSeries): number[] {
  const m = mase(
    s.actual,
    s.series.forecast.map((r) => r.p50),
    s.history.values,
    SEASON,
  );
  return m === undefined ? [] : [m];
}

/** MASE of the flat forecast at the median of the series' scored future (the flat forecast of least absolute error). */
function bestFlatMase(s: ScoredSeries): number[] {
  const sorted = [...s.actual].sort((a, b) => a - b);
  const level = ((sorted[(sorted.length - 1) >> 1] as number) + (sorted[sorted.length >> 1] as number)) / 2;
  const m = mase(
    s.actual,
    s.actual.map(() => level),
    s.history.values,
    SEASON,
  );
  return m === undefined ? [] : [m];
}

/** Actuals inside [lower, upper] over every scored week. */
function covered(scored: readonly ScoredSeries[], lower: 'p10' | 'p025', upper: 'p90' | 'p975'): number {
  return scored.reduce(
    (n, s) =>
      n +
      coverage(
        s.actual,
        s.series.forecast.map((r) => r[lower]),
        s.series.forecast.map((r) => r[upper]),
      ) *
        s.actual.length,
    0,
  );
}

/** Mean MASE of each library baseline, fitted here on the histories the API shows. */
async function baselineMase(scored: readonly ScoredSeries[]): Promise<Record<string, number>> {
  const horizon = Math.max(...scored.map((s) => s.series.forecast.length));
  const histories = scored.map((s) => s.history);
  const out: Record<string, number> = {};
  for (const baseline of createBaselines()) {
    const fitted = await baseline.fit(histories, { horizon, seasonPeriod: SEASON, seed: 1 });
    const forecasts = new Map((await fitted.forecast(histories, horizon)).map((f) => [f.id, f]));
    out[baseline.name] = mean(
      scored.flatMap((s) => {
        // Horizon h is the week h after the history's last week, as for the service's forecasts.
        const last = Date.parse(`${s.history.start}T00:00:00Z`) + (s.history.values.length - 1) * WEEK_MS;
        const point = s.weeks.map(
          (w) =>
            forecasts.get(s.history.id)!.point[
              Math.round((Date.parse(`${w}T00:00:00Z`) - last) / WEEK_MS) - 1
            ] ?? 0,
        );
        const m = mase(s.actual, point, s.history.values, SEASON);
        return m === undefined ? [] : [m];
      }),
    );
  }
  return out;
}

function mean(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
}
