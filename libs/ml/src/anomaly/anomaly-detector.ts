/**
 * The streaming detector the intelligence service calls per batch of accepted events and per dead letter.
 *
 * - Hard patterns come from the custody view (`CustodyTracker`): cloned serials, unknown serials, reappearance,
 *   lot/expiry copies, impossible travel, custody breaks; ingest's flags and dead-letter codes are inputs to it.
 * - Soft patterns come from learned scorers over per-shipment (diversion) and per pharmacy-week (grey-market
 *   spike) feature vectors; without models loaded the detector still extracts features (training).
 * - Every finding becomes an `AlertCandidate` with a combined score, severity, dedupe key and evidence; repeats of
 *   an alert that add nothing are not returned again.
 *
 * All state is explicit and JSON-serialisable (`snapshot` / `restore`), and bounded: per-item state is an LRU
 * with a TTL, pending suspicions expire, closed weeks are dropped.
 */
import { RuleCode } from '@pedigree/supply-chain';
import { computeEventHash, createDocumentContext, getEventList, normaliseEvent } from '@pedigree/epcis';
import type { AcceptedEvent, DeadLetterMessage } from '@pedigree/messaging';
import type {
  AlertCandidate,
  DetectorMasterData,
  DetectorStats,
  FeatureFamily,
  FeatureRecord,
  ScoredUnit,
  TopFeature,
  VectorScorer,
} from './anomaly.types';
import { combineScores, dedupeKey, RULE_SCORES, severityFor } from './anomaly-scoring';
import {
  CustodyTracker,
  DEFAULT_TRACKER_OPTIONS,
  type Finding,
  gtinOfSgtin,
  type Observation,
  type ShipmentFact,
  type TrackerOptions,
  type TrackerSnapshot,
} from './custody-tracker';
import {
  DEFAULT_PHARMACY_WEEK_OPTIONS,
  PHARMACY_WEEK_FEATURES,
  PharmacyWeekFeatures,
  type PharmacyWeekOptions,
  type PharmacyWeekState,
  type PharmacyWeekVector,
} from './features/pharmacy-week-features';
import { SHIPMENT_FEATURES, ShipmentFeatures, type ShipmentFeatureState } from './features/shipment-features';
import { ReorderBuffer, type ReorderBufferOptions, type ReorderBufferSnapshot } from './reorder-buffer';
import { LruMap } from './lru-map';
import { SiteDirectory } from './site-directory';
import { type SpikeRun, SpikeRuns } from './spike-runs';
import { EventIncidents, type SerialIncident, SerialIncidents } from './event-incidents';
import {
  type StrandedDelivery,
  strandedEvidence,
  type StrandedSnapshot,
  StrandedStock,
  type StrandedVerdict,
} from './detectors/stranded-stock.detector';

/** Header carrying the publishing organisation (see `Headers.publisherOrgId` in @pedigree/messaging). */
const PUBLISHER_HEADER = 'pedigree-publisher-org';
const SNAPSHOT_VERSION = 1;
const DAY_MS = 86_400_000;
/** Enough for the warm-up window of any event a live stream still delivers (late uploads are days late, not years). */
const LEARNT_DAYS_KEPT = 1_000;

/** Ingest's flag for a sensor reading outside a product's storage range. */
const EXCURSION: string = RuleCode.TEMPERATURE_EXCURSION;
export interface AnomalyDetectorOptions {
  master: DetectorMasterData;
  /** Learned scorers by feature family; soft patterns are only alerted when one is present. */
  scorers?: Partial<Record<FeatureFamily, VectorScorer>>;
  /** Candidates below this combined score are not returned (default 0.5). */
  minAlertScore?: number;
  /** Arrival-time grace before a clone or custody suspicion becomes an alert (default 48 h). */
  graceHours?: number;
  /** Least arrival time a suspicion waits once event time has passed its grace period (default 300 s). */
  arrivalFloorSeconds?: number;
  /** Bound on tracked packs and containers (LRU, default 2M) and their TTL in days (default 400). */
  maxItems?: number;
  itemTtlDays?: number;
  pharmacyWeek?: Partial<PharmacyWeekOptions>;
  /**
   * Shipments are only scored this long after the first event seen (default 21 days): before that, every route
   * and receiver is new and the learned scorer would only see a network starting up.
   */
  warmupDays?: number;
  travel?: TrackerOptions['travel'];
  /** The reorder stage in front of the detector (default `DEFAULT_REORDER`). */
  reorder?: Partial<ReorderBufferOptions>;
  /** Called for every unit a learned scorer scored, alerting or not (evaluation builds PR curves from it). */
  onScored?: (unit: ScoredUnit) => void;
  /** Called with every feature vector extracted (training data collection). */
  onFeatures?: (record: FeatureRecord) => void;
}

