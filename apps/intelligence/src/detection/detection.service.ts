import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { counter, gauge } from '@pedigree/common';
import { PedigreeConfig } from '@pedigree/config';
import { glnOfLocationOrParty } from '@pedigree/gs1';
import type { DeadLetterMessage, EventsAcceptedMessage } from '@pedigree/messaging';
import {
  type AlertCandidate,
  AnomalyDetector,
  type AutoencoderScorer,
  type DetectorMasterData,
  type FeatureFamily,
} from '@pedigree/ml';
import { type AlertChange, AlertOutbox } from '../alerts/alert-outbox.service';
import { AnomalyModelsService } from './anomaly-models.service';
import { DetectorStateRepository } from './detector-state.repository';
import { MasterDataRepository } from './master-data.repository';

const scored = counter('pedigree_intelligence_events_scored_total', 'accepted events scored');
const letters = counter('pedigree_intelligence_dead_letters_scored_total', 'dead letters examined');
const tracked = gauge('pedigree_intelligence_packs_tracked', 'packs and containers the detector tracks');
const pending = gauge(
  'pedigree_intelligence_pending_suspicions',
  'suspicions waiting out their grace period for the late data that would explain them',
);
const held = gauge(
  'pedigree_intelligence_events_held',
  'events read but not yet scored: held until their place in ingest’s commit order across partitions is known',
);

/**
 * Owns the anomaly detector: feeds it the accepted-event and dead-letter streams, turns its findings into alerts
 * (stored, deduplicated, published on `alerts.v1`), advances its clock, checkpoints its state with the offsets the
 * state covers, and rebuilds it when the membership (sites, coordinates) changes.
 */
@Injectable()
export class DetectionService implements OnApplicationShutdown {
  private readonly logger = new Logger(DetectionService.name);
  private detector?: AnomalyDetector;
  private scorers?: Partial<Record<FeatureFamily, AutoencoderScorer>>;
  private master?: { master: DetectorMasterData; fingerprint: string };
  private readonly offsets: Record<string, string> = {};
  private timers: NodeJS.Timeout[] = [];
  private queue: Promise<unknown> = Promise.resolve();
  private lastRefresh = 0;

  constructor(
    private readonly config: PedigreeConfig,
    private readonly models: AnomalyModelsService,
    private readonly masterData: MasterDataRepository,
    private readonly state: DetectorStateRepository,
    private readonly alerts: AlertOutbox,
  ) {}

  /** Builds the detector (from its last checkpoint when there is one); returns the offsets to resume from. */
  async start(): Promise<Record<string, string>> {
    this.scorers = await this.models.scorers();
    this.master = await this.masterData.load();
    const checkpoint = await this.state.load().catch((error: unknown) => {
      this.logger.warn({ err: error }, 'cannot read the detector checkpoint; starting from an empty state');
      return undefined;
    });
    this.detector = checkpoint
      ? AnomalyDetector.restore(checkpoint.snapshot, this.options())
      : new AnomalyDetector(this.options());
    Object.assign(this.offsets, checkpoint?.offsets ?? {});
    this.timers.push(
      this.every(30_000, 'advancing the clock', () => this.tick()),
      // Held events go on when the partitions holding them back fall silent, which no read announces.
      this.every(1_000, 'releasing held events', () => this.releaseHeld()),
      this.every(this.config.anomalyCheckpointSeconds * 1000, 'checkpointing', () => this.checkpoint()),
      this.every(15_000, 'refreshing master data', () => this.refreshMasterData()),
    );
    this.logger.log(
      checkpoint ? 'detector restored from its checkpoint' : 'detector started with an empty state',
    );
    return { ...this.offsets };
  }

  private options() {
    return {
      master: this.master!.master,
      scorers: this.scorers,
      minAlertScore: this.config.anomalyAlertThreshold,
      arrivalFloorSeconds: this.config.anomalyArrivalFloorSeconds,
      reorder: {
        idleMs: this.config.anomalyReorderIdleSeconds * 1000,
        maxHoldMs: this.config.anomalyReorderMaxHoldSeconds * 1000,
      },
    };
  }

  /** One thing at a time: the detector is single-threaded state shared by two consumers and the timers. */
  private serialised<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** A timer's work; a failure (PostgreSQL down) is logged and tried again on the next tick, never left unhandled. */
  private every(ms: number, what: string, work: () => Promise<void>): NodeJS.Timeout {
    let warned = 0;
    return setInterval(() => {
      this.serialised(work).catch((error: unknown) => {
        if (Date.now() - warned < 60_000) return;
        warned = Date.now();
        this.logger.warn({ err: error }, `${what} failed; trying again on the next tick`);
      });
    }, ms);
  }

