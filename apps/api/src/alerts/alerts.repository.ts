import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { PedigreeConfig } from '@pedigree/config';
import { type AlertOutboxPayload, OutboxSeal } from '@pedigree/database';
import { DataSource } from 'typeorm';
import type { AlertDto, AlertEventDto, AlertGroupDto, AlertsQueryDto } from './dto/alerts.dto';

function toAlert(r: Record<string, unknown>): AlertDto {
  return {
    id: r.id as string,
    kind: r.kind as string,
    severity: r.severity as string,
    status: r.status as string,
    score: Number(r.score),
    summary: r.summary as string,
    epcs: r.epcs as string[],
    gtin: (r.gtin as string | null)?.trim() ?? null,
    lot: r.lot as string | null,
    occurrences: r.occurrences as number,
    openedAt: (r.opened_at as Date).toISOString(),
    updatedAt: (r.updated_at as Date).toISOString(),
    evidence: r.evidence as AlertDto['evidence'],
    comments: r.comments as AlertDto['comments'],
  };
}

function digestsOf(eventHashes: string[]): Buffer[] {
  return eventHashes
    .map((h) => /sha-256;([0-9a-f]{64})/.exec(h)?.[1])
    .filter((h): h is string => h !== undefined)
    .map((h) => Buffer.from(h, 'hex'));
}

@Injectable()
export class AlertsRepository {
  /** Seals the transition for the ledger, which commits it in the state map: only a committed resolution counts. */
  private readonly outbox: OutboxSeal;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    config: PedigreeConfig,
  ) {
    this.outbox = new OutboxSeal(config.ledgerOutboxSecret!);
  }

  /** Newest first, keyset-paged on (updated_at, id). */
  async list(
    query: AlertsQueryDto,
    orgId: string | undefined,
    after?: { updatedAt: string; id: string },
  ): Promise<AlertDto[]> {
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT * FROM alerts
        WHERE ($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR severity = $2) AND ($3::text IS NULL OR kind = $3)
          AND ($4::text IS NULL OR epcs @> ARRAY[$4]::text[]) AND ($5::uuid IS NULL OR $5 = ANY(org_ids))
          AND ($6::timestamptz IS NULL OR (updated_at, id) < ($6, $7::uuid))
        ORDER BY updated_at DESC, id DESC LIMIT $8`,
      [
        query.status ?? null,
        query.severity ?? null,
        query.kind ?? null,
        query.epc ?? null,
        orgId ?? null,
        after?.updatedAt ?? null,
        after?.id ?? null,
        (query.limit ?? 50) + 1,
      ],
    );
    return rows.map(toAlert);
  }

  /** Unresolved alerts by kind and severity: what the inbox holds, in groups a person can work through. */
  async summary(orgId: string | undefined): Promise<AlertGroupDto[]> {
    const rows: { kind: string; severity: string; open: number; acknowledged: number; oldest: Date }[] =
      await this.dataSource.query(
        `SELECT kind, severity, count(*) FILTER (WHERE status = 'open')::int AS open,
                count(*) FILTER (WHERE status = 'acknowledged')::int AS acknowledged, min(opened_at) AS oldest
           FROM alerts WHERE status <> 'resolved' AND ($1::uuid IS NULL OR $1 = ANY(org_ids))
          GROUP BY kind, severity
          ORDER BY array_position(ARRAY['critical','high','medium','low'], severity), count(*) DESC, kind`,
        [orgId ?? null],
      );
    return rows.map((r) => ({
      kind: r.kind,
      severity: r.severity,
      open: r.open,
      acknowledged: r.acknowledged,
      oldestOpenedAt: r.oldest.toISOString(),
    }));
  }

  async find(id: string): Promise<(AlertDto & { orgIds: string[] }) | undefined> {
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT * FROM alerts WHERE id = $1`,
      [id],
    );
    const row = rows[0];
    return row ? { ...toAlert(row), orgIds: row.org_ids as string[] } : undefined;
  }

  /** The members whose events are the alert's evidence: the ones it suspects. */
  async publishersOf(eventHashes: string[]): Promise<Set<string>> {
    const digests = digestsOf(eventHashes);
    if (digests.length === 0) return new Set();
    const rows: { publisher_org_id: string | null }[] = await this.dataSource.query(
      `SELECT DISTINCT publisher_org_id FROM epcis_events WHERE event_hash = ANY($1::bytea[])`,
      [digests],
    );
    return new Set(rows.map((r) => r.publisher_org_id).filter((id): id is string => id !== null));
  }

  async events(eventHashes: string[]): Promise<AlertEventDto[]> {
    const digests = digestsOf(eventHashes);
    if (digests.length === 0) return [];
    const rows: {
      event_hash: Buffer;
      event_type: string;
      biz_step: string | null;
      event_time: Date;
      biz_location: string | null;
      epcs: string[];
    }[] = await this.dataSource.query(
      `SELECT event_hash, event_type, biz_step, event_time, biz_location, epcs FROM epcis_events
          WHERE event_hash = ANY($1::bytea[]) ORDER BY event_time`,
      [digests],
    );
    return rows.map((r) => ({
      eventHash: `ni:///sha-256;${r.event_hash.toString('hex')}?ver=CBV2.0`,
      eventType: r.event_type,
      bizStep: r.biz_step,
      eventTime: r.event_time.toISOString(),
      bizLocation: r.biz_location,
      epcs: r.epcs,
    }));
  }

  async transition(
    id: string,
    to: 'acknowledged' | 'resolved',
    comment: { at: string; by: string; action: string; text: string },
  ): Promise<AlertDto | undefined> {
    return this.dataSource.transaction(async (manager) => {
      // TypeORM answers UPDATE … RETURNING with [rows, affected].
      const [rows]: [Record<string, unknown>[], number] = await manager.query(
        `UPDATE alerts SET status = $2, comments = comments || $3::jsonb, updated_at = now() WHERE id = $1 RETURNING *`,
        [id, to, JSON.stringify([comment])],
      );
      if (!rows[0]) return undefined;
      const payload: AlertOutboxPayload = { alertId: id, status: to, epcs: rows[0].epcs as string[] };
      await this.outbox.write(manager, 'alert', payload);
      return toAlert(rows[0]);
    });
  }
}
