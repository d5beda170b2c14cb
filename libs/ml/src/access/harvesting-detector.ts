import type { VerificationAccessMessage } from '@pedigree/messaging';
import { LruMap } from '../anomaly/lru-map';

/** One verification asked by a member's API key, as `verification.access.v1` carries it, at epoch ms. */
export type AccessRecord = Omit<VerificationAccessMessage, 'schemaVersion' | 'at'> & { at: number };

export type HarvestingSignal = 'foreign_serials' | 'sequential_serials' | 'rate_spike';

export interface HarvestingFinding {
  apiKeyId: string;
  organisationId: string;
  signals: HarvestingSignal[];
  /** high when serials the key has no business with are being walked or collected; medium for a rate spike alone. */
  severity: 'high' | 'medium';
  features: {
    verifications: number;
    foreignSerials: number;
    foreignShare: number;
    sequentialSerials: number;
    perMinute: number;
    usualPerMinute: number;
  };
  gtins: string[];
  summary: string;
}

export interface HarvestingThresholds {
  windowMs: number;
  /** Distinct serials the organisation never held, and their share of the key's verifications. */
  minForeignSerials: number;
  minForeignShare: number;
  /** Foreign serials that are the neighbour (±1, same GTIN and serial prefix) of one verified before. */
  minSequentialSerials: number;
  /** A minute's verifications above both this floor and `rateFactor` times the key's usual rate. */
  minRatePerMinute: number;
  rateFactor: number;
}

/**
 * Pharmacies verify the packs they received, wholesalers the returns they sent out: a key that checks many serials
 * its organisation never held, counts through serial numbers, or verifies far above its own habit is collecting
 * valid serials (to print on counterfeits) or probing which exist. Thresholds are deliberately coarse, per key.
 */
export const DEFAULT_HARVESTING_THRESHOLDS: HarvestingThresholds = {
  windowMs: 10 * 60_000,
  minForeignSerials: 50,
  minForeignShare: 0.5,
  minSequentialSerials: 20,
  minRatePerMinute: 120,
  rateFactor: 10,
};

interface Seen {
  at: number;
  serialKey: string;
  neighbourKey?: string;
  foreign: boolean;
  sequential: boolean;
  gtin: string;
}

/** One key's recent verifications and its usual rate. */
class KeyWindow {
  readonly seen: Seen[] = [];
  /** serial key → how many verifications of it are in the window. */
  readonly serials = new Map<string, number>();
  foreign = new Map<string, number>();
  /** Verifications in the window of serials never held (counted, not filtered per record: this is a hot path). */
  foreignCount = 0;
  sequential = 0;
  minute = -1;
  minuteCount = 0;
  usualPerMinute?: number;
  flaggedAt = -Infinity;
}

/** `(prefix, number)` of a serial that ends in digits: `B12P0C3S11` → `B12P0C3S`, 11. */
function serialParts(serial: string): { prefix: string; n: number } | undefined {
  const match = /^(.*?)(\d{1,15})$/.exec(serial);
  return match ? { prefix: match[1]!, n: Number(match[2]) } : undefined;
}

/** Sliding-window detector of verification harvesting, one window per API key (bounded number of keys). */
export class HarvestingDetector {
  private readonly keys = new LruMap<string, KeyWindow>(10_000);

  constructor(private readonly thresholds: HarvestingThresholds = DEFAULT_HARVESTING_THRESHOLDS) {}

  /** Adds a verification; returns a finding when the key's window crosses a threshold (once per window). */
  observe(record: AccessRecord): HarvestingFinding | undefined {
    const window = this.keys.get(record.apiKeyId) ?? new KeyWindow();
    this.keys.set(record.apiKeyId, window);
    this.expire(window, record.at);
    this.countRate(window, record.at);
    this.add(window, record);
    if (record.at - window.flaggedAt < this.thresholds.windowMs) return undefined;
    const finding = this.judge(window, record);
    if (finding) window.flaggedAt = record.at;
    return finding;
  }

  private add(window: KeyWindow, record: AccessRecord): void {
    const parts = serialParts(record.serial);
    const base = parts ? `${record.gtin}|${parts.prefix}|` : undefined;
    const serialKey = base ? `${base}${parts!.n}` : `${record.gtin}|${record.serial}`;
    const foreign = !record.held;
    // Counting through one's own received cases is ordinary work; counting through serials one never held is not.
    const sequential =
      foreign &&
      base !== undefined &&
      !window.serials.has(serialKey) &&
      (window.serials.has(`${base}${parts!.n - 1}`) || window.serials.has(`${base}${parts!.n + 1}`));
    window.seen.push({ at: record.at, serialKey, foreign, sequential, gtin: record.gtin });
    window.serials.set(serialKey, (window.serials.get(serialKey) ?? 0) + 1);
    if (foreign) {
      window.foreign.set(serialKey, (window.foreign.get(serialKey) ?? 0) + 1);
      window.foreignCount++;
    }
    if (sequential) window.sequential++;
  }

