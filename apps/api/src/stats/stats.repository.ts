import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

export interface Overview {
  eventsPerSecond: number;
  eventsLastHour: number;
  anchoringLagSeconds: { p50: number; p99: number };
  /** Events not anchored yet, the oldest one's age, and how many are past ANCHOR_DEADLINE_SECONDS (platform-wide). */
  anchoringBacklog: { events: number; oldestSeconds: number; overdue: number };
  openAlertsBySeverity: { low: number; medium: number; high: number; critical: number };
  shipmentsInTransit: number;
  shipmentsOverdue: number;
  latestEvents: {
    eventHash: string;
    eventType: string;
    bizStep: string | null;
    eventTime: string;
    bizLocation: string | null;
  }[];
}

@Injectable()
export class StatsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async overview(
    overdueHours: number,
    orgId: string | undefined,
    anchorDeadlineSeconds: number,
  ): Promise<Overview> {
    // Members see their own events; $1 is NULL for regulators and the admin, who see everything.
    const scope = ' AND ($1::uuid IS NULL OR publisher_org_id = $1::uuid)';
    const [rate]: { last10s: number; last_hour: number }[] = await this.dataSource.query(
      `SELECT count(*) FILTER (WHERE record_time > now() - interval '10 seconds')::int AS last10s,
              count(*)::int AS last_hour
         FROM epcis_events WHERE record_time > now() - interval '1 hour'${scope}`,
      [orgId ?? null],
    );
    // Lag per event = confirmation of its anchor − its commit in PostgreSQL, over the last ten minutes.
    const [lag]: { p50: number | null; p99: number | null }[] = await this.dataSource.query(
      `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY lag) AS p50, percentile_cont(0.99) WITHIN GROUP (ORDER BY lag) AS p99
         FROM (SELECT EXTRACT(EPOCH FROM (b.confirmed_at - e.record_time)) AS lag
                 FROM anchor_batches b
                 JOIN event_anchors ea ON ea.batch_id = b.id
                 JOIN epcis_events e ON e.event_hash = ea.event_hash
                WHERE b.status = 'confirmed' AND b.confirmed_at > now() - interval '10 minutes'
                LIMIT 20000) AS lags`,
    );
    // What the ledger has not anchored yet: entries waiting in its outbox and batches not confirmed (both small).
    const [backlog]: { events: number; oldest: number | null; overdue: number }[] =
      await this.dataSource.query(
        `SELECT coalesce(sum(n), 0)::int AS events, EXTRACT(EPOCH FROM now() - min(since))::float AS oldest,
              coalesce(sum(n) FILTER (WHERE since < now() - make_interval(secs => $1)), 0)::int AS overdue
         FROM (SELECT event_count AS n, created_at AS since FROM ledger_outbox
                WHERE kind = 'anchor' AND processed_at IS NULL
               UNION ALL
               SELECT event_count, created_at FROM anchor_batches WHERE status <> 'confirmed') AS pending`,
        [anchorDeadlineSeconds],
      );
    const alerts: { severity: keyof Overview['openAlertsBySeverity']; n: number }[] =
      await this.dataSource.query(
        `SELECT severity, count(*)::int AS n FROM alerts WHERE status <> 'resolved'
          ${orgId ? 'AND $1::uuid = ANY(org_ids)' : ''} GROUP BY severity`,
        orgId ? [orgId] : [],
      );
    const [shipments]: { in_transit: number; overdue: number }[] = await this.dataSource.query(
      `SELECT count(*)::int AS in_transit,
              count(*) FILTER (WHERE shipped_at < now() - make_interval(hours => $1))::int AS overdue
         FROM custody_transfers WHERE receive_event_hash IS NULL
          ${orgId ? 'AND ($2::uuid = from_org_id OR $2::uuid = to_org_id)' : ''}`,
      orgId ? [overdueHours, orgId] : [overdueHours],
    );
    const latest: {
      event_hash: Buffer;
      event_type: string;
      biz_step: string | null;
      event_time: Date;
      biz_location: string | null;
    }[] = await this.dataSource.query(
      `SELECT event_hash, event_type, biz_step, event_time, biz_location FROM epcis_events
          WHERE record_time > now() - interval '1 day'${scope} ORDER BY record_time DESC LIMIT 10`,
      [orgId ?? null],
    );
    const bySeverity = { low: 0, medium: 0, high: 0, critical: 0 };
    for (const row of alerts) bySeverity[row.severity] = row.n;
    return {
      eventsPerSecond: Math.round((rate?.last10s ?? 0) / 10),
      eventsLastHour: rate?.last_hour ?? 0,
      anchoringLagSeconds: { p50: round(lag?.p50), p99: round(lag?.p99) },
      anchoringBacklog: {
        events: backlog?.events ?? 0,
        oldestSeconds: round(backlog?.oldest ?? null),
        overdue: backlog?.overdue ?? 0,
      },
      openAlertsBySeverity: bySeverity,
      shipmentsInTransit: shipments?.in_transit ?? 0,
      shipmentsOverdue: shipments?.overdue ?? 0,
      latestEvents: latest.map((e) => ({
        eventHash: `ni:///sha-256;${e.event_hash.toString('hex')}?ver=CBV2.0`,
        eventType: e.event_type,
        bizStep: e.biz_step,
        eventTime: e.event_time.toISOString(),
        bizLocation: e.biz_location,
      })),
    };
  }
}

function round(value: number | null | undefined): number {
  return value === null || value === undefined ? 0 : Math.round(Number(value) * 100) / 100;
}