export interface DetectorSnapshot {
  version: number;
  tracker: TrackerSnapshot;
  shipments: ShipmentFeatureState;
  pharmacyWeeks: PharmacyWeekState;
  alerted: [string, AlertMemory][];
  seenHashes: string[];
  stats: DetectorStats;
  firstEventTime: number | null;
  held?: ReorderBufferSnapshot<HeldInput>;
  /** Absent in checkpoints from before runs were kept: their next unusual week starts a run. */
  spikeRuns?: [string, SpikeRun][];
  /** Absent in checkpoints from before events were grouped. */
  eventIncidents?: [string, string[]][];
  /** Absent in checkpoints from before it was kept: every day from their first event to their latest counts. */
  learntDays?: number[];
  /** Absent in checkpoints from before deliveries were followed: they start following at the next receipt. */
  stranded?: StrandedSnapshot;
  /** Absent in checkpoints from before unknown serials were grouped: their next serial starts an incident. */
  serialIncidents?: SerialIncident[];
}

/**
 * Where and when a batch was read: `source` is its topic partition, `now` the wall clock (ms), `behind` whether the
 * partition held more than this batch (its consumer lag).
 */
export interface StreamRead {
  source: string;
  now: number;
  behind?: boolean;
}

type HeldInput = { accepted: AcceptedEvent } | { rejected: DeadLetterMessage };

/**
 * Defaults of the reorder stage: ingest members' clocks may differ by a second or two, a caught-up partition silent
 * for 5 s stops holding the others back, and nothing waits more than a minute (the added alert latency at worst; the
 * hard patterns wait minutes for late data anyway).
 */
export const DEFAULT_REORDER: ReorderBufferOptions = {
  latenessMs: 2_000,
  idleMs: 5_000,
  maxHoldMs: 60_000,
  maxItems: 200_000,
};

interface AlertMemory {
  score: number;
  epcs: number;
  hashes: number;
  provisional?: boolean;
}

export class AnomalyDetector {
  private readonly sites: SiteDirectory;
  private readonly tracker: CustodyTracker;
  private readonly shipments: ShipmentFeatures;
  private readonly weeks: PharmacyWeekFeatures;
  private readonly alerted = new LruMap<string, AlertMemory>(500_000);
  private readonly seenHashes = new LruMap<string, true>(1_000_000);
  private readonly spikeRuns = new SpikeRuns();
  private readonly eventIncidents = new EventIncidents();
  private readonly serialIncidents = new SerialIncidents();
  private readonly stranded = new StrandedStock();
  /** Dedupe keys of diversion alerts the stranded-stock rule alone raised (the ones it may close again). */
  private readonly strandedAlone = new LruMap<string, true>(100_000);
  private readonly minAlertScore: number;
  private readonly outbox: AlertCandidate[] = [];
  private stats: DetectorStats = {
    acceptedEvents: 0,
    deadLetters: 0,
    duplicatesIgnored: 0,
    packsTracked: 0,
    containersTracked: 0,
    evictions: 0,
    pending: 0,
    held: 0,
    explainedAsScanError: 0,
    resolvedAsBenign: 0,
    alertsEmitted: 0,
    scoredUnits: { shipment: 0, pharmacy_week: 0 },
  };
  private sinceSweep = 0;
  private firstEventTime: number | null = null;
  /** UTC days (since the epoch) of the events learnt from, the latest `LEARNT_DAYS_KEPT` of them. */
  private learntDays = new Set<number>();
  private readonly held: ReorderBuffer<HeldInput>;

  constructor(private readonly options: AnomalyDetectorOptions) {
    this.sites = new SiteDirectory(options.master);
    this.minAlertScore = options.minAlertScore ?? 0.5;
    this.tracker = new CustodyTracker(
      this.sites,
      {
        ...DEFAULT_TRACKER_OPTIONS,
        ...(options.maxItems ? { maxItems: options.maxItems } : {}),
        ...(options.itemTtlDays ? { itemTtlMs: options.itemTtlDays * 86_400_000 } : {}),
        ...(options.graceHours !== undefined ? { graceMs: options.graceHours * 3_600_000 } : {}),
        ...(options.arrivalFloorSeconds !== undefined
          ? { arrivalFloorMs: options.arrivalFloorSeconds * 1000 }
          : {}),
        ...(options.travel ? { travel: options.travel } : {}),
      },
      (shipment) => this.scoreShipment(shipment),
    );
    this.shipments = new ShipmentFeatures(this.sites);
    this.weeks = new PharmacyWeekFeatures({ ...DEFAULT_PHARMACY_WEEK_OPTIONS, ...options.pharmacyWeek });
    this.held = new ReorderBuffer({ ...DEFAULT_REORDER, ...options.reorder });
  }

  /**
   * Scores a batch of events ingest accepted. `read` says which partition it came from and when: the events are then
   * held until the batch's place in ingest's commit order across partitions is known (see `ReorderBuffer`). Without
   * it (an in-order stream, such as the offline evaluation's) they are scored at once.
   */
  observeAccepted(events: readonly AcceptedEvent[], read?: StreamRead): AlertCandidate[] {
    const now = read?.now ?? Date.now();
    this.held.add(
      events.map((event) => ({ at: Date.parse(event.recordTime), value: { accepted: event } })),
      now,
      read?.source,
      read?.behind,
    );
    return this.releaseHeld(now);
  }

