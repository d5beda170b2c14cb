import {
  BranchNode,
  decodeNode,
  decodeRawNode,
  type EmbeddedNode,
  ExtensionNode,
  isRawNode,
  LeafNode,
} from '@ethereumjs/trie';
import { keccak256Bytes } from './keccak';

/**
 * A batched write into an Ethereum Merkle-Patricia trie, made of `@ethereumjs/trie`'s own node classes and encoding.
 *
 * Why not `Trie.batch`: it puts one key at a time, and each put walks from the root, re-encodes and re-hashes every
 * node on the path, and (with pruning) hashes the replaced path once more to delete it. A batch of n keys thus hashes
 * the root and the upper branches n times each, and leaves n-1 intermediate versions of them to prune. Here the
 * batch's keys go down the trie together: each node the batch touches is decoded once, rebuilt once and hashed once,
 * and only the nodes the new root reaches are written. The result is the same trie, node for node (the trie is
 * canonical: its shape depends only on its keys), which the spec checks against `Trie.batch`; proofs are still made
 * and checked by the library.
 *
 * Puts only: the pack-state map never removes an identifier. Keys must all have the same length (the map hashes them
 * to 32 bytes), so no key ends at a branch.
 */
export interface TrieWrite {
  /** The trie key as stored (already hashed when the trie hashes its keys). */
  key: Uint8Array;
  value: Uint8Array;
}

type TrieNode = BranchNode | ExtensionNode | LeafNode;
type NodeGetter = (hexKey: string) => Promise<Uint8Array | undefined>;
type NodePutter = (hexKey: string, node: Uint8Array) => void;

interface Entry {
  nibbles: number[];
  value: Uint8Array;
}

const hex = (bytes: Uint8Array): string =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('hex');

function toNibbles(key: Uint8Array): number[] {
  const nibbles = new Array<number>(key.length * 2);
  for (let i = 0; i < key.length; i++) {
    nibbles[2 * i] = key[i] >> 4;
    nibbles[2 * i + 1] = key[i] & 0x0f;
  }
  return nibbles;
}

/** Length of the prefix that `nibbles` from `from` shares with `path`. */
function sharedLength(nibbles: number[], from: number, path: number[]): number {
  let i = 0;
  while (i < path.length && nibbles[from + i] === path[i]) i++;
  return i;
}

export class TrieBatchWriter {
  constructor(
    private readonly get: NodeGetter,
    private readonly put: NodePutter,
  ) {}

  /** Writes the entries (the last one per key wins) into the trie at `root` and returns the new root hash. */
  async write(root: Uint8Array, emptyRoot: Uint8Array, writes: TrieWrite[]): Promise<Uint8Array> {
    const latest = new Map<string, Entry>();
    for (const { key, value } of writes) latest.set(hex(key), { nibbles: toNibbles(key), value });
    if (latest.size === 0) return root;
    const lengths = new Set([...latest.values()].map((e) => e.nibbles.length));
    if (lengths.size !== 1) throw new Error('TrieBatchWriter: keys must all have the same length');
    const start = hex(root) === hex(emptyRoot) ? null : await this.load(root);
    const node = await this.insert(start, [...latest.values()], 0);
    return this.store(node, true) as Uint8Array;
  }

  private async load(ref: EmbeddedNode): Promise<TrieNode> {
    if (isRawNode(ref)) return decodeRawNode(ref as Uint8Array[]);
    const encoded = await this.get(hex(ref));
    if (!encoded) throw new Error(`TrieBatchWriter: missing trie node ${hex(ref)}`);
    return decodeNode(encoded);
  }

  /** The reference a parent holds: the node's hash (and the node written) or, under 32 bytes, the node inline. */
  private store(node: TrieNode, topLevel = false): EmbeddedNode {
    const encoded = node.serialize();
    if (encoded.length < 32 && !topLevel) return node.raw() as EmbeddedNode;
    const hash = keccak256Bytes(encoded);
    this.put(hex(hash), encoded);
    return hash;
  }

  private async insert(node: TrieNode | null, entries: Entry[], depth: number): Promise<TrieNode> {
    if (node === null) return this.build(entries, depth);
    if (node instanceof LeafNode) return this.intoLeaf(node, entries, depth);
    if (node instanceof ExtensionNode) return this.intoExtension(node, entries, depth);
    return this.intoBranch(node, entries, depth);
  }

