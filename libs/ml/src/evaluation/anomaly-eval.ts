/**
 * Offline evaluation of the anomaly detector with the logic the services run:
 *   1. simulate benign history (training seed) and run it through the in-memory ingest + detector to collect
 *      feature vectors; train the two autoencoders on the wasm backend; save and reload them through
 *      `libs/ml/src/tf` (the artifacts the service would load);
 *   2. simulate a held-out scenario (evaluation seed) with injected patterns and benign noise, validate every
 *      document against the official EPCIS 2.0 schema, run it through ingest + the detector with the models;
 *   3. score alerts per pattern against the labels (pack level) and write `bench/results/anomaly-eval.{json,md}`.
 */
import { trainingSetHash } from '@pedigree/common';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createEpcisValidator, getEventList } from '@pedigree/epcis';
import type { FeatureFamily, FeatureRecord, ScoredUnit } from '../anomaly/anomaly.types';
import { AnomalyDetector } from '../anomaly/anomaly-detector';
import { PHARMACY_WEEK_FEATURES } from '../anomaly/features/pharmacy-week-features';
import { SHIPMENT_FEATURES, SHIPMENT_STRATA } from '../anomaly/features/shipment-features';
import {
  type AutoencoderConfig,
  type AutoencoderMetadata,
  AutoencoderScorer,
  trainAutoencoder,
} from '../anomaly/model/feature-autoencoder.model';
import { deriveSeed } from '../random/mulberry32';
import { simulateNetwork } from '../simulator/network/network-simulator';
import { benignConfig, NETWORK_PRESETS, type NetworkPresetName } from '../simulator/network/network.presets';
import type {
  NetworkConfig,
  PatternKind,
  PatternRates,
  SimulatedScenario,
} from '../simulator/network/network.types';
import { HARD_PATTERNS, SOFT_PATTERNS } from '../simulator/network/network.types';
import type { TfBackendName } from '../tf/tf-runtime';
import { type AlertEvaluation, evaluateAlerts, type PatternMetrics } from './anomaly-metrics';
import { detectorMasterData, type PipelineStats, runThroughPipeline } from './pipeline-runner';

export interface EvaluationLogger {
  info(message: string): void;
}

export interface AnomalyEvaluationOptions {
  /** Seed of the held-out evaluation scenario (default 2026). */
  seed?: number;
  /** Seed of the benign training history (default derived from `seed`). */
  trainSeed?: number;
  /** Where to write anomaly-eval.json / .md (default `bench/results` of the repository); `null` writes nothing. */
  outDir?: string | null;
  /** Network size: a preset name or a full config (default 'evaluation'). */
  scale?: NetworkPresetName | NetworkConfig;
  /**
   * Network the benign training history is simulated on (default: the evaluated one). A running service's models
   * are trained on one simulated network and then meet another, the members' own: this measures that transfer.
   */
  trainScale?: NetworkPresetName;
  /** Weeks of the evaluated scenario (default the preset's). */
  weeks?: number;
  /** First day of the evaluated scenario, YYYY-MM-DD (default the preset's). */
  start?: string;
  /** Incidents per week by pattern, over the preset's rates (as `pedigree simulate --inject`). */
  inject?: Partial<PatternRates>;
  backend?: TfBackendName;
  /** Autoencoder settings per family (tests use few epochs). */
  model?: Partial<Record<FeatureFamily, Partial<AutoencoderConfig>>>;
  /** Validate every evaluation document against the official schema, as ingest does (default true). */
  validate?: boolean;
  logger?: EvaluationLogger;
}

export interface ModelReport {
  family: FeatureFamily;
  backend: string;
  trainingSeconds: number;
  trainingVectors: number;
  features: string[];
  metrics: Record<string, number>;
  prior: number;
}

