import type { PedigreeConfig } from '@pedigree/config';
import { CompressionTypes, type Kafka, Partitioners, type Producer } from 'kafkajs';
import { topicName, type TopicDefinition } from './topics';

export interface OutgoingMessage<T> {
  key?: string;
  value: T;
  headers?: Record<string, string>;
}

function serialise(value: unknown): Buffer {
  return Buffer.isBuffer(value) ? value : Buffer.from(JSON.stringify(value));
}

/**
 * A typed producer: the topic definition fixes the payload type. Idempotent (no duplicates from producer
 * retries) and acks from all in-sync replicas, since an acknowledged capture must not be lost.
 */
export class TypedProducer {
  private readonly producer: Producer;
  private connected?: Promise<void>;

  constructor(
    kafka: Kafka,
    private readonly config: PedigreeConfig,
  ) {
    this.producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      // Murmur2 partitioning, as the Java clients do: a consignment's key lands on the same partition whoever sends.
      createPartitioner: Partitioners.DefaultPartitioner,
    });
  }

  connect(): Promise<void> {
    this.connected ??= this.producer.connect();
    return this.connected;
  }

  async send<T>(topic: TopicDefinition<T>, messages: OutgoingMessage<T>[]): Promise<void> {
    if (messages.length === 0) return;
    await this.connect();
    await this.producer.send({
      topic: topicName(topic, this.config.kafkaTopicPrefix),
      acks: -1,
      // gzip is the only codec kafkajs ships; on the high-volume internal topics its CPU cost outweighs the bytes saved.
      compression: topic.compress === false ? CompressionTypes.None : CompressionTypes.GZIP,
      messages: messages.map((m) => ({ key: m.key, value: serialise(m.value), headers: m.headers })),
    });
  }

  async disconnect(): Promise<void> {
    if (this.connected) await this.producer.disconnect();
    this.connected = undefined;
  }
}
