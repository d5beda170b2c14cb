import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * An EPCIS 2.0 webhook subscription to a named query. Delivery is at least once: the cursor (a position in commit
 * order) moves only after the receiver answered 2xx, so a failed or timed-out delivery is sent again, with backoff.
 */
@Entity({ name: 'query_subscriptions' })
@Index('idx_query_subscriptions_due', ['nextAttemptAt'])
export class QuerySubscriptionEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'organisation_id', type: 'uuid' })
  organisationId!: string;

  @Column({ name: 'query_name', type: 'text' })
  queryName!: string;

  @Column({ type: 'text' })
  dest!: string;

  /** The shared secret of the `GS1-Signature` HMAC; never returned by the API, never logged. */
  @Column({ name: 'signature_token', type: 'text', nullable: true })
  signatureToken!: string | null;

  @Column({ name: 'report_if_empty', type: 'boolean', default: false })
  reportIfEmpty!: boolean;

  /** True for a stream subscription (deliver as events arrive); false for one on a schedule. */
  @Column({ type: 'boolean' })
  stream!: boolean;

  /** The EPCIS schedule (second, minute, hour, dayOfMonth, month, dayOfWeek), for scheduled subscriptions. */
  @Column({ type: 'jsonb', nullable: true })
  schedule!: Record<string, string> | null;

  @Column({ name: 'initial_record_time', type: 'timestamptz', nullable: true })
  initialRecordTime!: Date | null;

  /** Last event delivered, in commit order: (transaction id, event hash). */
  @Column({ name: 'cursor_tx', type: 'bigint' })
  cursorTx!: string;

  @Column({ name: 'cursor_hash', type: 'bytea', nullable: true })
  cursorHash!: Buffer | null;

  @Column({ name: 'next_attempt_at', type: 'timestamptz' })
  nextAttemptAt!: Date;

  /** Held by the API instance delivering it, so several instances never send one subscription twice at once. */
  @Column({ name: 'lease_until', type: 'timestamptz', nullable: true })
  leaseUntil!: Date | null;

  @Column({ type: 'int', default: 0 })
  failures!: number;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError!: string | null;

  @Column({ name: 'last_delivered_at', type: 'timestamptz', nullable: true })
  lastDeliveredAt!: Date | null;

  @Column({ name: 'delivered_events', type: 'bigint', default: 0 })
  deliveredEvents!: string;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;
}
