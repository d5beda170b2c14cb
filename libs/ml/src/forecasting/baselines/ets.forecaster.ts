/**
 * Additive-error exponential smoothing (Hyndman et al., "Forecasting with Exponential Smoothing", and
 * fpp3 §8): level, optional (damped) additive trend, optional additive season. Smoothing parameters and
 * the initial level/trend are fitted by minimising the in-sample one-step squared error (Nelder-Mead);
 * initial seasonal states come from a classical decomposition of the first seasons. `EtsForecaster`
 * picks among ETS(A,N,N), ETS(A,Ad,N), ETS(A,N,A), ETS(A,Ad,A) by AICc, `SesForecaster` is ETS(A,N,N).
 */
import { LocalForecaster, residualForecast, type LocalContext } from './local.forecaster';
import { naiveForecast } from './naive.forecaster';
import { nelderMead } from '../core/nelder-mead';
import type { SeriesForecast } from '../core/forecast.types';

export type EtsTrend = 'none' | 'damped';
export type EtsSeason = 'none' | 'additive';

export interface EtsSpec {
  trend: EtsTrend;
  season: EtsSeason;
}

export interface EtsParameters {
  alpha: number;
  beta: number;
  gamma: number;
  phi: number;
}

export interface EtsInitialState {
  level: number;
  trend: number;
  /** Seasonal states for periods 0..m-1 of the series (i.e. s_{-m+1..0} in the book's notation). */
  season: number[];
}

export interface EtsFit {
  spec: EtsSpec;
  params: EtsParameters;
  initial: EtsInitialState;
  /** States after the last observation. */
  level: number;
  trend: number;
  /** Seasonal state for each position t mod m, updated through the last observation. */
  season: number[];
  seasonPeriod: number;
  n: number;
  sse: number;
  residuals: number[];
  /** Number of estimated parameters (smoothing + initial states), used by the AICc. */
  parameterCount: number;
  aicc: number;
}

/** Damping bounds used by the forecast package: φ below 0.8 is rarely sensible, above 0.98 barely damps. */
const PHI_MIN = 0.8;
const PHI_MAX = 0.98;
const EPS = 1e-4;

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
const logit = (p: number) => Math.log(p / (1 - p));

/** Runs the state-space recursions; returns the SSE, one-step residuals and the final states. */
export function etsFilter(
  values: readonly number[],
  spec: EtsSpec,
  params: EtsParameters,
  initial: EtsInitialState,
  seasonPeriod: number,
): { sse: number; residuals: number[]; level: number; trend: number; season: number[] } {
  const seasonal = spec.season === 'additive';
  const trended = spec.trend === 'damped';
  const { alpha, beta, gamma, phi } = params;
  const season = seasonal ? [...initial.season] : [];
  let level = initial.level;
  let trend = trended ? initial.trend : 0;
  let sse = 0;
  const residuals = new Array<number>(values.length);
  for (let t = 0; t < values.length; t++) {
    const position = seasonal ? t % seasonPeriod : 0;
    const damped = trended ? phi * trend : 0;
    const s = seasonal ? (season[position] as number) : 0;
    const error = (values[t] as number) - (level + damped + s);
    residuals[t] = error;
    sse += error * error;
    level = level + damped + alpha * error;
    if (trended) trend = damped + beta * error;
    if (seasonal) season[position] = s + gamma * error;
  }
  return { sse, residuals, level, trend, season };
}

/** Least-squares line through points (0, y0), (1, y1), … → intercept and slope. */
function linearFit(ys: readonly number[]): { intercept: number; slope: number } {
  const n = ys.length;
  if (n < 2) return { intercept: ys[0] ?? 0, slope: 0 };
  const meanX = (n - 1) / 2;
  const meanY = ys.reduce((s, y) => s + y, 0) / n;
  let sxy = 0;
  let sxx = 0;
  ys.forEach((y, x) => {
    sxy += (x - meanX) * (y - meanY);
    sxx += (x - meanX) * (x - meanX);
  });
  const slope = sxx > 0 ? sxy / sxx : 0;
  return { intercept: meanY - slope * meanX, slope };
}

