import { Injectable } from '@nestjs/common';
import { bytes32Hex, custodyDomain, decodeChainError } from '@pedigree/chain';
import { counter } from '@pedigree/common';
import { PedigreeConfig } from '@pedigree/config';
import type { CustodyLedger, ICustodyLedger } from '@pedigree/contracts';
import { LedgerChainService } from '../chain/ledger-chain.service';
import { LeaderLockService } from '../worker/leader-lock.service';
import { PollingWorker } from '../worker/polling-worker';
import { CustodyKeystoreService } from './custody-keystore.service';
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

type Signed = ICustodyLedger.SignedShipmentStruct | ICustodyLedger.SignedReceiptStruct;
/** `ready`, `wait`, `sign`, or the reason the handoff cannot be made. */
type Readiness = string;

/**
 * Relays custody handoffs to CustodyLedger, each signed (EIP-712) by the party concerned: the sender ships, the
 * addressee receives. The platform's custody keystore signs for members who leave their key with it; a member
 * that registered its own key is asked for its signature, and that consignment's later handoffs wait behind it.
 * The relayer account pays the gas and is no party: the chain checks the signer. Handoffs of one action go up to
 * a hundred to a transaction, each consignment's in order; one the contract refuses is isolated and recorded as
 * failed with the contract's reason, without holding up the rest.
 */
@Injectable()
export class CustodyService extends PollingWorker {
  /** The chain (genesis hash) on which the relayer was last topped up: a new chain starts it with nothing. */
  private relayerFundedOn?: string;

  constructor(
    private readonly config: PedigreeConfig,
    private readonly repository: CustodyRepository,
    private readonly chain: LedgerChainService,
    private readonly keystore: CustodyKeystoreService,
    leader: LeaderLockService,
  ) {
    super();
    this.leader = leader;
  }

  protected get idleDelayMs(): number {
    return this.config.ledgerPollIntervalMs;
  }

  protected async tick(): Promise<boolean> {
    const jobs = await this.repository.pendingJobs(500);
    if (jobs.length === 0) return false;
    const open = await this.repository.openRequests(jobs.map((j) => j.payload.consignmentId));
    // Consignments whose earlier handoff is not on chain yet: their later ones keep their place in the queue.
    const held = new Set<string>();
    const ready: CustodyJob[] = [];
    const readyConsignments = new Set<string>();
    let progressed = false;
    for (const job of jobs) {
      if (!this.isRunning) break;
      const consignment = job.payload.consignmentId;
      const waitingOn = open.get(consignment);
      if (waitingOn !== undefined && waitingOn !== job.outboxId) {
        await this.repository.block(job);
        progressed = true;
        continue;
      }
      if (held.has(consignment)) continue;
      const readiness = this.readiness(job);
      if (readiness === 'wait' || (readiness === 'sign' && readyConsignments.has(consignment))) {
        // A signature request names the chain's sequence: the handoffs before it go first (next tick).
        held.add(consignment);
        continue;
      }
      progressed = true;
      if (readiness === 'sign') {
        await this.requestSignature(job);
        open.set(consignment, job.outboxId);
      } else if (readiness !== 'ready') {
        await this.repository.recordFailure(job, readiness);
        handoffs.inc({ action: job.payload.action, outcome: 'failed' });
      } else {
        ready.push(job);
        readyConsignments.add(consignment);
      }
    }
    await this.relay(ready);
    return progressed;
  }

  /**
   * Relays ready handoffs in waves: each wave holds at most one handoff per consignment (the earliest left), so
   * every consignment keeps its order while shipments and receipts of different consignments share transactions.
   */
  private async relay(ready: CustodyJob[]): Promise<void> {
    let remaining = ready;
    while (remaining.length > 0 && this.isRunning) {
      const seen = new Set<string>();
      const wave: CustodyJob[] = [];
      const later: CustodyJob[] = [];
      for (const job of remaining) {
        const consignment = job.payload.consignmentId;
        (seen.has(consignment) ? later : wave).push(job);
        seen.add(consignment);
      }
      for (const action of ['ship', 'receive'] as const) {
        const same = wave.filter((j) => j.payload.action === action);
        for (let i = 0; i < same.length; i += 100) await this.flush(same.slice(i, i + 100));
      }
      remaining = later;
    }
  }

  /**
   * `ready`; `wait` (a party's on-chain registration is still under way); `sign` (a self-custodied signer has not
   * signed yet); or the reason the handoff cannot be made.
   */
  private readiness(job: CustodyJob): Readiness {
    if (!job.signer) return job.payload.action === 'ship' ? 'SENDER_NOT_A_MEMBER' : 'RECEIVER_NOT_A_MEMBER';
    if (job.signer.chainStatus === 'pending') return 'wait';
    if (job.signer.chainStatus === 'failed' || !job.signer.address) return 'SIGNER_NOT_REGISTERED_ON_CHAIN';
    if (job.payload.action === 'ship') {
      if (!job.recipient) return 'RECIPIENT_NOT_A_MEMBER';
      if (job.recipient.chainStatus === 'pending') return 'wait';
      if (!job.recipient.address) return 'RECIPIENT_NOT_REGISTERED_ON_CHAIN';
    }
    if (job.signer.custodyKey === 'own' && !job.request?.signature) return 'sign';
    return 'ready';
  }

