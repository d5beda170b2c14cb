import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { counter } from '@pedigree/common';
import { PedigreeConfig } from '@pedigree/config';
import type { QuerySubscriptionEntity } from '@pedigree/database';
import type { Subscription } from 'rxjs';
import type { QueryParams } from '../events-query/event-query.parser';
import { EventsQueryService } from '../events-query/events-query.service';
import { LiveFeedService } from '../stream/live-feed.service';
import { NamedQueriesService } from './named-queries.service';
import { nextRun } from './query-schedule';
import { type DeliveryOutcome, SubscriptionsRepository } from './subscriptions.repository';
import { WebhookSender } from './webhook.sender';

const deliveries = counter('pedigree_subscription_deliveries_total', 'webhook deliveries by outcome', [
  'outcome',
]);

/** Events per delivery; a fuller backlog goes out in consecutive deliveries. */
const BATCH = 500;
const LEASE_SECONDS = 60;
/** A stream subscription is also polled this often, in case a wake-up from Kafka was missed. */
const STREAM_POLL_MS = 5000;
const IDLE_POLL_MS = 1000;
/** Paging and ordering of a saved query do not apply to a subscription, which follows commit order. */
const NOT_FOR_SUBSCRIPTIONS = [
  'perPage',
  'nextPageToken',
  'orderBy',
  'orderDirection',
  'eventCountLimit',
  'maxEventCount',
];

/**
 * Delivers webhook subscriptions at least once. Each delivery is the next events after the subscription's cursor
 * in commit order; the cursor moves only when the receiver answered 2xx. A failure is retried with backoff doubling
 * from 1 s; a crash mid-delivery only means the lease runs out and the same events go again. Receivers dedupe by
 * event (eventID or Event Hash ID) or by the `Pedigree-Delivery-ID` header.
 *
 * New events on `events.accepted.v1` (read by this instance's live feed) wake the stream subscriptions at once.
 */
@Injectable()
export class SubscriptionDeliveryService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(SubscriptionDeliveryService.name);
  private stopped = false;
  private running?: Promise<void>;
  private wake?: () => void;
  private woken = false;
  private feed?: Subscription;

  constructor(
    private readonly config: PedigreeConfig,
    private readonly repository: SubscriptionsRepository,
    private readonly queries: NamedQueriesService,
    private readonly events: EventsQueryService,
    private readonly sender: WebhookSender,
    private readonly live: LiveFeedService,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.subscriptionDeliveryEnabled) return;
    this.feed = this.live.items.subscribe((item) => {
      if (item.type !== 'event') return;
      this.woken = true;
      this.wake?.();
    });
    this.running = this.loop();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.feed?.unsubscribe();
    this.wake?.();
    await this.running;
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      try {
        if (this.woken) {
          this.woken = false;
          await this.repository.streamsDueNow();
        }
        await this.drain();
      } catch (error) {
        this.logger.warn({ err: error }, 'subscription delivery round failed; retrying');
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, IDLE_POLL_MS);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
        if (this.woken || this.stopped) this.wake();
      });
    }
  }

  private async drain(): Promise<void> {
    while (!this.stopped) {
      const subscription = await this.repository.lease(LEASE_SECONDS);
      if (!subscription) return;
      const outcome = await this.deliver(subscription);
      deliveries.inc({ outcome: outcome.kind });
      if (outcome.kind === 'failed')
        this.logger.warn(
          `subscription ${subscription.id}: ${outcome.error}; next attempt ${outcome.nextAttemptAt.toISOString()}`,
        );
      await this.repository.settle(subscription.id, subscription.leaseUntil!, outcome);
    }
  }

  /** One delivery: the next batch after the cursor, sent, and what to record. */
  async deliver(subscription: QuerySubscriptionEntity): Promise<DeliveryOutcome> {
    const now = new Date();
    try {
      const batch = await this.nextBatch(subscription);
      const last = batch[batch.length - 1];
      const due = batch.length > 0 || (!subscription.stream && subscription.reportIfEmpty);
      if (due) {
        const error = await this.sender.send({
          dest: subscription.dest,
          body: JSON.stringify(
            this.events.queryDocument(batch, undefined, subscription.queryName, subscription.id),
          ),
          signatureToken: subscription.signatureToken,
          deliveryId: `${subscription.id}:${subscription.cursorTx}:${subscription.cursorHash?.toString('hex') ?? ''}`,
        });
        if (error) return { kind: 'failed', error, nextAttemptAt: this.backoff(subscription, now) };
      }
      return {
        kind: 'delivered',
        cursorTx: last?.commitTx ?? subscription.cursorTx,
        cursorHash: last?.digest ?? subscription.cursorHash,
        events: batch.length,
        nextAttemptAt: this.nextAttempt(subscription, batch.length, now),
      };
    } catch (error) {
      return {
        kind: 'failed',
        error: `query failed: ${(error as Error).message.slice(0, 200)}`,
        nextAttemptAt: this.backoff(subscription, now),
      };
    }
  }

  private async nextBatch(subscription: QuerySubscriptionEntity) {
    const saved = await this.queries.find(subscription.organisationId, subscription.queryName);
    const params: QueryParams = { ...(saved.query as QueryParams) };
    for (const key of NOT_FOR_SUBSCRIPTIONS) delete params[key];
    if (subscription.initialRecordTime) {
      const initial = new Date(subscription.initialRecordTime).toISOString();
      const given = typeof params.GE_recordTime === 'string' ? params.GE_recordTime : undefined;
      params.GE_recordTime = given && Date.parse(given) > Date.parse(initial) ? given : initial;
    }
    const scope = saved.readsEverything ? {} : { publisherOrgId: subscription.organisationId };
    const cursor = { value: subscription.cursorTx, hash: subscription.cursorHash?.toString('hex') ?? '' };
    return this.events.afterCommit(params, scope, cursor, BATCH);
  }

  private nextAttempt(subscription: QuerySubscriptionEntity, delivered: number, now: Date): Date {
    if (delivered === BATCH) return now;
    if (subscription.stream) return new Date(now.getTime() + STREAM_POLL_MS);
    return nextRun(subscription.schedule!, now);
  }

  private backoff(subscription: QuerySubscriptionEntity, now: Date): Date {
    const seconds = Math.min(2 ** subscription.failures, this.config.subscriptionMaxBackoffSeconds);
    return new Date(now.getTime() + seconds * 1000);
  }
}
