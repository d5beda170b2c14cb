import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The pack-state map (see libs/chain/src/state-map.ts): each identifier's hash-linked history, the counts and head
 * its leaf commits, the trie's nodes (content-addressed: a node's key is its keccak256) and the state root each
 * anchor batch commits on chain.
 */
export class StateMap1795520000000 implements MigrationInterface {
  name = 'StateMap1795520000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE packs
      ADD COLUMN history_count integer NOT NULL DEFAULT 0,
      ADD COLUMN history_head bytea,
      ADD COLUMN flagged integer NOT NULL DEFAULT 0`);
    await queryRunner.query(`CREATE TABLE pack_history (
      epc text NOT NULL,
      seq integer NOT NULL,
      event_hash bytea NOT NULL,
      PRIMARY KEY (epc, seq))`);
    await queryRunner.query(`CREATE TABLE state_trie_nodes (
      hash bytea PRIMARY KEY,
      node bytea NOT NULL)`);
    await queryRunner.query(`ALTER TABLE anchor_batches ADD COLUMN state_root bytea`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE anchor_batches DROP COLUMN state_root`);
    await queryRunner.query(`DROP TABLE state_trie_nodes`);
    await queryRunner.query(`DROP TABLE pack_history`);
    await queryRunner.query(
      `ALTER TABLE packs DROP COLUMN history_count, DROP COLUMN history_head, DROP COLUMN flagged`,
    );
  }
}
