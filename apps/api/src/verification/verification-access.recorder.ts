import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { counter } from '@pedigree/common';
import { PedigreeConfig } from '@pedigree/config';
import { createKafka, Topics, TypedProducer, type VerificationAccessMessage } from '@pedigree/messaging';

const dropped = counter(
  'pedigree_api_verification_access_dropped_total',
  'verification records not sent to the harvesting detector (Kafka unavailable and the buffer full)',
);

/**
 * Sends each member verification to `verification.access.v1` for the harvesting detector, in batches off the
 * request path (a verification must not wait for Kafka). While Kafka is away the buffer holds the last
 * `maxBuffered` records; older ones are counted and dropped, since this feed watches behaviour, it is no record.
 */
@Injectable()
export class VerificationAccessRecorder implements OnApplicationShutdown {
  private readonly logger = new Logger(VerificationAccessRecorder.name);
  private readonly producer: TypedProducer;
  private buffer: VerificationAccessMessage[] = [];
  private flushing?: Promise<void>;
  private timer?: NodeJS.Timeout;
  static readonly flushMs = 200;
  static readonly maxBuffered = 20_000;

  constructor(config: PedigreeConfig) {
    this.producer = new TypedProducer(createKafka(config, 'api-verification-access'), config);
  }

  record(message: VerificationAccessMessage): void {
    this.buffer.push(message);
    if (this.buffer.length > VerificationAccessRecorder.maxBuffered) {
      const excess = this.buffer.length - VerificationAccessRecorder.maxBuffered;
      this.buffer.splice(0, excess);
      dropped.inc(excess);
    }
    this.timer ??= setTimeout(() => void this.flush(), VerificationAccessRecorder.flushMs);
  }

  flush(): Promise<void> {
    this.timer = undefined;
    this.flushing ??= this.send().finally(() => (this.flushing = undefined));
    return this.flushing;
  }

  private async send(): Promise<void> {
    const batch = this.buffer;
    if (batch.length === 0) return;
    this.buffer = [];
    try {
      await this.producer.send(
        Topics.verificationAccess,
        batch.map((value) => ({ key: value.apiKeyId, value })),
      );
    } catch (error) {
      this.logger.warn({ err: error }, `cannot send ${batch.length} verification records; keeping them`);
      this.buffer = [...batch, ...this.buffer].slice(-VerificationAccessRecorder.maxBuffered);
      this.timer ??= setTimeout(() => void this.flush(), 5000);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    clearTimeout(this.timer);
    await this.flush().catch(() => undefined);
    await this.producer.disconnect();
  }
}
