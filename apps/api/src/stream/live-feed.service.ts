import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { PedigreeConfig } from '@pedigree/config';
import {
  type AlertMessage,
  createKafka,
  type EventsAcceptedMessage,
  topicName,
  Topics,
} from '@pedigree/messaging';
import type { Consumer } from 'kafkajs';
import { randomBytes } from 'node:crypto';
import { Subject } from 'rxjs';
import type { AlertDto } from '../alerts/dto/alerts.dto';

export type LiveItem =
  | { type: 'alert'; data: AlertDto; orgIds: string[] }
  | {
      type: 'event';
      data: {
        eventHash: string;
        eventType: string;
        bizStep: string | null;
        eventTime: string;
        bizLocation: string | null;
      };
      orgIds: string[];
    };

function alertOf(message: AlertMessage): AlertDto {
  return {
    id: message.alertId,
    kind: message.kind,
    severity: message.severity,
    status: message.status,
    score: message.score,
    summary: message.summary,
    epcs: message.epcs,
    gtin: message.gtin ?? null,
    lot: message.lot ?? null,
    occurrences: message.occurrences,
    openedAt: message.openedAt,
    updatedAt: message.updatedAt,
    evidence: message.evidence,
    comments: message.comments ?? [],
  };
}

/**
 * What the dashboard sees live: alerts (from `alerts.v1`) and accepted events (from `events.accepted.v1`), read by
 * each API instance with its own consumer group from the latest offset (a live feed, not a replay).
 */
@Injectable()
export class LiveFeedService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(LiveFeedService.name);
  readonly items = new Subject<LiveItem>();
  private consumer?: Consumer;

  constructor(private readonly config: PedigreeConfig) {}

  async onApplicationBootstrap(): Promise<void> {
    const kafka = createKafka(this.config, 'api-live');
    this.consumer = kafka.consumer({
      groupId: `${this.config.kafkaClientId}-api-live-${randomBytes(4).toString('hex')}`,
      allowAutoTopicCreation: false,
    });
    try {
      await this.consumer.connect();
      await this.consumer.subscribe({
        topics: [
          topicName(Topics.alerts, this.config.kafkaTopicPrefix),
          topicName(Topics.eventsAccepted, this.config.kafkaTopicPrefix),
        ],
        fromBeginning: false,
      });
      await this.consumer.run({
        eachMessage: ({ topic, message }) => {
          this.dispatch(topic, message.value);
          return Promise.resolve();
        },
      });
    } catch (error) {
      // The API serves without the live feed rather than not at all; the dashboard falls back to polling.
      this.logger.warn({ err: error }, 'live feed unavailable');
    }
  }

  private dispatch(topic: string, value: Buffer | null): void {
    if (!value) return;
    try {
      if (topic === topicName(Topics.alerts, this.config.kafkaTopicPrefix)) {
        const alert = JSON.parse(value.toString('utf8')) as AlertMessage;
        this.items.next({ type: 'alert', data: alertOf(alert), orgIds: alert.orgIds ?? [] });
        return;
      }
      const accepted = JSON.parse(value.toString('utf8')) as EventsAcceptedMessage;
      for (const event of accepted.events.slice(-20)) {
        this.items.next({
          type: 'event',
          data: {
            eventHash: event.eventHash,
            eventType: event.eventType,
            bizStep: event.bizStep ?? null,
            eventTime: event.eventTime,
            bizLocation: event.bizLocation ?? null,
          },
          orgIds: event.publisherOrgId ? [event.publisherOrgId] : [],
        });
      }
    } catch (error) {
      this.logger.warn({ err: error }, `unreadable message on ${topic}`);
    }
  }

  /** An alert changed here (acknowledged, resolved): tell this instance's viewers at once. */
  publishAlert(alert: AlertDto & { orgIds?: string[] }): void {
    this.items.next({ type: 'alert', data: alert, orgIds: alert.orgIds ?? [] });
  }

  async onApplicationShutdown(): Promise<void> {
    this.items.complete();
    await this.consumer?.disconnect();
  }
}
