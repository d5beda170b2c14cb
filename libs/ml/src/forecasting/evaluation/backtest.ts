/**
 * Rolling-origin evaluation (fpp3 §5.10 "time series cross-validation"): for each origin, every method is
 * fitted on the history before it and forecasts the next `horizon` periods, which are then scored.
 * Origins are counted back from the end of each series (series ending on different dates are aligned at
 * their ends): the last origin leaves exactly `horizon` periods, earlier ones are `step` periods apart.
 *
 * MASE is scaled by the in-sample MAE of the seasonal naive method (lag = season period) on the history
 * before each origin, computed per series and origin, then averaged over all series and origins.
 */
import { fitCached, type FitCache, type Forecaster, type TimeSeries } from '../core/forecast.types';
import { SEASON_PERIOD } from '../core/calendar';
import { ForecastInputError } from '../core/forecast.errors';
import { coverage, maseScale, smape } from './metrics';

export interface BacktestOptions {
  horizon: number;
  origins: number;
  step: number;
  /** Seasonal period for seasonal baselines and the MASE scale (default: from the series' frequency, 52 for weekly). */
  seasonPeriod?: number;
  /** Series with a shorter history at an origin are left out of that origin for every method alike. */
  minHistory?: number;
  seed?: number;
  /** Called after each method at each origin (progress bars, logs). */
  onProgress?: (event: { origin: number; origins: number; method: string; seconds: number }) => void;
  /** Keep each method's per-(origin, series) MASE, in the same order for every method (for paired tests). */
  keepErrors?: boolean;
}

export interface MethodScore {
  method: string;
  /** Mean MASE over series × origins (scale: in-sample seasonal-naive MAE). */
  mase: number;
  /** Mean sMAPE in percent (0–200). */
  smape: number;
  /** Share of actuals inside the 80% / 95% intervals. */
  coverage80: number;
  coverage95: number;
  /** Mean MASE contribution per horizon (|error_h| / scale). */
  maseByHorizon: number[];
  forecasts: number;
  seconds: number;
  /** Per-(origin, series) MASE when `keepErrors` is set (NaN where the scale is unusable). */
  errors?: number[];
  /** What the method reported choosing at each origin (model selection). */
  chosen?: string[];
}

export interface BacktestResult {
  horizon: number;
  origins: number;
  step: number;
  seasonPeriod: number;
  series: number;
  /** (series, origin) pairs scored; pairs without a usable MASE scale are excluded from MASE only. */
  evaluated: number;
  excludedFromMase: number;
  methods: MethodScore[];
}

interface Accumulator {
  maseSum: number;
  maseCount: number;
  smapeSum: number;
  covered80: number;
  covered95: number;
  points: number;
  byHorizon: number[];
  forecasts: number;
  seconds: number;
  chosen: string[];
  errors: number[];
}

export async function backtest(
  series: readonly TimeSeries[],
  methods: readonly Forecaster[],
  options: BacktestOptions,
): Promise<BacktestResult> {
  const { horizon, origins, step } = options;
  const seasonPeriod = options.seasonPeriod ?? SEASON_PERIOD[series[0]?.frequency ?? 'weekly'];
  if (!(horizon >= 1 && origins >= 1 && step >= 1)) {
    throw new ForecastInputError('BAD_OPTION', 'horizon, origins and step must be positive integers');
  }
  const minHistory = options.minHistory ?? Math.max(2 * horizon, 4);
  const accumulators = new Map<Forecaster, Accumulator>(
    methods.map((m) => [
      m,
      {
        maseSum: 0,
        maseCount: 0,
        smapeSum: 0,
        covered80: 0,
        covered95: 0,
        points: 0,
        byHorizon: new Array<number>(horizon).fill(0),
        forecasts: 0,
        seconds: 0,
        chosen: [],
        errors: [],
      },
    ]),
  );
  let evaluated = 0;
  let excluded = 0;

  for (let k = 0; k < origins; k++) {
    const back = horizon + (origins - 1 - k) * step;
    const histories: TimeSeries[] = [];
    const actuals: number[][] = [];
    for (const s of series) {
      const cut = s.values.length - back;
      if (cut < minHistory) continue;
      histories.push({ ...s, values: s.values.slice(0, cut) });
      actuals.push(s.values.slice(cut, cut + horizon));
    }
    if (histories.length === 0) continue;
    const scales = histories.map((h) => maseScale(h.values, seasonPeriod));
    evaluated += histories.length;
    excluded += scales.filter((s) => s === undefined).length;
    const cache: FitCache = new Map();
    for (const method of methods) {
      const started = Date.now();
      const fitted = await fitCached(method, histories, {
        horizon,
        seasonPeriod,
        cache,
        ...(options.seed === undefined ? {} : { seed: options.seed }),
      });
      const forecasts = await fitted.forecast(histories, horizon);
      const seconds = (Date.now() - started) / 1000;
      const acc = accumulators.get(method) as Accumulator;
      acc.seconds += seconds;
      const chosen = fitted.info?.chosen;
      if (typeof chosen === 'string') acc.chosen.push(chosen);
      forecasts.forEach((forecast, i) => {
        const actual = actuals[i] as number[];
        const scale = scales[i];
        const point = forecast.point.slice(0, horizon);
        if (scale === undefined && options.keepErrors) acc.errors.push(Number.NaN);
        if (scale !== undefined) {
          let sum = 0;
          for (let h = 0; h < horizon; h++) {
            const scaled = Math.abs((actual[h] as number) - (point[h] as number)) / scale;
            acc.byHorizon[h] = (acc.byHorizon[h] as number) + scaled;
            sum += scaled;
          }
          acc.maseSum += sum / horizon;
          if (options.keepErrors) acc.errors.push(sum / horizon);
          acc.maseCount++;
        }
        acc.smapeSum += smape(actual, point);
        acc.covered80 += coverage(actual, forecast.quantiles[0.1], forecast.quantiles[0.9]) * horizon;
        acc.covered95 += coverage(actual, forecast.quantiles[0.025], forecast.quantiles[0.975]) * horizon;
        acc.points += horizon;
        acc.forecasts++;
      });
      options.onProgress?.({ origin: k + 1, origins, method: method.name, seconds });
    }
  }

  return {
    horizon,
    origins,
    step,
    seasonPeriod,
    series: series.length,
    evaluated,
    excludedFromMase: excluded,
    methods: methods.map((method) => {
      const acc = accumulators.get(method) as Accumulator;
      return {
        method: method.name,
        mase: acc.maseSum / acc.maseCount,
        smape: acc.smapeSum / acc.forecasts,
        coverage80: acc.covered80 / acc.points,
        coverage95: acc.covered95 / acc.points,
        maseByHorizon: acc.byHorizon.map((s) => s / acc.maseCount),
        forecasts: acc.forecasts,
        seconds: acc.seconds,
        ...(acc.chosen.length ? { chosen: acc.chosen } : {}),
        ...(options.keepErrors ? { errors: acc.errors } : {}),
      };
    }),
  };
}
