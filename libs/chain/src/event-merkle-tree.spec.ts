import { StandardMerkleTree } from '@openzeppelin/merkle-tree';
import { createHash } from 'node:crypto';
import { buildEventTree, verifyEventProof } from './event-merkle-tree';

const digest = (n: number) => createHash('sha256').update(`event-${n}`).digest();

describe('buildEventTree', () => {
  it('proves every event of the batch against the root', () => {
    const digests = Array.from({ length: 37 }, (_, i) => digest(i));
    const tree = buildEventTree(digests);
    digests.forEach((d, i) => expect(verifyEventProof(tree.root, d, tree.proofs[i])).toBe(true));
  });

  it('rejects an event that is not in the batch, and a proof for another event', () => {
    const digests = Array.from({ length: 8 }, (_, i) => digest(i));
    const tree = buildEventTree(digests);
    expect(verifyEventProof(tree.root, digest(99), tree.proofs[0])).toBe(false);
    expect(verifyEventProof(tree.root, digests[1], tree.proofs[0])).toBe(false);
  });

  it('gives exactly the proofs and root of the library for every size up to 70', () => {
    for (let size = 1; size <= 70; size++) {
      const digests = Array.from({ length: size }, (_, i) => digest(1000 * size + i));
      const ours = buildEventTree(digests);
      const library = StandardMerkleTree.of(
        digests.map((d) => [`0x${d.toString('hex')}`]),
        ['bytes32'],
      );
      expect(ours.root).toBe(library.root);
      digests.forEach((_, i) => expect(ours.proofs[i]).toEqual(library.getProof(i)));
    }
  });

  it('agrees with the library on valid, foreign and tampered proofs', () => {
    for (const size of [1, 2, 3, 7, 64, 129]) {
      const digests = Array.from({ length: size }, (_, i) => digest(7 * size + i));
      const tree = buildEventTree(digests);
      const stranger = digest(-size);
      digests.forEach((d, i) => {
        const proof = tree.proofs[i]!;
        const tampered =
          proof.length > 0
            ? [proof[0]!.replace(/.$/, (c) => (c === '0' ? '1' : '0')), ...proof.slice(1)]
            : proof;
        const otherRoot = tree.root.replace(/.$/, (c) => (c === 'a' ? 'b' : 'a'));
        for (const [leaf, path, root] of [
          [d, proof, tree.root],
          [stranger, proof, tree.root],
          [d, tampered, tree.root],
          [d, proof, otherRoot],
          [d, proof.slice(1), tree.root],
        ] as const) {
          const library = StandardMerkleTree.verify(
            root,
            ['bytes32'],
            [`0x${leaf.toString('hex')}`],
            [...path],
          );
          expect(verifyEventProof(root, leaf, [...path])).toBe(library);
        }
        expect(verifyEventProof(tree.root, d, proof)).toBe(true);
      });
    }
  });

  it('answers false, not an exception, for malformed roots and proofs', () => {
    const tree = buildEventTree([digest(1), digest(2)]);
    expect(verifyEventProof('0x1234', digest(1), tree.proofs[0]!)).toBe(false);
    expect(verifyEventProof(tree.root, digest(1), ['not hex'])).toBe(false);
  });

  it('handles a batch of one', () => {
    const tree = buildEventTree([digest(1)]);
    expect(tree.proofs[0]).toEqual([]);
    expect(verifyEventProof(tree.root, digest(1), [])).toBe(true);
  });

  it('refuses an empty batch and malformed digests', () => {
    expect(() => buildEventTree([])).toThrow(/no events/);
    expect(() => buildEventTree(['abc'])).toThrow(/not a 32-byte digest/);
  });
});
