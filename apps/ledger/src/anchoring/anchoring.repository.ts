import { Injectable } from '@nestjs/common';
import { OutboxGuardRepository } from '../outbox/outbox-guard.repository';
import { InjectDataSource } from '@nestjs/typeorm';
import type { StateLeaf } from '@pedigree/chain';
import type {
  AlertOutboxPayload,
  AnchorBatchEntity,
  AnchorOutboxPayload,
  ModelOutboxPayload,
} from '@pedigree/database';
import { canonicalJson } from '@pedigree/common';
import { createHash } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';

export interface PendingAnchorRow {
  id: string;
  /** The events to anchor; for an alert entry, the SHA-256 of the entry itself (the transition is anchored). */
  eventHashes: string[];
  states: StateLeaf[];
  alert?: AlertOutboxPayload;
  createdAt: Date;
}

export interface BatchRow {
  id: string;
  merkleRoot: string;
  stateRoot: string | null;
  eventCount: number;
  status: AnchorBatchEntity['status'];
  txHash: string | null;
  nonce: number | null;
  attempts: number;
  submittedAt: Date | null;
}

interface RawBatch {
  id: string;
  merkle_root: Buffer;
  state_root: Buffer | null;
  event_count: number;
  status: AnchorBatchEntity['status'];
  tx_hash: string | null;
  nonce: number | null;
  attempts: number;
  submitted_at: Date | null;
}

function toBatch(row: RawBatch): BatchRow {
  return {
    id: String(row.id),
    merkleRoot: `0x${row.merkle_root.toString('hex')}`,
    stateRoot: row.state_root ? `0x${row.state_root.toString('hex')}` : null,
    eventCount: row.event_count,
    status: row.status,
    txHash: row.tx_hash,
    nonce: row.nonce,
    attempts: row.attempts,
    submittedAt: row.submitted_at,
  };
}

interface LockedRow {
  id: string;
  kind: 'anchor' | 'alert' | 'model';
  payload: AnchorOutboxPayload & AlertOutboxPayload & ModelOutboxPayload;
  seal: Buffer | null;
  created_at: Date;
}

/** What anchors an alert transition: the SHA-256 of its entry (kind and canonical payload), hex. */
export function alertEntryDigest(payload: AlertOutboxPayload): string {
  return createHash('sha256').update('alert\n').update(canonicalJson(payload)).digest('hex');
}