/**
 * Heuristic initial states: seasonal indices from a 2×m centred moving average over the first (up to
 * four) seasons, normalised to sum to zero; level and trend from a line through the first deseasonalised
 * points, extrapolated one step back to time 0.
 */
export function initialStates(values: readonly number[], spec: EtsSpec, m: number): EtsInitialState {
  const season = new Array<number>(m).fill(0);
  if (spec.season === 'additive') {
    const seasons = Math.min(4, Math.floor(values.length / m));
    const span = values.slice(0, seasons * m);
    const sums = new Array<number>(m).fill(0);
    const counts = new Array<number>(m).fill(0);
    const half = Math.floor(m / 2);
    for (let t = half; t < span.length - half; t++) {
      let ma: number;
      if (m % 2 === 0) {
        let s = 0.5 * ((span[t - half] as number) + (span[t + half] as number));
        for (let k = t - half + 1; k < t + half; k++) s += span[k] as number;
        ma = s / m;
      } else {
        let s = 0;
        for (let k = t - half; k <= t + half; k++) s += span[k] as number;
        ma = s / m;
      }
      sums[t % m] = (sums[t % m] as number) + (span[t] as number) - ma;
      counts[t % m] = (counts[t % m] as number) + 1;
    }
    for (let j = 0; j < m; j++)
      season[j] = (counts[j] as number) > 0 ? (sums[j] as number) / (counts[j] as number) : 0;
    const mean = season.reduce((s, x) => s + x, 0) / m;
    for (let j = 0; j < m; j++) season[j] = (season[j] as number) - mean;
  }
  const head = spec.season === 'additive' ? 2 * m : 10;
  const deseasonalised = values
    .slice(0, Math.min(values.length, head))
    .map((y, t) => y - (season[t % m] ?? 0));
  const { intercept, slope } = linearFit(deseasonalised);
  const trend = spec.trend === 'damped' ? slope : 0;
  return { level: intercept - trend, trend, season };
}

/** Fits one ETS specification; undefined when the series is too short for it. */
export function fitEts(
  values: readonly number[],
  spec: EtsSpec,
  seasonPeriod: number,
  options: { maxIterations?: number } = {},
): EtsFit | undefined {
  const n = values.length;
  const seasonal = spec.season === 'additive';
  const trended = spec.trend === 'damped';
  const m = seasonal ? seasonPeriod : 1;
  if (seasonal && (seasonPeriod <= 1 || n < 2 * seasonPeriod)) return undefined;
  if (n < (trended ? 5 : 3)) return undefined;

  const init = initialStates(values, spec, m);
  const mean = values.reduce((s, y) => s + y, 0) / n;
  const spread =
    Math.sqrt(values.reduce((s, y) => s + (y - mean) * (y - mean), 0) / n) || Math.abs(mean) || 1;

  // Unconstrained coordinates: α' (, β') (, γ') (, φ'), l0 (, b0).
  const decode = (x: readonly number[]): { params: EtsParameters; initial: EtsInitialState } => {
    let i = 0;
    const alpha = EPS + (1 - 2 * EPS) * sigmoid(x[i++] as number);
    const beta = trended ? alpha * sigmoid(x[i++] as number) : 0;
    const gamma = seasonal ? (1 - alpha) * sigmoid(x[i++] as number) : 0;
    const phi = trended ? PHI_MIN + (PHI_MAX - PHI_MIN) * sigmoid(x[i++] as number) : 1;
    const level = x[i++] as number;
    const trend = trended ? (x[i++] as number) : 0;
    return { params: { alpha, beta, gamma, phi }, initial: { level, trend, season: init.season } };
  };
  const coordinates: [start: number, step: number][] = [[logit(0.2), 1]];
  if (trended) coordinates.push([logit(0.2), 1]);
  if (seasonal) coordinates.push([logit(0.1), 1]);
  if (trended) coordinates.push([0, 1]);
  coordinates.push([init.level, 0.2 * spread]);
  if (trended) coordinates.push([init.trend, 0.02 * spread]);
  const start = coordinates.map(([x]) => x);
  const steps = coordinates.map(([, step]) => step);

  const objective = (x: readonly number[]) => {
    const { params, initial } = decode(x);
    return etsFilter(values, spec, params, initial, m).sse / n;
  };
  const best = nelderMead(objective, start, {
    step: steps,
    maxIterations: options.maxIterations ?? 150 * start.length,
    tolerance: 1e-7,
  });
  const { params, initial } = decode(best.x);
  const run = etsFilter(values, spec, params, initial, m);
  const parameterCount = start.length + (seasonal ? m - 1 : 0) + 1; // + σ²
  const mse = Math.max(run.sse / n, 1e-12);
  const aicc =
    n - parameterCount - 1 > 0
      ? n * Math.log(mse) +
        2 * parameterCount +
        (2 * parameterCount * (parameterCount + 1)) / (n - parameterCount - 1)
      : Number.POSITIVE_INFINITY;
  return {
    spec,
    params,
    initial,
    level: run.level,
    trend: run.trend,
    season: run.season,
    seasonPeriod: m,
    n,
    sse: run.sse,
    residuals: run.residuals,
    parameterCount,
    aicc,
  };
}

