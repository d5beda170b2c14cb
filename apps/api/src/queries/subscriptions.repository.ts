import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { QuerySubscriptionEntity } from '@pedigree/database';
import { DataSource } from 'typeorm';

const COLUMNS = `id, organisation_id AS "organisationId", query_name AS "queryName", dest,
  signature_token AS "signatureToken", report_if_empty AS "reportIfEmpty", stream, schedule,
  initial_record_time AS "initialRecordTime", cursor_tx::text AS "cursorTx", cursor_hash AS "cursorHash",
  next_attempt_at AS "nextAttemptAt", lease_until AS "leaseUntil", failures, last_error AS "lastError",
  last_delivered_at AS "lastDeliveredAt", delivered_events::text AS "deliveredEvents", created_at AS "createdAt"`;

export type NewSubscription = Pick<
  QuerySubscriptionEntity,
  | 'id'
  | 'organisationId'
  | 'queryName'
  | 'dest'
  | 'signatureToken'
  | 'reportIfEmpty'
  | 'stream'
  | 'schedule'
  | 'initialRecordTime'
  | 'cursorTx'
  | 'nextAttemptAt'
>;

/** A delivery's outcome: the cursor moves only with `delivered`. */
export type DeliveryOutcome =
  | { kind: 'delivered'; cursorTx: string; cursorHash: Buffer | null; events: number; nextAttemptAt: Date }
  | { kind: 'failed'; error: string; nextAttemptAt: Date };

@Injectable()
export class SubscriptionsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async insert(row: NewSubscription): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO query_subscriptions (id, organisation_id, query_name, dest, signature_token, report_if_empty, stream,
         schedule, initial_record_time, cursor_tx, next_attempt_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [
        row.id,
        row.organisationId,
        row.queryName,
        row.dest,
        row.signatureToken,
        row.reportIfEmpty,
        row.stream,
        row.schedule === null ? null : JSON.stringify(row.schedule),
        row.initialRecordTime,
        row.cursorTx,
        row.nextAttemptAt,
      ],
    );
  }

  list(organisationId: string, queryName: string): Promise<QuerySubscriptionEntity[]> {
    return this.dataSource.query(
      `SELECT ${COLUMNS} FROM query_subscriptions WHERE organisation_id = $1 AND query_name = $2 ORDER BY created_at`,
      [organisationId, queryName],
    );
  }

  async get(
    organisationId: string,
    queryName: string,
    id: string,
  ): Promise<QuerySubscriptionEntity | undefined> {
    const rows: QuerySubscriptionEntity[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM query_subscriptions WHERE organisation_id = $1 AND query_name = $2 AND id = $3`,
      [organisationId, queryName, id],
    );
    return rows[0];
  }

  async delete(organisationId: string, queryName: string, id: string): Promise<boolean> {
    const [, count] = (await this.dataSource.query(
      `DELETE FROM query_subscriptions WHERE organisation_id = $1 AND query_name = $2 AND id = $3`,
      [organisationId, queryName, id],
    )) as [unknown, number];
    return count > 0;
  }

  /** New events arrived: healthy stream subscriptions are due now (failing ones keep their backoff). */
  async streamsDueNow(): Promise<void> {
    await this.dataSource.query(
      `UPDATE query_subscriptions SET next_attempt_at = now() WHERE stream AND failures = 0 AND next_attempt_at > now()`,
    );
  }

  /**
   * Takes one due subscription for `leaseSeconds`. SKIP LOCKED and the lease let several API instances share the
   * work without sending one subscription twice at once; a crashed holder's lease runs out.
   */
  async lease(leaseSeconds: number): Promise<QuerySubscriptionEntity | undefined> {
    // Milliseconds: the lease is compared with the JavaScript Date it comes back as.
    const [rows] = (await this.dataSource.query(
      `UPDATE query_subscriptions SET lease_until = date_trunc('milliseconds', now() + make_interval(secs => $1))
        WHERE id = (SELECT id FROM query_subscriptions
                     WHERE next_attempt_at <= now()
                       AND (lease_until IS NULL OR lease_until < now())
                     ORDER BY next_attempt_at LIMIT 1 FOR UPDATE SKIP LOCKED)
        RETURNING ${COLUMNS}`,
      [leaseSeconds],
    )) as [QuerySubscriptionEntity[], number];
    return rows[0];
  }

  /** Records an outcome and releases the lease; only the holder of the lease may (a stale holder's write is lost). */
  async settle(id: string, leaseUntil: Date, outcome: DeliveryOutcome): Promise<void> {
    if (outcome.kind === 'delivered') {
      await this.dataSource.query(
        `UPDATE query_subscriptions SET cursor_tx = $3::bigint, cursor_hash = $4, failures = 0, last_error = NULL,
           last_delivered_at = CASE WHEN $5 > 0 THEN now() ELSE last_delivered_at END,
           delivered_events = delivered_events + $5, next_attempt_at = $6, lease_until = NULL
         WHERE id = $1 AND lease_until = $2`,
        [id, leaseUntil, outcome.cursorTx, outcome.cursorHash, outcome.events, outcome.nextAttemptAt],
      );
      return;
    }
    await this.dataSource.query(
      `UPDATE query_subscriptions SET failures = failures + 1, last_error = $3, next_attempt_at = $4, lease_until = NULL
        WHERE id = $1 AND lease_until = $2`,
      [id, leaseUntil, outcome.error.slice(0, 500), outcome.nextAttemptAt],
    );
  }
}
