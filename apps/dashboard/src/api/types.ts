/** The Pedigree API contract the dashboard is built against (`/v1/*`). */

export type Role = 'manufacturer' | 'distributor' | 'dispenser' | 'regulator' | 'admin';

export interface Me {
  role: Role;
  organisationId?: string;
  organisationName?: string;
}

/** RFC 9457 problem details, as every API error is answered. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  field?: string;
}

/** Whose word a name is: the identifier's owner, your own organisation (the owner said nothing), the registry. */
export type NameSource = 'owner' | 'own' | 'registry';

/** What master data calls a GS1 key: the product of a GTIN or pack, the place or party of a GLN. */
export interface IdentifierName {
  kind: 'product' | 'location';
  /** `Amoxicillin 500 mg`, `Apotheke am Markt`. */
  label: string;
  name: string;
  strength?: string;
  address?: string;
  gtin?: string;
  gln?: string;
  source: NameSource;
}

/** A response's identifiers (as it spells them) → their names; identifiers nobody named are absent. */
export type IdentifierNames = Record<string, IdentifierName>;

export type Severity = 'low' | 'medium' | 'high' | 'critical';
export const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low'];

export interface LatestEvent {
  eventHash: string;
  eventType: string;
  bizStep: string | null;
  eventTime: string;
  bizLocation: string | null;
}

export interface Overview {
  eventsPerSecond: number;
  eventsLastHour: number;
  anchoringLagSeconds: { p50: number; p99: number };
  anchoringBacklog: { events: number; oldestSeconds: number; overdue: number };
  openAlertsBySeverity: Record<Severity, number>;
  shipmentsInTransit: number;
  shipmentsOverdue: number;
  latestEvents: LatestEvent[];
  /** The latest events' locations. */
  names?: IdentifierNames;
}

export type ShipmentStatus = 'in_transit' | 'received';

export interface Shipment {
  consignment: string;
  fromParty: string | null;
  fromOrganisation: string | null;
  toParty: string | null;
  toOrganisation: string | null;
  shippedAt: string;
  receivedAt: string | null;
  status: ShipmentStatus;
  ageHours: number;
  overdue: boolean;
  packCount: number;
  gtins: string[];
  lots: string[];
  shipTransactionHash: string | null;
}

export interface ShipmentPage {
  items: Shipment[];
  /** The shipments' products and parties. */
  names?: IdentifierNames;
}

export interface ShipmentQuery {
  status?: ShipmentStatus | 'all';
  party?: string;
  gtin?: string;
  lot?: string;
  overdue?: boolean;
  limit?: number;
}

export type AlertStatus = 'open' | 'acknowledged' | 'resolved';
export const ALERT_STATUSES: readonly AlertStatus[] = ['open', 'acknowledged', 'resolved'];

export interface AlertComment {
  at: string;
  by: string;
  action: string;
  text: string;
}

export interface Alert {
  id: string;
  kind: string;
  severity: Severity;
  status: AlertStatus;
  score: number;
  summary: string;
  epcs: string[];
  gtin: string | null;
  lot: string | null;
  occurrences: number;
  openedAt: string;
  updatedAt: string;
  evidence: {
    eventHashes: string[];
    rules: string[];
    features?: Record<string, number>;
    /** The API key a verification-harvesting alert is about. */
    apiKeyId?: string;
    /** Name → version of the detector's models when it was raised (their cards: `/v1/models`). */
    models?: Record<string, string>;
  };
  comments: AlertComment[];
}

export interface AlertEvent {
  eventHash: string;
  eventType: string;
  bizStep: string | null;
  eventTime: string;
  bizLocation: string | null;
  epcs: string[];
}

export interface AlertDetail extends Alert {
  events: AlertEvent[];
  /** Its product, packs and the events' locations. */
  names?: IdentifierNames;
}

export interface AlertPage {
  items: Alert[];
  nextCursor: string | null;
  /** The alerts' products and first packs. */
  names?: IdentifierNames;
}

export interface AlertGroup {
  kind: string;
  severity: Severity;
  open: number;
  acknowledged: number;
  oldestOpenedAt: string;
}

export interface AlertsSummary {
  unresolved: number;
  groups: AlertGroup[];
}

export interface AlertQuery {
  status?: AlertStatus;
  severity?: Severity;
  kind?: string;
  epc?: string;
  limit?: number;
  cursor?: string;
}

export interface VerifyReason {
  code: string;
  effect: string;
  message: string;
  dscsa?: string;
  euFmd?: string;
}

export interface VerifyResult {
  verified: boolean;
  status: 'verified' | 'not_verified' | 'pending';
  reasons: VerifyReason[];
  gtin: string;
  serial: string;
  lot?: string;
  expiry?: string;
  epc?: string;
  packStatus?: string;
  scanWarnings?: string[];
  checkedAt: string;
}

export type Verdict = 'verified' | 'pending' | 'unanchored' | 'tampered' | 'unverifiable' | 'unknown';

export interface HopAnchor {
  batchId: string;
  merkleRoot: string;
  leafIndex: number;
  proof: string[];
  status: string;
  transactionHash: string | null;
  blockNumber: number | null;
}

