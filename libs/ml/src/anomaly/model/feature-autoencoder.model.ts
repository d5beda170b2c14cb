/**
 * A small dense autoencoder over one feature family (shipments, pharmacy-weeks), trained on benign history only.
 * Reconstruction error is the anomaly evidence: the network learns the joint shape of normal vectors and cannot
 * rebuild ones unlike them. tanh layers saturate, so an extreme input cannot be reproduced by linear
 * extrapolation (the weakness of ReLU autoencoders on out-of-range values).
 *
 * Calibration: per-feature errors are divided by their benign mean square (each feature counts by how unusual
 * its error is, not by its scale); the summed error's benign survival function, fitted on a held-out benign
 * split (empirical body, exponential tail above the 90th percentile), gives a tail probability p; the score is
 * the posterior prior / (prior + p·(1 − prior)) under a base rate `prior` of anomalous units — 0.5 where p equals
 * the base rate, near 1 far out in the tail.
 *
 * Populations that differ in kind (a pallet from a manufacturer, a tote to a pharmacy) can be calibrated apart
 * ("strata", named by one-hot features): a tail probability then means "unusual for a shipment of this kind",
 * and the rarer kind cannot fill the shared tail with its ordinary members.
 *
 * Determinism: seeded initialisers, seeded shuffling, fixed batch order, no dropout (as in the global
 * forecaster), so a seed and a backend reproduce the weights.
 */
import type * as TfNamespace from '@tensorflow/tfjs';
import { deriveSeed, Random } from '../../random/mulberry32';
import {
  loadModel,
  loadTf,
  type ModelArtifact,
  type ModelMetadata,
  saveModel,
  type Tf,
  type TfBackendName,
} from '../../tf/tf-runtime';
import type { FeatureFamily, VectorScorer } from '../anomaly.types';

export const AUTOENCODER_VERSION = 'feature-autoencoder/1';

export interface AutoencoderConfig {
  hidden: number;
  bottleneck: number;
  epochs: number;
  batchSize: number;
  learningRate: number;
  /** Share of vectors held out to calibrate the error distribution. */
  calibrationShare: number;
  /** Standardised inputs are clipped to ±this. */
  clipZ: number;
  /** Base rate of anomalous units assumed by the score (see file comment). */
  prior: number;
  /** Training rows beyond this are subsampled (seeded) to bound training time. */
  maxRows: number;
  seed: number;
}

export const DEFAULT_AUTOENCODER_CONFIG: AutoencoderConfig = {
  hidden: 16,
  bottleneck: 4,
  epochs: 60,
  batchSize: 128,
  learningRate: 0.01,
  calibrationShare: 0.25,
  clipZ: 8,
  prior: 0.002,
  maxRows: 40_000,
  seed: 1,
};

export interface AutoencoderCalibration {
  /** Errors at the probabilities in `levels` (benign, held out). */
  quantiles: number[];
  levels: number[];
  /** Exponential tail above the 90th percentile: P(E > e) = 0.1·exp(−(e − q90)/tailMean). */
  q90: number;
  tailMean: number;
}

export interface AutoencoderMetadata extends ModelMetadata {
  family: FeatureFamily;
  featureNames: string[];
  center: number[];
  scale: number[];
  errorScale: number[];
  calibration: AutoencoderCalibration;
  /** One-hot features naming strata, and each stratum's own calibration (when it had enough rows). */
  strata: { features: number[]; calibrations: Record<string, AutoencoderCalibration> };
  config: AutoencoderConfig;
}

/** Fewer held-out rows than this and a stratum uses the global calibration. */
const MIN_STRATUM_ROWS = 500;

function stratumOf(values: readonly number[], features: readonly number[]): string {
  for (const j of features) if ((values[j] ?? 0) >= 0.5) return `f${j}`;
  return 'none';
}

