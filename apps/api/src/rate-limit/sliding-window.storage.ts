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
    return Promise.resolve(this.hit(key, ttl, limit, blockDuration, throttlerName).record);
  }

  /**
   * One hit, as {@link increment}, plus hits counted ahead that a cluster worker may admit without asking again (a
   * lease): at most `most` in all, and at most half the key's remaining allowance split over `workers`, so leases
   * shrink to single hits as a key nears its limit and the workers together never admit a key past it. Hits a worker
   * did not use come back through {@link release}.
   */
  lease(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
    workers: number,
    most: number,
  ): LeaseGrant {
    const { record, window, now } = this.hit(key, ttl, limit, blockDuration, throttlerName);
    if (record.isBlocked) return { record, granted: 0 };
    const ahead = Math.min(most - 1, Math.floor((limit - window.total) / (2 * workers)));
    if (ahead <= 0) return { record, granted: 1 };
    window.counts[window.slot % SLOTS]! += ahead;
    window.total += ahead;
    return { record: this.record(window, now, false), granted: 1 + ahead };
  }

  /** Gives back hits leased and not used, newest slots first (they were counted when the lease was granted). */
  release(key: string, ttl: number, throttlerName: string, hits: number): void {
    const window = this.windows.get(`${throttlerName}\u0000${key}`);
    if (!window || window.ttl !== ttl) return;
    this.advance(window, Math.floor(this.clock() / (ttl / SLOTS)));
    for (let age = 0; age < SLOTS && hits > 0; age++) {
      const slot = (window.slot - age) % SLOTS;
      const back = Math.min(hits, window.counts[slot]!);
      window.counts[slot]! -= back;
      window.total -= back;
      hits -= back;
    }
  }

  private hit(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): { record: ThrottlerStorageRecord; window: Window; now: number } {
    const now = this.clock();
    const window = this.windowOf(`${throttlerName}\u0000${key}`, ttl, now);
    const done = (isBlocked: boolean) => ({ record: this.record(window, now, isBlocked), window, now });
    if (window.blockedUntil > now) return done(true);
    if (window.blockedUntil !== 0) this.clear(window); // a served block starts the count afresh
    // Without a block duration a refused request is not counted: the key gets its allowance back as hits age.
    if (blockDuration <= 0 && window.total >= limit) return done(true);
    window.counts[window.slot % SLOTS]! += 1;
    window.total += 1;
    if (window.total > limit && blockDuration > 0) window.blockedUntil = now + blockDuration;
    return done(window.total > limit);
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

const LEASE = 'rate-limit.lease';
const RELEASE = 'rate-limit.release';

export interface LeaseGrant {
  record: ThrottlerStorageRecord;
  /** Hits counted for this request and the ones after it (0 when refused). */
  granted: number;
}

interface Lease {
  key: string;
  throttlerName: string;
  ttl: number;
  limit: number;
  record: ThrottlerStorageRecord;
  remaining: number;
  expiresAt: number;
}

type PrimaryCall = <T>(method: string, args: unknown[]) => Promise<T>;

/**
 * The API's rate-limit counters: this process's own, or, in a cluster worker (API_WORKERS > 1), the primary's, so
 * that a key's limit holds across workers however its connections are spread over them. A worker asked the primary on
 * every request: an IPC round trip each way, and a third process to schedule before any answer, which on two busy
 * cores showed in the tail latency. Now it takes a lease of up to {@link SharedThrottlerStorage.MOST} hits at a time
 * and admits them locally for {@link SharedThrottlerStorage.LEASE_MS}, giving back what it did not use; near a key's
 * limit the leases are single hits, so the limit is as exact as before.
 */
export class SharedThrottlerStorage implements ThrottlerStorage {
  static readonly LEASE_MS = 250;
  static readonly MOST = 50;
  private readonly local?: SlidingWindowThrottlerStorage;
  private readonly leases = new Map<string, Lease>();
  private readonly sweep?: NodeJS.Timeout;

  constructor(
    private readonly workers = 1,
    private readonly call: PrimaryCall = primaryCall,
    private readonly clock: () => number = Date.now,
    leased = cluster.isWorker,
  ) {
    if (!leased) {
      this.local = new SlidingWindowThrottlerStorage(clock);
      return;
    }
    this.sweep = setInterval(() => this.releaseExpired(), SharedThrottlerStorage.LEASE_MS);
    this.sweep.unref();
  }

  async increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): Promise<ThrottlerStorageRecord> {
    if (this.local) return this.local.increment(key, ttl, limit, blockDuration, throttlerName);
    const id = `${throttlerName}\u0000${key}`;
    const now = this.clock();
    const held = this.leases.get(id);
    if (held && held.remaining > 0 && held.expiresAt > now && held.ttl === ttl && held.limit === limit) {
      held.remaining -= 1;
      return held.record;
    }
    if (held) this.release(id, held);
    const grant = await this.call<LeaseGrant>(LEASE, [
      key,
      ttl,
      limit,
      blockDuration,
      throttlerName,
      this.workers,
      SharedThrottlerStorage.MOST,
    ]);
    if (grant.granted > 1) {
      const raced = this.leases.get(id); // another request of the key took a lease meanwhile
      if (raced) this.release(id, raced);
      this.leases.set(id, {
        key,
        throttlerName,
        ttl,
        limit,
        record: grant.record,
        remaining: grant.granted - 1,
        expiresAt: now + SharedThrottlerStorage.LEASE_MS,
      });
    }
    return grant.record;
  }

  onApplicationShutdown(): void {
    this.close();
  }

  /** Gives every lease back (at shutdown, and in tests). */
  close(): void {
    clearInterval(this.sweep);
    this.local?.close();
    for (const [id, lease] of this.leases) this.release(id, lease);
  }

  private releaseExpired(): void {
    const now = this.clock();
    for (const [id, lease] of this.leases) if (lease.expiresAt <= now) this.release(id, lease);
  }

  private release(id: string, lease: Lease): void {
    this.leases.delete(id);
    if (lease.remaining <= 0) return;
    // Unused hits only make the key's allowance look smaller until they age out: losing the message is safe.
    this.call(RELEASE, [lease.key, lease.ttl, lease.throttlerName, lease.remaining]).catch(() => undefined);
  }
}

/** In the cluster primary: holds the counters every worker's {@link SharedThrottlerStorage} leases from. */
export function serveSharedRateLimits(): void {
  const storage = new SlidingWindowThrottlerStorage();
  servePrimaryCalls({
    [LEASE]: (...args: Parameters<SlidingWindowThrottlerStorage['lease']>) => storage.lease(...args),
    [RELEASE]: (...args: Parameters<SlidingWindowThrottlerStorage['release']>) => storage.release(...args),
  });
}