/** Point forecasts and the h-step variance multiplier 1 + Σ_{j<h} c_j², c_j = α + βφ_j + γ·[j ≡ 0 mod m]. */
export function etsPointForecast(
  fit: EtsFit,
  horizon: number,
): { point: number[]; multiplier: (h: number) => number } {
  const { alpha, beta, gamma, phi } = fit.params;
  const trended = fit.spec.trend === 'damped';
  const seasonal = fit.spec.season === 'additive';
  const point: number[] = [];
  let phiSum = 0;
  for (let h = 1; h <= horizon; h++) {
    phiSum += trended ? Math.pow(phi, h) : 0;
    const s = seasonal ? (fit.season[(fit.n + h - 1) % fit.seasonPeriod] as number) : 0;
    point.push(fit.level + phiSum * fit.trend + s);
  }
  const multipliers = [1];
  let acc = 1;
  let phiJ = 0;
  for (let j = 1; j < horizon; j++) {
    phiJ += trended ? Math.pow(phi, j) : 0;
    const c = alpha + (trended ? beta * phiJ : 0) + (seasonal && j % fit.seasonPeriod === 0 ? gamma : 0);
    acc += c * c;
    multipliers.push(acc);
  }
  return { point, multiplier: (h) => multipliers[Math.min(h, horizon) - 1] ?? acc };
}

export function etsForecastFromFit(fit: EtsFit, context: LocalContext): SeriesForecast {
  const { point, multiplier } = etsPointForecast(fit, context.horizon);
  return residualForecast(context, point, fit.residuals, multiplier);
}

export const ETS_CANDIDATES: readonly EtsSpec[] = [
  { trend: 'none', season: 'none' },
  { trend: 'damped', season: 'none' },
  { trend: 'none', season: 'additive' },
  { trend: 'damped', season: 'additive' },
];

/** The ETS candidate with the lowest AICc (undefined when the series is too short for any). */
export function selectEts(
  values: readonly number[],
  seasonPeriod: number,
  candidates = ETS_CANDIDATES,
): EtsFit | undefined {
  let best: EtsFit | undefined;
  for (const spec of candidates) {
    const fit = fitEts(values, spec, seasonPeriod);
    if (fit && (!best || fit.aicc < best.aicc)) best = fit;
  }
  return best;
}

export function etsForecast(values: readonly number[], context: LocalContext): SeriesForecast {
  const fit = selectEts(values, context.seasonPeriod);
  return fit ? etsForecastFromFit(fit, context) : naiveForecast(values, context);
}

export function sesForecast(values: readonly number[], context: LocalContext): SeriesForecast {
  const fit = fitEts(values, { trend: 'none', season: 'none' }, 1);
  return fit ? etsForecastFromFit(fit, context) : naiveForecast(values, context);
}

/** Simple exponential smoothing, ETS(A,N,N): flat forecasts at the smoothed level. */
export class SesForecaster extends LocalForecaster {
  constructor() {
    super('ses', sesForecast);
  }
}

/** ETS chosen by AICc among additive-error models with optional damped trend and additive season. */
export class EtsForecaster extends LocalForecaster {
  constructor() {
    super('ets', etsForecast);
  }
}
