import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A node of the pack-state trie, keyed by its keccak256 (readers check the key, so an edited node is caught). */
@Entity({ name: 'state_trie_nodes' })
export class StateTrieNodeEntity {
  @PrimaryColumn({ type: 'bytea' })
  hash!: Buffer;

  /** The RLP-encoded node. */
  @Column({ type: 'bytea' })
  node!: Buffer;
}