export interface HopCustodyChain {
  status: 'confirmed' | 'mismatch' | 'not_on_chain' | 'unavailable';
  consignmentId: string;
  from?: string;
  to?: string;
  sequence?: number;
  transactionHash?: string;
  blockNumber?: number;
  reasons: string[];
}

export interface HopCustody {
  action: 'ship' | 'receive';
  consignment: string;
  fromParty: string | null;
  toParty: string | null;
  status: string;
  shipTransactionHash: string | null;
  shipBlock: number | null;
  receiveTransactionHash: string | null;
  receiveBlock: number | null;
  chainError: string | null;
  chain: HopCustodyChain;
}

export interface HopCheck {
  status: Verdict;
  hashMatches: boolean;
  proofValid: boolean | null;
  rootOnChain: boolean | null;
  recomputedHash: string | null;
  reasons: string[];
}

export interface Hop {
  eventHash: string;
  eventId: string | null;
  eventType: string;
  action: string | null;
  bizStep: string | null;
  disposition: string | null;
  eventTime: string;
  bizLocation: string | null;
  via: string | null;
  flags: { code: string; detail: string }[];
  anchor: HopAnchor | null;
  custody: HopCustody | null;
  check: HopCheck;
}

export interface Provenance {
  epc: string;
  digitalLink?: string;
  gtin: string | null;
  serial: string | null;
  lot: string | null;
  expiry: string | null;
  status: string;
  custodian: string | null;
  parent: string | null;
  verdict: Verdict;
  checkedAt: string;
  hops: Hop[];
  state: StateCheck;
  /** The pack's product, its custodian, and the hops' locations and parties. */
  names?: IdentifierNames;
}

/** A Merkle-Patricia proof of one key of the pack-state map against the chain's latest state root. */
export interface StateProof {
  stateRoot: string;
  key: string;
  leaf: Record<string, unknown> | null;
  nodes: string[];
}

/** The pack's facts and history checked against EventAnchor.latestState(). */
export interface StateCheck {
  status: 'verified' | 'pending' | 'unanchored' | 'tampered' | 'absent' | 'unverifiable';
  reasons: string[];
  stateRoot: string | null;
  committedAtBlock: number | null;
  committedSteps: number;
  proof: StateProof | null;
  alertsProof: StateProof | null;
}

export interface ForecastPoint {
  periodStart: string;
  horizon: number;
  p50: number;
  p10: number;
  p90: number;
  p025: number;
  p975: number;
}

export interface ForecastSeries {
  seriesId: string;
  gtin: string;
  region: string | null;
  method: string;
  /** The version of the forecaster run that published it: its card is `demand-forecaster` at this version. */
  modelVersion: string;
  history: { periodStart: string; value: number }[];
  forecast: ForecastPoint[];
}

export interface Forecasts {
  /** `name`: the product's name and strength from master data, when known. */
  products: { gtin: string; name?: string }[];
  regions: string[];
  series: ForecastSeries[];
}

/**
 * A trained model's card (`libs/common/src/model-card/model-card.ts`, mirrored: that module hashes with node:crypto,
 * which the browser has not): what trained it, on what, how well. Its digest is anchored on chain.
 */
export interface ModelCard {
  v: 1;
  /** Model family, e.g. `anomaly-shipment`, `demand-forecaster`. */
  name: string;
  version: string;
  /** SHA-256 (hex) of the stored artefact: canonical topology, canonical weight specs, raw weights. */
  weightsHash: string;
  /** SHA-256 (hex) of the exact training set, one canonical JSON line per item, in training order. */
  trainingSetHash: string;
  trainingItems: number;
  /** Where the training set came from (a simulator seed and scale, or the members' dispensing history). */
  trainingSource: Record<string, unknown>;
  /** `pedigree@<version>`: the code that trained it. */
  codeVersion: string;
  hyperParameters: Record<string, unknown>;
  metrics: Record<string, number>;
  trainedAt: string;
}

/** Where a card's digest was anchored: a leaf of an EventAnchor batch, like an event. */
export interface ModelAnchor {
  batchId: string;
  leafIndex: number;
  merkleRoot: string;
  /** `prepared`, `submitted` or `confirmed`. */
  status: string;
  transactionHash: string | null;
  blockNumber: number | null;
}

/** One trained model in `GET /v1/models`. */
export interface ModelSummary {
  name: string;
  version: string;
  createdAt: string;
  card: ModelCard | null;
  /** The digest the ledger was asked to anchor, and whether the card stored now still has it. */
  cardDigest: string | null;
  cardMatchesDigest: boolean | null;
  /** Null: not anchored yet. */
  anchor: ModelAnchor | null;
}

/** `GET /v1/models/{name}/{version}`: the card with its stored weights and the Merkle proof of its anchor. */
export interface ModelAudit extends ModelSummary {
  /** `weightData` is base64. */
  weights: { topology: object; weightSpecs: unknown[]; weightData: string };
  /** The exact training set, where the model keeps it (the demand forecaster's series). */
  trainingSet: unknown[] | null;
  anchor: (ModelAnchor & { proof: string[] }) | null;
}

/** What the SSE stream (`/v1/stream`) sends, by event name. */
export interface StreamMessages {
  stats: Overview;
  alert: Alert;
  event: LatestEvent;
}
