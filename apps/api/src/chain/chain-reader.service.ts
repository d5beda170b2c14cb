import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import {
  AnchorReader,
  type ChainDeployment,
  connectContracts,
  createChainProvider,
  type OnChainAnchor,
  readChainDeployment,
} from '@pedigree/chain';
import { PedigreeConfig } from '@pedigree/config';
import type { JsonRpcProvider } from 'ethers';

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

  constructor(private readonly config: PedigreeConfig) {}

  private connect(): AnchorReader | undefined {
    if (this.reader) return this.reader;
    if (Date.now() - this.lastLoadAttempt < 5000) return undefined;
    this.lastLoadAttempt = Date.now();
    try {
      this.deployment = readChainDeployment(this.config.chainDeploymentFile);
      this.provider = createChainProvider(this.config.chainRpcUrl, this.deployment.chainId);
      this.reader = new AnchorReader(connectContracts(this.deployment, this.provider).anchor);
      return this.reader;
    } catch (error) {
      this.logger.warn(`chain verification unavailable: ${(error as Error).message}`);
      return undefined;
    }
  }

  get chainId(): number | undefined {
    return this.deployment?.chainId;
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
