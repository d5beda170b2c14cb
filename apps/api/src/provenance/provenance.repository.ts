import type { NormalisedEvent } from '@pedigree/epcis';
import { classifyStep } from '@pedigree/supply-chain';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type PackStatus, preparedQuery } from '@pedigree/database';
import { DataSource } from 'typeorm';

export interface PackRecord {
  epc: string;
  kind: string;
  gtin: string | null;
  serial: string | null;
  lot: string | null;
  expiry: string | null;
  status: PackStatus;
  custodian: string | null;
  ownerOrgId: string | null;
  parentEpc: string | null;
  shippedTo: string | null;
  historyCount: number;
  historyHead: Buffer | null;
  flagged: number;
}

export interface HopRecord {
  eventHash: Buffer;
  eventId: string | null;
  eventType: string;
  action: string | null;
  bizStep: string | null;
  disposition: string | null;
  eventTime: Date;
  bizLocation: string | null;
  readPoint: string | null;
  /** The stored event exactly as PostgreSQL renders it; hashing and memo keys work from these bytes. */
  payloadText: string;
  /** The stored event, parsed on first use (most verifications never need the object). */
  readonly payload: Record<string, unknown>;
  flags: { code: string; detail: string; epcs?: string[] }[];
  publisherOrgId: string | null;
  /** When Pedigree stored the event: the anchoring deadline runs from here. */
  recordTime: Date;
  /** The container through which the pack took part, when the event names the container, not the pack. */
  via: string | null;
  anchor: {
    batchId: string;
    leafIndex: number;
    proof: string[];
    merkleRoot: Buffer;
    status: string;
    txHash: string | null;
    blockNumber: string | null;
  } | null;
  custody: {
    /** Whether this hop's event is the transfer's shipment (else its receipt). */
    action: 'ship' | 'receive';
    consignmentKey: string;
    fromParty: string | null;
    toParty: string | null;
    status: string;
    shipTxHash: string | null;
    shipBlock: string | null;
    receiveTxHash: string | null;
    receiveBlock: string | null;
    chainError: string | null;
  } | null;
}

@Injectable()
export class ProvenanceRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async pack(epc: string): Promise<PackRecord | undefined> {
    const rows = await preparedQuery<Record<string, unknown>>(
      this.dataSource,
      'provenance-pack',
      `SELECT ${PACK_COLUMNS} FROM packs WHERE epc = $1`,
      [epc],
    );
    return rows[0] && toPackRecord(rows[0]);
  }

  /** The pack's history, step by step, with each step's event, anchor and custody records. */
  async history(epc: string): Promise<HistoryStep[]> {
    const rows = await preparedQuery<Record<string, unknown>>(
      this.dataSource,
      'provenance-history',
      historySql('$1'),
      [epc],
    );
    return rows.map(toHistoryStep);
  }

  /**
   * Read access follows custody: the members that held the pack (the publishers of the events that moved it, which
   * only its holder, addressee, manufacturer or a regulator may publish) and the one holding it now. Observing a
   * pack, or reporting it as evidence (a flagged event), grants nothing.
   */
  async custodyParties(epc: string, hops: HopRecord[]): Promise<Set<string>> {
    const ids = new Set<string>();
    for (const hop of hops) {
      if (!hop.publisherOrgId || hop.flags.length > 0) continue;
      const step = classifyStep({
        type: hop.eventType,
        action: hop.action ?? undefined,
        bizStep: hop.bizStep ?? undefined,
        disposition: hop.disposition ?? undefined,
      } as NormalisedEvent);
      if (step !== 'observe') ids.add(hop.publisherOrgId);
    }
    const pack = await this.pack(epc);
    if (pack?.ownerOrgId) ids.add(pack.ownerOrgId);
    return ids;
  }
}

/**
 * A pack's history as ingest recorded it (pack_history, in the order applied), each step with its stored event,
 * anchor and custody records. The event is joined, not required: a step whose event row is gone still shows, so
 * the walk of the history finds the gap. `epc` is a parameter or a column of an enclosing query.
 */
export function historySql(epc: string): string {
  return `SELECT DISTINCT ON (h.seq) h.seq, h.event_hash AS step_hash, ${HOP_COLUMNS}
         FROM pack_history h
         LEFT JOIN epcis_events e ON e.event_hash = h.event_hash
         -- LATERAL: a pack has ~10 hops, so their batches are looked up by key; a plain join hashed the whole
         -- anchor_batches table on every request (1,000+ rows at a million events).
         LEFT JOIN LATERAL (
           SELECT ea.batch_id, ea.leaf_index, ea.proof, b.merkle_root, b.status, b.tx_hash, b.block_number
             FROM event_anchors ea JOIN anchor_batches b ON b.id = ea.batch_id
            WHERE ea.event_hash = e.event_hash
         ) ea ON true
         LEFT JOIN custody_transfers ct ON ct.ship_event_hash = e.event_hash OR ct.receive_event_hash = e.event_hash
        WHERE h.epc = ${epc}
        ORDER BY h.seq`;
}

