import type {
  AlertMessage,
  DeadLetterMessage,
  EventsAcceptedMessage,
  VerificationAccessMessage,
} from './payloads';

/**
 * Every Kafka topic Pedigree uses, declared once. Services import these; no other file spells a topic name.
 *
 * NEVER change a `name` once released: producers and consumers in the field depend on it. A breaking payload
 * change gets a new topic (`.v2`) declared beside the old one, and both run until consumers have moved.
 */
export interface TopicDefinition<TPayload> {
  readonly name: string;
  readonly description: string;
  /** What the message key is, which decides ordering: messages with one key stay in one partition, in order. */
  readonly key: string;
  /** Longer retention for the dead letters, which people read days later. */
  readonly retentionMs?: number;
  /** Whether producers compress (default true); off for high-volume internal streams where CPU is scarcer than disk. */
  readonly compress?: boolean;
  /** Phantom field carrying the payload type; never set at runtime. */
  readonly payload?: TPayload;
}

function defineTopic<TPayload>(
  definition: Omit<TopicDefinition<TPayload>, 'payload'>,
): TopicDefinition<TPayload> {
  return Object.freeze(definition);
}

/** Raw EPCIS 2.0 documents: the bytes as sent (JSON-LD), so a rejected one can be kept exactly. */
export type EpcisDocumentBytes = Buffer;

export const Topics = {
  epcisEvents: defineTopic<EpcisDocumentBytes>({
    name: 'epcis.events.v1',
    description:
      'EPCIS documents from manufacturers, wholesalers and pharmacies: EPCISDocument (events) or ' +
      'EPCISMasterDataDocument (master data on its own), JSON-LD or XML (2.0, 1.2)',
    key: 'the consignment (SSCC) or lot the document is about; for master data, its publisher',
  }),
  eventsAccepted: defineTopic<EventsAcceptedMessage>({
    name: 'events.accepted.v1',
    description: 'events persisted by ingest, with their Event Hash IDs and the flags the rules raised',
    key: 'the key of the source message',
    compress: false,
  }),
  eventsRejected: defineTopic<DeadLetterMessage>({
    name: 'events.rejected.v1',
    description: 'dead letters: the original payload, an error code, a human detail and the offending field',
    key: 'the key of the source message',
    retentionMs: 30 * 24 * 3600 * 1000,
  }),
  alerts: defineTopic<AlertMessage>({
    name: 'alerts.v1',
    description: 'counterfeit-pattern alerts opened or updated by intelligence',
    key: 'the alert deduplication key',
  }),
  verificationAccess: defineTopic<VerificationAccessMessage>({
    name: 'verification.access.v1',
    description: 'verifications asked by members’ API keys, for the detection of serial harvesting',
    key: 'the API key id (one key’s requests stay in order in one partition)',
    retentionMs: 24 * 3600 * 1000,
    compress: false,
  }),
} as const;

export type TopicId = keyof typeof Topics;

/** The concrete topic name, with the deployment's prefix (tests and tenants get their own topics). */
export function topicName(topic: TopicDefinition<unknown>, prefix: string): string {
  return prefix ? `${prefix}.${topic.name}` : topic.name;
}

/** Message headers Pedigree sets and reads. Like topic names, never rename one once released. */
export const Headers = {
  /** The capture job an HTTP-captured document belongs to. */
  captureId: 'pedigree-capture-id',
  /**
   * The organisation the API relays a document for. Covered by the API's relay signature; without one it is ignored
   * (a producer can write any header it likes).
   */
  publisherOrgId: 'pedigree-publisher-org',
  /** A member's EIP-712 signature over the document bytes (see document-origin.ts). */
  signature: 'pedigree-signature',
  /** The API's EIP-712 signature vouching for the member, capture job and error behaviour it relays. */
  relaySignature: 'pedigree-relay-signature',
  /** `rollback` (default: a document with any bad event is rejected whole) or `proceed`. */
  errorBehaviour: 'pedigree-error-behaviour',
  /**
   * `application/xml` for an EPCIS XML document (2.0 or 1.2); absent or `application/ld+json` for JSON. Not signed:
   * a wrong value only makes the signed bytes unreadable, never readable as something else.
   */
  contentType: 'content-type',
  /** Client-supplied idempotency key, for tracing only: dedupe is by Event Hash ID. */
  requestId: 'pedigree-request-id',
} as const;

/** Whether a document on `epcis.events.v1` is XML: by its content-type header, else by its first character. */
export function isXmlDocument(value: Uint8Array, headers: Record<string, string | undefined>): boolean {
  const type = headers[Headers.contentType]?.toLowerCase();
  if (type) return type.includes('xml');
  for (const byte of value) {
    // UTF-8 BOM and whitespace come before the first element or brace.
    if (
      byte === 0xef ||
      byte === 0xbb ||
      byte === 0xbf ||
      byte === 0x20 ||
      byte === 0x0a ||
      byte === 0x0d ||
      byte === 0x09
    )
      continue;
    return byte === 0x3c; // '<'
  }
  return false;
}
