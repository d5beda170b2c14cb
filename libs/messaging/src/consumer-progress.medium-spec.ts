import { loadConfig } from '@pedigree/config';
import { randomBytes } from 'node:crypto';
import { createKafka } from './kafka-client.factory';
import { ConsumerProgress } from './consumer-progress';

/** ConsumerProgress against the real broker: message timestamps, committed offsets and empty partitions. */
describe('ConsumerProgress against Kafka', () => {
  const config = loadConfig('tool', {});
  const kafka = createKafka(config, 'progress-spec');
  const admin = kafka.admin();
  const topic = `progress-${randomBytes(4).toString('hex')}`;
  const groupId = `${topic}-group`;
  const progress = new ConsumerProgress(admin, groupId, topic);
  const t0 = Date.UTC(2026, 2, 2, 10, 0);
  const minute = 60_000;

  beforeAll(async () => {
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });
    const producer = kafka.producer();
    await producer.connect();
    // Partition 0 holds 10:00, 10:01, 10:02; partition 1 holds 10:05; partition 2 stays empty.
    await producer.send({
      topic,
      messages: [
        ...[0, 1, 2].map((m) => ({ partition: 0, value: `p0-${m}`, timestamp: String(t0 + m * minute) })),
        { partition: 1, value: 'p1-0', timestamp: String(t0 + 5 * minute) },
      ],
    });
    await producer.disconnect();
  });

  afterAll(async () => {
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  });

  it('reads a group that never committed as at the start of the log', async () => {
    const positions = await progress.positions();
    expect([...positions.entries()].sort()).toEqual([
      [0, 0n],
      [1, 0n],
      [2, 0n],
    ]);
    expect(await progress.readThrough(positions, t0)).toBe(true);
    expect(await progress.readThrough(positions, t0 + 1)).toBe(false);
  });

  it('tells how far a group has read in the log’s time across partitions', async () => {
    const at = (offsets: [number, number, number]) => new Map(offsets.map((o, p) => [p, BigInt(o)]));
    const times = [0, 1, 2, 3, 4, 6].map((m) => t0 + m * minute);
    // Everything published before 10:02 is read; the 10:02 message on partition 0 is not.
    expect(await progress.readThrough(at([2, 0, 0]), t0 + 2 * minute)).toBe(true);
    expect(await progress.readThrough(at([2, 0, 0]), t0 + 2 * minute + 1)).toBe(false);
    expect(await progress.readThroughCount(at([2, 0, 0]), times)).toBe(3);
    // Partition 0 read to its end; partition 1 (10:05) not yet.
    expect(await progress.readThroughCount(at([3, 0, 0]), times)).toBe(5);
    expect(await progress.readThroughCount(at([3, 1, 0]), times)).toBe(6);
    expect(await progress.readThrough(at([3, 1, 0]), Date.now() + minute)).toBe(true);
  });

  /**
   * Commits as a member of the group, nothing but what it is given. kafkajs's admin.setOffsets runs a consumer that
   * may fetch (and commit) every partition before it pauses the topic: on a loaded machine the group then stood at
   * the end of the log.
   */
  async function commit(partition: number, offset: string): Promise<void> {
    const consumer = kafka.consumer({ groupId });
    await consumer.connect();
    try {
      const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({ autoCommit: false, eachMessage: () => Promise.resolve() });
      await joined;
      await consumer.commitOffsets([{ topic, partition, offset }]);
    } finally {
      await consumer.disconnect();
    }
  }

  it('reads the positions the group committed', async () => {
    await commit(0, '2');
    expect([...(await progress.positions()).entries()].sort()).toEqual([
      [0, 2n],
      [1, 0n],
      [2, 0n],
    ]);
  });
});
