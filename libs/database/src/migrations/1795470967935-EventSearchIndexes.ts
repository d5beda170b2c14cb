import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Hand-written because TypeORM cannot express GIN indexes. They serve `MATCH_epc` / `MATCH_anyEPC` queries
 * and provenance look-ups over the identifier arrays; `fastupdate` keeps bulk ingest cheap.
 */
export class EventSearchIndexes1795470967935 implements MigrationInterface {
  name = 'EventSearchIndexes1795470967935';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX "idx_epcis_events_epcs" ON "epcis_events" USING gin ("epcs") WITH (fastupdate = on)`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_epcis_events_epc_classes" ON "epcis_events" USING gin ("epc_classes") WITH (fastupdate = on)`,
    );
    await queryRunner.query(`CREATE INDEX "idx_alerts_epcs" ON "alerts" USING gin ("epcs")`);
    await queryRunner.query(
      `CREATE INDEX "idx_parked_documents_waiting" ON "parked_documents" USING gin ("waiting_for")`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "idx_parked_documents_waiting"`);
    await queryRunner.query(`DROP INDEX "idx_alerts_epcs"`);
    await queryRunner.query(`DROP INDEX "idx_epcis_events_epc_classes"`);
    await queryRunner.query(`DROP INDEX "idx_epcis_events_epcs"`);
  }
}
