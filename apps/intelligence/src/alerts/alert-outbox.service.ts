import { Injectable, Logger } from '@nestjs/common';
import { counter, isInfrastructureFailure } from '@pedigree/common';
import { AlertPublisher } from './alert-publisher.service';
import type { AlertCandidate } from './alerts.repository';
import { SetAsideAlertsRepository } from './set-aside-alerts.repository';

/** One change to the alerts, in the order the detector decided it. */
export type AlertChange =
  { action: 'open'; candidate: AlertCandidate } | { action: 'close'; dedupeKey: string; note: string };

const setAside = counter(
  'pedigree_intelligence_alerts_set_aside_total',
  'alert changes that could never be written, kept in set_aside_alerts instead of stalling the stream',
  ['action'],
);

function reasonOf(error: unknown): string {
  const { code, type, name, message } = (error ?? {}) as Record<string, unknown>;
  const tag = [code, type, name].find((value): value is string => typeof value === 'string' && value !== '');
  return `${tag ? `${tag}: ` : ''}${typeof message === 'string' ? message : String(error)}`;
}

/**
 * Delivers the detector's alert changes, in order, and keeps what it could not deliver yet.
 *
 * The detector ignores events it has seen, so a batch retried after a failed write yields no candidates again:
 * without this queue, a database blip would drop its alerts. A change refused for what it is (a constraint, a
 * message too large for the broker) is set aside with the reason instead of being retried forever, which would
 * stall every later event of the stream.
 */
@Injectable()
export class AlertOutbox {
  private readonly logger = new Logger(AlertOutbox.name);
  private readonly pending: AlertChange[] = [];
  /** After a group failed for what it holds, its changes go one at a time to find the one at fault. */
  private isolating = 0;
  private delivering: Promise<void> = Promise.resolve();

  constructor(
    private readonly publisher: AlertPublisher,
    private readonly setAsideRepository: SetAsideAlertsRepository,
  ) {}

  /** Changes queued and not yet delivered. */
  get size(): number {
    return this.pending.length;
  }

  /** Queues the changes and delivers all that is queued; throws, keeping them, while storage or broker is down. */
  send(changes: AlertChange[]): Promise<void> {
    this.pending.push(...changes);
    return this.flush();
  }

  flush(): Promise<void> {
    const next = this.delivering.then(
      () => this.deliverAll(),
      () => this.deliverAll(),
    );
    this.delivering = next.catch(() => undefined);
    return next;
  }

  private async deliverAll(): Promise<void> {
    while (this.pending.length > 0) {
      const count = this.isolating > 0 ? 1 : this.groupLength();
      const group = this.pending.slice(0, count);
      try {
        await this.deliver(group);
      } catch (error) {
        if (isInfrastructureFailure(error)) throw error;
        if (group.length > 1) {
          // Changes of the group before the bad one may be written already; writing them again only counts one
          // more occurrence of their alert.
          this.isolating = group.length;
          continue;
        }
        await this.setAside(group[0]!, error);
      }
      this.pending.splice(0, count);
      if (this.isolating > 0) this.isolating--;
    }
  }

  /** Openings go together (one publish); a closing goes alone, so an alert opened and closed in one batch ends closed. */
  private groupLength(): number {
    if (this.pending[0]!.action === 'close') return 1;
    const end = this.pending.findIndex((change) => change.action === 'close');
    return end === -1 ? this.pending.length : end;
  }

  private async deliver(group: AlertChange[]): Promise<void> {
    const first = group[0]!;
    if (first.action === 'close') {
      await this.publisher.close(first.dedupeKey, first.note);
      return;
    }
    await this.publisher.raise(
      group.flatMap((change) => (change.action === 'open' ? [change.candidate] : [])),
    );
  }

  private async setAside(change: AlertChange, error: unknown): Promise<void> {
    const reason = reasonOf(error);
    const entry =
      change.action === 'open'
        ? { dedupeKey: change.candidate.dedupeKey, action: change.action, payload: { ...change.candidate } }
        : { dedupeKey: change.dedupeKey, action: change.action, payload: { note: change.note } };
    try {
      await this.setAsideRepository.record({ ...entry, reason });
    } catch (failure) {
      if (isInfrastructureFailure(failure)) throw failure;
      // Even the record was refused (e.g. text PostgreSQL cannot store): the log line is what is left of it.
      this.logger.error({ err: failure, payload: entry.payload }, 'could not record the set-aside change');
    }
    setAside.inc({ action: entry.action });
    this.logger.error(
      { dedupeKey: entry.dedupeKey, action: entry.action, reason },
      'an alert change can never be written; set aside in set_aside_alerts, the stream goes on',
    );
  }
}
