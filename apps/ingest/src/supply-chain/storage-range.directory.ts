import { Injectable, Logger } from '@nestjs/common';
import { namedSubjectOf, type StorageRange, storageRangeOf } from '@pedigree/epcis';
import { StorageRangeRepository } from './storage-range.repository';

/** How stale the ranges may be: a product's new storage range applies to events ingested after it, within this. */
const REFRESH_MS = 5000;

/**
 * Each product's storage temperature range, by GTIN, as its owner's master data states it: what the rules engine
 * checks sensor readings against. Only the owner is believed (a shipper cannot widen a manufacturer's range).
 */
@Injectable()
export class StorageRangeDirectory {
  private readonly logger = new Logger(StorageRangeDirectory.name);
  private ranges = new Map<string, StorageRange>();
  private loadedAt = 0;

  constructor(private readonly repository: StorageRangeRepository) {}

  /** Reloads when stale; a failed reload keeps the last ranges (the next batch tries again). */
  async refresh(now = Date.now()): Promise<void> {
    if (now - this.loadedAt < REFRESH_MS) return;
    try {
      const ranges = new Map<string, StorageRange>();
      for (const { id, attributes } of await this.repository.statements()) {
        const subject = namedSubjectOf(id);
        const range = storageRangeOf(attributes);
        if (subject?.kind === 'product' && range) ranges.set(subject.gtin, range);
      }
      this.ranges = ranges;
      this.loadedAt = now;
    } catch (error) {
      this.logger.warn({ err: error }, 'storage ranges not reloaded; keeping the last ones');
    }
  }

  /** Ranges from master data this process has just stored, without waiting for the next reload. */
  learn(rows: { id: string; authoritative: boolean; attributes: Record<string, unknown> }[]): void {
    for (const row of rows) {
      const subject = row.authoritative ? namedSubjectOf(row.id) : undefined;
      const range = storageRangeOf(row.attributes);
      if (subject?.kind === 'product' && range) this.ranges.set(subject.gtin, range);
    }
  }

  rangeOf(gtin: string): StorageRange | undefined {
    return this.ranges.get(gtin);
  }
}
