import type { AcceptedEvent, DeadLetterMessage } from '@pedigree/messaging';
import type { StateOverlay } from '../pack-state';
import { type EngineEvent, type SupplyChainEngine } from '../supply-chain-engine';
import { RULE_EFFECT, rejectedWhenWaitEnds, type RuleViolation } from '../supply-chain.rules';
import { type DecodedDocument, type DecodedEvent, deadLetterSourceOf, type Issue } from './decoded-document';

/** What becomes of one document: the ingest decision, before anything is written. */
export interface DocumentPlan {
  document: DecodedDocument;
  accepted: { event: DecodedEvent; flags: RuleViolation[] }[];
  rejected: { issue: Issue; event?: DecodedEvent }[];
  parked: { violation: RuleViolation; eventIndexes: number[] | null }[];
  duplicates: DecodedEvent[];
  /** A parked document retried too early: it stays parked, untouched, until its preconditions or its timeout. */
  stillParked: boolean;
  /** Every issue found in the document, for the dead letter. */
  issues: Issue[];
}

/**
 * Decides, for one document, what is accepted, rejected or parked, applying accepted events to `state` (a fork of
 * it, merged only when the document is kept). `existing`: Event Hash digests (hex) already stored; `seen`: those
 * accepted earlier in the same batch. The one ingest decision: the service and the evaluation both call it.
 */
export function planDocument(
  document: DecodedDocument,
  state: StateOverlay,
  engine: SupplyChainEngine,
  existing: ReadonlyMap<string, string>,
  seen: Set<string>,
): DocumentPlan {
  const plan: DocumentPlan = {
    document,
    accepted: [],
    rejected: [],
    parked: [],
    duplicates: [],
    stillParked: false,
    issues: [],
  };
  if (document.documentIssues.length > 0) {
    plan.issues = document.documentIssues;
    plan.rejected.push({ issue: document.documentIssues[0]! });
    return plan;
  }
  const rollback = document.errorBehaviour === 'rollback';
  plan.issues = [...document.eventIssues.entries()].flatMap(([index, issues]) =>
    issues.map((i) => ({ ...i, eventIndex: index })),
  );
  if (rollback && document.eventIssues.size > 0) {
    plan.rejected.push({ issue: plan.issues[0]! });
    return plan;
  }
  if (!rollback) {
    for (const [index, issues] of document.eventIssues) {
      plan.rejected.push({ issue: { ...issues[0]!, eventIndex: index } });
    }
  }
  const fork = state.fork();
  if (applyEvents(plan, fork, engine, existing, seen)) fork.merge();
  return plan;
}

/** Applies a document's events in order; false when the document is not kept (rolled back or still parked). */
function applyEvents(
  plan: DocumentPlan,
  fork: StateOverlay,
  engine: SupplyChainEngine,
  existing: ReadonlyMap<string, string>,
  seen: Set<string>,
): boolean {
  const { document } = plan;
  const rollback = document.errorBehaviour === 'rollback';
  const onlyIndexes = document.message.onlyEventIndexes
    ? new Set(document.message.onlyEventIndexes)
    : undefined;
  const dropAll = () => {
    plan.accepted = [];
    plan.duplicates = [];
    for (const e of document.events) seen.delete(e.digest.toString('hex'));
    return false;
  };
  for (const event of document.events) {
    if (onlyIndexes && !onlyIndexes.has(event.index)) continue;
    const key = event.digest.toString('hex');
    if (existing.has(key) || seen.has(key)) {
      plan.duplicates.push(event);
      continue;
    }
    const eventFork = fork.fork();
    const outcome = engine.apply(engineEventOf(document, event), eventFork);
    const blocking = outcome.blocking[0];
    if (!blocking) {
      eventFork.merge();
      seen.add(key);
      plan.accepted.push({ event, flags: outcome.flags });
      continue;
    }
    const issue: Issue = {
      code: blocking.code,
      detail: blocking.detail,
      field: blocking.field,
      eventIndex: event.index,
    };
    const waitEnded = document.message.parkTimedOut === true;
    const parkable =
      RULE_EFFECT[blocking.code] === 'park' && !(waitEnded && rejectedWhenWaitEnds(blocking.code));
    if (parkable && waitEnded) {
      // Waited long enough: keep the observation as evidence, flagged, without advancing any pack's state.
      seen.add(key);
      plan.accepted.push({ event, flags: [...outcome.blocking, ...outcome.flags] });
      continue;
    }
    plan.issues.push(issue);
    if (parkable && document.message.parkedId) {
      plan.stillParked = true;
      return dropAll();
    }
    if (rollback) {
      // Nothing of a bad document is kept: drop everything planned for it.
      if (parkable) plan.parked.push({ violation: blocking, eventIndexes: null });
      else plan.rejected.push({ issue, event });
      return dropAll();
    }
    if (parkable) plan.parked.push({ violation: blocking, eventIndexes: [event.index] });
    else plan.rejected.push({ issue, event });
  }
  return true;
}

export function engineEventOf(document: DecodedDocument, event: DecodedEvent): EngineEvent {
  return {
    event: event.normalised,
    hash: event.digest,
    objects: event.objects,
    parent: event.parent,
    children: event.children,
    publisherOrgId: document.publisherOrgId,
  };
}

/** The `events.accepted.v1` summary of a stored event, which intelligence and the API's live feed read. */
export function acceptedSummary(
  document: DecodedDocument,
  event: DecodedEvent,
  flags: RuleViolation[],
  recordTime: Date,
): AcceptedEvent {
  const n = event.normalised;
  return {
    eventHash: event.hashId,
    eventId: n.eventId,
    eventType: n.type,
    action: n.action,
    bizStep: n.bizStep,
    disposition: n.disposition,
    eventTime: n.eventTime.toISOString(),
    recordTime: recordTime.toISOString(),
    readPoint: n.readPoint,
    bizLocation: n.bizLocation,
    epcs: [...event.objects, ...event.children],
    parentEpc: event.parent,
    sourceParties: [...n.sources.owning_party, ...n.sources.possessing_party, ...n.sources.location],
    destinationParties: [
      ...n.destinations.owning_party,
      ...n.destinations.possessing_party,
      ...n.destinations.location,
    ],
    quantities: n.quantities.map((q) => ({
      epcClass: q.epcClassUrn ?? q.epcClass,
      quantity: q.quantity,
      uom: q.uom,
    })),
    lot: n.ilmd?.lotNumber,
    expiry: n.ilmd?.itemExpirationDate,
    flags: flags.map((f) => ({ code: f.code, detail: f.detail, epcs: f.epcs })),
    publisherOrgId: document.publisherOrgId,
    captureId: document.captureId,
  };
}

/** A refused document (or event, in proceed mode) as a dead letter: the original bytes, the reason and the rest. */
export function deadLetterOf(
  plan: DocumentPlan,
  issue: Issue,
  event: DecodedEvent | undefined,
  rejectedAt: Date,
): DeadLetterMessage {
  const { document } = plan;
  const message = document.message;
  const issues = [
    issue,
    ...plan.issues.filter(
      (i) => i !== issue && !(i.code === issue.code && i.eventIndex === issue.eventIndex),
    ),
  ];
  return {
    schemaVersion: 1,
    reason: issue,
    issues: issues.slice(0, 50),
    source: deadLetterSourceOf(message),
    originalPayloadBase64: message.value.toString('base64'),
    rejectedEvent: document.errorBehaviour === 'proceed' && event ? event.normalised.raw : undefined,
    captureId: document.captureId,
    rejectedAt: rejectedAt.toISOString(),
  };
}