  private expire(window: KeyWindow, now: number): void {
    let drop = 0;
    while (drop < window.seen.length && now - window.seen[drop]!.at > this.thresholds.windowMs) {
      const old = window.seen[drop]!;
      decrement(window.serials, old.serialKey);
      if (old.foreign) {
        decrement(window.foreign, old.serialKey);
        window.foreignCount--;
      }
      if (old.sequential) window.sequential--;
      drop++;
    }
    if (drop > 0) window.seen.splice(0, drop);
  }

  /** Per-minute counts; the usual rate is an average over the key's past minutes, idle ones included. */
  private countRate(window: KeyWindow, at: number): void {
    const minute = Math.floor(at / 60_000);
    if (minute === window.minute) {
      window.minuteCount++;
      return;
    }
    if (window.minute >= 0) {
      const idle = Math.min(60, minute - window.minute - 1);
      let usual = window.usualPerMinute ?? window.minuteCount;
      usual = 0.9 * usual + 0.1 * window.minuteCount;
      for (let i = 0; i < idle; i++) usual *= 0.9;
      window.usualPerMinute = usual;
    }
    window.minute = minute;
    window.minuteCount = 1;
  }

  private judge(window: KeyWindow, record: AccessRecord): HarvestingFinding | undefined {
    const t = this.thresholds;
    const verifications = window.seen.length;
    const foreignSerials = window.foreign.size;
    const foreignShare = verifications > 0 ? window.foreignCount / verifications : 0;
    const usual = window.usualPerMinute ?? 0;
    const signals: HarvestingSignal[] = [];
    if (foreignSerials >= t.minForeignSerials && foreignShare >= t.minForeignShare)
      signals.push('foreign_serials');
    if (window.sequential >= t.minSequentialSerials) signals.push('sequential_serials');
    if (window.minuteCount >= Math.max(t.minRatePerMinute, t.rateFactor * usual)) signals.push('rate_spike');
    if (signals.length === 0) return undefined;
    const gtins = [...new Set(window.seen.map((s) => s.gtin))].slice(0, 5);
    const features = {
      verifications,
      foreignSerials,
      foreignShare: Math.round(foreignShare * 1000) / 1000,
      sequentialSerials: window.sequential,
      perMinute: window.minuteCount,
      usualPerMinute: Math.round(usual * 10) / 10,
    };
    const severity = signals.some((s) => s !== 'rate_spike') ? 'high' : 'medium';
    return {
      apiKeyId: record.apiKeyId,
      organisationId: record.organisationId,
      signals,
      severity,
      features,
      gtins,
      summary: harvestingSummary(record.organisationName, signals, features, t.windowMs, severity === 'high'),
    };
  }
}

function decrement(map: Map<string, number>, key: string): void {
  const n = (map.get(key) ?? 0) - 1;
  if (n <= 0) map.delete(key);
  else map.set(key, n);
}

/** The plain sentence a person reads in the inbox. */
function harvestingSummary(
  organisation: string | undefined,
  signals: HarvestingSignal[],
  f: HarvestingFinding['features'],
  windowMs: number,
  limited: boolean,
): string {
  const parts: string[] = [];
  if (signals.includes('foreign_serials'))
    parts.push(
      `${f.foreignSerials} serials its organisation never held (${Math.round(f.foreignShare * 100)} %)`,
    );
  if (signals.includes('sequential_serials'))
    parts.push(`${f.sequentialSerials} in consecutive serial order`);
  if (signals.includes('rate_spike'))
    parts.push(`${f.perMinute} in one minute against a usual ${f.usualPerMinute} per minute`);
  const verdict = limited
    ? 'This looks like serial harvesting: the key is rate-limited until the alert is resolved.'
    : 'A spike alone may be a stock-take: no limit is applied.';
  const who = organisation ? `The API key of ${organisation}` : 'An API key';
  return `${who} verified ${f.verifications} packs in ${Math.round(windowMs / 60_000)} minutes: ${parts.join(', ')}. ${verdict}`;
}
