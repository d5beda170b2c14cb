import type { MigrationInterface, QueryRunner } from 'typeorm';

/** EPCIS master data captured from document headers, per identifier and per organisation that stated it. */
export class MasterData1795550000000 implements MigrationInterface {
  name = 'MasterData1795550000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "master_data" ("vocabulary_type" text NOT NULL, "id" text NOT NULL, "organisation_id" uuid NOT NULL,
        "authoritative" boolean NOT NULL, "attributes" jsonb NOT NULL, "children" text array NOT NULL DEFAULT '{}',
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "PK_master_data" PRIMARY KEY ("vocabulary_type", "id", "organisation_id"))`,
    );
    await queryRunner.query(`CREATE INDEX "idx_master_data_id" ON "master_data" ("id")`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "master_data"`);
  }
}
