import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

export interface AnchoringBacklog {
  /** Accepted events not yet anchored: waiting in the outbox, or in a batch not confirmed. */
  events: number;
  /** When the ledger last confirmed an anchor batch (null: never). */
  lastConfirmedAt: Date | null;
}

/** What the ledger has still to anchor, read from the outbox and the batches (both small while it keeps up). */
@Injectable()
export class AnchoringBacklogRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async read(): Promise<AnchoringBacklog> {
    const [row]: { events: number; last_confirmed_at: Date | null }[] = await this.dataSource.query(
      `SELECT (SELECT coalesce(sum(event_count), 0) FROM ledger_outbox
                WHERE kind = 'anchor' AND processed_at IS NULL)::int
            + (SELECT coalesce(sum(event_count), 0) FROM anchor_batches
                WHERE status IN ('prepared', 'submitted'))::int AS events,
              (SELECT confirmed_at FROM anchor_batches WHERE status = 'confirmed'
                ORDER BY id DESC LIMIT 1) AS last_confirmed_at`,
    );
    return { events: row.events, lastConfirmedAt: row.last_confirmed_at };
  }
}
