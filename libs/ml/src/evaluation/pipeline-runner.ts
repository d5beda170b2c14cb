/**
 * The ingest service's decisions, in memory, for offline evaluation: the same `EpcisDocumentReader` (JSON Schema,
 * normalisation, Event Hash, Digital Link), `planDocument` (dedupe, `SupplyChainEngine` over a fork of the pack
 * state, rollback, parking), `acceptedSummary` and `deadLetterOf` that `IngestPipelineService` calls, and
 * `MemberDirectory` for who is who. Only the I/O is in memory here: stored events, pack state and parked documents
 * live in maps instead of PostgreSQL, and parked documents are retried and expired as `ParkingService` does.
 *
 * Simplifications, on purpose: one message per batch, one partition, the clock is the message's send time, and a
 * simulated publisher is trusted as if its signature had been checked.
 */
import { configReference } from '@pedigree/config';
import type { AcceptedEvent, DeadLetterMessage } from '@pedigree/messaging';
import {
  acceptedSummary,
  type DecodedDocument,
  deadLetterOf,
  type DocumentPlan,
  EpcisDocumentReader,
  MemberDirectory,
  planDocument,
  type SourceMessage,
  StateOverlay,
  SupplyChainEngine,
} from '@pedigree/supply-chain';
import type { EpcisValidator } from '@pedigree/epcis';
import type { AlertCandidate, DetectorMasterData } from '../anomaly/anomaly.types';
import { detectorMasterDataOf } from '../anomaly/member-sites';
import type { AnomalyDetector } from '../anomaly/anomaly-detector';
import type { MasterData, SimulatedMessage } from '../simulator/network/network.types';

/** Header names as `Headers` in @pedigree/messaging spells them (a test keeps them in step). */
export const PUBLISHER_ORG_HEADER = 'pedigree-publisher-org';
const EVENTS_TOPIC = 'epcis.events.v1';

/** The services' defaults, from the one config class (the evaluation reads no environment). */
function serviceDefault(env: string): number {
  const value = configReference().find((v) => v.env === env)?.default;
  if (typeof value !== 'number') throw new Error(`${env} has no numeric default`);
  return value;
}

export interface PipelineOptions {
  master: MasterData;
  /** Validate every document against the official EPCIS JSON Schema, as ingest does (slower). */
  validator?: EpcisValidator;
  /** INGEST_PARK_TIMEOUT_SECONDS (default: the service's). */
  parkTimeoutSeconds?: number;
  /** INGEST_FUTURE_TOLERANCE_SECONDS (default: the service's). */
  futureToleranceSeconds?: number;
}

interface Parked {
  id: number;
  message: SourceMessage;
  waitingFor: Set<string> | '*';
  parkedAt: number;
}

export interface PipelineOutput {
  accepted: AcceptedEvent[];
  deadLetters: DeadLetterMessage[];
}

export interface PipelineStats {
  documents: number;
  acceptedEvents: number;
  duplicateEvents: number;
  deadLetters: number;
  parkedDocuments: number;
  deadLettersByCode: Record<string, number>;
  flagsByCode: Record<string, number>;
}

/** Detector master data of the simulated members, registered as `pedigree simulate` registers them. */
export function detectorMasterData(master: MasterData): DetectorMasterData {
  return detectorMasterDataOf(
    master.organisations.map((o) => ({
      id: o.id,
      role: o.role,
      region: o.region,
      latitude: o.lat,
      longitude: o.lon,
      glns: o.glns,
      companyPrefixes: [o.companyPrefix],
    })),
  );
}

/** The member directory ingest would load from the `organisations` table (the simulated network has no regulator). */
export function memberDirectoryOf(master: MasterData): MemberDirectory {
  return new MemberDirectory(
    master.organisations.map((o) => ({
      id: o.id,
      role: o.role,
      glns: o.glns,
      companyPrefixes: [o.companyPrefix],
    })),
  );
}

