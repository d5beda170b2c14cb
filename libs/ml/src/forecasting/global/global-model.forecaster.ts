/**
 * One network for all series ("global" model, as in the M4/M5 winners' approach): a window MLP on
 * per-series-scaled, log-transformed inputs (see window-features.ts: lags, year-ago windows, robust
 * levels, intermittency statistics, the series' group aggregate, yearly-phase harmonics) with a direct
 * multi-horizon output of five quantiles per horizon, trained with the pinball loss (the median weighted
 * up, since it is the point forecast; windows weighted so the loss tracks MASE). Dense layers only,
 * because they train on the wasm backend. A few members with different seeds are averaged.
 *
 * The last `holdoutWindows` × `calibrationLength` periods of every series are held out of training (one window
 * when histories are short): the model forecasts each window from the actual values before it (these
 * out-of-sample forecasts are exposed as `holdout`, which model selection judges the model on), and
 * split-conformal calibration (CQR, Romano et al. 2019) widens or narrows the 80% and 95% intervals so that
 * their coverage on the latest window is nominal.
 *
 * Determinism: seeded initialisers, our own seeded shuffling (mulberry32), no dropout, so one seed gives
 * identical forecasts on the same backend.
 */
import type * as TfNamespace from '@tensorflow/tfjs';
import { addPeriods } from '../core/calendar';
import { ForecastInputError } from '../core/forecast.errors';
import {
  QUANTILE_LEVELS,
  type FitOptions,
  type FittedForecaster,
  type Forecaster,
  type HoldoutForecasts,
  type QuantileLevel,
  type SeriesForecast,
  type TimeSeries,
} from '../core/forecast.types';
import { maseScale } from '../evaluation/metrics';
import { Random, deriveSeed } from '../../random/mulberry32';
import {
  loadModel,
  loadTf,
  saveModel,
  type ModelArtifact,
  type ModelMetadata,
  type Tf,
  type TfBackendName,
} from '../../tf/tf-runtime';
import {
  defaultFeatureConfig,
  featureCount,
  fromModelSpace,
  prepareAll,
  toModelSpace,
  windowScale,
  writeFeatures,
  type FeatureConfig,
  type PreparedSeries,
} from './window-features';

export const GLOBAL_MODEL_VERSION = 'global-mlp/1';

export interface GlobalModelOptions {
  /** Method name in reports. */
  name?: string;
  hidden?: number[];
  epochs?: number;
  batchSize?: number;
  learningRate?: number;
  /** Members trained with different seeds; their quantiles are averaged. */
  ensemble?: number;
  /** Periods held out at the end of each series for calibration and selection (default: the horizon). */
  calibrationLength?: number;
  /**
   * Consecutive windows of `calibrationLength` held out for model selection (default 3), fewer when histories are
   * short (each needs four times its length of median history). The model trains on what precedes them all and
   * forecasts each from the actual values before it; calibration uses the most recent.
   */
  holdoutWindows?: number;
  /** Recent values fed to the network (default: 26 for weekly data). */
  lags?: number;
  /** Sin/cos pairs of the yearly phase (default 3; 0 drops calendar inputs). */
  harmonics?: number;
  /** Shortest history a training window may have. */
  minHistory?: number;
  /**
   * Standard deviation (periods) of the random shift applied to the calendar and year-ago inputs of
   * training windows (see `writeFeatures`); 0 disables it. An array gives one value per ensemble member.
   */
  seasonalJitter?: number | number[];
  /** Weight of the median's pinball loss relative to the other quantiles'. */
  medianWeight?: number;
  /** Weight windows by scale / in-sample seasonal-naive MAE, so training minimises a MASE-like loss. */
  maseWeighting?: boolean;
  /** Cap on training windows (seeded subsample beyond it) to bound training time on large inputs. */
  maxTrainingWindows?: number;
  /**
   * How conformal scores are normalised: by the window scale, or by the model's own interval width
   * (plus a tenth of the scale), which keeps intervals adaptive when volatility changes with the season.
   */
  conformalNormalisation?: 'scale' | 'width';
  backend?: TfBackendName;
}

