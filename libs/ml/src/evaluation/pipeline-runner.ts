/**
 * What ingest and intelligence do to a stream of EPCIS documents, in memory, for offline evaluation with the
 * logic the services run: validate (optional), normalise and hash each event, dedupe by Event Hash ID, apply the
 * `SupplyChainEngine` over a `StateOverlay` per document (rollback: nothing of a blocked document is kept),
 * park documents blocked by a precondition rule and retry them when an identifier they wait for changes,
 * dead-letter them when the park timeout passes (or at once for reject rules), then hand the accepted events
 * (shaped as `AcceptedEvent`, flags included) and the dead letters to the anomaly detector.
 *
 * Simplifications, on purpose: one message per batch, one partition, the clock is the message's send time.
 */
import {
  computeEventHash,
  createDocumentContext,
  type EpcisValidator,
  eventHashDigest,
  getEventList,
  groupIssuesByEvent,
  type NormalisedEvent,
  normaliseEvent,
} from '@pedigree/epcis';
import { describeEpc, type EpcFacts, glnOfLocationOrParty } from '@pedigree/gs1';
import type { AcceptedEvent, DeadLetterMessage, DeadLetterReason } from '@pedigree/messaging';
import {
  type EngineEvent,
  epcsByRole,
  type PartyResolver,
  RULE_EFFECT,
  type RuleViolation,
  StateOverlay,
  SupplyChainEngine,
} from '@pedigree/supply-chain';
import type { AlertCandidate, DetectorMasterData } from '../anomaly/anomaly.types';
import type { AnomalyDetector } from '../anomaly/anomaly-detector';
import type { MasterData, SimulatedMessage } from '../simulator/network/network.types';

/** Header names as `Headers` in @pedigree/messaging spells them (a test keeps them in step). */
export const PUBLISHER_ORG_HEADER = 'pedigree-publisher-org';
const EVENTS_TOPIC = 'epcis.events.v1';

export interface PipelineOptions {
  master: MasterData;
  /** Validate every document against the official EPCIS JSON Schema, as ingest does (slower). */
  validator?: EpcisValidator;
  /** INGEST_PARK_TIMEOUT_SECONDS (default 120, as in production). */
  parkTimeoutSeconds?: number;
  /** INGEST_FUTURE_TOLERANCE_SECONDS (default 300). */
  futureToleranceSeconds?: number;
}

interface DecodedEvent {
  index: number;
  normalised: NormalisedEvent;
  hashId: string;
  key: string;
  objects: string[];
  parent?: string;
  children: string[];
}

interface Decoded {
  message: SimulatedMessage;
  bytes: Buffer;
  documentIssue?: DeadLetterReason;
  events: DecodedEvent[];
}

interface Parked {
  id: number;
  decoded: Decoded;
  waitingFor: Set<string> | '*';
  violation: RuleViolation;
  eventIndex: number;
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

/** Detector master data (sites with coordinates, party GLNs, prefixes) from simulator master data. */
export function detectorMasterData(master: MasterData): DetectorMasterData {
  return {
    sites: master.organisations.flatMap((o) =>
      o.sites.map((s) => ({
        gln: s.gln,
        orgId: o.id,
        role: o.role,
        region: s.region,
        country: s.country,
        lat: s.lat,
        lon: s.lon,
      })),
    ),
    parties: master.organisations.map((o) => ({ gln: o.partyGln, orgId: o.id })),
    prefixes: master.organisations.map((o) => ({ prefix: o.companyPrefix, orgId: o.id })),
  };
}

/** The organisation directory ingest's `PartyDirectory` would load from the `organisations` table. */
export function partyResolverOf(master: MasterData): PartyResolver {
  const byGln = new Map<string, string>();
  const byPrefix = new Map<string, string>();
  for (const o of master.organisations) {
    for (const gln of o.glns) byGln.set(gln, o.id);
    byPrefix.set(o.companyPrefix, o.id);
  }
  const lengths = [...new Set([...byPrefix.keys()].map((p) => p.length))].sort((a, b) => b - a);
  const cache = new Map<string, string | null>();
  return {
    glnOf(uri) {
      let gln = cache.get(uri);
      if (gln === undefined) {
        gln = glnOfLocationOrParty(uri) ?? null;
        cache.set(uri, gln);
      }
      return gln ?? undefined;
    },
    organisationOfGln(gln) {
      const direct = byGln.get(gln);
      if (direct) return direct;
      for (const length of lengths) {
        const owner = byPrefix.get(gln.slice(0, length));
        if (owner) return owner;
      }
      return undefined;
    },
    organisationOfPrefix: (prefix) => byPrefix.get(prefix),
    // The simulated network has no regulator among its members.
    isRegulator: () => false,
  };
}

export class InMemoryIngestPipeline {
  private readonly state = StateOverlay.root([]);
  private readonly stored = new Set<string>();
  private readonly parked: Parked[] = [];
  private readonly parties: PartyResolver;
  private readonly facts = new Map<string, EpcFacts | null>();
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

