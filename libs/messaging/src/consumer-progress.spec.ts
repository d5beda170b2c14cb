import type { Admin } from 'kafkajs';
import { ConsumerProgress } from './consumer-progress';

/** One partition whose first offset at or after time t is t (a message per millisecond). */
function fakeAdmin(offsetFetch: () => Promise<unknown>) {
  const asked: number[] = [];
  const admin = {
    fetchOffsets: offsetFetch,
    fetchTopicOffsets: () => Promise.resolve([{ partition: 0, offset: '100', high: '100', low: '0' }]),
    fetchTopicOffsetsByTimestamp: (_topic: string, time: number) => {
      asked.push(time);
      return Promise.resolve([{ partition: 0, offset: String(time) }]);
    },
  } as unknown as Admin;
  return { admin, asked };
}

describe('ConsumerProgress', () => {
  it('finds how many times are read through with a binary search', async () => {
    const { admin, asked } = fakeAdmin(() => Promise.resolve([]));
    const progress = new ConsumerProgress(admin, 'group', 'topic');
    const times = Array.from({ length: 100 }, (_, i) => i);
    expect(await progress.readThroughCount(new Map([[0, 37n]]), times)).toBe(38);
    expect(asked.length).toBeLessThanOrEqual(7);
    expect(await progress.readThroughCount(new Map([[0, 500n]]), times)).toBe(100);
  });

  it('retries a refused offset read only when Kafka calls it retriable', async () => {
    let calls = 0;
    const loading = Object.assign(new Error('coordinator loading'), { retriable: true });
    const { admin } = fakeAdmin(() =>
      ++calls < 3
        ? Promise.reject(loading)
        : Promise.resolve([{ topic: 'topic', partitions: [{ partition: 0, offset: '42' }] }]),
    );
    expect([...(await new ConsumerProgress(admin, 'group', 'topic').positions())]).toEqual([[0, 42n]]);
    expect(calls).toBe(3);

    const denied = Object.assign(new Error('not authorised'), { retriable: false });
    const refusing = fakeAdmin(() => Promise.reject(denied)).admin;
    await expect(new ConsumerProgress(refusing, 'group', 'topic').positions()).rejects.toBe(denied);
  });
});
