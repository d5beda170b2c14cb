import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { isInfrastructureFailure } from '@pedigree/common';
import { PedigreeConfig } from '@pedigree/config';
import { poisonLetter, processIsolatingPoison } from '../capture/poison-isolation';
import { MessagePublisher } from '../dead-letters/message-publisher';
import type { SourceMessage } from '@pedigree/supply-chain';
import { type BatchResult, IngestPipelineService } from '../pipeline/ingest-pipeline.service';
import { IngestProgressService } from './ingest-progress.service';
import { type ParkedDocumentRow, ParkingRepository, WAITING_PAGE } from './parking.repository';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Gives parked documents another chance when an identifier they wait for changes, and stores those still blocked
 * after INGEST_PARK_TIMEOUT_SECONDS as flagged evidence (see supply-chain.rules.ts). The wait is measured on the
 * clock and in the log's time: it ends once ingest has also read every document published up to the timeout after
 * the parked one, so a lagging consumer does not turn reordering across partitions into flags.
 */
@Injectable()
export class ParkingService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ParkingService.name);
  private touched = new Set<string>();
  private running = false;
  private loop?: Promise<void>;

  constructor(
    private readonly config: PedigreeConfig,
    private readonly parked: ParkingRepository,
    private readonly pipeline: IngestPipelineService,
    private readonly publisher: MessagePublisher,
    private readonly progress: IngestProgressService,
  ) {}

  notifyTouched(epcs: string[]): void {
    for (const epc of epcs) this.touched.add(epc);
  }

  /** After a batch committed: what it changed, and what the documents it parked wait for (see BatchResult). */
  notifyCommitted(result: BatchResult): void {
    this.notifyTouched(result.touchedEpcs);
    this.notifyTouched(result.parkedWaitingFor);
  }

  onApplicationBootstrap(): void {
    this.running = true;
    this.loop = this.run();
  }

  async onApplicationShutdown(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        await this.sweep();
      } catch (error) {
        this.logger.warn({ err: error }, 'parking sweep failed; will retry');
      }
      await sleep(this.config.ingestParkRetryIntervalMs);
    }
  }

  /** One pass: retry what may have been unblocked, expire what waited too long. */
  async sweep(): Promise<void> {
    const touched = [...this.touched];
    this.touched = new Set();
    // Every page: the identifiers are forgotten after this sweep, so a document left unread would wait for nothing.
    for (let afterId = '0'; touched.length > 0;) {
      const rows = await this.parked.waitingFor(touched, afterId);
      if (rows.length > 0) await this.retry(rows);
      if (rows.length < WAITING_PAGE) break;
      afterId = rows[rows.length - 1]!.id;
    }
    await this.expire();
  }

  private toMessages(rows: ParkedDocumentRow[], timedOut: boolean): SourceMessage[] {
    return rows.map((row) => {
      const [topic, partition, offset] = row.source.split('/');
      return {
        value: row.payload,
        key: row.message_key,
        headers: row.headers,
        topic: topic ?? 'parked',
        partition: Number(partition ?? 0),
        offset: offset ?? '0',
        timestamp: (row.published_at ?? row.parked_at).toISOString(),
        parkedId: String(row.id),
        onlyEventIndexes: row.event_indexes,
        parkTimedOut: timedOut,
      };
    });
  }

  private async retry(rows: ParkedDocumentRow[]): Promise<void> {
    for (const result of await this.processIsolating(this.toMessages(rows, false))) {
      this.notifyCommitted(result);
      if (result.settledParkedIds.length > 0) {
        this.logger.log(`${result.settledParkedIds.length} parked document(s) settled`);
      }
    }
  }

  /** A parked document that breaks processing is dead-lettered and removed, so it cannot stall the others. */
  private processIsolating(messages: SourceMessage[]): Promise<BatchResult[]> {
    return processIsolatingPoison(
      messages,
      (batch) => this.pipeline.process(batch),
      async (poison, error) => {
        this.logger.error(
          { err: error, parkedId: poison.parkedId },
          'dead-lettering a parked document that breaks processing',
        );
        await this.publisher.deadLetters([poisonLetter(poison, error)]);
        // Every message here was read from parked_documents, so it carries its row's id (see toMessages).
        await this.parked.remove(poison.parkedId!);
      },
      isInfrastructureFailure,
    );
  }

  /**
   * Documents whose preconditions never came: applied one last time, unmet preconditions turned into flags, so the
   * observations are stored as evidence and intelligence raises the alerts (unknown serial, custody break).
   */
  private async expire(): Promise<void> {
    const rows = await this.waitedInLogTime(
      await this.parked.parkedLongerThan(this.config.ingestParkTimeoutSeconds),
    );
    if (rows.length === 0) return;
    let accepted = 0;
    for (const result of await this.processIsolating(this.toMessages(rows, true))) {
      this.notifyCommitted(result);
      accepted += result.accepted;
    }
    this.logger.warn(
      `${rows.length} parked document(s) waited ${this.config.ingestParkTimeoutSeconds}s for their preconditions; ` +
        `stored with flags (${accepted} events)`,
    );
  }

  /**
   * Of the documents parked longer than the timeout, those whose wait is over in the log's time too: every document
   * published before their own publication plus the timeout has been read. While ingest lags behind, what a document
   * waits for may be published and still unread in another partition (a case opening is keyed by its case, the pick
   * from it by the tote). A publication time later than the parking (a producer's clock ahead) counts as the parking.
   */
  private async waitedInLogTime(rows: ParkedDocumentRow[]): Promise<ParkedDocumentRow[]> {
    if (rows.length === 0) return rows;
    const timeoutMs = this.config.ingestParkTimeoutSeconds * 1000;
    const due = rows
      .map((row) => ({
        row,
        until: Math.min(row.published_at?.getTime() ?? Infinity, row.parked_at.getTime()) + timeoutMs,
      }))
      .sort((a, b) => a.until - b.until);
    try {
      const count = await this.progress.readThroughCount(due.map((d) => d.until));
      if (count < due.length) {
        this.logger.debug(
          `${due.length - count} parked document(s) wait until ingest has read the log past them`,
        );
      }
      return due.slice(0, count).map((d) => d.row);
    } catch (error) {
      this.logger.warn(
        { err: error },
        'cannot tell how far ingest has read; parked documents wait another sweep',
      );
      return [];
    }
  }
}