export interface AnomalyEvaluationReport {
  generatedAt: string;
  seed: number;
  trainSeed: number;
  scale: string;
  /** Network the models were trained on (differs from `scale` in a transfer run). */
  trainScale: string;
  weeks: number;
  scenario: SimulatedScenario['summary'];
  pipeline: PipelineStats;
  detector: ReturnType<AnomalyDetector['getStats']>;
  models: ModelReport[];
  training: { backend: string; seconds: number };
  evaluation: AlertEvaluation;
  goals: {
    hardF1: { target: number; met: boolean; failing: PatternKind[] };
    softF1: { target: number; met: boolean; failing: PatternKind[] };
    falseAlertRate: { target: number; met: boolean; value: number };
    trainingSeconds: { target: number; met: boolean; value: number };
  };
  runtimeSeconds: { simulation: number; pipeline: number; total: number };
}

/** Per-family defaults: the share of anomalous units assumed by the calibrated score (see the model file). */
export const FAMILY_DEFAULTS: Record<FeatureFamily, Partial<AutoencoderConfig>> = {
  shipment: { prior: 1e-4 },
  pharmacy_week: { prior: 1e-3 },
};

export async function runAnomalyEvaluation(
  options: AnomalyEvaluationOptions = {},
): Promise<AnomalyEvaluationReport> {
  const started = Date.now();
  const log = (message: string) => options.logger?.info(message);
  const seed = options.seed ?? 2026;
  const trainSeed = options.trainSeed ?? deriveSeed(seed, 'benign-training-history');
  const scaleName =
    typeof options.scale === 'string' || options.scale === undefined
      ? (options.scale ?? 'evaluation')
      : 'custom';
  const preset =
    typeof options.scale === 'object' ? options.scale : NETWORK_PRESETS[options.scale ?? 'evaluation'];
  const config: NetworkConfig = {
    ...preset,
    ...(options.weeks ? { weeks: options.weeks } : {}),
    ...(options.start ? { start: options.start } : {}),
    patterns: { ...preset.patterns, ...options.inject },
  };
  const trainConfig = options.trainScale ? NETWORK_PRESETS[options.trainScale] : config;
  const trainScaleName = options.trainScale ?? scaleName;
  const backend = options.backend ?? 'wasm';
  let simulationSeconds = 0;
  let pipelineSeconds = 0;

  // 1. Benign history → feature vectors → models.
  let t = Date.now();
  const history = simulateNetwork(benignConfig(trainConfig), trainSeed);
  simulationSeconds += (Date.now() - t) / 1000;
  log(
    `training history: ${history.summary.documents} documents, ${history.summary.events} events (seed ${trainSeed})`,
  );
  t = Date.now();
  const vectors = collectFeatureVectors(history);
  pipelineSeconds += (Date.now() - t) / 1000;
  log(
    `feature vectors: ${vectors.shipment.length} shipments, ${vectors.pharmacy_week.length} pharmacy-weeks`,
  );

  const models: ModelReport[] = [];
  const scorers: Partial<Record<FeatureFamily, AutoencoderScorer>> = {};
  const window = {
    start: trainConfig.start,
    end: history.dispensed[0]
      ? addWeeks(history.dispensed[0].start, trainConfig.weeks - 1)
      : trainConfig.start,
  };
  for (const family of ['shipment', 'pharmacy_week'] as const) {
    const trained = await trainAutoencoder({
      family,
      featureNames: family === 'shipment' ? SHIPMENT_FEATURES : PHARMACY_WEEK_FEATURES,
      vectors: vectors[family],
      strata: family === 'shipment' ? SHIPMENT_STRATA : [],
      config: {
        seed: deriveSeed(trainSeed, `model:${family}`),
        ...FAMILY_DEFAULTS[family],
        ...options.model?.[family],
      },
      backend,
      dataWindow: window,
    });
    // Score with what the service would load: the saved artifact, not the object in memory.
    const artifact = await trained.save();
    trained.dispose();
    const loaded = await AutoencoderScorer.load(JSON.parse(JSON.stringify(artifact)) as typeof artifact);
    scorers[family] = loaded;
    models.push(modelReport(loaded.metadata, vectors[family].length));
    log(
      `${family} autoencoder: ${loaded.metadata.trainingSeconds.toFixed(1)} s on ${loaded.metadata.backend}`,
    );
  }

  // 2. Held-out scenario through ingest and the detector.
  t = Date.now();
  const scenario = simulateNetwork(config, seed);
  simulationSeconds += (Date.now() - t) / 1000;
  log(
    `evaluation scenario: ${scenario.summary.documents} documents, ${scenario.summary.events} events (seed ${seed})`,
  );
  t = Date.now();
  const scored: ScoredUnit[] = [];
  const detector = new AnomalyDetector({
    master: detectorMasterData(scenario.master),
    scorers,
    onScored: (u) => scored.push(u),
  });
  const validator =
    options.validate === false ? undefined : createEpcisValidator({ schema: loadEpcisSchema() });
  const run = runThroughPipeline(scenario.messages, detector, {
    master: scenario.master,
    ...(validator ? { validator } : {}),
  });
  pipelineSeconds += (Date.now() - t) / 1000;
  log(
    `pipeline: ${run.stats.acceptedEvents} accepted events, ${run.stats.deadLetters} dead letters, ${run.alerts.length} alerts`,
  );
  for (const scorer of Object.values(scorers)) scorer?.dispose();

  // 3. Metrics.
  const evaluation = evaluateAlerts({
    labels: scenario.labels,
    universe: packUniverse(scenario),
    alerts: run.alerts,
    scored,
  });
  const trainingSeconds = models.reduce((s, m) => s + m.trainingSeconds, 0);
  const report: AnomalyEvaluationReport = {
    generatedAt: new Date().toISOString(),
    seed,
    trainSeed,
    scale: scaleName,
    trainScale: trainScaleName,
    weeks: config.weeks,
    scenario: scenario.summary,
    pipeline: run.stats,
    detector: detector.getStats(),
    models,
    training: { backend: models[0]?.backend ?? backend, seconds: trainingSeconds },
    evaluation,
    goals: goalsOf(evaluation, trainingSeconds),
    runtimeSeconds: {
      simulation: simulationSeconds,
      pipeline: pipelineSeconds,
      total: (Date.now() - started) / 1000,
    },
  };
  if (options.outDir !== null) writeReport(report, options.outDir ?? join(repoRoot(), 'bench', 'results'));
  return report;
}

