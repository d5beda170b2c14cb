import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { PedigreeConfig } from '@pedigree/config';
import {
  type AcceptedEvent,
  createKafka,
  type DeadLetterMessage,
  type EventsAcceptedMessage,
  Topics,
  TypedProducer,
} from '@pedigree/messaging';
import type { SourceMessage } from '@pedigree/supply-chain';

/** Publishes ingest's outcomes: dead letters with the original bytes, and summaries of accepted events. */
@Injectable()
export class MessagePublisher implements OnApplicationShutdown {
  private static readonly ACCEPTED_CHUNK = 2000;
  private readonly producer: TypedProducer;

  constructor(config: PedigreeConfig) {
    this.producer = new TypedProducer(createKafka(config, 'ingest-publisher'), config);
  }

  async deadLetters(letters: DeadLetterMessage[]): Promise<void> {
    await this.producer.send(
      Topics.eventsRejected,
      letters.map((letter) => ({ key: letter.source.key, value: letter })),
    );
  }

  async accepted(events: AcceptedEvent[], source: SourceMessage | undefined): Promise<void> {
    if (events.length === 0 || !source) return;
    const messages: { key?: string; value: EventsAcceptedMessage }[] = [];
    for (let i = 0; i < events.length; i += MessagePublisher.ACCEPTED_CHUNK) {
      messages.push({
        key: source.key ?? undefined,
        value: {
          schemaVersion: 1,
          source: { topic: source.topic, partition: source.partition, offset: source.offset },
          events: events.slice(i, i + MessagePublisher.ACCEPTED_CHUNK),
        },
      });
    }
    await this.producer.send(Topics.eventsAccepted, messages);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.producer.disconnect();
  }
}
