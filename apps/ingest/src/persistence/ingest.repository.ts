import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  type CaptureJobWaiting,
  type CustodyOutboxPayload,
  type AnchorOutboxPayload,
  type EventOrigin,
  OutboxSeal,
  type PackStatus,
} from '@pedigree/database';
import { CommonError, CommonErrorCode } from '@pedigree/common';
import { PedigreeConfig } from '@pedigree/config';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DataSource, type EntityManager } from 'typeorm';
import type { StateLeaf } from '@pedigree/chain';
import type { ContainmentChange, HistoryEntry, PackState } from '@pedigree/supply-chain';
import { copyRow } from './copy-text.encoder';

/** Looks for contents packed while locks were awaited; each look after the first follows a commit that raced it. */
const MAX_LOCK_LOOKS = 8;

export interface EventRow {
  digest: Buffer;
  eventId: string | null;
  eventType: string;
  action: string | null;
  bizStep: string | null;
  disposition: string | null;
  eventTime: Date;
  eventTimeZoneOffset: string;
  readPoint: string | null;
  bizLocation: string | null;
  epcs: string[];
  epcClasses: string[];
  payload: Record<string, unknown>;
  flags: { code: string; detail: string; epcs?: string[] }[];
  publisherOrgId: string | null;
  origin: EventOrigin | null;
  captureId: string | null;
  source: string;
}

export interface ParkRow {
  payload: Buffer;
  headers: Record<string, string>;
  source: string;
  messageKey: string | null;
  eventIndexes: number[] | null;
  waitingFor: string[];
  reason: { code: string; detail: string; field?: string; eventIndex?: number };
  /** The source message's timestamp (ISO 8601). */
  publishedAt: string;
}

/** One organisation's statement of master data about one identifier (see MasterDataEntity). */
export interface MasterDataRow {
  vocabularyType: string;
  id: string;
  organisationId: string;
  authoritative: boolean;
  attributes: Record<string, unknown>;
  children: string[];
}

export interface CaptureJobUpdate {
  captureId: string;
  accepted: number;
  rejected: number;
  errors: { code: string; detail: string; field?: string; eventIndex?: number }[];
  finished: boolean;
  /** Vocabulary elements of master data the document had stored. */
  masterData?: number;
  /** Parked units of the document now waiting (reported by the job, which still finishes). */
  waitingAdded?: CaptureJobWaiting[];
  /** The parked unit (key) that has just settled: its waiting entry goes. */
  waitingSettled?: string;
}

interface PackRow {
  epc: string;
  kind: string;
  gtin: string | null;
  serial: string | null;
  lot: string | null;
  expiry: string | null;
  status: PackStatus;
  custodian: string | null;
  owner_org_id: string | null;
  location: string | null;
  shipped_to: string | null;
  consignment_key: string | null;
  parent_epc: string | null;
  commission_event_hash: Buffer | null;
  last_event_hash: Buffer;
  last_event_time: Date;
  history_count: number;
  history_head: Buffer | null;
  flagged: number;
}

function toPackState(row: PackRow): PackState {
  return {
    epc: row.epc,
    kind: row.kind,
    gtin: row.gtin,
    serial: row.serial,
    lot: row.lot,
    expiry: row.expiry,
    status: row.status,
    custodian: row.custodian,
    ownerOrgId: row.owner_org_id,
    location: row.location,
    shippedTo: row.shipped_to,
    consignmentKey: row.consignment_key,
    parentEpc: row.parent_epc,
    commissionEventHash: row.commission_event_hash,
    lastEventHash: row.last_event_hash,
    lastEventTime: row.last_event_time,
    historyCount: row.history_count,
    historyHead: row.history_head,
    flagged: row.flagged,
  };
}

