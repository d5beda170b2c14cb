import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type {
  EventQuery,
  FieldCondition,
  IdentifierField,
  PartyCondition,
  SensorCondition,
} from './event-query.parser';

/** An identifier filter: the EPC URNs (what `epcs` indexes) and every spelling the payload may hold. */
export interface IdentifierForms {
  urns: string[];
  anyForm: string[];
}

/** Where a page starts: after this row in the chosen order. */
export interface RowCursor {
  value: string;
  hash: string;
}

export type EventOrder =
  | { column: 'event_time' | 'record_time'; direction: 'ASC' | 'DESC' }
  /** Commit order, for subscriptions: only rows of transactions that can no longer commit below the cursor. */
  | { column: 'commit_tx'; direction: 'ASC' };

export interface EventFilter {
  query: EventQuery;
  identifiers: Partial<Record<IdentifierField, IdentifierForms>>;
  /** Undefined: every publisher (regulators, the consortium admin). */
  publisherOrgId?: string;
  order: EventOrder;
  after?: RowCursor;
  limit: number;
}

export interface StoredEvent {
  eventTime: Date;
  recordTime: Date;
  commitTx: string;
  digest: Buffer;
  payload: Record<string, unknown>;
}

interface EventRow {
  event_time: Date;
  record_time: Date;
  commit_tx: string;
  event_hash: Buffer;
  payload: Record<string, unknown>;
}

const toStored = (r: EventRow): StoredEvent => ({
  eventTime: r.event_time,
  recordTime: r.record_time,
  commitTx: r.commit_tx,
  digest: r.event_hash,
  payload: r.payload,
});

/** The top of what a commit-ordered reader may take: no transaction with an id below it is still running. */
const COMMIT_HORIZON = 'pg_snapshot_xmin(pg_current_snapshot())::text::bigint';
const ISO_PREFIX = String.raw`'^\d{4}-\d{2}-\d{2}T'`;

/** Collects WHERE clauses with their bound parameters: no value is ever written into the SQL text. */
class Conditions {
  readonly params: unknown[] = [];
  readonly clauses: string[] = [];

  bind(value: unknown): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }

  add(clause: string): void {
    this.clauses.push(clause);
  }

  get where(): string {
    return this.clauses.length === 0 ? 'true' : this.clauses.join('\n AND ');
  }
}

const list = (json: string) => `jsonb_array_elements(COALESCE(${json}, '[]'::jsonb))`;