  private acceptOne(event: AcceptedEvent): void {
    if (this.seenHashes.has(event.eventHash)) {
      this.stats.duplicatesIgnored++;
      return;
    }
    this.seenHashes.set(event.eventHash, true);
    this.stats.acceptedEvents++;
    const observation = this.fromAccepted(event);
    if (this.firstEventTime === null || observation.time < this.firstEventTime)
      this.firstEventTime = observation.time;
    this.learn(observation.time);
    this.handle(observation);
    this.retractUnsupported(event, observation);
    this.coldChain(event, observation);
    this.followStock(observation, event.eventHash);
    this.noteVolumes(observation);
    this.advanceWeeks(observation.time);
  }

  /** Scores what the buffer lets go, in commit order. */
  private releaseHeld(now: number): AlertCandidate[] {
    for (const item of this.held.release(now)) {
      if ('accepted' in item) this.acceptOne(item.accepted);
      else this.rejectOne(item.rejected);
    }
    return this.afterBatch();
  }

  /**
   * Alerts the new evidence takes back: a serial alerted as never commissioned that its brand owner now commissions (a
   * late upload; only the owner of the company prefix may commission it) is genuine after all. Its incident's alert
   * closes itself with a note saying so (and may open again if the pattern comes back); the incident's other packs,
   * if any, are raised again as an incident of their own.
   */
  private retractUnsupported(event: AcceptedEvent, observation: Observation): void {
    if (CustodyTracker.stepOf(observation) !== 'commission') return;
    for (const epc of observation.objects) {
      const taken = this.serialIncidents.take(epc);
      const key = dedupeKey('unknown_serial', taken?.closed ?? epc);
      if (!this.alerted.has(key)) continue;
      this.alerted.delete(key);
      const rest = taken?.rest;
      this.close({
        kind: 'unknown_serial',
        subject: taken?.closed ?? epc,
        epcs: [epc],
        gtin: gtinOfSgtin(epc) ?? null,
        lot: observation.lot ?? null,
        summary: `${epc} is commissioned after all`,
        eventHash: event.eventHash,
        resolution: `Closed by the evidence: ${epc} was commissioned by its brand owner on ${event.eventTime} (event ${event.eventHash}, received ${event.recordTime}), so it is not an unknown serial.${rest ? ` The incident's other ${rest.epcs.length} pack(s) stay alerted, as ${rest.subject}.` : ''}`,
        observedAt: event.eventTime,
      });
      if (rest) this.raiseSerials(rest, observation.time);
    }
  }

  private raiseSerials(incident: { subject: string; epcs: string[]; site?: string }, at: number): void {
    const org = this.sites.organisationOf(incident.site);
    this.emit({
      kind: 'unknown_serial',
      subject: incident.subject,
      epcs: incident.epcs,
      eventHashes: [],
      rules: [],
      orgIds: org ? [org] : [],
      summary: incident.epcs.map((e) => `${e} was never commissioned`).join('; '),
      observedAt: at,
      ...optional('site', incident.site),
    });
  }

  /**
   * A temperature excursion is measured, not inferred: ingest checked the sensor readings against the product's
   * storage range. One alert per container (or pack) the event named, on it and every pack the excursion concerns.
   */
  private coldChain(event: AcceptedEvent, observation: Observation): void {
    for (const flag of event.flags) {
      if (flag.code !== EXCURSION || !flag.epcs?.length) continue;
      const subject = observation.parent ?? observation.objects[0] ?? flag.epcs[0]!;
      this.emit({
        kind: 'temperature_excursion',
        subject,
        epcs: flag.epcs,
        eventHashes: [event.eventHash],
        rules: [flag.code],
        // The publisher, and whoever holds or receives the consignment.
        orgIds: [
          ...new Set(
            [
              event.publisherOrgId,
              ...[observation.site, observation.destination].map((g) => this.sites.organisationOf(g)),
            ].filter((o): o is string => o !== undefined),
          ),
        ],
        summary: `Temperature excursion on ${subject}: ${flag.detail}`,
        observedAt: observation.time,
        ...(event.lot ? { lot: event.lot } : {}),
      });
    }
  }

  /**
   * Follows large deliveries to pharmacies until their packs move (see `StrandedStock`). Unpacking a received
   * consignment moves nothing; anything else that names a pack (or the container it is in) does. A refused event is
   * still a party's claim to hold the pack: it shows the pack is there, but is not counted as a sale or a receipt.
   */
  private followStock(o: Observation, eventHash: string): void {
    const step = CustodyTracker.stepOf(o);
    if (step === 'unpack') return;
    const packs = (ids: readonly string[]) => ids.flatMap((id) => this.tracker.packsOf(id));
    const accepted = o.source === 'accepted';
    let verdicts: StrandedVerdict[];
    if (accepted && step === 'receive' && o.site && this.sites.roleOf(o.site) === 'pharmacy') {
      verdicts = this.stranded.receive({
        site: o.site,
        at: o.time,
        subject: o.objects[0] ?? eventHash,
        eventHash,
        ...optional('from', o.origin),
        // A receipt uploaded late names packs already sold or moved on since: those were never stranded.
        packs: packs(o.objects).filter((epc) => !this.seenAfter(epc, o.time)),
      });
    } else {
      const sold = accepted && (step === 'dispense' || step === 'decommission') ? o.site : undefined;
      verdicts = packs([...o.objects, ...o.children]).flatMap((epc) =>
        this.stranded.moved(epc, o.time, sold),
      );
    }
    for (const verdict of verdicts) {
      if (verdict.kind === 'stranded') this.strandedAlert(verdict.delivery);
      else this.strandedMoved(verdict.delivery, verdict.at, eventHash);
    }
  }

