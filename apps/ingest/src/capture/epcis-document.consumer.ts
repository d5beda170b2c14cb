import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { isInfrastructureFailure } from '@pedigree/common';
import { PedigreeConfig } from '@pedigree/config';
import { BatchConsumer, createKafka, ensureTopics, Topics } from '@pedigree/messaging';
import type { KafkaMessage } from 'kafkajs';
import { AnchoringBackpressureService } from '../backpressure/anchoring-backpressure.service';
import type { SourceMessage } from '@pedigree/supply-chain';
import { IngestPipelineService } from '../pipeline/ingest-pipeline.service';
import { ParkingService } from '../parking/parking.service';
import { processIsolatingPoison } from './poison-isolation';

function headersOf(message: KafkaMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    if (value === undefined) continue;
    out[name] = Array.isArray(value) ? String(value[0]) : String(value);
  }
  return out;
}

/** The ingest worker's Kafka side: a consumer-group member on `epcis.events.v1`, one pipeline run per slice. */
@Injectable()
export class EpcisDocumentConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(EpcisDocumentConsumer.name);
  private consumer?: BatchConsumer;
  private stopping = false;

  constructor(
    private readonly config: PedigreeConfig,
    private readonly pipeline: IngestPipelineService,
    private readonly parking: ParkingService,
    private readonly backpressure: AnchoringBackpressureService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const kafka = createKafka(this.config, 'ingest');
    await ensureTopics(kafka, this.config);
    this.consumer = new BatchConsumer(kafka, this.config, {
      groupId: this.config.ingestConsumerGroup,
      topic: Topics.epcisEvents,
      maxMessagesPerCall: this.config.ingestBatchMessages,
      partitionsConsumedConcurrently: this.config.ingestConcurrentPartitions,
      handler: async (messages, context) => {
        const release = await this.backpressure.admit(
          () => context.heartbeat(),
          () => this.stopping,
        );
        let sent: number | undefined;
        const sources: SourceMessage[] = messages.map((m) => ({
          value: m.value ?? Buffer.alloc(0),
          key: m.key ? m.key.toString('utf8') : null,
          headers: headersOf(m),
          topic: context.topic,
          partition: context.partition,
          offset: m.offset,
          timestamp: new Date(Number(m.timestamp)).toISOString(),
        }));
        try {
          const results = await processIsolatingPoison(
            sources,
            (batch) => this.pipeline.process(batch),
            async (poison, error) => {
              this.logger.error(
                { err: error, offset: poison.offset, partition: poison.partition },
                'dead-lettering a message that breaks processing',
              );
              await this.pipeline.quarantine(poison, error);
            },
            isInfrastructureFailure,
          );
          sent = 0;
          for (const result of results) {
            sent += result.accepted;
            this.parking.notifyCommitted(result);
            this.logger.debug(
              `partition ${context.partition}: ${result.accepted} accepted, ${result.duplicates} duplicate, ` +
                `${result.rejected} rejected, ${result.parked} parked`,
            );
          }
        } finally {
          release(sent);
        }
      },
    });
    await this.consumer.start();
    this.logger.log(`consuming ${this.consumer.topicName} as group ${this.config.ingestConsumerGroup}`);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await this.consumer?.stop();
  }
}
