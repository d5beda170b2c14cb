import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { buildEventTree, loadFastKeccak, verifyEventProof } from '@pedigree/chain';
import { computeEventHash, eventHashDigest } from '@pedigree/epcis';
import { PedigreeConfig } from '@pedigree/config';
import { ChainReaderService } from '../chain/chain-reader.service';
import type { HopRecord } from './provenance.repository';

export type HopStatus = 'verified' | 'pending' | 'unanchored' | 'tampered' | 'unverifiable';

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
interface ComputedFacts {
  recomputedHash: string | null;
  hashMatches: boolean;
  hashError?: string;
  proofValid: boolean | null;
}

@Injectable()
export class HopVerifierService implements OnApplicationBootstrap {
  /**
   * Re-hashing an event and walking its Merkle proof cost about a millisecond per hop, which capped verification
   * far below 1,000 requests/s. Both are pure functions of what was read from the database, so their results are
   * memoised under a SHA-256 fingerprint of exactly those bytes (event hash, stored event, proof, root): any edit
   * of a stored row changes the fingerprint and is re-checked from scratch. The chain lookup is never memoised here.
   */
  private readonly memo = new Map<string, ComputedFacts>();
  static readonly MEMO_ENTRIES = 100_000;

  constructor(
    private readonly chain: ChainReaderService,
    private readonly config: PedigreeConfig,
  ) {}

  /**
   * Warms what the first verifications would otherwise pay for while a queue forms behind them: the WebAssembly
   * keccak, the JSON-LD context tables of the event hash, and the chain connection (whose absence is not an error:
   * verification then answers "chain unavailable").
   */
  async onApplicationBootstrap(): Promise<void> {
    await loadFastKeccak();
    const event = {
      type: 'ObjectEvent',
      eventTime: '2026-01-01T00:00:00.000Z',
      eventTimeZoneOffset: '+00:00',
      epcList: ['urn:epc:id:sgtin:4012345.012345.WARMUP'],
      action: 'OBSERVE',
      bizStep: 'shipping',
    };
    const digest = eventHashDigest(
      computeEventHash(event, ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld'] as never),
    );
    const tree = buildEventTree([digest, createHash('sha256').update('warm-up').digest()]);
    verifyEventProof(tree.root, digest, tree.proofs[0]!);
    await this.chain.anchorOf(tree.root);
  }

  private computeFacts(hop: HopRecord): ComputedFacts {
    const anchored = hop.anchor && hop.anchor.status === 'confirmed' ? hop.anchor : undefined;
    const fingerprint = createHash('sha256')
      .update(hop.eventHash)
      .update(hop.payloadText)
      .update(anchored ? `${anchored.merkleRoot.toString('hex')}:${anchored.proof.join(',')}` : '-')
      .digest('base64');
    const known = this.memo.get(fingerprint);
    if (known) return known;
    const facts: ComputedFacts = { recomputedHash: null, hashMatches: false, proofValid: null };
    try {
      const { ['@context']: context, ...event } = JSON.parse(hop.payloadText) as Record<string, unknown>;
      facts.recomputedHash = computeEventHash(event, context as never);
      facts.hashMatches = eventHashDigest(facts.recomputedHash).equals(hop.eventHash);
    } catch (error) {
      facts.hashError = (error as Error).message;
    }
    if (anchored) {
      const root = `0x${anchored.merkleRoot.toString('hex')}`;
      const leaf =
        facts.recomputedHash && facts.hashMatches ? eventHashDigest(facts.recomputedHash) : hop.eventHash;
      facts.proofValid = verifyEventProof(root, leaf, anchored.proof);
    }
    // Oldest first out: a Map iterates in insertion order.
    if (this.memo.size >= HopVerifierService.MEMO_ENTRIES) this.memo.delete(this.memo.keys().next().value!);
    this.memo.set(fingerprint, facts);
    return facts;
  }

  async check(hop: HopRecord): Promise<HopCheck> {
    const reasons: string[] = [];
    const facts = this.computeFacts(hop);
    const { recomputedHash, hashMatches } = facts;
    if (facts.hashError !== undefined) reasons.push(`the stored event cannot be hashed: ${facts.hashError}`);
    else if (!hashMatches) reasons.push('the stored event no longer hashes to its recorded Event Hash ID');

    if (!hop.anchor || hop.anchor.status !== 'confirmed') {
      // Past the deadline, "not yet" is no longer an answer: an event the ledger never anchored (refused, lost, or
      // never accepted by ingest) must not pass as pending forever.
      const late = Date.now() - hop.recordTime.getTime() > this.config.anchorDeadlineSeconds * 1000;
      return {
        status: !hashMatches ? 'tampered' : late ? 'unanchored' : 'pending',
        recomputedHash,
        hashMatches,
        proofValid: null,
        rootOnChain: null,
        anchoredAtBlock: null,
        reasons: !hashMatches
          ? reasons
          : late
            ? [
                `not anchored on-chain ${this.config.anchorDeadlineSeconds} s after it was recorded`,
                ...reasons,
              ]
            : ['not anchored on-chain yet', ...reasons],
      };
    }
    const root = `0x${hop.anchor.merkleRoot.toString('hex')}`;
    const proofValid = facts.proofValid === true;
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