export interface TrainAutoencoderInput {
  family: FeatureFamily;
  featureNames: readonly string[];
  vectors: readonly (readonly number[])[];
  /** Names of one-hot features whose value names a calibration stratum. */
  strata?: readonly string[];
  config?: Partial<AutoencoderConfig>;
  backend?: TfBackendName;
  /** Describes the training data for the metadata (ISO dates). */
  dataWindow?: { start: string; end: string };
  /** Injected clock for `trainedAt` (reproducible artifacts in tests). */
  now?: () => Date;
}

/** Trains on benign vectors and returns a calibrated scorer. */
export async function trainAutoencoder(input: TrainAutoencoderInput): Promise<AutoencoderScorer> {
  const config = { ...DEFAULT_AUTOENCODER_CONFIG, ...input.config };
  const { tf, backend } = await loadTf(input.backend ? { backend: input.backend } : {});
  const d = input.featureNames.length;
  if (input.vectors.length < 20)
    throw new RangeError(`need at least 20 training vectors (got ${input.vectors.length})`);
  for (const v of input.vectors)
    if (v.length !== d) throw new RangeError(`vector of length ${v.length}, expected ${d}`);
  const started = process.hrtime.bigint();

  // Seeded split into training and calibration rows (and subsample when large).
  const rng = new Random(deriveSeed(config.seed, `split:${input.family}`));
  const order = rng.shuffle(Array.from({ length: input.vectors.length }, (_, i) => i));
  const calibrationCount = Math.max(10, Math.round(order.length * config.calibrationShare));
  const calibrationRows = order.slice(0, calibrationCount).sort((a, b) => a - b);
  const trainRows = order.slice(calibrationCount, calibrationCount + config.maxRows).sort((a, b) => a - b);

  const { center, scale } = robustScaling(
    trainRows.map((i) => input.vectors[i]!),
    d,
  );
  const standardise = (v: readonly number[]) =>
    v.map((x, j) => clamp((x - center[j]!) / scale[j]!, config.clipZ));
  const x = new Float32Array(trainRows.length * d);
  trainRows.forEach((row, r) => x.set(standardise(input.vectors[row]!), r * d));

  const model = buildModel(tf, d, config);
  await fit(tf, model, x, trainRows.length, d, config);

  const trainErrors = reconstructionErrors(tf, model, x, trainRows.length, d);
  const errorScale = Array.from({ length: d }, (_, j) => {
    let sum = 0;
    for (let r = 0; r < trainRows.length; r++) sum += trainErrors[r * d + j]!;
    // A floor keeps features the network rebuilds almost perfectly from dominating every score.
    return Math.max(sum / trainRows.length, 0.02);
  });
  const xc = new Float32Array(calibrationRows.length * d);
  calibrationRows.forEach((row, r) => xc.set(standardise(input.vectors[row]!), r * d));
  const calErrors = reconstructionErrors(tf, model, xc, calibrationRows.length, d);
  const rowErrors = Array.from({ length: calibrationRows.length }, (_, r) => {
    let s = 0;
    for (let j = 0; j < d; j++) s += calErrors[r * d + j]! / errorScale[j]!;
    return s / d;
  });
  const totals = [...rowErrors].sort((a, b) => a - b);
  const calibration = calibrate(totals);
  const strataFeatures = (input.strata ?? [])
    .map((name) => input.featureNames.indexOf(name))
    .filter((j) => j >= 0);
  const byStratum = new Map<string, number[]>();
  calibrationRows.forEach((row, r) => {
    const key = stratumOf(input.vectors[row]!, strataFeatures);
    byStratum.set(key, [...(byStratum.get(key) ?? []), rowErrors[r]!]);
  });
  const calibrations: Record<string, AutoencoderCalibration> = {};
  for (const [key, errors] of [...byStratum].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    if (errors.length >= MIN_STRATUM_ROWS) calibrations[key] = calibrate(errors.sort((a, b) => a - b));
  }
  const trainingSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  const metadata: AutoencoderMetadata = {
    version: AUTOENCODER_VERSION,
    dataWindow: {
      start: input.dataWindow?.start ?? '',
      end: input.dataWindow?.end ?? '',
      series: input.vectors.length,
    },
    trainedAt: (input.now ?? (() => new Date()))().toISOString(),
    trainingSeconds,
    backend,
    metrics: {
      trainRows: trainRows.length,
      calibrationRows: calibrationRows.length,
      medianError: quantile(totals, 0.5),
      q99Error: quantile(totals, 0.99),
    },
    family: input.family,
    featureNames: [...input.featureNames],
    center,
    scale,
    errorScale,
    calibration,
    strata: { features: strataFeatures, calibrations },
    config,
  };
  return new AutoencoderScorer(tf, model, metadata);
}