const DEFAULTS = {
  name: 'global-mlp',
  hidden: [128, 64],
  epochs: 10,
  batchSize: 256,
  learningRate: 2e-3,
  ensemble: 5,
  minHistory: 8,
  maseWeighting: true,
  maxTrainingWindows: 80_000,
  conformalNormalisation: 'width' as const,
  medianWeight: 3,
  seasonalJitter: [0, 2, 4, 6, 8] as number | number[],
  holdoutWindows: 3,
};

type ResolvedOptions = typeof DEFAULTS & {
  hidden: number[];
  conformalNormalisation: 'scale' | 'width';
  calibrationLength?: number;
  lags?: number;
  harmonics?: number;
};

/** Per-horizon additive adjustments (in normalised units) of the 80% and 95% interval bounds. */
export interface ConformalCalibration {
  normalisation: 'scale' | 'width';
  delta80: number[];
  delta95: number[];
  /** Calibration scores used (series × horizons). */
  samples: number;
  /** Coverage of the uncalibrated intervals on the calibration window. */
  rawCoverage80: number;
  rawCoverage95: number;
}

export interface GlobalModelMetadata extends ModelMetadata {
  featureConfig: FeatureConfig;
  quantileLevels: number[];
  calibration: ConformalCalibration;
  options: Omit<ResolvedOptions, 'backend'>;
  seed: number;
}

export interface GlobalModelArtifact {
  format: 'pedigree-global-forecaster/1';
  metadata: GlobalModelMetadata;
  members: ModelArtifact[];
}

const LEVELS = QUANTILE_LEVELS as readonly QuantileLevel[];
const Q = LEVELS.length;

interface WindowSet {
  x: Float32Array;
  y: Float32Array;
  w: Float32Array;
  count: number;
}

export class GlobalModelForecaster implements Forecaster {
  readonly name: string;
  private readonly options: ResolvedOptions;
  private readonly backend?: TfBackendName;

  constructor(options: GlobalModelOptions = {}) {
    const { backend, ...rest } = options;
    this.options = { ...DEFAULTS, ...stripUndefined(rest) } as ResolvedOptions;
    this.name = this.options.name;
    this.backend = backend;
  }