  private seenAfter(epc: string, time: number): boolean {
    const rec = this.tracker.items.peek(epc);
    return rec !== undefined && (rec.terminal !== undefined || rec.locAt > time);
  }

  private strandedAlert(d: StrandedDelivery): void {
    const key = dedupeKey('diversion', d.subject);
    if (!this.alerted.has(key)) this.strandedAlone.set(key, true);
    const evidence = strandedEvidence(d);
    const days = Math.round((Number(d.strandedAt) - d.at) / DAY_MS);
    const from = d.from ? ` from ${d.from}` : '';
    // Sold and re-ordered once over is a fair case (0.75); twice over, as strong as a rule (0.95).
    const score = Math.min(0.97, 0.55 + 0.2 * evidence);
    this.emit(
      {
        kind: 'diversion',
        subject: d.subject,
        epcs: d.subject === d.remaining[0] ? d.remaining : [d.subject, ...d.remaining],
        eventHashes: [d.eventHash],
        rules: [],
        orgIds: [this.sites.organisationOf(d.site), this.sites.organisationOf(d.from)].filter(
          (org): org is string => org !== undefined,
        ),
        summary: `${d.remaining.length} packs of GTIN ${d.gtin} received at GLN ${d.site}${from} on ${isoDay(d.at)} have not moved in ${days} days, while the pharmacy received ${d.receivedSince} more of the same product and dispensed ${d.soldSince} of those: on record it still holds them, so they have probably left the monitored chain`,
        observedAt: Number(d.strandedAt),
        gtin: d.gtin,
      },
      score,
      [
        { name: 'newer_stock_sold_vs_delivery', value: round(d.soldSince / d.size), contribution: 1 },
        { name: 'received_since_vs_delivery', value: round(d.receivedSince / d.size), contribution: 1 },
        { name: 'days_untouched', value: days, contribution: 0 },
      ],
    );
  }

  /** The stranded packs moved after all: an alert the rule alone raised closes itself with a note saying so. */
  private strandedMoved(d: StrandedDelivery, at: number, eventHash: string): void {
    const key = dedupeKey('diversion', d.subject);
    if (!this.strandedAlone.has(key)) return;
    this.strandedAlone.delete(key);
    this.alerted.delete(key);
    this.close({
      kind: 'diversion',
      subject: d.subject,
      epcs: [],
      gtin: d.gtin,
      lot: null,
      summary: `the packs of ${d.subject} are moving at ${d.site} after all`,
      eventHash,
      resolution: `Closed by the evidence: ${d.size - d.remaining.length} of the ${d.size} packs received on ${isoDay(d.at)} were seen again from ${new Date(at).toISOString()} (event ${eventHash}), so they had not left the monitored chain.`,
      observedAt: new Date(at).toISOString(),
    });
  }

  /** An alert the evidence no longer supports: a candidate carrying its resolution, which the service closes. */
  private close(
    c: Pick<
      AlertCandidate,
      'kind' | 'subject' | 'epcs' | 'gtin' | 'lot' | 'summary' | 'resolution' | 'observedAt'
    > & {
      eventHash?: string;
    },
  ): void {
    const { eventHash, ...rest } = c;
    this.outbox.push({
      ...rest,
      dedupeKey: dedupeKey(c.kind, c.subject),
      severity: 'low',
      score: 0,
      evidence: { eventHashes: eventHash ? [eventHash] : [], rules: [] },
      orgIds: [],
    });
  }

  /**
   * Reads a dead letter's document: every event in it is a claim a party made, the refused one with its rule. It takes
   * its place among the accepted events by when ingest refused it (a dead letter's partition says nothing of how far
   * the accepted stream is, so it holds nothing back).
   */
  observeRejected(letter: DeadLetterMessage, read?: Omit<StreamRead, 'source' | 'behind'>): AlertCandidate[] {
    const now = read?.now ?? Date.now();
    this.held.add([{ at: Date.parse(letter.rejectedAt), value: { rejected: letter } }], now);
    return this.releaseHeld(now);
  }

  private rejectOne(letter: DeadLetterMessage): void {
    this.stats.deadLetters++;
    const recordTime = Date.parse(letter.rejectedAt);
    const document = parseLetter(letter);
    if (document === undefined) return;
    const events =
      letter.rejectedEvent !== undefined ? [letter.rejectedEvent] : (getEventList(document) ?? []);
    const refusedIndex = letter.reason.eventIndex;
    const context = createDocumentContext(document);
    const documentContext = (document as { '@context'?: unknown })['@context'];
    events.forEach((event, index) => {
      const observation = this.fromRejected(event, index, context, documentContext, letter, recordTime);
      if (!observation) return;
      if (letter.rejectedEvent === undefined && refusedIndex !== undefined && index !== refusedIndex)
        observation.rules = [];
      if (this.seenHashes.has(observation.eventHash)) return;
      this.seenHashes.set(observation.eventHash, true);
      this.handle(observation);
      this.followStock(observation, observation.eventHash);
    });
  }

