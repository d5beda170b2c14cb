import path from 'node:path';
import { expect } from 'chai';
import { ethers } from 'hardhat';
import { anchorerAddress, deploymentFile } from '../scripts/deploy';
import { deployFixture, ROLES } from './helpers/fixtures';
import { loadFixture } from './helpers/load-fixture';

describe('deployPedigree', () => {
  it('deploys the three contracts wired to one registry and grants ANCHORER_ROLE', async () => {
    const { deployed, registry, custody, anchor, admin, anchorer } = await loadFixture(deployFixture);
    for (const address of [deployed.registry, deployed.custody, deployed.anchor]) {
      expect(await ethers.provider.getCode(address)).to.not.equal('0x');
    }
    expect(await custody.registry()).to.equal(deployed.registry);
    expect(await anchor.registry()).to.equal(deployed.registry);
    expect(await registry.hasRole(ROLES.DEFAULT_ADMIN, admin.address)).to.equal(true);
    expect(await registry.hasRole(ROLES.ANCHORER, anchorer.address)).to.equal(true);
    // blockNumber is the block of the registry's creation: indexers start there.
    expect(await findCreation(deployed.registry, deployed.blockNumber)).to.match(/^0x[0-9a-f]{64}$/);
  });

  it('defaults the anchorer to account 1 of the mnemonic, unless CHAIN_ANCHORER_ADDRESS is set', async () => {
    const [, second, third] = await ethers.getSigners();
    expect(anchorerAddress({})).to.equal(second.address);
    expect(anchorerAddress({ CHAIN_ANCHORER_ADDRESS: third.address.toLowerCase() })).to.equal(third.address);
    expect(() => anchorerAddress({ CHAIN_ANCHORER_ADDRESS: '0x1234' })).to.throw();
  });

  it('writes to CHAIN_DEPLOYMENT_FILE, by default .pedigree/chain/deployment.json under the repo root', () => {
    const repoRoot = path.resolve(__dirname, '..', '..');
    expect(deploymentFile({})).to.equal(path.join(repoRoot, '.pedigree', 'chain', 'deployment.json'));
    expect(deploymentFile({ CHAIN_DEPLOYMENT_FILE: '/tmp/chain.json' })).to.equal('/tmp/chain.json');
  });
});

/** The hash of the transaction of block `blockNumber` that created `contract`. */
async function findCreation(contract: string, blockNumber: number): Promise<string> {
  const block = await ethers.provider.getBlock(blockNumber, true);
  for (const tx of block!.prefetchedTransactions) {
    const receipt = await ethers.provider.getTransactionReceipt(tx.hash);
    if (receipt?.contractAddress === contract) return tx.hash;
  }
  throw new Error(`no creation of ${contract} in block ${blockNumber}`);
}