  async fit(histories: readonly TimeSeries[], fitOptions: FitOptions): Promise<FittedGlobalModel> {
    const started = Date.now();
    const { tf, backend } = await loadTf(this.backend ? { backend: this.backend } : {});
    const horizon = fitOptions.horizon;
    const seed = fitOptions.seed ?? 1;
    const calibrationLength = this.options.calibrationLength ?? horizon;
    if (calibrationLength < 1 || calibrationLength > horizon) {
      throw new ForecastInputError(
        'BAD_OPTION',
        `calibrationLength must be between 1 and the horizon (${horizon})`,
      );
    }
    const config = {
      ...defaultFeatureConfig(horizon, fitOptions.seasonPeriod),
      ...(this.options.lags === undefined ? {} : { lags: this.options.lags }),
      ...(this.options.harmonics === undefined ? {} : { harmonics: this.options.harmonics }),
    };
    const prepared = prepareAll(histories, horizon);
    const windows = heldOutWindows(histories, calibrationLength, this.options.holdoutWindows);
    const tail = windows * calibrationLength;
    const jitters = Array.isArray(this.options.seasonalJitter)
      ? this.options.seasonalJitter
      : [this.options.seasonalJitter];
    const members: TfNamespace.LayersModel[] = [];
    let trainingWindows = 0;
    let training: WindowSet | undefined;
    for (let k = 0; k < this.options.ensemble; k++) {
      // Members may see the seasonal inputs with different jitter: a hedge between trusting last
      // year's timing (right in regular years) and the recent trajectory (right when a season is late).
      const jitter = jitters[k % jitters.length] ?? 0;
      if (!training || jitter > 0 || k === 0) {
        training = buildTrainingWindows(histories, prepared, config, tail, this.options, {
          seed: deriveSeed(seed, `windows:${k}`),
          jitter,
        });
      }
      if (training.count === 0) {
        throw new ForecastInputError(
          'SERIES_TOO_SHORT',
          `No training windows: every series needs at least ${this.options.minHistory + horizon + tail} periods`,
        );
      }
      trainingWindows = training.count;
      members.push(await trainMember(tf, training, config, this.options, deriveSeed(seed, `member:${k}`)));
    }

    // Out-of-sample forecasts of the held-out tail, then conformal calibration on them.
    const calibrationOrigins = histories.map((s) => s.values.length - calibrationLength);
    const raw = predictRaw(tf, members, prepared, calibrationOrigins, config);
    const calibration = calibrate(
      histories,
      raw,
      calibrationOrigins,
      calibrationLength,
      config,
      this.options.conformalNormalisation,
    );
    const windowForecasts = (predictions: readonly RawPrediction[]) =>
      histories.map((s, i) =>
        toForecast(s.id, predictions[i] as RawPrediction, horizon, calibrationLength, undefined),
      );
    const earlier = Array.from({ length: windows - 1 }, (_, j) =>
      windowForecasts(
        predictRaw(
          tf,
          members,
          prepared,
          histories.map((s) => s.values.length - (j + 2) * calibrationLength),
          config,
        ),
      ),
    );
    const holdout: HoldoutForecasts = {
      length: calibrationLength,
      forecasts: windowForecasts(raw),
      ...(earlier.length ? { earlier } : {}),
    };

    const starts = histories.map((s) => s.start).sort();
    const ends = histories.map((s) => lastDate(s)).sort();
    const metadata: GlobalModelMetadata = {
      version: GLOBAL_MODEL_VERSION,
      dataWindow: { start: starts[0] ?? '', end: ends[ends.length - 1] ?? '', series: histories.length },
      trainedAt: new Date().toISOString(),
      trainingSeconds: (Date.now() - started) / 1000,
      backend,
      metrics: {
        trainingWindows,
        calibrationSamples: calibration.samples,
        rawCoverage80: calibration.rawCoverage80,
        rawCoverage95: calibration.rawCoverage95,
      },
      featureConfig: config,
      quantileLevels: [...LEVELS],
      calibration,
      options: { ...this.options },
      seed,
    };
    return new FittedGlobalModel(tf, members, metadata, holdout);
  }
}