/** Runs a (benign) scenario through ingest and a model-less detector, returning every feature vector. */
export function collectFeatureVectors(scenario: SimulatedScenario): Record<FeatureFamily, number[][]> {
  const out: Record<FeatureFamily, number[][]> = { shipment: [], pharmacy_week: [] };
  const detector = new AnomalyDetector({
    master: detectorMasterData(scenario.master),
    onFeatures: (record: FeatureRecord) => out[record.family].push(record.values),
  });
  runThroughPipeline(scenario.messages, detector, { master: scenario.master });
  return out;
}

/** Every pack identifier (SGTIN) named in the scenario's documents. */
export function packUniverse(scenario: SimulatedScenario): Set<string> {
  const packs = new Set<string>();
  for (const message of scenario.messages) {
    for (const raw of getEventList(message.document) ?? []) {
      const event = raw as { epcList?: string[]; childEPCs?: string[] };
      for (const epc of [...(event.epcList ?? []), ...(event.childEPCs ?? [])])
        if (epc.startsWith('urn:epc:id:sgtin:')) packs.add(epc);
    }
  }
  return packs;
}

function modelReport(metadata: AutoencoderMetadata, vectors: number): ModelReport {
  return {
    family: metadata.family,
    backend: metadata.backend,
    trainingSeconds: round(metadata.trainingSeconds, 2),
    trainingVectors: vectors,
    features: metadata.featureNames,
    metrics: metadata.metrics,
    prior: metadata.config.prior,
  };
}

function falseAlertLines(examples: AlertEvaluation['falseAlerts']['examples']): string[] {
  if (examples.length === 0) return [];
  return [
    `False alerts, highest scores first (${examples.length} shown):`,
    '',
    ...examples.map((a) => `- ${a.kind} (${a.score.toFixed(2)}): ${a.summary}`),
    '',
  ];
}

