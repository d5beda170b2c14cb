/**
 * Pack-level scoring of alerts against the simulator's ground truth. A pack counts for pattern K when an alert
 * of a kind that stands for K names it (so attribution matters: a clone reported as a custody break is a miss
 * for clones and a false alert for custody breaks). Ranking metrics also use the learned scorers' scores below
 * the alert threshold, so PR-AUC reflects the whole score, not only what alerted.
 */
import type { AlertCandidate, AnomalyKind, ScoredUnit } from '../anomaly/anomaly.types';
import type { PatternKind, ScenarioLabels } from '../simulator/network/network.types';
import { PATTERN_KINDS } from '../simulator/network/network.types';

/** Which alert kinds stand for which injected pattern. */
export const KINDS_FOR_PATTERN: Readonly<Record<PatternKind, readonly AnomalyKind[]>> = {
  cloned_serial: ['cloned_serial'],
  unknown_serial: ['unknown_serial'],
  reappearance: ['reappearance'],
  lot_expiry_mismatch: ['lot_mismatch', 'expiry_mismatch'],
  impossible_travel: ['impossible_travel'],
  custody_break: ['custody_break'],
  diversion: ['diversion'],
  grey_market_spike: ['grey_market_spike'],
};

export interface PatternMetrics {
  pattern: PatternKind;
  incidents: number;
  /** Incidents with at least one of their packs alerted under the right kind. */
  incidentsDetected: number;
  positivePacks: number;
  alertedPacks: number;
  truePositivePacks: number;
  precision: number;
  recall: number;
  f1: number;
  /** Average precision over all packs ranked by this pattern's score (area under the PR curve). */
  prAuc: number;
  /** Precision among the top `budget` packs by this pattern's score. */
  precisionAtBudget: number;
  /** The best precision possible at that budget (positives / budget, at most 1). */
  precisionAtBudgetCeiling: number;
  /** Packs of this pattern alerted only under other kinds, by kind. */
  confusedWith: Record<string, number>;
  /** Incidents none of whose packs was alerted under the right kind, in the simulator's words. */
  missed: string[];
}

export interface FalseAlertSummary {
  /** Packs alerted (any kind) that carry no injected pattern. */
  packs: number;
  rate: number;
  byKind: Record<string, number>;
  /** Of those, packs touched by labelled benign noise (late uploads, misreads, ...). */
  onNoisePacks: number;
  /** The highest-scored alerts that name no labelled pack, for a reader to see what the detector got wrong. */
  examples: { kind: AnomalyKind; subject: string; score: number; summary: string }[];
}

const FALSE_ALERT_EXAMPLES = 20;

export interface AlertEvaluation {
  packs: number;
  budget: number;
  patterns: PatternMetrics[];
  falseAlerts: FalseAlertSummary;
  /** Precision among the top `budget` packs by their highest score of any kind. */
  overallPrecisionAtBudget: number;
  alerts: number;
  alertsByKind: Record<string, number>;
}

export interface EvaluateAlertsInput {
  labels: ScenarioLabels;
  /** Every pack identifier in the scenario (SGTIN URNs). */
  universe: ReadonlySet<string>;
  alerts: readonly AlertCandidate[];
  scored?: readonly ScoredUnit[];
  /** Alert budget as a share of packs (default 1%). */
  budgetShare?: number;
}

