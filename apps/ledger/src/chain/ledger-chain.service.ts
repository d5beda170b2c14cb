import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import {
  type ChainDeployment,
  connectContracts,
  createChainProvider,
  deriveSigner,
  type PedigreeContracts,
  readChainDeployment,
  ACCOUNT_INDEX,
} from '@pedigree/chain';
import { PedigreeConfig } from '@pedigree/config';
import { type JsonRpcProvider, NonceManager } from 'ethers';
import { statSync } from 'node:fs';

/**
 * The ledger's view of the chain: the deployment, a provider, and one nonce-managed signer per platform account
 * (consortium admin, anchorer, custody relayer), derived from LEDGER_MNEMONIC; a KMS signer in production fits the
 * same ethers Signer interface. Members' custody keys are not here (CustodyKeystoreService).
 */
@Injectable()
export class LedgerChainService implements OnModuleDestroy {
  private readonly logger = new Logger(LedgerChainService.name);
  deployment: ChainDeployment;
  provider: JsonRpcProvider;
  private readonly signers = new Map<number, NonceManager>();
  private deploymentMtime: number;

  constructor(private readonly config: PedigreeConfig) {
    this.deployment = readChainDeployment(config.chainDeploymentFile);
    this.deploymentMtime = statSync(config.chainDeploymentFile).mtimeMs;
    this.provider = createChainProvider(config.chainRpcUrl, this.deployment.chainId);
  }

  /**
   * Re-reads the deployment file when it changed (contracts redeployed, e.g. on a new chain after a reset) and
   * starts over with fresh connections and nonces. Returns true when it reloaded.
   */
  reloadDeploymentIfChanged(): boolean {
    let mtime: number;
    try {
      mtime = statSync(this.config.chainDeploymentFile).mtimeMs;
    } catch {
      return false;
    }
    if (mtime === this.deploymentMtime) return false;
    const next = readChainDeployment(this.config.chainDeploymentFile);
    this.deploymentMtime = mtime;
    if (
      next.genesisHash === this.deployment.genesisHash &&
      next.contracts.EventAnchor === this.deployment.contracts.EventAnchor
    )
      return false;
    this.logger.warn(
      `contract deployment changed (chain ${next.chainId}, genesis ${next.genesisHash.slice(0, 10)}…): reconnecting`,
    );
    this.provider.destroy();
    this.deployment = next;
    this.provider = createChainProvider(this.config.chainRpcUrl, next.chainId);
    this.signers.clear();
    return true;
  }

  signer(index: number): NonceManager {
    let signer = this.signers.get(index);
    if (!signer) {
      // Keys are derived on demand and never leave this process.
      signer = new NonceManager(deriveSigner(this.config.ledgerMnemonic!, index, this.provider));
      this.signers.set(index, signer);
    }
    return signer;
  }

  /** After a failed send the local nonce may be ahead of the chain's; ask the node again next time. */
  resetNonce(index: number): void {
    this.signers.get(index)?.reset();
  }

  contractsAs(index: number): PedigreeContracts {
    return connectContracts(this.deployment, this.signer(index));
  }

  readOnly(): PedigreeContracts {
    return connectContracts(this.deployment, this.provider);
  }

  get anchorerIndex(): number {
    return ACCOUNT_INDEX.anchorer;
  }

  get adminIndex(): number {
    return ACCOUNT_INDEX.consortiumAdmin;
  }

  get relayerIndex(): number {
    return ACCOUNT_INDEX.custodyRelayer;
  }

  /** Dev and gas-priced chains: tops a platform account up to LEDGER_ACCOUNT_FUNDING_WEI from the admin account. */
  async ensureFunded(index: number): Promise<void> {
    const target = BigInt(this.config.ledgerAccountFundingWei);
    if (target === 0n) return;
    const address = await this.signer(index).getAddress();
    const balance = await this.provider.getBalance(address);
    if (balance >= target / 2n) return;
    const tx = await this.signer(this.adminIndex).sendTransaction({ to: address, value: target - balance });
    await tx.wait(1);
  }

  /** True when the node answers and still has the genesis block the contracts were deployed on. */
  async checkChain(): Promise<{ reachable: boolean; sameChain: boolean; head?: number }> {
    try {
      const [genesis, head] = await Promise.all([this.provider.getBlock(0), this.provider.getBlockNumber()]);
      return { reachable: true, sameChain: genesis?.hash === this.deployment.genesisHash, head };
    } catch (error) {
      this.logger.debug({ err: error }, 'chain not reachable');
      return { reachable: false, sameChain: false };
    }
  }

  onModuleDestroy(): void {
    this.provider.destroy();
  }
}
