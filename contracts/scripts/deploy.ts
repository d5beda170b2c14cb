import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { getAddress, HDNodeWallet, NonceManager, type Signer } from 'ethers';
import {
  CustodyLedger__factory,
  EventAnchor__factory,
  ParticipantRegistry__factory,
} from '../typechain-types';
import { accountPath, TEST_MNEMONIC } from './accounts';

/** Addresses of a Pedigree deployment. */
export interface PedigreeContracts {
  registry: string;
  custody: string;
  anchor: string;
  /** Block of the registry's deployment: indexers scan events from here. */
  blockNumber: number;
}

/** The deployment record written for the off-chain services (`CHAIN_DEPLOYMENT_FILE`). */
export interface DeploymentRecord {
  chainId: number;
  genesisHash: string;
  deployedAtBlock: number;
  contracts: { ParticipantRegistry: string; CustodyLedger: string; EventAnchor: string };
  deployer: string;
  anchorer: string;
}

/**
 * Deploys the registry, the custody ledger and the event anchor, and grants `ANCHORER_ROLE` to `opts.anchorer`.
 * The deployer becomes the consortium admin. Works with any ethers v6 signer (Hardhat or plain ethers).
 *
 * Nonces are counted locally: a plain ethers provider caches `eth_getTransactionCount` for 250 ms, which an
 * automining node outruns. Callers sending more transactions right away should do the same (`NonceManager`).
 */
export async function deployPedigree(signer: Signer, opts: { anchorer: string }): Promise<PedigreeContracts> {
  const anchorer = getAddress(opts.anchorer);
  const deployer = new NonceManager(signer);

  const registry = await new ParticipantRegistry__factory(deployer).deploy();
  const registryReceipt = await registry.deploymentTransaction()?.wait();
  if (!registryReceipt) throw new Error('ParticipantRegistry deployment was not mined');
  const registryAddress = await registry.getAddress();

  const custody = await new CustodyLedger__factory(deployer).deploy(registryAddress);
  await custody.waitForDeployment();
  const anchor = await new EventAnchor__factory(deployer).deploy(registryAddress);
  await anchor.waitForDeployment();

  const grant = await registry.grantRole(await registry.ANCHORER_ROLE(), anchorer);
  await grant.wait();

  return {
    registry: registryAddress,
    custody: await custody.getAddress(),
    anchor: await anchor.getAddress(),
    blockNumber: registryReceipt.blockNumber,
  };
}

/** Where `main()` writes the deployment record. */
export function deploymentFile(env: NodeJS.ProcessEnv = process.env): string {
  const configured = env.CHAIN_DEPLOYMENT_FILE;
  if (configured) return path.resolve(configured);
  return path.resolve(__dirname, '..', '..', '.pedigree', 'chain', 'deployment.json');
}

/** The anchoring account: `CHAIN_ANCHORER_ADDRESS`, else account 1 of the test mnemonic. */
export function anchorerAddress(env: NodeJS.ProcessEnv = process.env): string {
  const configured = env.CHAIN_ANCHORER_ADDRESS;
  if (configured) return getAddress(configured);
  return HDNodeWallet.fromPhrase(TEST_MNEMONIC, undefined, accountPath(1)).address;
}

async function main(): Promise<void> {
  const { ethers } = await import('hardhat');
  const [deployer] = await ethers.getSigners();
  const anchorer = anchorerAddress();
  const deployed = await deployPedigree(deployer, { anchorer });

  const { chainId } = await ethers.provider.getNetwork();
  const genesis = await ethers.provider.getBlock(0);
  if (!genesis?.hash) throw new Error('cannot read the genesis block');

  const record: DeploymentRecord = {
    chainId: Number(chainId),
    genesisHash: genesis.hash,
    deployedAtBlock: deployed.blockNumber,
    contracts: {
      ParticipantRegistry: deployed.registry,
      CustodyLedger: deployed.custody,
      EventAnchor: deployed.anchor,
    },
    deployer: deployer.address,
    anchorer,
  };
  const file = deploymentFile();
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(record, null, 2)}\n`);
  console.log(`Pedigree deployed on chain ${record.chainId} at block ${record.deployedAtBlock} -> ${file}`);
  console.log(JSON.stringify(record.contracts, null, 2));
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
