/**
 * Seeded synthetic pharmaceutical demand: GTIN × region (wholesaler view) and GTIN × pharmacy series,
 * simulated day by day and aggregated to weeks, with every driver returned as ground truth.
 *
 * Daily expected demand = level × trend × drift × yearly season × weekday × holiday × promotion × lifecycle;
 * counts are negative binomial (gamma-Poisson) around it; during a shortage the observed value is capped
 * at the supplied quantity (censoring: the lost sales are in the ground truth, not in `values`).
 * Seasonal epidemics are shared: one flu season per year (timing and strength) hits every flu product,
 * reaching each region with its own lag, which is what makes cross-series learning worthwhile.
 */
import { Random } from '../../random/mulberry32';
import type {
  DemandComponents,
  DemandConfig,
  DemandFrequency,
  DemandSeries,
  GeneratedDemand,
  PharmacyInfo,
  ProductCategory,
  ProductInfo,
} from './demand.types';

const DAY_MS = 86_400_000;
const CATEGORIES: readonly ProductCategory[] = ['chronic', 'flu', 'allergy', 'antibiotic', 'otc'];

interface SeasonShape {
  /** Day of year of the usual peak. */
  peakDay: number;
  /** Standard deviation of the bump, days. */
  width: number;
  amplitude: [number, number];
  /** Year-to-year variation of the peak date (days, sd) and of the strength (log sd). */
  peakJitter: number;
  intensitySd: number;
}

const SEASONS: Readonly<Record<ProductCategory, SeasonShape>> = {
  chronic: { peakDay: 15, width: 60, amplitude: [0, 0.08], peakJitter: 5, intensitySd: 0.1 },
  flu: { peakDay: 30, width: 24, amplitude: [1.2, 2.8], peakJitter: 14, intensitySd: 0.35 },
  allergy: { peakDay: 130, width: 24, amplitude: [0.6, 1.4], peakJitter: 10, intensitySd: 0.25 },
  antibiotic: { peakDay: 25, width: 50, amplitude: [0.25, 0.6], peakJitter: 10, intensitySd: 0.2 },
  otc: { peakDay: 15, width: 70, amplitude: [0.15, 0.35], peakJitter: 10, intensitySd: 0.2 },
};

const DEFAULT_CATEGORY_WEIGHTS: Readonly<Record<ProductCategory, number>> = {
  chronic: 0.45,
  flu: 0.2,
  allergy: 0.1,
  antibiotic: 0.15,
  otc: 0.1,
};

/** Monday … Sunday: pharmacies dispense less at weekends (normalised to mean 1 below). */
const WEEKDAY_PROFILE = normalise([1.12, 1.08, 1.05, 1.05, 1.12, 0.9, 0.68]);

/** GS1 company prefix used in GS1's own examples; keeps generated identifiers obviously synthetic. */
const COMPANY_PREFIX = '0614141';

function normalise(values: number[]): number[] {
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  return values.map((v) => v / mean);
}

/** GS1 mod-10 check digit for the digits given (weights 3,1,3,… from the right). */
export function gs1CheckDigit(digits: string): number {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    const digit = Number(digits[digits.length - 1 - i]);
    sum += i % 2 === 0 ? 3 * digit : digit;
  }
  return (10 - (sum % 10)) % 10;
}

function gtinFor(index: number): string {
  const body = `0${COMPANY_PREFIX}${String(10000 + index)
    .padStart(5, '0')
    .slice(-5)}`;
  return `${body}${gs1CheckDigit(body)}`;
}

function glnFor(region: number, pharmacy: number): string {
  const body = `${COMPANY_PREFIX}${String(region * 1000 + pharmacy)
    .padStart(5, '0')
    .slice(-5)}`;
  return `${body}${gs1CheckDigit(body)}`;
}

function dayNumber(iso: string): number {
  const ms = Date.parse(`${iso}T00:00:00Z`);
  if (Number.isNaN(ms)) throw new RangeError(`Not an ISO date: ${iso}`);
  return Math.round(ms / DAY_MS);
}

