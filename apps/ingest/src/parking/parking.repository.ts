import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** A `parked_documents` row as PostgreSQL returns it (see ParkedDocumentEntity). */
export interface ParkedDocumentRow {
  /** bigint: the driver returns it as a string. */
  id: string;
  payload: Buffer;
  headers: Record<string, string>;
  source: string;
  message_key: string | null;
  event_indexes: number[] | null;
  waiting_for: string[];
  reason: { code: string; detail: string; field?: string; eventIndex?: number };
  attempts: number;
  parked_at: Date;
  /** The source message's timestamp; null for rows parked before it was kept. */
  published_at: Date | null;
}

/** Rows per read of the documents an identifier may have unblocked; the sweep reads every page. */
export const WAITING_PAGE = 500;

/**
 * The parking sweep's reads and removals of parked documents (the pipeline parks and settles them in its own
 * transactions, see IngestRepository). Each read takes at most 500 rows: expired documents left over are read by
 * the following sweeps, the documents an identifier may have unblocked page by page in one sweep.
 */
@Injectable()
export class ParkingRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Documents waiting for any of these identifiers, and those that wait for anything at all (`{*}`): a page of them
   * after the id given (see WAITING_PAGE).
   */
  async waitingFor(identifiers: string[], afterId = '0'): Promise<ParkedDocumentRow[]> {
    const rows: ParkedDocumentRow[] = await this.dataSource.query(
      `SELECT * FROM parked_documents WHERE (waiting_for && $1::text[] OR waiting_for = '{*}') AND id > $2
        ORDER BY id LIMIT ${WAITING_PAGE}`,
      [identifiers, afterId],
    );
    return rows;
  }

  /** Documents parked longer ago than the timeout, oldest first. */
  async parkedLongerThan(timeoutSeconds: number): Promise<ParkedDocumentRow[]> {
    const rows: ParkedDocumentRow[] = await this.dataSource.query(
      `SELECT * FROM parked_documents WHERE parked_at < now() - make_interval(secs => $1) ORDER BY id LIMIT 500`,
      [timeoutSeconds],
    );
    return rows;
  }

  async remove(id: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM parked_documents WHERE id = $1`, [id]);
  }
}
