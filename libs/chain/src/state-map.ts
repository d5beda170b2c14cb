import { Trie } from '@ethereumjs/trie';
import { type BatchDBOp, type DB, ValueEncoding } from '@ethereumjs/util';
import { canonicalJson } from '@pedigree/common';
import { keccak256Bytes, loadFastKeccak } from './keccak';
import { TrieBatchWriter } from './state-trie-batch';

/**
 * The pack-state map: for every identifier (pack, case, pallet) the facts a verification answer asserts, committed
 * on chain as the root of Ethereum's Merkle-Patricia trie (`@ethereumjs/trie`, keys hashed with keccak256, as in
 * Ethereum's state trie). Chosen over a sparse Merkle tree because it is the structure every Ethereum client and
 * library already proves against (EIP-1186 proofs: the list of RLP-encoded nodes from the root to the leaf), so an
 * auditor can check a proof with any of them; keccak runs in WebAssembly here.
 *
 * A leaf's value is the UTF-8 of the RFC 8785 canonical JSON of a {@link StateLeaf}.
 */
export interface StateLeaf {
  /** Format version. */
  v: 1;
  epc: string;
  /** sgtin, sscc, … */
  kind: string;
  status: string;
  lot: string | null;
  /** YYYY-MM-DD */
  expiry: string | null;
  /** The party (GLN URN) holding it, or, in transit, the one that shipped it. */
  custodian: string | null;
  /** The member organisation holding it. */
  owner: string | null;
  /** The container it is in now. */
  parent: string | null;
  /** Addressee while in transit. */
  shippedTo: string | null;
  /** Events in its history. */
  count: number;
  /** Head of its hash-linked history: h(n) = keccak256(h(n-1) ‖ eventDigest(n)), h(0) = 32 zero bytes (hex). */
  head: string;
  /** Events of its history that a rule flagged (suspicion committed with the state). */
  flagged: number;
}

/**
 * The alerts on one identifier, under the key `alerts:<epc>`: the alert ids open (or acknowledged) and resolved.
 * A resolution clears suspicion only once it is committed here, so a resolution written by hand clears nothing.
 */
export interface AlertsLeaf {
  v: 1;
  epc: string;
  open: string[];
  resolved: string[];
}

export const alertsKey = (epc: string): string => `alerts:${epc}`;

/** One write to the map: a pack's leaf under its EPC, or its alerts under `alerts:<epc>`. */
export type MapEntry = { key: string; leaf: StateLeaf | AlertsLeaf };

export const EMPTY_HISTORY_HEAD: Buffer = Buffer.alloc(32);

/** The next head of an identifier's hash-linked history after one more event (32-byte SHA-256 digest). */
export function nextHistoryHead(head: Buffer | null, eventDigest: Buffer): Buffer {
  return Buffer.from(keccak256Bytes(Buffer.concat([head ?? EMPTY_HISTORY_HEAD, eventDigest])));
}

/** Walks a history (event digests, oldest first) to its head. */
export function historyHeadOf(eventDigests: Buffer[]): Buffer {
  let head: Buffer = EMPTY_HISTORY_HEAD;
  for (const digest of eventDigests) head = nextHistoryHead(head, digest);
  return head;
}

export function encodeStateLeaf(leaf: StateLeaf | AlertsLeaf): Buffer {
  return Buffer.from(canonicalJson(leaf), 'utf8');
}

export function decodeStateLeaf<L = StateLeaf>(value: Uint8Array): L {
  return JSON.parse(Buffer.from(value).toString('utf8')) as L;
}

/** The fields of two leaves that differ (for a reason a person can read). */
export function stateLeafDifferences(expected: StateLeaf, actual: StateLeaf): string[] {
  return (Object.keys(expected) as (keyof StateLeaf)[]).filter(
    (key) => JSON.stringify(expected[key]) !== JSON.stringify(actual[key]),
  );
}

/** An EIP-1186 style proof of one key's leaf: the RLP nodes from the root down, hex. */
export interface StateProof<L = StateLeaf> {
  stateRoot: string;
  /** The key: an EPC for a pack's leaf, `alerts:<epc>` for its alerts (the trie key is its keccak256). */
  key: string;
  /** The leaf's value (canonical JSON), or null when the proof shows the map does not hold the key. */
  leaf: L | null;
  nodes: string[];
}

/** A trie node read from storage whose keccak is not its key: the store was edited. */
export class StateNodeTamperedError extends Error {
  constructor(readonly key: string) {
    super(`state trie node ${key} does not hash to its key: the node store was edited`);
  }
}

/** Where nodes come from when they are not in memory (PostgreSQL for the ledger and the API). */
export type StateNodeLoader = (hexKeys: string) => Promise<Uint8Array | undefined>;