  constructor(private readonly options: PipelineOptions) {
    this.parties = partyResolverOf(options.master);
    this.parkTimeoutMs = (options.parkTimeoutSeconds ?? 172_800) * 1000;
    this.futureToleranceMs = (options.futureToleranceSeconds ?? 300) * 1000;
  }

  /** Everything that happens up to and including this message's arrival. */
  process(message: SimulatedMessage): PipelineOutput {
    const now = Date.parse(message.sentAt);
    const out: PipelineOutput = { accepted: [], deadLetters: this.expire(now) };
    this.stats.documents++;
    const decoded = this.decode(message);
    if (decoded.documentIssue) {
      out.deadLetters.push(this.deadLetter(decoded, decoded.documentIssue, now));
      this.count(out);
      return out;
    }
    const result = this.plan(decoded, now, undefined);
    out.accepted.push(...result.accepted);
    out.deadLetters.push(...result.deadLetters);
    if (result.touched.length > 0) this.retryParked(result.touched, now, out);
    this.count(out);
    return out;
  }

  /** Dead-letters whatever is still parked (end of the stream, as if the timeout passed). */
  finish(): DeadLetterMessage[] {
    const letters = this.expire(Number.POSITIVE_INFINITY);
    this.count({ accepted: [], deadLetters: letters });
    return letters;
  }

  private count(out: PipelineOutput): void {
    this.stats.acceptedEvents += out.accepted.length;
    for (const e of out.accepted)
      for (const f of e.flags) this.stats.flagsByCode[f.code] = (this.stats.flagsByCode[f.code] ?? 0) + 1;
    this.stats.deadLetters += out.deadLetters.length;
    for (const l of out.deadLetters)
      this.stats.deadLettersByCode[l.reason.code] = (this.stats.deadLettersByCode[l.reason.code] ?? 0) + 1;
  }

  private identify(epc: string): EpcFacts | undefined {
    let facts = this.facts.get(epc);
    if (facts === undefined) {
      facts = describeEpc(epc) ?? null;
      if (this.facts.size > 500_000) this.facts.clear();
      this.facts.set(epc, facts);
    }
    return facts ?? undefined;
  }

