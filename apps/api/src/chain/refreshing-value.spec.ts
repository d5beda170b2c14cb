import { RefreshingValue } from './refreshing-value';

describe('RefreshingValue', () => {
  let now: number;
  let reads: number;
  let answer: (value: string) => void;
  const source = () => {
    reads++;
    return new Promise<string>((resolve) => (answer = resolve));
  };
  const value = () =>
    new RefreshingValue(
      source,
      (v) => v !== 'unavailable',
      1000,
      5000,
      () => now,
    );

  beforeEach(() => {
    now = 0;
    reads = 0;
  });

  it('makes the first callers wait for one read, then serves the value while it is fresh', async () => {
    const shared = value();
    const first = [shared.get(), shared.get()];
    answer('root-1');
    expect(await Promise.all(first)).toEqual(['root-1', 'root-1']);
    now = 999;
    expect(await shared.get()).toBe('root-1');
    expect(reads).toBe(1);
  });

  it('answers from the last value while one refresh runs, and takes the new value when it lands', async () => {
    const shared = value();
    const first = shared.get();
    answer('root-1');
    await first;
    now = 1500;
    // The node is slow: nobody waits for it.
    expect(await shared.get()).toBe('root-1');
    expect(await shared.get()).toBe('root-1');
    expect(reads).toBe(2);
    answer('root-2');
    await new Promise((r) => setImmediate(r));
    expect(await shared.get()).toBe('root-2');
  });

  it('waits for the source once the last value is too old to serve', async () => {
    const shared = value();
    const first = shared.get();
    answer('root-1');
    await first;
    now = 6000;
    let settled = false;
    const waiting = shared.get().then((v) => ((settled = true), v));
    await new Promise((r) => setImmediate(r));
    expect(settled).toBe(false);
    answer('root-3');
    expect(await waiting).toBe('root-3');
  });

  it('gives an error answer to its waiters only, and keeps serving the last good value meanwhile', async () => {
    const shared = value();
    const first = shared.get();
    answer('root-1');
    await first;
    now = 2000;
    expect(await shared.get()).toBe('root-1');
    answer('unavailable');
    await new Promise((r) => setImmediate(r));
    expect(await shared.get()).toBe('root-1'); // a new refresh starts; the last good value is served
    expect(reads).toBe(3);
    now = 7000;
    const late = shared.get();
    answer('unavailable');
    expect(await late).toBe('unavailable');
  });
});
