/**
 * Per pharmacy-week feature vector for the learned dispensing-rate scorer. Counts are compared with the
 * pharmacy's own baseline, scaled by how the rest of its region moved that week (leave-one-out), so a flu season
 * or a regional promotion lifts every expectation while one pharmacy selling far above its rate does not.
 * Baselines learn from winsorised counts, so a spike does not become the new normal.
 *
 * A week closes once the event-time watermark is past its end plus an allowance for late uploads.
 */
import { clip, type Ewma, updateEwma } from '../feature-stats';

export const PHARMACY_WEEK_FEATURES = [
  'log_dispensed',
  'dispensed_vs_expected',
  'dispensed_z',
  'top_gtin_z',
  'top_gtin_vs_expected',
  'top_gtin_share_delta',
  'log_gtins',
  'region_trend',
  'log_history_weeks',
  'received_vs_expected',
] as const;

const WEEK_MS = 7 * 86_400_000;
/** 1970-01-05 was a Monday: weeks start on Mondays, UTC. */
const EPOCH_MONDAY = 4 * 86_400_000;
const ALPHA = 0.2;
/**
 * History saturates: after about eight weeks (0.8⁸ ≈ 17 % weight left on the first week) a baseline is simply
 * "mature". A count that kept growing would put every week of a long-running service outside anything the model
 * was trained on (a 10-week training history against a 40-week demo raised dozens of false spikes).
 */
const MATURE_HISTORY_WEEKS = 8;
const MAX_EVIDENCE_EPCS = 2000;
const DAY_MS = 86_400_000;
/** A week is looked at before it closes once this much of it has passed (two days: a day's count is too noisy). */
const MIN_WEEK_TO_DATE = 2 / 7;
/**
 * A product surges when a week so far already holds this many standard deviations above a whole normal week, and at
 * least this many packs: far past what the closed-week model needs (z ≥ 3), so the early look adds no alert the
 * closed week would not raise, it raises it sooner.
 */
const SURGE_Z = 5;
const SURGE_MIN_PACKS = 8;

interface RegionTotals {
  regionNow: Record<string, number>;
  regionBase: Record<string, number>;
  productNow: Record<string, number>;
  productBase: Record<string, number>;
}

interface SiteTrends {
  /** How the rest of the region's dispensing moved (1: as at baseline). */
  trend: number;
  /** The same for one product, or the overall trend where the region sells too little of it to say. */
  product: (gtin: string, count: number) => number;
}

export interface OpenWeek {
  total: number;
  byGtin: Record<string, number>;
  epcs: Record<string, string[]>;
  received: number;
}

export interface PharmacyWeekState {
  open: Record<string, Record<string, OpenWeek>>;
  baseTotal: Record<string, Ewma>;
  /** Per site, per GTIN. */
  baseGtin: Record<string, Record<string, Ewma>>;
  baseReceived: Record<string, Ewma>;
  regionOf: Record<string, string>;
  history: Record<string, number>;
  /** Last week index closed by the network's clock. */
  closedThrough: number | null;
  watermark: number;
  /** Per site: the last week closed for it (a later event for that week is too late to count). */
  siteClosed?: Record<string, number>;
  /** Per site: the latest event time noted for it. */
  siteClock?: Record<string, number>;
  /**
   * The latest event time of events that arrived for weeks the network's clock had already closed, from sites whose
   * own weeks were still open (a member uploading its backlog, a replayed history): those weeks close by this clock.
   */
  backfillClock?: number;
  /** The watermark's day when the open weeks were last looked at (see weekToDate). */
  checkedDay?: number;
}

export interface PharmacyWeekVector {
  site: string;
  week: number;
  weekStart: string;
  values: number[];
  /** Packs of the products that drove the week up (the alert's evidence). */
  epcs: string[];
  gtins: string[];
  /** Dispensing above expectation (total or one product); a week unusual for selling little is no spike. */
  upward: boolean;
  /** A product far above a whole normal week (see SURGE_Z). */
  surging: boolean;
  /** The week so far, looked at before it closes (not learnt from, not a training vector). */
  weekToDate?: boolean;
}

