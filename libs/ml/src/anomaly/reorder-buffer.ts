/**
 * Puts a stream read from several Kafka partitions back into the order it was written in, before the detector
 * learns from it.
 *
 * Kafka keeps order within a partition only, and a consumer reads its partitions in turns: a replay or a backlog
 * interleaves days of event time across partitions. Learnt out of order, a receiver's habits (what it usually gets,
 * what it sells) look new on every other shipment and ordinary shipments score as diversion; a pack packed at a
 * wholesaler is seen before the receipt that brought it there. Ingest's commit order has neither fault: it stored
 * each event only once its preconditions held (the receipt before the packing), and a stream sent in time order
 * stays so. So the buffer keeps each partition's order and merges the partitions by the time each item was written
 * (an accepted event's record time, a dead letter's rejection time): the earliest head goes first, once every
 * partition still delivering has moved past it less an allowed skew (a low watermark, as in Flink or Kafka Streams).
 * The wait is bounded: a partition that is caught up and silent for `idleMs` stops holding the others back, and
 * nothing waits longer than `maxHoldMs` (unless a partition with a backlog has yet to pass it) or beyond `maxItems`. Dead letters are merged in the same way but hold nothing
 * back (their topic says nothing of how far the accepted stream is); with no partition delivering, everything passes
 * straight through in the order read, as in the offline evaluation.
 *
 * State is plain JSON, so it is checkpointed with the detector: what the buffer holds has already been read from
 * Kafka, and the checkpoint's offsets cover it.
 */

export interface ReorderBufferOptions {
  /**
   * How far behind its own latest item a partition may still deliver one (ms): the clocks of the ingest members that
   * write the partitions differ a little.
   */
  latenessMs: number;
  /** A caught-up partition that delivered nothing for this long no longer holds the watermark back (wall-clock ms). */
  idleMs: number;
  /** Longest an item is held, whatever the watermark (wall-clock ms): the bound on added alert latency. */
  maxHoldMs: number;
  /** Most items held; beyond it the earliest heads go on (memory bound). */
  maxItems: number;
}

interface Held<T> {
  /** When it was written (ms): what the partitions are merged by. */
  at: number;
  /** Read order: breaks ties between partitions. */
  seq: number;
  value: T;
}

interface SourceMark {
  /** Latest time the source delivered (-Infinity: assigned, nothing delivered yet). */
  high: number;
  /** Wall-clock time it last delivered. */
  lastSeen: number;
  /** Whether more was waiting in the partition when it last delivered: a partition behind is never idle. */
  behind?: boolean;
}

export interface ReorderBufferSnapshot<T> {
  /** Per queue (a partition, or the source-less one), its items in order. */
  queues: [string, Held<T>[]][];
  sources: [string, SourceMark][];
  /** Per read: when it arrived and its latest item's time (for the hold bound). */
  arrivals: [number, number][];
  seq: number;
}

/** The queue of items read without a source: they are ordered with the rest but hold nothing back. */
const UNSOURCED = '';

/** A FIFO with an amortised O(1) shift (`Array.prototype.shift` copies large arrays). */
class Fifo<T> {
  constructor(
    private items: T[] = [],
    private start = 0,
  ) {}
  push(item: T): void {
    this.items.push(item);
  }
  peek(): T | undefined {
    return this.items[this.start];
  }
  shift(): T | undefined {
    const item = this.items[this.start++];
    if (this.start > 1024 && this.start * 2 > this.items.length) {
      this.items = this.items.slice(this.start);
      this.start = 0;
    }
    return item;
  }
  get length(): number {
    return this.items.length - this.start;
  }
  toArray(): T[] {
    return this.items.slice(this.start);
  }
}

export class ReorderBuffer<T> {
  private readonly queues = new Map<string, Fifo<Held<T>>>();
  private readonly sources = new Map<string, SourceMark>();
  private arrivals: [number, number][] = [];
  private seq = 0;
  private count = 0;

  constructor(private readonly options: ReorderBufferOptions) {}

  /**
   * The partitions to wait for before they deliver anything (those assigned to the consumer): until then the buffer
   * cannot know how far behind they are, so they hold the watermark back until they deliver or fall idle.
   */
  expect(sources: readonly string[], now: number): void {
    for (const source of sources)
      if (!this.sources.has(source)) this.sources.set(source, { high: -Infinity, lastSeen: now });
  }

