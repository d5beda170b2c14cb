import type { MigrationInterface, QueryRunner } from 'typeorm';

/** What a finished capture job still waits for: events accepted but parked on a precondition (named). */
export class CaptureJobWaiting1795510000000 implements MigrationInterface {
  name = 'CaptureJobWaiting1795510000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE capture_jobs ADD COLUMN waiting jsonb NOT NULL DEFAULT '[]'`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE capture_jobs DROP COLUMN waiting`);
  }
}