/** How many windows a fit holds out: as asked, but each needs four times its length of median history. */
export function heldOutWindows(histories: readonly TimeSeries[], length: number, asked: number): number {
  const lengths = histories.map((s) => s.values.length).sort((a, b) => a - b);
  const median = lengths[Math.floor(lengths.length / 2)] ?? 0;
  return Math.max(1, Math.min(Math.floor(asked), Math.floor(median / (4 * length))));
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function lastDate(series: TimeSeries): string {
  return addPeriods(series.start, Math.max(0, series.values.length - 1), series.frequency);
}

export class FittedGlobalModel implements FittedForecaster {
  readonly method: string;
  readonly info: Record<string, unknown>;

  constructor(
    private readonly tf: Tf,
    private readonly members: TfNamespace.LayersModel[],
    readonly metadata: GlobalModelMetadata,
    readonly holdout?: HoldoutForecasts,
  ) {
    this.method = metadata.options.name;
    this.info = {
      // Intervals are conformally calibrated on the held-out window already (model selection checks this).
      calibrated: true,
      trainingSeconds: metadata.trainingSeconds,
      backend: metadata.backend,
      trainingWindows: metadata.metrics.trainingWindows,
      rawCoverage80: metadata.calibration.rawCoverage80,
      rawCoverage95: metadata.calibration.rawCoverage95,
    };
  }

  forecast(histories: readonly TimeSeries[], horizon: number): Promise<SeriesForecast[]> {
    const config = this.metadata.featureConfig;
    if (horizon > config.horizon) {
      return Promise.reject(
        new ForecastInputError(
          'BAD_OPTION',
          `The model was trained for horizons 1..${config.horizon}, not ${horizon}`,
        ),
      );
    }
    const prepared = prepareAll(histories, config.horizon);
    const origins = histories.map((s) => s.values.length);
    const raw = predictRaw(this.tf, this.members, prepared, origins, config);
    return Promise.resolve(
      histories.map((s, i) =>
        toForecast(s.id, raw[i] as RawPrediction, config.horizon, horizon, this.metadata.calibration),
      ),
    );
  }

  /** A JSON-safe snapshot (weights base64) that `FittedGlobalModel.fromArtifact` restores exactly. */
  async toArtifact(): Promise<GlobalModelArtifact> {
    const members: ModelArtifact[] = [];
    for (const model of this.members) members.push(await saveModel(model, this.metadata));
    return { format: 'pedigree-global-forecaster/1', metadata: this.metadata, members };
  }

  static async fromArtifact(artifact: GlobalModelArtifact): Promise<FittedGlobalModel> {
    if (artifact.format !== 'pedigree-global-forecaster/1') {
      throw new ForecastInputError(
        'BAD_OPTION',
        `Unsupported global model artifact: ${String(artifact.format)}`,
      );
    }
    if (artifact.metadata.version !== GLOBAL_MODEL_VERSION) {
      throw new ForecastInputError(
        'BAD_OPTION',
        `Model version ${artifact.metadata.version} is not ${GLOBAL_MODEL_VERSION}`,
      );
    }
    const { tf } = await loadTf();
    const members: TfNamespace.LayersModel[] = [];
    for (const member of artifact.members) members.push(await loadModel(member));
    return new FittedGlobalModel(tf, members, artifact.metadata);
  }

  dispose(): void {
    for (const model of this.members) model.dispose();
  }
}

function buildTrainingWindows(
  histories: readonly TimeSeries[],
  prepared: readonly PreparedSeries[],
  config: FeatureConfig,
  heldOut: number,
  options: ResolvedOptions,
  { seed, jitter: jitterSd }: { seed: number; jitter: number },
): WindowSet {
  const { horizon } = config;
  const candidates: [series: number, origin: number][] = [];
  const weights: number[] = [];
  histories.forEach((s, i) => {
    const trainEnd = s.values.length - heldOut;
    const scaleMase = options.maseWeighting
      ? maseScale(s.values.slice(0, trainEnd), config.seasonPeriod)
      : undefined;
    for (let origin = options.minHistory; origin + horizon <= trainEnd; origin++) {
      candidates.push([i, origin]);
      if (options.maseWeighting) {
        const scale = windowScale(prepared[i] as PreparedSeries, origin, config);
        weights.push(scaleMase === undefined ? Number.NaN : scale / scaleMase);
      } else {
        weights.push(1);
      }
    }
  });
  // Series without a usable MASE scale (constant history) get the median weight.
  const finite = weights.filter((w) => Number.isFinite(w)).sort((a, b) => a - b);
  const median = finite.length ? (finite[Math.floor(finite.length / 2)] as number) : 1;
  let selected = candidates.map((_, k) => k);
  if (selected.length > options.maxTrainingWindows) {
    selected = new Random(deriveSeed(seed, 'subsample'))
      .shuffle(selected)
      .slice(0, options.maxTrainingWindows)
      .sort((a, b) => a - b);
  }
  const F = featureCount(config);
  const count = selected.length;
  const x = new Float32Array(count * F);
  const y = new Float32Array(count * horizon);
  const w = new Float32Array(count);
  const jitter = new Random(deriveSeed(seed, 'seasonal-jitter'));
  selected.forEach((k, row) => {
    const [i, origin] = candidates[k] as [number, number];
    const p = prepared[i] as PreparedSeries;
    const scale = windowScale(p, origin, config);
    const limit = Math.ceil(2 * jitterSd);
    const shift =
      jitterSd > 0 ? Math.max(-limit, Math.min(limit, Math.round(jitter.normal(0, jitterSd)))) : 0;
    writeFeatures(p, origin, config, scale, x, row * F, shift);
    for (let h = 0; h < horizon; h++)
      y[row * horizon + h] = toModelSpace(p.values[origin + h] as number, scale);
    const raw = weights[k] as number;
    w[row] = Number.isFinite(raw) ? raw : median;
  });
  // Normalise weights to mean 1 and bound them, so a few near-constant series cannot dominate the loss.
  let mean = 0;
  for (let r = 0; r < count; r++) mean += (w[r] as number) / count;
  for (let r = 0; r < count; r++) w[r] = Math.min(20, Math.max(0.05, (w[r] as number) / (mean || 1)));
  return { x, y, w, count };
}

async function trainMember(
  tf: Tf,
  data: WindowSet,
  config: FeatureConfig,
  options: ResolvedOptions,
  seed: number,
): Promise<TfNamespace.LayersModel> {
  const F = featureCount(config);
  const H = config.horizon;
  const model = tf.sequential();
  options.hidden.forEach((units, layer) => {
    model.add(
      tf.layers.dense({
        units,
        activation: 'relu',
        ...(layer === 0 ? { inputShape: [F] } : {}),
        kernelInitializer: tf.initializers.heNormal({ seed: deriveSeed(seed, `dense:${layer}`) }),
        biasInitializer: 'zeros',
      }),
    );
  });
  model.add(
    tf.layers.dense({
      units: H * Q,
      kernelInitializer: tf.initializers.glorotUniform({ seed: deriveSeed(seed, 'output') }),
      biasInitializer: 'zeros',
    }),
  );
  const optimizer = tf.train.adam(options.learningRate);
  // Output layout: horizon-major, quantile-minor (index h·Q + q).
  const tau = tf.tensor2d(
    Array.from({ length: H * Q }, (_, j) => LEVELS[j % Q] as number),
    [1, H * Q],
  );
  // The median is the point forecast (MAE/MASE-optimal), so its loss may count more than the tails'.
  const levelWeights = Array.from({ length: H * Q }, (_, j) => (j % Q === I_MED ? options.medianWeight : 1));
  const levelWeightSum = levelWeights.reduce((a, b) => a + b, 0) / (H * Q);
  const outputWeights = tf.tensor2d(
    levelWeights.map((w) => w / levelWeightSum),
    [1, H * Q],
  );
  const rng = new Random(deriveSeed(seed, 'shuffle'));
  const order = Array.from({ length: data.count }, (_, i) => i);
  const batchSize = Math.min(options.batchSize, data.count);
  const xb = new Float32Array(batchSize * F);
  const yb = new Float32Array(batchSize * H * Q);
  const wb = new Float32Array(batchSize);

  // Cosine decay to 5% of the initial rate: the late small steps settle the weights, which makes the
  // result far less dependent on where the last noisy large step happened to land.
  const stepsPerEpoch = Math.floor(data.count / batchSize);
  const totalSteps = Math.max(1, stepsPerEpoch * options.epochs);
  const adjustable = optimizer as unknown as { learningRate: number };
  let step = 0;
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    rng.shuffle(order);
    for (let startRow = 0; startRow + batchSize <= data.count; startRow += batchSize) {
      adjustable.learningRate =
        options.learningRate * (0.05 + 0.95 * 0.5 * (1 + Math.cos((Math.PI * step++) / totalSteps)));
      for (let b = 0; b < batchSize; b++) {
        const row = order[startRow + b] as number;
        xb.set(data.x.subarray(row * F, row * F + F), b * F);
        for (let h = 0; h < H; h++) {
          const target = data.y[row * H + h] as number;
          for (let q = 0; q < Q; q++) yb[b * H * Q + h * Q + q] = target;
        }
        wb[b] = data.w[row] as number;
      }
      tf.tidy(() => {
        const xs = tf.tensor2d(xb, [batchSize, F]);
        const ys = tf.tensor2d(yb, [batchSize, H * Q]);
        const ws = tf.tensor2d(wb, [batchSize, 1]);
        optimizer.minimize(() => {
          const prediction = model.apply(xs) as TfNamespace.Tensor2D;
          const diff = tf.sub(ys, prediction);
          const pinball = tf.maximum(tf.mul(diff, tau), tf.mul(diff, tf.sub(tau, 1)));
          return tf.mean(tf.mul(tf.mul(pinball, outputWeights), ws)) as TfNamespace.Scalar;
        });
      });
    }
    // Yield between epochs so a long fit does not starve the event loop.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  tau.dispose();
  outputWeights.dispose();
  optimizer.dispose();
  return model;
}

/** Quantiles per horizon in original units (before calibration) plus the window scale. */
interface RawPrediction {
  /** [h][q] */
  quantiles: number[][];
  scale: number;
}

function predictRaw(
  tf: Tf,
  members: readonly TfNamespace.LayersModel[],
  prepared: readonly PreparedSeries[],
  origins: readonly number[],
  config: FeatureConfig,
): RawPrediction[] {
  const F = featureCount(config);
  const H = config.horizon;
  const x = new Float32Array(prepared.length * F);
  const scales = prepared.map((p, i) => {
    const origin = Math.max(0, origins[i] as number);
    const scale = windowScale(p, origin, config);
    writeFeatures(p, origin, config, scale, x, i * F);
    return scale;
  });
  const sum = new Float64Array(prepared.length * H * Q);
  for (const model of members) {
    const output = tf.tidy(() =>
      (model.predict(tf.tensor2d(x, [prepared.length, F])) as TfNamespace.Tensor).dataSync(),
    );
    for (let j = 0; j < sum.length; j++) sum[j] = (sum[j] as number) + (output[j] as number) / members.length;
  }
  return scales.map((scale, i) => {
    const quantiles = Array.from({ length: H }, (_, h) =>
      Array.from({ length: Q }, (_, q) => fromModelSpace(sum[i * H * Q + h * Q + q] as number, scale)).sort(
        (a, b) => a - b,
      ),
    );
    if (isDormant(prepared[i] as PreparedSeries, Math.max(0, origins[i] as number))) {
      // Keep the upper quantiles (demand may come back) but centre the forecast on zero.
      for (const q of quantiles) for (let j = 0; j <= I_MED; j++) q[j] = 0;
    }
    return { scale, quantiles };
  });
}

/**
 * A run of zeros that the series' earlier level makes implausible as chance (P < 0.1% under a Poisson
 * model) means the item stopped selling: discontinued, delisted or out of stock for good. Such runs are
 * too rare in any training set for the network to learn, and it reads them as a shortage that will end,
 * so the model's median is overridden with zero (the upper quantiles are kept).
 */
export function isDormant(p: PreparedSeries, origin: number): boolean {
  if (origin < 1) return false;
  const last = p.lastNonZero[origin - 1] as number;
  const run = origin - 1 - last;
  if (last < 0 || run < DORMANT_MIN_RUN) return false;
  const from = Math.max(0, last + 1 - 26);
  const before = ((p.prefix[last + 1] as number) - (p.prefix[from] as number)) / (last + 1 - from);
  return run * before >= DORMANT_EXPECTED_UNITS;
}

const DORMANT_MIN_RUN = 3;
/** −ln(0.001): the expected demand over the zero run above which the run is not chance. */
const DORMANT_EXPECTED_UNITS = 7;

const I_LO95 = LEVELS.indexOf(0.025);
const I_LO80 = LEVELS.indexOf(0.1);
const I_MED = LEVELS.indexOf(0.5);
const I_HI80 = LEVELS.indexOf(0.9);
const I_HI95 = LEVELS.indexOf(0.975);

function normaliser(raw: RawPrediction, h: number, lo: number, hi: number, mode: 'scale' | 'width'): number {
  if (mode === 'scale') return raw.scale;
  const q = raw.quantiles[h] as number[];
  return Math.max(0, (q[hi] as number) - (q[lo] as number)) + 0.1 * raw.scale;
}

/** Conformal quantile with the finite-sample correction ⌈(n+1)(1−α)⌉/n. */
function conformalQuantile(scores: number[], coverage: number): number {
  if (scores.length === 0) return 0;
  const sorted = [...scores].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.ceil((sorted.length + 1) * coverage));
  return sorted[rank - 1] as number;
}