export class InMemoryIngestPipeline {
  private readonly state = StateOverlay.root([]);
  /** Stored events: Event Hash digest (hex) → the message that stored it. */
  private readonly stored = new Map<string, string>();
  private readonly parked: Parked[] = [];
  private readonly members: MemberDirectory;
  private readonly reader: EpcisDocumentReader;
  private readonly parkTimeoutMs: number;
  private readonly futureToleranceMs: number;
  private parkCounter = 0;
  readonly stats: PipelineStats = {
    documents: 0,
    acceptedEvents: 0,
    duplicateEvents: 0,
    deadLetters: 0,
    parkedDocuments: 0,
    deadLettersByCode: {},
    flagsByCode: {},
  };

  constructor(options: PipelineOptions) {
    this.members = memberDirectoryOf(options.master);
    this.reader = new EpcisDocumentReader({
      ...(options.validator ? { validator: options.validator } : {}),
      limits: {
        maxBytes: serviceDefault('INGEST_MAX_DOCUMENT_BYTES'),
        maxEvents: serviceDefault('INGEST_MAX_EVENTS_PER_DOCUMENT'),
      },
      companyPrefixLength: (prefixed, ai) => this.members.companyPrefixLength(prefixed, ai),
    });
    this.parkTimeoutMs = (options.parkTimeoutSeconds ?? serviceDefault('INGEST_PARK_TIMEOUT_SECONDS')) * 1000;
    this.futureToleranceMs =
      (options.futureToleranceSeconds ?? serviceDefault('INGEST_FUTURE_TOLERANCE_SECONDS')) * 1000;
  }

  /** Everything that happens up to and including this message's arrival. */
  process(simulated: SimulatedMessage): PipelineOutput {
    const now = Date.parse(simulated.sentAt);
    const out: PipelineOutput = { accepted: [], deadLetters: [] };
    this.expire(now, out);
    this.stats.documents++;
    const touched = this.apply(this.sourceMessage(simulated), simulated.publisherOrgId, now, out);
    this.retryParked(touched, now, out);
    this.count(out);
    return out;
  }

  /** Settles whatever is still parked (end of the stream, as if the timeout passed). */
  finish(): PipelineOutput {
    const out: PipelineOutput = { accepted: [], deadLetters: [] };
    this.expire(Number.POSITIVE_INFINITY, out);
    this.count(out);
    return out;
  }

  private sourceMessage(m: SimulatedMessage): SourceMessage {
    return {
      value: Buffer.from(JSON.stringify(m.document)),
      key: m.key,
      headers: { [PUBLISHER_ORG_HEADER]: m.publisherOrgId },
      topic: EVENTS_TOPIC,
      partition: 0,
      offset: String(m.seq),
      timestamp: m.sentAt,
    };
  }

  /** One message through the service's decision; returns the identifiers whose state changed. */
  private apply(message: SourceMessage, publisherOrgId: string, now: number, out: PipelineOutput): string[] {
    const document = this.reader.read(message, { publisherOrgId });
    const state = this.state.fork();
    const seen = new Set<string>();
    const plan = planDocument(document, state, this.engine(now), this.stored, seen);
    const at = new Date(now);
    for (const rejection of plan.rejected)
      out.deadLetters.push(deadLetterOf(plan, rejection.issue, rejection.event, at));
    for (const { event, flags } of plan.accepted)
      out.accepted.push(acceptedSummary(document, event, flags, at));
    this.stats.duplicateEvents += plan.duplicates.length;
    for (const key of seen) this.stored.set(key, `${message.topic}/${message.partition}/${message.offset}`);
    for (const park of plan.parked) this.park(document, park, now);
    if (message.parkedId && !plan.stillParked) this.unpark(message.parkedId);
    const touched = state.changedPacks().map((p) => p.epc);
    state.merge();
    return touched;
  }

  private park(document: DecodedDocument, park: DocumentPlan['parked'][number], now: number): void {
    const id = ++this.parkCounter;
    this.parked.push({
      id,
      message: {
        ...document.message,
        parkedId: String(id),
        onlyEventIndexes: park.eventIndexes,
        timestamp: new Date(now).toISOString(),
      },
      waitingFor: park.violation.epcs.length > 0 ? new Set(park.violation.epcs) : '*',
      parkedAt: now,
    });
    this.stats.parkedDocuments++;
  }

