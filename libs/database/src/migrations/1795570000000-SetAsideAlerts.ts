import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Alert changes intelligence could never write, kept with the reason instead of stalling its stream. */
export class SetAsideAlerts1795570000000 implements MigrationInterface {
  name = 'SetAsideAlerts1795570000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE set_aside_alerts (
         id bigserial PRIMARY KEY,
         dedupe_key text NOT NULL,
         action text NOT NULL CHECK (action IN ('open', 'close')),
         payload jsonb NOT NULL,
         reason text NOT NULL,
         set_aside_at timestamptz NOT NULL DEFAULT now()
       )`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE set_aside_alerts`);
  }
}
