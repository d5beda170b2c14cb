import {
  codeVersion,
  type ModelCard,
  type StoredWeights,
  trainingSetHash,
  weightsHash,
} from '@pedigree/common';
import { type FittedForecaster, FittedGlobalModel } from '@pedigree/ml';
import type { DemandSeries } from './demand-history.repository';

export const FORECASTER_NAME = 'demand-forecaster';

/** One training item per series, in training order: what the card's training-set hash covers. */
export interface TrainingSeries {
  id: string;
  gtin: string;
  region: string;
  start: string;
  values: number[];
}

export function trainingSeriesOf(series: readonly DemandSeries[]): TrainingSeries[] {
  return series.map((s) => ({
    id: s.id,
    gtin: s.gtin,
    region: s.region,
    start: s.start,
    values: [...s.values],
  }));
}

/**
 * A run's stored artefact: the global model's networks (topology, weight specs, raw weights, in member order) and
 * model selection's decisions, which are what the forecasts follow. A run where no global model could be fitted
 * stores the decisions alone (the baselines have no weights: they refit on each series' history).
 */
export async function forecasterWeights(fitted: FittedForecaster): Promise<StoredWeights> {
  const global = fitted.parts?.find((p): p is FittedGlobalModel => p instanceof FittedGlobalModel);
  const selection = { method: fitted.method, decisions: fitted.info?.decisions ?? null };
  if (!global) return { topology: { selection }, weightSpecs: [], weightData: Buffer.alloc(0) };
  const artifact = await global.toArtifact();
  return {
    topology: {
      format: artifact.format,
      metadata: artifact.metadata,
      selection,
      members: artifact.members.map((m) => m.topology),
    },
    weightSpecs: artifact.members.map((m) => m.weightSpecs),
    weightData: Buffer.concat(
      artifact.members.map((m) =>
        Buffer.isBuffer(m.weightData) ? m.weightData : Buffer.from(m.weightData as string, 'base64'),
      ),
    ),
  };
}

/** Validation MASE per selection group: the chosen method's and the best baseline's (numbers only). */
function selectionMetrics(fitted: FittedForecaster): Record<string, number> {
  const metrics: Record<string, number> = {};
  const decisions = (fitted.info?.decisions ?? []) as {
    group: string;
    chosen: string;
    series: number;
    bestBaseline?: { mase: number };
    scores: Record<string, number>;
  }[];
  for (const d of decisions) {
    const chosen = d.scores[d.chosen];
    if (Number.isFinite(chosen)) metrics[`${d.group}.chosenMase`] = chosen!;
    if (d.bestBaseline && Number.isFinite(d.bestBaseline.mase))
      metrics[`${d.group}.bestBaselineMase`] = d.bestBaseline.mase;
    metrics[`${d.group}.series`] = d.series;
  }
  return metrics;
}

/** The card of one forecaster run: anchored by the ledger like the anomaly models' cards. */
export function forecasterCard(args: {
  version: string;
  weights: StoredWeights;
  series: readonly TrainingSeries[];
  fitted: FittedForecaster;
  hyperParameters: Record<string, unknown>;
  minWeeks: number;
}): ModelCard {
  const training = trainingSetHash(args.series);
  return {
    v: 1,
    name: FORECASTER_NAME,
    version: args.version,
    weightsHash: weightsHash(args.weights),
    trainingSetHash: training.hash,
    trainingItems: training.items,
    trainingSource: {
      kind: 'dispensing-history',
      description: `weekly dispensed packs per GTIN × region, series with ${args.minWeeks}+ weeks`,
      window: {
        start: args.series.map((s) => s.start).sort()[0] ?? null,
        weeks: Math.max(0, ...args.series.map((s) => s.values.length)),
      },
    },
    codeVersion: codeVersion(),
    hyperParameters: args.hyperParameters,
    metrics: { series: args.series.length, ...selectionMetrics(args.fitted) },
    trainedAt: args.version,
  };
}
