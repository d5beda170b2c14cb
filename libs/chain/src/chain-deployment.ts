import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { isAddress } from 'ethers';

/** What the deploy step writes and every chain client reads (`CHAIN_DEPLOYMENT_FILE`). */
export interface ChainDeployment {
  chainId: number;
  genesisHash: string;
  deployedAtBlock: number;
  contracts: { ParticipantRegistry: string; CustodyLedger: string; EventAnchor: string };
  deployer: string;
  anchorer: string;
}

export class ChainDeploymentError extends Error {
  readonly code = 'CHAIN_DEPLOYMENT_INVALID';
  readonly retriable = false;
}

/** Reads and checks the deployment record; a missing or malformed file names itself and what to run. */
export function readChainDeployment(file: string): ChainDeployment {
  const path = resolve(file);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ChainDeploymentError(
      `Cannot read the contract deployment ${path} (${(error as Error).message}). ` +
        'Deploy the contracts first: npm run chain:deploy (or set CHAIN_DEPLOYMENT_FILE).',
    );
  }
  const record = parsed as Partial<ChainDeployment>;
  const contracts = record.contracts ?? ({} as ChainDeployment['contracts']);
  for (const name of ['ParticipantRegistry', 'CustodyLedger', 'EventAnchor'] as const) {
    if (!isAddress(contracts[name])) {
      throw new ChainDeploymentError(`${path}: contracts.${name} is not an address`);
    }
  }
  if (typeof record.chainId !== 'number' || typeof record.genesisHash !== 'string') {
    throw new ChainDeploymentError(`${path}: chainId and genesisHash are required`);
  }
  return record as ChainDeployment;
}
