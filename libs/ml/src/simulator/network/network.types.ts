/**
 * Types of the supply-network simulator: configuration, master data, the messages each party's system sends,
 * and the ground truth (injected counterfeit patterns and benign noise) the anomaly evaluation scores against.
 */
import type { DemandConfig } from '../demand/demand.types';

export type OrganisationRole = 'manufacturer' | 'wholesaler' | 'pharmacy';

/**
 * The trade's names (the simulator's and the detectors') against the consortium registry's (DSCSA's): one table, read
 * both ways. The live detector must see a registered distributor as a wholesaler, or every ordinary delivery to a
 * pharmacy looks like a route nobody uses.
 */
export const CONSORTIUM_ROLE: Record<OrganisationRole, 'manufacturer' | 'distributor' | 'dispenser'> = {
  manufacturer: 'manufacturer',
  wholesaler: 'distributor',
  pharmacy: 'dispenser',
};

/** The network role of a consortium role; undefined for roles that hold no stock (regulators). */
export function networkRoleOf(consortiumRole: string): OrganisationRole | undefined {
  return (Object.keys(CONSORTIUM_ROLE) as OrganisationRole[]).find(
    (r) => CONSORTIUM_ROLE[r] === consortiumRole,
  );
}

/** Counterfeit / diversion patterns the simulator can inject; each one is labelled with the packs it touches. */
export type PatternKind =
  | 'cloned_serial'
  | 'unknown_serial'
  | 'reappearance'
  | 'lot_expiry_mismatch'
  | 'impossible_travel'
  | 'custody_break'
  | 'diversion'
  | 'grey_market_spike';

export const PATTERN_KINDS: readonly PatternKind[] = [
  'cloned_serial',
  'unknown_serial',
  'reappearance',
  'lot_expiry_mismatch',
  'impossible_travel',
  'custody_break',
  'diversion',
  'grey_market_spike',
];

/** Deterministic (rule-based) patterns versus the ones only a learned model can see. */
export const HARD_PATTERNS: readonly PatternKind[] = [
  'cloned_serial',
  'unknown_serial',
  'reappearance',
  'lot_expiry_mismatch',
  'impossible_travel',
  'custody_break',
];
export const SOFT_PATTERNS: readonly PatternKind[] = ['diversion', 'grey_market_spike'];

/** Benign noise real systems see; labelled so the false alerts it causes can be counted. */
export type NoiseKind = 'late_upload' | 'duplicate_send' | 'missing_gs_separator' | 'receive_before_ship';

export const NOISE_KINDS: readonly NoiseKind[] = [
  'late_upload',
  'duplicate_send',
  'missing_gs_separator',
  'receive_before_ship',
];

export interface NoiseConfig {
  /** Share of documents uploaded hours late (2–36 h after the last event). */
  lateUpload: number;
  /** Share of documents sent twice (the copy minutes to hours later). */
  duplicateSend: number;
  /**
   * Share of dispensing scans whose scanner dropped the GS separator and whose point-of-sale software then
   * read the lot and expiry into the serial: a dispensing event for a serial that does not exist, followed
   * by a correct re-scan a minute later.
   */
  missingGsSeparator: number;
  /** Share of wholesaler dispatches whose shipping document reaches Pedigree after the pharmacy's receipt. */
  receiveBeforeShip: number;
}

/** Expected injected incidents per simulated week (across the whole network), per pattern. */
export type PatternRates = Record<PatternKind, number>;

export interface NetworkConfig {
  /** First simulated day (ISO date); moved back to its Monday. */
  start: string;
  /** Simulated weeks (the first one stocks the network; demand starts in week 2). */
  weeks: number;
  /** Planning regions, taken in order from the built-in table of European regions (at most 14). */
  regions: number;
  manufacturers: number;
  wholesalersPerRegion: number;
  pharmaciesPerRegion: number;
  products: number;
  /** Products each pharmacy sells (GTIN × pharmacy demand series per pharmacy, on average). */
  productsPerPharmacy: number;
  /** Median weekly units of one GTIN × pharmacy series (below ~2 most days are zero: intermittent demand). */
  pharmacyLevel: number;
  /** Share of pharmacy orders that go to a second wholesaler (nearest other region) when the first is short. */
  secondaryWholesalerShare: number;
  /** Share of dispensed packs that a pharmacy instead decommissions (damaged, returned): benign, rare. */
  decommissionShare: number;
  noise: NoiseConfig;
  patterns: PatternRates;
  /** Share of dispensed packs for which a verification scan string is also emitted (with or without GS). */
  scanSampleShare: number;
  /** Extra settings for the demand generator (its seed is derived from the network seed). */
  demand?: Partial<DemandConfig>;
}

