/**
 * Model selection that keeps the promise "never worse than the best baseline": per data set (and per
 * series group when groups are large enough), candidates are compared by MASE on inner validation
 * windows (the periods just before the forecast origin, never the periods being forecast).
 *
 * Two decisions, each on the evidence that suits it:
 * 1. The best baseline is picked on several consecutive validation windows (baselines are cheap to refit),
 *    because which simple method suits a data set is stable but one window is a noisy judge of it.
 * 2. The challenger (the global model) replaces that baseline only if it beats it by `margin` on the
 *    window(s) the model itself held out of training.
 */
import {
  fitCached,
  type FitOptions,
  type FittedForecaster,
  type Forecaster,
  type SeriesForecast,
  type TimeSeries,
} from '../core/forecast.types';
import {
  applyIntervalAdjustment,
  fitIntervalAdjustment,
  recentLevel,
  type CalibrationItem,
  type IntervalAdjustment,
} from '../core/conformal';
import { mase } from '../evaluation/metrics';

export type SeriesGroup = 'smooth' | 'intermittent';
type GroupKey = SeriesGroup | 'all';

export interface ModelSelectionOptions {
  name?: string;
  /** Every method to choose from (baselines and models). */
  candidates: Forecaster[];
  /** The challenger (the global model): chosen only if it beats the best other candidate by `margin`. */
  primary?: Forecaster;
  /** Relative MASE improvement the primary needs on validation (default 0.02 = 2%). */
  margin?: number;
  /** Consecutive validation windows used to rank the other candidates (default 6, about a year of weeks). */
  baselineWindows?: number;
  /** Choose separately for smooth and intermittent series (default), or once for the data set. */
  groupBy?: 'intermittency' | 'none';
  /** Groups with fewer validation series than this are merged (choices on a handful of series are noise). */
  minGroupSize?: number;
  /**
   * Conformally recalibrate the chosen method's intervals on the validation window (default true);
   * methods whose fit reports `info.calibrated` (the global model) are left as they are.
   */
  recalibrate?: boolean;
}

export interface SelectionDecision {
  group: GroupKey;
  chosen: string;
  series: number;
  /** The best non-primary candidate over all validation windows, and its score there. */
  bestBaseline?: { method: string; mase: number; windows: number };
  /** The primary against the best baseline on the head-to-head window. */
  challenger?: PairedComparison;
  /** Mean MASE per candidate on the primary's validation window (the head-to-head). */
  scores: Record<string, number>;
}

export interface PairedComparison {
  /** Relative difference of mean MASE, challenger vs incumbent (negative = challenger better). */
  relative: number;
  /** Paired t statistic of the per-series differences. */
  t: number;
  series: number;
  /** One-sided 5% test that the challenger is better. */
  significant: boolean;
}

/**
 * Paired comparison of per-series errors. The challenger must be better on average by the margin *and*
 * consistently across series (one-sided paired t-test at 5%): on five series a lucky week is not evidence,
 * on hundreds a real gain passes easily.
 */
export function pairedComparison(
  challenger: readonly number[],
  incumbent: readonly number[],
): PairedComparison {
  const n = Math.min(challenger.length, incumbent.length);
  if (n === 0) return { relative: 0, t: 0, series: 0, significant: false };
  const diffs = Array.from({ length: n }, (_, i) => (challenger[i] as number) - (incumbent[i] as number));
  const meanDiff = mean(diffs);
  const incumbentMean = mean(incumbent.slice(0, n));
  const variance = n > 1 ? diffs.reduce((a, d) => a + (d - meanDiff) * (d - meanDiff), 0) / (n - 1) : 0;
  const se = Math.sqrt(variance / n);
  const t = se > 0 ? meanDiff / se : meanDiff < 0 ? Number.NEGATIVE_INFINITY : 0;
  return {
    relative: incumbentMean > 0 ? meanDiff / incumbentMean : 0,
    t,
    series: n,
    significant: n >= 2 && t < -studentT95(n - 1),
  };
}

