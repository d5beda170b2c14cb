import type { MigrationInterface, QueryRunner } from 'typeorm';

/** How many vocabulary elements of master data a capture job stored (a master data document has no events). */
export class CaptureJobMasterDataCount1795565000000 implements MigrationInterface {
  name = 'CaptureJobMasterDataCount1795565000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE capture_jobs ADD COLUMN master_data_count integer NOT NULL DEFAULT 0`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE capture_jobs DROP COLUMN master_data_count`);
  }
}
