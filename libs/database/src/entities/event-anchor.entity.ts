import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** Where one event's hash sits in an anchored Merkle tree, and the proof that takes it to the root. */
@Entity({ name: 'event_anchors' })
@Index('idx_event_anchors_batch', ['batchId'])
export class EventAnchorEntity {
  @PrimaryColumn({ name: 'event_hash', type: 'bytea' })
  eventHash!: Buffer;

  @Column({ name: 'batch_id', type: 'bigint' })
  batchId!: string;

  @Column({ name: 'leaf_index', type: 'integer' })
  leafIndex!: number;

  /** Sibling hashes from leaf to root, hex. */
  @Column({ type: 'text', array: true })
  proof!: string[];
}
