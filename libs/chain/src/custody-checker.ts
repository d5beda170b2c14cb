import type { CustodyLedger, ParticipantRegistry } from '@pedigree/contracts';
import { glnOfLocationOrParty } from '@pedigree/gs1';
import { ZeroAddress } from 'ethers';
import { consignmentId, identifierHash } from './chain-identifiers';
import { bytes32Hex } from './custody-typed-data';

/** A custody handoff as a provenance answer claims it. */
export interface CustodyClaim {
  action: 'ship' | 'receive';
  consignmentKey: string;
  /** The EPCIS event's Event Hash ID digest (hex, with or without 0x). */
  eventHash: string;
  fromParty: string | null;
  toParty: string | null;
}

export interface CustodyCheck {
  /**
   * `confirmed`: CustodyLedger holds this handoff for this very event, signed by the participant that owns the
   * claimed party's GLN; `mismatch`: it holds the handoff but signed by or for somebody else; `not_on_chain`: it
   * holds no handoff for this event.
   */
  status: 'confirmed' | 'mismatch' | 'not_on_chain';
  consignmentId: string;
  from?: string;
  to?: string;
  sequence?: number;
  transactionHash?: string;
  blockNumber?: number;
  reasons: string[];
}

/**
 * Checks claimed custody handoffs against CustodyLedger's events and the registry's GLN bindings, reading the
 * chain only. The API's provenance answers and `pedigree audit` (over the auditor's own RPC) both use it.
 */
export class CustodyChecker {
  /** A confirmed claim stays confirmed: chain events are final, and the key holds every claimed fact. */
  private readonly confirmed = new Map<string, CustodyCheck>();

  constructor(
    private readonly custody: CustodyLedger,
    private readonly registry: ParticipantRegistry,
    private readonly fromBlock = 0,
  ) {}

  async check(claim: CustodyClaim): Promise<CustodyCheck> {
    const id = consignmentId(claim.consignmentKey);
    const eventHash = bytes32Hex(claim.eventHash);
    const cacheKey = `${claim.action}:${id}:${eventHash}:${claim.fromParty}:${claim.toParty}`;
    const cached = this.confirmed.get(cacheKey);
    if (cached) return cached;
    const filter =
      claim.action === 'ship'
        ? this.custody.filters.ShipmentRecorded(id)
        : this.custody.filters.ReceiptRecorded(id);
    const logs = await this.custody.queryFilter(filter, this.fromBlock);
    const log = logs.find((l) => l.args.eventHash === eventHash);
    if (!log)
      return {
        status: 'not_on_chain',
        consignmentId: id,
        reasons: [`CustodyLedger holds no ${claim.action} of ${claim.consignmentKey} for event ${eventHash}`],
      };
    const reasons = [
      ...(await this.sideReasons('sender', claim.fromParty, log.args.from)),
      ...(await this.sideReasons('addressee', claim.toParty, log.args.to)),
    ];
    const result: CustodyCheck = {
      status: reasons.length > 0 ? 'mismatch' : 'confirmed',
      consignmentId: id,
      from: log.args.from,
      to: log.args.to,
      sequence: Number(log.args.sequence),
      transactionHash: log.transactionHash,
      blockNumber: log.blockNumber,
      reasons,
    };
    if (result.status === 'confirmed') {
      if (this.confirmed.size >= 10_000) this.confirmed.clear();
      this.confirmed.set(cacheKey, result);
    }
    return result;
  }

  /** Whether the chain's party for one side is the participant the registry binds to the claimed party's GLN. */
  private async sideReasons(side: string, party: string | null, onChain: string): Promise<string[]> {
    // Transfers name parties as ingest resolved them: a bare GLN, or an SGLN/PGLN URN or Digital Link.
    const gln = party && /^\d{13}$/.test(party) ? party : party ? glnOfLocationOrParty(party) : undefined;
    if (!gln) return [];
    const owner = await this.registry.identifierOwner(identifierHash('gln', gln));
    if (owner === ZeroAddress || owner.toLowerCase() === onChain.toLowerCase()) return [];
    return [`the ${side} on chain is ${onChain}, but GLN ${gln} (${party}) belongs to participant ${owner}`];
  }
}