export interface RegionInfo {
  code: string;
  country: string;
  name: string;
  lat: number;
  lon: number;
  /** Radius (km) within which the region's sites are placed. */
  radiusKm: number;
}

export interface SiteInfo {
  gln: string;
  /** SGLN URN of the site as events name it. */
  sgln: string;
  orgId: string;
  name: string;
  role: OrganisationRole;
  region: string;
  country: string;
  lat: number;
  lon: number;
}

export interface OrganisationInfo {
  id: string;
  name: string;
  role: OrganisationRole;
  companyPrefix: string;
  /** GLN of the party itself (PGLN), then of each site. */
  partyGln: string;
  pgln: string;
  glns: string[];
  sites: SiteInfo[];
  region: string;
  country: string;
  lat: number;
  lon: number;
}

export interface NetworkProduct {
  gtin: string;
  name: string;
  manufacturerId: string;
  companyPrefix: string;
  itemReference: string;
  packsPerCase: number;
  shelfLifeMonths: number;
  category: string;
}

export interface MasterData {
  regions: RegionInfo[];
  organisations: OrganisationInfo[];
  products: NetworkProduct[];
}

/** One EPCIS document as its publisher's system sends it to Pedigree (one Kafka message). */
export interface SimulatedMessage {
  /** Position in the send order (0-based); ties in `sentAt` keep this order. */
  seq: number;
  /** The document's `id` (deterministic `urn:uuid:`). */
  documentId: string;
  /** Kafka key: the consignment (SSCC) or lot (`gtin:lot`) the document is about. */
  key: string;
  publisherOrgId: string;
  /** When the document reaches Pedigree (ISO); later than its events for late uploads. */
  sentAt: string;
  document: Record<string, unknown>;
  description: string;
  /** Benign noise this message carries (a late upload, a duplicate copy, ...). */
  noise?: NoiseKind[];
}

/** A verification scan: the barcode string a pharmacy's scanner produced, for the verification scenarios. */
export interface ScanRecord {
  at: string;
  siteGln: string;
  /** AIM symbology identifier + GS1 element string; GS is U+001D when present. */
  barcode: string;
  withSeparator: boolean;
  gtin: string;
  serial: string;
  lot: string;
  expiry: string;
  epc: string;
  /** Injected pattern behind the scanned pack, if any (a copy with another lot, an unknown serial). */
  pattern?: PatternKind;
}

export interface PatternLabel {
  id: string;
  kind: PatternKind;
  description: string;
  /** Packs (SGTIN URNs) the pattern concerns. */
  epcs: string[];
  /** Documents carrying the pattern. */
  documentIds: string[];
  /** CBV 2.0 Event Hash IDs of the events carrying it. */
  eventHashes: string[];
  /** Subject: consignment SSCC, pharmacy GLN + week, or the pack itself. */
  subject: string;
  orgIds: string[];
  startedAt: string;
}

export interface NoiseLabel {
  id: string;
  kind: NoiseKind;
  documentIds: string[];
  epcs: string[];
}

export interface ScenarioLabels {
  seed: number;
  patterns: PatternLabel[];
  noise: NoiseLabel[];
}

export interface ScenarioSummary {
  documents: number;
  events: number;
  packs: number;
  dispensed: number;
  lostSales: number;
  shipments: number;
  patterns: Record<PatternKind, number>;
  noise: Record<NoiseKind, number>;
}

/** Dispensed units per GTIN and site (or region), weekly: what the forecasting backtest reads. */
export interface DispensedSeries {
  seriesId: string;
  /** Monday of each week (ISO). */
  start: string;
  values: number[];
}

export interface SimulatedScenario {
  seed: number;
  config: NetworkConfig;
  master: MasterData;
  /** In send order. */
  messages: SimulatedMessage[];
  labels: ScenarioLabels;
  scans: ScanRecord[];
  dispensed: DispensedSeries[];
  summary: ScenarioSummary;
}
