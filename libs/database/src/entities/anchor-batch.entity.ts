import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export type AnchorBatchStatus = 'prepared' | 'submitted' | 'confirmed';

/**
 * A Merkle tree of event hashes anchored by one transaction. Written as `prepared` before anything is sent,
 * so a crash between building the tree and sending it is recovered by re-sending the same root (the contract
 * refuses a root twice, so it is never anchored twice).
 */
@Entity({ name: 'anchor_batches' })
@Index('idx_anchor_batches_status', ['status', 'id'])
export class AnchorBatchEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'merkle_root', type: 'bytea', unique: true })
  merkleRoot!: Buffer;

  /** Root of the pack-state map after this batch, committed on chain with the event root. */
  @Column({ name: 'state_root', type: 'bytea', nullable: true })
  stateRoot!: Buffer | null;

  @Column({ name: 'event_count', type: 'integer' })
  eventCount!: number;

  @Column({ type: 'text' })
  status!: AnchorBatchStatus;

  @Column({ name: 'chain_id', type: 'bigint', nullable: true })
  chainId!: string | null;

  @Column({ name: 'contract_address', type: 'text', nullable: true })
  contractAddress!: string | null;

  @Column({ name: 'tx_hash', type: 'text', nullable: true })
  txHash!: string | null;

  @Column({ type: 'integer', nullable: true })
  nonce!: number | null;

  @Column({ name: 'block_number', type: 'bigint', nullable: true })
  blockNumber!: string | null;

  @Column({ name: 'block_hash', type: 'text', nullable: true })
  blockHash!: string | null;

  @Column({ name: 'gas_used', type: 'bigint', nullable: true })
  gasUsed!: string | null;

  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'submitted_at', type: 'timestamptz', nullable: true })
  submittedAt!: Date | null;

  @Column({ name: 'confirmed_at', type: 'timestamptz', nullable: true })
  confirmedAt!: Date | null;
}
