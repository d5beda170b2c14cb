import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One step of an identifier's hash-linked history: the event that changed its state, in the order applied. The
 * state map commits the count and head of this list, so a row edited, removed or added here is caught.
 */
@Entity({ name: 'pack_history' })
export class PackHistoryEntity {
  @PrimaryColumn({ type: 'text' })
  epc!: string;

  /** Position in the history, from 1. */
  @PrimaryColumn({ type: 'integer' })
  seq!: number;

  @Column({ name: 'event_hash', type: 'bytea' })
  eventHash!: Buffer;
}
