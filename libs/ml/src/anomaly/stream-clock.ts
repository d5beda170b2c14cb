/**
 * Where the stream is in event time: the latest event time among the last `window` events read. The latest ever seen
 * is not it when a few events from today are read before a history (the demo streams its own flow first, then 40
 * weeks of past): a suspicion raised in that history then waited for today + 48 h instead of for its own history to
 * move on. A window of the recent events follows the history once it has pushed today's out.
 */
export class StreamClock {
  /** Event times in read order, the last `window` of them (a ring). */
  private times: number[] = [];
  /** Indexes into `times` of decreasing event times: the head is the window's latest (a monotonic queue). */
  private latest: number[] = [];
  private count = 0;

  constructor(private readonly window = 1_000) {}

  note(time: number): void {
    const index = this.count++;
    if (this.latest[0] !== undefined && this.latest[0] <= index - this.window) this.latest.shift();
    while (this.latest.length > 0 && this.timeAt(this.latest[this.latest.length - 1]!) <= time)
      this.latest.pop();
    this.times[index % this.window] = time;
    this.latest.push(index);
  }

  /** The window's latest event time (0 before any event). */
  get now(): number {
    const head = this.latest[0];
    return head === undefined ? 0 : this.timeAt(head);
  }

  /** The window's event times, oldest first (for a checkpoint). */
  snapshot(): number[] {
    const n = Math.min(this.count, this.window);
    return Array.from({ length: n }, (_, i) => this.timeAt(this.count - n + i));
  }

  restore(times: readonly number[]): void {
    this.times = [];
    this.latest = [];
    this.count = 0;
    for (const time of times.slice(-this.window)) this.note(time);
  }

  private timeAt(index: number): number {
    return this.times[index % this.window] as number;
  }
}
