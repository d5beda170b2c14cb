import { Injectable } from '@nestjs/common';
import {
  type AlertsLeaf,
  alertsKey,
  EMPTY_HISTORY_HEAD,
  nextHistoryHead,
  StateMap,
  StateNodeStore,
  type StateLeaf,
  stateLeafDifferences,
  type StateProof,
} from '@pedigree/chain';
import { PedigreeConfig } from '@pedigree/config';
import { stateLeafOf } from '@pedigree/supply-chain';
import { ChainReaderService, type StateLookup } from '../chain/chain-reader.service';
import type { StateCheckDto } from './dto/provenance.response';
import type { HopStatus } from './hop-verifier.service';
import type { HistoryStep, PackRecord } from './provenance.repository';
import { StateNodeRepository } from './state-node.repository';

export type StateStatus = 'verified' | 'pending' | 'unanchored' | 'tampered' | 'absent' | 'unverifiable';

export interface StateCheck {
  status: StateStatus;
  reasons: string[];
  /** The chain's latest state root (read from the contract, never from the database) and its block. */
  stateRoot: string | null;
  committedAtBlock: number | null;
  /** The leaf the chain commits for the pack, and its proof against `stateRoot`. */
  committed: StateLeaf | null;
  proof: StateProof | null;
  /** Steps of the history the committed leaf covers (the rest are newer than the latest commit). */
  committedSteps: number;
  /** The pack's alerts as committed (open and resolved ids), with their proof; null when nothing could be read. */
  alerts: { committed: AlertsLeaf | null; proof: StateProof<AlertsLeaf> } | null;
}

/**
 * Whether the pack is suspect: an open alert (committed, or in the database and not committed yet), or a flagged
 * event in its history with no resolution committed on chain. A resolution only counts once committed: one written
 * into the database by hand clears nothing. When the chain cannot be read, the database's counts stand in (the
 * answer is then "chain unavailable" anyway).
 */
export function isSuspect(
  pack: Pick<PackRecord, 'flagged'>,
  database: { openAlerts: number; resolvedAlerts: number },
  state: StateCheck | undefined,
): boolean {
  const committed = state?.alerts ? (state.alerts.committed ?? { open: [], resolved: [] }) : undefined;
  const open = Math.max(database.openAlerts, committed?.open.length ?? 0);
  const resolved = committed ? committed.resolved.length : database.resolvedAlerts;
  return open > 0 || (pack.flagged > 0 && resolved === 0);
}

/**
 * Checks a pack's rows against the chain's latest state commitment: the pack's leaf, proven against the root read
 * from EventAnchor.latestState(), must equal what the database says, and the history the database shows must walk
 * to the head the leaf commits. Rows the chain has not caught up with yet are `pending` until the anchoring
 * deadline, then `unanchored`; anything else that differs is `tampered`; a pack the map does not hold is `absent`.
 */
@Injectable()
export class StateCheckService {
  private map?: Promise<StateMap>;
  /** Proofs by root and identifier: a node store is content-addressed, so a proof at a root never changes. */
  private readonly proofs = new Map<string, StateProof<StateLeaf | AlertsLeaf>>();
  static readonly PROOF_ENTRIES = 100_000;

  constructor(
    private readonly chain: ChainReaderService,
    private readonly nodes: StateNodeRepository,
    private readonly config: PedigreeConfig,
  ) {}

  /**
   * Checks against the chain's latest state, or against `atRoot` when an auditor asks for proofs against the root it
   * read from the chain itself (the latest moves every few seconds; the auditor, not this service, vouches for it).
   */
  async check(pack: PackRecord, steps: HistoryStep[], atRoot?: string): Promise<StateCheck> {
    const base = {
      stateRoot: null,
      committedAtBlock: null,
      committed: null,
      proof: null,
      committedSteps: 0,
      alerts: null,
    };
    const walk = this.walk(pack, steps);
    const lookup: StateLookup = atRoot
      ? { status: 'found', state: { root: atRoot.toLowerCase(), sequence: 0, blockNumber: 0 } }
      : await this.chain.latestState();
    if (lookup.status === 'unavailable')
      return { ...base, status: 'unverifiable', reasons: [`chain unavailable: ${lookup.reason}`] };
    const state = lookup.state;
    let proof: StateProof | null = null;
    let alerts: StateCheck['alerts'] = null;
    if (state) {
      try {
        let alertsProof: StateProof<AlertsLeaf>;
        [proof, alertsProof] = await Promise.all([
          this.prove<StateLeaf>(pack.epc, state.root),
          this.prove<AlertsLeaf>(alertsKey(pack.epc), state.root),
        ]);
        alerts = { committed: alertsProof.leaf, proof: alertsProof };
      } catch (error) {
        return {
          ...base,
          stateRoot: state.root,
          committedAtBlock: state.blockNumber,
          status: 'tampered',
          reasons: [
            `the state map's nodes in the database cannot prove this pack: ${(error as Error).message}`,
          ],
        };
      }
    }
    const found = {
      ...base,
      stateRoot: state?.root ?? null,
      committedAtBlock: atRoot ? null : (state?.blockNumber ?? null),
      proof,
      alerts,
    };
    const leaf = proof?.leaf ?? null;
    if (!leaf) {
      return { ...found, status: 'absent', reasons: [`the chain's latest state holds no ${pack.epc}`] };
    }
    return {
      ...found,
      committed: leaf,
      committedSteps: Math.min(leaf.count, steps.length),
      ...this.compare(pack, steps, walk, leaf),
    };
  }