/** One-sided 95% quantile of Student's t: exact for df ≤ 3, Cornish-Fisher expansion (within 1%) above. */
export function studentT95(df: number): number {
  const table = [6.314, 2.92, 2.353];
  if (df <= 3) return table[Math.max(1, df) - 1] as number;
  const z = 1.6448536;
  return z + (z ** 3 + z) / (4 * df) + (5 * z ** 5 + 16 * z ** 3 + 3 * z) / (96 * df * df);
}

/**
 * Syntetos-Boylan classification: average inter-demand interval above 1.32 (over the last two seasons)
 * marks a series intermittent, where Croston-type methods and zero-heavy forecasts compete.
 */
export function classifySeries(values: readonly number[], seasonPeriod: number): SeriesGroup {
  const window = values.slice(-Math.max(2 * seasonPeriod, 26));
  const nonZero = window.filter((v) => v !== 0).length;
  if (nonZero === 0) return 'intermittent';
  return window.length / nonZero > 1.32 ? 'intermittent' : 'smooth';
}

/** Per-series validation MASE of one candidate on the window ending `back` periods before the end. */
type WindowErrors = (number | undefined)[];

function scoreWindow(
  histories: readonly TimeSeries[],
  forecasts: readonly SeriesForecast[],
  back: number,
  length: number,
  seasonPeriod: number,
): WindowErrors {
  return histories.map((s, i) => {
    const cut = s.values.length - back;
    const history = s.values.slice(0, Math.max(0, cut));
    const actual = s.values.slice(Math.max(0, cut), Math.max(0, cut) + length);
    const forecast = forecasts[i];
    // Too little history before the window says more about the window than about the method.
    if (!forecast || cut < 2 * length || actual.length === 0) return undefined;
    return mase(actual, forecast.point.slice(0, actual.length), history, seasonPeriod);
  });
}

/**
 * The validation window's length: the horizon, or shorter when the histories are young. A window is scored only with
 * twice its length of history before it, so 20 weeks of history and an 8-week horizon left nothing to score: every
 * candidate tied at "no evidence", the first in the list (naive) won, and the intervals were never recalibrated.
 */
export function validationLength(histories: readonly TimeSeries[], preferred: number): number {
  const lengths = histories.map((s) => s.values.length).sort((a, b) => a - b);
  const median = lengths[Math.floor(lengths.length / 2)] ?? 0;
  return Math.max(1, Math.min(preferred, Math.floor(median / 3)));
}

/**
 * The primary against the best baseline over every window the primary held out, series × window pairs: one window
 * is a noisy judge when a season makes it far harder for one method than the next window will be.
 */
function headToHeadComparison(
  primary: readonly WindowErrors[],
  baseline: readonly WindowErrors[],
  members: readonly number[],
): PairedComparison {
  const x: number[] = [];
  const y: number[] = [];
  primary.forEach((window, w) => {
    for (const i of members) {
      const a = window[i];
      const b = baseline[w]?.[i];
      if (a !== undefined && b !== undefined) {
        x.push(a);
        y.push(b);
      }
    }
  });
  return pairedComparison(x, y);
}

function truncate(histories: readonly TimeSeries[], back: number): TimeSeries[] {
  return histories.map((s) => ({ ...s, values: s.values.slice(0, Math.max(0, s.values.length - back)) }));
}

function mean(values: readonly number[]): number {
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : Number.POSITIVE_INFINITY;
}

export class ModelSelectionForecaster implements Forecaster {
  readonly name: string;
  private readonly margin: number;
  private readonly baselineWindows: number;
  private readonly groupBy: 'intermittency' | 'none';
  private readonly minGroupSize: number;
  private readonly recalibrate: boolean;

  constructor(private readonly options: ModelSelectionOptions) {
    this.name = options.name ?? 'auto';
    this.margin = options.margin ?? 0.02;
    this.baselineWindows = Math.max(1, options.baselineWindows ?? 6);
    this.groupBy = options.groupBy ?? 'intermittency';
    this.minGroupSize = options.minGroupSize ?? 20;
    this.recalibrate = options.recalibrate ?? true;
    if (options.candidates.length === 0) throw new RangeError('Model selection needs at least one candidate');
  }