function calibrate(
  histories: readonly TimeSeries[],
  raw: readonly RawPrediction[],
  origins: readonly number[],
  length: number,
  config: FeatureConfig,
  mode: 'scale' | 'width',
): ConformalCalibration {
  const H = config.horizon;
  const scores80: number[][] = Array.from({ length: H }, () => []);
  const scores95: number[][] = Array.from({ length: H }, () => []);
  let inside80 = 0;
  let inside95 = 0;
  let samples = 0;
  histories.forEach((s, i) => {
    const origin = origins[i] as number;
    if (origin < 1) return;
    const r = raw[i] as RawPrediction;
    for (let h = 0; h < length; h++) {
      const actual = s.values[origin + h] as number;
      const q = (r.quantiles[h] as number[]).map((v) => Math.max(0, v));
      const lo80 = q[I_LO80] as number;
      const hi80 = q[I_HI80] as number;
      const lo95 = q[I_LO95] as number;
      const hi95 = q[I_HI95] as number;
      scores80[h]?.push(Math.max(lo80 - actual, actual - hi80) / normaliser(r, h, I_LO80, I_HI80, mode));
      scores95[h]?.push(Math.max(lo95 - actual, actual - hi95) / normaliser(r, h, I_LO95, I_HI95, mode));
      if (actual >= lo80 && actual <= hi80) inside80++;
      if (actual >= lo95 && actual <= hi95) inside95++;
      samples++;
    }
  });
  // Per-horizon adjustments need enough scores; otherwise pool all horizons.
  const perHorizon = samples / Math.max(1, length) >= 100;
  const pooled80 = conformalQuantile(scores80.flat(), 0.8);
  const pooled95 = conformalQuantile(scores95.flat(), 0.95);
  const delta80 = Array.from({ length: H }, (_, h) =>
    perHorizon && h < length ? conformalQuantile(scores80[h] ?? [], 0.8) : pooled80,
  );
  const delta95 = Array.from({ length: H }, (_, h) =>
    perHorizon && h < length ? conformalQuantile(scores95[h] ?? [], 0.95) : pooled95,
  );
  return {
    normalisation: mode,
    delta80,
    delta95,
    samples,
    rawCoverage80: samples ? inside80 / samples : Number.NaN,
    rawCoverage95: samples ? inside95 / samples : Number.NaN,
  };
}

