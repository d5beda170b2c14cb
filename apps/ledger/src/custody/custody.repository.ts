import { Injectable } from '@nestjs/common';
import { OutboxGuardRepository } from '../outbox/outbox-guard.repository';
import { InjectDataSource } from '@nestjs/typeorm';
import type { CustodyOutboxPayload } from '@pedigree/database';
import { DataSource } from 'typeorm';

export interface CustodyJob {
  outboxId: string;
  payload: CustodyOutboxPayload;
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
}

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
      }[] = await this.dataSource.query(
        `SELECT id, chain_account_index, chain_address, chain_status, active FROM organisations WHERE id = ANY($1::uuid[])`,
        [orgIds],
      );
      for (const o of orgs) {
        accounts.set(o.id, {
          organisationId: o.id,
          accountIndex: o.chain_account_index,
          address: o.chain_address,
          chainStatus: o.chain_status,
          active: o.active,
        });
      }
    }
    return rows.map((r) => {
      const from = r.payload.fromOrgId ? accounts.get(r.payload.fromOrgId) : undefined;
      const to = r.payload.toOrgId ? accounts.get(r.payload.toOrgId) : undefined;
      return {
        outboxId: String(r.id),
        payload: r.payload,
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
    });
  }
}
