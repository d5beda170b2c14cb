import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

export interface EventFilter {
  eventTypes?: string[];
  bizSteps?: string[];
  dispositions?: string[];
  matchEpc?: { urns: string[]; anyForm: string[] };
  matchAnyEpc?: string[];
  matchEpcClass?: string[];
  geEventTime?: string;
  ltEventTime?: string;
  geRecordTime?: string;
  ltRecordTime?: string;
  bizLocations?: string[];
  readPoints?: string[];
  publisherOrgId?: string;
  after?: { eventTime: string; hash: string };
  limit: number;
}

export interface StoredEvent {
  eventTime: Date;
  digest: Buffer;
  payload: Record<string, unknown>;
}

@Injectable()
export class EventsQueryRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Events in event-time order, keyset-paged; every filter is a bound parameter. */
  async find(filter: EventFilter): Promise<StoredEvent[]> {
    const rows: { event_time: Date; event_hash: Buffer; payload: Record<string, unknown> }[] =
      await this.dataSource.query(
        `SELECT event_time, event_hash, payload FROM epcis_events
        WHERE ($1::text[] IS NULL OR event_type = ANY($1))
          AND ($2::text[] IS NULL OR biz_step = ANY($2))
          AND ($3::text[] IS NULL OR disposition = ANY($3))
          AND ($4::text[] IS NULL OR (epcs && $4 AND (payload->'epcList' ?| $5 OR payload->'childEPCs' ?| $5)))
          AND ($6::text[] IS NULL OR epcs && $6)
          AND ($7::text[] IS NULL OR epc_classes && $7)
          AND ($8::timestamptz IS NULL OR event_time >= $8)
          AND ($9::timestamptz IS NULL OR event_time < $9)
          AND ($10::timestamptz IS NULL OR record_time >= $10)
          AND ($11::timestamptz IS NULL OR record_time < $11)
          AND ($12::text[] IS NULL OR biz_location = ANY($12))
          AND ($13::text[] IS NULL OR read_point = ANY($13))
          AND ($14::uuid IS NULL OR publisher_org_id = $14)
          AND ($15::timestamptz IS NULL OR (event_time, event_hash) > ($15, decode($16, 'hex')))
        ORDER BY event_time, event_hash
        LIMIT $17`,
        [
          filter.eventTypes ?? null,
          filter.bizSteps ?? null,
          filter.dispositions ?? null,
          filter.matchEpc?.urns ?? null,
          filter.matchEpc?.anyForm ?? null,
          filter.matchAnyEpc ?? null,
          filter.matchEpcClass ?? null,
          filter.geEventTime ?? null,
          filter.ltEventTime ?? null,
          filter.geRecordTime ?? null,
          filter.ltRecordTime ?? null,
          filter.bizLocations ?? null,
          filter.readPoints ?? null,
          filter.publisherOrgId ?? null,
          filter.after?.eventTime ?? null,
          filter.after?.hash ?? null,
          filter.limit,
        ],
      );
    return rows.map((r) => ({ eventTime: r.event_time, digest: r.event_hash, payload: r.payload }));
  }

  async byId(id: string, publisherOrgId: string | undefined): Promise<StoredEvent | undefined> {
    const digest = /^ni:\/\/\/sha-256;([0-9a-f]{64})/.exec(id)?.[1];
    const rows: { event_time: Date; event_hash: Buffer; payload: Record<string, unknown> }[] =
      await this.dataSource.query(
        `SELECT event_time, event_hash, payload FROM epcis_events
        WHERE (event_id = $1 OR ($2::text IS NOT NULL AND event_hash = decode($2, 'hex')))
          AND ($3::uuid IS NULL OR publisher_org_id = $3)
        LIMIT 1`,
        [id, digest ?? null, publisherOrgId ?? null],
      );
    const r = rows[0];
    return r && { eventTime: r.event_time, digest: r.event_hash, payload: r.payload };
  }
}
