import { Injectable } from '@nestjs/common';
import { OutboxGuardRepository } from '../outbox/outbox-guard.repository';
import { InjectDataSource } from '@nestjs/typeorm';
import type { OrganisationEntity, ParticipantOutboxPayload } from '@pedigree/database';
import { DataSource } from 'typeorm';

export interface ParticipantJob {
  outboxId: string;
  payload: ParticipantOutboxPayload;
}

@Injectable()
export class ParticipantsRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly guard: OutboxGuardRepository,
  ) {}

  async pendingJobs(limit: number): Promise<ParticipantJob[]> {
    const rows = await this.guard.admit(
      'participant',
      await this.dataSource.query<{ id: string; payload: ParticipantOutboxPayload; seal: Buffer | null }[]>(
        `SELECT id, payload, seal FROM ledger_outbox WHERE kind = 'participant' AND processed_at IS NULL ORDER BY id LIMIT $1`,
        [limit],
      ),
    );
    return rows.map((r) => ({ outboxId: String(r.id), payload: r.payload }));
  }

  async organisation(id: string): Promise<OrganisationEntity | undefined> {
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT id, name, role, company_prefixes, glns, chain_account_index, chain_address, chain_status, active,
              custody_key, own_custody_address
         FROM organisations WHERE id = $1`,
      [id],
    );
    const row = rows[0];
    if (!row) return undefined;
    return {
      id: row.id,
      name: row.name,
      role: row.role,
      companyPrefixes: row.company_prefixes,
      glns: row.glns,
      chainAccountIndex: row.chain_account_index,
      chainAddress: row.chain_address,
      chainStatus: row.chain_status,
      active: row.active,
      custodyKey: row.custody_key,
      ownCustodyAddress: row.own_custody_address,
    } as OrganisationEntity;
  }

  /** Records the outcome and consumes the outbox entry in one transaction. */
  async complete(
    job: ParticipantJob,
    outcome: { address?: string; status?: 'registered' | 'failed'; txHash?: string | null; note: string },
  ): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      if (outcome.status) {
        await manager.query(
          `UPDATE organisations SET chain_address = COALESCE($2, chain_address), chain_status = $3,
                  chain_tx_hash = COALESCE($4, chain_tx_hash)
            WHERE id = $1`,
          [job.payload.organisationId, outcome.address ?? null, outcome.status, outcome.txHash ?? null],
        );
      }
      await manager.query(`UPDATE ledger_outbox SET processed_at = now(), processed_by = $2 WHERE id = $1`, [
        job.outboxId,
        outcome.note,
      ]);
    });
  }
}
