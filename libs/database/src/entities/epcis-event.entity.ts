import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One accepted EPCIS event. Immutable once written: corrections arrive as new events (error declarations).
 * The primary key is the CBV 2.0 Event Hash digest, so a replayed event can never be stored twice, and the
 * payload is what the hash is recomputed from when a verifier checks the row against the chain.
 */
export interface EventOrigin {
  kind: 'member' | 'relay';
  signer: string;
  signature: string;
  documentSha256: string;
}

@Entity({ name: 'epcis_events' })
@Index('idx_epcis_events_event_time', ['eventTime'])
@Index('idx_epcis_events_record_time', ['recordTime'])
@Index('idx_epcis_events_biz_step', ['bizStep', 'eventTime'])
// GIN indexes are created by a hand-written migration (TypeORM cannot express them); keep generation off them.
@Index('idx_epcis_events_epcs', { synchronize: false })
@Index('idx_epcis_events_epc_classes', { synchronize: false })
@Index('idx_epcis_events_commit_tx', ['commitTx', 'eventHash'])
export class EpcisEventEntity {
  /** SHA-256 digest of the CBV 2.0 Event Hash ID (32 bytes). */
  @PrimaryColumn({ name: 'event_hash', type: 'bytea' })
  eventHash!: Buffer;

  @Column({ name: 'event_id', type: 'text', nullable: true })
  // Partial: most events carry no eventID, and every index costs ingest throughput.
  @Index('idx_epcis_events_event_id', { where: 'event_id IS NOT NULL' })
  eventId!: string | null;

  @Column({ name: 'event_type', type: 'text' })
  eventType!: string;

  @Column({ type: 'text', nullable: true })
  action!: string | null;

  @Column({ name: 'biz_step', type: 'text', nullable: true })
  bizStep!: string | null;

  @Column({ type: 'text', nullable: true })
  disposition!: string | null;

  @Column({ name: 'event_time', type: 'timestamptz' })
  eventTime!: Date;

  @Column({ name: 'event_time_zone_offset', type: 'text' })
  eventTimeZoneOffset!: string;

  @Column({ name: 'read_point', type: 'text', nullable: true })
  readPoint!: string | null;

  @Column({ name: 'biz_location', type: 'text', nullable: true })
  @Index('idx_epcis_events_biz_location')
  bizLocation!: string | null;

  /** Instance-level identifiers (canonical EPC URNs), parents and children included; GIN-indexed. */
  @Column({ type: 'text', array: true })
  epcs!: string[];

  /** Class-level identifiers (LGTIN etc.) of quantity lists. */
  @Column({ name: 'epc_classes', type: 'text', array: true, default: () => "'{}'" })
  epcClasses!: string[];

  /** The event as received, with the document's `@context` under `@context`. */
  @Column({ type: 'jsonb' })
  payload!: Record<string, unknown>;

  /** Accept-and-alert rule flags raised when the event was ingested. */
  @Column({ type: 'jsonb', default: () => "'[]'" })
  flags!: { code: string; detail: string; epcs?: string[] }[];

  @Column({ name: 'publisher_org_id', type: 'uuid', nullable: true })
  publisherOrgId!: string | null;

  /** How the publisher was authenticated: the signature the document arrived with, by a member or the API relay. */
  @Column({ type: 'jsonb', nullable: true })
  origin!: EventOrigin | null;

  @Column({ name: 'capture_id', type: 'uuid', nullable: true })
  captureId!: string | null;

  /** Kafka coordinates of the source message (`topic/partition/offset`). */
  @Column({ type: 'text' })
  source!: string;

  @CreateDateColumn({ name: 'record_time', type: 'timestamptz' })
  recordTime!: Date;

  /** Id of the inserting transaction, set by the database: the commit order subscriptions read in. */
  @Column({ name: 'commit_tx', type: 'bigint', insert: false, update: false })
  commitTx!: string;
}
