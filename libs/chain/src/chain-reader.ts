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

  constructor(private readonly anchor: EventAnchor) {}

  async anchorOf(root: string): Promise<OnChainAnchor | undefined> {
    const key = root.toLowerCase();
    const cached = this.found.get(key);
    if (cached) return cached;
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
