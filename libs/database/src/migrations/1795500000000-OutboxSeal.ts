import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The services' HMAC on each ledger outbox entry (see outbox-seal.ts): hand-written rows are refused, not anchored. */
export class OutboxSeal1795500000000 implements MigrationInterface {
  name = 'OutboxSeal1795500000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE ledger_outbox ADD COLUMN seal bytea`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE ledger_outbox DROP COLUMN seal`);
  }
}
