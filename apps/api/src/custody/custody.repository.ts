import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { PedigreeConfig } from '@pedigree/config';
import {
  CUSTODY_OUTBOX_MARK,
  type CustodySignatureRequestEntity,
  OutboxSeal,
  type ParticipantOutboxPayload,
} from '@pedigree/database';
import { DataSource } from 'typeorm';

export interface CustodyKeyRow {
  custody_key: 'platform' | 'own';
  chain_address: string | null;
  own_custody_address: string | null;
  chain_status: string;
}

export type SignatureRequestRow = Pick<
  CustodySignatureRequestEntity,
  | 'id'
  | 'action'
  | 'consignmentId'
  | 'consignmentKey'
  | 'eventHash'
  | 'signerAddress'
  | 'recipientAddress'
  | 'sequence'
  | 'signature'
  | 'outcome'
> & { createdAt: string; settled: boolean };

const REQUEST_COLUMNS = `id::text AS "id", action, consignment_id AS "consignmentId", consignment_key AS "consignmentKey",
  event_hash AS "eventHash", signer_address AS "signerAddress", recipient_address AS "recipientAddress",
  sequence::text AS "sequence", signature, outcome, created_at AS "createdAt", settled_at IS NOT NULL AS "settled"`;

@Injectable()
export class CustodyRepository {
  /** Seals the rekey request for the ledger, which refuses outbox entries nobody sealed. */
  private readonly outbox: OutboxSeal;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    config: PedigreeConfig,
  ) {
    this.outbox = new OutboxSeal(config.ledgerOutboxSecret!);
  }

  async key(organisationId: string): Promise<CustodyKeyRow | undefined> {
    const rows: CustodyKeyRow[] = await this.dataSource.query(
      `SELECT custody_key, chain_address, own_custody_address, chain_status FROM organisations WHERE id = $1`,
      [organisationId],
    );
    return rows[0];
  }

  /** Whether another organisation uses this address on chain or has registered it. */
  async addressTaken(organisationId: string, address: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `SELECT 1 FROM organisations WHERE id <> $1 AND (lower(chain_address) = lower($2) OR lower(own_custody_address) = lower($2))`,
      [organisationId, address],
    );
    return rows.length > 0;
  }

  /** Records the organisation's own key and asks the ledger to move its participant there, in one transaction. */
  async registerOwnKey(organisationId: string, address: string): Promise<void> {
    const payload: ParticipantOutboxPayload = { action: 'rekey', organisationId };
    await this.dataSource.transaction(async (manager) => {
      await manager.query(
        `UPDATE organisations SET custody_key = 'own', own_custody_address = $2 WHERE id = $1`,
        [organisationId, address],
      );
      await this.outbox.write(manager, 'participant', payload);
    });
  }

  requests(organisationId: string, open: boolean, limit: number): Promise<SignatureRequestRow[]> {
    return this.dataSource.query(
      `SELECT ${REQUEST_COLUMNS} FROM custody_signature_requests
        WHERE organisation_id = $1 AND ($2::boolean IS FALSE OR settled_at IS NULL)
        ORDER BY id LIMIT $3`,
      [organisationId, open, limit],
    );
  }

  async request(organisationId: string, id: string): Promise<SignatureRequestRow | undefined> {
    const rows: SignatureRequestRow[] = await this.dataSource.query(
      `SELECT ${REQUEST_COLUMNS} FROM custody_signature_requests WHERE organisation_id = $1 AND id = $2`,
      [organisationId, id],
    );
    return rows[0];
  }

  /** Stores the signature and puts the handoff back in the ledger's queue, in one statement. */
  async saveSignature(id: string, signature: string): Promise<void> {
    await this.dataSource.query(
      `WITH signed AS (
         UPDATE custody_signature_requests SET signature = $2, signed_at = now()
          WHERE id = $1 AND settled_at IS NULL RETURNING outbox_id)
       UPDATE ledger_outbox o SET processed_at = NULL, processed_by = NULL
         FROM signed WHERE o.id = signed.outbox_id AND o.processed_by = $3`,
      [id, signature, CUSTODY_OUTBOX_MARK.awaitingSignature],
    );
  }
}
