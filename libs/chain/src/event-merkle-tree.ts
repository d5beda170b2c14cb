import { StandardMerkleTree } from '@openzeppelin/merkle-tree';

/**
 * Merkle trees of event hashes, with OpenZeppelin's StandardMerkleTree so that the on-chain side can verify with
 * OpenZeppelin's MerkleProof: a leaf is keccak256(keccak256(abi.encode(bytes32 digest))), pairs are sorted.
 * Leaves are the 32-byte SHA-256 digests of CBV 2.0 Event Hash IDs.
 */
const LEAF_ENCODING = ['bytes32'];

export interface EventTree {
  root: string;
  /** Proof of each input digest, in input order. */
  proofs: string[][];
  /** Position of each input digest among the tree's leaves, in input order. */
  leafIndexes: number[];
}

function toHex32(digest: Buffer | string): string {
  const hex = typeof digest === 'string' ? digest.replace(/^0x/, '') : digest.toString('hex');
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) throw new Error(`not a 32-byte digest: ${hex.slice(0, 70)}`);
  return `0x${hex.toLowerCase()}`;
}

export function buildEventTree(digests: (Buffer | string)[]): EventTree {
  if (digests.length === 0) throw new Error('cannot build a Merkle tree of no events');
  const values = digests.map((digest) => [toHex32(digest)]);
  const tree = StandardMerkleTree.of(values, LEAF_ENCODING);
  // The library's getProof re-hashes the leaf and re-verifies every proof (about 1 ms each, which made proofs the
  // ledger's bottleneck at 1,000 events per batch). The proofs are read here from the same tree's node array (the
  // library's own layout: node i has children 2i+1 and 2i+2), and one proof is checked with the library.
  const { tree: nodes, values: entries } = tree.dump();
  const proofs: string[][] = new Array<string[]>(values.length);
  const leafIndexes: number[] = new Array<number>(values.length);
  entries.forEach(({ treeIndex }, valueIndex) => {
    const proof: string[] = [];
    for (let i = treeIndex; i > 0; i = Math.floor((i - 1) / 2))
      proof.push(nodes[i % 2 === 1 ? i + 1 : i - 1]!);
    proofs[valueIndex] = proof;
    leafIndexes[valueIndex] = valueIndex;
  });
  const probe = values.length >> 1;
  if (!StandardMerkleTree.verify(tree.root, LEAF_ENCODING, values[probe]!, proofs[probe]!))
    throw new Error('Merkle proof self-check failed');
  return { root: tree.root, proofs, leafIndexes };
}

/** Checks off-chain that a digest belongs to the tree with this root. */
export function verifyEventProof(root: string, digest: Buffer | string, proof: string[]): boolean {
  try {
    return StandardMerkleTree.verify(root, LEAF_ENCODING, [toHex32(digest)], proof);
  } catch {
    return false;
  }
}
