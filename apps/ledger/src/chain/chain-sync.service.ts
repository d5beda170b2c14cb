import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { gauge } from '@pedigree/common';
import type { OutboxKind } from '@pedigree/database';
import { DataSource, type EntityManager } from 'typeorm';
import { OutboxGuardRepository } from '../outbox/outbox-guard.repository';
import { LeaderLockService } from '../worker/leader-lock.service';
import { PollingWorker } from '../worker/polling-worker';
import { LedgerChainService } from './ledger-chain.service';

const chainReachable = gauge(
  'pedigree_ledger_chain_reachable',
  '1 when the chain node answers and matches the deployment',
);

/**
 * Notices when the chain under the ledger is not the one its records are on: a development chain restarted empty
 * (Hardhat keeps no state), or a consortium moving to a new network. PostgreSQL stays the system of record, so the
 * ledger replays onto the new chain everything the old one held: participants, every anchor (the same Merkle roots),
 * every custody handoff in its original order. Each is recorded once on the new chain.
 */
@Injectable()
export class ChainSyncService extends PollingWorker {
  constructor(
    private readonly chain: LedgerChainService,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly guard: OutboxGuardRepository,
    leader: LeaderLockService,
  ) {
    super();
    this.leader = leader;
  }

  protected get idleDelayMs(): number {
    return 2000;
  }

  protected async tick(): Promise<boolean> {
    this.chain.reloadDeploymentIfChanged();
    const state = await this.chain.checkChain();
    chainReachable.set(state.reachable && state.sameChain ? 1 : 0);
    if (!state.reachable) return false;
    if (!state.sameChain) {
      this.logger.warn(
        'the chain node is not the chain of the deployment file (was it reset?): deploy the contracts (npm run chain:deploy)',
      );
      return false;
    }
    const rows: { value: { genesisHash: string } }[] = await this.dataSource.query(
      `SELECT value FROM chain_state WHERE key = 'chain'`,
    );
    const recorded = rows[0]?.value.genesisHash;
    if (recorded === this.chain.deployment.genesisHash) return false;
    if (recorded === undefined) {
      await this.recordChain();
      return false;
    }
    await this.replayOntoNewChain(recorded);
    return true;
  }

  private async recordChain(): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO chain_state (key, value) VALUES ('chain', $1) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
      [
        JSON.stringify({
          genesisHash: this.chain.deployment.genesisHash,
          chainId: this.chain.deployment.chainId,
          contracts: this.chain.deployment.contracts,
        }),
      ],
    );
  }

  private async replayOntoNewChain(previousGenesis: string): Promise<void> {
    this.logger.warn(
      `chain changed (genesis ${previousGenesis.slice(0, 10)}… → ${this.chain.deployment.genesisHash.slice(0, 10)}…): replaying the ledger onto it`,
    );
    await this.dataSource.transaction(async (manager) => {
      // Work queued for the old chain is superseded by the full replay below.
      await manager.query(
        `UPDATE ledger_outbox SET processed_at = now(), processed_by = 'superseded:chain-replay'
          WHERE processed_at IS NULL AND kind IN ('participant', 'custody')`,
      );
      await manager.query(`UPDATE organisations SET chain_status = 'pending', chain_tx_hash = NULL`);
      // Signatures were for the old chain's contract (the EIP-712 domain names it): every handoff is asked again.
      await manager.query(
        `UPDATE custody_signature_requests SET settled_at = now(), outcome = 'superseded:chain-replay'
          WHERE settled_at IS NULL`,
      );
      await manager.query(
        `INSERT INTO ledger_outbox (kind, payload)
         SELECT 'participant', jsonb_build_object('action', 'register', 'organisationId', id) FROM organisations ORDER BY created_at, id`,
      );
      await manager.query(
        `INSERT INTO ledger_outbox (kind, payload)
         SELECT 'participant', jsonb_build_object('action', 'deactivate', 'organisationId', id) FROM organisations WHERE NOT active`,
      );
      await manager.query(
        `UPDATE anchor_batches SET status = 'prepared', tx_hash = NULL, nonce = NULL, block_number = NULL, block_hash = NULL,
                gas_used = NULL, submitted_at = NULL, confirmed_at = NULL`,
      );
      await manager.query(
        `UPDATE custody_transfers SET status = 'pending', ship_tx_hash = NULL, ship_block = NULL, receive_tx_hash = NULL,
                receive_block = NULL, chain_error = NULL`,
      );
      // Handoffs again in their original order: each shipment, then (if it happened) its receipt.
      await manager.query(
        `INSERT INTO ledger_outbox (kind, payload)
         SELECT 'custody', payload FROM (
           SELECT id, 0 AS step, jsonb_build_object('action', 'ship', 'consignmentId', consignment_id, 'consignmentKey', consignment_key,
                    'fromParty', from_party, 'toParty', to_party, 'fromOrgId', from_org_id, 'toOrgId', to_org_id,
                    'eventHash', encode(ship_event_hash, 'hex'), 'eventTime', shipped_at) AS payload
             FROM custody_transfers
           UNION ALL
           SELECT id, 1, jsonb_build_object('action', 'receive', 'consignmentId', consignment_id, 'consignmentKey', consignment_key,
                    'fromParty', from_party, 'toParty', to_party, 'fromOrgId', from_org_id, 'toOrgId', to_org_id,
                    'eventHash', encode(receive_event_hash, 'hex'), 'eventTime', received_at)
             FROM custody_transfers WHERE receive_event_hash IS NOT NULL
         ) AS handoffs ORDER BY id, step`,
      );
      await this.sealReplayed(manager);
    });
    await this.recordChain();
  }

  /** The entries just re-queued are the ledger's own work: it seals them, as the services seal theirs. */
  private async sealReplayed(manager: EntityManager): Promise<void> {
    const rows: { id: string; kind: OutboxKind; payload: unknown }[] = await manager.query(
      // Only rows this very transaction inserted: never a row someone else left unsealed.
      `SELECT id, kind, payload FROM ledger_outbox WHERE xmin = pg_current_xact_id()::xid AND seal IS NULL`,
    );
    if (rows.length === 0) return;
    await manager.query(
      `UPDATE ledger_outbox o SET seal = x.seal FROM unnest($1::bigint[], $2::bytea[]) AS x(id, seal) WHERE o.id = x.id`,
      [rows.map((r) => r.id), rows.map((r) => this.guard.seal(r.kind, r.payload))],
    );
  }
}
