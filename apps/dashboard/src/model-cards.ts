/** What the model pages derive from a card: links, anchor state, the audit command, the figures worth a glance. */
import type { ModelCard, ModelSummary } from './api/types';
import { href } from './hooks/use-route';

/** The demand forecaster's model name: every forecast's `modelVersion` is a version of it. */
export const FORECASTER_MODEL = 'demand-forecaster';

/** What each model family does, for readers who meet the names on alerts and forecasts. */
export const MODEL_PURPOSE: Record<string, string> = {
  'anomaly-shipment':
    'Anomaly detector for shipments: scores each consignment’s features against what benign trade looks like.',
  'anomaly-pharmacy-week':
    'Anomaly detector for a pharmacy’s week: scores its dispensing against what benign trade looks like.',
  'demand-forecaster':
    'Demand forecaster: one run per retraining; every forecast names the run that made it.',
};

export function modelHref(name: string, version: string): string {
  return href(`/models/${encodeURIComponent(name)}/${encodeURIComponent(version)}`);
}

/**
 * Anchored: the digest is in a confirmed batch. Pending: sent to the ledger, not confirmed yet. Edited: the card
 * stored now is not the one sent for anchoring, so the audit cannot prove it. No card: saved before cards existed.
 */
export type ModelAnchorState = 'anchored' | 'pending' | 'edited' | 'no-card';

export function anchorState(model: ModelSummary): ModelAnchorState {
  if (!model.card) return 'no-card';
  if (model.cardMatchesDigest === false) return 'edited';
  return model.anchor?.status === 'confirmed' ? 'anchored' : 'pending';
}

/**
 * The command that checks the card without trusting Pedigree. The RPC is a placeholder on purpose: the point is
 * to ask a node the auditor trusts, not the one Pedigree runs.
 */
export function auditCommand(name: string, version: string): string {
  return `pedigree audit model ${name} ${version} --rpc <your-node-url>`;
}

/** Anomaly models train on a seeded simulation: the audit can rebuild their set instead of reading a stored one. */
export function isSimulated(card: ModelCard): boolean {
  return typeof card.trainingSource.simulator === 'string';
}

// Said first, whatever order the stored JSON keeps: what kind of source it is.
const SOURCE_FIRST = ['simulator', 'kind'];

/** `simulator benign-network · seed 2026 · scale tiny`, or the source's own description. */
export function describeSource(source: Record<string, unknown>): string {
  if (typeof source.description === 'string') return source.description;
  const rank = (key: string) => (SOURCE_FIRST.includes(key) ? 0 : 1);
  const parts = Object.entries(source)
    .sort(([a], [b]) => rank(a) - rank(b))
    .filter(([, value]) => ['string', 'number', 'boolean'].includes(typeof value))
    .map(([key, value]) => `${key} ${String(value)}`);
  return parts.join(' · ') || '—';
}

// Error-like measures say how well a model did; counts (rows, series) only say how much it saw.
const QUALITY = /error|mase|loss|accuracy|auc|precision|recall|f1/i;

/** The few metrics worth a column: quality measures first, then the rest, in the card's order. */
export function keyMetrics(metrics: Record<string, number>, count = 3): [string, number][] {
  const entries = Object.entries(metrics);
  return [
    ...entries.filter(([name]) => QUALITY.test(name)),
    ...entries.filter(([name]) => !QUALITY.test(name)),
  ].slice(0, count);
}

/** Models by name (alphabetical), each name's versions newest first. */
export function groupByName(models: readonly ModelSummary[]): [string, ModelSummary[]][] {
  const groups = new Map<string, ModelSummary[]>();
  for (const model of models) groups.set(model.name, [...(groups.get(model.name) ?? []), model]);
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, versions]) => [name, versions.sort((a, b) => b.createdAt.localeCompare(a.createdAt))]);
}

/** Bytes held by a base64 string. */
export function base64Bytes(data: string): number {
  const padding = data.endsWith('==') ? 2 : data.endsWith('=') ? 1 : 0;
  return Math.max(0, (data.length * 3) / 4 - padding);
}