  private decode(message: SimulatedMessage): Decoded {
    const bytes = Buffer.from(JSON.stringify(message.document));
    const decoded: Decoded = { message, bytes, events: [] };
    const document = message.document;
    if (this.options.validator) {
      const validation = this.options.validator.validate(document);
      const grouped = groupIssuesByEvent(validation.errors);
      const first = grouped.document[0] ?? [...grouped.events.values()][0]?.[0];
      if (first) {
        decoded.documentIssue = {
          code: first.code,
          detail: first.message,
          ...(first.field ? { field: first.field } : {}),
        };
        return decoded;
      }
    }
    const context = createDocumentContext(document);
    const documentContext = document['@context'];
    (getEventList(document) ?? []).forEach((raw, index) => {
      const event = raw as Record<string, unknown>;
      const normalised = normaliseEvent(event, context, index);
      const hashId = computeEventHash(event, documentContext as never);
      const { objects, parent, children } = epcsByRole(normalised);
      decoded.events.push({
        index,
        normalised,
        hashId,
        key: eventHashDigest(hashId).toString('hex'),
        objects,
        ...(parent ? { parent } : {}),
        children,
      });
    });
    return decoded;
  }

  private engine(now: number): SupplyChainEngine {
    return new SupplyChainEngine({
      now: new Date(now),
      futureToleranceMs: this.futureToleranceMs,
      identify: (epc) => this.identify(epc),
      parties: this.parties,
    });
  }

  /** Rollback semantics, as `IngestPipelineService.plan` for a document without the proceed header. */
  private plan(
    decoded: Decoded,
    now: number,
    retry: Parked | undefined,
  ): { accepted: AcceptedEvent[]; deadLetters: DeadLetterMessage[]; touched: string[]; settled: boolean } {
    const engine = this.engine(now);
    const fork = this.state.fork();
    const accepted: { event: DecodedEvent; flags: RuleViolation[] }[] = [];
    const seen = new Set<string>();
    for (const event of decoded.events) {
      if (this.stored.has(event.key) || seen.has(event.key)) {
        this.stats.duplicateEvents++;
        continue;
      }
      const eventFork = fork.fork();
      const outcome = engine.apply(this.engineEvent(decoded, event), eventFork);
      const blocking = outcome.blocking[0];
      if (!blocking) {
        eventFork.merge();
        seen.add(event.key);
        accepted.push({ event, flags: outcome.flags });
        continue;
      }
      const parkable = RULE_EFFECT[blocking.code] === 'park';
      if (parkable && retry) return { accepted: [], deadLetters: [], touched: [], settled: false };
      if (parkable) {
        this.parked.push({
          id: ++this.parkCounter,
          decoded,
          waitingFor: blocking.epcs.length > 0 ? new Set(blocking.epcs) : '*',
          violation: blocking,
          eventIndex: event.index,
          parkedAt: now,
        });
        this.stats.parkedDocuments++;
        return { accepted: [], deadLetters: [], touched: [], settled: false };
      }
      const reason: DeadLetterReason = {
        code: blocking.code,
        detail: blocking.detail,
        ...(blocking.field ? { field: blocking.field } : {}),
        eventIndex: event.index,
      };
      return {
        accepted: [],
        deadLetters: [this.deadLetter(decoded, reason, now)],
        touched: [],
        settled: true,
      };
    }
    const touched = fork.changedPacks().map((p) => p.epc);
    fork.merge();
    for (const key of seen) this.stored.add(key);
    return {
      accepted: accepted.map(({ event, flags }) => this.summary(decoded, event, flags, now)),
      deadLetters: [],
      touched,
      settled: true,
    };
  }

  /** Retries parked documents waiting for identifiers that just changed, until nothing more moves. */
  private retryParked(touched: string[], now: number, out: PipelineOutput): void {
    let changed = new Set(touched);
    while (changed.size > 0) {
      const next = new Set<string>();
      for (const parked of [...this.parked]) {
        const waiting = parked.waitingFor === '*' || [...parked.waitingFor].some((epc) => changed.has(epc));
        if (!waiting) continue;
        const result = this.plan(parked.decoded, now, parked);
        if (!result.settled) continue;
        this.parked.splice(this.parked.indexOf(parked), 1);
        out.accepted.push(...result.accepted);
        out.deadLetters.push(...result.deadLetters);
        for (const epc of result.touched) next.add(epc);
      }
      changed = next;
    }
  }