  private unpark(parkedId: string): void {
    const index = this.parked.findIndex((p) => String(p.id) === parkedId);
    if (index >= 0) this.parked.splice(index, 1);
  }

  private engine(now: number): SupplyChainEngine {
    return new SupplyChainEngine({
      now: new Date(now),
      futureToleranceMs: this.futureToleranceMs,
      identify: (epc) => this.reader.identify(epc),
      parties: this.members,
    });
  }

  private publisherOf(message: SourceMessage): string {
    return message.headers[PUBLISHER_ORG_HEADER]!;
  }

  /** Retries parked documents waiting for identifiers that just changed, until nothing more moves (ParkingService). */
  private retryParked(touched: string[], now: number, out: PipelineOutput): void {
    let changed = new Set(touched);
    while (changed.size > 0 && this.parked.length > 0) {
      const next = new Set<string>();
      for (const parked of [...this.parked]) {
        const waiting = parked.waitingFor === '*' || [...parked.waitingFor].some((epc) => changed.has(epc));
        if (!waiting || !this.parked.includes(parked)) continue;
        for (const epc of this.apply(parked.message, this.publisherOf(parked.message), now, out))
          next.add(epc);
      }
      changed = next;
    }
  }

  /**
   * Parked documents whose wait is over by `now`, in the order they expire: applied one last time with unmet
   * preconditions as flags (or dead-lettered, when the publisher was never entitled), as ParkingService does.
   */
  private expire(now: number, out: PipelineOutput): void {
    const due = this.parked
      .filter((p) => p.parkedAt + this.parkTimeoutMs <= now)
      .sort((a, b) => a.parkedAt - b.parkedAt || a.id - b.id);
    for (const parked of due) {
      const at = parked.parkedAt + this.parkTimeoutMs;
      const touched = this.apply(
        { ...parked.message, parkTimedOut: true },
        this.publisherOf(parked.message),
        at,
        out,
      );
      this.retryParked(touched, at, out);
    }
  }

  private count(out: PipelineOutput): void {
    this.stats.acceptedEvents += out.accepted.length;
    for (const e of out.accepted)
      for (const f of e.flags) this.stats.flagsByCode[f.code] = (this.stats.flagsByCode[f.code] ?? 0) + 1;
    this.stats.deadLetters += out.deadLetters.length;
    for (const l of out.deadLetters)
      this.stats.deadLettersByCode[l.reason.code] = (this.stats.deadLettersByCode[l.reason.code] ?? 0) + 1;
  }
}

export interface PipelineRun {
  alerts: AlertCandidate[];
  stats: PipelineStats;
}

/** Streams messages (in send order) through ingest and the detector; flushes both at the end. */
export function runThroughPipeline(
  messages: Iterable<SimulatedMessage>,
  detector: AnomalyDetector,
  options: PipelineOptions,
): PipelineRun {
  const pipeline = new InMemoryIngestPipeline(options);
  const alerts: AlertCandidate[] = [];
  const deliver = (out: PipelineOutput) => {
    // Dead letters that expired before this message's arrival come first: that is when intelligence sees them.
    for (const letter of out.deadLetters) alerts.push(...detector.observeRejected(letter));
    if (out.accepted.length > 0) alerts.push(...detector.observeAccepted(out.accepted));
  };
  for (const message of messages) deliver(pipeline.process(message));
  deliver(pipeline.finish());
  alerts.push(...detector.flush());
  return { alerts: withoutRetracted(alerts), stats: pipeline.stats };
}

/** The alerts a person would still see: those the evidence later took back are closed, as the service closes them. */
export function withoutRetracted(alerts: readonly AlertCandidate[]): AlertCandidate[] {
  const open: AlertCandidate[] = [];
  for (const alert of alerts) {
    if (alert.resolution === undefined) open.push(alert);
    else
      for (let i = open.length - 1; i >= 0; i--)
        if (open[i]!.dedupeKey === alert.dedupeKey) open.splice(i, 1);
  }
  return open;
}