@Injectable()
export class AnchoringRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly guard: OutboxGuardRepository,
  ) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /**
   * What waits to be anchored, without reading a payload: its events (an alert or model entry counts one) and its
   * oldest entry's time. The ledger polls every few hundred milliseconds, and locking the entries only to find the
   * batch neither full nor old enough read (and checked the seal over) megabytes of leaves each time.
   */
  async pendingSummary(): Promise<{ events: number; oldest: Date | null }> {
    const [row]: { events: number; oldest: Date | null }[] = await this.dataSource.query(
      `SELECT coalesce(sum(CASE WHEN kind = 'anchor' THEN event_count ELSE 1 END), 0)::int AS events,
              min(created_at) AS oldest
         FROM ledger_outbox WHERE kind IN ('anchor', 'alert', 'model') AND processed_at IS NULL`,
    );
    return { events: row.events, oldest: row.oldest };
  }

  /**
   * Oldest unanchored outbox entries (events and alert transitions), locked so a second ledger skips them, until
   * they hold more than `maxEvents` events. Read in growing chunks (1, 8, 64, …): since the state map an ingest
   * transaction's entry carries megabytes of leaves and usually fills a batch on its own, and reading a fixed
   * thousand of them took seconds; small entries (a quiet system) still come in a few round trips.
   */
  async lockPending(manager: EntityManager, maxEvents: number): Promise<PendingAnchorRow[]> {
    const out: PendingAnchorRow[] = [];
    let events = 0;
    let after = '0';
    for (let chunk = 1; events <= maxEvents; chunk = Math.min(chunk * 8, 512)) {
      const locked: LockedRow[] = await manager.query(
        `SELECT id, kind, payload, seal, created_at FROM ledger_outbox
          WHERE kind IN ('anchor', 'alert', 'model') AND processed_at IS NULL AND id > $2
          ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [chunk, after],
      );
      if (locked.length === 0) break;
      after = String(locked[locked.length - 1].id);
      for (const row of await this.admit(locked, manager)) {
        out.push(row);
        events += row.eventHashes.length;
      }
    }
    return out;
  }

  /**
   * The rows whose seal holds (the others are refused and reported), as pending anchor work, in id order. An alert
   * transition is anchored as the digest of its entry, a model card as the card's own digest (which an auditor
   * recomputes from the card).
   */
  private async admit(locked: LockedRow[], manager: EntityManager): Promise<PendingAnchorRow[]> {
    const admitted: LockedRow[] = [];
    for (const kind of ['anchor', 'alert', 'model'] as const) {
      admitted.push(
        ...(await this.guard.admit(
          kind,
          locked.filter((r) => r.kind === kind),
          manager,
        )),
      );
    }
    return admitted
      .sort((a, b) => Number(a.id) - Number(b.id))
      .map((r) => ({
        id: String(r.id),
        eventHashes:
          r.kind === 'alert'
            ? [alertEntryDigest(r.payload)]
            : r.kind === 'model'
              ? [r.payload.cardDigest]
              : r.payload.eventHashes,
        states: r.kind === 'anchor' ? (r.payload.states ?? []) : [],
        ...(r.kind === 'alert' ? { alert: r.payload } : {}),
        createdAt: r.created_at,
      }));
  }

  async insertBatch(
    manager: EntityManager,
    root: string,
    stateRoot: string | null,
    digests: string[],
    leafIndexes: number[],
    proofs: string[][],
    outboxIds: string[],
  ): Promise<string> {
    const [batch]: { id: string }[] = await manager.query(
      `INSERT INTO anchor_batches (merkle_root, state_root, event_count, status)
       VALUES (decode($1, 'hex'), decode($3, 'hex'), $2, 'prepared') RETURNING id`,
      [root.replace(/^0x/, ''), digests.length, stateRoot?.replace(/^0x/, '') ?? null],
    );
    const batchId = String(batch.id);
    await manager.query(
      `INSERT INTO event_anchors (event_hash, batch_id, leaf_index, proof)
       SELECT decode(h, 'hex'), $2, i, CASE WHEN p = '' THEN '{}'::text[] ELSE string_to_array(p, ',') END
         FROM unnest($1::text[], $3::int[], $4::text[]) AS t(h, i, p)
       ON CONFLICT (event_hash) DO NOTHING`,
      [digests, batchId, leafIndexes, proofs.map((p) => p.join(','))],
    );
    if (outboxIds.length > 0) {
      await manager.query(
        `UPDATE ledger_outbox SET processed_at = now(), processed_by = $2 WHERE id = ANY($1::bigint[])`,
        [outboxIds, `anchor:${batchId}`],
      );
    }
    return batchId;
  }

  async batchesIn(status: AnchorBatchEntity['status'], limit: number): Promise<BatchRow[]> {
    const rows: RawBatch[] = await this.dataSource.query(
      `SELECT id, merkle_root, state_root, event_count, status, tx_hash, nonce, attempts, submitted_at
         FROM anchor_batches WHERE status = $1 ORDER BY id LIMIT $2`,
      [status, limit],
    );
    return rows.map(toBatch);
  }

  async countIn(...statuses: AnchorBatchEntity['status'][]): Promise<number> {
    const [row]: { n: string }[] = await this.dataSource.query(
      `SELECT count(*) AS n FROM anchor_batches WHERE status = ANY($1::text[])`,
      [statuses],
    );
    return Number(row.n);
  }

  async markSubmitted(
    id: string,
    txHash: string,
    nonce: number | null,
    chainId: number,
    contract: string,
  ): Promise<void> {
    await this.dataSource.query(
      `UPDATE anchor_batches SET status = 'submitted', tx_hash = $2, nonce = $3, chain_id = $4, contract_address = $5,
              submitted_at = now(), attempts = attempts + 1
        WHERE id = $1`,
      [id, txHash, nonce, chainId, contract],
    );
  }

  async markConfirmed(
    id: string,
    blockNumber: number,
    blockHash: string,
    gasUsed: bigint | null,
    txHash: string,
  ): Promise<void> {
    await this.dataSource.query(
      `UPDATE anchor_batches SET status = 'confirmed', block_number = $2, block_hash = $3, gas_used = $4, tx_hash = $5,
              confirmed_at = now()
        WHERE id = $1`,
      [id, blockNumber, blockHash, gasUsed === null ? null : gasUsed.toString(), txHash],
    );
  }

  /** Back to `prepared`: the transaction was dropped or reverted; the same root will be sent again. */
  async markForResubmission(id: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE anchor_batches SET status = 'prepared', tx_hash = NULL, nonce = NULL WHERE id = $1`,
      [id],
    );
  }

  /** Oldest pending outbox entry's age, for the anchoring-lag gauge. */
  async oldestPendingAgeMs(): Promise<number> {
    const [row]: { age: number | null }[] = await this.dataSource.query(
      `SELECT EXTRACT(EPOCH FROM (now() - min(created_at))) * 1000 AS age FROM ledger_outbox
        WHERE kind = 'anchor' AND processed_at IS NULL`,
    );
    return Number(row?.age ?? 0);
  }
}