/** Several nodes in one read (hex key → node; keys not stored are absent). */
export type StateNodeBatchLoader = (hexKeys: string[]) => Promise<Map<string, Uint8Array>>;

/**
 * The trie's node store: a memory map in front of a loader. Every node read from outside is checked against its
 * key (nodes are content-addressed), so an edited store is detected, never trusted. Nodes written since the last
 * {@link takeWritten} are the ones to persist: with node pruning on, nodes replaced within a batch are deleted
 * again, so what remains is exactly what the new root reaches and the old one did not.
 */
export class StateNodeStore implements DB<string, Uint8Array> {
  /**
   * Nodes used lately, and those of the generation before: a hit there moves the node back, and when `recent` holds
   * half the bound it becomes `older` (the old `older` is dropped). The upper levels, which every batch and proof
   * touches, stay; nodes nobody touched for two generations go. Dropping the whole cache at the bound, as before,
   * made the next batch reload the top of the trie one round trip per node.
   */
  private recent = new Map<string, Uint8Array>();
  private older = new Map<string, Uint8Array>();
  private written = new Map<string, Uint8Array>();

  constructor(
    private readonly loader: StateNodeLoader = () => Promise.resolve(undefined),
    /** Nodes kept in memory at most, besides those not yet persisted (0: unbounded). */
    private readonly maxCached = 0,
    /**
     * When given, the nodes asked for while the event loop runs are read together once it turns: a batch going down
     * the trie asks for all the missing nodes of a level at once, so a cold path costs a read per level, not per node.
     */
    private readonly loadMany?: StateNodeBatchLoader,
  ) {}

  /** Loads on their way: after a new root, concurrent proofs all need its upper nodes at once; one read each. */
  private readonly loading = new Map<string, Promise<Uint8Array | undefined>>();
  /** Keys waiting for the next batched read, with their callers. */
  private queued = new Map<
    string,
    { resolve: (node: Uint8Array | undefined) => void; reject: (e: unknown) => void }
  >();

  get(key: string): Promise<Uint8Array | undefined> {
    const cached = this.cached(key);
    if (cached) return Promise.resolve(cached);
    let pending = this.loading.get(key);
    if (!pending) {
      pending = (this.loadMany ? this.enqueue(key) : this.load(key)).finally(() => this.loading.delete(key));
      this.loading.set(key, pending);
    }
    return pending;
  }

  private enqueue(key: string): Promise<Uint8Array | undefined> {
    return new Promise((resolve, reject) => {
      if (this.queued.size === 0) setImmediate(() => void this.flush());
      this.queued.set(key, { resolve, reject });
    });
  }

  private async flush(): Promise<void> {
    const batch = this.queued;
    this.queued = new Map();
    try {
      const nodes = await this.loadMany!([...batch.keys()]);
      for (const [key, waiter] of batch) {
        try {
          waiter.resolve(this.verified(key, nodes.get(key)));
        } catch (error) {
          waiter.reject(error);
        }
      }
    } catch (error) {
      for (const waiter of batch.values()) waiter.reject(error);
    }
  }

  /** Nodes in memory now (both generations), for tests and metrics. */
  get size(): number {
    return this.recent.size + this.older.size;
  }

  private cached(key: string): Uint8Array | undefined {
    // Unpersisted nodes first: the loader cannot have them yet, whatever the cache dropped.
    const hit = this.written.get(key) ?? this.recent.get(key);
    if (hit) return hit;
    const aged = this.older.get(key);
    if (aged) this.remember(key, aged);
    return aged;
  }

  private remember(key: string, value: Uint8Array): void {
    this.recent.set(key, value);
    if (this.maxCached > 0 && this.recent.size >= Math.max(1, this.maxCached / 2)) {
      this.older = this.recent;
      this.recent = new Map();
    }
  }

  private async load(key: string): Promise<Uint8Array | undefined> {
    return this.verified(key, await this.loader(key));
  }

  private verified(key: string, loaded: Uint8Array | undefined): Uint8Array | undefined {
    if (!loaded) return undefined;
    if (Buffer.from(keccak256Bytes(loaded)).toString('hex') !== key) throw new StateNodeTamperedError(key);
    this.remember(key, loaded);
    return loaded;
  }

  put(key: string, value: Uint8Array): Promise<void> {
    this.remember(key, value);
    this.written.set(key, value);
    return Promise.resolve();
  }

  del(key: string): Promise<void> {
    this.recent.delete(key);
    this.older.delete(key);
    this.written.delete(key);
    return Promise.resolve();
  }

  async batch(ops: BatchDBOp<string, Uint8Array>[]): Promise<void> {
    for (const op of ops) {
      if (op.type === 'put') await this.put(op.key, op.value);
      else await this.del(op.key);
    }
  }

  shallowCopy(): DB<string, Uint8Array> {
    return this;
  }

  async open(): Promise<void> {}