function isoDate(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

interface Event {
  start: number;
  end: number;
  factor: number;
}

interface ProductPlan extends ProductInfo {
  popularity: number;
  growth: number;
  amplitude: number;
}

interface RegionProductPlan {
  promotions: Event[];
  shortages: Event[];
}

interface Simulated {
  values: number[];
  components: DemandComponents;
  firstDay: number;
}

export function generateDemand(config: DemandConfig, seed: number): GeneratedDemand {
  validate(config);
  const root = new Random(seed >>> 0);
  const requestedStart = dayNumber(config.start);
  const startDay = requestedStart - ((((requestedStart + 3) % 7) + 7) % 7); // back to Monday
  const days = config.weeks * 7;
  const frequency: DemandFrequency = config.frequency ?? 'weekly';
  const seasonalityScale = config.seasonalityScale ?? 1;
  const dispersion = config.dispersion ?? { region: 20, pharmacy: 3 };
  const regions = Array.from(
    { length: config.regions },
    (_, r) => `region-${String(r + 1).padStart(2, '0')}`,
  );

  const products = planProducts(config, root, days);
  const seasonFactor = buildSeasons(products, config.regions, root, startDay, days, seasonalityScale);
  const holiday = Array.from({ length: days }, (_, d) => holidayFactor(startDay + d));

  const regionSize = regions.map((_, r) => root.fork(`region:${r}`).logNormal(0, 0.4));
  const regionProduct = new Map<string, RegionProductPlan>();
  const planFor = (p: number, r: number): RegionProductPlan => {
    const key = `${p}:${r}`;
    let plan = regionProduct.get(key);
    if (!plan) {
      plan = planEvents(config, root.fork(`events:${key}`), days);
      regionProduct.set(key, plan);
    }
    return plan;
  };

  const series: DemandSeries[] = [];
  if (config.regionSeries ?? true) {
    products.forEach((product, p) => {
      regions.forEach((region, r) => {
        const rng = root.fork(`region-series:${p}:${r}`);
        const level =
          ((config.regionLevel ?? 300) / 7) *
          product.popularity *
          (regionSize[r] as number) *
          rng.logNormal(0, 0.2);
        const sim = simulate({
          rng,
          days,
          level,
          growth: product.growth,
          driftSd: config.levelDriftSd ?? 0.015,
          season: (d) => (seasonFactor(p, r, d) as number) * (holiday[d] as number),
          plan: planFor(p, r),
          product,
          dispersion: dispersion.region,
        });
        series.push(
          toSeries(sim, frequency, startDay, {
            id: `${product.gtin}@${region}`,
            gtin: product.gtin,
            region,
            kind: 'region',
            category: product.category,
          }),
        );
      });
    });
  }

  const pharmacies: PharmacyInfo[] = [];
  const perRegion = config.pharmaciesPerRegion ?? 20;
  regions.forEach((region, r) => {
    for (let j = 0; j < perRegion; j++) pharmacies.push({ gln: glnFor(r + 1, j + 1), region });
  });
  const pharmacyCount = Math.min(config.pharmacySeries ?? 0, products.length * pharmacies.length);
  if (pharmacyCount > 0) {
    const pairs = samplePairs(
      products.length,
      pharmacies.length,
      pharmacyCount,
      root.fork('pharmacy-sample'),
    );
    for (const [p, k] of pairs) {
      const product = products[p] as ProductPlan;
      const pharmacy = pharmacies[k] as PharmacyInfo;
      const r = regions.indexOf(pharmacy.region);
      const rng = root.fork(`pharmacy-series:${p}:${pharmacy.gln}`);
      const level = ((config.pharmacyLevel ?? 1.5) / 7) * product.popularity * rng.logNormal(0, 0.6);
      const sim = simulate({
        rng,
        days,
        level,
        growth: product.growth,
        driftSd: config.levelDriftSd ?? 0.015,
        season: (d) => (seasonFactor(p, r, d) as number) * (holiday[d] as number),
        plan: planFor(p, r),
        product,
        dispersion: dispersion.pharmacy,
      });
      series.push(
        toSeries(sim, frequency, startDay, {
          id: `${product.gtin}@${pharmacy.gln}`,
          gtin: product.gtin,
          region: pharmacy.region,
          pharmacy: pharmacy.gln,
          kind: 'pharmacy',
          category: product.category,
        }),
      );
    }
  }

  return {
    series,
    products: products.map(({ gtin, category, launchDay, discontinuationDay }) => ({
      gtin,
      category,
      ...(launchDay === undefined ? {} : { launchDay }),
      ...(discontinuationDay === undefined ? {} : { discontinuationDay }),
    })),
    regions,
    pharmacies,
    start: isoDate(startDay),
    seed,
  };
}

function validate(config: DemandConfig): void {
  const positiveInt = (name: string, v: number) => {
    if (!Number.isInteger(v) || v <= 0) throw new RangeError(`${name} must be a positive integer (got ${v})`);
  };
  positiveInt('weeks', config.weeks);
  positiveInt('products', config.products);
  positiveInt('regions', config.regions);
  dayNumber(config.start);
}

function planProducts(config: DemandConfig, root: Random, days: number): ProductPlan[] {
  const weights = { ...DEFAULT_CATEGORY_WEIGHTS, ...config.categoryWeights };
  const total = CATEGORIES.reduce((s, c) => s + Math.max(0, weights[c]), 0);
  const plans: ProductPlan[] = [];
  for (let p = 0; p < config.products; p++) {
    const rng = root.fork(`product:${p}`);
    let u = rng.uniform() * total;
    let category: ProductCategory = 'chronic';
    for (const c of CATEGORIES) {
      u -= Math.max(0, weights[c]);
      if (u < 0) {
        category = c;
        break;
      }
    }
    const [lo, hi] = SEASONS[category].amplitude;
    const plan: ProductPlan = {
      gtin: gtinFor(p + 1),
      category,
      popularity: rng.logNormal(0, 0.7),
      growth: rng.normal(0, config.trendSd ?? 0.1),
      amplitude: rng.between(lo, hi),
    };
    // Lifecycle events leave enough history before and after them to matter for a backtest.
    if (rng.bernoulli(config.launchShare ?? 0))
      plan.launchDay = 7 * Math.floor(rng.between(0.1, 0.45) * (days / 7));
    if (rng.bernoulli(config.discontinuationShare ?? 0)) {
      plan.discontinuationDay = 7 * Math.floor(rng.between(0.6, 0.92) * (days / 7));
    }
    plans.push(plan);
  }
  return plans;
}

/**
 * Yearly seasonal multiplier per product, region and day: 1 + Σ over nearby seasons of a Gaussian bump.
 * Timing and strength of each year's season are drawn per category (one flu season for all flu products),
 * each region gets a fixed lag, each product its own amplitude.
 */
function buildSeasons(
  products: readonly ProductPlan[],
  regions: number,
  root: Random,
  startDay: number,
  days: number,
  scale: number,
): (p: number, r: number, d: number) => number {
  const firstYear = new Date(startDay * DAY_MS).getUTCFullYear() - 1;
  const lastYear = new Date((startDay + days) * DAY_MS).getUTCFullYear() + 1;
  const peaks = new Map<ProductCategory, { day: number; intensity: number }[]>();
  for (const category of CATEGORIES) {
    const shape = SEASONS[category];
    const list: { day: number; intensity: number }[] = [];
    for (let year = firstYear; year <= lastYear; year++) {
      const rng = root.fork(`season:${category}:${year}`);
      const jan1 = Date.UTC(year, 0, 1) / DAY_MS;
      list.push({
        day: jan1 + shape.peakDay + rng.normal(0, shape.peakJitter),
        intensity: rng.logNormal(0, shape.intensitySd),
      });
    }
    peaks.set(category, list);
  }
  const regionLag = Array.from({ length: regions }, (_, r) => root.fork(`region-lag:${r}`).normal(0, 6));
  const cache = new Map<string, Float64Array>();
  return (p, r, d) => {
    const key = `${p}:${r}`;
    let curve = cache.get(key);
    if (!curve) {
      const product = products[p] as ProductPlan;
      const shape = SEASONS[product.category];
      const list = peaks.get(product.category) ?? [];
      curve = new Float64Array(days);
      for (let i = 0; i < days; i++) {
        const day = startDay + i - (regionLag[r] as number);
        let bump = 0;
        for (const peak of list) {
          const z = (day - peak.day) / shape.width;
          if (Math.abs(z) < 5) bump += peak.intensity * Math.exp(-0.5 * z * z);
        }
        curve[i] = 1 + scale * product.amplitude * bump;
      }
      cache.set(key, curve);
    }
    return curve[d] as number;
  };
}

/** Christmas to New Year: many pharmacies close or shorten hours. */
function holidayFactor(day: number): number {
  const date = new Date(day * DAY_MS);
  const month = date.getUTCMonth();
  const dom = date.getUTCDate();
  if ((month === 11 && (dom === 25 || dom === 26)) || (month === 0 && dom === 1)) return 0.35;
  if ((month === 11 && dom >= 24) || (month === 0 && dom <= 2)) return 0.8;
  return 1;
}

function planEvents(config: DemandConfig, rng: Random, days: number): RegionProductPlan {
  const years = days / 365;
  const promotions: Event[] = [];
  const shortages: Event[] = [];
  if (config.promotions !== false) {
    const promo = config.promotions ?? { perYear: 1.5, uplift: [1.3, 2.0], weeks: [1, 2] };
    const count = rng.poisson(promo.perYear * years);
    for (let i = 0; i < count; i++) {
      const start = rng.int(days);
      const length = 7 * Math.round(rng.between(promo.weeks[0], promo.weeks[1]));
      promotions.push({ start, end: start + length, factor: rng.between(promo.uplift[0], promo.uplift[1]) });
      // Pantry loading: a short dip after the promotion.
      promotions.push({ start: start + length, end: start + length + 7, factor: 0.85 });
    }
  }
  if (config.shortages !== false) {
    const shortage = config.shortages ?? { perYear: 0.3, weeks: [2, 8], fillRate: [0, 0.5] };
    const count = rng.poisson(shortage.perYear * years);
    for (let i = 0; i < count; i++) {
      const start = rng.int(days);
      const length = 7 * Math.round(rng.between(shortage.weeks[0], shortage.weeks[1]));
      shortages.push({
        start,
        end: start + length,
        factor: rng.between(shortage.fillRate[0], shortage.fillRate[1]),
      });
    }
  }
  return { promotions, shortages };
}

function lifecycleFactor(product: ProductInfo, day: number): number {
  let factor = 1;
  if (product.launchDay !== undefined) {
    if (day < product.launchDay) return 0;
    // Logistic uptake: ~4% in the launch week, ~95% after eight weeks.
    factor *= 1 / (1 + Math.exp(-(day - product.launchDay - 28) / 9));
  }
  if (product.discontinuationDay !== undefined && day >= product.discontinuationDay) {
    const decay = Math.exp(-(day - product.discontinuationDay) / 7);
    factor *= decay < 0.01 ? 0 : decay;
  }
  return factor;
}

function eventFactor(events: readonly Event[], day: number): number {
  let factor = 1;
  for (const e of events) if (day >= e.start && day < e.end) factor *= e.factor;
  return factor;
}

function simulate(input: {
  rng: Random;
  days: number;
  level: number;
  growth: number;
  driftSd: number;
  season: (day: number) => number;
  plan: RegionProductPlan;
  product: ProductInfo;
  dispersion: number;
}): Simulated {
  const { rng, days, plan, product } = input;
  const firstDay = product.launchDay ?? 0;
  const n = days - firstDay;
  const components: DemandComponents = {
    level: new Array<number>(n),
    seasonal: new Array<number>(n),
    promotion: new Array<number>(n),
    lifecycle: new Array<number>(n),
    expected: new Array<number>(n),
    demand: new Array<number>(n),
    shortage: new Array<boolean>(n),
    lostSales: new Array<number>(n),
  };
  const values = new Array<number>(n);
  let drift = 0;
  for (let i = 0; i < n; i++) {
    const d = firstDay + i;
    if (d % 7 === 0 && i > 0) drift += rng.normal(0, input.driftSd);
    const level = input.level * Math.exp((input.growth * d) / 365 + drift);
    const seasonal = input.season(d) * (WEEKDAY_PROFILE[d % 7] as number);
    const promotion = eventFactor(plan.promotions, d);
    const lifecycle = lifecycleFactor(product, d);
    const expected = level * seasonal * promotion * lifecycle;
    const demand = rng.negativeBinomial(expected, input.dispersion);
    let observed = demand;
    let shortage = false;
    for (const s of plan.shortages) {
      if (d >= s.start && d < s.end) {
        shortage = true;
        // Supply covers a fixed share of normal demand; randomised rounding keeps small caps unbiased.
        const cap = s.factor * expected;
        const units = Math.floor(cap) + (rng.uniform() < cap - Math.floor(cap) ? 1 : 0);
        observed = Math.min(observed, units);
      }
    }
    components.level[i] = level;
    components.seasonal[i] = seasonal;
    components.promotion[i] = promotion;
    components.lifecycle[i] = lifecycle;
    components.expected[i] = expected;
    components.demand[i] = demand;
    components.shortage[i] = shortage;
    components.lostSales[i] = demand - observed;
    values[i] = observed;
  }
  return { values, components, firstDay };
}

function toSeries(
  sim: Simulated,
  frequency: DemandFrequency,
  startDay: number,
  identity: Pick<DemandSeries, 'id' | 'gtin' | 'region' | 'pharmacy' | 'kind' | 'category'>,
): DemandSeries {
  const daily: DemandSeries = {
    ...identity,
    frequency: 'daily',
    start: isoDate(startDay + sim.firstDay),
    values: sim.values,
    components: sim.components,
  };
  return frequency === 'daily' ? daily : aggregateToWeekly(daily);
}

/**
 * Sums a daily series into ISO weeks (Monday start). Partial weeks at either end are dropped, so the
 * weekly values are exactly the sums of whole weeks. Components are summed (counts) or averaged
 * (multipliers) to match.
 */
export function aggregateToWeekly(series: DemandSeries): DemandSeries {
  if (series.frequency === 'weekly') return series;
  const first = dayNumber(series.start);
  const offset = (7 - ((((first + 3) % 7) + 7) % 7)) % 7; // days until the first Monday
  const weeks = Math.floor((series.values.length - offset) / 7);
  const sum = (xs: readonly number[], w: number) => {
    let s = 0;
    for (let k = 0; k < 7; k++) s += xs[offset + 7 * w + k] as number;
    return s;
  };
  const mean = (xs: readonly number[], w: number) => sum(xs, w) / 7;
  const c = series.components;
  const range = Array.from({ length: Math.max(0, weeks) }, (_, w) => w);
  return {
    ...series,
    frequency: 'weekly',
    start: isoDate(first + offset),
    values: range.map((w) => sum(series.values, w)),
    components: {
      level: range.map((w) => sum(c.level, w)),
      seasonal: range.map((w) => mean(c.seasonal, w)),
      promotion: range.map((w) => mean(c.promotion, w)),
      lifecycle: range.map((w) => mean(c.lifecycle, w)),
      expected: range.map((w) => sum(c.expected, w)),
      demand: range.map((w) => sum(c.demand, w)),
      shortage: range.map((w) => c.shortage.slice(offset + 7 * w, offset + 7 * w + 7).some(Boolean)),
      lostSales: range.map((w) => sum(c.lostSales, w)),
    },
  };
}

/** `count` distinct (product, pharmacy) index pairs, in a seeded order. */
function samplePairs(products: number, pharmacies: number, count: number, rng: Random): [number, number][] {
  const total = products * pharmacies;
  // Partial Fisher-Yates over the implicit index range, so memory stays O(count).
  const swapped = new Map<number, number>();
  const result: [number, number][] = [];
  for (let i = 0; i < count && i < total; i++) {
    const j = i + rng.int(total - i);
    const pick = swapped.get(j) ?? j;
    swapped.set(j, swapped.get(i) ?? i);
    result.push([Math.floor(pick / pharmacies), pick % pharmacies]);
  }
  return result;
}
