import { Injectable } from '@nestjs/common';
import { verifyEventProof } from '@pedigree/chain';
import { computeEventHash, eventHashDigest } from '@pedigree/epcis';
import { ChainReaderService } from '../chain/chain-reader.service';
import type { HopRecord } from './provenance.repository';

export type HopStatus = 'verified' | 'pending' | 'tampered' | 'unverifiable';

export interface HopCheck {
  status: HopStatus;
  /** The Event Hash ID recomputed from the stored event. */
  recomputedHash: string | null;
  hashMatches: boolean;
  proofValid: boolean | null;
  rootOnChain: boolean | null;
  anchoredAtBlock: number | null;
  reasons: string[];
}

/**
 * Checks one hop without trusting the database: recompute the event's CBV 2.0 hash from the stored event, check
 * the Merkle proof takes it to the batch root, and check the chain has that root. Editing any stored field, the
 * proof, or the root shows up as `tampered`.
 */
@Injectable()
export class HopVerifierService {
  constructor(private readonly chain: ChainReaderService) {}

  async check(hop: HopRecord): Promise<HopCheck> {
    const reasons: string[] = [];
    let recomputedHash: string | null = null;
    let hashMatches = false;
    try {
      const { ['@context']: context, ...event } = hop.payload;
      recomputedHash = computeEventHash(event, context as never);
      hashMatches = eventHashDigest(recomputedHash).equals(hop.eventHash);
      if (!hashMatches) reasons.push('the stored event no longer hashes to its recorded Event Hash ID');
    } catch (error) {
      reasons.push(`the stored event cannot be hashed: ${(error as Error).message}`);
    }

    if (!hop.anchor || hop.anchor.status !== 'confirmed') {
      return {
        status: hashMatches ? 'pending' : 'tampered',
        recomputedHash,
        hashMatches,
        proofValid: null,
        rootOnChain: null,
        anchoredAtBlock: null,
        reasons: hashMatches ? ['not anchored on-chain yet', ...reasons] : reasons,
      };
    }
    const root = `0x${hop.anchor.merkleRoot.toString('hex')}`;
    const leaf = recomputedHash && hashMatches ? eventHashDigest(recomputedHash) : hop.eventHash;
    const proofValid = verifyEventProof(root, leaf, hop.anchor.proof);
    if (!proofValid) reasons.push('the Merkle proof does not take this event to the anchored root');
    const lookup = await this.chain.anchorOf(root);
    if (lookup.status === 'unavailable') {
      return {
        status: hashMatches && proofValid ? 'unverifiable' : 'tampered',
        recomputedHash,
        hashMatches,
        proofValid,
        rootOnChain: null,
        anchoredAtBlock: null,
        reasons: [...reasons, `chain unavailable: ${lookup.reason}`],
      };
    }
    const rootOnChain = lookup.status === 'found';
    if (!rootOnChain) reasons.push('the batch root is not on the chain');
    const ok = hashMatches && proofValid && rootOnChain;
    return {
      status: ok ? 'verified' : 'tampered',
      recomputedHash,
      hashMatches,
      proofValid,
      rootOnChain,
      anchoredAtBlock: lookup.status === 'found' ? lookup.anchor.blockNumber : null,
      reasons,
    };
  }
}