function goalsOf(evaluation: AlertEvaluation, trainingSeconds: number): AnomalyEvaluationReport['goals'] {
  const f1 = (p: PatternKind) => evaluation.patterns.find((m) => m.pattern === p)?.f1 ?? 0;
  const hardFailing = HARD_PATTERNS.filter((p) => f1(p) < 0.95);
  const softFailing = SOFT_PATTERNS.filter((p) => f1(p) < 0.8);
  return {
    hardF1: { target: 0.95, met: hardFailing.length === 0, failing: hardFailing },
    softF1: { target: 0.8, met: softFailing.length === 0, failing: softFailing },
    falseAlertRate: {
      target: 0.005,
      met: evaluation.falseAlerts.rate <= 0.005,
      value: evaluation.falseAlerts.rate,
    },
    trainingSeconds: { target: 120, met: trainingSeconds < 120, value: round(trainingSeconds, 2) },
  };
}

function writeReport(report: AnomalyEvaluationReport, outDir: string): void {
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'anomaly-eval.json'), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(outDir, 'anomaly-eval.md'), renderAnomalyReport(report));
}

function missedLines(patterns: PatternMetrics[]): string[] {
  const missed = patterns.flatMap((m) => m.missed.map((description) => `- ${m.pattern}: ${description}`));
  return missed.length ? ['Incidents missed:', '', ...missed, ''] : [];
}

export function renderAnomalyReport(report: AnomalyEvaluationReport): string {
  const pct = (v: number) => `${(100 * v).toFixed(1)}%`;
  const f = (v: number) => v.toFixed(3);
  const e = report.evaluation;
  const row = (m: PatternMetrics) =>
    `| ${m.pattern} | ${HARD_PATTERNS.includes(m.pattern) ? 'rule' : 'model'} | ${m.incidentsDetected}/${m.incidents} | ${m.positivePacks} | ${f(m.precision)} | ${f(m.recall)} | ${f(m.f1)} | ${f(m.prAuc)} | ${f(m.precisionAtBudget)} (≤ ${f(m.precisionAtBudgetCeiling)}) |`;
  const goal = (met: boolean) => (met ? 'met' : '**missed**');
  const g = report.goals;
  const lines = [
    '# Anomaly detection evaluation',
    '',
    `Generated ${report.generatedAt} — scale \`${report.scale}\` (${report.weeks} weeks), evaluation seed ${report.seed} (held out), benign training seed ${report.trainSeed} on the \`${report.trainScale}\` network.`,
    '',
    `Scenario: ${report.scenario.documents} documents, ${report.scenario.events} events, ${e.packs} packs; ` +
      `ingest accepted ${report.pipeline.acceptedEvents} events and dead-lettered ${report.pipeline.deadLetters} documents.`,
    '',
    `Pack-level metrics; a pack counts for a pattern only when an alert of the matching kind names it. Alert budget: top ${e.budget} packs (1%).`,
    '',
    '| pattern | detector | incidents found | packs | precision | recall | F1 | PR-AUC | precision @ budget (ceiling) |',
    '|---|---|---|---|---|---|---|---|---|',
    ...e.patterns.map(row),
    '',
    ...missedLines(e.patterns),
    `False alerts: ${e.falseAlerts.packs} packs without an injected pattern were alerted = **${pct(e.falseAlerts.rate)}** of packs ` +
      `(${e.falseAlerts.onNoisePacks} of them touched by labelled benign noise; by kind: ${JSON.stringify(e.falseAlerts.byKind)}).`,
    `Overall precision at budget (any kind): ${f(e.overallPrecisionAtBudget)}.`,
    '',
    ...falseAlertLines(e.falseAlerts.examples),
    '| model | backend | training vectors | training time |',
    '|---|---|---|---|',
    ...report.models.map(
      (m) =>
        `| ${m.family} autoencoder | ${m.backend} | ${m.trainingVectors} | ${m.trainingSeconds.toFixed(1)} s |`,
    ),
    '',
    '| goal | target | status |',
    '|---|---|---|',
    `| F1 hard patterns | ≥ 0.95 | ${goal(g.hardF1.met)}${g.hardF1.failing.length ? ` (${g.hardF1.failing.join(', ')})` : ''} |`,
    `| F1 soft patterns | ≥ 0.80 | ${goal(g.softF1.met)}${g.softF1.failing.length ? ` (${g.softF1.failing.join(', ')})` : ''} |`,
    `| false alerts | ≤ 0.5% of packs | ${goal(g.falseAlertRate.met)} (${pct(g.falseAlertRate.value)}) |`,
    `| training time | < 120 s | ${goal(g.trainingSeconds.met)} (${g.trainingSeconds.value.toFixed(1)} s) |`,
    '',
    `Runtime: simulation ${report.runtimeSeconds.simulation.toFixed(0)} s, ingest + detection ${report.runtimeSeconds.pipeline.toFixed(0)} s, total ${report.runtimeSeconds.total.toFixed(0)} s.`,
    '',
  ];
  return lines.join('\n');
}

