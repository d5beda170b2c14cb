import { Injectable } from '@nestjs/common';
import { buildEventTree, decodeChainError } from '@pedigree/chain';
import { counter, gauge, histogram } from '@pedigree/common';
import { PedigreeConfig } from '@pedigree/config';
import { LedgerChainService } from '../chain/ledger-chain.service';
import { StateMapService } from '../state-map/state-map.service';
import { LeaderLockService } from '../worker/leader-lock.service';
import { PollingWorker } from '../worker/polling-worker';
import { AnchoringRepository, type BatchRow } from './anchoring.repository';

const anchoredEvents = counter(
  'pedigree_ledger_anchored_events_total',
  'events whose anchor reached the confirmation depth',
);
const anchorBatches = counter('pedigree_ledger_anchor_batches_total', 'anchor batches by outcome', [
  'outcome',
]);
const anchorGas = histogram(
  'pedigree_ledger_anchor_gas_per_event',
  'gas per event of confirmed anchors',
  [10, 25, 50, 100, 250, 1000, 10000],
);
/** Where the anchoring cycle's time goes: it bounds ingest through back-pressure, so it is the number to improve. */
const phaseSeconds = histogram(
  'pedigree_ledger_phase_seconds',
  'time per anchoring phase (lock, state-map, write-anchors, prepare in all with the commit, submit, confirm)',
  [0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5],
  ['phase'],
);
/** Runs `work`, recording its duration under `phase`, whether it succeeds or throws. */
async function timed<T>(phase: string, work: () => Promise<T>): Promise<T> {
  const done = phaseSeconds.startTimer({ phase });
  try {
    return await work();
  } finally {
    done();
  }
}

const pendingAge = gauge(
  'pedigree_ledger_outbox_oldest_pending_ms',
  'age of the oldest event not yet in an anchor batch',
);

/**
 * Anchors every accepted event: outbox → Merkle tree (written as `prepared` with every proof before anything is
 * sent) → `EventAnchor.anchor(root)` → confirmation depth. Each step is recorded, so a crash at any point resumes
 * from the database; the contract refuses a root twice, so nothing is ever anchored twice.
 */
@Injectable()
export class AnchoringService extends PollingWorker {
  /** Submitted batches not yet confirmed beyond which preparation pauses (back-pressure on a slow chain). */
  private static readonly MAX_IN_FLIGHT = 8;

  constructor(
    private readonly config: PedigreeConfig,
    private readonly repository: AnchoringRepository,
    private readonly chain: LedgerChainService,
    private readonly stateMap: StateMapService,
    leader: LeaderLockService,
  ) {
    super();
    this.leader = leader;
  }

  protected get idleDelayMs(): number {
    return this.config.ledgerPollIntervalMs;
  }

  /**
   * Batches prepared by this process and not sent yet. Only these may skip the "did it land before a crash?" chain
   * lookup: anything prepared by an earlier process (which may have sent it and died before recording so) is checked.
   */
  private readonly preparedHere = new Set<string>();

  /**
   * Confirm what was sent, then prepare batches while fewer than the in-flight bound are prepared or submitted, then
   * send them, all in one tick: at full ingest speed one batch per tick left the ledger behind by a minute (each
   * tick waits on several chain round trips). Prepared batches count against the bound too: since the state map,
   * preparing one ingest transaction's entry takes a second or two, and preparing ahead of what can be sent only
   * delayed the sending (a tick spent 20 s preparing 70 batches while 8 went out).
   */
  protected async tick(): Promise<boolean> {
    let confirmed = await this.confirmSubmitted();
    let prepared = 0;
    while (
      this.isRunning &&
      (await this.repository.countIn('prepared', 'submitted')) < AnchoringService.MAX_IN_FLIGHT &&
      (await this.prepareBatch())
    ) {
      prepared++;
      // Send as soon as a batch is ready instead of after the whole round of preparation, and confirm what the
      // chain mined meanwhile: under steady load the round only ends when ingest pauses, and a batch confirmed
      // only after it waited a whole round (several batches' preparation) for nothing.
      await this.submitPrepared();
      confirmed += await this.confirmSubmitted();
    }
    const submitted = await this.submitPrepared();
    pendingAge.set(await this.repository.oldestPendingAgeMs());
    return prepared > 0 || submitted > 0 || confirmed > 0;
  }

