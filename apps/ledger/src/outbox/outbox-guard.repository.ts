import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { counter } from '@pedigree/common';
import { PedigreeConfig } from '@pedigree/config';
import { type OutboxKind, OutboxSeal } from '@pedigree/database';
import { DataSource, type EntityManager } from 'typeorm';

const refused = counter(
  'pedigree_ledger_outbox_refused_total',
  'outbox entries refused because their seal is missing or wrong (written or edited outside the services)',
  ['kind'],
);

export interface SealedRow<P> {
  id: string;
  payload: P;
  seal: Buffer | null;
}

/**
 * Lets through only the outbox entries Pedigree's services wrote: each must carry the HMAC they put on it. The
 * others are marked refused (never anchored, registered or handed off), logged as an error and counted, so that a
 * row inserted by hand next to a forged event is reported instead of anchored within seconds.
 */
@Injectable()
export class OutboxGuardRepository {
  private readonly logger = new Logger(OutboxGuardRepository.name);
  private readonly sealer: OutboxSeal;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    config: PedigreeConfig,
  ) {
    this.sealer = new OutboxSeal(config.ledgerOutboxSecret!);
  }

  async admit<P, R extends SealedRow<P>>(kind: OutboxKind, rows: R[], manager?: EntityManager): Promise<R[]> {
    const admitted: R[] = [];
    const refusedIds: string[] = [];
    for (const row of rows) {
      if (this.sealer.verify(kind, row.payload, row.seal)) admitted.push(row);
      else refusedIds.push(String(row.id));
    }
    if (refusedIds.length === 0) return admitted;
    await (manager ?? this.dataSource).query(
      `UPDATE ledger_outbox SET processed_at = now(), processed_by = 'refused:seal' WHERE id = ANY($1::bigint[])`,
      [refusedIds],
    );
    refused.inc({ kind }, refusedIds.length);
    this.logger.error(
      `refused ${refusedIds.length} ${kind} outbox entr${refusedIds.length === 1 ? 'y' : 'ies'} without a valid seal (ids ${refusedIds.slice(0, 20).join(', ')}): written outside Pedigree's services`,
    );
    return admitted;
  }

  /** The seal the ledger puts on entries it writes itself (a chain replay re-queues work). */
  seal(kind: OutboxKind, payload: unknown): Buffer {
    return this.sealer.seal(kind, payload);
  }
}
