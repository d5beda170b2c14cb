import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { CaptureJobEntity } from '@pedigree/database';
import { DataSource } from 'typeorm';

export type CaptureJobRow = Pick<
  CaptureJobEntity,
  | 'id'
  | 'organisationId'
  | 'status'
  | 'errorBehaviour'
  | 'eventCount'
  | 'acceptedCount'
  | 'rejectedCount'
  | 'masterDataCount'
  | 'errors'
  | 'waiting'
  | 'createdAt'
  | 'finishedAt'
>;

function toJob(r: Record<string, unknown>): CaptureJobRow {
  return {
    id: r.id as string,
    organisationId: r.organisation_id as string | null,
    status: r.status as CaptureJobRow['status'],
    errorBehaviour: r.error_behaviour as CaptureJobRow['errorBehaviour'],
    eventCount: r.event_count as number,
    acceptedCount: r.accepted_count as number,
    rejectedCount: r.rejected_count as number,
    masterDataCount: (r.master_data_count ?? 0) as number,
    errors: r.errors as CaptureJobRow['errors'],
    waiting: (r.waiting ?? []) as CaptureJobRow['waiting'],
    createdAt: r.created_at as Date,
    finishedAt: r.finished_at as Date | null,
  };
}

const QUEUE_UNAVAILABLE = 'CAPTURE_QUEUE_UNAVAILABLE';

@Injectable()
export class CaptureRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Creates the job, or returns the existing one when the same organisation sends the same bytes again. */
  async createOrFind(job: {
    id: string;
    organisationId: string | null;
    sha256: Buffer;
    errorBehaviour: 'rollback' | 'proceed';
    eventCount: number;
  }): Promise<{ job: CaptureJobRow; created: boolean }> {
    // A job whose document never reached Kafka holds nothing: it must not block a retry of the same bytes.
    await this.dataSource.query(
      `DELETE FROM capture_jobs
        WHERE organisation_id IS NOT DISTINCT FROM $1 AND document_sha256 = $2 AND status = 'failed'
          AND errors @> $3::jsonb`,
      [job.organisationId, job.sha256, JSON.stringify([{ code: QUEUE_UNAVAILABLE }])],
    );
    const inserted: Record<string, unknown>[] = await this.dataSource.query(
      `INSERT INTO capture_jobs (id, organisation_id, document_sha256, error_behaviour, status, event_count)
       VALUES ($1, $2, $3, $4, 'running', $5)
       ON CONFLICT (organisation_id, document_sha256) DO NOTHING
       RETURNING *`,
      [job.id, job.organisationId, job.sha256, job.errorBehaviour, job.eventCount],
    );
    if (inserted[0]) return { job: toJob(inserted[0]), created: true };
    const existing: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT * FROM capture_jobs WHERE organisation_id IS NOT DISTINCT FROM $1 AND document_sha256 = $2`,
      [job.organisationId, job.sha256],
    );
    return { job: toJob(existing[0]), created: false };
  }

  async find(id: string): Promise<CaptureJobRow | undefined> {
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT * FROM capture_jobs WHERE id = $1`,
      [id],
    );
    return rows[0] ? toJob(rows[0]) : undefined;
  }

  async list(organisationId: string | null, limit: number): Promise<CaptureJobRow[]> {
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT * FROM capture_jobs WHERE ($1::uuid IS NULL OR organisation_id = $1) ORDER BY created_at DESC LIMIT $2`,
      [organisationId, limit],
    );
    return rows.map(toJob);
  }

  /** The job's document was never queued (Kafka refused it): the client may send it again. */
  markQueueFailed(id: string): Promise<void> {
    return this.markFailed(id, {
      code: QUEUE_UNAVAILABLE,
      detail: 'Kafka did not accept the document; send it again',
    });
  }

  async markFailed(id: string, error: { code: string; detail: string }): Promise<void> {
    await this.dataSource.query(
      `UPDATE capture_jobs SET status = 'failed', errors = errors || $2::jsonb, finished_at = now() WHERE id = $1`,
      [id, JSON.stringify([error])],
    );
  }
}