  private async requestSignature(job: CustodyJob): Promise<void> {
    const [sequence] = await this.chain.readOnly().custody.sequencesOf([job.payload.consignmentId]);
    await this.repository.awaitSignature(job, sequence);
    handoffs.inc({ action: job.payload.action, outcome: 'awaiting_signature' });
    this.logger.log(
      `custody ${job.payload.action} of ${job.payload.consignmentKey} awaits its signer's own signature`,
    );
  }

  private async flush(group: CustodyJob[]): Promise<void> {
    if (group.length === 0) return;
    if (this.relayerFundedOn !== this.chain.deployment.genesisHash) {
      await this.chain.ensureFunded(this.chain.relayerIndex);
      this.relayerFundedOn = this.chain.deployment.genesisHash;
    }
    const custody = this.chain.contractsAs(this.chain.relayerIndex).custody;
    const sequences = await custody.sequencesOf(group.map((j) => j.payload.consignmentId));
    const signed = await Promise.all(group.map((job, i) => this.signed(job, sequences[i])));
    const whole = await this.preflight(custody, group[0], signed);
    if (whole.gas !== undefined) return this.send(custody, group, signed, whole.gas);
    const sendable: number[] = [];
    for (const [i, job] of group.entries()) {
      const { reason } = await this.preflight(custody, job, [signed[i]]);
      if (reason === undefined) sendable.push(i);
      else await this.refused(job, reason);
    }
    if (sendable.length === 0) return;
    await this.send(
      custody,
      sendable.map((i) => group[i]),
      sendable.map((i) => signed[i]),
    );
  }

  /** The handoff with its party's signature: the keystore's, or the one the self-custodied member gave. */
  private async signed(job: CustodyJob, sequence: bigint): Promise<Signed> {
    const signature =
      job.signer!.custodyKey === 'own'
        ? job.request!.signature!
        : await this.keystore.sign(job.signer!.accountIndex, custodyDomain(this.chain.deployment), {
            action: job.payload.action,
            consignmentId: job.payload.consignmentId,
            to: job.recipient?.address ?? undefined,
            eventHash: job.payload.eventHash,
            sequence,
          });
    const base = {
      consignmentId: job.payload.consignmentId,
      eventHash: bytes32Hex(job.payload.eventHash),
      signature,
    };
    return job.payload.action === 'ship' ? { ...base, to: job.recipient!.address! } : base;
  }

  /**
   * Sends with the preflight's gas estimate when there is one (plus a fifth: another handoff may land first), so the
   * chain does not run a batch of signature checks a third time to estimate it again.
   */
  private async send(
    custody: CustodyLedger,
    jobs: CustodyJob[],
    signed: Signed[],
    estimate?: bigint,
  ): Promise<void> {
    const overrides = estimate === undefined ? {} : { gasLimit: estimate + estimate / 5n };
    try {
      const tx =
        jobs[0].payload.action === 'ship'
          ? await custody.relayShipments(signed as ICustodyLedger.SignedShipmentStruct[], overrides)
          : await custody.relayReceipts(signed as ICustodyLedger.SignedReceiptStruct[], overrides);
      const receipt = await tx.wait(1);
      if (!receipt) throw new Error(`custody tx ${tx.hash} has no receipt`);
      await this.repository.recordOnChain(jobs, receipt.hash, receipt.blockNumber);
      handoffs.inc({ action: jobs[0].payload.action, outcome: 'recorded' }, jobs.length);
    } catch (error) {
      this.chain.resetNonce(this.chain.relayerIndex);
      this.relayerFundedOn = undefined; // out of gas money is one reason a send fails: look again next time
      throw error;
    }
  }

  private async refused(job: CustodyJob, reason: string): Promise<void> {
    const done = MAYBE_DONE.has(reason) ? await this.alreadyOnChain(job) : undefined;
    if (done) {
      await this.repository.recordOnChain([job], done.txHash, done.blockNumber);
      handoffs.inc({ action: job.payload.action, outcome: 'recovered' });
      return;
    }
    this.logger.warn(
      `custody ${job.payload.action} of ${job.payload.consignmentKey} refused on-chain: ${reason}`,
    );
    await this.repository.recordFailure(job, reason);
    handoffs.inc({ action: job.payload.action, outcome: 'refused' });
  }

  /**
   * Whether the chain would take these handoffs (all of one action): the gas they need, or the reason it would refuse
   * them. Estimating gas runs the call as a simulation does, and its answer is reused by the send.
   */
  private async preflight(
    custody: CustodyLedger,
    first: CustodyJob,
    signed: Signed[],
  ): Promise<{ gas?: bigint; reason?: string }> {
    try {
      const gas =
        first.payload.action === 'ship'
          ? await custody.relayShipments.estimateGas(signed as ICustodyLedger.SignedShipmentStruct[])
          : await custody.relayReceipts.estimateGas(signed as ICustodyLedger.SignedReceiptStruct[]);
      return { gas };
    } catch (error) {
      const decoded = decodeChainError(error, custody.interface);
      if (decoded.kind !== 'revert') throw error;
      return { reason: decoded.name ?? decoded.message };
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
    const eventHash = bytes32Hex(job.payload.eventHash);
    const match = logs.find((log) => log.args.eventHash === eventHash);
    return match ? { txHash: match.transactionHash, blockNumber: match.blockNumber } : undefined;
  }
}