  /** Builds one batch from the outbox when it is full or its oldest entry has waited long enough. */
  async prepareBatch(): Promise<boolean> {
    // The state map first, even with nothing due: opening it is what finds a database rolled back behind the chain.
    const before = await this.stateMap.currentRoot();
    if (!(await this.batchDue())) return false;
    try {
      return await timed('prepare', () => this.prepareBatchIn(before));
    } catch (error) {
      this.stateMap.rollback(before);
      throw error;
    }
  }

  /**
   * Whether a batch is due (full, or its oldest entry waited long enough), from the entries' counts alone. The locked
   * read below decides again on what it locked; this only spares it the payloads when nothing is due. Entries that
   * carry no events pass as due, and the locked read settles them.
   */
  private async batchDue(): Promise<boolean> {
    const { events, oldest } = await this.repository.pendingSummary();
    if (!oldest) return false;
    const waited = Date.now() - oldest.getTime() >= this.config.ledgerBatchMaxWaitMs;
    return waited || events >= this.config.ledgerBatchMaxEvents || events === 0;
  }

  private prepareBatchIn(before: string): Promise<boolean> {
    return this.repository.transaction(async (manager) => {
      let phase = phaseSeconds.startTimer({ phase: 'lock' });
      const rows = await this.repository.lockPending(manager, this.config.ledgerBatchMaxEvents);
      phase();
      if (rows.length === 0) return false;
      const taken: typeof rows = [];
      let events = 0;
      for (const row of rows) {
        if (taken.length > 0 && events + row.eventHashes.length > this.config.ledgerBatchMaxEvents) break;
        taken.push(row);
        events += row.eventHashes.length;
      }
      const full = events >= this.config.ledgerBatchMaxEvents || taken.length < rows.length;
      const waited = Date.now() - taken[0].createdAt.getTime() >= this.config.ledgerBatchMaxWaitMs;
      if (!full && !waited) return false;
      const digests = [...new Set(taken.flatMap((r) => r.eventHashes))];
      if (digests.length === 0) {
        await manager.query(
          `UPDATE ledger_outbox SET processed_at = now(), processed_by = 'empty' WHERE id = ANY($1::bigint[])`,
          [taken.map((r) => r.id)],
        );
        return true;
      }
      const entries = [
        ...taken.flatMap((r) => r.states.map((leaf) => ({ key: leaf.epc, leaf }))),
        ...(await this.stateMap.alertEntries(taken.flatMap((r) => (r.alert ? [r.alert] : [])))),
      ];
      phase = phaseSeconds.startTimer({ phase: 'state-map' });
      const stateRoot = entries.length > 0 ? await this.stateMap.apply(manager, entries) : before;
      phase();
      phase = phaseSeconds.startTimer({ phase: 'write-anchors' });
      // One outbox entry covers a whole ingest transaction, which may exceed the batch size: cut it into batches.
      const size = this.config.ledgerBatchMaxEvents;
      for (let start = 0; start < digests.length; start += size) {
        const chunk = digests.slice(start, start + size);
        const tree = buildEventTree(chunk);
        const last = start + size >= digests.length;
        const batchId = await this.repository.insertBatch(
          manager,
          tree.root,
          stateRoot,
          chunk,
          tree.leafIndexes,
          tree.proofs,
          last ? taken.map((r) => r.id) : [],
        );
        this.preparedHere.add(batchId);
        this.logger.debug(`prepared batch ${batchId}: ${chunk.length} events, root ${tree.root}`);
      }
      phase();
      return true;
    });
  }

  async submitPrepared(): Promise<number> {
    return timed('submit', () => this.submitEach());
  }