  /** A leaf meets new keys: it is replaced when one of them is its key, otherwise it joins them in a new subtree. */
  private intoLeaf(leaf: LeafNode, entries: Entry[], depth: number): TrieNode {
    const leafKey = [...entries[0].nibbles.slice(0, depth), ...leaf.key()];
    const replaced = entries.some((e) => sharedLength(e.nibbles, 0, leafKey) === leafKey.length);
    return this.build(replaced ? entries : [...entries, { nibbles: leafKey, value: leaf.value() }], depth);
  }

  private async intoExtension(extension: ExtensionNode, entries: Entry[], depth: number): Promise<TrieNode> {
    const path = extension.key();
    let shared = path.length;
    for (const e of entries) shared = Math.min(shared, sharedLength(e.nibbles, depth, path));
    if (shared === path.length) {
      const child = await this.insert(await this.load(extension.value()), entries, depth + path.length);
      return new ExtensionNode(path, this.store(child) as Uint8Array);
    }
    // The new keys leave the extension's path after `shared` nibbles: a branch goes there.
    const rest = path.slice(shared + 1);
    const tail: TrieNode | EmbeddedNode =
      rest.length > 0 ? new ExtensionNode(rest, extension.value()) : extension.value();
    const branch = await this.branchOver(entries, depth + shared, new Map([[path[shared], tail]]));
    return shared > 0 ? new ExtensionNode(path.slice(0, shared), this.store(branch) as Uint8Array) : branch;
  }

  private intoBranch(branch: BranchNode, entries: Entry[], depth: number): Promise<TrieNode> {
    const slots = new Map<number, TrieNode | EmbeddedNode>();
    for (const [index, child] of branch.getChildren()) slots.set(index, child);
    return this.branchOver(entries, depth, slots, branch.value());
  }

  /** A branch at `depth` over existing children (nodes or references) with the entries inserted into their slots. */
  private async branchOver(
    entries: Entry[],
    depth: number,
    existing: Map<number, TrieNode | EmbeddedNode>,
    value: Uint8Array | null = null,
  ): Promise<BranchNode> {
    const branch = new BranchNode();
    if (value && value.length > 0) branch.value(value);
    const groups = groupByNibble(entries, depth);
    for (const [index, child] of existing) {
      if (!groups.has(index)) branch.setBranch(index, isNode(child) ? this.store(child) : child);
    }
    // The slots go down together: with a batching node store, a level's missing nodes are read in one query.
    const children = await Promise.all(
      [...groups].map(async ([index, group]) => {
        const current = existing.get(index);
        const start = current === undefined ? null : isNode(current) ? current : await this.load(current);
        return [index, this.store(await this.insert(start, group, depth + 1))] as const;
      }),
    );
    for (const [index, child] of children) branch.setBranch(index, child);
    return branch;
  }

  /** A subtree holding exactly these entries. */
  private build(entries: Entry[], depth: number): TrieNode {
    if (entries.length === 1) return new LeafNode(entries[0].nibbles.slice(depth), entries[0].value);
    const first = entries[0].nibbles;
    let shared = first.length - depth;
    for (const e of entries)
      shared = Math.min(shared, sharedLength(e.nibbles, depth, first.slice(depth, depth + shared)));
    const branch = new BranchNode();
    for (const [index, group] of groupByNibble(entries, depth + shared)) {
      branch.setBranch(index, this.store(this.build(group, depth + shared + 1)));
    }
    return shared > 0
      ? new ExtensionNode(first.slice(depth, depth + shared), this.store(branch) as Uint8Array)
      : branch;
  }
}

function isNode(x: TrieNode | EmbeddedNode): x is TrieNode {
  return x instanceof BranchNode || x instanceof ExtensionNode || x instanceof LeafNode;
}

function groupByNibble(entries: Entry[], depth: number): Map<number, Entry[]> {
  const groups = new Map<number, Entry[]>();
  for (const entry of entries) {
    if (depth >= entry.nibbles.length)
      throw new Error('TrieBatchWriter: a key ends at a branch (duplicate key?)');
    const nibble = entry.nibbles[depth];
    const group = groups.get(nibble);
    if (group) group.push(entry);
    else groups.set(nibble, [entry]);
  }
  return groups;
}
