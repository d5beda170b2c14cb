import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Custody handoffs signed by the custodian's key: whether the platform holds an organisation's custody key (in the
 * custody keystore) or the organisation registered its own, and the handoffs waiting for a self-custodied
 * member's signature.
 */
export class CustodySignatures1795530000000 implements MigrationInterface {
  name = 'CustodySignatures1795530000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE organisations ADD COLUMN custody_key text NOT NULL DEFAULT 'platform'
         CONSTRAINT chk_organisations_custody_key CHECK (custody_key IN ('platform', 'own')),
       ADD COLUMN own_custody_address text`,
    );
    await queryRunner.query(
      `CREATE TABLE custody_signature_requests (
         id BIGSERIAL PRIMARY KEY,
         outbox_id bigint NOT NULL UNIQUE,
         organisation_id uuid NOT NULL,
         action text NOT NULL CHECK (action IN ('ship', 'receive')),
         consignment_id text NOT NULL,
         consignment_key text NOT NULL,
         event_hash text NOT NULL,
         signer_address text NOT NULL,
         recipient_address text,
         sequence numeric(30) NOT NULL,
         signature text,
         created_at timestamptz NOT NULL DEFAULT now(),
         signed_at timestamptz,
         settled_at timestamptz,
         outcome text
       )`,
    );
    await queryRunner.query(
      `CREATE INDEX idx_custody_signature_requests_open ON custody_signature_requests (organisation_id, id) WHERE settled_at IS NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX idx_custody_signature_requests_consignment ON custody_signature_requests (consignment_id) WHERE settled_at IS NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX idx_ledger_outbox_custody_blocked ON ledger_outbox ((payload->>'consignmentId')) WHERE processed_by = 'custody:blocked'`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX idx_ledger_outbox_custody_blocked`);
    await queryRunner.query(`DROP TABLE custody_signature_requests`);
    await queryRunner.query(
      `ALTER TABLE organisations DROP COLUMN own_custody_address, DROP COLUMN custody_key`,
    );
  }
}
