import { Logger } from '@nestjs/common';
import { isInfrastructureFailure } from '@pedigree/common';
import type { PedigreeConfig } from '@pedigree/config';
import type { Consumer, Kafka, KafkaMessage } from 'kafkajs';
import { topicName, type TopicDefinition } from './topics';

export interface BatchContext {
  topic: string;
  partition: number;
  /** The partition's end offset when the batch was fetched: a handler can tell how far behind it is. */
  highWatermark: string;
  /** Keep the consumer's group membership alive during long work. */
  heartbeat(): Promise<void>;
}

/**
 * Handles a slice of one partition's messages. It must deal with every message (persist it, or dead-letter it
 * when the message itself is bad) and throw only when the failure is worth retrying (database or broker down).
 */
export type BatchHandler = (messages: KafkaMessage[], context: BatchContext) => Promise<void>;

export interface BatchConsumerOptions {
  groupId: string;
  topic: TopicDefinition<unknown>;
  handler: BatchHandler;
  /** Messages handed to the handler at once (one database transaction each). */
  maxMessagesPerCall?: number;
  fromBeginning?: boolean;
  partitionsConsumedConcurrently?: number;
  /** Resume from these offsets (partition → next offset to read), e.g. those a state checkpoint covers. */
  startOffsets?: Record<number, string>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The group moved on without this member (its session lapsed, or a rebalance fenced its generation). Whatever it
 * handled but did not commit is replayed by the partition's next owner, which the idempotent handler makes harmless.
 */
export function isLostMembership(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 5; depth++) {
    const { type, message } = e as { type?: string; message?: string };
    if (
      type === 'UNKNOWN_MEMBER_ID' ||
      type === 'ILLEGAL_GENERATION' ||
      type === 'REBALANCE_IN_PROGRESS' ||
      /not aware of this member|generation id is not valid|rebalanc/i.test(message ?? '')
    )
      return true;
    e =
      (e as { cause?: unknown; originalError?: unknown }).cause ??
      (e as { originalError?: unknown }).originalError;
  }
  return false;
}

/**
 * Batch consumption with at-least-once delivery and offsets committed only after the handler succeeded:
 * a crash replays the uncommitted slice and the idempotent handler turns that into exactly-once effects.
 * Retriable failures are retried in place with backoff (heartbeating, so the group does not rebalance);
 * they never dead-letter anything.
 */
export class BatchConsumer {
  private readonly logger: Logger;
  private consumer: Consumer;
  private stopping = false;
  private restarting?: Promise<void>;
  /** How long after a crash kafkajs will not recover from a new consumer is started. */
  static restartDelayMs = 5000;

  constructor(
    private readonly kafka: Kafka,
    private readonly config: PedigreeConfig,
    private readonly options: BatchConsumerOptions,
  ) {
    this.logger = new Logger(`BatchConsumer:${options.topic.name}`);
    this.consumer = this.createConsumer();
  }

  private createConsumer(): Consumer {
    const consumer = this.kafka.consumer({
      groupId: this.options.groupId,
      sessionTimeout: 30000,
      heartbeatInterval: 3000,
      maxBytesPerPartition: 8 * 1024 * 1024,
      maxBytes: 32 * 1024 * 1024,
      allowAutoTopicCreation: false,
      retry: { retries: 20, initialRetryTime: 300, maxRetryTime: 10000 },
    });
    // kafkajs restarts itself after retriable crashes only; after any other one the member would sit idle while
    // the process looks healthy. Start a fresh consumer instead (the group then resumes from committed offsets).
    consumer.on(consumer.events.CRASH, (event) => {
      if (event.payload.restart || this.stopping || this.restarting) return;
      this.logger.error(
        { err: event.payload.error },
        `consumer crashed and kafkajs will not restart it; starting a new one in ${BatchConsumer.restartDelayMs} ms`,
      );
      this.restarting = this.restart().finally(() => (this.restarting = undefined));
    });
    return consumer;
  }

  private async restart(): Promise<void> {
    for (let attempt = 1; !this.stopping; attempt++) {
      await sleep(BatchConsumer.restartDelayMs);
      if (this.stopping) return;
      await this.consumer.disconnect().catch(() => undefined);
      this.consumer = this.createConsumer();
      try {
        await this.start();
        this.logger.log(`consumer restarted (attempt ${attempt})`);
        return;
      } catch (error) {
        this.logger.warn({ err: error, attempt }, 'restarting the consumer failed; trying again');
      }
    }
  }

  get topicName(): string {
    return topicName(this.options.topic, this.config.kafkaTopicPrefix);
  }

  async start(): Promise<void> {
    await this.consumer.connect();
    await this.consumer.subscribe({
      topic: this.topicName,
      fromBeginning: this.options.fromBeginning ?? true,
    });
    const chunkSize = this.options.maxMessagesPerCall ?? 500;
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 1,
      eachBatch: async (payload) => {
        const { batch } = payload;
        for (let start = 0; start < batch.messages.length; start += chunkSize) {
          if (!payload.isRunning() || payload.isStale() || this.stopping) return;
          const chunk = batch.messages.slice(start, start + chunkSize);
          // kafkajs heartbeats only when asked: keep the membership alive while a slow slice is handled (a busy
          // machine can take longer than the session timeout), at most every heartbeatInterval.
          const beating = setInterval(() => void payload.heartbeat().catch(() => undefined), 3000);
          try {
            await this.handleWithRetry(chunk, {
              topic: batch.topic,
              partition: batch.partition,
              highWatermark: batch.highWatermark,
              heartbeat: () => payload.heartbeat(),
            });
          } finally {
            clearInterval(beating);
          }
          const last = chunk[chunk.length - 1]!;
          payload.resolveOffset(last.offset);
          try {
            await this.consumer.commitOffsets([
              {
                topic: batch.topic,
                partition: batch.partition,
                offset: (BigInt(last.offset) + 1n).toString(),
              },
            ]);
            await payload.heartbeat();
          } catch (error) {
            if (!isLostMembership(error)) throw error;
            this.logger.warn(
              { partition: batch.partition, offset: last.offset },
              'the group moved on before this slice was committed; its next owner replays it (idempotent)',
            );
            return;
          }
        }
      },
    });
    for (const [partition, offset] of Object.entries(this.options.startOffsets ?? {})) {
      this.consumer.seek({ topic: this.topicName, partition: Number(partition), offset });
    }
  }

  private async handleWithRetry(messages: KafkaMessage[], context: BatchContext): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.options.handler(messages, context);
        return;
      } catch (error) {
        if (this.stopping) throw error;
        if (!isInfrastructureFailure(error)) {
          // A handler must dead-letter bad messages itself; reaching here is a bug, so stop rather than skip data.
          this.logger.error(
            { err: error },
            'non-retriable failure escaped the batch handler; stopping the partition',
          );
          throw error;
        }
        const delay = Math.min(30000, 250 * 2 ** Math.min(attempt - 1, 7));
        this.logger.warn(
          { err: error, attempt, delayMs: delay, partition: context.partition },
          `transient failure, retrying the batch in ${delay} ms`,
        );
        const until = Date.now() + delay;
        while (Date.now() < until && !this.stopping) {
          await sleep(Math.min(1000, until - Date.now()));
          await context.heartbeat().catch(() => undefined);
        }
      }
    }
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.consumer.disconnect();
  }
}
