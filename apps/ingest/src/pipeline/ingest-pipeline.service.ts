import { Injectable } from '@nestjs/common';
import { consignmentId } from '@pedigree/chain';
import { counter, histogram } from '@pedigree/common';
import { PedigreeConfig } from '@pedigree/config';
import type { CaptureJobWaiting, CustodyOutboxPayload } from '@pedigree/database';
import type { AcceptedEvent, DeadLetterMessage } from '@pedigree/messaging';
import { poisonLetter } from '../capture/poison-isolation';
import { MessagePublisher } from '../dead-letters/message-publisher';
import {
  type CaptureJobUpdate,
  type EventRow,
  IngestRepository,
  type MasterDataRow,
  type ParkRow,
} from '../persistence/ingest.repository';
import { masterDataRows } from '../supply-chain/master-data-authority';
import { StorageRangeDirectory } from '../supply-chain/storage-range.directory';
import { PartyDirectory } from '../supply-chain/party-directory.service';
import {
  acceptedSummary,
  type DecodedDocument,
  type DecodedEvent,
  deadLetterOf,
  type DocumentPlan,
  planDocument,
  type RuleViolation,
  type SourceMessage,
  sourceOf,
  StateOverlay,
  stateLeafOf,
  SupplyChainEngine,
} from '@pedigree/supply-chain';
import { UNKNOWN_PUBLISHER, UNKNOWN_SIGNER } from './document-authenticator';
import { DocumentDecoder } from './document-decoder';

const eventsAccepted = counter('pedigree_ingest_events_accepted_total', 'events stored');
const eventsDuplicate = counter(
  'pedigree_ingest_events_duplicate_total',
  'events already stored (replays, duplicate sends)',
);
const eventsRejected = counter('pedigree_ingest_events_rejected_total', 'events dead-lettered', ['code']);
const eventsParked = counter('pedigree_ingest_events_parked_total', 'events waiting for their preconditions');
const phaseSeconds = histogram(
  'pedigree_ingest_phase_seconds',
  'time per batch phase (decode, load, rules, write, commit, publish): where ingest time goes',
  [0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5],
  ['phase'],
);
const batchSeconds = histogram(
  'pedigree_ingest_batch_seconds',
  'time to process one batch',
  [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10],
);

export interface BatchResult {
  accepted: number;
  duplicates: number;
  rejected: number;
  parked: number;
  /** EPCs whose state changed: parked documents waiting for them get another chance. */
  touchedEpcs: string[];
  /**
   * What the documents this batch parked wait for. A batch of another partition may have provided it while this one
   * ran (it read the state before that commit and parked after it), and nothing would wake them then: the parking
   * sweep looks once more after this commit.
   */
  parkedWaitingFor: string[];
  /** Parked documents retried by this batch that are now settled (applied or dead-lettered). */
  settledParkedIds: string[];
}

/** Refused because ingest does not know its signer or publisher (yet: a member registered a moment ago). */
function byUnknownParty(document: DecodedDocument): boolean {
  const code = document.documentIssues[0]?.code;
  return code === UNKNOWN_SIGNER || code === UNKNOWN_PUBLISHER;
}

/**
 * One batch of messages from one partition, end to end: decode and validate every document, then in ONE database
 * transaction dedupe by Event Hash ID, apply the supply-chain rules to the locked pack state, write events, state,
 * custody, outbox and parked documents, and dead-letter the rejects before committing. Offsets are committed by
 * the consumer only after this returns, so a crash anywhere replays the batch, and the dedupe makes that harmless.
 */
@Injectable()
export class IngestPipelineService {
  constructor(
    private readonly config: PedigreeConfig,
    private readonly decoder: DocumentDecoder,
    private readonly repository: IngestRepository,
    private readonly parties: PartyDirectory,
    private readonly publisher: MessagePublisher,
    private readonly storageRanges: StorageRangeDirectory,
  ) {}

  /**
   * A message that breaks processing (a bug or data nothing foresaw): dead-lettered byte for byte, and the capture
   * job it belongs to, if any, closed as failed, so a client polling it is told instead of waiting forever.
   */
  async quarantine(message: SourceMessage, error: unknown): Promise<void> {
    const letter = poisonLetter(message, error);
    await this.publisher.deadLetters([letter]);
    // Only a capture job the API's relay signature names may be closed: a header alone could name anyone's job.
    const origin = this.decoder.authenticate(message);
    const captureId = 'issue' in origin ? undefined : origin.captureId;
    if (!captureId) return;
    await this.repository.transaction((manager) =>
      this.repository.updateCaptureJobs(manager, [
        { captureId, accepted: 0, rejected: 1, errors: [letter.reason], finished: true },
      ]),
    );
  }