export interface PharmacyWeekOptions {
  /** Allowance for late uploads before a week is closed. */
  latenessMs: number;
  /** Weeks of history a pharmacy needs before its weeks are scored. */
  minHistoryWeeks: number;
}

export const DEFAULT_PHARMACY_WEEK_OPTIONS: PharmacyWeekOptions = {
  latenessMs: 36 * 3_600_000,
  minHistoryWeeks: 3,
};

/**
 * The weight a week's value has in an EWMA (updateEwma) `weeksSince` updates later: what the mean would gain per unit
 * the week had counted on time. 0 for a week before the baseline began or long gone.
 */
export function lateWeight(ewma: Ewma, weeksSince: number): number {
  const countAtWeek = ewma.n - weeksSince;
  if (weeksSince < 0 || countAtWeek < 1 || weeksSince > 104) return 0;
  let weight = countAtWeek === 1 ? 1 : Math.max(ALPHA, 1 / countAtWeek);
  for (let count = countAtWeek + 1; count <= ewma.n; count++) weight *= 1 - Math.max(ALPHA, 1 / count);
  return weight;
}

export function weekIndex(ms: number): number {
  return Math.floor((ms - EPOCH_MONDAY) / WEEK_MS);
}

export function weekStartIso(week: number): string {
  return new Date(EPOCH_MONDAY + week * WEEK_MS).toISOString().slice(0, 10);
}

export class PharmacyWeekFeatures {
  readonly state: PharmacyWeekState;

  constructor(
    private readonly options: PharmacyWeekOptions = DEFAULT_PHARMACY_WEEK_OPTIONS,
    state?: PharmacyWeekState,
  ) {
    this.state = state ?? {
      open: {},
      baseTotal: {},
      baseGtin: {},
      baseReceived: {},
      regionOf: {},
      history: {},
      closedThrough: null,
      watermark: Number.NEGATIVE_INFINITY,
    };
  }

  private week(site: string, region: string | undefined, at: number): OpenWeek | undefined {
    const s = this.state;
    const w = weekIndex(at);
    const siteClosed = (s.siteClosed ??= {});
    if (siteClosed[site] !== undefined && w <= siteClosed[site]) return undefined; // too late to count
    const weeks = (this.state.open[site] ??= {});
    // A week the network has closed but this site has not: its backlog, closed by the backlog's own clock. A site
    // catching up keeps moving that clock past its last backlog week, which would otherwise never close.
    const through = s.closedThrough;
    if (through !== null && (w <= through || Object.keys(weeks).some((k) => Number(k) <= through)))
      s.backfillClock = Math.max(s.backfillClock ?? at, at);
    const clock = (s.siteClock ??= {});
    clock[site] = Math.max(clock[site] ?? at, at);
    if (region) this.state.regionOf[site] = region;
    return (weeks[String(w)] ??= { total: 0, byGtin: {}, epcs: {}, received: 0 });
  }

  noteDispensed(site: string, region: string | undefined, gtin: string, epc: string, at: number): void {
    const week = this.week(site, region, at);
    if (!week) {
      this.learnLate(site, at, [this.state.baseTotal[site], this.state.baseGtin[site]?.[gtin]], 1);
      return;
    }
    week.total++;
    week.byGtin[gtin] = (week.byGtin[gtin] ?? 0) + 1;
    const list = (week.epcs[gtin] ??= []);
    if (list.length < MAX_EVIDENCE_EPCS) list.push(epc);
  }

  noteReceived(site: string, region: string | undefined, packs: number, at: number): void {
    const week = this.week(site, region, at);
    if (week) week.received += packs;
    else this.learnLate(site, at, [this.state.baseReceived[site]], packs);
  }

  /**
   * A count for a week already closed for the site is too late to score, but its baselines learn it, as they would
   * have on time. Otherwise a pharmacy whose first weeks came late (documents parked until their receipt arrived, in
   * a replay where a week passes in seconds) has a starved baseline, and its first ordinary week looks like a spike.
   */
  private learnLate(site: string, at: number, baselines: (Ewma | undefined)[], amount: number): void {
    const closedFor = this.state.siteClosed?.[site];
    if (closedFor === undefined) return;
    const weeksSince = closedFor - weekIndex(at);
    for (const baseline of baselines)
      if (baseline) baseline.mean += amount * lateWeight(baseline, weeksSince);
  }

