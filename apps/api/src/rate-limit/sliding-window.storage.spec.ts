import { SLOTS, SlidingWindowThrottlerStorage } from './sliding-window.storage';

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