  /**
   * The accepted-event partitions about to be read: until each delivers (or stays silent a few seconds), the
   * detector cannot know how far behind it is, so what the others deliver waits for it (see ReorderBuffer).
   */
  expectPartitions(topic: string, partitions: number): void {
    const sources = Array.from({ length: partitions }, (_, p) => `${topic}/${p}`);
    this.detector?.expectSources(sources, new Date());
  }

  /** `behind`: the partition held more than these messages (consumer lag), so it is not idle, only not read yet. */
  observeAccepted(
    topic: string,
    partition: number,
    lastOffset: string,
    payloads: EventsAcceptedMessage[],
    behind = false,
  ): Promise<void> {
    return this.serialised(async () => {
      await this.refreshIfUnknownParties(payloads);
      const candidates: AlertCandidate[] = [];
      for (const payload of payloads) {
        scored.inc(payload.events.length);
        candidates.push(
          ...this.detector!.observeAccepted(payload.events, {
            source: `${topic}/${partition}`,
            now: Date.now(),
            behind,
          }),
        );
      }
      await this.raise(candidates);
      this.offsets[`${topic}/${partition}`] = (BigInt(lastOffset) + 1n).toString();
    });
  }

  observeRejected(
    topic: string,
    partition: number,
    lastOffset: string,
    deadLetters: DeadLetterMessage[],
  ): Promise<void> {
    return this.serialised(async () => {
      const candidates: AlertCandidate[] = [];
      for (const letter of deadLetters) {
        letters.inc();
        candidates.push(...this.detector!.observeRejected(letter, { now: Date.now() }));
      }
      await this.raise(candidates);
      this.offsets[`${topic}/${partition}`] = (BigInt(lastOffset) + 1n).toString();
    });
  }

  private async tick(): Promise<void> {
    if (!this.detector) return;
    await this.raise(this.detector.tick(new Date()));
    const stats = this.detector.getStats();
    tracked.set(stats.packsTracked + stats.containersTracked);
    pending.set(stats.pending);
    held.set(stats.held);
  }

  private async releaseHeld(): Promise<void> {
    if (!this.detector) return;
    await this.raise(this.detector.release(new Date()));
    held.set(this.detector.heldCount);
  }

  private async checkpoint(): Promise<void> {
    if (!this.detector) return;
    // The state marks these events seen: saved with alerts still undelivered, a restart would lose those alerts.
    await this.alerts.flush();
    await this.state.save({ snapshot: this.detector.snapshot(), offsets: { ...this.offsets } });
  }

  /**
   * A member registered a moment ago may already be publishing: judging its sites as strangers would raise false
   * custody alerts, so an unknown GLN refreshes the master data first (at most every few seconds).
   */
  private async refreshIfUnknownParties(payloads: EventsAcceptedMessage[]): Promise<void> {
    if (Date.now() - this.lastRefresh < 3000) return;
    // Every GLN a member registered: its party and its locations (a member's site is keyed by the first only).
    const known = new Set((this.master?.master.parties ?? []).map((party) => party.gln));
    for (const payload of payloads) {
      for (const event of payload.events) {
        for (const uri of [
          event.bizLocation,
          event.readPoint,
          ...event.sourceParties,
          ...event.destinationParties,
        ]) {
          const gln = uri ? glnOfLocationOrParty(uri) : undefined;
          if (gln && !known.has(gln)) {
            await this.refreshMasterData();
            return;
          }
        }
      }
    }
  }

  private async refreshMasterData(): Promise<void> {
    this.lastRefresh = Date.now();
    if (!this.detector) return;
    const latest = await this.masterData.load();
    if (latest.fingerprint === this.master?.fingerprint) return;
    this.master = latest;
    // The detector reads master data at construction: carry its state over into one built with the new data.
    this.detector = AnomalyDetector.restore(this.detector.snapshot(), this.options());
    this.logger.log(`membership changed: detector now knows ${latest.master.sites.length} sites`);
  }

  /** In the detector's order: an alert raised and taken back in the same batch ends closed. */
  private async raise(candidates: AlertCandidate[]): Promise<void> {
    await this.alerts.send(candidates.map((candidate) => this.changeOf(candidate)));
  }

  private changeOf(candidate: AlertCandidate): AlertChange {
    if (candidate.resolution !== undefined) {
      return { action: 'close', dedupeKey: candidate.dedupeKey, note: candidate.resolution };
    }
    return {
      action: 'open',
      candidate: {
        dedupeKey: candidate.dedupeKey,
        kind: candidate.kind,
        severity: candidate.severity,
        score: candidate.score,
        epcs: candidate.epcs,
        gtin: candidate.gtin,
        lot: candidate.lot,
        summary: candidate.summary,
        evidence: { ...candidate.evidence, models: { ...this.models.versions } },
        orgIds: candidate.orgIds,
      },
    };
  }

  async onApplicationShutdown(): Promise<void> {
    for (const timer of this.timers) clearInterval(timer);
    await this.serialised(() => this.checkpoint()).catch(() => undefined);
  }
}
