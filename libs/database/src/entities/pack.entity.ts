import { Column, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';

export const PACK_STATUSES = [
  'commissioned',
  'packed',
  'in_transit',
  'received',
  'dispensed',
  'decommissioned',
  'destroyed',
  'recalled',
  'stolen',
  'expired',
  'unpacked',
] as const;
export type PackStatus = (typeof PACK_STATUSES)[number];

/**
 * Current supply-chain state of one serialised item: a saleable pack (SGTIN) or a logistic unit (SSCC).
 * Derived from the events; the events stay the source of truth.
 */
@Entity({ name: 'packs' })
@Index('idx_packs_gtin_serial', ['gtin', 'serial'])
@Index('idx_packs_gtin_lot', ['gtin', 'lot'])
@Index('idx_packs_parent', ['parentEpc'])
export class PackEntity {
  /** Canonical EPC URN (`urn:epc:id:sgtin:...` or `urn:epc:id:sscc:...`). */
  @PrimaryColumn({ type: 'text' })
  epc!: string;

  @Column({ type: 'text' })
  kind!: string;

  @Column({ type: 'char', length: 14, nullable: true })
  gtin!: string | null;

  @Column({ type: 'text', nullable: true })
  serial!: string | null;

  @Column({ type: 'text', nullable: true })
  lot!: string | null;

  @Column({ type: 'date', nullable: true })
  expiry!: string | null;

  @Column({ type: 'text' })
  status!: PackStatus;

  /** The party (PGLN/SGLN URN) holding the item, or, in transit, the one that shipped it. */
  @Column({ type: 'text', nullable: true })
  custodian!: string | null;

  /** Last known business location. */
  @Column({ type: 'text', nullable: true })
  location!: string | null;

  /** Addressee while in transit. */
  @Column({ name: 'shipped_to', type: 'text', nullable: true })
  shippedTo!: string | null;

  /** The consignment it travels in (SSCC URN, or a lot-shipment key) while in transit; receipt closes it. */
  @Column({ name: 'consignment_key', type: 'text', nullable: true })
  consignmentKey!: string | null;

  /** The container (SSCC or case) the item is in now, if any. */
  @Column({ name: 'parent_epc', type: 'text', nullable: true })
  parentEpc!: string | null;

  @Column({ name: 'commission_event_hash', type: 'bytea', nullable: true })
  commissionEventHash!: Buffer | null;

  @Column({ name: 'last_event_hash', type: 'bytea' })
  lastEventHash!: Buffer;

  @Column({ name: 'last_event_time', type: 'timestamptz' })
  lastEventTime!: Date;

  /** Events in its hash-linked history (pack_history) and that history's head, as the state map commits them. */
  @Column({ name: 'history_count', type: 'integer', default: 0 })
  historyCount!: number;

  @Column({ name: 'history_head', type: 'bytea', nullable: true })
  historyHead!: Buffer | null;

  /** Events of its history that a rule flagged. */
  @Column({ type: 'integer', default: 0 })
  flagged!: number;

  @Column({ name: 'owner_org_id', type: 'uuid', nullable: true })
  ownerOrgId!: string | null;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