  /** Advances the watermark; returns the vectors of every week that closes. */
  advance(eventTime: number): PharmacyWeekVector[] {
    if (eventTime > this.state.watermark) this.state.watermark = eventTime;
    const closable = weekIndex(this.state.watermark - this.options.latenessMs) - 1;
    const out: PharmacyWeekVector[] = [];
    if (this.state.closedThrough === null) {
      const first = this.firstOpenWeek();
      if (first === undefined) return out;
      this.state.closedThrough = first - 1;
    }
    while (this.state.closedThrough < closable) out.push(...this.close(++this.state.closedThrough));
    out.push(...this.closeBackfill());
    out.push(...this.weekToDate());
    return out;
  }

  /**
   * Backlog weeks (at or before the network's closed week) whose own clock has passed them, oldest first. Once none
   * is left the clock is forgotten: the open weeks are no longer scanned on every event, and a later backlog (another
   * member's upload) is closed by its own clock, not by how far an earlier one had got.
   */
  private closeBackfill(): PharmacyWeekVector[] {
    const s = this.state;
    if (s.backfillClock === undefined || s.closedThrough === null) return [];
    const backlog = this.openWeeksThrough(s.closedThrough);
    const closable = Math.min(s.closedThrough, weekIndex(s.backfillClock - this.options.latenessMs) - 1);
    const closing = backlog.filter((w) => w <= closable);
    if (closing.length === backlog.length) delete s.backfillClock;
    return closing.flatMap((w) => this.close(w));
  }

  /** Weeks up to `limit` that some site still has open, oldest first. */
  private openWeeksThrough(limit: number): number[] {
    const weeks = new Set<number>();
    for (const open of Object.values(this.state.open))
      for (const w of Object.keys(open)) if (Number(w) <= limit) weeks.add(Number(w));
    return [...weeks].sort((a, b) => a - b);
  }

  /** Closes every open week (end of a stream). */
  flush(): PharmacyWeekVector[] {
    const out: PharmacyWeekVector[] = [];
    const last = this.lastOpenWeek();
    if (last === undefined) return out;
    if (this.state.closedThrough === null) this.state.closedThrough = (this.firstOpenWeek() ?? last) - 1;
    for (const w of this.openWeeksThrough(this.state.closedThrough)) out.push(...this.close(w));
    while (this.state.closedThrough < last) out.push(...this.close(++this.state.closedThrough));
    return out;
  }

  private firstOpenWeek(): number | undefined {
    let first: number | undefined;
    for (const weeks of Object.values(this.state.open))
      for (const w of Object.keys(weeks)) first = Math.min(first ?? Infinity, Number(w));
    return first;
  }

  private lastOpenWeek(): number | undefined {
    let last: number | undefined;
    for (const weeks of Object.values(this.state.open))
      for (const w of Object.keys(weeks)) last = Math.max(last ?? -Infinity, Number(w));
    return last;
  }

  /**
   * The open weeks' products that a pharmacy has already dispensed far beyond what a whole normal week of its holds
   * (counts only grow, so the week will close at least as high): scored as the week so far, once a day, so a spike
   * is seen while it runs and not only 36 h after its week ends. Only weeks the network has not closed, at sites
   * with a baseline and dispensing in them; nothing is learnt from these vectors.
   */
  private weekToDate(): PharmacyWeekVector[] {
    const s = this.state;
    const day = Math.floor(s.watermark / DAY_MS);
    if (s.closedThrough === null || !Number.isFinite(day) || day === s.checkedDay) return [];
    s.checkedDay = day;
    const out: PharmacyWeekVector[] = [];
    for (let w = s.closedThrough + 1; w <= weekIndex(s.watermark); w++) {
      const elapsed = clip((s.watermark - (EPOCH_MONDAY + w * WEEK_MS)) / WEEK_MS, 0, 1);
      if (elapsed < MIN_WEEK_TO_DATE) continue;
      const sites = Object.keys(s.open).filter(
        (site) => s.open[site]?.[String(w)] && (s.history[site] ?? 0) >= this.options.minHistoryWeeks,
      );
      const totals = this.regionTotals(w, sites);
      for (const site of sites.sort()) {
        const vector = this.vectorOf(site, w, this.trends(site, w, totals, elapsed));
        if (vector?.surging) out.push({ ...vector, weekToDate: true });
      }
    }
    return out;
  }

