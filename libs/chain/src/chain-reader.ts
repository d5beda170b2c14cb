import type { EventAnchor } from '@pedigree/contracts';

export interface OnChainAnchor {
  root: string;
  blockNumber: number;
  timestamp: number;
  sequence: number;
  eventCount: number;
}

/**
 * Reads anchors from the chain for verifiers. Confirmed anchors never change, so found roots are cached; a
 * missing root is not cached (it may be an anchor still on its way).
 */
export class AnchorReader {
  private readonly found = new Map<string, OnChainAnchor>();
  /**
   * Lookups on their way, by root: a batch's events are verified together, so right after a restart dozens of
   * requests ask for the same root at once; they share one call instead of queueing dozens on the node.
   */
  private readonly inFlight = new Map<string, Promise<OnChainAnchor | undefined>>();

  constructor(private readonly anchor: Pick<EventAnchor, 'anchorOf'>) {}

  anchorOf(root: string): Promise<OnChainAnchor | undefined> {
    const key = root.toLowerCase();
    const cached = this.found.get(key);
    if (cached) return Promise.resolve(cached);
    let pending = this.inFlight.get(key);
    if (!pending) {
      pending = this.lookUp(root, key).finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, pending);
    }
    return pending;
  }

  private async lookUp(root: string, key: string): Promise<OnChainAnchor | undefined> {
    const record = await this.anchor.anchorOf(root);
    if (record.blockNumber === 0n) return undefined;
    const result: OnChainAnchor = {
      root: key,
      blockNumber: Number(record.blockNumber),
      timestamp: Number(record.timestamp),
      sequence: Number(record.sequence),
      eventCount: Number(record.eventCount),
    };
    if (this.found.size > 100_000) this.found.clear();
    this.found.set(key, result);
    return result;
  }

  /** Forget everything (after a chain reset). */
  clear(): void {
    this.found.clear();
  }
}
