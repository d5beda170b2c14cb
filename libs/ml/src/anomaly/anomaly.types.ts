/**
 * Public types of the anomaly detector: what it is told (master data), what it returns (alert candidates in the
 * shape the intelligence service stores), and the hooks evaluation and training use.
 */

/** What an alert is about. `lot_mismatch` and `expiry_mismatch` together cover the lot/expiry copy pattern. */
export type AnomalyKind =
  | 'cloned_serial'
  | 'unknown_serial'
  | 'reappearance'
  | 'lot_mismatch'
  | 'expiry_mismatch'
  | 'impossible_travel'
  | 'custody_break'
  | 'diversion'
  | 'grey_market_spike'
  | 'expired_dispensed'
  | 'temperature_excursion';

export const ANOMALY_KINDS: readonly AnomalyKind[] = [
  'cloned_serial',
  'unknown_serial',
  'reappearance',
  'lot_mismatch',
  'expiry_mismatch',
  'impossible_travel',
  'custody_break',
  'diversion',
  'grey_market_spike',
  'expired_dispensed',
  'temperature_excursion',
];

export type AlertSeverity = 'low' | 'medium' | 'high' | 'critical';

export interface TopFeature {
  name: string;
  value: number;
  /** Share of the reconstruction error this feature explains (0..1). */
  contribution: number;
}

/**
 * One alert to open or update. Structurally a superset of the intelligence service's `AlertCandidate`, so it can
 * be handed to `AlertsRepository.upsert` as is.
 */
export interface AlertCandidate {
  /** `kind:subject`: the same finding about the same thing updates one alert instead of opening another. */
  dedupeKey: string;
  kind: AnomalyKind;
  /** The consignment, pack, or pharmacy-week the alert is about. */
  subject: string;
  severity: AlertSeverity;
  /** Combined score in [0, 1]: deterministic rules near 1, model scores as calibrated tail probabilities. */
  score: number;
  epcs: string[];
  gtin: string | null;
  lot: string | null;
  summary: string;
  evidence: {
    eventHashes: string[];
    rules: string[];
    /** Values of the top contributing features (model findings). */
    features?: Record<string, number>;
    topFeatures?: TopFeature[];
    modelScore?: number;
  };
  orgIds: string[];
  /**
   * Set when the evidence no longer supports the open alert with this key (a late commissioning explains an
   * "unknown" serial): the alert is to be closed with this note, not opened.
   */
  resolution?: string;
  /** Event time of the observation that triggered the alert (ISO). */
  observedAt: string;
}

/** A site (location GLN) with where it is and who runs it. */
export interface SiteRef {
  gln: string;
  orgId: string;
  role?: string;
  region?: string;
  country?: string;
  lat?: number;
  lon?: number;
}

/** Master data the detector needs: sites, and which party GLNs and company prefixes belong to which organisation. */
export interface DetectorMasterData {
  sites: SiteRef[];
  /** Party GLNs (PGLN) → organisation. */
  parties?: { gln: string; orgId: string }[];
  /** GS1 company prefixes → organisation. */
  prefixes?: { prefix: string; orgId: string }[];
}

/** A unit the learned scorer looked at (every one, alerting or not): evaluation computes PR-AUC from these. */
export interface ScoredUnit {
  family: FeatureFamily;
  kind: AnomalyKind;
  subject: string;
  epcs: string[];
  score: number;
  observedAt: string;
}

export type FeatureFamily = 'shipment' | 'pharmacy_week';

/** A feature vector as produced while observing (training data collection, diagnostics). */
export interface FeatureRecord {
  family: FeatureFamily;
  subject: string;
  values: number[];
  observedAt: string;
}

/** A trained, calibrated scorer for one feature family; synchronous so the detector's API stays synchronous. */
export interface VectorScorer {
  readonly family: FeatureFamily;
  readonly featureNames: readonly string[];
  score(values: readonly number[]): { score: number; error: number; contributions: number[] };
}

export interface DetectorStats {
  acceptedEvents: number;
  deadLetters: number;
  duplicatesIgnored: number;
  packsTracked: number;
  containersTracked: number;
  evictions: number;
  pending: number;
  /** Events the reorder stage holds until the stream has passed their time. */
  held: number;
  explainedAsScanError: number;
  resolvedAsBenign: number;
  alertsEmitted: number;
  scoredUnits: Record<FeatureFamily, number>;
}
