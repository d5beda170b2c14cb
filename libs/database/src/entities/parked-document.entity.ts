import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A document (or one event of it) whose preconditions are not met yet: its events refer to packs the system has
 * not seen commissioned, shipped or received. Kafka keys keep one consignment in order, but documents about a lot
 * and about the pallet it was packed into may travel in different partitions; parking absorbs that reordering.
 * Retried when an event touches one of `waitingFor`; after a timeout in the log's time (see ParkingService) stored
 * as flagged evidence, or dead-lettered with the rule's reason.
 */
@Entity({ name: 'parked_documents' })
@Index('idx_parked_documents_expiry', ['parkedAt'])
@Index('idx_parked_documents_waiting', { synchronize: false })
export class ParkedDocumentEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  /** The original message value, byte for byte. */
  @Column({ type: 'bytea' })
  payload!: Buffer;

  @Column({ type: 'jsonb' })
  headers!: Record<string, string>;

  /** Kafka coordinates of the original message. */
  @Column({ type: 'text' })
  source!: string;

  @Column({ name: 'message_key', type: 'text', nullable: true })
  messageKey!: string | null;

  /** Only these event indexes (proceed mode); null means the whole document. */
  @Column({ name: 'event_indexes', type: 'integer', array: true, nullable: true })
  eventIndexes!: number[] | null;

  /** Identifiers whose arrival may unblock the document. */
  @Column({ name: 'waiting_for', type: 'text', array: true })
  waitingFor!: string[];

  /** The rule that parked it, which becomes the dead-letter reason on timeout. */
  @Column({ type: 'jsonb' })
  reason!: { code: string; detail: string; field?: string; eventIndex?: number };

  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  @CreateDateColumn({ name: 'parked_at', type: 'timestamptz' })
  parkedAt!: Date;

  /** The source message's timestamp: the wait is measured from it. Null for rows parked before it was kept. */
  @Column({ name: 'published_at', type: 'timestamptz', nullable: true })
  publishedAt!: Date | null;
}
