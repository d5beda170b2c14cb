/**
 * One score per alert candidate: deterministic findings carry a fixed confidence near 1 (how rarely the rule's
 * evidence has an innocent explanation once the grace period is over), learned findings their calibrated model
 * score; when both speak about one subject they combine as independent evidence (noisy-OR). Severity follows the
 * kind (what is at stake for patients) and is lowered when the score is weak.
 */
import type { AlertSeverity, AnomalyKind } from './anomaly.types';

export const RULE_SCORES: Readonly<Record<AnomalyKind, number>> = {
  cloned_serial: 0.97,
  unknown_serial: 0.95,
  reappearance: 0.97,
  lot_mismatch: 0.96,
  expiry_mismatch: 0.95,
  impossible_travel: 0.93,
  custody_break: 0.9,
  diversion: 0,
  grey_market_spike: 0,
  expired_dispensed: 0.7,
  // Measured by the shipment's own sensor against the product's stated range: no inference to doubt.
  temperature_excursion: 0.99,
};

const BASE_SEVERITY: Readonly<Record<AnomalyKind, AlertSeverity>> = {
  cloned_serial: 'critical',
  unknown_serial: 'critical',
  reappearance: 'critical',
  lot_mismatch: 'high',
  expiry_mismatch: 'high',
  impossible_travel: 'high',
  custody_break: 'high',
  diversion: 'medium',
  grey_market_spike: 'medium',
  expired_dispensed: 'medium',
  temperature_excursion: 'high',
};

const ORDER: readonly AlertSeverity[] = ['low', 'medium', 'high', 'critical'];

/** Noisy-OR of independent pieces of evidence, each a probability-like score in [0, 1]. */
export function combineScores(...scores: (number | undefined)[]): number {
  let miss = 1;
  for (const s of scores) if (s !== undefined && Number.isFinite(s)) miss *= 1 - Math.min(1, Math.max(0, s));
  return 1 - miss;
}

/**
 * Rule findings: the kind's severity, one level lower below 0.8, two below 0.6 (weak evidence for a grave kind).
 * Model findings: medium from the alert threshold (0.5, the posterior at the assumed base rate), high from 0.95.
 */
export function severityFor(kind: AnomalyKind, score: number): AlertSeverity {
  if (RULE_SCORES[kind] === 0) return score >= 0.95 ? 'high' : score >= 0.5 ? 'medium' : 'low';
  let level = ORDER.indexOf(BASE_SEVERITY[kind]);
  if (score < 0.6) level -= 2;
  else if (score < 0.8) level -= 1;
  return ORDER[Math.max(0, level)]!;
}

export function dedupeKey(kind: AnomalyKind, subject: string): string {
  return `${kind}:${subject}`;
}