  private close(w: number): PharmacyWeekVector[] {
    const s = this.state;
    // A site with a baseline but nothing this week counts as a quiet week only once its own clock is past the week:
    // a site still sending older weeks (a backlog) has not had this week yet.
    const closed = (s.siteClosed ??= {});
    const nextWeek = EPOCH_MONDAY + (w + 1) * WEEK_MS;
    const sites = [
      ...new Set(
        [
          ...Object.keys(s.baseTotal).filter((site) => (s.siteClock?.[site] ?? Infinity) >= nextWeek),
          ...Object.keys(s.open).filter((site) => s.open[site]?.[String(w)]),
        ].filter((site) => (closed[site] ?? -Infinity) < w),
      ),
    ].sort();
    const totals = this.regionTotals(w, sites);
    const out: PharmacyWeekVector[] = [];
    for (const site of sites) {
      const trends = this.trends(site, w, totals, 1);
      const vector = this.vectorOf(site, w, trends);
      if (vector) out.push(vector);
      this.learn(site, w, trends);
    }
    return out;
  }

  private weekOf(site: string, w: number): OpenWeek {
    return this.state.open[site]?.[String(w)] ?? { total: 0, byGtin: {}, epcs: {}, received: 0 };
  }

  /**
   * Region totals this week and at baseline, overall and per product, for leave-one-out trends: seasons and
   * promotions move a product across a whole region, a grey-market spike moves one pharmacy.
   */
  private regionTotals(w: number, sites: readonly string[]): RegionTotals {
    const s = this.state;
    const t: RegionTotals = { regionNow: {}, regionBase: {}, productNow: {}, productBase: {} };
    const add = (map: Record<string, number>, key: string, n: number) => (map[key] = (map[key] ?? 0) + n);
    for (const site of sites) {
      const region = s.regionOf[site] ?? '?';
      const week = this.weekOf(site, w);
      add(t.regionNow, region, week.total);
      for (const [gtin, count] of Object.entries(week.byGtin)) add(t.productNow, `${region}|${gtin}`, count);
      if ((s.history[site] ?? 0) > 0) {
        add(t.regionBase, region, s.baseTotal[site]?.mean ?? 0);
        for (const [gtin, base] of Object.entries(s.baseGtin[site] ?? {}))
          add(t.productBase, `${region}|${gtin}`, base.mean);
      }
    }
    return t;
  }

  /** How the rest of the site's region moved this week, against `elapsed` of a week at its baselines. */
  private trends(site: string, w: number, t: RegionTotals, elapsed: number): SiteTrends {
    const s = this.state;
    const history = s.history[site] ?? 0;
    const region = s.regionOf[site] ?? '?';
    const base = s.baseTotal[site]?.mean ?? 0;
    const othersNow = (t.regionNow[region] ?? 0) - this.weekOf(site, w).total;
    const othersBase = ((t.regionBase[region] ?? 0) - (history > 0 ? base : 0)) * elapsed;
    const trend = othersBase > 5 ? clip((othersNow + 1) / (othersBase + 1), 0.5, 2) : 1;
    return {
      trend,
      product: (gtin, count) => {
        const own = s.baseGtin[site]?.[gtin]?.mean ?? 0;
        const othersProductBase =
          ((t.productBase[`${region}|${gtin}`] ?? 0) - (history > 0 ? own : 0)) * elapsed;
        const othersProductNow = (t.productNow[`${region}|${gtin}`] ?? 0) - count;
        return othersProductBase > 3 ? clip((othersProductNow + 1) / (othersProductBase + 1), 0.5, 3) : trend;
      },
    };
  }