  async process(messages: SourceMessage[], now = new Date()): Promise<BatchResult> {
    const stop = batchSeconds.startTimer();
    await this.parties.refreshIfStale();
    let phase = phaseSeconds.startTimer({ phase: 'decode' });
    let documents = await Promise.all(messages.map((message) => this.decoder.decode(message)));
    const unknown = documents.filter(byUnknownParty);
    const vouched = unknown.some((d) => d.documentIssues[0]?.code === UNKNOWN_PUBLISHER);
    if (unknown.length > 0 && (await this.parties.refreshForUnknownParty(vouched))) {
      documents = await Promise.all(messages.map((message) => this.decoder.decode(message)));
    }
    phase();
    const allEvents = documents.flatMap((d) => d.events);
    const epcs = [
      ...new Set(allEvents.flatMap((e) => [...e.objects, ...e.children, ...(e.parent ? [e.parent] : [])])),
    ];

    const deadLetters: DeadLetterMessage[] = [];
    const acceptedSummaries: AcceptedEvent[] = [];
    const result: BatchResult = {
      accepted: 0,
      duplicates: 0,
      rejected: 0,
      parked: 0,
      touchedEpcs: [],
      parkedWaitingFor: [],
      settledParkedIds: [],
    };

    await this.storageRanges.refresh();
    await this.repository.transaction(async (manager) => {
      phase = phaseSeconds.startTimer({ phase: 'load' });
      deadLetters.length = 0;
      acceptedSummaries.length = 0;
      const existing = await this.repository.existingEvents(
        manager,
        allEvents.map((e) => e.digest),
      );
      const state = StateOverlay.root(await this.repository.lockPacks(manager, epcs));
      phase();
      phase = phaseSeconds.startTimer({ phase: 'rules' });
      const engine = new SupplyChainEngine({
        now,
        futureToleranceMs: this.config.ingestFutureToleranceSeconds * 1000,
        identify: (epc) => this.decoder.identify(epc),
        parties: this.parties,
        storageRange: (gtin) => this.storageRanges.rangeOf(gtin),
      });
      const seen = new Set<string>();
      const plans = documents.map((document) => planDocument(document, state, engine, existing, seen));

      const eventRows: EventRow[] = [];
      const masterData: MasterDataRow[] = [];
      const parkRows: ParkRow[] = [];
      const captureUpdates: CaptureJobUpdate[] = [];
      for (const plan of plans) {
        const { document } = plan;
        for (const { event, flags } of plan.accepted) eventRows.push(this.eventRow(document, event, flags));
        const statements = this.masterData(plan);
        masterData.push(...statements);
        for (const park of plan.parked) {
          parkRows.push({
            payload: document.message.value,
            headers: document.message.headers,
            source: sourceOf(document.message),
            messageKey: document.message.key,
            eventIndexes: park.eventIndexes,
            waitingFor: park.violation.epcs.length > 0 ? park.violation.epcs : ['*'],
            reason: { code: park.violation.code, detail: park.violation.detail, field: park.violation.field },
            publishedAt: document.message.timestamp,
          });
        }
        for (const rejection of plan.rejected)
          deadLetters.push(deadLetterOf(plan, rejection.issue, rejection.event, new Date()));
        if (document.captureId && !plan.stillParked) {
          captureUpdates.push({
            captureId: document.captureId,
            accepted: plan.accepted.length + plan.duplicates.length,
            // A document refused whole counts all its events (at least one) as rejected.
            rejected:
              plan.rejected.length > 0 &&
              (document.errorBehaviour === 'rollback' || document.documentIssues.length > 0)
                ? Math.max(1, document.eventCount)
                : plan.rejected.length,
            errors: plan.rejected.map((r) => r.issue),
            masterData: new Set(statements.map((r) => `${r.vocabularyType}\n${r.id}`)).size,
            // A job always finishes: what waits for a precondition is reported as waiting, and settles later.
            finished: true,
            waitingAdded: plan.parked.map((park) => waitingEntry(park.violation, park.eventIndexes)),
            waitingSettled: document.message.parkedId
              ? waitingKey(document.message.onlyEventIndexes ?? null)
              : undefined,
          });
        }
        // Our own earlier attempt stored these before a crash: announce them again (consumers dedupe by hash).
        for (const duplicate of plan.duplicates) {
          if (existing.get(duplicate.digest.toString('hex')) === sourceOf(document.message)) {
            acceptedSummaries.push(acceptedSummary(document, duplicate, [], new Date()));
          }
        }
      }

      phase();
      phase = phaseSeconds.startTimer({ phase: 'write-events' });
      const inserted = await this.repository.insertEvents(manager, eventRows);
      phase();
      phase = phaseSeconds.startTimer({ phase: 'write-packs' });
      const changed = state.changedPacks();
      await this.repository.upsertPacks(manager, changed);
      await this.repository.appendHistory(manager, state.history);
      await this.repository.upsertMasterData(manager, masterData);
      this.storageRanges.learn(masterData);
      phase();
      phase = phaseSeconds.startTimer({ phase: 'write-containments' });
      await this.repository.applyContainments(manager, state.containments);
      phase();
      phase = phaseSeconds.startTimer({ phase: 'write-custody' });
      const custody: CustodyOutboxPayload[] = state.custody.map((c) => ({
        action: c.action,
        consignmentId: consignmentId(c.consignmentKey),
        consignmentKey: c.consignmentKey,
        fromParty: c.fromParty,
        toParty: c.toParty,
        fromOrgId: c.fromOrgId,
        toOrgId: c.toOrgId,
        eventHash: c.eventHash.toString('hex'),
        eventTime: c.eventTime.toISOString(),
      }));
      const contents = new Map(
        state.custody.map((c) => [
          `${c.eventHash.toString('hex')}:${c.consignmentKey}`,
          { packCount: c.packCount, gtins: c.gtins, lots: c.lots },
        ]),
      );
      await this.repository.recordCustody(manager, custody, contents);
      phase();
      phase = phaseSeconds.startTimer({ phase: 'write-other' });
      await this.repository.enqueueAnchor(manager, [...inserted], changed.map(stateLeafOf));
      await this.repository.park(manager, parkRows);
      await this.repository.updateCaptureJobs(manager, captureUpdates);
      const settled = plans
        .filter((p) => p.document.message.parkedId && !p.stillParked)
        .map((p) => p.document.message.parkedId!);
      await this.repository.deleteParked(manager, settled);

      // Dead letters go out before the commit: if the commit then fails, the retry sends them again (duplicates
      // are possible, losses are not).
      await this.publisher.deadLetters(deadLetters);
      phase();

      for (const plan of plans) {
        for (const { event, flags } of plan.accepted) {
          if (inserted.has(event.digest.toString('hex')))
            acceptedSummaries.push(acceptedSummary(plan.document, event, flags, new Date()));
        }
      }
      result.accepted = inserted.size;
      result.duplicates =
        plans.reduce((n, p) => n + p.duplicates.length, 0) + (eventRows.length - inserted.size);
      result.rejected = deadLetters.length;
      result.parked = parkRows.length;
      result.touchedEpcs = changed.map((p) => p.epc);
      result.parkedWaitingFor = [...new Set(parkRows.flatMap((r) => r.waitingFor))].filter(
        (id) => id !== '*',
      );
      result.settledParkedIds = settled;
      phase = phaseSeconds.startTimer({ phase: 'commit' });
    });
    phase();

    phase = phaseSeconds.startTimer({ phase: 'publish' });
    await this.publisher.accepted(acceptedSummaries, messages[0]);
    phase();
    eventsAccepted.inc(result.accepted);
    eventsDuplicate.inc(result.duplicates);
    eventsParked.inc(result.parked);
    for (const letter of deadLetters) eventsRejected.inc({ code: letter.reason.code });
    stop();
    return result;
  }

