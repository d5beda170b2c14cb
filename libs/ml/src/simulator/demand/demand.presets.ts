/**
 * Named data-set shapes used by the forecasting evaluation and handy for demos. All weekly, starting on a
 * Monday in January so two or three flu seasons are inside the window.
 */
import type { DemandConfig } from './demand.types';

export type DemandPresetName = 'mixed' | 'demo' | 'smooth-seasonal' | 'intermittent' | 'tiny';

export const DEMAND_PRESETS: Readonly<Record<DemandPresetName, DemandConfig>> = {
  /** The realistic case: 3 years, wholesaler regions plus single pharmacies, every event type. */
  mixed: {
    start: '2022-01-03',
    weeks: 156,
    products: 30,
    regions: 8,
    pharmacySeries: 160,
    pharmaciesPerRegion: 25,
    pharmacyLevel: 1,
    launchShare: 0.1,
    discontinuationShare: 0.07,
  },
  /** The demo: ~200 series over 2 years. */
  demo: {
    start: '2023-01-02',
    weeks: 104,
    products: 20,
    regions: 6,
    pharmacySeries: 80,
    pharmaciesPerRegion: 20,
    launchShare: 0.1,
    discontinuationShare: 0.05,
  },
  /** High-volume regional series with strong yearly seasonality, no shortages or lifecycle events. */
  'smooth-seasonal': {
    start: '2022-01-03',
    weeks: 156,
    products: 25,
    regions: 8,
    regionLevel: 800,
    categoryWeights: { chronic: 0.1, flu: 0.4, allergy: 0.25, antibiotic: 0.15, otc: 0.1 },
    seasonalityScale: 1.2,
    shortages: false,
    promotions: { perYear: 0.5, uplift: [1.2, 1.5], weeks: [1, 2] },
  },
  /** Single pharmacies only: mostly zeros, occasional small counts. */
  intermittent: {
    start: '2022-01-03',
    weeks: 156,
    products: 40,
    regions: 6,
    regionSeries: false,
    pharmacySeries: 300,
    pharmaciesPerRegion: 30,
    pharmacyLevel: 0.5,
    launchShare: 0.05,
    discontinuationShare: 0.05,
  },
  /** Five series: checks that selection does not trust a model trained on almost nothing. */
  tiny: {
    start: '2023-01-02',
    weeks: 104,
    products: 5,
    regions: 1,
    pharmacySeries: 0,
  },
};
