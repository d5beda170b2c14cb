import { StandardMerkleTree } from '@openzeppelin/merkle-tree';
import { expect } from 'chai';
import { ethers } from 'hardhat';
import { deployFixture, eventDigest, registeredFixture, ROLES } from './helpers/fixtures';
import { loadFixture } from './helpers/load-fixture';

/** A batch of `count` event digests and its StandardMerkleTree over ['bytes32']. */
function batch(count: number, offset = 0): { digests: string[]; tree: StandardMerkleTree<[string]> } {
  const digests = Array.from({ length: count }, (_, i) => eventDigest(offset + i));
  return {
    digests,
    tree: StandardMerkleTree.of(
      digests.map((d): [string] => [d]),
      ['bytes32'],
    ),
  };
}

/** Flips the last bit of a bytes32 hex string. */
const tamper = (hex: string): string => ethers.toBeHex(BigInt(hex) ^ 1n, 32);

describe('EventAnchor', () => {
  const { digests, tree } = batch(37);

  describe('anchor', () => {
    it('anchors a root with its block, time, sequence and event count', async () => {
      const { anchor, anchorer, registry } = await loadFixture(deployFixture);
      expect(await anchor.registry()).to.equal(await registry.getAddress());
      expect(await anchor.anchorCount()).to.equal(0n);
      expect(await anchor.isAnchored(tree.root)).to.equal(false);

      const tx = await anchor.anchor(tree.root, digests.length);
      await expect(tx)
        .to.emit(anchor, 'RootAnchored')
        .withArgs(tree.root, 1n, digests.length, anchorer.address);
      const receipt = await tx.wait();
      const block = await ethers.provider.getBlock(receipt!.blockNumber);

      const record = await anchor.anchorOf(tree.root);
      expect(record.blockNumber).to.equal(BigInt(receipt!.blockNumber));
      expect(record.timestamp).to.equal(BigInt(block!.timestamp));
      expect(record.sequence).to.equal(1n);
      expect(record.eventCount).to.equal(BigInt(digests.length));
      expect(await anchor.isAnchored(tree.root)).to.equal(true);
      expect(await anchor.anchorCount()).to.equal(1n);
    });

    it('numbers batches in anchoring order', async () => {
      const { anchor, anchorer } = await loadFixture(deployFixture);
      await anchor.anchor(tree.root, digests.length);
      const second = batch(3, 1000).tree.root;
      await expect(anchor.anchor(second, 3))
        .to.emit(anchor, 'RootAnchored')
        .withArgs(second, 2n, 3, anchorer.address);
      expect((await anchor.anchorOf(second)).sequence).to.equal(2n);
      expect(await anchor.anchorCount()).to.equal(2n);
    });

    it('reports an unknown root as all zero', async () => {
      const { anchor } = await loadFixture(deployFixture);
      const record = await anchor.anchorOf(tree.root);
      expect([record.blockNumber, record.timestamp, record.sequence, record.eventCount]).to.deep.equal([
        0n,
        0n,
        0n,
        0n,
      ]);
    });

    it('only lets ANCHORER_ROLE holders anchor', async () => {
      const { anchor, admin, manufacturer } = await loadFixture(registeredFixture);
      for (const signer of [admin, manufacturer]) {
        await expect(anchor.connect(signer).anchor(tree.root, digests.length))
          .to.be.revertedWithCustomError(anchor, 'EventAnchorUnauthorizedAnchorer')
          .withArgs(signer.address);
      }
    });

    it('stops accepting an anchorer once the role is revoked, and accepts a new one', async () => {
      const { anchor, registry, anchorer, outsider } = await loadFixture(deployFixture);
      await registry.revokeRole(ROLES.ANCHORER, anchorer.address);
      await expect(anchor.anchor(tree.root, digests.length))
        .to.be.revertedWithCustomError(anchor, 'EventAnchorUnauthorizedAnchorer')
        .withArgs(anchorer.address);
      await registry.grantRole(ROLES.ANCHORER, outsider.address);
      await expect(anchor.connect(outsider).anchor(tree.root, digests.length)).to.emit(
        anchor,
        'RootAnchored',
      );
    });

    it('anchors a root only once', async () => {
      const { anchor } = await loadFixture(deployFixture);
      await anchor.anchor(tree.root, digests.length);
      await expect(anchor.anchor(tree.root, digests.length))
        .to.be.revertedWithCustomError(anchor, 'EventAnchorRootAlreadyAnchored')
        .withArgs(tree.root);
    });

    it('rejects the zero root', async () => {
      const { anchor } = await loadFixture(deployFixture);
      await expect(anchor.anchor(ethers.ZeroHash, 1)).to.be.revertedWithCustomError(
        anchor,
        'EventAnchorZeroRoot',
      );
    });

    it('rejects a zero event count', async () => {
      const { anchor } = await loadFixture(deployFixture);
      await expect(anchor.anchor(tree.root, 0)).to.be.revertedWithCustomError(
        anchor,
        'EventAnchorZeroEventCount',
      );
    });
  });

  describe('verifyEvent', () => {
    it('verifies StandardMerkleTree proofs of every event of an anchored batch', async () => {
      const { anchor, outsider } = await loadFixture(deployFixture);
      await anchor.anchor(tree.root, digests.length);
      const verifier = anchor.connect(outsider);
      for (const [i, digest] of digests.entries()) {
        expect(await verifier.verifyEvent(tree.root, tree.getProof(i), digest)).to.equal(true);
      }
    });

    it('verifies the single event of a one-event batch (empty proof)', async () => {
      const { anchor } = await loadFixture(deployFixture);
      const single = batch(1, 500);
      await anchor.anchor(single.tree.root, 1);
      expect(await anchor.verifyEvent(single.tree.root, [], single.digests[0])).to.equal(true);
    });

    it('rejects a tampered event digest', async () => {
      const { anchor } = await loadFixture(deployFixture);
      await anchor.anchor(tree.root, digests.length);
      expect(await anchor.verifyEvent(tree.root, tree.getProof(5), tamper(digests[5]))).to.equal(false);
      expect(await anchor.verifyEvent(tree.root, tree.getProof(5), digests[6])).to.equal(false);
    });

    it('rejects a tampered or truncated proof', async () => {
      const { anchor } = await loadFixture(deployFixture);
      await anchor.anchor(tree.root, digests.length);
      const proof = tree.getProof(5);
      expect(await anchor.verifyEvent(tree.root, [tamper(proof[0]), ...proof.slice(1)], digests[5])).to.equal(
        false,
      );
      expect(await anchor.verifyEvent(tree.root, proof.slice(0, -1), digests[5])).to.equal(false);
    });

    it('rejects the raw digest or the single-hashed leaf in place of the event digest', async () => {
      const { anchor } = await loadFixture(deployFixture);
      await anchor.anchor(tree.root, digests.length);
      const leaf = tree.leafHash([digests[5]]);
      expect(await anchor.verifyEvent(tree.root, tree.getProof(5), leaf)).to.equal(false);
    });

    it('returns false for a root that is not anchored, even with a valid proof', async () => {
      const { anchor } = await loadFixture(deployFixture);
      expect(tree.verify(5, tree.getProof(5))).to.equal(true);
      expect(await anchor.verifyEvent(tree.root, tree.getProof(5), digests[5])).to.equal(false);
    });
  });

  describe('verifyEvents (multiproof)', () => {
    it('verifies several events of an anchored batch at once', async () => {
      const { anchor } = await loadFixture(deployFixture);
      await anchor.anchor(tree.root, digests.length);
      const { leaves, proof, proofFlags } = tree.getMultiProof([0, 3, 17, 36]);
      expect(
        await anchor.verifyEvents(
          tree.root,
          proof,
          proofFlags,
          leaves.map(([d]) => d),
        ),
      ).to.equal(true);
    });

    it('rejects a tampered digest', async () => {
      const { anchor } = await loadFixture(deployFixture);
      await anchor.anchor(tree.root, digests.length);
      const { leaves, proof, proofFlags } = tree.getMultiProof([2, 9]);
      const tampered = [leaves[0][0], tamper(leaves[1][0])];
      expect(await anchor.verifyEvents(tree.root, proof, proofFlags, tampered)).to.equal(false);
    });

    it('returns false for an unanchored root or no digests', async () => {
      const { anchor } = await loadFixture(deployFixture);
      const { leaves, proof, proofFlags } = tree.getMultiProof([2, 9]);
      expect(
        await anchor.verifyEvents(
          tree.root,
          proof,
          proofFlags,
          leaves.map(([d]) => d),
        ),
      ).to.equal(false);
      await anchor.anchor(tree.root, digests.length);
      // With no leaves, a proof of [root] would rebuild the root: rejected up front.
      expect(await anchor.verifyEvents(tree.root, [tree.root], [], [])).to.equal(false);
    });

    it('reverts on a malformed multiproof', async () => {
      const { anchor } = await loadFixture(deployFixture);
      await anchor.anchor(tree.root, digests.length);
      const { leaves, proof, proofFlags } = tree.getMultiProof([2, 9]);
      await expect(
        anchor.verifyEvents(
          tree.root,
          proof,
          [...proofFlags, true],
          leaves.map(([d]) => d),
        ),
      ).to.be.revertedWithCustomError(anchor, 'MerkleProofInvalidMultiproof');
    });
  });
  describe('state commitments', () => {
    const stateA = ethers.id('state-a');
    const stateB = ethers.id('state-b');

    it('anchors a batch and makes its state root the latest, with sequence and block', async () => {
      const { anchor } = await loadFixture(deployFixture);
      expect((await anchor.latestState()).root).to.equal(ethers.ZeroHash);
      const tx = await anchor.anchorWithState(tree.root, digests.length, stateA, 7);
      await expect(tx).to.emit(anchor, 'StateCommitted').withArgs(stateA, 7n);
      await expect(tx).to.emit(anchor, 'RootAnchored');
      const receipt = await tx.wait();
      const latest = await anchor.latestState();
      expect([latest.root, latest.sequence, latest.blockNumber]).to.deep.equal([
        stateA,
        7n,
        BigInt(receipt!.blockNumber),
      ]);
      expect(await anchor.isAnchored(tree.root)).to.equal(true);
    });

    it('never goes back: an older batch landing late anchors its events but leaves the latest state', async () => {
      const { anchor } = await loadFixture(deployFixture);
      await anchor.anchorWithState(tree.root, digests.length, stateB, 9);
      const late = batch(3, 500).tree.root;
      await expect(anchor.anchorWithState(late, 3, stateA, 8)).not.to.emit(anchor, 'StateCommitted');
      expect((await anchor.latestState()).root).to.equal(stateB);
      expect(await anchor.isAnchored(late)).to.equal(true);
    });

    it('commits a state with no events, and only for anchorers', async () => {
      const { anchor, outsider } = await loadFixture(deployFixture);
      await expect(anchor.commitState(stateA, 1)).to.emit(anchor, 'StateCommitted').withArgs(stateA, 1n);
      await expect(anchor.connect(outsider).commitState(stateB, 2))
        .to.be.revertedWithCustomError(anchor, 'EventAnchorUnauthorizedAnchorer')
        .withArgs(outsider.address);
      await expect(anchor.connect(outsider).anchorWithState(tree.root, digests.length, stateB, 2))
        .to.be.revertedWithCustomError(anchor, 'EventAnchorUnauthorizedAnchorer')
        .withArgs(outsider.address);
      expect((await anchor.latestState()).root).to.equal(stateA);
    });

    it('rejects the zero state root', async () => {
      const { anchor } = await loadFixture(deployFixture);
      await expect(anchor.commitState(ethers.ZeroHash, 1)).to.be.revertedWithCustomError(
        anchor,
        'EventAnchorZeroStateRoot',
      );
      await expect(
        anchor.anchorWithState(tree.root, digests.length, ethers.ZeroHash, 1),
      ).to.be.revertedWithCustomError(anchor, 'EventAnchorZeroStateRoot');
    });
  });
});