/** Everything a hop check needs; `via` is the container an event named when it did not name the pack. */
export const HOP_COLUMNS = `e.event_hash, e.event_id, e.event_type, e.action, e.biz_step, e.disposition, e.event_time, e.biz_location,
              e.read_point, e.payload::text AS payload_text, e.flags, e.publisher_org_id,
              CASE WHEN e.epcs @> ARRAY[h.epc] THEN NULL ELSE e.epcs[1] END AS via,
              ea.batch_id, ea.leaf_index, array_to_string(ea.proof, ',') AS proof_text, ea.merkle_root, ea.status AS anchor_status, ea.tx_hash, ea.block_number,
              ct.consignment_key, ct.from_party, ct.to_party, ct.status AS custody_status, ct.ship_tx_hash, ct.ship_block,
              ct.receive_tx_hash, ct.receive_block, ct.chain_error, ct.ship_event_hash = e.event_hash AS custody_is_ship,
              e.record_time`;

/** One step of a pack's history: the event recorded there, and the stored event if it is still there. */
export interface HistoryStep {
  seq: number;
  eventHash: Buffer;
  hop: HopRecord | null;
}

export function toHistoryStep(r: Record<string, unknown>): HistoryStep {
  return {
    seq: r.seq as number,
    eventHash: r.step_hash as Buffer,
    hop: r.event_hash === null ? null : toHopRecord(r),
  };
}

/** The pack columns every reader of a pack selects (the state check compares all of them with the chain). */
export const PACK_COLUMNS = `epc, kind, gtin, serial, lot, to_char(expiry, 'YYYY-MM-DD') AS expiry, status, custodian,
              owner_org_id, parent_epc, shipped_to, history_count, history_head, flagged`;

export function toPackRecord(r: Record<string, unknown>): PackRecord {
  return {
    epc: r.epc as string,
    kind: r.kind as string,
    gtin: r.gtin as string | null,
    serial: r.serial as string | null,
    lot: r.lot as string | null,
    expiry: r.expiry as string | null,
    status: r.status as PackStatus,
    custodian: r.custodian as string | null,
    ownerOrgId: r.owner_org_id as string | null,
    parentEpc: r.parent_epc as string | null,
    shippedTo: r.shipped_to as string | null,
    historyCount: r.history_count as number,
    historyHead: r.history_head as Buffer | null,
    flagged: r.flagged as number,
  };
}

/**
 * Maps a row of HOP_COLUMNS. The event comes as text and the proof as one comma-joined string: parsing JSONB and
 * text[] for every hop of every request was a quarter of a verification's CPU, and a memo hit needs neither.
 */
export function toHopRecord(r: Record<string, unknown>): HopRecord {
  const payloadText = r.payload_text as string;
  let parsed: Record<string, unknown> | undefined;
  const proofText = r.proof_text as string | null;
  return {
    eventHash: r.event_hash as Buffer,
    eventId: r.event_id as string | null,
    eventType: r.event_type as string,
    action: r.action as string | null,
    bizStep: r.biz_step as string | null,
    disposition: r.disposition as string | null,
    eventTime: r.event_time as Date,
    bizLocation: r.biz_location as string | null,
    readPoint: r.read_point as string | null,
    payloadText,
    get payload() {
      return (parsed ??= JSON.parse(payloadText) as Record<string, unknown>);
    },
    flags: r.flags as HopRecord['flags'],
    publisherOrgId: r.publisher_org_id as string | null,
    recordTime: r.record_time as Date,
    via: r.via as string | null,
    anchor:
      r.batch_id === null
        ? null
        : {
            batchId: String(r.batch_id as string | number),
            leafIndex: r.leaf_index as number,
            proof: proofText ? proofText.split(',') : [],
            merkleRoot: r.merkle_root as Buffer,
            status: r.anchor_status as string,
            txHash: r.tx_hash as string | null,
            blockNumber: r.block_number === null ? null : String(r.block_number as string | number),
          },
    custody:
      r.consignment_key === null
        ? null
        : {
            action: r.custody_is_ship ? 'ship' : 'receive',
            consignmentKey: r.consignment_key as string,
            fromParty: r.from_party as string | null,
            toParty: r.to_party as string | null,
            status: r.custody_status as string,
            shipTxHash: r.ship_tx_hash as string | null,
            shipBlock: r.ship_block === null ? null : String(r.ship_block as string | number),
            receiveTxHash: r.receive_tx_hash as string | null,
            receiveBlock: r.receive_block === null ? null : String(r.receive_block as string | number),
            chainError: r.chain_error as string | null,
          },
  };
}