  /** The week's vector against the site's baselines, once it has enough history to have any. */
  private vectorOf(site: string, w: number, trends: SiteTrends): PharmacyWeekVector | undefined {
    const s = this.state;
    const history = s.history[site] ?? 0;
    if (history < this.options.minHistoryWeeks) return undefined;
    const week = this.weekOf(site, w);
    const expected = (s.baseTotal[site]?.mean ?? 0) * trends.trend;
    let topGtin = '';
    let topZ = -Infinity;
    let topCount = 0;
    let topExpected = 0;
    const hot: string[] = [];
    const surging: string[] = [];
    for (const [gtin, count] of Object.entries(week.byGtin)) {
      const e = (s.baseGtin[site]?.[gtin]?.mean ?? 0) * trends.product(gtin, count);
      const z = (count - e) / Math.sqrt(e + 1);
      if (z > topZ) {
        topZ = z;
        topGtin = gtin;
        topCount = count;
        topExpected = e;
      }
      if (z >= 3 && count >= 3) hot.push(gtin);
      if (z >= SURGE_Z && count >= SURGE_MIN_PACKS) surging.push(gtin);
    }
    if (!Number.isFinite(topZ)) topZ = 0;
    const gtins = hot.length > 0 ? hot : topGtin ? [topGtin] : [];
    const receivedExpected = (s.baseReceived[site]?.mean ?? 0) * trends.trend;
    return {
      site,
      week: w,
      weekStart: weekStartIso(w),
      values: [
        Math.log1p(week.total),
        clip(Math.log((week.total + 1) / (expected + 1)), -5, 6),
        clip((week.total - expected) / Math.sqrt(expected + 1), -10, 40),
        clip(topZ, -10, 40),
        clip(Math.log((topCount + 1) / (topExpected + 1)), -5, 6),
        clip(topCount / Math.max(week.total, 1) - topExpected / Math.max(expected, 1), -1, 1),
        Math.log1p(Object.keys(week.byGtin).length),
        Math.log(trends.trend),
        Math.log1p(Math.min(history, MATURE_HISTORY_WEEKS)),
        clip(Math.log((week.received + 1) / (receivedExpected + 1)), -5, 6),
      ],
      epcs: gtins.flatMap((g) => week.epcs[g] ?? []),
      gtins,
      upward: hot.length > 0 || (week.total - expected) / Math.sqrt(expected + 1) >= 3,
      surging: surging.length > 0,
    };
  }

  /** The closed week joins the site's baselines, winsorised so an anomaly does not become the norm. */
  private learn(site: string, w: number, trends: SiteTrends): void {
    const s = this.state;
    const week = this.weekOf(site, w);
    const history = s.history[site] ?? 0;
    const base = s.baseTotal[site]?.mean ?? 0;
    const cap = (value: number, e: number) =>
      history >= this.options.minHistoryWeeks ? Math.min(value, e + 3 * Math.sqrt(e + 1) + 3) : value;
    s.baseTotal[site] = updateEwma(s.baseTotal[site], cap(week.total, base * trends.trend), ALPHA);
    s.baseReceived[site] = updateEwma(s.baseReceived[site], week.received, ALPHA);
    const siteBase = (s.baseGtin[site] ??= {});
    for (const gtin of new Set([...Object.keys(week.byGtin), ...Object.keys(siteBase)])) {
      const e = (siteBase[gtin]?.mean ?? 0) * trends.product(gtin, week.byGtin[gtin] ?? 0);
      siteBase[gtin] = updateEwma(siteBase[gtin], cap(week.byGtin[gtin] ?? 0, e), ALPHA);
    }
    s.history[site] = history + 1;
    const closed = (s.siteClosed ??= {});
    closed[site] = Math.max(closed[site] ?? w, w);
    const key = String(w);
    if (s.open[site]) {
      delete s.open[site][key];
      if (Object.keys(s.open[site]).length === 0) delete s.open[site];
    }
  }
}
