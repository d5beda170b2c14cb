import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

export interface SetAsideAlert {
  id: string;
  dedupeKey: string;
  action: 'open' | 'close';
  payload: Record<string, unknown>;
  reason: string;
  setAsideAt: Date;
}

/** Alert changes that could never be written, kept for an operator (see `AlertOutbox`). */
@Injectable()
export class SetAsideAlertsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async record(entry: Omit<SetAsideAlert, 'id' | 'setAsideAt'>): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO set_aside_alerts (dedupe_key, action, payload, reason) VALUES ($1, $2, $3, $4)`,
      [entry.dedupeKey, entry.action, JSON.stringify(entry.payload), entry.reason],
    );
  }

  /** Newest first. */
  async list(limit = 100): Promise<SetAsideAlert[]> {
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT * FROM set_aside_alerts ORDER BY id DESC LIMIT $1`,
      [limit],
    );
    return rows.map((r) => ({
      id: String(r.id),
      dedupeKey: r.dedupe_key as string,
      action: r.action as SetAsideAlert['action'],
      payload: r.payload as Record<string, unknown>,
      reason: r.reason as string,
      setAsideAt: r.set_aside_at as Date,
    }));
  }
}
