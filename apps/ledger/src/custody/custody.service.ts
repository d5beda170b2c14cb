import { Injectable } from '@nestjs/common';
import { decodeChainError } from '@pedigree/chain';
import { counter } from '@pedigree/common';
import { PedigreeConfig } from '@pedigree/config';
import type { CustodyLedger } from '@pedigree/contracts';
import { LedgerChainService } from '../chain/ledger-chain.service';
import { LeaderLockService } from '../worker/leader-lock.service';
import { PollingWorker } from '../worker/polling-worker';
import { type CustodyJob, CustodyRepository } from './custody.repository';

const handoffs = counter('pedigree_ledger_custody_handoffs_total', 'custody handoffs by action and outcome', [
  'action',
  'outcome',
]);
const ZERO_ADDRESS = '0x0000000000000000000000000000000000000000';

/** Errors that may mean "this very handoff is already on-chain" (a crash after sending, before recording). */
const MAYBE_DONE = new Set([
  'CustodyLedgerInTransit',
  'CustodyLedgerNotCustodian',
  'CustodyLedgerNothingPending',
  'CustodyLedgerNotAddressee',
]);

/**
 * Records custody handoffs on-chain, signed by the organisation concerned: the sender ships, the addressee
 * receives. Consecutive handoffs by one signer go in one batched transaction; one the contract refuses is
 * isolated and recorded as failed with the contract's reason, without holding up the rest.
 */
@Injectable()
export class CustodyService extends PollingWorker {
  constructor(
    private readonly config: PedigreeConfig,
    private readonly repository: CustodyRepository,
    private readonly chain: LedgerChainService,
    leader: LeaderLockService,
  ) {
    super();
    this.leader = leader;
  }

  protected get idleDelayMs(): number {
    return this.config.ledgerPollIntervalMs;
  }

  protected async tick(): Promise<boolean> {
    const jobs = await this.repository.pendingJobs(200);
    if (jobs.length === 0) return false;
    let progressed = false;
    let index = 0;
    while (index < jobs.length && this.isRunning) {
      const first = jobs[index];
      const readiness = this.readiness(first);
      if (readiness === 'wait') break; // keep order: later handoffs of this consignment depend on this one
      if (readiness !== 'ready') {
        await this.repository.recordFailure(first, readiness);
        handoffs.inc({ action: first.payload.action, outcome: 'failed' });
        index++;
        progressed = true;
        continue;
      }
      const group = [first];
      while (index + group.length < jobs.length && group.length < 100) {
        const next = jobs[index + group.length];
        if (
          next.payload.action !== first.payload.action ||
          next.signer?.organisationId !== first.signer?.organisationId
        )
          break;
        if (this.readiness(next) !== 'ready') break;
        group.push(next);
      }
      await this.submitGroup(group);
      index += group.length;
      progressed = true;
    }
    return progressed;
  }

  /** `ready`, `wait` (a party's on-chain registration is still under way), or the reason the handoff cannot be made. */
  private readiness(job: CustodyJob): string {
    if (!job.signer) return job.payload.action === 'ship' ? 'SENDER_NOT_A_MEMBER' : 'RECEIVER_NOT_A_MEMBER';
    if (job.signer.chainStatus === 'pending') return 'wait';
    if (job.signer.chainStatus === 'failed' || !job.signer.address) return 'SIGNER_NOT_REGISTERED_ON_CHAIN';
    if (job.payload.action === 'ship') {
      if (!job.recipient) return 'RECIPIENT_NOT_A_MEMBER';
      if (job.recipient.chainStatus === 'pending') return 'wait';
      if (!job.recipient.address) return 'RECIPIENT_NOT_REGISTERED_ON_CHAIN';
    }
    return 'ready';
  }

  private async submitGroup(group: CustodyJob[]): Promise<void> {
    const signerIndex = group[0].signer!.accountIndex;
    const custody = this.chain.contractsAs(signerIndex).custody;
    const sendable: CustodyJob[] = [];
    if (await this.preflight(custody, group)) {
      sendable.push(...group);
    } else {
      for (const job of group) {
        if (await this.preflight(custody, [job])) {
          sendable.push(job);
          continue;
        }
        const reason = await this.refusalReason(custody, job);
        const done = MAYBE_DONE.has(reason) ? await this.alreadyOnChain(job) : undefined;
        if (done) {
          await this.repository.recordOnChain([job], done.txHash, done.blockNumber);
          handoffs.inc({ action: job.payload.action, outcome: 'recovered' });
        } else {
          this.logger.warn(
            `custody ${job.payload.action} of ${job.payload.consignmentKey} refused on-chain: ${reason}`,
          );
          await this.repository.recordFailure(job, reason);
          handoffs.inc({ action: job.payload.action, outcome: 'refused' });
        }
      }
    }
    if (sendable.length === 0) return;
    try {
      const ids = sendable.map((j) => j.payload.consignmentId);
      const tx =
        sendable[0].payload.action === 'ship'
          ? await custody.recordShipments(
              ids,
              sendable.map((j) => j.recipient!.address!),
            )
          : await custody.recordReceipts(ids);
      const receipt = await tx.wait(1);
      if (!receipt) throw new Error(`custody tx ${tx.hash} has no receipt`);
      await this.repository.recordOnChain(sendable, receipt.hash, receipt.blockNumber);
      handoffs.inc({ action: sendable[0].payload.action, outcome: 'recorded' }, sendable.length);
    } catch (error) {
      this.chain.resetNonce(signerIndex);
      throw error;
    }
  }

  private async preflight(custody: CustodyLedger, jobs: CustodyJob[]): Promise<boolean> {
    try {
      const ids = jobs.map((j) => j.payload.consignmentId);
      if (jobs[0].payload.action === 'ship')
        await custody.recordShipments.staticCall(
          ids,
          jobs.map((j) => j.recipient!.address!),
        );
      else await custody.recordReceipts.staticCall(ids);
      return true;
    } catch (error) {
      if (decodeChainError(error).kind !== 'revert') throw error;
      return false;
    }
  }

  private async refusalReason(custody: CustodyLedger, job: CustodyJob): Promise<string> {
    try {
      if (job.payload.action === 'ship')
        await custody.recordShipment.staticCall(job.payload.consignmentId, job.recipient!.address!);
      else await custody.recordReceipt.staticCall(job.payload.consignmentId);
      return 'UNKNOWN';
    } catch (error) {
      const decoded = decodeChainError(error);
      return decoded.name ?? decoded.message;
    }
  }

  /** When the chain already shows this handoff (sent before a crash), the transaction that did it. */
  private async alreadyOnChain(
    job: CustodyJob,
  ): Promise<{ txHash: string; blockNumber: number } | undefined> {
    const custody = this.chain.readOnly().custody;
    const [custodian, pending] = await custody.custodyOf(job.payload.consignmentId);
    const signer = job.signer!.address!.toLowerCase();
    const done =
      job.payload.action === 'ship'
        ? custodian.toLowerCase() === signer &&
          pending.toLowerCase() === job.recipient!.address!.toLowerCase()
        : custodian.toLowerCase() === signer && pending === ZERO_ADDRESS;
    if (!done) return undefined;
    const filter =
      job.payload.action === 'ship'
        ? custody.filters.ShipmentRecorded(job.payload.consignmentId)
        : custody.filters.ReceiptRecorded(job.payload.consignmentId);
    const logs = await custody.queryFilter(filter, this.chain.deployment.deployedAtBlock);
    const last = logs[logs.length - 1];
    return last ? { txHash: last.transactionHash, blockNumber: last.blockNumber } : undefined;
  }
}
