import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { PedigreeConfig } from '@pedigree/config';
import { ConsumerProgress, createKafka, topicName, Topics } from '@pedigree/messaging';
import type { Admin } from 'kafkajs';

/** How far the ingest consumer group (all its members) has read the EPCIS topic, in the log's time. */
@Injectable()
export class IngestProgressService implements OnApplicationShutdown {
  private admin?: Promise<Admin>;

  constructor(private readonly config: PedigreeConfig) {}

  /** How many of `times` (epoch ms, ascending) the group has read every message published before. */
  async readThroughCount(times: readonly number[]): Promise<number> {
    if (times.length === 0) return 0;
    const admin = await this.connected();
    const progress = new ConsumerProgress(
      admin,
      this.config.ingestConsumerGroup,
      topicName(Topics.epcisEvents, this.config.kafkaTopicPrefix),
    );
    return progress.readThroughCount(await progress.positions(), times);
  }

  async onApplicationShutdown(): Promise<void> {
    const admin = await this.admin?.catch(() => undefined);
    await admin?.disconnect();
  }

  private connected(): Promise<Admin> {
    this.admin ??= (async () => {
      const admin = createKafka(this.config, 'ingest-progress').admin();
      await admin.connect();
      return admin;
    })().catch((error: unknown) => {
      // Not cached: the next sweep connects again.
      this.admin = undefined;
      throw error;
    });
    return this.admin;
  }
}
