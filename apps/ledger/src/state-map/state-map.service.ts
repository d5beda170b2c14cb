import { Injectable, Logger } from '@nestjs/common';
import { type AlertsLeaf, alertsKey, type MapEntry, StateMap, StateNodeStore } from '@pedigree/chain';
import type { AlertOutboxPayload } from '@pedigree/database';
import { counter } from '@pedigree/common';
import { PedigreeConfig } from '@pedigree/config';
import type { EntityManager } from 'typeorm';
import { LedgerChainService } from '../chain/ledger-chain.service';
import { StateMapRepository } from './state-map.repository';

const leavesWritten = counter('pedigree_ledger_state_leaves_total', 'state-map leaves written');

/** Error raised when the database cannot be the one whose state the chain committed. */
export class StateHistoryMismatchError extends Error {
  readonly code = 'LEDGER_STATE_MISMATCH';
  readonly retriable = false;
}

/**
 * The ledger's copy of the pack-state map. It applies the leaves ingest sealed into each anchor entry, persists the
 * new trie nodes in the batch's transaction, and hands back the root the batch commits on chain. It starts from the
 * newest root it recorded, and refuses to go on when the chain's latest root is not one of them: the database was
 * rolled back or its batches edited, and anchoring on top would hide that.
 */
@Injectable()
export class StateMapService {
  private readonly logger = new Logger(StateMapService.name);
  private map?: StateMap;

  constructor(
    private readonly config: PedigreeConfig,
    private readonly repository: StateMapRepository,
    private readonly chain: LedgerChainService,
  ) {}

  private async open(): Promise<StateMap> {
    if (this.map) return this.map;
    const root = await this.repository.latestRoot();
    const onChain = (await this.chain.readOnly().anchor.latestState()).root as string;
    if (!/^0x0+$/.test(onChain) && !(await this.repository.hasRoot(onChain))) {
      throw new StateHistoryMismatchError(
        `the chain's latest state root ${onChain} is not among this database's batches: the database was rolled back or edited; anchoring stops`,
      );
    }
    const store = new StateNodeStore(
      (key) => this.repository.node(key),
      this.config.ledgerStateCacheNodes,
      (keys) => this.repository.nodes(keys),
    );
    this.map = await StateMap.open(store, root);
    this.logger.log(`state map opened at ${root ?? 'the empty root'}`);
    return this.map;
  }

  /**
   * Applies leaves within the batch's transaction and returns the new root; if the transaction then fails, call
   * {@link rollback} with the root returned by {@link currentRoot} before.
   */
  async apply(manager: EntityManager, entries: MapEntry[]): Promise<string> {
    const map = await this.open();
    const root = await map.apply(entries);
    await this.repository.saveNodes(manager, map.store.takeWritten());
    leavesWritten.inc(entries.length);
    return root;
  }

  /** Each identifier's alerts after these transitions (in order), from its committed leaf. */
  async alertEntries(transitions: AlertOutboxPayload[]): Promise<MapEntry[]> {
    if (transitions.length === 0) return [];
    const map = await this.open();
    const leaves = new Map<string, AlertsLeaf>();
    for (const { alertId, status, epcs } of transitions) {
      for (const epc of epcs) {
        const key = alertsKey(epc);
        const leaf = leaves.get(key) ??
          (await map.get<AlertsLeaf>(key)) ?? { v: 1, epc, open: [], resolved: [] };
        const open = leaf.open.filter((id) => id !== alertId);
        const resolved = leaf.resolved.filter((id) => id !== alertId);
        (status === 'resolved' ? resolved : open).push(alertId);
        leaves.set(key, { v: 1, epc, open: open.sort(), resolved: resolved.sort() });
      }
    }
    return [...leaves].map(([key, leaf]) => ({ key, leaf }));
  }

  async currentRoot(): Promise<string> {
    return (await this.open()).root;
  }

  /** Back to `root`: the batch that moved the map on was not committed. */
  rollback(root: string): void {
    if (!this.map) return;
    this.map.store.discardWritten();
    this.map.setRoot(root);
  }
}