  /** The partitions the stream is read from, before any delivers (see `ReorderBuffer.expect`). */
  expectSources(sources: readonly string[], now: Date): void {
    this.held.expect(sources, now.getTime());
  }

  /** Scores the held events the stream has passed, or held too long, by `now` (wall clock). */
  release(now: Date): AlertCandidate[] {
    return this.held.size === 0 ? [] : this.releaseHeld(now.getTime());
  }

  get heldCount(): number {
    return this.held.size;
  }

  /** Lets time pass without events (expires grace periods against `now`, arrival time). */
  tick(now: Date): AlertCandidate[] {
    this.tracker.clock = Math.max(this.tracker.clock, now.getTime());
    return this.releaseHeld(now.getTime());
  }

  /** End of stream: every pending suspicion is decided and every open week closed. */
  flush(): AlertCandidate[] {
    this.releaseHeld(Infinity);
    for (const f of this.tracker.expire(true)) this.emit(f);
    for (const v of this.weeks.flush()) this.scoreWeek(v);
    return this.drain();
  }

  snapshot(): DetectorSnapshot {
    return structuredClone({
      version: SNAPSHOT_VERSION,
      tracker: this.tracker.snapshot(),
      shipments: this.shipments.state,
      pharmacyWeeks: this.weeks.state,
      alerted: [...this.alerted.entries()],
      seenHashes: [...this.seenHashes.entries()].map(([hash]) => hash),
      stats: this.getStats(),
      firstEventTime: this.firstEventTime,
      held: this.held.snapshot(),
      spikeRuns: this.spikeRuns.snapshot(),
      eventIncidents: this.eventIncidents.snapshot(),
      learntDays: [...this.learntDays],
      stranded: this.stranded.snapshot(),
      serialIncidents: this.serialIncidents.snapshot(),
    });
  }

  static restore(snapshot: DetectorSnapshot, options: AnomalyDetectorOptions): AnomalyDetector {
    if (snapshot.version !== SNAPSHOT_VERSION)
      throw new Error(`unsupported detector snapshot version ${snapshot.version}`);
    const detector = new AnomalyDetector(options);
    const copy = structuredClone(snapshot);
    detector.tracker.restore(copy.tracker);
    Object.assign(detector.shipments.state, copy.shipments);
    Object.assign(detector.weeks.state, copy.pharmacyWeeks);
    for (const [key, memory] of copy.alerted) detector.alerted.set(key, memory);
    for (const hash of copy.seenHashes) detector.seenHashes.set(hash, true);
    detector.stats = copy.stats;
    detector.firstEventTime = copy.firstEventTime;
    // Checkpoints from before the buffer hold nothing back.
    if (copy.held) detector.held.restore(copy.held);
    if (copy.spikeRuns) detector.spikeRuns.restore(copy.spikeRuns);
    if (copy.eventIncidents) detector.eventIncidents.restore(copy.eventIncidents);
    if (copy.stranded) detector.stranded.restore(copy.stranded);
    if (copy.serialIncidents) detector.serialIncidents.restore(copy.serialIncidents);
    detector.learntDays = new Set(copy.learntDays ?? detector.daysOfCheckpointedHistory());
    return detector;
  }

  getStats(): DetectorStats {
    let packs = 0;
    let containers = 0;
    for (const [, rec] of this.tracker.items.entries()) {
      if (rec.container) containers++;
      else packs++;
    }
    return {
      ...this.stats,
      packsTracked: packs,
      containersTracked: containers,
      evictions: this.tracker.items.evictions,
      pending: this.tracker.pendingCount(),
      held: this.held.size,
      explainedAsScanError: this.tracker.explainedAsScanError,
      resolvedAsBenign: this.tracker.resolvedAsBenign,
      scoredUnits: { ...this.stats.scoredUnits },
    };
  }

  // ── inputs ────────────────────────────────────────────────────────────────────────────────────
  private fromAccepted(e: AcceptedEvent): Observation {
    const aggregation = e.eventType === 'AggregationEvent';
    return {
      source: 'accepted',
      eventHash: e.eventHash,
      eventType: e.eventType,
      ...(e.action ? { action: e.action } : {}),
      ...(e.bizStep ? { bizStep: e.bizStep } : {}),
      ...(e.disposition ? { disposition: e.disposition } : {}),
      time: Date.parse(e.eventTime),
      recordTime: Date.parse(e.recordTime),
      ...optional('site', this.sites.siteGlnOf(e.bizLocation ?? e.readPoint)),
      objects: aggregation ? [] : e.epcs,
      ...optional('parent', aggregation ? e.parentEpc : undefined),
      children: aggregation ? e.epcs : [],
      ...optional('destination', this.pickSite(e.destinationParties)),
      ...optional('origin', this.pickSite(e.sourceParties)),
      ...optional('lot', e.lot),
      ...optional('expiry', e.expiry),
      rules: e.flags.map((f) => f.code),
      ...optional('publisherOrgId', e.publisherOrgId),
    };
  }

