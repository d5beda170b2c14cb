import type { ThrottlerStorage } from '@nestjs/throttler';
import { primaryCall, servePrimaryCalls } from '@pedigree/common';
import cluster from 'node:cluster';

/** What the throttler expects back (the package does not export the type from its root). */
type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/** Sub-windows per limit window: counts are kept per 1/60 of the window (one second of a minute's limit). */
export const SLOTS = 60;

interface Window {
  ttl: number;
  /** Absolute index (time / slot length) of the newest slot counted. */
  slot: number;
  counts: Int32Array;
  total: number;
  /** Epoch ms until which the key is refused; 0 when not blocked. */
  blockedUntil: number;
  lastSeen: number;
}

/**
 * The rate limiter's counters, O(1) per request. The library's in-memory storage keeps one timestamp per hit and
 * filters the whole list on every request, so a key making N requests a minute costs O(N) each (at 400 req/s, a
 * 24,000-element copy and the garbage it leaves, per request). Here each key keeps a ring of per-second counts over
 * its window: the same sliding window, to within one slot.
 */
export class SlidingWindowThrottlerStorage implements ThrottlerStorage {
  private readonly windows = new Map<string, Window>();
  private readonly sweep: NodeJS.Timeout;

  constructor(private readonly clock: () => number = Date.now) {
    this.sweep = setInterval(() => this.evictIdle(), 60_000);
    this.sweep.unref();
  }

  increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): Promise<ThrottlerStorageRecord> {
    const now = this.clock();
    const window = this.windowOf(`${throttlerName}\u0000${key}`, ttl, now);
    if (window.blockedUntil > now) return Promise.resolve(this.record(window, now, true));
    if (window.blockedUntil !== 0) this.clear(window); // a served block starts the count afresh
    // Without a block duration a refused request is not counted: the key gets its allowance back as hits age.
    if (blockDuration <= 0 && window.total >= limit) return Promise.resolve(this.record(window, now, true));
    window.counts[window.slot % SLOTS]! += 1;
    window.total += 1;
    if (window.total > limit && blockDuration > 0) window.blockedUntil = now + blockDuration;
    return Promise.resolve(this.record(window, now, window.total > limit));
  }

  /** Entries tracked (for tests and metrics). */
  get size(): number {
    return this.windows.size;
  }

  evictIdle(now = this.clock()): void {
    for (const [id, window] of this.windows)
      if (window.blockedUntil <= now && now - window.lastSeen > window.ttl) this.windows.delete(id);
  }

  close(): void {
    clearInterval(this.sweep);
    this.windows.clear();
  }

  private windowOf(id: string, ttl: number, now: number): Window {
    const slot = Math.floor(now / (ttl / SLOTS));
    let window = this.windows.get(id);
    if (!window || window.ttl !== ttl) {
      window = { ttl, slot, counts: new Int32Array(SLOTS), total: 0, blockedUntil: 0, lastSeen: now };
      this.windows.set(id, window);
    }
    this.advance(window, slot);
    window.lastSeen = now;
    return window;
  }

  /** Drops the counts of the slots that have left the window since the last request. */
  private advance(window: Window, slot: number): void {
    if (slot - window.slot >= SLOTS) this.clear(window);
    else
      for (let s = window.slot + 1; s <= slot; s++) {
        window.total -= window.counts[s % SLOTS]!;
        window.counts[s % SLOTS] = 0;
      }
    window.slot = Math.max(window.slot, slot);
  }

  private clear(window: Window): void {
    window.counts.fill(0);
    window.total = 0;
    window.blockedUntil = 0;
  }

  private record(window: Window, now: number, isBlocked: boolean): ThrottlerStorageRecord {
    return {
      totalHits: window.total,
      timeToExpire: this.secondsUntilOldestLeaves(window, now),
      isBlocked,
      timeToBlockExpire: !isBlocked
        ? 0
        : window.blockedUntil > now
          ? Math.max(1, Math.ceil((window.blockedUntil - now) / 1000))
          : this.secondsUntilOldestLeaves(window, now),
    };
  }

  /** Seconds until the oldest counted request leaves the window (when the remaining allowance grows). */
  private secondsUntilOldestLeaves(window: Window, now: number): number {
    const slotMs = window.ttl / SLOTS;
    for (let age = SLOTS - 1; age >= 0; age--) {
      if (window.counts[(window.slot - age) % SLOTS] === 0) continue;
      const leavesAt = (window.slot - age + SLOTS) * slotMs;
      return Math.max(1, Math.ceil((leavesAt - now) / 1000));
    }
    return Math.ceil(window.ttl / 1000);
  }
}

const INCREMENT = 'rate-limit.increment';

/**
 * The API's rate-limit counters: this process's own, or, in a cluster worker (API_WORKERS > 1), the primary's, so
 * that a key's limit holds across workers however its connections are spread over them.
 */
export class SharedThrottlerStorage implements ThrottlerStorage {
  private readonly local = cluster.isWorker ? undefined : new SlidingWindowThrottlerStorage();

  increment(...args: Parameters<ThrottlerStorage['increment']>): Promise<ThrottlerStorageRecord> {
    return this.local ? this.local.increment(...args) : primaryCall<ThrottlerStorageRecord>(INCREMENT, args);
  }
}

/** In the cluster primary: holds the counters every worker's {@link SharedThrottlerStorage} uses. */
export function serveSharedRateLimits(): void {
  const storage = new SlidingWindowThrottlerStorage();
  servePrimaryCalls({
    [INCREMENT]: (...args: Parameters<ThrottlerStorage['increment']>) => storage.increment(...args),
  });
}
