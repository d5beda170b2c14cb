/**
 * Named network sizes: `tiny` for unit tests (a few thousand events, every pattern at least once for most
 * seeds), `evaluation` for the anomaly evaluation (~100–150k events over half a year), `demo` for the
 * dashboard (40 weeks, as the demo streams). `benign` turns a config into training history: same network, no injected patterns.
 */
import {
  type NetworkConfig,
  type NoiseConfig,
  PATTERN_KINDS,
  type PatternKind,
  type PatternRates,
} from './network.types';

export type NetworkPresetName = 'tiny' | 'evaluation' | 'demo';

/** Rates of benign noise; lateUpload and duplicates in the range EU verification systems report. */
export const DEFAULT_NOISE: NoiseConfig = {
  lateUpload: 0.01,
  duplicateSend: 0.005,
  missingGsSeparator: 0.004,
  receiveBeforeShip: 0.02,
};

export const NO_PATTERNS: PatternRates = {
  cloned_serial: 0,
  unknown_serial: 0,
  reappearance: 0,
  lot_expiry_mismatch: 0,
  impossible_travel: 0,
  custody_break: 0,
  diversion: 0,
  grey_market_spike: 0,
};

export const NETWORK_PRESETS: Readonly<Record<NetworkPresetName, NetworkConfig>> = {
  tiny: {
    start: '2025-01-06',
    weeks: 7,
    regions: 2,
    manufacturers: 2,
    wholesalersPerRegion: 1,
    pharmaciesPerRegion: 4,
    products: 5,
    productsPerPharmacy: 3,
    pharmacyLevel: 4,
    secondaryWholesalerShare: 0.05,
    decommissionShare: 0.01,
    noise: { lateUpload: 0.03, duplicateSend: 0.02, missingGsSeparator: 0.02, receiveBeforeShip: 0.1 },
    patterns: {
      cloned_serial: 2,
      unknown_serial: 2,
      reappearance: 2,
      lot_expiry_mismatch: 2,
      impossible_travel: 2,
      custody_break: 2,
      diversion: 1.5,
      grey_market_spike: 1,
    },
    scanSampleShare: 0.05,
  },
  evaluation: {
    start: '2025-01-06',
    weeks: 26,
    regions: 8,
    manufacturers: 4,
    wholesalersPerRegion: 1,
    pharmaciesPerRegion: 20,
    products: 20,
    productsPerPharmacy: 7,
    pharmacyLevel: 1.8,
    secondaryWholesalerShare: 0.02,
    decommissionShare: 0.002,
    noise: DEFAULT_NOISE,
    patterns: {
      cloned_serial: 3,
      unknown_serial: 2,
      reappearance: 2,
      lot_expiry_mismatch: 1.5,
      impossible_travel: 1,
      custody_break: 1.5,
      diversion: 1,
      grey_market_spike: 0.7,
    },
    scanSampleShare: 0.02,
  },
  demo: {
    start: '2025-01-06',
    // As long as the history the demo streams: models trained on 10 benign weeks (629 shipments, a third of them in
    // the detector's warm-up) found none of 11 diversions in a 20-week run of this network; on 40 weeks, 10 of 11.
    weeks: 40,
    regions: 4,
    manufacturers: 3,
    wholesalersPerRegion: 1,
    pharmaciesPerRegion: 8,
    products: 10,
    productsPerPharmacy: 5,
    pharmacyLevel: 3,
    secondaryWholesalerShare: 0.03,
    decommissionShare: 0.003,
    noise: DEFAULT_NOISE,
    patterns: {
      cloned_serial: 1,
      unknown_serial: 1,
      reappearance: 1,
      lot_expiry_mismatch: 0.5,
      impossible_travel: 0.5,
      custody_break: 0.5,
      diversion: 0.5,
      grey_market_spike: 0.3,
    },
    scanSampleShare: 0.05,
  },
};

/** The same network without injected patterns: benign history to train the learned scorer on. */
export function benignConfig(config: NetworkConfig): NetworkConfig {
  return { ...config, patterns: { ...NO_PATTERNS } };
}

/**
 * `cloned_serial=0.5,unknown_serial=0`: counterfeit incidents per simulated week (the simulator draws them as a
 * Poisson process from the pattern's start week); names checked against the simulator's. Throws naming what is wrong.
 */
export function parsePatternRates(text: string | undefined): Partial<Record<PatternKind, number>> {
  if (!text) return {};
  const out: Partial<Record<PatternKind, number>> = {};
  for (const part of text.split(',').filter(Boolean)) {
    const [name, count] = part.split('=');
    if (!PATTERN_KINDS.includes(name as PatternKind))
      throw new Error(`unknown pattern "${name}" (patterns: ${PATTERN_KINDS.join(', ')})`);
    const n = Number(count);
    if (count === undefined || count.trim() === '' || !Number.isFinite(n) || n < 0)
      throw new Error(`${name} needs incidents per week ≥ 0, as in ${name}=0.5`);
    out[name as PatternKind] = n;
  }
  return out;
}
