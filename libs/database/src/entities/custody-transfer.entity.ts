import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export type CustodyTransferStatus =
  'pending' | 'awaiting_signature' | 'shipped_on_chain' | 'received_on_chain' | 'failed';

/** A consignment's handoff as recorded on-chain: shipment by the custodian, receipt by the addressee. */
@Entity({ name: 'custody_transfers' })
@Index('idx_custody_transfers_consignment', ['consignmentId', 'id'])
@Index('idx_custody_transfers_ship_event', ['shipEventHash'], { unique: true })
@Index('idx_custody_transfers_receive_event', ['receiveEventHash'])
@Index('idx_custody_transfers_open', ['shippedAt'], { where: 'receive_event_hash IS NULL' })
export class CustodyTransferEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  /** keccak256 of `consignmentKey` (0x-hex), the id the contract uses. */
  @Column({ name: 'consignment_id', type: 'text' })
  consignmentId!: string;

  @Column({ name: 'consignment_key', type: 'text' })
  consignmentKey!: string;

  @Column({ name: 'from_party', type: 'text', nullable: true })
  fromParty!: string | null;

  @Column({ name: 'to_party', type: 'text', nullable: true })
  toParty!: string | null;

  @Column({ name: 'from_org_id', type: 'uuid', nullable: true })
  fromOrgId!: string | null;

  @Column({ name: 'to_org_id', type: 'uuid', nullable: true })
  toOrgId!: string | null;

  @Column({ name: 'ship_event_hash', type: 'bytea' })
  shipEventHash!: Buffer;

  @Column({ name: 'receive_event_hash', type: 'bytea', nullable: true })
  receiveEventHash!: Buffer | null;

  @Column({ type: 'text' })
  status!: CustodyTransferStatus;

  @Column({ name: 'ship_tx_hash', type: 'text', nullable: true })
  shipTxHash!: string | null;

  @Column({ name: 'ship_block', type: 'bigint', nullable: true })
  shipBlock!: string | null;

  @Column({ name: 'receive_tx_hash', type: 'text', nullable: true })
  receiveTxHash!: string | null;

  @Column({ name: 'receive_block', type: 'bigint', nullable: true })
  receiveBlock!: string | null;

  /** Packs in the consignment (the items and everything inside them) when it was shipped. */
  @Column({ name: 'pack_count', type: 'integer', default: 0 })
  packCount!: number;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  gtins!: string[];

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  lots!: string[];

  @Column({ name: 'shipped_at', type: 'timestamptz', nullable: true })
  shippedAt!: Date | null;

  @Column({ name: 'received_at', type: 'timestamptz', nullable: true })
  receivedAt!: Date | null;

  /** Why the chain refused the handoff (e.g. NotCustodian), when it did. */
  @Column({ name: 'chain_error', type: 'text', nullable: true })
  chainError!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
