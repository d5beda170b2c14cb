import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { PedigreeConfig } from '@pedigree/config';
import {
  BatchConsumer,
  createKafka,
  type DeadLetterMessage,
  ensureTopics,
  type EventsAcceptedMessage,
  topicName,
  type TopicDefinition,
  Topics,
  type VerificationAccessMessage,
} from '@pedigree/messaging';
import type { KafkaMessage } from 'kafkajs';
import { AccessMonitorService } from '../access/access-monitor.service';
import { DetectionService } from './detection.service';

/** Parses a message of a topic intelligence reads; only Pedigree writes these topics, so bad JSON is a bug there. */
function parse<T>(message: KafkaMessage, logger: Logger): T | undefined {
  try {
    return JSON.parse(message.value?.toString('utf8') ?? '') as T;
  } catch {
    logger.error(`skipping an unreadable message at offset ${message.offset}`);
    return undefined;
  }
}

/** The intelligence worker's Kafka side: accepted events and dead letters, each in its consumer group. */
@Injectable()
export class StreamConsumers implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(StreamConsumers.name);
  private readonly consumers: BatchConsumer[] = [];

  constructor(
    private readonly config: PedigreeConfig,
    private readonly detection: DetectionService,
    private readonly access: AccessMonitorService,
  ) {}

  /** Health and metrics come up at once; consuming starts when the detector is ready (first start trains models). */
  onApplicationBootstrap(): void {
    this.starting = this.start().catch((error: unknown) => {
      this.logger.error({ err: error }, 'the detector could not start; intelligence is not scoring');
      throw error;
    });
  }

  get ready(): boolean {
    return this.consumers.length > 0;
  }

  private starting?: Promise<void>;

  private async start(): Promise<void> {
    const kafka = createKafka(this.config, 'intelligence');
    await ensureTopics(kafka, this.config);
    const resume = await this.detection.start();
    this.detection.expectPartitions(
      topicName(Topics.eventsAccepted, this.config.kafkaTopicPrefix),
      this.config.kafkaTopicPartitions,
    );
    const startOffsets = (topic: TopicDefinition<unknown>) => {
      const name = topicName(topic, this.config.kafkaTopicPrefix);
      return Object.fromEntries(
        Object.entries(resume)
          .filter(([key]) => key.startsWith(`${name}/`))
          .map(([key, offset]) => [Number(key.slice(name.length + 1)), offset]),
      );
    };
    this.consumers.push(
      new BatchConsumer(kafka, this.config, {
        groupId: this.config.intelligenceConsumerGroup,
        topic: Topics.eventsAccepted,
        maxMessagesPerCall: 50,
        startOffsets: startOffsets(Topics.eventsAccepted),
        handler: async (messages, context) => {
          const payloads = messages
            .map((m) => parse<EventsAcceptedMessage>(m, this.logger))
            .filter((p) => p !== undefined);
          const last = messages[messages.length - 1]!.offset;
          await this.detection.observeAccepted(
            context.topic,
            context.partition,
            last,
            payloads,
            BigInt(last) + 1n < BigInt(context.highWatermark),
          );
        },
      }),
      new BatchConsumer(kafka, this.config, {
        groupId: `${this.config.intelligenceConsumerGroup}-dead-letters`,
        topic: Topics.eventsRejected,
        maxMessagesPerCall: 100,
        startOffsets: startOffsets(Topics.eventsRejected),
        handler: async (messages, context) => {
          const payloads = messages
            .map((m) => parse<DeadLetterMessage>(m, this.logger))
            .filter((p) => p !== undefined);
          await this.detection.observeRejected(
            context.topic,
            context.partition,
            messages[messages.length - 1]!.offset,
            payloads,
          );
        },
      }),
    );
    this.consumers.push(
      new BatchConsumer(kafka, this.config, {
        groupId: `${this.config.intelligenceConsumerGroup}-access`,
        topic: Topics.verificationAccess,
        maxMessagesPerCall: 500,
        handler: async (messages, context) => {
          await this.access.observe(
            context.partition,
            messages.flatMap((m) => {
              const message = parse<VerificationAccessMessage>(m, this.logger);
              return message ? [{ offset: m.offset, message }] : [];
            }),
          );
        },
      }),
    );
    for (const consumer of this.consumers) await consumer.start();
    this.logger.log('scoring accepted events, dead letters and members’ verifications');
  }

  async onApplicationShutdown(): Promise<void> {
    await this.starting?.catch(() => undefined);
    for (const consumer of this.consumers) await consumer.stop();
  }
}
