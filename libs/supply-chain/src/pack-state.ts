import { nextHistoryHead, type StateLeaf } from '@pedigree/chain';
import type { PackStatus } from '@pedigree/database';

/** The in-memory form of a `packs` row while a batch is applied. */
export interface PackState {
  epc: string;
  kind: string;
  gtin: string | null;
  serial: string | null;
  lot: string | null;
  expiry: string | null;
  status: PackStatus;
  custodian: string | null;
  ownerOrgId: string | null;
  location: string | null;
  shippedTo: string | null;
  consignmentKey: string | null;
  parentEpc: string | null;
  commissionEventHash: Buffer | null;
  lastEventHash: Buffer;
  lastEventTime: Date;
  /** Events in its hash-linked history, and the head of that history (see the state map). */
  historyCount: number;
  historyHead: Buffer | null;
  /** Events of its history that a rule flagged. */
  flagged: number;
}

/** One event joining one identifier's history, at position `seq` (from 1). */
export interface HistoryEntry {
  epc: string;
  seq: number;
  eventHash: Buffer;
}

export type LeafFacts = Pick<
  PackState,
  | 'epc'
  | 'kind'
  | 'status'
  | 'lot'
  | 'expiry'
  | 'custodian'
  | 'ownerOrgId'
  | 'parentEpc'
  | 'shippedTo'
  | 'historyCount'
  | 'historyHead'
  | 'flagged'
>;

/** What the state map commits for a pack: every fact a verification answer asserts. */
export function stateLeafOf(pack: LeafFacts): StateLeaf {
  return {
    v: 1,
    epc: pack.epc,
    kind: pack.kind,
    status: pack.status,
    lot: pack.lot,
    expiry: pack.expiry,
    custodian: pack.custodian,
    owner: pack.ownerOrgId,
    parent: pack.parentEpc,
    shippedTo: pack.shippedTo,
    count: pack.historyCount,
    head: (pack.historyHead ?? Buffer.alloc(32)).toString('hex'),
    flagged: pack.flagged,
  };
}

export interface ContainmentChange {
  kind: 'open' | 'close';
  childEpc: string;
  parentEpc: string;
  eventHash: Buffer;
  time: Date;
}

export interface CustodyChange {
  action: 'ship' | 'receive';
  consignmentKey: string;
  fromParty: string | null;
  toParty: string | null;
  fromOrgId: string | null;
  toOrgId: string | null;
  eventHash: Buffer;
  eventTime: Date;
  /** Saleable packs travelling in the consignment, and their products and lots (shipments only). */
  packCount: number;
  gtins: string[];
  lots: string[];
}

/** Statuses after which a pack must not move on (it has left the supply chain). */
export const TERMINAL_STATUSES: ReadonlySet<PackStatus> = new Set([
  'dispensed',
  'decommissioned',
  'destroyed',
  'stolen',
]);

/**
 * Pack state with copy-on-write layers: a document is applied to a fork and merged only when all of it is
 * accepted, which is how "rollback" capture keeps nothing of a bad document.
 */
export class StateOverlay {
  private readonly packs = new Map<string, PackState | null>();
  private readonly childIndex = new Map<string, Set<string>>();
  readonly containments: ContainmentChange[] = [];
  readonly custody: CustodyChange[] = [];
  /** Every event that joined a pack's history in this layer, in order. */
  readonly history: HistoryEntry[] = [];
  private readonly touched = new Set<string>();

  private constructor(private readonly parent?: StateOverlay) {}

  static root(initial: Iterable<PackState>): StateOverlay {
    const overlay = new StateOverlay();
    for (const pack of initial) {
      overlay.packs.set(pack.epc, pack);
      if (pack.parentEpc) overlay.indexChild(pack.parentEpc, pack.epc);
    }
    return overlay;
  }

  fork(): StateOverlay {
    return new StateOverlay(this);
  }

  get(epc: string): PackState | undefined {
    if (this.packs.has(epc)) return this.packs.get(epc) ?? undefined;
    return this.parent?.get(epc);
  }

  /**
   * Records a pack's new state. A state set by an event it had not seen yet appends that event to its hash-linked
   * history: every change of state is one step of the history the state map commits.
   */
  set(pack: PackState): void {
    const previous = this.get(pack.epc);
    if (!previous || !previous.lastEventHash.equals(pack.lastEventHash)) {
      pack.historyCount = (previous?.historyCount ?? 0) + 1;
      pack.historyHead = nextHistoryHead(previous?.historyHead ?? null, pack.lastEventHash);
      this.history.push({ epc: pack.epc, seq: pack.historyCount, eventHash: pack.lastEventHash });
    }
    this.put(pack, previous);
  }

  /** Appends an event to a pack's history without changing its state (evidence about it), once. */
  joinHistory(epc: string, eventHash: Buffer): void {
    const pack = this.get(epc);
    if (!pack || this.history.some((h) => h.epc === epc && h.eventHash.equals(eventHash))) return;
    const historyCount = pack.historyCount + 1;
    this.put({ ...pack, historyCount, historyHead: nextHistoryHead(pack.historyHead, eventHash) }, pack);
    this.history.push({ epc, seq: historyCount, eventHash });
  }

  /** Counts a flagged event in the state of every pack whose history it joined. */
  markFlagged(eventHash: Buffer): void {
    for (const entry of this.history) {
      if (!entry.eventHash.equals(eventHash)) continue;
      const pack = this.get(entry.epc)!;
      this.put({ ...pack, flagged: pack.flagged + 1 }, pack);
    }
  }

  private put(pack: PackState, previous: PackState | undefined): void {
    if (previous?.parentEpc !== pack.parentEpc) {
      if (previous?.parentEpc) this.childrenSet(previous.parentEpc).delete(pack.epc);
      if (pack.parentEpc) this.childrenSet(pack.parentEpc).add(pack.epc);
    }
    this.packs.set(pack.epc, pack);
    this.touched.add(pack.epc);
  }

  /** Current direct children of a container. */
  children(epc: string): string[] {
    return [...this.childrenView(epc)];
  }

  /** Every item inside a container, at any depth. */
  descendants(epc: string): string[] {
    const out: string[] = [];
    const stack = [epc];
    const seen = new Set<string>([epc]);
    while (stack.length > 0) {
      for (const child of this.childrenView(stack.pop()!)) {
        if (seen.has(child)) continue; // defensive: a cycle in bad data must not hang ingest
        seen.add(child);
        out.push(child);
        stack.push(child);
      }
    }
    return out;
  }

  /** Packs changed in this layer (after merge: in the root, everything changed by the batch). */
  changedPacks(): PackState[] {
    return [...this.touched].map((epc) => this.get(epc)).filter((p): p is PackState => p !== undefined);
  }

  /** Folds this layer into its parent. */
  merge(): void {
    if (!this.parent) throw new Error('cannot merge the root layer');
    for (const epc of this.touched) this.parent.put(this.packs.get(epc)!, this.parent.get(epc));
    this.parent.history.push(...this.history);
    this.parent.containments.push(...this.containments);
    this.parent.custody.push(...this.custody);
  }

  private childrenView(epc: string): Set<string> {
    const own = this.childIndex.get(epc);
    if (own) return own;
    return this.parent ? this.parent.childrenView(epc) : new Set();
  }

  private childrenSet(epc: string): Set<string> {
    let own = this.childIndex.get(epc);
    if (!own) {
      own = new Set(this.parent ? this.parent.childrenView(epc) : []);
      this.childIndex.set(epc, own);
    }
    return own;
  }

  private indexChild(parent: string, child: string): void {
    this.childrenSet(parent).add(child);
  }
}