  private fromRejected(
    event: unknown,
    index: number,
    context: ReturnType<typeof createDocumentContext>,
    documentContext: unknown,
    letter: DeadLetterMessage,
    recordTime: number,
  ): Observation | undefined {
    if (event === null || typeof event !== 'object' || Array.isArray(event)) return undefined;
    try {
      const n = normaliseEvent(event as Record<string, unknown>, context, index);
      const objects: string[] = [];
      const children: string[] = [];
      let parent: string | undefined;
      for (const epc of n.epcs) {
        const id = epc.epcUrn ?? epc.id;
        if (epc.role === 'parent') parent = id;
        else if (epc.role === 'child') children.push(id);
        else objects.push(id);
      }
      return {
        source: 'rejected',
        eventHash: computeEventHash(event, documentContext as never),
        eventType: n.type,
        ...optional('action', n.action),
        ...optional('bizStep', n.bizStep),
        ...optional('disposition', n.disposition),
        time: n.eventTime.getTime(),
        recordTime,
        ...optional('site', this.sites.siteGlnOf(n.bizLocation ?? n.readPoint)),
        objects,
        ...optional('parent', parent),
        children,
        ...optional(
          'destination',
          this.pickSite([
            ...n.destinations.owning_party,
            ...n.destinations.possessing_party,
            ...n.destinations.location,
          ]),
        ),
        ...optional(
          'origin',
          this.pickSite([...n.sources.owning_party, ...n.sources.possessing_party, ...n.sources.location]),
        ),
        ...optional('lot', n.ilmd?.lotNumber),
        ...optional('expiry', n.ilmd?.itemExpirationDate),
        rules: [letter.reason.code],
        ...optional('publisherOrgId', letter.source.headers[PUBLISHER_HEADER]),
      };
    } catch {
      // Schema-invalid or unreadable events say nothing reliable about custody.
      return undefined;
    }
  }

  /** A location in the list if there is one (sites are more precise than parties), else the first party's site. */
  private pickSite(uris: readonly string[]): string | undefined {
    let fallback: string | undefined;
    for (const uri of uris) {
      const gln = this.sites.glnOf(uri);
      if (!gln) continue;
      const site = this.sites.site(gln);
      if (site?.gln === gln) return gln;
      fallback ??= site?.gln ?? gln;
    }
    return fallback;
  }

  // ── processing ────────────────────────────────────────────────────────────────────────────────
  private handle(observation: Observation): void {
    for (const finding of this.tracker.observe(observation)) this.emit(finding);
  }

  /** Volumes for the learned features: dispensing and receipts per site and week, consumption per site. */
  private noteVolumes(o: Observation): void {
    const step = CustodyTracker.stepOf(o);
    if (!o.site) return;
    if (step === 'dispense') {
      const region = this.sites.regionOf(o.site);
      for (const epc of o.objects) {
        const gtin = gtinOfSgtin(epc);
        if (!gtin) continue;
        this.weeks.noteDispensed(o.site, region, gtin, epc, o.time);
        this.shipments.noteOutflow(o.site, gtin, o.time, 1);
      }
    } else if (step === 'receive' && this.sites.roleOf(o.site) === 'pharmacy') {
      const packs = o.objects.reduce((n, epc) => n + this.tracker.packsOf(epc).length, 0);
      this.weeks.noteReceived(o.site, this.sites.regionOf(o.site), packs, o.time);
    }
  }

  private advanceWeeks(eventTime: number): void {
    for (const vector of this.weeks.advance(eventTime)) this.scoreWeek(vector);
  }

  /** For a checkpoint from before days were kept: every day from the first event to the latest, as the old rule assumed. */
  private daysOfCheckpointedHistory(): number[] {
    if (this.firstEventTime === null) return [];
    const last = Math.floor(this.tracker.eventClock / DAY_MS);
    const first = Math.max(Math.floor(this.firstEventTime / DAY_MS), last - LEARNT_DAYS_KEPT + 1);
    return Array.from({ length: Math.max(0, last - first + 1) }, (_, i) => first + i);
  }

  private learn(time: number): void {
    const day = Math.floor(time / DAY_MS);
    if (this.learntDays.has(day)) return;
    this.learntDays.add(day);
    if (this.learntDays.size > LEARNT_DAYS_KEPT) this.learntDays.delete(Math.min(...this.learntDays));
  }

  /**
   * Whether the detector has learnt the weeks before this time: past the warm-up since the first event, and events
   * on at least half the days of the warm-up before it. A shipment read ahead of the history before it (the demo
   * streams today's flow while 40 weeks of history are still being read) would be judged against a network that, as
   * far as the detector knows, does not exist yet: every receiver new, no consumption known.
   */
  private knowsWeeksBefore(time: number): boolean {
    const warmupDays = this.options.warmupDays ?? 21;
    if (this.firstEventTime === null || time < this.firstEventTime + warmupDays * DAY_MS) return false;
    const day = Math.floor(time / DAY_MS);
    let learnt = 0;
    for (let d = day - warmupDays; d < day; d++) if (this.learntDays.has(d)) learnt++;
    return learnt >= warmupDays / 2;
  }

