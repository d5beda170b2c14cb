import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Named queries and webhook subscriptions (EPCIS 2.0 §12), and the commit order subscriptions read events in.
 *
 * `commit_tx` is the id of the inserting transaction. A reader that only takes rows below the oldest transaction
 * still running (`pg_snapshot_xmin`) never sees a row appear behind its cursor later, which record_time (set at a
 * transaction's start, visible at its commit) cannot promise. Adding it rewrites `epcis_events` once.
 */
export class QuerySubscriptions1795560000000 implements MigrationInterface {
  name = 'QuerySubscriptions1795560000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "epcis_events" ADD COLUMN "commit_tx" bigint NOT NULL DEFAULT (pg_current_xact_id()::text::bigint)`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_epcis_events_commit_tx" ON "epcis_events" ("commit_tx", "event_hash")`,
    );
    await queryRunner.query(
      `CREATE TABLE "named_queries" ("organisation_id" uuid NOT NULL, "name" text NOT NULL, "query" jsonb NOT NULL,
        "reads_everything" boolean NOT NULL DEFAULT false,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "PK_named_queries" PRIMARY KEY ("organisation_id", "name"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "query_subscriptions" ("id" uuid NOT NULL, "organisation_id" uuid NOT NULL,
        "query_name" text NOT NULL, "dest" text NOT NULL, "signature_token" text, "report_if_empty" boolean NOT NULL DEFAULT false,
        "stream" boolean NOT NULL, "schedule" jsonb, "initial_record_time" TIMESTAMP WITH TIME ZONE,
        "cursor_tx" bigint NOT NULL, "cursor_hash" bytea, "next_attempt_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "lease_until" TIMESTAMP WITH TIME ZONE, "failures" integer NOT NULL DEFAULT 0, "last_error" text,
        "last_delivered_at" TIMESTAMP WITH TIME ZONE, "delivered_events" bigint NOT NULL DEFAULT 0,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "PK_query_subscriptions" PRIMARY KEY ("id"),
        CONSTRAINT "FK_query_subscriptions_query" FOREIGN KEY ("organisation_id", "query_name")
          REFERENCES "named_queries" ("organisation_id", "name") ON DELETE CASCADE)`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_query_subscriptions_due" ON "query_subscriptions" ("next_attempt_at")`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "query_subscriptions"`);
    await queryRunner.query(`DROP TABLE "named_queries"`);
    await queryRunner.query(`ALTER TABLE "epcis_events" DROP COLUMN "commit_tx"`);
  }
}
