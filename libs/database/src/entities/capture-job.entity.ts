import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

export type CaptureJobStatus = 'running' | 'success' | 'failed' | 'partial';

/** Events of a finished job that wait for a precondition; `key` names the parked unit (its event indexes). */
export interface CaptureJobWaiting {
  key: string;
  code: string;
  detail: string;
  waitingFor: string[];
  eventIndexes: number[] | null;
}

export interface CaptureJobError {
  code: string;
  detail: string;
  field?: string;
  eventIndex?: number;
}

/** An EPCIS capture request (REST binding): accepted with 202, processed asynchronously by ingest. */
@Entity({ name: 'capture_jobs' })
@Index('idx_capture_jobs_replay', ['organisationId', 'documentSha256'], { unique: true })
export class CaptureJobEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'organisation_id', type: 'uuid', nullable: true })
  organisationId!: string | null;

  /** SHA-256 of the request body: a replayed request returns the first job instead of capturing twice. */
  @Column({ name: 'document_sha256', type: 'bytea' })
  documentSha256!: Buffer;

  @Column({ name: 'error_behaviour', type: 'text' })
  errorBehaviour!: 'rollback' | 'proceed';

  @Column({ type: 'text' })
  status!: CaptureJobStatus;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  waiting!: CaptureJobWaiting[];

  @Column({ name: 'event_count', type: 'integer' })
  eventCount!: number;

  @Column({ name: 'accepted_count', type: 'integer', default: 0 })
  acceptedCount!: number;

  @Column({ name: 'rejected_count', type: 'integer', default: 0 })
  rejectedCount!: number;

  /** Vocabulary elements of master data stored (of a master data document, or of a document's header). */
  @Column({ name: 'master_data_count', type: 'integer', default: 0 })
  masterDataCount!: number;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  errors!: CaptureJobError[];

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;
}