  /** The database's history walked step by step: heads[i] is the head after i steps. */
  private walk(pack: PackRecord, steps: HistoryStep[]): { heads: Buffer[]; gaps: string[] } {
    const heads = [EMPTY_HISTORY_HEAD];
    const gaps: string[] = [];
    steps.forEach((step, i) => {
      if (step.seq !== i + 1) gaps.push(`step ${i + 1} of the history is missing (found step ${step.seq})`);
      if (!step.hop) gaps.push(`the event of step ${step.seq} is missing from the database`);
      heads.push(nextHistoryHead(heads[i], step.eventHash));
    });
    if (pack.historyCount !== steps.length)
      gaps.push(`the pack row counts ${pack.historyCount} events; its history holds ${steps.length}`);
    return { heads, gaps };
  }

  private compare(
    pack: PackRecord,
    steps: HistoryStep[],
    walk: { heads: Buffer[]; gaps: string[] },
    leaf: StateLeaf,
  ): Pick<StateCheck, 'status' | 'reasons'> {
    const reasons = [...walk.gaps];
    if (leaf.count > steps.length) {
      reasons.push(
        `the chain commits ${leaf.count} events in this pack's history; the database shows ${steps.length}: events were removed`,
      );
      return { status: 'tampered', reasons };
    }
    if (walk.heads[leaf.count].toString('hex') !== leaf.head) {
      reasons.push(
        'the history in the database does not walk back to the head the chain committed: events were edited, removed, reordered or inserted',
      );
      return { status: 'tampered', reasons };
    }
    if (walk.gaps.length > 0) return { status: 'tampered', reasons };
    if (leaf.count === steps.length) {
      const expected = stateLeafOf(pack);
      const differences = stateLeafDifferences(leaf, expected);
      if (differences.length === 0) return { status: 'verified', reasons };
      const said = expected as unknown as Record<string, unknown>;
      const committed = leaf as unknown as Record<string, unknown>;
      for (const field of differences)
        reasons.push(
          `the database says ${field} ${JSON.stringify(said[field])}; the chain committed ${JSON.stringify(committed[field])}`,
        );
      return { status: 'tampered', reasons };
    }
    // The database is ahead of the latest commitment: newer events, not committed yet.
    const uncommitted = steps.slice(leaf.count);
    const deadline = Date.now() - this.config.anchorDeadlineSeconds * 1000;
    const late = uncommitted.some((s) => s.hop && s.hop.recordTime.getTime() < deadline);
    reasons.push(
      late
        ? `${uncommitted.length} newer event(s) of its history are not committed on chain ${this.config.anchorDeadlineSeconds} s after they were recorded`
        : `${uncommitted.length} newer event(s) of its history are not committed on chain yet`,
    );
    return { status: late ? 'unanchored' : 'pending', reasons };
  }

  private async prove<L extends StateLeaf | AlertsLeaf>(key: string, root: string): Promise<StateProof<L>> {
    const memoKey = `${root}:${key}`;
    const known = this.proofs.get(memoKey);
    if (known) return known as StateProof<L>;
    this.map ??= StateMap.open(new StateNodeStore((k) => this.nodes.node(k), 500_000));
    const proof = await (await this.map).prove<L>(key, root);
    if (this.proofs.size >= StateCheckService.PROOF_ENTRIES)
      this.proofs.delete(this.proofs.keys().next().value!);
    this.proofs.set(memoKey, proof as StateProof<StateLeaf | AlertsLeaf>);
    return proof;
  }
}

export type PackVerdict = 'verified' | 'pending' | 'unanchored' | 'tampered' | 'unverifiable' | 'unknown';

/**
 * The one verdict on a pack, from the checks of its hops (each event against its anchor) and of its state (the
 * pack's facts and history against the chain's latest state root). Verification and provenance both use it.
 */
export function packVerdict(hops: HopStatus[], state: StateCheck): PackVerdict {
  if (hops.includes('tampered') || state.status === 'tampered') return 'tampered';
  if (state.status === 'absent') {
    // A pack not committed yet is new (its events wait for their batch); one whose events were anchored, or with
    // no event at all, exists only in the database.
    if (hops.length === 0 || hops.includes('verified')) return 'unknown';
  } else if (hops.length === 0) return 'tampered';
  if (hops.includes('unanchored') || state.status === 'unanchored') return 'unanchored';
  if (hops.includes('unverifiable') || state.status === 'unverifiable') return 'unverifiable';
  if (hops.includes('pending') || state.status === 'pending' || state.status === 'absent') return 'pending';
  return 'verified';
}

/** The state check as answers carry it (the proof format is documented in the OpenAPI's StateProofDto). */
export function toStateDto(state: StateCheck): StateCheckDto {
  return {
    status: state.status,
    reasons: state.reasons,
    stateRoot: state.stateRoot,
    committedAtBlock: state.committedAtBlock,
    committedSteps: state.committedSteps,
    proof: state.proof && {
      ...state.proof,
      leaf: state.proof.leaf as unknown as Record<string, unknown> | null,
    },
    alertsProof: state.alerts && {
      ...state.alerts.proof,
      leaf: state.alerts.proof.leaf as unknown as Record<string, unknown> | null,
    },
  };
}