  private scoreShipment(shipment: ShipmentFact): void {
    const vector = this.shipments.observe(shipment);
    if (!this.knowsWeeksBefore(shipment.at)) return;
    const observedAt = new Date(shipment.at).toISOString();
    this.options.onFeatures?.({
      family: 'shipment',
      subject: shipment.subject,
      values: vector.values,
      observedAt,
    });
    const scorer = this.options.scorers?.shipment;
    if (!scorer) return;
    const raw = scorer.score(vector.values);
    // The model says how unusual; the pattern also has a direction (see ShipmentVector.divertible).
    const result = vector.divertible ? raw : { ...raw, score: 0 };
    this.stats.scoredUnits.shipment++;
    const epcs = [...new Set([shipment.subject, ...shipment.packs])];
    this.options.onScored?.({
      family: 'shipment',
      kind: 'diversion',
      subject: shipment.subject,
      epcs,
      score: result.score,
      observedAt,
    });
    if (result.score < this.minAlertScore) return;
    const top = topFeatures(SHIPMENT_FEATURES, vector.values, result.contributions);
    this.emit(
      {
        kind: 'diversion',
        subject: shipment.subject,
        epcs,
        eventHashes: [shipment.hash],
        rules: [],
        orgIds: [this.sites.organisationOf(shipment.from), this.sites.organisationOf(shipment.to)].filter(
          (o): o is string => o !== undefined,
        ),
        summary: `unusual shipment ${shipment.subject}: ${vector.topQuantity} packs of ${vector.topGtin ?? '?'} among ${shipment.packs.length} from ${shipment.from ?? '?'} to ${shipment.to ?? '?'} (${describe(top)})`,
        observedAt: shipment.at,
        ...optional('gtin', vector.topGtin),
      },
      result.score,
      top,
    );
  }

  private scoreWeek(vector: PharmacyWeekVector): void {
    const observedAt = vector.weekStart;
    const subject = `${vector.site}:${vector.weekStart}`;
    // A week so far is neither a training vector nor a scored unit: its closed week will be both.
    if (!vector.weekToDate)
      this.options.onFeatures?.({ family: 'pharmacy_week', subject, values: vector.values, observedAt });
    const scorer = this.options.scorers?.pharmacy_week;
    if (!scorer) return;
    const raw = scorer.score(vector.values);
    const result = vector.upward ? raw : { ...raw, score: 0 };
    if (!vector.weekToDate) {
      this.stats.scoredUnits.pharmacy_week++;
      this.options.onScored?.({
        family: 'pharmacy_week',
        kind: 'grey_market_spike',
        subject,
        epcs: vector.epcs,
        score: result.score,
        observedAt,
      });
    }
    if (result.score < this.minAlertScore) {
      if (!vector.weekToDate) this.withdrawLook(vector, result.score);
      return;
    }
    const top = topFeatures(PHARMACY_WEEK_FEATURES, vector.values, result.contributions);
    const org = this.sites.organisationOf(vector.site);
    const run = this.spikeRuns.note(vector.site, vector.weekStart, vector.epcs);
    const weeks =
      run.firstWeek === run.lastWeek
        ? `the week of ${run.firstWeek}`
        : `the weeks of ${run.firstWeek} to ${run.lastWeek}`;
    const verb = vector.weekToDate ? 'is dispensing' : 'dispensed';
    const open = vector.weekToDate ? ', which has not ended yet' : '';
    this.emit(
      {
        kind: 'grey_market_spike',
        subject: run.subject,
        epcs: run.epcs,
        eventHashes: [],
        rules: [],
        orgIds: org ? [org] : [],
        summary: `pharmacy ${vector.site} ${verb} unusually in ${weeks}${open} (${vector.gtins.join(', ')}; ${describe(top)})`,
        observedAt: Date.parse(`${run.firstWeek}T00:00:00Z`),
        ...optional('gtin', vector.gtins[0]),
        ...(vector.weekToDate ? { provisional: true } : {}),
      },
      result.score,
      top,
    );
  }

  /**
   * A spike raised only by looks at a week that, once ended, the model finds ordinary: its alert closes with a note.
   * A run with earlier flagged weeks keeps its alert, which those weeks still support.
   */
  private withdrawLook(vector: PharmacyWeekVector, score: number): void {
    const run = this.spikeRuns.runOf(vector.site);
    if (!run || run.firstWeek !== vector.weekStart || run.lastWeek !== vector.weekStart) return;
    const key = dedupeKey('grey_market_spike', run.subject);
    if (!this.alerted.get(key)?.provisional) return;
    this.alerted.delete(key);
    this.spikeRuns.forget(vector.site);
    this.close({
      kind: 'grey_market_spike',
      subject: run.subject,
      epcs: run.epcs,
      gtin: vector.gtins[0] ?? null,
      lot: null,
      summary: `pharmacy ${vector.site} dispensed within its usual range in the week of ${vector.weekStart}`,
      resolution: `Closed by the evidence: the whole week of ${vector.weekStart} at pharmacy ${vector.site}, once ended, scored ${round(score)}, below the alert threshold of ${this.minAlertScore}; it had looked unusual while it ran.`,
      observedAt: `${vector.weekStart}T00:00:00.000Z`,
    });
  }