function buildModel(tf: Tf, d: number, config: AutoencoderConfig): TfNamespace.LayersModel {
  const model = tf.sequential();
  const layer = (units: number, activation: 'tanh' | 'linear', name: string, first = false) =>
    tf.layers.dense({
      units,
      activation,
      ...(first ? { inputShape: [d] } : {}),
      kernelInitializer: tf.initializers.glorotUniform({ seed: deriveSeed(config.seed, name) }),
      biasInitializer: 'zeros',
      name,
    });
  model.add(layer(config.hidden, 'tanh', 'encode', true));
  model.add(layer(config.bottleneck, 'tanh', 'code'));
  model.add(layer(config.hidden, 'tanh', 'decode'));
  model.add(layer(d, 'linear', 'reconstruct'));
  return model;
}

async function fit(
  tf: Tf,
  model: TfNamespace.LayersModel,
  x: Float32Array,
  rows: number,
  d: number,
  config: AutoencoderConfig,
): Promise<void> {
  const optimizer = tf.train.adam(config.learningRate);
  const rng = new Random(deriveSeed(config.seed, 'shuffle'));
  const order = Array.from({ length: rows }, (_, i) => i);
  const batchSize = Math.min(config.batchSize, rows);
  const xb = new Float32Array(batchSize * d);
  const stepsPerEpoch = Math.floor(rows / batchSize);
  const totalSteps = Math.max(1, stepsPerEpoch * config.epochs);
  const adjustable = optimizer as unknown as { learningRate: number };
  let step = 0;
  for (let epoch = 0; epoch < config.epochs; epoch++) {
    rng.shuffle(order);
    for (let start = 0; start + batchSize <= rows; start += batchSize) {
      // Cosine decay: late small steps settle the weights (less dependent on where a big last step landed).
      adjustable.learningRate =
        config.learningRate * (0.05 + 0.95 * 0.5 * (1 + Math.cos((Math.PI * step++) / totalSteps)));
      for (let b = 0; b < batchSize; b++) {
        const row = order[start + b]!;
        xb.set(x.subarray(row * d, row * d + d), b * d);
      }
      tf.tidy(() => {
        const xs = tf.tensor2d(xb, [batchSize, d]);
        optimizer.minimize(
          () => tf.losses.meanSquaredError(xs, model.apply(xs) as TfNamespace.Tensor2D) as TfNamespace.Scalar,
        );
      });
    }
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  optimizer.dispose();
}

/** Squared error per row and feature (row-major), in standardised units. */
function reconstructionErrors(
  tf: Tf,
  model: TfNamespace.LayersModel,
  x: Float32Array,
  rows: number,
  d: number,
): Float32Array {
  return tf.tidy(() => {
    const xs = tf.tensor2d(x, [rows, d]);
    const out = model.predict(xs) as TfNamespace.Tensor2D;
    return tf.square(tf.sub(xs, out)).dataSync() as Float32Array;
  });
}

function robustScaling(
  rows: readonly (readonly number[])[],
  d: number,
): { center: number[]; scale: number[] } {
  const center: number[] = [];
  const scale: number[] = [];
  for (let j = 0; j < d; j++) {
    const column = rows.map((r) => r[j]!).sort((a, b) => a - b);
    const median = quantile(column, 0.5);
    let spread = (quantile(column, 0.75) - quantile(column, 0.25)) / 1.349;
    if (!(spread > 1e-6)) {
      // Binary or near-constant features: the standard deviation, else 1.
      const mean = column.reduce((s, v) => s + v, 0) / column.length;
      const sd = Math.sqrt(column.reduce((s, v) => s + (v - mean) ** 2, 0) / column.length);
      spread = sd > 1e-6 ? sd : 1;
    }
    center.push(median);
    scale.push(spread);
  }
  return { center, scale };
}

const LEVELS = Array.from({ length: 91 }, (_, i) => i / 100);

function calibrate(sorted: readonly number[]): AutoencoderCalibration {
  const q90 = quantile(sorted, 0.9);
  const tail = sorted.filter((e) => e > q90);
  const tailMean =
    tail.length > 0
      ? Math.max(tail.reduce((s, e) => s + (e - q90), 0) / tail.length, 1e-6)
      : Math.max(q90, 1e-6);
  return { quantiles: LEVELS.map((p) => quantile(sorted, p)), levels: LEVELS, q90, tailMean };
}

/** P(E ≥ error) under the benign calibration. */
export function survival(calibration: AutoencoderCalibration, error: number): number {
  const { quantiles, levels, q90, tailMean } = calibration;
  if (error > q90) return 0.1 * Math.exp(-(error - q90) / tailMean);
  for (let i = quantiles.length - 1; i > 0; i--) {
    const lo = quantiles[i - 1]!;
    const hi = quantiles[i]!;
    if (error >= lo) {
      const f = hi > lo ? (error - lo) / (hi - lo) : 1;
      return 1 - (levels[i - 1]! + f * (levels[i]! - levels[i - 1]!));
    }
  }
  return 1;
}

function quantile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const pos = (sorted.length - 1) * p;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

function clamp(value: number, limit: number): number {
  if (!Number.isFinite(value)) return 0;
  return value > limit ? limit : value < -limit ? -limit : value;
}

/** A trained autoencoder with its scaling and calibration: scores one vector synchronously. */
export class AutoencoderScorer implements VectorScorer {
  readonly family: FeatureFamily;
  readonly featureNames: readonly string[];

  constructor(
    private readonly tf: Tf,
    readonly model: TfNamespace.LayersModel,
    readonly metadata: AutoencoderMetadata,
  ) {
    this.family = metadata.family;
    this.featureNames = metadata.featureNames;
  }

  /** Calibrated score in [0, 1], the weighted reconstruction error and each feature's share of it. */
  score(values: readonly number[]): { score: number; error: number; contributions: number[] } {
    return this.scoreBatch([values])[0]!;
  }

  scoreBatch(
    rows: readonly (readonly number[])[],
  ): { score: number; error: number; contributions: number[] }[] {
    const { center, scale, errorScale, calibration, strata, config } = this.metadata;
    const d = center.length;
    const x = new Float32Array(rows.length * d);
    rows.forEach((v, r) => {
      for (let j = 0; j < d; j++) x[r * d + j] = clamp(((v[j] ?? 0) - center[j]!) / scale[j]!, config.clipZ);
    });
    const errors = reconstructionErrors(this.tf, this.model, x, rows.length, d);
    return rows.map((_, r) => {
      const parts = Array.from({ length: d }, (_, j) => errors[r * d + j]! / errorScale[j]!);
      const total = parts.reduce((s, v) => s + v, 0);
      const error = total / d;
      const p = survival(strata.calibrations[stratumOf(rows[r]!, strata.features)] ?? calibration, error);
      const prior = config.prior;
      return {
        score: prior / (prior + p * (1 - prior)),
        error,
        contributions: parts.map((v) => (total > 0 ? v / total : 0)),
      };
    });
  }

  async save(): Promise<ModelArtifact<AutoencoderMetadata>> {
    return saveModel(this.model, this.metadata);
  }

  static async load(artifact: ModelArtifact<AutoencoderMetadata>): Promise<AutoencoderScorer> {
    if (artifact.metadata.version !== AUTOENCODER_VERSION) {
      throw new Error(`unsupported autoencoder version ${artifact.metadata.version}`);
    }
    const { tf } = await loadTf();
    const model = await loadModel(artifact);
    return new AutoencoderScorer(tf, model, artifact.metadata);
  }

  dispose(): void {
    this.model.dispose();
  }
}