  private async submitEach(): Promise<number> {
    const batches = await this.repository.batchesIn('prepared', 2 * AnchoringService.MAX_IN_FLIGHT);
    let sent = 0;
    for (const batch of batches) {
      if (!this.isRunning) break;
      const fresh = this.preparedHere.delete(batch.id);
      const landed = fresh ? undefined : await this.findLanded(batch.merkleRoot);
      if (landed) {
        // Sent before a crash and mined since: record it instead of sending again.
        await this.repository.markSubmitted(
          batch.id,
          landed,
          null,
          this.chain.deployment.chainId,
          this.chain.deployment.contracts.EventAnchor,
        );
        sent++;
        continue;
      }
      const anchor = this.chain.contractsAs(this.chain.anchorerIndex).anchor;
      try {
        // The batch's sequence is its id: the contract keeps the highest as the latest state.
        const tx = batch.stateRoot
          ? await anchor.anchorWithState(batch.merkleRoot, batch.eventCount, batch.stateRoot, batch.id)
          : await anchor.anchor(batch.merkleRoot, batch.eventCount);
        await this.repository.markSubmitted(
          batch.id,
          tx.hash,
          tx.nonce,
          this.chain.deployment.chainId,
          this.chain.deployment.contracts.EventAnchor,
        );
        anchorBatches.inc({ outcome: 'submitted' });
        sent++;
      } catch (error) {
        const decoded = decodeChainError(error);
        this.chain.resetNonce(this.chain.anchorerIndex);
        if (decoded.kind === 'revert' && decoded.name === 'EventAnchorRootAlreadyAnchored') continue; // next tick finds it landed
        throw error;
      }
    }
    return sent;
  }

  async confirmSubmitted(): Promise<number> {
    return timed('confirm', () => this.confirmEach());
  }

  private async confirmEach(): Promise<number> {
    const batches = await this.repository.batchesIn('submitted', 1000);
    if (batches.length === 0) return 0;
    const head = await this.chain.provider.getBlockNumber();
    let confirmed = 0;
    for (const batch of batches) {
      const receipt = await this.chain.provider.getTransactionReceipt(batch.txHash!);
      if (!receipt) {
        await this.handleUnmined(batch);
        continue;
      }
      if (receipt.status !== 1) {
        anchorBatches.inc({ outcome: 'reverted' });
        this.logger.warn(`anchor tx ${receipt.hash} of batch ${batch.id} reverted; re-checking the root`);
        await this.repository.markForResubmission(batch.id);
        continue;
      }
      if (head - receipt.blockNumber + 1 < Math.max(1, this.config.chainConfirmations)) continue;
      await this.repository.markConfirmed(
        batch.id,
        receipt.blockNumber,
        receipt.blockHash,
        receipt.gasUsed,
        receipt.hash,
      );
      anchoredEvents.inc(batch.eventCount);
      anchorBatches.inc({ outcome: 'confirmed' });
      anchorGas.observe(Number(receipt.gasUsed) / batch.eventCount);
      confirmed++;
    }
    return confirmed;
  }

  /** A transaction the node no longer knows was dropped (node restart, eviction): send the root again. */
  private async handleUnmined(batch: BatchRow): Promise<void> {
    const age = Date.now() - (batch.submittedAt?.getTime() ?? 0);
    const known = await this.chain.provider.getTransaction(batch.txHash!);
    if (known && age < this.config.ledgerTxTimeoutMs) return;
    const landed = await this.findLanded(batch.merkleRoot);
    if (landed && landed !== batch.txHash) {
      await this.repository.markSubmitted(
        batch.id,
        landed,
        null,
        this.chain.deployment.chainId,
        this.chain.deployment.contracts.EventAnchor,
      );
      return;
    }
    if (!known || age >= this.config.ledgerTxTimeoutMs) {
      this.logger.warn(
        `anchor tx ${batch.txHash} of batch ${batch.id} was dropped or is stuck; re-submitting`,
      );
      anchorBatches.inc({ outcome: 'resubmitted' });
      this.chain.resetNonce(this.chain.anchorerIndex);
      await this.repository.markForResubmission(batch.id);
    }
  }

  /** The transaction that anchored this root, if the chain has one. */
  private async findLanded(root: string): Promise<string | undefined> {
    const anchor = this.chain.readOnly().anchor;
    const record = await anchor.anchorOf(root);
    if (record.blockNumber === 0n) return undefined;
    const logs = await anchor.queryFilter(
      anchor.filters.RootAnchored(root),
      Number(record.blockNumber),
      Number(record.blockNumber),
    );
    return logs[0]?.transactionHash;
  }
}