function toForecast(
  id: string,
  raw: RawPrediction,
  trainedHorizon: number,
  horizon: number,
  calibration: ConformalCalibration | undefined,
): SeriesForecast {
  const point: number[] = [];
  const quantiles = {} as Record<QuantileLevel, number[]>;
  for (const level of LEVELS) quantiles[level] = [];
  for (let h = 0; h < Math.min(horizon, trainedHorizon); h++) {
    const q = (raw.quantiles[h] as number[]).map((v) => Math.max(0, v));
    if (calibration) {
      const d80 =
        (calibration.delta80[h] as number) * normaliser(raw, h, I_LO80, I_HI80, calibration.normalisation);
      const d95 =
        (calibration.delta95[h] as number) * normaliser(raw, h, I_LO95, I_HI95, calibration.normalisation);
      q[I_LO80] = (q[I_LO80] as number) - d80;
      q[I_HI80] = (q[I_HI80] as number) + d80;
      q[I_LO95] = (q[I_LO95] as number) - d95;
      q[I_HI95] = (q[I_HI95] as number) + d95;
    }
    const median = q[I_MED] as number;
    // Keep the median fixed and the bounds ordered around it after the adjustment.
    const lo80 = Math.max(0, Math.min(q[I_LO80] as number, median));
    const hi80 = Math.max(q[I_HI80] as number, median);
    const lo95 = Math.max(0, Math.min(q[I_LO95] as number, lo80));
    const hi95 = Math.max(q[I_HI95] as number, hi80);
    const ordered = [lo95, lo80, median, hi80, hi95];
    LEVELS.forEach((level, j) => quantiles[level].push(ordered[j] as number));
    point.push(median);
  }
  return { id, point, quantiles };
}