export function evaluateAlerts(input: EvaluateAlertsInput): AlertEvaluation {
  const { labels, universe, alerts } = input;
  const budget = Math.max(1, Math.ceil(universe.size * (input.budgetShare ?? 0.01)));
  const positives = new Map<PatternKind, Set<string>>();
  const anyLabel = new Set<string>();
  for (const label of labels.patterns) {
    const set = positives.get(label.kind) ?? new Set<string>();
    for (const epc of label.epcs) {
      if (!universe.has(epc)) continue;
      set.add(epc);
      anyLabel.add(epc);
    }
    positives.set(label.kind, set);
  }
  const noisePacks = new Set(labels.noise.flatMap((n) => n.epcs));

  // Pack scores per alert kind: alerts (predicted) and alerts + scored units (ranking).
  const alertedByKind = new Map<AnomalyKind, Map<string, number>>();
  const rankedByKind = new Map<AnomalyKind, Map<string, number>>();
  const bump = (
    store: Map<AnomalyKind, Map<string, number>>,
    kind: AnomalyKind,
    epc: string,
    score: number,
  ) => {
    if (!universe.has(epc)) return;
    const scores = store.get(kind) ?? new Map<string, number>();
    if ((scores.get(epc) ?? -1) < score) scores.set(epc, score);
    store.set(kind, scores);
  };
  const alertsByKind: Record<string, number> = {};
  for (const alert of alerts) {
    alertsByKind[alert.kind] = (alertsByKind[alert.kind] ?? 0) + 1;
    for (const epc of alert.epcs) {
      bump(alertedByKind, alert.kind, epc, alert.score);
      bump(rankedByKind, alert.kind, epc, alert.score);
    }
  }
  for (const unit of input.scored ?? [])
    for (const epc of unit.epcs) bump(rankedByKind, unit.kind, epc, unit.score);

  const merged = (store: Map<AnomalyKind, Map<string, number>>, kinds: readonly AnomalyKind[]) => {
    const out = new Map<string, number>();
    for (const kind of kinds)
      for (const [epc, s] of store.get(kind) ?? []) if ((out.get(epc) ?? -1) < s) out.set(epc, s);
    return out;
  };

  const patterns: PatternMetrics[] = PATTERN_KINDS.map((pattern) => {
    const pos = positives.get(pattern) ?? new Set<string>();
    const kinds = KINDS_FOR_PATTERN[pattern];
    const predicted = merged(alertedByKind, kinds);
    const ranked = merged(rankedByKind, kinds);
    let tp = 0;
    for (const epc of predicted.keys()) if (pos.has(epc)) tp++;
    const precision = predicted.size > 0 ? tp / predicted.size : pos.size === 0 ? 1 : 0;
    const recall = pos.size > 0 ? tp / pos.size : 1;
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    const confusedWith: Record<string, number> = {};
    for (const epc of pos) {
      if (predicted.has(epc)) continue;
      for (const [kind, scores] of alertedByKind) {
        if (!kinds.includes(kind) && scores.has(epc)) confusedWith[kind] = (confusedWith[kind] ?? 0) + 1;
      }
    }
    const incidents = labels.patterns.filter((l) => l.kind === pattern);
    return {
      pattern,
      incidents: incidents.length,
      incidentsDetected: incidents.filter((l) => l.epcs.some((e) => predicted.has(e))).length,
      missed: incidents.filter((l) => !l.epcs.some((e) => predicted.has(e))).map((l) => l.description),
      positivePacks: pos.size,
      alertedPacks: predicted.size,
      truePositivePacks: tp,
      precision,
      recall,
      f1,
      prAuc: averagePrecision(ranked, pos, universe.size),
      precisionAtBudget: precisionAtK(ranked, pos, budget),
      precisionAtBudgetCeiling: Math.min(1, pos.size / budget),
      confusedWith,
    };
  });

  const anyAlerted = new Map<string, AnomalyKind[]>();
  for (const [kind, scores] of alertedByKind)
    for (const epc of scores.keys()) anyAlerted.set(epc, [...(anyAlerted.get(epc) ?? []), kind]);
  const byKind: Record<string, number> = {};
  let falsePacks = 0;
  let onNoise = 0;
  for (const [epc, kinds] of anyAlerted) {
    if (anyLabel.has(epc)) continue;
    falsePacks++;
    if (noisePacks.has(epc)) onNoise++;
    for (const kind of new Set(kinds)) byKind[kind] = (byKind[kind] ?? 0) + 1;
  }
  const overall = new Map<string, number>();
  for (const scores of rankedByKind.values())
    for (const [epc, s] of scores) if ((overall.get(epc) ?? -1) < s) overall.set(epc, s);
  return {
    packs: universe.size,
    budget,
    patterns,
    falseAlerts: {
      packs: falsePacks,
      rate: universe.size > 0 ? falsePacks / universe.size : 0,
      byKind,
      onNoisePacks: onNoise,
      examples: falseAlertExamples(alerts, anyLabel),
    },
    overallPrecisionAtBudget: precisionAtK(overall, anyLabel, budget),
    alerts: alerts.length,
    alertsByKind,
  };
}

function falseAlertExamples(
  alerts: readonly AlertCandidate[],
  labelled: ReadonlySet<string>,
): FalseAlertSummary['examples'] {
  // An alert emitted again as its evidence grows is one alert (the service updates it by its key): the last stands.
  const latest = new Map(alerts.map((a) => [a.dedupeKey, a]));
  return [...latest.values()]
    .filter((a) => a.epcs.length > 0 && !a.epcs.some((epc) => labelled.has(epc)))
    .sort((a, b) => b.score - a.score)
    .slice(0, FALSE_ALERT_EXAMPLES)
    .map((a) => ({ kind: a.kind, subject: a.subject, score: a.score, summary: a.summary }));
}

/**
 * Average precision (step-wise area under the precision-recall curve, as scikit-learn computes it): packs that
 * were never scored rank last, tied, at score 0.
 */
export function averagePrecision(
  scores: ReadonlyMap<string, number>,
  positives: ReadonlySet<string>,
  universeSize: number,
): number {
  if (positives.size === 0) return 1;
  const groups = new Map<number, { n: number; pos: number }>();
  let scoredPositives = 0;
  for (const [epc, s] of scores) {
    const g = groups.get(s) ?? { n: 0, pos: 0 };
    g.n++;
    if (positives.has(epc)) {
      g.pos++;
      scoredPositives++;
    }
    groups.set(s, g);
  }
  const unscored = universeSize - scores.size;
  const unscoredPositives = positives.size - scoredPositives;
  if (unscored > 0) {
    const g = groups.get(0) ?? { n: 0, pos: 0 };
    groups.set(0, { n: g.n + unscored, pos: g.pos + unscoredPositives });
  }
  let seen = 0;
  let hits = 0;
  let ap = 0;
  for (const s of [...groups.keys()].sort((a, b) => b - a)) {
    const g = groups.get(s)!;
    seen += g.n;
    hits += g.pos;
    if (g.pos > 0) ap += (g.pos / positives.size) * (hits / seen);
  }
  return ap;
}

/** Precision among the k highest-scored packs (ties broken by identifier, for reproducibility). */
export function precisionAtK(
  scores: ReadonlyMap<string, number>,
  positives: ReadonlySet<string>,
  k: number,
): number {
  const ranked = [...scores]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, k);
  if (k <= 0) return 0;
  let hits = 0;
  for (const [epc] of ranked) if (positives.has(epc)) hits++;
  return hits / k;
}
