import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import {
  AnchorReader,
  type ChainDeployment,
  connectContracts,
  createChainProvider,
  type CustodyCheck,
  CustodyChecker,
  type CustodyClaim,
  custodyDomain,
  type OnChainAnchor,
  readChainDeployment,
} from '@pedigree/chain';
import { PedigreeConfig } from '@pedigree/config';
import type { JsonRpcProvider, TypedDataDomain } from 'ethers';
import { RefreshingValue } from './refreshing-value';

export interface CommittedState {
  root: string;
  sequence: number;
  blockNumber: number;
}

export type StateLookup =
  { status: 'found'; state: CommittedState | null } | { status: 'unavailable'; reason: string };

export type ChainLookup =
  | { status: 'found'; anchor: OnChainAnchor }
  | { status: 'missing' }
  | { status: 'unavailable'; reason: string };

/**
 * Read-only chain access for verifiers. The API never signs; it reads anchors to check proofs. When the node is
 * down or the deployment is unknown, answers say "unavailable" and verification degrades instead of failing.
 */
@Injectable()
export class ChainReaderService implements OnModuleDestroy {
  private readonly logger = new Logger(ChainReaderService.name);
  private deployment?: ChainDeployment;
  private provider?: JsonRpcProvider;
  private reader?: AnchorReader;
  private lastLoadAttempt = 0;
  private anchorContract_?: ReturnType<typeof connectContracts>['anchor'];
  private custodyChecker_?: CustodyChecker;
  /**
   * The latest committed state root, shared: at hundreds of verifications per second each would otherwise make its
   * own call to the node. Never older than a second, as before (far below the anchoring interval), but re-read in
   * the background from 750 ms on, so under load no request waits for the node.
   */
  private readonly latest = new RefreshingValue<StateLookup>(
    () => this.readLatestState(),
    (lookup) => lookup.status === 'found',
    750,
    1000,
  );

  constructor(private readonly config: PedigreeConfig) {}

  private connect(): AnchorReader | undefined {
    if (this.reader) return this.reader;
    if (Date.now() - this.lastLoadAttempt < 5000) return undefined;
    this.lastLoadAttempt = Date.now();
    try {
      this.deployment = readChainDeployment(this.config.chainDeploymentFile);
      this.provider = createChainProvider(this.config.chainRpcUrl, this.deployment.chainId);
      const contracts = connectContracts(this.deployment, this.provider);
      this.anchorContract_ = contracts.anchor;
      this.custodyChecker_ = new CustodyChecker(
        contracts.custody,
        contracts.registry,
        this.deployment.deployedAtBlock,
      );
      this.reader = new AnchorReader(this.anchorContract_);
      return this.reader;
    } catch (error) {
      this.logger.warn(`chain verification unavailable: ${(error as Error).message}`);
      return undefined;
    }
  }

  get chainId(): number | undefined {
    return this.deployment?.chainId;
  }

  /** The EIP-712 domain custody handoffs and custody keys are signed in, once the deployment is known. */
  custodyDomain(): TypedDataDomain | undefined {
    this.connect();
    return this.deployment && custodyDomain(this.deployment);
  }

  /** Checks a claimed custody handoff against CustodyLedger; undefined when the chain is not reachable. */
  async checkCustody(claim: CustodyClaim): Promise<CustodyCheck | undefined> {
    if (!this.connect() || !this.custodyChecker_) return undefined;
    try {
      return await withTimeout(this.custodyChecker_.check(claim), 2000);
    } catch (error) {
      this.logger.debug(`custody check unavailable: ${(error as Error).message}`);
      return undefined;
    }
  }

  get anchorContract(): string | undefined {
    return this.deployment?.contracts.EventAnchor;
  }

  async anchorOf(root: string): Promise<ChainLookup> {
    const reader = this.connect();
    if (!reader) return { status: 'unavailable', reason: 'contract deployment not known' };
    try {
      const anchor = await withTimeout(reader.anchorOf(root), 2000);
      return anchor ? { status: 'found', anchor } : { status: 'missing' };
    } catch (error) {
      return { status: 'unavailable', reason: (error as Error).message.slice(0, 200) };
    }
  }

  /** The chain's latest state commitment (null before the first); proofs are checked against nothing older. */
  latestState(): Promise<StateLookup> {
    return this.latest.get();
  }

  private async readLatestState(): Promise<StateLookup> {
    if (!this.connect() || !this.anchorContract_)
      return { status: 'unavailable', reason: 'contract deployment not known' };
    try {
      const state = await withTimeout(this.anchorContract_.latestState(), 2000);
      if (/^0x0+$/.test(state.root)) return { status: 'found', state: null };
      return {
        status: 'found',
        state: { root: state.root, sequence: Number(state.sequence), blockNumber: Number(state.blockNumber) },
      };
    } catch (error) {
      return { status: 'unavailable', reason: (error as Error).message.slice(0, 200) };
    }
  }

  onModuleDestroy(): void {
    this.provider?.destroy();
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`chain did not answer within ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