/** Every write of an ingest batch, inside one transaction the pipeline owns. Bulk statements only. */
@Injectable()
export class IngestRepository {
  /** Seals what ingest hands the ledger: the ledger refuses outbox entries nobody sealed. */
  private readonly outbox: OutboxSeal;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    config: PedigreeConfig,
  ) {
    this.outbox = new OutboxSeal(config.ledgerOutboxSecret!);
  }

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction('READ COMMITTED', work);
  }

  /** Already stored events among these digests, with where they came from (to recognise our own replays). */
  async existingEvents(manager: EntityManager, digests: Buffer[]): Promise<Map<string, string>> {
    if (digests.length === 0) return new Map();
    const rows: { event_hash: Buffer; source: string }[] = await manager.query(
      `SELECT event_hash, source FROM epcis_events WHERE event_hash = ANY($1::bytea[])`,
      [digests],
    );
    return new Map(rows.map((r) => [r.event_hash.toString('hex'), r.source]));
  }

  /**
   * The packs the batch refers to and everything inside them, row-locked so that concurrent ingest workers on other
   * partitions serialise on the packs they share. Each statement reads the tree from its own snapshot, so a pack
   * packed into a container by a batch that committed while this one waited for the container's lock is not in
   * it; a new statement after the locks sees it, and locks it too. Once a container is held, no batch can pack
   * into it (packing locks the parent), so the set is stable when a look finds nothing new. Locks of a later look
   * are out of epc order; a deadlock that causes is detected by PostgreSQL and the batch retried (40P01 is retriable).
   */
  async lockPacks(manager: EntityManager, epcs: string[]): Promise<PackState[]> {
    const locked = new Map<string, PackRow>();
    let wanted = epcs;
    for (let look = 0; wanted.length > 0; look++) {
      if (look === MAX_LOCK_LOOKS) {
        throw new CommonError(
          CommonErrorCode.DEPENDENCY_UNAVAILABLE,
          `the packs of this batch kept gaining contents while their locks were taken (${look} looks)`,
        );
      }
      for (const row of await this.lockTrees(manager, wanted)) locked.set(row.epc, row);
      wanted = (await this.contentsOf(manager, [...locked.keys()])).filter((epc) => !locked.has(epc));
    }
    return [...locked.values()].sort((a, b) => (a.epc < b.epc ? -1 : a.epc > b.epc ? 1 : 0)).map(toPackState);
  }

  /** One statement: these packs and the tree below them as its snapshot sees it, locked in epc order. */
  private lockTrees(manager: EntityManager, epcs: string[]): Promise<PackRow[]> {
    return manager.query(
      // Written so that the plan cannot depend on statistics (which a server without autovacuum never has): the
      // LATERAL subquery behind OFFSET 0 stays a per-container index lookup, and the final read is a primary-key
      // lookup of an array. The plain join form was planned as a hash join over a sequential scan of all packs
      // for each level plus a sort of the whole table, seconds per batch once packs held 500,000 rows.
      `WITH RECURSIVE tree AS (
          SELECT unnest($1::text[]) AS epc
          UNION
          SELECT c.epc FROM tree t
            CROSS JOIN LATERAL (SELECT epc FROM packs WHERE parent_epc = t.epc OFFSET 0) c
       )
       SELECT p.* FROM packs p WHERE p.epc = ANY (ARRAY(SELECT epc FROM tree)) ORDER BY p.epc FOR UPDATE OF p`,
      [epcs],
    );
  }

  /** What is directly inside these packs now (a statement of its own, so it sees what committed before it). */
  private async contentsOf(manager: EntityManager, epcs: string[]): Promise<string[]> {
    const rows: { epc: string }[] = await manager.query(
      `SELECT c.epc FROM unnest($1::text[]) AS t(epc)
         CROSS JOIN LATERAL (SELECT epc FROM packs WHERE parent_epc = t.epc OFFSET 0) c`,
      [epcs],
    );
    return rows.map((r) => r.epc);
  }

  /**
   * Inserts events with COPY straight into the table. The batch has already been deduplicated against what is
   * stored (in this transaction); the rare event committed meanwhile by another worker makes COPY fail on the
   * primary key, and the retry of the batch then sees it as stored.
   */
  async insertEvents(manager: EntityManager, rows: EventRow[]): Promise<Set<string>> {
    if (rows.length === 0) return new Set();
    const client = (manager.queryRunner as unknown as { databaseConnection: PoolClient }).databaseConnection;
    const lines = rows.map((r) =>
      copyRow([
        r.digest,
        r.eventId,
        r.eventType,
        r.action,
        r.bizStep,
        r.disposition,
        r.eventTime,
        r.eventTimeZoneOffset,
        r.readPoint,
        r.bizLocation,
        r.epcs,
        r.epcClasses,
        // jsonb columns go as JSON text: a JS array here would be read as a PostgreSQL array.
        JSON.stringify(r.payload),
        JSON.stringify(r.flags),
        r.publisherOrgId,
        r.captureId,
        r.source,
        r.origin === null ? null : JSON.stringify(r.origin),
      ]),
    );
    await pipeline(
      Readable.from(lines),
      client.query(
        copyFrom(
          `COPY epcis_events (event_hash, event_id, event_type, action, biz_step, disposition, event_time,
             event_time_zone_offset, read_point, biz_location, epcs, epc_classes, payload, flags, publisher_org_id,
             capture_id, source, origin) FROM STDIN`,
        ),
      ),
    );
    return new Set(rows.map((r) => r.digest.toString('hex')));
  }

  async upsertPacks(manager: EntityManager, packs: PackState[]): Promise<void> {
    if (packs.length === 0) return;
    const col = <K extends keyof PackState>(key: K) => packs.map((p) => p[key]);
    await manager.query(
      `INSERT INTO packs (epc, kind, gtin, serial, lot, expiry, status, custodian, owner_org_id, location, shipped_to,
                          consignment_key, parent_epc, commission_event_hash, last_event_hash, last_event_time,
                          history_count, history_head, flagged, updated_at)
       SELECT *, now() FROM unnest($1::text[], $2::text[], $3::char(14)[], $4::text[], $5::text[], $6::date[], $7::text[],
                                   $8::text[], $9::uuid[], $10::text[], $11::text[], $12::text[], $13::text[],
                                   $14::bytea[], $15::bytea[], $16::timestamptz[], $17::int[], $18::bytea[], $19::int[])
       ON CONFLICT (epc) DO UPDATE SET
         kind = EXCLUDED.kind, gtin = EXCLUDED.gtin, serial = EXCLUDED.serial, lot = EXCLUDED.lot,
         expiry = EXCLUDED.expiry, status = EXCLUDED.status, custodian = EXCLUDED.custodian,
         owner_org_id = EXCLUDED.owner_org_id, location = EXCLUDED.location, shipped_to = EXCLUDED.shipped_to,
         consignment_key = EXCLUDED.consignment_key, parent_epc = EXCLUDED.parent_epc,
         commission_event_hash = EXCLUDED.commission_event_hash, last_event_hash = EXCLUDED.last_event_hash,
         last_event_time = EXCLUDED.last_event_time, history_count = EXCLUDED.history_count,
         history_head = EXCLUDED.history_head, flagged = EXCLUDED.flagged, updated_at = now()`,
      [
        col('epc'),
        col('kind'),
        col('gtin'),
        col('serial'),
        col('lot'),
        col('expiry'),
        col('status'),
        col('custodian'),
        col('ownerOrgId'),
        col('location'),
        col('shippedTo'),
        col('consignmentKey'),
        col('parentEpc'),
        col('commissionEventHash'),
        col('lastEventHash'),
        col('lastEventTime'),
        col('historyCount'),
        col('historyHead'),
        col('flagged'),
      ],
    );
  }

  /** The steps each identifier's history gained in this batch (the state map commits their count and head). */
  async appendHistory(manager: EntityManager, entries: HistoryEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await manager.query(
      `INSERT INTO pack_history (epc, seq, event_hash) SELECT * FROM unnest($1::text[], $2::int[], $3::bytea[])`,
      [entries.map((e) => e.epc), entries.map((e) => e.seq), entries.map((e) => e.eventHash)],
    );
  }

  async applyContainments(manager: EntityManager, changes: ContainmentChange[]): Promise<void> {
    const opened = changes.filter((c) => c.kind === 'open');
    const closed = changes.filter((c) => c.kind === 'close');
    if (closed.length > 0) {
      await manager.query(
        // Each open containment is found by index (LATERAL behind OFFSET 0) and updated by primary key, so the plan
        // does not hinge on statistics: the plain UPDATE … FROM unnest(…) was planned as a hash join over the whole
        // table, spilling to disk for seconds per batch once it held 500,000 rows.
        `WITH m AS (
           SELECT o.id, x.h, x.t
             FROM unnest($1::text[], $2::text[], $3::bytea[], $4::timestamptz[]) AS x(child, parent, h, t)
             CROSS JOIN LATERAL (
               SELECT id FROM containments
                WHERE child_epc = x.child AND parent_epc = x.parent AND to_time IS NULL OFFSET 0
             ) o
         )
         UPDATE containments c SET to_event_hash = m.h, to_time = m.t
           FROM m WHERE c.id = m.id AND c.id = ANY (ARRAY(SELECT id FROM m))`,
        [
          closed.map((c) => c.childEpc),
          closed.map((c) => c.parentEpc),
          closed.map((c) => c.eventHash),
          closed.map((c) => c.time),
        ],
      );
    }
    if (opened.length > 0) {
      await manager.query(
        `INSERT INTO containments (child_epc, parent_epc, from_event_hash, from_time)
         SELECT * FROM unnest($1::text[], $2::text[], $3::bytea[], $4::timestamptz[])`,
        [
          opened.map((c) => c.childEpc),
          opened.map((c) => c.parentEpc),
          opened.map((c) => c.eventHash),
          opened.map((c) => c.time),
        ],
      );
    }
  }

  /** Custody handoffs: a transfer row per shipment, closed by the receipt, and the ledger's outbox entries. */
  async recordCustody(
    manager: EntityManager,
    payloads: CustodyOutboxPayload[],
    contents: Map<string, { packCount: number; gtins: string[]; lots: string[] }>,
  ): Promise<void> {
    if (payloads.length === 0) return;
    // Set-based: one statement for all shipments and one for all receipts of the batch (a round trip per handoff
    // was the largest cost of a batch).
    const ships = payloads.filter((x) => x.action === 'ship');
    if (ships.length > 0) {
      const content = ships.map((p) => contents.get(`${p.eventHash}:${p.consignmentKey}`));
      await manager.query(
        `INSERT INTO custody_transfers (consignment_id, consignment_key, from_party, to_party, from_org_id, to_org_id,
                                        ship_event_hash, status, pack_count, gtins, lots, shipped_at)
         SELECT cid, ckey, fp, tp, fo, tor, decode(h, 'hex'), 'pending', n, string_to_array(g, ','), string_to_array(l, ','), t
           FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::uuid[], $6::uuid[], $7::text[], $8::int[],
                       $9::text[], $10::text[], $11::timestamptz[]) AS x(cid, ckey, fp, tp, fo, tor, h, n, g, l, t)
         ON CONFLICT (ship_event_hash) DO NOTHING`,
        [
          ships.map((p) => p.consignmentId),
          ships.map((p) => p.consignmentKey),
          ships.map((p) => p.fromParty),
          ships.map((p) => p.toParty),
          ships.map((p) => p.fromOrgId),
          ships.map((p) => p.toOrgId),
          ships.map((p) => p.eventHash),
          content.map((c) => c?.packCount ?? 0),
          content.map((c) => (c?.gtins ?? []).join(',')),
          content.map((c) => (c?.lots ?? []).join(',')),
          ships.map((p) => p.eventTime),
        ],
      );
    }
    const receipts = payloads.filter((x) => x.action === 'receive');
    if (receipts.length > 0) {
      await manager.query(
        // The open transfer addressed to the receiver, else the latest: a receipt and the receiver's onward
        // shipment of the same consignment can arrive in one batch, whose shipments are inserted first. Found by the
        // consignment's index (LATERAL behind OFFSET 0) and updated by primary key, so the plan does not hinge on
        // statistics: written as `ct.id = (subquery)` it was a hash join over a sequential scan of every transfer
        // ever made, with each receipt's subquery filtering all open transfers, on every batch.
        `WITH m AS (
           SELECT o.id, x.h, x.t
             FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::uuid[]) AS x(cid, h, t, receiver)
             CROSS JOIN LATERAL (
               SELECT c.id FROM (
                 SELECT id, to_org_id, receive_event_hash FROM custody_transfers WHERE consignment_id = x.cid OFFSET 0
               ) c
                WHERE c.receive_event_hash IS NULL
                ORDER BY c.to_org_id IS NOT DISTINCT FROM x.receiver DESC, c.id DESC LIMIT 1
             ) o
         )
         UPDATE custody_transfers ct SET receive_event_hash = decode(m.h, 'hex'), received_at = m.t
           FROM m WHERE ct.id = m.id AND ct.id = ANY (ARRAY(SELECT id FROM m))`,
        [
          receipts.map((p) => p.consignmentId),
          receipts.map((p) => p.eventHash),
          receipts.map((p) => p.eventTime),
          receipts.map((p) => p.toOrgId),
        ],
      );
    }
    await manager.query(
      `INSERT INTO ledger_outbox (kind, payload, seal) SELECT 'custody', x, s FROM unnest($1::jsonb[], $2::bytea[]) AS t(x, s)`,
      [payloads.map((p) => JSON.stringify(p)), payloads.map((p) => this.outbox.seal('custody', p))],
    );
  }

  /** The events to anchor and the state-map leaves of every identifier they changed, sealed together. */
  async enqueueAnchor(manager: EntityManager, digests: string[], states: StateLeaf[]): Promise<void> {
    if (digests.length === 0) return;
    const payload: AnchorOutboxPayload = { eventHashes: digests, states };
    // clock_timestamp(), not now() (the transaction's start): this is the transaction's last large write, so the
    // entry's time is within milliseconds of the commit, which is where the anchoring lag is measured from.
    await manager.query(
      `INSERT INTO ledger_outbox (kind, payload, seal, event_count, created_at)
       VALUES ('anchor', $1, $2, $3, clock_timestamp())`,
      [JSON.stringify(payload), this.outbox.seal('anchor', payload), digests.length],
    );
  }

  async park(manager: EntityManager, rows: ParkRow[]): Promise<void> {
    for (const row of rows) {
      await manager.query(
        `INSERT INTO parked_documents (payload, headers, source, message_key, event_indexes, waiting_for, reason,
                                       published_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [
          row.payload,
          JSON.stringify(row.headers),
          row.source,
          row.messageKey,
          row.eventIndexes,
          row.waitingFor,
          JSON.stringify(row.reason),
          row.publishedAt,
        ],
      );
    }
  }

  /** The latest statement of each organisation wins; one statement per batch and key (the last one given). */
  async upsertMasterData(manager: EntityManager, rows: MasterDataRow[]): Promise<void> {
    if (rows.length === 0) return;
    const latest = new Map(rows.map((r) => [`${r.vocabularyType}\n${r.id}\n${r.organisationId}`, r]));
    await manager.query(
      `INSERT INTO master_data (vocabulary_type, id, organisation_id, authoritative, attributes, children)
       SELECT r."vocabularyType", r.id, r."organisationId", r.authoritative, r.attributes, r.children
         FROM jsonb_to_recordset($1::jsonb) AS r("vocabularyType" text, id text, "organisationId" uuid,
                                                authoritative boolean, attributes jsonb, children text[])
       ON CONFLICT (vocabulary_type, id, organisation_id) DO UPDATE
          SET authoritative = EXCLUDED.authoritative, attributes = EXCLUDED.attributes,
              children = EXCLUDED.children, updated_at = now()`,
      [JSON.stringify([...latest.values()])],
    );
  }

  async deleteParked(manager: EntityManager, ids: string[]): Promise<void> {
    if (ids.length > 0)
      await manager.query(`DELETE FROM parked_documents WHERE id = ANY($1::bigint[])`, [ids]);
  }

  async updateCaptureJobs(manager: EntityManager, updates: CaptureJobUpdate[]): Promise<void> {
    for (const u of updates) {
      await manager.query(
        `UPDATE capture_jobs SET accepted_count = accepted_count + $2, rejected_count = rejected_count + $3,
                master_data_count = master_data_count + $8, errors = errors || $4::jsonb,
                status = CASE WHEN NOT $5 THEN status
                              WHEN rejected_count + $3 = 0 THEN 'success'
                              WHEN accepted_count + $2 = 0 THEN 'failed'
                              ELSE 'partial' END,
                finished_at = CASE WHEN $5 THEN now() ELSE finished_at END,
                waiting = (SELECT coalesce(jsonb_agg(w), '[]'::jsonb) FROM jsonb_array_elements(waiting || $6::jsonb) w
                            WHERE $7::text IS NULL OR w->>'key' <> $7)
          WHERE id = $1`,
        [
          u.captureId,
          u.accepted,
          u.rejected,
          // jsonb cannot hold U+0000, and an error may quote what the client sent.
          JSON.stringify(u.errors).replace(/\\u0000/g, '\\ufffd'),
          u.finished,
          JSON.stringify(u.waitingAdded ?? []),
          u.waitingSettled ?? null,
          u.masterData ?? 0,
        ],
      );
    }
  }
}
