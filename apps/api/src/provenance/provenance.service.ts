import { Injectable } from '@nestjs/common';
import { epcUrnToDigitalLink } from '@pedigree/gs1';
import { type Principal, readsEverything } from '../auth/principal';
import { IdentifierResolverService } from '../identifiers/identifier-resolver.service';
import { IdentifierNamesService } from '../master-data/identifier-names.service';
import { consignmentId } from '@pedigree/chain';
import { ChainReaderService } from '../chain/chain-reader.service';
import type { HopCustodyChainDto, ProvenanceHopDto, ProvenanceResponse } from './dto/provenance.response';
import { HopVerifierService, type HopStatus } from './hop-verifier.service';
import { ProvenanceErrorCode, ProvenanceException } from './provenance.exception';
import { type HopRecord, ProvenanceRepository } from './provenance.repository';
import { packVerdict, StateCheckService, toStateDto } from './state-check.service';

/** The chain of custody of one pack, every hop checked against the chain. */
@Injectable()
export class ProvenanceService {
  constructor(
    private readonly repository: ProvenanceRepository,
    private readonly verifier: HopVerifierService,
    private readonly identifiers: IdentifierResolverService,
    private readonly stateCheck: StateCheckService,
    private readonly chain: ChainReaderService,
    private readonly names: IdentifierNamesService,
  ) {}

  async provenance(
    input: string,
    principal: Principal,
    includeEvents = false,
    stateRoot?: string,
  ): Promise<ProvenanceResponse> {
    const epc = await this.identifiers.toEpcUrn(input, 'epc');
    const pack = await this.repository.pack(epc);
    if (!pack) {
      throw new ProvenanceException(
        ProvenanceErrorCode.UNKNOWN_PACK,
        `No pack ${epc} is known: it was never commissioned here.`,
      );
    }
    const steps = await this.repository.history(epc);
    const hops = steps.flatMap((step) => (step.hop ? [step.hop] : []));
    if (!readsEverything(principal)) {
      const involved = await this.repository.custodyParties(epc, hops);
      if (!principal.organisationId || !involved.has(principal.organisationId)) {
        throw new ProvenanceException(
          ProvenanceErrorCode.NOT_A_PARTY,
          'Your organisation has not handled this pack; its history is visible to the organisations in its chain of custody and to regulators. Use /v1/verify to check it.',
        );
      }
    }
    const checked = await Promise.all(
      hops.map(async (hop) =>
        this.toHop(hop, await this.verifier.check(hop), await this.custodyOnChain(hop), includeEvents),
      ),
    );
    const state = await this.stateCheck.check(pack, steps, stateRoot);
    const verdict = packVerdict(
      checked.map((h) => h.check.status as HopStatus),
      state,
    );
    return {
      epc,
      digitalLink: safeDigitalLink(epc),
      gtin: pack.gtin,
      serial: pack.serial,
      lot: pack.lot,
      expiry: pack.expiry,
      status: pack.status,
      custodian: pack.custodian,
      parent: pack.parentEpc,
      verdict,
      hops: checked,
      state: toStateDto(state),
      checkedAt: new Date().toISOString(),
      names: await this.names.namesOf(
        [
          pack.gtin,
          epc,
          pack.custodian,
          ...checked.flatMap((h) => [h.bizLocation, h.custody?.fromParty, h.custody?.toParty]),
        ],
        principal,
      ),
    };
  }

  /** The hop's custody handoff read back from CustodyLedger (null for hops that moved no custody). */
  private async custodyOnChain(hop: HopRecord): Promise<HopCustodyChainDto | null> {
    if (!hop.custody) return null;
    const check = await this.chain.checkCustody({
      action: hop.custody.action,
      consignmentKey: hop.custody.consignmentKey,
      eventHash: hop.eventHash.toString('hex'),
      fromParty: hop.custody.fromParty,
      toParty: hop.custody.toParty,
    });
    if (!check)
      return {
        status: 'unavailable',
        consignmentId: consignmentId(hop.custody.consignmentKey),
        reasons: ['the chain did not answer'],
      };
    return check;
  }

  private toHop(
    hop: HopRecord,
    verified: Awaited<ReturnType<HopVerifierService['check']>>,
    custodyChain: HopCustodyChainDto | null,
    includeEvent: boolean,
  ): ProvenanceHopDto {
    // Custody the chain records for another party than the hop claims is a forged hop, whatever its hash says.
    const check =
      custodyChain?.status === 'mismatch'
        ? {
            ...verified,
            status: 'tampered' as const,
            reasons: [...verified.reasons, ...custodyChain.reasons],
          }
        : verified;
    return {
      eventHash:
        check.recomputedHash && check.hashMatches
          ? check.recomputedHash
          : `sha-256:${hop.eventHash.toString('hex')}`,
      eventId: hop.eventId,
      eventType: hop.eventType,
      action: hop.action,
      bizStep: hop.bizStep,
      disposition: hop.disposition,
      eventTime: hop.eventTime.toISOString(),
      bizLocation: hop.bizLocation,
      via: hop.via,
      flags: hop.flags,
      anchor: hop.anchor && {
        batchId: hop.anchor.batchId,
        merkleRoot: `0x${hop.anchor.merkleRoot.toString('hex')}`,
        leafIndex: hop.anchor.leafIndex,
        proof: hop.anchor.proof,
        status: hop.anchor.status,
        transactionHash: hop.anchor.txHash,
        blockNumber: hop.anchor.blockNumber === null ? null : Number(hop.anchor.blockNumber),
      },
      custody: hop.custody && {
        action: hop.custody.action,
        consignment: hop.custody.consignmentKey,
        fromParty: hop.custody.fromParty,
        toParty: hop.custody.toParty,
        status: hop.custody.status,
        shipTransactionHash: hop.custody.shipTxHash,
        shipBlock: hop.custody.shipBlock === null ? null : Number(hop.custody.shipBlock),
        receiveTransactionHash: hop.custody.receiveTxHash,
        receiveBlock: hop.custody.receiveBlock === null ? null : Number(hop.custody.receiveBlock),
        chainError: hop.custody.chainError,
        chain: custodyChain!,
      },
      check: {
        status: check.status,
        hashMatches: check.hashMatches,
        proofValid: check.proofValid,
        rootOnChain: check.rootOnChain,
        recomputedHash: check.recomputedHash,
        reasons: check.reasons,
      },
      ...(includeEvent ? { event: hop.payload } : {}),
    };
  }
}

function safeDigitalLink(epc: string): string | undefined {
  try {
    return epcUrnToDigitalLink(epc);
  } catch {
    return undefined;
  }
}
