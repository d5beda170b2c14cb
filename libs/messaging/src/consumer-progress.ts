import type { Admin } from 'kafkajs';

/** Per partition, the offset a consumer group reads next. */
export type ReadPositions = ReadonlyMap<number, bigint>;

/**
 * How far a consumer group has read a topic, in the log's own time (message timestamps), whichever member reads
 * which partition. A wait measured on the wall clock ends too early when the group lags behind: what it waits for
 * may be published already and still unread in another partition.
 */
export class ConsumerProgress {
  constructor(
    private readonly admin: Pick<
      Admin,
      'fetchOffsets' | 'fetchTopicOffsets' | 'fetchTopicOffsetsByTimestamp'
    >,
    private readonly groupId: string,
    private readonly topic: string,
  ) {}

  /** Where the group reads next on each partition; a partition it never committed reads from the log's start. */
  async positions(): Promise<ReadPositions> {
    const [committed, ends] = await Promise.all([
      // kafkajs retries the offset reads but not this one, which a coordinator still loading refuses for a while.
      retried(() => this.admin.fetchOffsets({ groupId: this.groupId, topics: [this.topic] })),
      this.admin.fetchTopicOffsets(this.topic),
    ]);
    const byPartition = new Map(
      (committed[0]?.partitions ?? []).map((p) => [p.partition, BigInt(p.offset)] as const),
    );
    return new Map(
      ends.map((end) => {
        const low = BigInt(end.low);
        const next = byPartition.get(end.partition) ?? -1n;
        return [end.partition, next > low ? next : low] as const;
      }),
    );
  }

  /** Whether the group, at `positions`, has read every message published before `timeMs` on every partition. */
  async readThrough(positions: ReadPositions, timeMs: number): Promise<boolean> {
    // The first offset at or after the time on each partition (the end of the partition when there is none).
    const firstAfter = await this.admin.fetchTopicOffsetsByTimestamp(this.topic, timeMs);
    return firstAfter.every(({ partition, offset }) => (positions.get(partition) ?? -1n) >= BigInt(offset));
  }

  /**
   * How many of `times` (ascending) the group has read through: the check is monotonic in time, so a binary search
   * asks the broker about log2(n) of them.
   */
  async readThroughCount(positions: ReadPositions, times: readonly number[]): Promise<number> {
    let low = 0;
    let high = times.length;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (await this.readThrough(positions, times[middle - 1]!)) low = middle;
      else high = middle - 1;
    }
    return low;
  }
}

async function retried<T>(read: () => Promise<T>, attempts = 6): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await read();
    } catch (error) {
      if (attempt >= attempts || (error as { retriable?: boolean }).retriable !== true) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250 * attempt));
    }
  }
}
