import {
  type CustodyLedger,
  CustodyLedger__factory,
  type EventAnchor,
  EventAnchor__factory,
  type ParticipantRegistry,
  ParticipantRegistry__factory,
} from '@pedigree/contracts';
import { HDNodeWallet, JsonRpcProvider, Network, type ContractRunner, type Signer } from 'ethers';
import type { ChainDeployment } from './chain-deployment';

export interface PedigreeContracts {
  registry: ParticipantRegistry;
  custody: CustodyLedger;
  anchor: EventAnchor;
}

/**
 * A provider pinned to the deployment's chain id: no network auto-detection, which would retry in the background
 * and flood the log while the node is away; calls simply fail and the caller's backoff decides.
 */
export function createChainProvider(
  rpcUrl: string,
  chainId: number,
  pollingIntervalMs = 500,
): JsonRpcProvider {
  const provider = new JsonRpcProvider(rpcUrl, Network.from(chainId), {
    staticNetwork: Network.from(chainId),
    pollingInterval: pollingIntervalMs,
    batchMaxCount: 10,
  });
  return provider;
}

export function connectContracts(deployment: ChainDeployment, runner: ContractRunner): PedigreeContracts {
  return {
    registry: ParticipantRegistry__factory.connect(deployment.contracts.ParticipantRegistry, runner),
    custody: CustodyLedger__factory.connect(deployment.contracts.CustodyLedger, runner),
    anchor: EventAnchor__factory.connect(deployment.contracts.EventAnchor, runner),
  };
}

/** The account at an index of an HD wallet (BIP-44 Ethereum path, as Hardhat derives them). */
export function deriveWallet(mnemonic: string, index: number): HDNodeWallet {
  return HDNodeWallet.fromPhrase(mnemonic, undefined, `m/44'/60'/0'/0/${index}`);
}

/** The signing account at an index of the ledger's HD wallet. */
export function deriveSigner(mnemonic: string, index: number, provider?: JsonRpcProvider): Signer {
  const wallet = deriveWallet(mnemonic, index);
  return provider ? wallet.connect(provider) : wallet;
}

export function deriveAddress(mnemonic: string, index: number): string {
  return deriveWallet(mnemonic, index).address;
}
