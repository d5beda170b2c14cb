import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Authenticated publishers: the addresses whose EIP-712 signature identifies a member as a document's publisher,
 * its Kafka account, and, on every event, the signature it arrived with (who vouched for it, over which bytes).
 */
export class AuthenticatedOrigin1795490000000 implements MigrationInterface {
  name = 'AuthenticatedOrigin1795490000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE organisations ADD COLUMN signing_addresses text[] NOT NULL DEFAULT '{}',
                                 ADD COLUMN kafka_username text UNIQUE`,
    );
    await queryRunner.query(`ALTER TABLE epcis_events ADD COLUMN origin jsonb`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE epcis_events DROP COLUMN origin`);
    await queryRunner.query(
      `ALTER TABLE organisations DROP COLUMN kafka_username, DROP COLUMN signing_addresses`,
    );
  }
}
