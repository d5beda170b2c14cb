import { Injectable } from '@nestjs/common';
import { OutboxGuardRepository } from '../outbox/outbox-guard.repository';
import { InjectDataSource } from '@nestjs/typeorm';
import { CUSTODY_OUTBOX_MARK, type CustodyOutboxPayload } from '@pedigree/database';
import { DataSource, type EntityManager } from 'typeorm';

export interface CustodyJob {
  outboxId: string;
  payload: CustodyOutboxPayload;
  /** The signature request of a self-custodied signer, once the ledger made one. */
  request?: { id: string; signature: string | null };
  /** The organisation that must sign: the sender for a shipment, the addressee for a receipt. */
  signer?: ParticipantAccount;
  /** The addressee of a shipment. */
  recipient?: ParticipantAccount;
}

export interface ParticipantAccount {
  organisationId: string;
  accountIndex: number;
  address: string | null;
  chainStatus: 'pending' | 'registered' | 'failed';
  active: boolean;
  /** Who signs its handoffs: the platform's custody keystore, or the organisation itself. */
  custodyKey: 'platform' | 'own';
}

const { awaitingSignature: AWAITING_SIGNATURE, blocked: BLOCKED } = CUSTODY_OUTBOX_MARK;

@Injectable()
export class CustodyRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly guard: OutboxGuardRepository,
  ) {}

  async pendingJobs(limit: number): Promise<CustodyJob[]> {
    const rows = await this.guard.admit(
      'custody',
      await this.dataSource.query<{ id: string; payload: CustodyOutboxPayload; seal: Buffer | null }[]>(
        `SELECT id, payload, seal FROM ledger_outbox WHERE kind = 'custody' AND processed_at IS NULL ORDER BY id LIMIT $1`,
        [limit],
      ),
    );
    const orgIds = [
      ...new Set(
        rows.flatMap((r) => [r.payload.fromOrgId, r.payload.toOrgId]).filter((id): id is string => !!id),
      ),
    ];
    const accounts = new Map<string, ParticipantAccount>();
    if (orgIds.length > 0) {
      const orgs: {
        id: string;
        chain_account_index: number;
        chain_address: string | null;
        chain_status: ParticipantAccount['chainStatus'];
        active: boolean;
        custody_key: ParticipantAccount['custodyKey'];
      }[] = await this.dataSource.query(
        `SELECT id, chain_account_index, chain_address, chain_status, active, custody_key FROM organisations WHERE id = ANY($1::uuid[])`,
        [orgIds],
      );
      for (const o of orgs) {
        accounts.set(o.id, {
          organisationId: o.id,
          accountIndex: o.chain_account_index,
          address: o.chain_address,
          chainStatus: o.chain_status,
          active: o.active,
          custodyKey: o.custody_key,
        });
      }
    }
    const requests = await this.requestsOf(rows.map((r) => String(r.id)));
    return rows.map((r) => {
      const from = r.payload.fromOrgId ? accounts.get(r.payload.fromOrgId) : undefined;
      const to = r.payload.toOrgId ? accounts.get(r.payload.toOrgId) : undefined;
      return {
        outboxId: String(r.id),
        payload: r.payload,
        request: requests.get(String(r.id)),
        signer: r.payload.action === 'ship' ? from : to,
        recipient: r.payload.action === 'ship' ? to : undefined,
      };
    });
  }

  /** Records on-chain handoffs and consumes their outbox entries, atomically. */
  async recordOnChain(jobs: CustodyJob[], txHash: string, blockNumber: number): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      for (const job of jobs) {
        const hash = job.payload.eventHash;
        if (job.payload.action === 'ship') {
          await manager.query(
            `UPDATE custody_transfers SET status = CASE WHEN status = 'received_on_chain' THEN status ELSE 'shipped_on_chain' END,
                    ship_tx_hash = $2, ship_block = $3, chain_error = NULL
              WHERE ship_event_hash = decode($1, 'hex')`,
            [hash, txHash, blockNumber],
          );
        } else {
          await manager.query(
            `UPDATE custody_transfers SET status = 'received_on_chain', receive_tx_hash = $2, receive_block = $3, chain_error = NULL
              WHERE receive_event_hash = decode($1, 'hex')`,
            [hash, txHash, blockNumber],
          );
        }
      }
      await manager.query(
        `UPDATE ledger_outbox SET processed_at = now(), processed_by = $2 WHERE id = ANY($1::bigint[])`,
        [jobs.map((j) => j.outboxId), `custody:${txHash}`],
      );
      await this.settle(manager, jobs, 'recorded');
    });
  }

  /** The chain (or the registry) refused the handoff: keep the reason, consume the entry. */
  async recordFailure(job: CustodyJob, reason: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const column = job.payload.action === 'ship' ? 'ship_event_hash' : 'receive_event_hash';
      await manager.query(
        `UPDATE custody_transfers SET status = 'failed', chain_error = $2 WHERE ${column} = decode($1, 'hex')`,
        [job.payload.eventHash, reason],
      );
      await manager.query(`UPDATE ledger_outbox SET processed_at = now(), processed_by = $2 WHERE id = $1`, [
        job.outboxId,
        `custody-failed:${reason}`,
      ]);
      await this.settle(manager, [job], reason);
    });
  }

  /** Signature requests by outbox entry. */
  private async requestsOf(
    outboxIds: string[],
  ): Promise<Map<string, { id: string; signature: string | null }>> {
    if (outboxIds.length === 0) return new Map();
    const rows: { id: string; outbox_id: string; signature: string | null }[] = await this.dataSource.query(
      `SELECT id, outbox_id, signature FROM custody_signature_requests WHERE outbox_id = ANY($1::bigint[])`,
      [outboxIds],
    );
    return new Map(rows.map((r) => [String(r.outbox_id), { id: String(r.id), signature: r.signature }]));
  }

  /** For each consignment, the outbox entry of its unsettled signature request: later handoffs wait behind it. */
  async openRequests(consignmentIds: string[]): Promise<Map<string, string>> {
    if (consignmentIds.length === 0) return new Map();
    const rows: { consignment_id: string; outbox_id: string }[] = await this.dataSource.query(
      `SELECT consignment_id, outbox_id FROM custody_signature_requests
        WHERE settled_at IS NULL AND consignment_id = ANY($1::text[])`,
      [[...new Set(consignmentIds)]],
    );
    return new Map(rows.map((r) => [r.consignment_id, String(r.outbox_id)]));
  }

  /**
   * Sets a self-custodied member's handoff aside until it signs: a request naming what to sign (the sequence the
   * chain holds now), the transfer shown as awaiting its signature, the outbox entry out of the queue.
   */
  async awaitSignature(job: CustodyJob, sequence: bigint): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.query(
        `INSERT INTO custody_signature_requests (outbox_id, organisation_id, action, consignment_id, consignment_key,
                                                 event_hash, signer_address, recipient_address, sequence)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (outbox_id) DO NOTHING`,
        [
          job.outboxId,
          job.signer!.organisationId,
          job.payload.action,
          job.payload.consignmentId,
          job.payload.consignmentKey,
          job.payload.eventHash,
          job.signer!.address,
          job.recipient?.address ?? null,
          sequence.toString(),
        ],
      );
      const column = job.payload.action === 'ship' ? 'ship_event_hash' : 'receive_event_hash';
      await manager.query(
        `UPDATE custody_transfers SET status = 'awaiting_signature' WHERE ${column} = decode($1, 'hex')`,
        [job.payload.eventHash],
      );
      await manager.query(`UPDATE ledger_outbox SET processed_at = now(), processed_by = $2 WHERE id = $1`, [
        job.outboxId,
        AWAITING_SIGNATURE,
      ]);
    });
  }

  /** A later handoff of a consignment whose earlier one awaits a signature: out of the queue until it settles. */
  async block(job: CustodyJob): Promise<void> {
    await this.dataSource.query(
      `UPDATE ledger_outbox SET processed_at = now(), processed_by = $2 WHERE id = $1`,
      [job.outboxId, BLOCKED],
    );
  }

  /** Settles the signature requests of these jobs and puts the handoffs blocked behind them back in the queue. */
  private async settle(manager: EntityManager, jobs: CustodyJob[], outcome: string): Promise<void> {
    const requested = jobs.filter((j) => j.request);
    if (requested.length === 0) return;
    await manager.query(
      `UPDATE custody_signature_requests SET settled_at = now(), outcome = $2 WHERE outbox_id = ANY($1::bigint[])`,
      [requested.map((j) => j.outboxId), outcome],
    );
    await manager.query(
      `UPDATE ledger_outbox SET processed_at = NULL, processed_by = NULL
        WHERE kind = 'custody' AND processed_by = $2 AND payload->>'consignmentId' = ANY($1::text[])`,
      [requested.map((j) => j.payload.consignmentId), BLOCKED],
    );
  }
}