  /** Unknown serials of one product at one site within a day: one alert for the batch, every pack in it. */
  private asSerialIncident(finding: Finding): Finding {
    const incident = this.serialIncidents.note(
      finding.epcs[0] ?? finding.subject,
      finding.site,
      finding.gtin,
      finding.observedAt,
    );
    if (incident.epcs.length === 1) return { ...finding, ...incident };
    return {
      ...finding,
      ...incident,
      summary: `${incident.epcs.length} packs of GTIN ${finding.gtin ?? '?'} with serials never commissioned at GLN ${finding.site ?? '?'} within a day: ${incident.epcs.join(', ')}`,
    };
  }

  /** A finding of a kind alerted per event, as its event's whole incident so far (one alert, every pack). */
  private asIncident(finding: Finding): Finding {
    if (finding.kind === 'unknown_serial') return this.asSerialIncident(finding);
    const incident = this.eventIncidents.note(finding.kind, finding.eventHashes[0], finding.epcs);
    if (!incident || incident.epcs.length === finding.epcs.length)
      return incident ? { ...finding, ...incident } : finding;
    return {
      ...finding,
      ...incident,
      summary: `${finding.summary} (${incident.epcs.length} packs in this event in all)`,
    };
  }

  private emit(found: Finding, modelScore?: number, top?: TopFeature[]): void {
    const finding = this.asIncident(found);
    const ruleScore = RULE_SCORES[finding.kind] > 0 ? RULE_SCORES[finding.kind] : undefined;
    const score = combineScores(ruleScore, modelScore);
    if (score < this.minAlertScore) return;
    const key = dedupeKey(finding.kind, finding.subject);
    const memory = this.alerted.get(key);
    if (
      memory &&
      score <= memory.score &&
      finding.epcs.length <= memory.epcs &&
      finding.eventHashes.length <= memory.hashes &&
      (!memory.provisional || finding.provisional)
    )
      return;
    this.alerted.set(key, {
      score: Math.max(score, memory?.score ?? 0),
      epcs: Math.max(finding.epcs.length, memory?.epcs ?? 0),
      hashes: Math.max(finding.eventHashes.length, memory?.hashes ?? 0),
      ...(finding.provisional ? { provisional: true } : {}),
    });
    const gtin =
      finding.gtin ?? finding.epcs.map(gtinOfSgtin).find((g): g is string => g !== undefined) ?? null;
    this.outbox.push({
      dedupeKey: key,
      kind: finding.kind,
      subject: finding.subject,
      severity: severityFor(finding.kind, score),
      score: round(score),
      epcs: finding.epcs,
      gtin,
      lot: finding.lot ?? null,
      summary: finding.summary,
      evidence: {
        eventHashes: finding.eventHashes,
        rules: finding.rules,
        ...(top
          ? { features: Object.fromEntries(top.map((t) => [t.name, round(t.value)])), topFeatures: top }
          : {}),
        ...(modelScore !== undefined ? { modelScore: round(modelScore) } : {}),
      },
      // The brand owner is concerned by anything that happens to its packs (a clone or an unknown serial of its
      // product most of all), even where it held none of them.
      orgIds: [...new Set([...finding.orgIds, ...this.sites.brandOwnersOf(finding.epcs)])],
      observedAt: new Date(finding.observedAt).toISOString(),
    });
  }

  private afterBatch(): AlertCandidate[] {
    for (const finding of this.tracker.expire()) this.emit(finding);
    if (++this.sinceSweep >= 1000) {
      this.sinceSweep = 0;
      this.tracker.sweep();
      this.stranded.sweep(this.tracker.eventClock);
      // Hashes are only needed to ignore replays, which happen within hours.
      this.seenHashes.evictWhile(() => this.seenHashes.size > 500_000);
    }
    return this.drain();
  }

  private drain(): AlertCandidate[] {
    const out = this.outbox.splice(0, this.outbox.length);
    this.stats.alertsEmitted += out.length;
    return out;
  }
}

function topFeatures(
  names: readonly string[],
  values: readonly number[],
  contributions: readonly number[],
  n = 3,
): TopFeature[] {
  return names
    .map((name, j) => ({ name, value: values[j] ?? 0, contribution: contributions[j] ?? 0 }))
    .sort((a, b) => b.contribution - a.contribution)
    .slice(0, n)
    .map((t) => ({ name: t.name, value: round(t.value), contribution: round(t.contribution) }));
}

function describe(top: readonly TopFeature[]): string {
  return top.map((t) => `${t.name}=${t.value}`).join(', ');
}

function round(value: number): number {
  return Math.round(value * 10000) / 10000;
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

function parseLetter(letter: DeadLetterMessage): unknown {
  try {
    return JSON.parse(Buffer.from(letter.originalPayloadBase64, 'base64').toString('utf8'));
  } catch {
    return undefined;
  }
}

function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
