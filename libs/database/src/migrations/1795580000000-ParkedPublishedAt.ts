import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * When a parked document was published (its Kafka message's timestamp): its wait is measured in the log's time, so
 * it does not end while the documents published after it are still unread. Null for rows parked before this column.
 */
export class ParkedPublishedAt1795580000000 implements MigrationInterface {
  name = 'ParkedPublishedAt1795580000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE parked_documents ADD COLUMN published_at timestamptz`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE parked_documents DROP COLUMN published_at`);
  }
}