  /** Nodes written since the last call (hex key → node), to persist with the batch. */
  takeWritten(): Map<string, Uint8Array> {
    const out = this.written;
    this.written = new Map();
    return out;
  }

  /** Forgets unpersisted writes (the batch that made them rolled back). */
  discardWritten(): void {
    for (const key of this.written.keys()) {
      this.recent.delete(key);
      this.older.delete(key);
    }
    this.written = new Map();
  }
}

const TRIE_OPTIONS = {
  useKeyHashing: true,
  useKeyHashingFunction: keccak256Bytes,
  valueEncoding: ValueEncoding.Bytes,
} as const;

const keyOf = (key: string): Buffer => Buffer.from(key, 'utf8');

/** The map itself: apply leaves, read the root, prove one identifier against a root. */
export class StateMap {
  private readonly writer: TrieBatchWriter;

  private constructor(
    private readonly trie: Trie,
    readonly store: StateNodeStore,
  ) {
    this.writer = new TrieBatchWriter(
      (key) => store.get(key),
      (key, node) => void store.put(key, node),
    );
  }

  static async open(store: StateNodeStore, root?: string | null): Promise<StateMap> {
    await loadFastKeccak();
    const trie = await Trie.create({ ...TRIE_OPTIONS, db: store });
    const map = new StateMap(trie, store);
    if (root) map.setRoot(root);
    return map;
  }

  get root(): string {
    return `0x${Buffer.from(this.trie.root()).toString('hex')}`;
  }

  setRoot(root: string): void {
    this.trie.root(Buffer.from(root.replace(/^0x/, ''), 'hex'));
  }

  /**
   * Writes entries (the last one per key wins) and returns the new root. The batch goes down the trie in one pass
   * ({@link TrieBatchWriter}): each touched node is hashed once instead of once per key below it.
   */
  async apply(entries: MapEntry[]): Promise<string> {
    const writes = entries.map(({ key, leaf }) => ({
      key: keccak256Bytes(keyOf(key)),
      value: encodeStateLeaf(leaf),
    }));
    this.trie.root(await this.writer.write(this.trie.root(), this.trie.EMPTY_TRIE_ROOT, writes));
    return this.root;
  }

  async get<L = StateLeaf>(key: string, root?: string): Promise<L | null> {
    const trie = root ? this.at(root) : this.trie;
    const value = await trie.get(keyOf(key));
    return value ? decodeStateLeaf<L>(value) : null;
  }

  /**
   * A proof of `key`'s leaf (or of its absence) against `root`, from one walk of the trie: the nodes on the path are
   * the proof (what `createProof` returns) and the last one holds the value (what `get` returns); doing both walked
   * the path twice, a node read each, on every verification.
   */
  async prove<L = StateLeaf>(key: string, root: string): Promise<StateProof<L>> {
    const { node, remaining, stack } = await this.at(root).findPath(keccak256Bytes(keyOf(key)));
    const value = node && remaining.length === 0 ? node.value() : null;
    return {
      stateRoot: root,
      key,
      leaf: value ? decodeStateLeaf<L>(value) : null,
      nodes: stack.map((n) => `0x${Buffer.from(n.serialize()).toString('hex')}`),
    };
  }

  private at(root: string): Trie {
    return new Trie({ ...TRIE_OPTIONS, db: this.store, root: Buffer.from(root.replace(/^0x/, ''), 'hex') });
  }
}

export type StateProofCheck<L = StateLeaf> =
  { valid: true; leaf: L | null } | { valid: false; reason: string };

/**
 * Checks a proof against a root the caller trusts (read from the chain, never from the proof): the nodes must hash
 * up to that root, and the leaf they reach must be the one claimed, byte for byte.
 */
export async function verifyStateProof<L extends StateLeaf | AlertsLeaf = StateLeaf>(
  root: string,
  proof: StateProof<L>,
): Promise<StateProofCheck<L>> {
  await loadFastKeccak();
  const verifier = new Trie({ useKeyHashing: true, useKeyHashingFunction: keccak256Bytes });
  let value: Uint8Array | null;
  try {
    value = await verifier.verifyProof(
      Buffer.from(root.replace(/^0x/, ''), 'hex'),
      keyOf(proof.key),
      proof.nodes.map((n) => Buffer.from(n.replace(/^0x/, ''), 'hex')),
    );
  } catch (error) {
    return { valid: false, reason: `the proof does not lead to root ${root}: ${(error as Error).message}` };
  }
  const claimed = proof.leaf === null ? null : encodeStateLeaf(proof.leaf);
  const proven = value ? Buffer.from(value) : null;
  if (claimed === null && proven === null) return { valid: true, leaf: null };
  if (!claimed || !proven || !claimed.equals(proven))
    return { valid: false, reason: 'the leaf claimed is not the leaf the proof reaches' };
  return { valid: true, leaf: proof.leaf };
}
