import { Injectable, Logger } from '@nestjs/common';
import { gauge } from '@pedigree/common';
import { PedigreeConfig } from '@pedigree/config';
import { type AnchoringBacklog, AnchoringBacklogRepository } from './anchoring-backlog.repository';

const throttled = gauge(
  'pedigree_ingest_waiting_for_ledger',
  '1 while ingest holds its next transaction back because the ledger has too many events to anchor',
);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Hands back an admission with the events the transaction sent to the ledger (undefined: it failed). */
export type Release = (events: number | undefined) => void;

/**
 * Back-pressure from anchoring to ingest. Unbounded, a backlog means events that verify as `pending` for minutes
 * and, past ANCHOR_DEADLINE_SECONDS, as `unanchored`: when ingest outruns the ledger, holding the next transaction
 * back (Kafka keeps the documents) is the honest trade of throughput for anchoring lag.
 *
 * The bound covers what the ledger has not anchored (read from the database) plus the transactions this process is
 * running and the one asking, counted at the size of its recent ones: the partitions handled at once would otherwise
 * all pass the check together and overshoot it several times. A transaction larger than the bound goes alone once
 * the backlog is empty. A ledger that confirmed nothing for
 * INGEST_LEDGER_STALL_SECONDS is stopped, not slow: waiting for it would stop ingest too, so ingest goes on and the
 * deadline shows what stays unanchored.
 */
@Injectable()
export class AnchoringBackpressureService {
  private readonly logger = new Logger(AnchoringBackpressureService.name);
  /** One reading shared by the partitions handled at once (each asks before every transaction). */
  private reading?: { at: number; backlog: Promise<AnchoringBacklog> };
  private waiting = false;
  private inFlight = 0;
  /** Mean events per transaction recently sent to the ledger (0 until one finished). */
  private eventsPerTransaction = 0;
  static pollMs = 100;

  constructor(
    private readonly config: PedigreeConfig,
    private readonly repository: AnchoringBacklogRepository,
  ) {}

  /** The clock (a spec moves it). */
  protected now(): number {
    return Date.now();
  }

  /**
   * Resolves once the ledger has room for one more transaction (or is stopped, or `stopped()` says the caller is
   * shutting down). The caller must call the returned release when its transaction has finished.
   */
  async admit(keepAlive: () => Promise<void>, stopped: () => boolean): Promise<Release> {
    const max = this.config.ingestMaxUnanchoredEvents;
    if (max > 0) {
      let lastBeat = this.now();
      while (!stopped() && this.mustWait(await this.backlog(), max)) {
        await sleep(AnchoringBackpressureService.pollMs);
        if (this.now() - lastBeat >= 3000) {
          lastBeat = this.now();
          await keepAlive().catch(() => undefined);
        }
      }
      this.setWaiting(false);
    }
    this.inFlight++;
    let released = false;
    return (events) => {
      if (released) return;
      released = true;
      this.inFlight--;
      this.reading = undefined; // the committed events are in the outbox now
      if (events === undefined) return;
      this.eventsPerTransaction =
        this.eventsPerTransaction === 0 ? events : 0.8 * this.eventsPerTransaction + 0.2 * events;
    };
  }

  private mustWait(backlog: AnchoringBacklog, max: number): boolean {
    const expected = backlog.events + this.inFlight * this.eventsPerTransaction;
    const room = expected + this.eventsPerTransaction <= max || (this.inFlight === 0 && backlog.events === 0);
    if (room) return false;
    const stallMs = this.config.ingestLedgerStallSeconds * 1000;
    const confirmedAgo = backlog.lastConfirmedAt ? this.now() - backlog.lastConfirmedAt.getTime() : Infinity;
    if (confirmedAgo > stallMs) {
      if (this.waiting)
        this.logger.warn(`the ledger confirmed nothing for ${stallMs / 1000} s: ingest stops waiting for it`);
      this.setWaiting(false);
      return false;
    }
    if (!this.waiting)
      this.logger.log(
        `${Math.round(expected)} events wait for anchoring (bound ${max}): ingest waits for the ledger`,
      );
    this.setWaiting(true);
    return true;
  }

  private setWaiting(waiting: boolean): void {
    this.waiting = waiting;
    throttled.set(waiting ? 1 : 0);
  }

  private backlog(): Promise<AnchoringBacklog> {
    const now = this.now();
    if (!this.reading || now - this.reading.at >= AnchoringBackpressureService.pollMs) {
      this.reading = { at: now, backlog: this.repository.read() };
    }
    return this.reading.backlog;
  }
}