@Injectable()
export class EventsQueryRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Events matching a SimpleEventQuery, keyset-paged in the filter's order. */
  async find(filter: EventFilter): Promise<StoredEvent[]> {
    const c = this.conditions(filter);
    const { column, direction } = filter.order;
    if (filter.after) {
      const value =
        column === 'commit_tx'
          ? `${c.bind(filter.after.value)}::bigint`
          : `${c.bind(filter.after.value)}::timestamptz`;
      c.add(
        `(${column}, event_hash) ${direction === 'ASC' ? '>' : '<'} (${value}, decode(${c.bind(filter.after.hash)}, 'hex'))`,
      );
    }
    if (column === 'commit_tx') c.add(`commit_tx < ${COMMIT_HORIZON}`);
    const rows: EventRow[] = await this.dataSource.query(
      `SELECT event_time, record_time, commit_tx::text AS commit_tx, event_hash, payload FROM epcis_events
        WHERE ${c.where}
        ORDER BY ${column} ${direction}, event_hash ${direction}
        LIMIT ${c.bind(filter.limit)}`,
      c.params,
    );
    return rows.map(toStored);
  }

  /** How many events match, counting no further than `cap` (for maxEventCount). */
  async countUpTo(filter: Omit<EventFilter, 'order' | 'after' | 'limit'>, cap: number): Promise<number> {
    const c = this.conditions({ ...filter, order: { column: 'event_time', direction: 'ASC' }, limit: cap });
    const rows: { n: string }[] = await this.dataSource.query(
      `SELECT count(*) AS n FROM (SELECT 1 FROM epcis_events WHERE ${c.where} LIMIT ${c.bind(cap)}) matched`,
      c.params,
    );
    return Number(rows[0]?.n ?? 0);
  }

  /** The commit position a new subscription starts from: everything committed from now on is after it. */
  async commitHorizon(): Promise<string> {
    const rows: { horizon: string }[] = await this.dataSource.query(
      `SELECT ${COMMIT_HORIZON}::text AS horizon`,
    );
    return rows[0]!.horizon;
  }

  async byId(id: string, publisherOrgId: string | undefined): Promise<StoredEvent | undefined> {
    const digest = /^ni:\/\/\/sha-256;([0-9a-f]{64})/.exec(id)?.[1];
    const rows: EventRow[] = await this.dataSource.query(
      `SELECT event_time, record_time, commit_tx::text AS commit_tx, event_hash, payload FROM epcis_events
        WHERE (event_id = $1 OR ($2::text IS NOT NULL AND event_hash = decode($2, 'hex')))
          AND ($3::uuid IS NULL OR publisher_org_id = $3)
        LIMIT 1`,
      [id, digest ?? null, publisherOrgId ?? null],
    );
    return rows[0] && toStored(rows[0]);
  }

  private conditions(filter: EventFilter): Conditions {
    const c = new Conditions();
    const q = filter.query;
    const any = (column: string, values: string[] | undefined) => {
      if (values) c.add(`${column} = ANY(${c.bind(values)}::text[])`);
    };
    any('event_type', q.eventTypes);
    any('action', q.actions);
    any('biz_step', q.bizSteps);
    any('disposition', q.dispositions);
    any('read_point', q.readPoints);
    any('biz_location', q.bizLocations);
    any('event_id', q.eventIds);
    any(`payload->>'transformationID'`, q.transformationIds);
    any(`payload->'errorDeclaration'->>'reason'`, q.errorReasons);
    if (q.correctiveEventIds)
      c.add(`payload->'errorDeclaration'->'correctiveEventIDs' ?| ${c.bind(q.correctiveEventIds)}::text[]`);
    if (q.errorDeclaration !== undefined)
      c.add(`${q.errorDeclaration ? '' : 'NOT '}payload ? 'errorDeclaration'`);
    this.times(c, q);
    this.identifiers(c, filter.identifiers);
    this.classes(c, q);
    this.parties(c, 'bizTransactionList', 'bizTransaction', q.bizTransactions);
    this.parties(c, 'sourceList', 'source', q.sources);
    this.parties(c, 'destinationList', 'destination', q.destinations);
    for (const field of q.fields) this.field(c, field);
    if (q.sensor) this.sensor(c, q.sensor);
    if (filter.publisherOrgId) c.add(`publisher_org_id = ${c.bind(filter.publisherOrgId)}::uuid`);
    return c;
  }

  private times(c: Conditions, q: EventQuery): void {
    if (q.geEventTime) c.add(`event_time >= ${c.bind(q.geEventTime)}::timestamptz`);
    if (q.ltEventTime) c.add(`event_time < ${c.bind(q.ltEventTime)}::timestamptz`);
    if (q.geRecordTime) c.add(`record_time >= ${c.bind(q.geRecordTime)}::timestamptz`);
    if (q.ltRecordTime) c.add(`record_time < ${c.bind(q.ltRecordTime)}::timestamptz`);
  }

  /** The `epcs` array (GIN-indexed) narrows; the payload says in which field the identifier stands. */
  private identifiers(c: Conditions, identifiers: EventFilter['identifiers']): void {
    const field: Record<Exclude<IdentifierField, 'anyEPC'>, (forms: string) => string> = {
      epc: (f) => `(payload->'epcList' ?| ${f} OR payload->'childEPCs' ?| ${f})`,
      parentID: (f) => `payload->>'parentID' = ANY(${f})`,
      inputEPC: (f) => `payload->'inputEPCList' ?| ${f}`,
      outputEPC: (f) => `payload->'outputEPCList' ?| ${f}`,
    };
    for (const [name, forms] of Object.entries(identifiers) as [IdentifierField, IdentifierForms][]) {
      c.add(`epcs && ${c.bind(forms.urns)}::text[]`);
      if (name !== 'anyEPC') c.add(field[name](`${c.bind(forms.anyForm)}::text[]`));
    }
  }

  private classes(c: Conditions, q: EventQuery): void {
    const lists = {
      epcClass: ['quantityList', 'childQuantityList'],
      inputEPCClass: ['inputQuantityList'],
      outputEPCClass: ['outputQuantityList'],
    };
    for (const [name, values] of Object.entries(q.classes)) {
      const bound = `${c.bind(values)}::text[]`;
      c.add(`epc_classes && ${bound}`);
      if (name === 'anyEPCClass') continue;
      const sources = lists[name as keyof typeof lists].map((l) => `payload->'${l}'`);
      const elements = list(sources.map((s) => `COALESCE(${s}, '[]'::jsonb)`).join(' || '));
      c.add(`EXISTS (SELECT 1 FROM ${elements} q WHERE q->>'epcClass' = ANY(${bound}))`);
    }
  }

  private parties(c: Conditions, listName: string, key: string, conditions: PartyCondition[]): void {
    for (const { type, values } of conditions) {
      c.add(
        `EXISTS (SELECT 1 FROM ${list(`payload->'${listName}'`)} p
          WHERE p->>'type' = ANY(${c.bind(type)}::text[]) AND p->>'${key}' = ANY(${c.bind(values)}::text[]))`,
      );
    }
  }

  /** An extension or ILMD field by its captured name; GT/GE/LT/LE compare numbers as numbers, times as times. */
  private field(c: Conditions, condition: FieldCondition): void {
    const base = condition.scope === 'ilmd' ? `payload->'ilmd'` : 'payload';
    const name = c.bind(condition.field);
    if (condition.op === 'EXISTS') return c.add(`COALESCE(${base} ? ${name}, false)`);
    if (condition.op === 'EQ')
      return c.add(`${base}->>${name} = ANY(${c.bind(condition.values.map(String))}::text[])`);
    const operator = { GT: '>', GE: '>=', LT: '<', LE: '<=' }[condition.op];
    const value = condition.values[0]!;
    c.add(
      typeof value === 'number'
        ? `(CASE WHEN jsonb_typeof(${base}->${name}) = 'number' THEN (${base}->>${name})::numeric END) ${operator} ${c.bind(value)}::numeric`
        : `(CASE WHEN ${base}->>${name} ~ ${ISO_PREFIX} THEN (${base}->>${name})::timestamptz END) ${operator} ${c.bind(value)}::timestamptz`,
    );
  }

  /** One sensor report must meet every sensor condition (a temperature above 8 °C, not any report above 8). */
  private sensor(c: Conditions, sensor: SensorCondition): void {
    const where: string[] = [];
    if (sensor.types) where.push(`r->>'type' = ANY(${c.bind(sensor.types)}::text[])`);
    if (sensor.deviceIds)
      where.push(
        `COALESCE(r->>'deviceID', se->'sensorMetadata'->>'deviceID') = ANY(${c.bind(sensor.deviceIds)}::text[])`,
      );
    if (sensor.uom) where.push(`r->>'uom' = ${c.bind(sensor.uom)}`);
    for (const { field, op, value } of sensor.values) {
      const operator = { EQ: '=', GT: '>', GE: '>=', LT: '<', LE: '<=' }[op];
      where.push(
        `(CASE WHEN jsonb_typeof(r->${c.bind(field)}) = 'number' THEN (r->>${c.bind(field)})::numeric END) ${operator} ${c.bind(value)}::numeric`,
      );
    }
    const time = `(CASE WHEN COALESCE(r->>'time', se->'sensorMetadata'->>'time') ~ ${ISO_PREFIX}
      THEN COALESCE(r->>'time', se->'sensorMetadata'->>'time')::timestamptz END)`;
    if (sensor.geTime) where.push(`${time} >= ${c.bind(sensor.geTime)}::timestamptz`);
    if (sensor.ltTime) where.push(`${time} < ${c.bind(sensor.ltTime)}::timestamptz`);
    c.add(
      `EXISTS (SELECT 1 FROM ${list(`payload->'sensorElementList'`)} se, ${list(`se->'sensorReport'`)} r
        WHERE ${where.length === 0 ? 'true' : where.join(' AND ')})`,
    );
  }
}