  /**
   * A document's master data counts with the document: not when it is refused (whole, or by rollback). A master data
   * document has no events, so only its own issues refuse it.
   */
  private masterData(plan: DocumentPlan): MasterDataRow[] {
    const { document } = plan;
    const refused =
      document.documentIssues.length > 0 ||
      (plan.rejected.length > 0 && document.errorBehaviour === 'rollback');
    if (refused || !document.publisherOrgId || !document.masterData?.length) return [];
    return masterDataRows(document.masterData, document.publisherOrgId, this.parties);
  }

  private eventRow(document: DecodedDocument, event: DecodedEvent, flags: RuleViolation[]): EventRow {
    const n = event.normalised;
    return {
      digest: event.digest,
      eventId: n.eventId ?? null,
      eventType: n.type,
      action: n.action ?? null,
      bizStep: n.bizStep ?? null,
      disposition: n.disposition ?? null,
      eventTime: n.eventTime,
      eventTimeZoneOffset: n.eventTimeZoneOffset,
      readPoint: n.readPoint ?? null,
      bizLocation: n.bizLocation ?? null,
      epcs: [...new Set([...event.objects, ...event.children, ...(event.parent ? [event.parent] : [])])],
      epcClasses: event.epcClasses,
      payload: event.payload,
      flags: flags.map((f) => ({ code: f.code, detail: f.detail, epcs: f.epcs })),
      publisherOrgId: document.publisherOrgId ?? null,
      captureId: document.captureId ?? null,
      origin: document.origin ?? null,
      source: sourceOf(document.message),
    };
  }
}

/** A parked unit of a document: the whole document (rollback) or the events it names (proceed). */
function waitingKey(eventIndexes: number[] | null): string {
  return eventIndexes === null ? '*' : eventIndexes.join(',');
}

function waitingEntry(violation: RuleViolation, eventIndexes: number[] | null): CaptureJobWaiting {
  return {
    key: waitingKey(eventIndexes),
    code: violation.code,
    detail: violation.detail,
    waitingFor: violation.epcs.slice(0, 20),
    eventIndexes,
  };
}