  /**
   * Items read at wall time `now`, from `source` (a topic partition) when reading it says how far the stream is;
   * `behind` when the partition held more than this read (its lag), so that a busy consumer's turns elsewhere are not
   * mistaken for silence.
   */
  add(items: readonly { at: number; value: T }[], now: number, source?: string, behind = false): void {
    if (items.length === 0) return;
    const queueKey = source ?? UNSOURCED;
    const queue = this.queues.get(queueKey) ?? new Fifo<Held<T>>();
    this.queues.set(queueKey, queue);
    let high = -Infinity;
    for (const { at, value } of items) {
      queue.push({ at, seq: this.seq++, value });
      high = Math.max(high, at);
    }
    this.count += items.length;
    this.arrivals.push([now, high]);
    if (source === undefined) return;
    const mark = this.sources.get(source);
    this.sources.set(source, { high: Math.max(mark?.high ?? -Infinity, high), lastSeen: now, behind });
  }

  /** The time up to which nothing more is expected: Infinity when no partition is delivering. */
  watermark(now: number): number {
    let low = Infinity;
    for (const mark of this.sources.values())
      if (mark.behind || now - mark.lastSeen < this.options.idleMs) low = Math.min(low, mark.high);
    return low - this.options.latenessMs;
  }

  /**
   * How far the partitions with a backlog in Kafka have been read: what they hold was written earlier, and is being
   * read, not waited for. One that has not delivered for the hold bound is no longer counted (revoked, or stalled).
   */
  private backlogMark(now: number): number {
    let low = Infinity;
    for (const mark of this.sources.values())
      if (mark.behind && now - mark.lastSeen < this.options.maxHoldMs) low = Math.min(low, mark.high);
    return low - this.options.latenessMs;
  }

  /** What may go on now: each partition in its order, the partitions merged by time written. */
  release(now: number): T[] {
    let until = this.watermark(now);
    // Reads older than the hold bound go on whatever the watermark, with everything earlier than them, but not past a
    // partition still reading its backlog: a dead letter read early (its topic is small) went on before the accepted
    // history it follows when intelligence ran minutes behind, and the packs it names were not known yet.
    const backlog = this.backlogMark(now);
    while (this.arrivals.length > 0 && now - this.arrivals[0]![0] >= this.options.maxHoldMs)
      until = Math.max(until, Math.min(this.arrivals.shift()![1], backlog));
    const ready: T[] = [];
    for (let next = this.earliestHead(); next !== undefined; next = this.earliestHead()) {
      const head = next.peek()!;
      if (head.at > until && this.count <= this.options.maxItems) break;
      next.shift();
      this.count--;
      ready.push(head.value);
    }
    if (this.count === 0) this.arrivals = [];
    return ready;
  }

  private earliestHead(): Fifo<Held<T>> | undefined {
    let best: Fifo<Held<T>> | undefined;
    for (const queue of this.queues.values()) {
      const head = queue.peek();
      if (head === undefined) continue;
      const current = best?.peek();
      if (!current || head.at < current.at || (head.at === current.at && head.seq < current.seq))
        best = queue;
    }
    return best;
  }

  get size(): number {
    return this.count;
  }

  snapshot(): ReorderBufferSnapshot<T> {
    return {
      queues: [...this.queues.entries()]
        .filter(([, queue]) => queue.length > 0)
        .map(([source, queue]) => [source, queue.toArray()]),
      // A source that never delivered has no mark worth keeping (and -Infinity is not JSON).
      sources: [...this.sources.entries()].filter(([, mark]) => Number.isFinite(mark.high)),
      arrivals: this.arrivals.map(([at, high]) => [at, high]),
      seq: this.seq,
    };
  }

  restore(snapshot: ReorderBufferSnapshot<T>): void {
    this.queues.clear();
    this.count = 0;
    for (const [source, items] of snapshot.queues) {
      this.queues.set(source, new Fifo(items));
      this.count += items.length;
    }
    this.sources.clear();
    for (const [source, mark] of snapshot.sources) this.sources.set(source, mark);
    this.arrivals = snapshot.arrivals.map(([at, high]) => [at, high]);
    this.seq = snapshot.seq;
  }
}