  /** Parked documents whose timeout has passed by `now`, dead-lettered in the order they expire. */
  private expire(now: number): DeadLetterMessage[] {
    const due = this.parked
      .filter((p) => p.parkedAt + this.parkTimeoutMs <= now)
      .sort((a, b) => a.parkedAt - b.parkedAt || a.id - b.id);
    const letters: DeadLetterMessage[] = [];
    for (const parked of due) {
      this.parked.splice(this.parked.indexOf(parked), 1);
      const at = parked.parkedAt + this.parkTimeoutMs;
      const reason: DeadLetterReason = {
        code: parked.violation.code,
        detail: `${parked.violation.detail} (still unresolved after ${this.parkTimeoutMs / 1000}s)`,
        ...(parked.violation.field ? { field: parked.violation.field } : {}),
        eventIndex: parked.eventIndex,
      };
      letters.push(this.deadLetter(parked.decoded, reason, at));
    }
    return letters;
  }

  private engineEvent(decoded: Decoded, event: DecodedEvent): EngineEvent {
    return {
      event: event.normalised,
      hash: eventHashDigest(event.hashId),
      objects: event.objects,
      ...(event.parent ? { parent: event.parent } : {}),
      children: event.children,
      publisherOrgId: decoded.message.publisherOrgId,
    };
  }

  /** The `events.accepted.v1` summary, exactly as `IngestPipelineService.summary` builds it. */
  private summary(decoded: Decoded, event: DecodedEvent, flags: RuleViolation[], now: number): AcceptedEvent {
    const n = event.normalised;
    return {
      eventHash: event.hashId,
      ...(n.eventId ? { eventId: n.eventId } : {}),
      eventType: n.type,
      ...(n.action ? { action: n.action } : {}),
      ...(n.bizStep ? { bizStep: n.bizStep } : {}),
      ...(n.disposition ? { disposition: n.disposition } : {}),
      eventTime: n.eventTime.toISOString(),
      recordTime: new Date(now).toISOString(),
      ...(n.readPoint ? { readPoint: n.readPoint } : {}),
      ...(n.bizLocation ? { bizLocation: n.bizLocation } : {}),
      epcs: [...event.objects, ...event.children],
      ...(event.parent ? { parentEpc: event.parent } : {}),
      sourceParties: [...n.sources.owning_party, ...n.sources.possessing_party, ...n.sources.location],
      destinationParties: [
        ...n.destinations.owning_party,
        ...n.destinations.possessing_party,
        ...n.destinations.location,
      ],
      quantities: n.quantities.map((q) => ({
        epcClass: q.epcClassUrn ?? q.epcClass,
        ...(q.quantity !== undefined ? { quantity: q.quantity } : {}),
        ...(q.uom ? { uom: q.uom } : {}),
      })),
      ...(n.ilmd?.lotNumber ? { lot: n.ilmd.lotNumber } : {}),
      ...(n.ilmd?.itemExpirationDate ? { expiry: n.ilmd.itemExpirationDate } : {}),
      flags: flags.map((f) => ({ code: f.code, detail: f.detail, epcs: f.epcs })),
      publisherOrgId: decoded.message.publisherOrgId,
    };
  }

  private deadLetter(decoded: Decoded, reason: DeadLetterReason, at: number): DeadLetterMessage {
    const m = decoded.message;
    return {
      schemaVersion: 1,
      reason,
      issues: [reason],
      source: {
        topic: EVENTS_TOPIC,
        partition: 0,
        offset: String(m.seq),
        key: m.key,
        headers: { [PUBLISHER_ORG_HEADER]: m.publisherOrgId },
        timestamp: m.sentAt,
      },
      originalPayloadBase64: decoded.bytes.toString('base64'),
      rejectedAt: new Date(at).toISOString(),
    };
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
  deliver({ accepted: [], deadLetters: pipeline.finish() });
  alerts.push(...detector.flush());
  return { alerts, stats: pipeline.stats };
}
