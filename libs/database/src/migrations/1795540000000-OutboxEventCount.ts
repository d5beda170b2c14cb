import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * How many events an outbox entry asks the ledger to anchor, beside the (often megabytes of) payload: ingest's
 * back-pressure and the dashboard's backlog read it several times a second, which must not detoast the payload.
 */
export class OutboxEventCount1795540000000 implements MigrationInterface {
  name = 'OutboxEventCount1795540000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE ledger_outbox ADD COLUMN event_count integer NOT NULL DEFAULT 0`);
    await queryRunner.query(
      `UPDATE ledger_outbox SET event_count = jsonb_array_length(payload->'eventHashes')
        WHERE kind = 'anchor' AND processed_at IS NULL`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE ledger_outbox DROP COLUMN event_count`);
  }
}
