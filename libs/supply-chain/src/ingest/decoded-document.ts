import type { EventOrigin } from '@pedigree/database';
import type { EpcisXmlParseResult, MasterDataElement, NormalisedEvent } from '@pedigree/epcis';
import type { DeadLetterMessage } from '@pedigree/messaging';

/** One Kafka message (or a parked copy of one), with the coordinates used for tracing and dead letters. */
export interface SourceMessage {
  value: Buffer;
  key: string | null;
  headers: Record<string, string>;
  topic: string;
  partition: number;
  offset: string;
  timestamp: string;
  /** Set when the message is a parked document being retried. */
  parkedId?: string;
  /** The parked document's wait is over: unmet preconditions become flags on stored events. */
  parkTimedOut?: boolean;
  /** Parked proceed-mode retries only re-run these events. */
  onlyEventIndexes?: number[] | null;
}

/** A dead letter's `source`: where the original message was read, so it can be found and replayed. */
export function deadLetterSourceOf(message: SourceMessage): DeadLetterMessage['source'] {
  return {
    topic: message.topic,
    partition: message.partition,
    offset: message.offset,
    key: message.key ?? undefined,
    headers: message.headers,
    timestamp: message.timestamp,
  };
}

export function sourceOf(message: SourceMessage): string {
  return `${message.topic}/${message.partition}/${message.offset}`;
}

export interface Issue {
  code: string;
  detail: string;
  field?: string;
  eventIndex?: number;
}

export interface DecodedEvent {
  index: number;
  normalised: NormalisedEvent;
  hashId: string;
  digest: Buffer;
  /** Canonical EPC URNs. */
  objects: string[];
  parent?: string;
  children: string[];
  epcClasses: string[];
  /** The event as stored: as received, with the document's @context attached so its hash can be recomputed. */
  payload: Record<string, unknown>;
}

export interface DecodedDocument {
  message: SourceMessage;
  /** Set when the document arrived as XML: its generation and where its events start. */
  xml?: Pick<EpcisXmlParseResult, 'generation' | 'eventLines'>;
  errorBehaviour: 'rollback' | 'proceed';
  /** The authenticated publisher: set only from a verified signature (see DocumentAuthenticator). */
  publisherOrgId?: string;
  /** The capture job, only when the API's relay signature names it. */
  captureId?: string;
  origin?: EventOrigin;
  /** Problems that sink the whole document (malformed JSON, wrong document type, missing @context, ...). */
  documentIssues: Issue[];
  /** Problems of single events, by index. */
  eventIssues: Map<number, Issue[]>;
  events: DecodedEvent[];
  eventCount: number;
  /** Master data of the document's header, or of a master data document's body (stored when not refused). */
  masterData?: MasterDataElement[];
}
