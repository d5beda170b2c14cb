import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A custody handoff that a member holding its own custody key must sign: created by the ledger when the handoff
 * reaches the head of its consignment, filled by the member through the API, settled when the chain took it.
 */
@Entity({ name: 'custody_signature_requests' })
export class CustodySignatureRequestEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'outbox_id', type: 'bigint', unique: true })
  outboxId!: string;

  @Column({ name: 'organisation_id', type: 'uuid' })
  organisationId!: string;

  @Column({ type: 'text' })
  action!: 'ship' | 'receive';

  @Column({ name: 'consignment_id', type: 'text' })
  consignmentId!: string;

  @Column({ name: 'consignment_key', type: 'text' })
  consignmentKey!: string;

  @Column({ name: 'event_hash', type: 'text' })
  eventHash!: string;

  @Column({ name: 'signer_address', type: 'text' })
  signerAddress!: string;

  @Column({ name: 'recipient_address', type: 'text', nullable: true })
  recipientAddress!: string | null;

  /** The consignment's shipment count on chain that the signature must name. */
  @Column({ type: 'numeric', precision: 30 })
  sequence!: string;

  @Column({ type: 'text', nullable: true })
  signature!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'signed_at', type: 'timestamptz', nullable: true })
  signedAt!: Date | null;

  @Column({ name: 'settled_at', type: 'timestamptz', nullable: true })
  settledAt!: Date | null;

  /** `recorded`, or the reason the chain refused it. */
  @Column({ type: 'text', nullable: true })
  outcome!: string | null;
}
