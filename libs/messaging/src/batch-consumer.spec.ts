import type { PedigreeConfig } from '@pedigree/config';
import { EventEmitter } from 'node:events';
import type { Kafka, KafkaMessage } from 'kafkajs';
import { BatchConsumer, isLostMembership } from './batch-consumer';
import { Topics } from './topics';

type EachBatch = (payload: unknown) => Promise<void>;

/** A kafkajs consumer stand-in: records calls and lets the test drive batches and crashes. */
class FakeConsumer extends EventEmitter {
  readonly events = { CRASH: 'consumer.crash' };
  eachBatch?: EachBatch;
  connected = 0;
  disconnected = 0;
  commits: string[] = [];
  commitError?: Error;
  connect() {
    this.connected++;
    return Promise.resolve();
  }
  disconnect() {
    this.disconnected++;
    return Promise.resolve();
  }
  subscribe() {
    return Promise.resolve();
  }
  run(options: { eachBatch: EachBatch }) {
    this.eachBatch = options.eachBatch;
    return Promise.resolve();
  }
  commitOffsets(offsets: { offset: string }[]) {
    if (this.commitError) return Promise.reject(this.commitError);
    this.commits.push(...offsets.map((o) => o.offset));
    return Promise.resolve();
  }
  seek() {}
  crash(error: Error, restart: boolean) {
    this.emit('consumer.crash', { payload: { error, restart } });
  }
}

function setup(handler = jest.fn(() => Promise.resolve())) {
  const consumers: FakeConsumer[] = [];
  const kafka = {
    consumer: () => {
      const consumer = new FakeConsumer();
      consumers.push(consumer);
      return consumer;
    },
  } as unknown as Kafka;
  const config = { kafkaTopicPrefix: 't' } as PedigreeConfig;
  const batchConsumer = new BatchConsumer(kafka, config, {
    groupId: 'g',
    topic: Topics.epcisEvents,
    handler,
    maxMessagesPerCall: 2,
  });
  return { batchConsumer, consumers, handler };
}

function batchPayload(offsets: string[]) {
  const heartbeat = jest.fn(() => Promise.resolve());
  return {
    heartbeat,
    payload: {
      batch: {
        topic: 't.epcis.events.v1',
        partition: 0,
        messages: offsets.map((offset) => ({ offset, value: Buffer.from('{}') }) as unknown as KafkaMessage),
      },
      isRunning: () => true,
      isStale: () => false,
      resolveOffset: jest.fn(),
      heartbeat,
    },
  };
}

describe('BatchConsumer', () => {
  const originalDelay = BatchConsumer.restartDelayMs;
  beforeAll(() => (BatchConsumer.restartDelayMs = 10));
  afterAll(() => (BatchConsumer.restartDelayMs = originalDelay));

  it('hands slices to the handler and commits after each one', async () => {
    const { batchConsumer, consumers, handler } = setup();
    await batchConsumer.start();
    await consumers[0]!.eachBatch!(batchPayload(['5', '6', '7']).payload);
    expect(handler).toHaveBeenCalledTimes(2);
    expect(consumers[0]!.commits).toEqual(['7', '8']);
  });

  it('starts a fresh consumer after a crash kafkajs will not restart from', async () => {
    const { batchConsumer, consumers } = setup();
    await batchConsumer.start();
    consumers[0]!.crash(new Error('The coordinator is not aware of this member'), false);
    for (let i = 0; i < 50 && consumers.length < 2; i++) await new Promise((r) => setTimeout(r, 10));
    expect(consumers).toHaveLength(2);
    expect(consumers[0]!.disconnected).toBe(1);
    expect(consumers[1]!.connected).toBe(1);
    expect(consumers[1]!.eachBatch).toBeDefined();
    await batchConsumer.stop();
  });

  it('leaves restarts after retriable crashes to kafkajs, and does nothing while stopping', async () => {
    const { batchConsumer, consumers } = setup();
    await batchConsumer.start();
    consumers[0]!.crash(new Error('broker down'), true);
    await batchConsumer.stop();
    consumers[0]!.crash(new Error('late'), false);
    await new Promise((r) => setTimeout(r, 50));
    expect(consumers).toHaveLength(1);
  });

  it('treats a commit refused because the group moved on as a replay, not a crash', async () => {
    const { batchConsumer, consumers, handler } = setup();
    await batchConsumer.start();
    const lost = Object.assign(new Error('The coordinator is not aware of this member'), {
      type: 'UNKNOWN_MEMBER_ID',
    });
    consumers[0]!.commitError = lost;
    await expect(consumers[0]!.eachBatch!(batchPayload(['1', '2', '3']).payload)).resolves.toBeUndefined();
    // It stopped after the first slice: the rest belongs to the partition's next owner.
    expect(handler).toHaveBeenCalledTimes(1);
    consumers[0]!.commitError = new Error('disk full');
    await expect(consumers[0]!.eachBatch!(batchPayload(['1']).payload)).rejects.toThrow('disk full');
  });

  it('heartbeats while a slow slice is handled', async () => {
    jest.useFakeTimers();
    try {
      let finish!: () => void;
      const { batchConsumer, consumers } = setup(
        jest.fn(() => new Promise<void>((resolve) => (finish = resolve))),
      );
      await batchConsumer.start();
      const { payload, heartbeat } = batchPayload(['1']);
      const running = consumers[0]!.eachBatch!(payload);
      await Promise.resolve();
      jest.advanceTimersByTime(10_000);
      expect(heartbeat.mock.calls.length).toBeGreaterThanOrEqual(3);
      finish();
      await running;
    } finally {
      jest.useRealTimers();
    }
  });
});

describe('isLostMembership', () => {
  it('recognises the group moving on, also when wrapped', () => {
    expect(isLostMembership({ type: 'ILLEGAL_GENERATION' })).toBe(true);
    expect(isLostMembership(new Error('x', { cause: { type: 'UNKNOWN_MEMBER_ID' } }))).toBe(true);
    expect(isLostMembership(new Error('The coordinator is not aware of this member'))).toBe(true);
    expect(isLostMembership(new Error('connection refused'))).toBe(false);
    expect(isLostMembership(undefined)).toBe(false);
  });
});
