/** Payload types of the topics in `topics.ts`. Additive changes only within a version. */

export interface AcceptedEvent {
  /** CBV 2.0 Event Hash ID (`ni:///sha-256;...?ver=CBV2.0`), the event's identity everywhere. */
  eventHash: string;
  eventId?: string;
  eventType: string;
  action?: string;
  bizStep?: string;
  disposition?: string;
  eventTime: string;
  recordTime: string;
  readPoint?: string;
  bizLocation?: string;
  /** Instance-level identifiers (EPC URNs) the event is about, parents and children included. */
  epcs: string[];
  /** Parent identifier of an aggregation, when there is one. */
  parentEpc?: string;
  sourceParties: string[];
  destinationParties: string[];
  quantities: { epcClass: string; quantity?: number; uom?: string }[];
  lot?: string;
  expiry?: string;
  /** Rule flags raised by ingest on an accepted event (accept-and-alert rules); empty when clean. */
  flags: { code: string; detail: string; epcs?: string[] }[];
  publisherOrgId?: string;
  captureId?: string;
}

export interface EventsAcceptedMessage {
  schemaVersion: 1;
  /** Source message coordinates, so a consumer can trace a batch back to Kafka. */
  source: { topic: string; partition: number; offset: string };
  events: AcceptedEvent[];
}

export interface DeadLetterReason {
  /** Stable code, e.g. EPCIS_SCHEMA, MALFORMED_JSON, RULE_NOT_CUSTODIAN. */
  code: string;
  /** A sentence a person can act on. */
  detail: string;
  /** JSON pointer of the offending field, when known. */
  field?: string;
  /** Index of the offending event in the document, when the reason concerns one event. */
  eventIndex?: number;
}

export interface DeadLetterMessage {
  schemaVersion: 1;
  reason: DeadLetterReason;
  /** Every issue found, the first of which is `reason`. */
  issues: DeadLetterReason[];
  source: {
    topic: string;
    partition: number;
    offset: string;
    key?: string;
    headers: Record<string, string>;
    timestamp: string;
  };
  /** The original message value, base64, byte for byte. */
  originalPayloadBase64: string;
  /** When only some events of a document were rejected (`proceed`), the rejected event as JSON. */
  rejectedEvent?: unknown;
  captureId?: string;
  rejectedAt: string;
}

export type AlertSeverity = 'low' | 'medium' | 'high' | 'critical';
export type AlertStatus = 'open' | 'acknowledged' | 'resolved';

export interface AlertMessage {
  schemaVersion: 1;
  alertId: string;
  dedupeKey: string;
  kind: string;
  severity: AlertSeverity;
  status: AlertStatus;
  score: number;
  epcs: string[];
  gtin?: string;
  lot?: string;
  summary: string;
  evidence: {
    eventHashes: string[];
    rules: string[];
    features?: Record<string, number>;
    /** Name → version of the detector's models when it was raised (their cards: GET /v1/models). */
    models?: Record<string, string>;
    /** The API key a verification-harvesting alert is about (its id, never the secret). */
    apiKeyId?: string;
  };
  occurrences: number;
  /** Organisations concerned (who may see the alert besides regulators). */
  orgIds: string[];
  comments?: { at: string; by: string; action: string; text: string }[];
  openedAt: string;
  updatedAt: string;
}

/**
 * One verification a member's API key asked for, as the API answered it: what the harvesting detector reads.
 * `held`: the pack's history names the caller's organisation (publisher, sender, addressee or holder); an unknown
 * serial was never held by anyone.
 */
export interface VerificationAccessMessage {
  schemaVersion: 1;
  apiKeyId: string;
  organisationId: string;
  /** For the sentence a person reads in the alert. */
  organisationName?: string;
  gtin: string;
  serial: string;
  found: boolean;
  held: boolean;
  /** ISO time the API answered. */
  at: string;
}
