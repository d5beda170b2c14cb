import { SharedThrottlerStorage, SLOTS, SlidingWindowThrottlerStorage } from './sliding-window.storage';

const MINUTE = 60_000;

describe('SlidingWindowThrottlerStorage', () => {
  let now: number;
  let storage: SlidingWindowThrottlerStorage;
  const hit = (limit = 3, key = 'key:a') => storage.increment(key, MINUTE, limit, MINUTE, 'per-key');

  beforeEach(() => {
    now = 1_700_000_000_000;
    storage = new SlidingWindowThrottlerStorage(() => now);
  });
  afterEach(() => storage.close());

  it('counts hits per key and refuses the one past the limit, for the block duration', async () => {
    expect((await hit()).totalHits).toBe(1);
    await hit();
    const third = await hit();
    expect(third).toMatchObject({ totalHits: 3, isBlocked: false, timeToBlockExpire: 0 });
    const fourth = await hit();
    expect(fourth).toMatchObject({ isBlocked: true, timeToBlockExpire: 60 });
    expect((await hit(3, 'key:b')).isBlocked).toBe(false);
    now += 30_000;
    expect(await hit()).toMatchObject({ isBlocked: true, timeToBlockExpire: 30 });
  });

  it('starts afresh once a block has been served, as the library storage does', async () => {
    for (let i = 0; i < 4; i++) await hit();
    now += MINUTE + 1;
    expect(await hit()).toMatchObject({ totalHits: 1, isBlocked: false });
  });

  it('slides: hits leave the window one slot at a time, not all at once at a fixed reset', async () => {
    await hit(10);
    now += 20_000;
    await hit(10);
    await hit(10);
    now += 30_000;
    // 50 s after the first hit, all three still count; the first leaves after 60 s, the others after 80 s.
    expect(await hit(10)).toMatchObject({ totalHits: 4, timeToExpire: 10 });
    now += 10_000;
    expect((await hit(10)).totalHits).toBe(4);
    now += 20_000;
    expect((await hit(10)).totalHits).toBe(3);
  });

  it('keeps a sustained rate at the limit, never above it', async () => {
    let refused = 0;
    // 120 requests a minute for three minutes against a limit of 100.
    for (let i = 0; i < 360; i++) {
      now += 500;
      if ((await storage.increment('key:a', MINUTE, 100, 0, 'per-key')).isBlocked) refused++;
    }
    const admitted = 360 - refused;
    expect(admitted).toBeGreaterThanOrEqual(300 - 100 / SLOTS - 2);
    expect(admitted).toBeLessThanOrEqual(300 + 2);
  });

  it('forgets keys idle for a whole window', async () => {
    await hit(3, 'key:a');
    await hit(3, 'key:b');
    now += MINUTE / 2;
    await hit(3, 'key:b');
    now += MINUTE / 2 + 1;
    storage.evictIdle();
    expect(storage.size).toBe(1);
  });

  it('costs the same per request whatever the number of hits in the window', async () => {
    const timed = async (requests: number) => {
      const s = new SlidingWindowThrottlerStorage(() => now);
      const started = process.hrtime.bigint();
      for (let i = 0; i < requests; i++) await s.increment('key:a', MINUTE, 1e9, MINUTE, 'per-key');
      s.close();
      return Number(process.hrtime.bigint() - started) / requests;
    };
    await timed(2_000); // warm up
    const few = await timed(2_000);
    const many = await timed(50_000);
    expect(many).toBeLessThan(few * 3);
  });
});

describe('SlidingWindowThrottlerStorage leases', () => {
  let now: number;
  let storage: SlidingWindowThrottlerStorage;
  const lease = (limit: number) => storage.lease('key:a', MINUTE, limit, MINUTE, 'per-key', 2, 50);

  beforeEach(() => {
    now = 1_700_000_000_000;
    storage = new SlidingWindowThrottlerStorage(() => now);
  });
  afterEach(() => storage.close());

  it('grants at most half the remaining allowance split over the workers, and single hits near the limit', () => {
    expect(lease(1000).granted).toBe(50); // capped
    expect(lease(100).granted).toBe(1 + Math.floor((100 - 51) / 4));
    const small = new SlidingWindowThrottlerStorage(() => now);
    const grants = Array.from({ length: 6 }, () => small.lease('key:b', MINUTE, 5, MINUTE, 'per-key', 2, 50));
    small.close();
    // 2 + 1 + 1 + 1 = the limit of 5; then refused.
    expect(grants.map((g) => g.granted)).toEqual([2, 1, 1, 1, 0, 0]);
    expect(grants[4]!.record.isBlocked).toBe(true);
  });

  it('takes back unused hits', async () => {
    const { granted } = lease(1000);
    storage.release('key:a', MINUTE, 'per-key', granted - 1);
    expect((await storage.increment('key:a', MINUTE, 1000, MINUTE, 'per-key')).totalHits).toBe(2);
  });
});

describe('SharedThrottlerStorage in cluster workers', () => {
  let now: number;
  let primary: SlidingWindowThrottlerStorage;
  let calls: string[];
  const call = <T>(method: string, args: unknown[]): Promise<T> => {
    calls.push(method);
    const handler = method === 'rate-limit.lease' ? primary.lease : primary.release;
    return Promise.resolve((handler as (...a: unknown[]) => T).apply(primary, args));
  };
  const worker = () => new SharedThrottlerStorage(2, call, () => now, true);

  beforeEach(() => {
    now = 1_700_000_000_000;
    primary = new SlidingWindowThrottlerStorage(() => now);
    calls = [];
  });
  afterEach(() => primary.close());

  it('holds the limit exactly across two workers, requests alternating', async () => {
    const [a, b] = [worker(), worker()];
    const admitted: boolean[] = [];
    for (let i = 0; i < 30; i++) {
      const storage = i % 2 === 0 ? a : b;
      admitted.push(!(await storage.increment('key:x', MINUTE, 12, MINUTE, 'per-key')).isBlocked);
    }
    a.close();
    b.close();
    expect(admitted.filter(Boolean)).toHaveLength(12);
    expect(admitted.slice(0, 12).every(Boolean)).toBe(true);
  });

  it('asks the primary for a small share of the requests of a busy key, and gives back what it did not use', async () => {
    const [a, b] = [worker(), worker()];
    for (let i = 0; i < 1000; i++) {
      now += 1;
      await (i % 3 === 0 ? a : b).increment('key:busy', MINUTE, 120_000, MINUTE, 'per-key');
    }
    expect(calls.filter((m) => m === 'rate-limit.lease').length).toBeLessThan(60);
    now += SharedThrottlerStorage.LEASE_MS;
    a.close();
    b.close();
    // Every hit the workers admitted is counted in the primary, and nothing more once the leases came back.
    expect((await primary.increment('key:busy', MINUTE, 120_000, MINUTE, 'per-key')).totalHits).toBe(1001);
  });

  it('drops a lease when the limit of its key changes (a key under a harvesting alert is held at once)', async () => {
    const a = worker();
    await a.increment('key:h', MINUTE, 120_000, MINUTE, 'per-key'); // leases 50 hits
    const held: boolean[] = [];
    for (let i = 0; i < 4; i++)
      held.push((await a.increment('key:h', MINUTE, 3, MINUTE, 'per-key')).isBlocked);
    a.close();
    expect(held).toEqual([false, false, true, true]);
  });
});