  async fit(histories: readonly TimeSeries[], fitOptions: FitOptions): Promise<FittedForecaster> {
    const { seasonPeriod } = fitOptions;
    const fitted = new Map<Forecaster, FittedForecaster>();
    const failures: Record<string, string> = {};
    for (const candidate of this.options.candidates) {
      try {
        fitted.set(candidate, await fitCached(candidate, histories, fitOptions));
      } catch (error) {
        // A model that cannot be trained on this data (too short, say) is simply not a candidate.
        failures[candidate.name] = error instanceof Error ? error.message : String(error);
      }
    }
    if (fitted.size === 0) throw new Error(`No candidate could be fitted: ${JSON.stringify(failures)}`);

    const primary =
      this.options.primary && fitted.has(this.options.primary) ? this.options.primary : undefined;
    const length = validationLength(
      histories,
      (primary && fitted.get(primary)?.holdout?.length) || fitOptions.horizon,
    );

    // errors.get(candidate)[w] = per-series MASE on window w (w = 0 is the most recent, ending at the origin).
    const errors = new Map<Forecaster, WindowErrors[]>();
    const latest = new Map<Forecaster, readonly SeriesForecast[]>();
    for (const [candidate, fit] of fitted) {
      const held =
        fit.holdout?.length === length ? [fit.holdout.forecasts, ...(fit.holdout.earlier ?? [])] : [];
      const windows = candidate === primary ? Math.max(1, held.length) : this.baselineWindows;
      const perWindow: WindowErrors[] = [];
      for (let w = 0; w < windows; w++) {
        const back = (w + 1) * length;
        try {
          let forecasts: readonly SeriesForecast[];
          if (held[w]) {
            forecasts = held[w];
          } else {
            const early = truncate(histories, back);
            const refit = await candidate.fit(early, { ...fitOptions, cache: undefined });
            forecasts = await refit.forecast(early, length);
          }
          perWindow.push(scoreWindow(histories, forecasts, back, length, seasonPeriod));
          if (w === 0) latest.set(candidate, forecasts);
        } catch (error) {
          if (w === 0) failures[candidate.name] = error instanceof Error ? error.message : String(error);
          break;
        }
      }
      if (perWindow.length) errors.set(candidate, perWindow);
    }
    const scoredCandidates = [...errors.keys()];
    if (scoredCandidates.length === 0)
      throw new Error(`No candidate could be validated: ${JSON.stringify(failures)}`);

    // Groups by the history before the validation window; merged when any is too small to judge.
    const recent = truncate(histories, length);
    let groups = new Map<GroupKey, number[]>();
    recent.forEach((s, i) => {
      const key: GroupKey = this.groupBy === 'none' ? 'all' : classifySeries(s.values, seasonPeriod);
      const members = groups.get(key);
      if (members) members.push(i);
      else groups.set(key, [i]);
    });
    const usableOnFirstWindow = (i: number) =>
      scoredCandidates.every((c) => errors.get(c)?.[0]?.[i] !== undefined);
    if (
      [...groups.values()].some((members) => members.filter(usableOnFirstWindow).length < this.minGroupSize)
    ) {
      groups = new Map([['all', histories.map((_, i) => i)]]);
    }

    const decisions: SelectionDecision[] = [];
    const chosenByGroup = new Map<GroupKey, FittedForecaster>();
    const adjustments = new Map<GroupKey, IntervalAdjustment>();
    for (const [group, members] of groups) {
      // 1. Best non-primary candidate over all its windows (on series × windows scored for every one of them).
      const others = scoredCandidates.filter((c) => c !== primary);
      let best: { candidate: Forecaster; score: number; windows: number } | undefined;
      const windows = Math.min(...others.map((c) => errors.get(c)?.length ?? 0));
      for (const candidate of others) {
        const values: number[] = [];
        for (let w = 0; w < windows; w++) {
          for (const i of members) {
            if (others.every((c) => errors.get(c)?.[w]?.[i] !== undefined)) {
              values.push(errors.get(candidate)?.[w]?.[i] as number);
            }
          }
        }
        const score = mean(values);
        if (!best || score < best.score) best = { candidate, score, windows };
      }
      // 2. Head-to-head on the most recent window.
      const headToHead = members.filter(usableOnFirstWindow);
      const scores: Record<string, number> = {};
      for (const candidate of scoredCandidates) {
        scores[candidate.name] = mean(headToHead.map((i) => errors.get(candidate)?.[0]?.[i] as number));
      }
      let chosen = best?.candidate;
      let advantage: PairedComparison | undefined;
      if (primary) {
        if (best) {
          advantage = headToHeadComparison(
            errors.get(primary) ?? [],
            errors.get(best.candidate) ?? [],
            members,
          );
          if (advantage.relative <= -this.margin && advantage.significant) chosen = primary;
        } else {
          chosen = primary;
        }
      }
      chosen ??= scoredCandidates[0] as Forecaster;
      const chosenFit = fitted.get(chosen) as FittedForecaster;
      chosenByGroup.set(group, chosenFit);
      // Recalibrate the chosen method's intervals on the validation window unless it calibrates itself.
      if (this.recalibrate && chosenFit.info?.calibrated !== true) {
        const forecasts = latest.get(chosen) ?? [];
        const items: CalibrationItem[] = [];
        for (const i of members) {
          const s = histories[i] as TimeSeries;
          const cut = s.values.length - length;
          const forecast = forecasts[i];
          if (!forecast || cut < 2 * length) continue;
          items.push({ forecast, actual: s.values.slice(cut), level: recentLevel(s.values.slice(0, cut)) });
        }
        if (items.length) adjustments.set(group, fitIntervalAdjustment(items, length));
      }
      decisions.push({
        group,
        chosen: chosen.name,
        series: members.length,
        ...(best
          ? { bestBaseline: { method: best.candidate.name, mase: best.score, windows: best.windows } }
          : {}),
        ...(advantage ? { challenger: advantage } : {}),
        scores,
      });
    }

    const groupBy = this.groupBy;
    const single = groups.has('all');
    return {
      method: this.name,
      parts: [...fitted.values()],
      info: {
        chosen: decisions.map((d) => (single ? d.chosen : `${d.group}: ${d.chosen}`)).join(', '),
        validationLength: length,
        decisions,
        ...(Object.keys(failures).length ? { failures } : {}),
      },
      async forecast(forecastHistories: readonly TimeSeries[], horizon: number): Promise<SeriesForecast[]> {
        const buckets = new Map<GroupKey, number[]>();
        forecastHistories.forEach((s, i) => {
          let key: GroupKey = single || groupBy === 'none' ? 'all' : classifySeries(s.values, seasonPeriod);
          if (!chosenByGroup.has(key)) key = chosenByGroup.keys().next().value as GroupKey;
          const members = buckets.get(key);
          if (members) members.push(i);
          else buckets.set(key, [i]);
        });
        const result = new Array<SeriesForecast>(forecastHistories.length);
        // Each chosen method forecasts all series at once and we keep its share: a global model's
        // inputs depend on the whole set (group aggregates), so a subset would change its forecasts.
        const byFit = new Map<FittedForecaster, SeriesForecast[]>();
        for (const fit of new Set(chosenByGroup.values())) {
          byFit.set(fit, await fit.forecast(forecastHistories, horizon));
        }
        for (const [key, indices] of buckets) {
          const forecasts = byFit.get(chosenByGroup.get(key) as FittedForecaster) ?? [];
          const adjustment = adjustments.get(key);
          for (const i of indices) {
            const forecast = forecasts[i] as SeriesForecast;
            result[i] = adjustment
              ? applyIntervalAdjustment(
                  forecast,
                  adjustment,
                  recentLevel((forecastHistories[i] as TimeSeries).values),
                )
              : forecast;
          }
        }
        return result;
      },
    };
  }
}
