import { StreamClock } from './stream-clock';

describe('StreamClock', () => {
  it('is the latest event time among the last events read', () => {
    const clock = new StreamClock(3);
    expect(clock.now).toBe(0);
    for (const t of [10, 30, 20]) clock.note(t);
    expect(clock.now).toBe(30);
    clock.note(25);
    expect(clock.now).toBe(30);
    // 30 leaves the window: the stream is where its last three events are.
    clock.note(26);
    expect(clock.now).toBe(26);
  });

  it('follows a history read after a few events from today, once it has pushed them out', () => {
    const clock = new StreamClock(100);
    const today = Date.UTC(2026, 11, 7);
    for (let i = 0; i < 10; i++) clock.note(today + i);
    const history = Date.UTC(2026, 4, 8);
    for (let i = 0; i < 100; i++) clock.note(history + i * 60_000);
    expect(clock.now).toBe(history + 99 * 60_000);
  });

  it('comes back from its snapshot', () => {
    const clock = new StreamClock(3);
    for (const t of [5, 9, 7, 6]) clock.note(t);
    expect(clock.snapshot()).toEqual([9, 7, 6]);
    const restored = new StreamClock(3);
    restored.restore(clock.snapshot());
    expect(restored.now).toBe(9);
    restored.note(1);
    expect(restored.now).toBe(7);
  });
});