/** The repository root (where nest-cli.json is), from sources or from dist/. */
export function repoRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'nest-cli.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the repository root (nest-cli.json)');
    dir = parent;
  }
  return dir;
}

/** The official EPCIS 2.0 JSON Schema from the shared conformance folder beside the repository. */
export function loadEpcisSchema(): object {
  return JSON.parse(
    readFileSync(
      resolve(repoRoot(), '..', 'shared', 'conformance', 'epcis', 'EPCIS-JSON-Schema.json'),
      'utf8',
    ),
  ) as object;
}

function addWeeks(iso: string, weeks: number): string {
  return new Date(Date.parse(`${iso}T00:00:00Z`) + weeks * 7 * 86_400_000).toISOString().slice(0, 10);
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

export interface TrainedDetectorScorers {
  scorers: Record<FeatureFamily, AutoencoderScorer>;
  vectors: Record<FeatureFamily, number>;
  /** What each model's card states about its training (the set's hash, its source, the hyper-parameters). */
  training: Record<
    FeatureFamily,
    { trainingSetHash: string; trainingItems: number; hyperParameters: Record<string, unknown> }
  >;
  trainingSource: { simulator: 'benign-network'; seed: number; scale: NetworkPresetName };
  trainingSeconds: number;
}

/**
 * The feature vectors the detector's models train on: those of a benign simulated history of the given scale. The
 * history is seeded, so an auditor rebuilds the exact set from the seed and scale on a model's card.
 */
export function detectorTrainingSet(
  seed: number,
  scale: NetworkPresetName,
): { vectors: Record<FeatureFamily, number[][]>; window: { start: string; end: string } } {
  const config = NETWORK_PRESETS[scale];
  const history = simulateNetwork(benignConfig(config), deriveSeed(seed, 'benign-training-history'));
  const end = history.dispensed[0] ? addWeeks(history.dispensed[0].start, config.weeks - 1) : config.start;
  return { vectors: collectFeatureVectors(history), window: { start: config.start, end } };
}

/**
 * The learned scorers the intelligence service needs, trained the way the evaluation trains them: on a benign
 * simulated history of the given scale (until enough real history exists to retrain on it).
 */
export async function trainDetectorScorers(options: {
  seed: number;
  scale: NetworkPresetName;
  backend?: TfBackendName;
}): Promise<TrainedDetectorScorers> {
  const started = Date.now();
  const { vectors, window } = detectorTrainingSet(options.seed, options.scale);
  const scorers = {} as Record<FeatureFamily, AutoencoderScorer>;
  const training = {} as TrainedDetectorScorers['training'];
  for (const family of ['shipment', 'pharmacy_week'] as const) {
    const config = { seed: deriveSeed(options.seed, `model:${family}`), ...FAMILY_DEFAULTS[family] };
    scorers[family] = await trainAutoencoder({
      family,
      featureNames: family === 'shipment' ? SHIPMENT_FEATURES : PHARMACY_WEEK_FEATURES,
      vectors: vectors[family],
      strata: family === 'shipment' ? SHIPMENT_STRATA : [],
      config,
      backend: options.backend ?? 'wasm',
      dataWindow: window,
    });
    const set = trainingSetHash(vectors[family]);
    training[family] = { trainingSetHash: set.hash, trainingItems: set.items, hyperParameters: config };
  }
  return {
    scorers,
    vectors: { shipment: vectors.shipment.length, pharmacy_week: vectors.pharmacy_week.length },
    training,
    trainingSource: { simulator: 'benign-network', seed: options.seed, scale: options.scale },
    trainingSeconds: (Date.now() - started) / 1000,
  };
}
