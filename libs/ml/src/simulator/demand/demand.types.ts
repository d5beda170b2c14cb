export type DemandFrequency = 'weekly' | 'daily';

/** Therapeutic demand patterns: what drives a product's yearly seasonality. */
export type ProductCategory = 'chronic' | 'flu' | 'allergy' | 'antibiotic' | 'otc';

export interface PromotionConfig {
  /** Expected promotions per GTIN × region per year. */
  perYear: number;
  /** Multiplicative uplift range while the promotion runs. */
  uplift: [number, number];
  /** Duration range in weeks. */
  weeks: [number, number];
}

export interface ShortageConfig {
  /** Expected supply shortages per GTIN × region per year. */
  perYear: number;
  weeks: [number, number];
  /** Share of normal expected demand that can still be supplied (observed demand is capped there). */
  fillRate: [number, number];
}

export interface DemandConfig {
  /** First simulated day (ISO date); moved back to the Monday of its ISO week so weeks are whole. */
  start: string;
  /** Simulated length in weeks. */
  weeks: number;
  /** Output frequency; daily output sums exactly to the weekly one (see `aggregateToWeekly`). */
  frequency?: DemandFrequency;
  /** Number of GTINs. */
  products: number;
  regions: number;
  /** Emit one GTIN × region series per product and region (default true). */
  regionSeries?: boolean;
  /** Number of GTIN × pharmacy series (a seeded sample of product × pharmacy pairs; default 0). */
  pharmacySeries?: number;
  pharmaciesPerRegion?: number;
  /** Relative frequency of each category among products (default: mostly chronic, some flu/allergy). */
  categoryWeights?: Partial<Record<ProductCategory, number>>;
  /** Median weekly units of a GTIN × region series (log-normal spread across products and regions). */
  regionLevel?: number;
  /** Median weekly units of a GTIN × pharmacy series; below ~2 most weeks are zero. */
  pharmacyLevel?: number;
  /** Negative-binomial size of daily counts for region / pharmacy series (Infinity = Poisson). */
  dispersion?: { region: number; pharmacy: number };
  /** Standard deviation of the yearly log growth rate per product. */
  trendSd?: number;
  /** Weekly standard deviation of a slow log random walk in each series' level (market share drift). */
  levelDriftSd?: number;
  /** Multiplies every category's seasonal amplitude (0 switches yearly seasonality off). */
  seasonalityScale?: number;
  promotions?: PromotionConfig | false;
  shortages?: ShortageConfig | false;
  /** Share of products launched during the window (their series start at launch). */
  launchShare?: number;
  /** Share of products discontinued during the window (demand decays to zero and stays there). */
  discontinuationShare?: number;
}

/** Ground truth behind every value, per output period. */
export interface DemandComponents {
  /** Underlying level × trend × drift, units per period, before seasonality and events. */
  level: number[];
  /** Mean multiplicative calendar effect (yearly season, weekday profile, holidays). */
  seasonal: number[];
  /** Mean promotion multiplier (1 without promotion, a short dip after one). */
  promotion: number[];
  /** Mean lifecycle multiplier: launch ramp-up 0→1, discontinuation decay 1→0. */
  lifecycle: number[];
  /** Expected demand (the Poisson / negative-binomial mean), summed over the period. */
  expected: number[];
  /** Realised demand before any supply cut. */
  demand: number[];
  /** Whether a shortage capped supply on any day of the period. */
  shortage: boolean[];
  /** Units of demand lost to the shortage (demand − observed). */
  lostSales: number[];
}

export interface DemandSeries {
  id: string;
  gtin: string;
  region: string;
  /** GLN of the pharmacy for GTIN × pharmacy series. */
  pharmacy?: string;
  frequency: DemandFrequency;
  /** ISO date of the first period (a Monday for weekly series). */
  start: string;
  /** Observed (possibly censored) demand per period. */
  values: number[];
  kind: 'region' | 'pharmacy';
  category: ProductCategory;
  components: DemandComponents;
}

export interface ProductInfo {
  gtin: string;
  category: ProductCategory;
  /** Day index (from the simulation start) of launch / discontinuation, when it happens in the window. */
  launchDay?: number;
  discontinuationDay?: number;
}

export interface PharmacyInfo {
  gln: string;
  region: string;
}

export interface GeneratedDemand {
  series: DemandSeries[];
  products: ProductInfo[];
  regions: string[];
  pharmacies: PharmacyInfo[];
  /** The normalised simulation start (a Monday). */
  start: string;
  seed: number;
}
