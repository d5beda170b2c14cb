import type { EpcisAction, EpcisEventType } from './epcis-event.model';

/** What an identifier is to the event: the objects of an ObjectEvent/TransactionEvent, a parent, a child, ... */
export type EpcRole = 'object' | 'parent' | 'child' | 'input' | 'output';
export type QuantityRole = 'object' | 'child' | 'input' | 'output';

/** One instance-level identifier the event is about, in the form received plus canonical forms. */
export interface NormalisedEpc {
  role: EpcRole;
  /** Exactly as received. */
  id: string;
  /** EPC scheme when recognised (`sgtin`, `sscc`, ...). */
  scheme?: string;
  /** Canonical EPC URN, when derivable without extra knowledge (from a URN: itself). */
  epcUrn?: string;
  /** Canonical GS1 Digital Link (https://id.gs1.org/...). */
  digitalLink?: string;
}

export interface NormalisedQuantity {
  role: QuantityRole;
  /** Exactly as received. */
  epcClass: string;
  scheme?: string;
  epcClassUrn?: string;
  digitalLink?: string;
  /** Undefined when the sender did not know the quantity. */
  quantity?: number;
  uom?: string;
}

/** Source or destination parties/locations grouped by CBV type; other (URI) types under `other`. */
export interface PartyRefs {
  owning_party: string[];
  possessing_party: string[];
  location: string[];
  other: { type: string; id: string }[];
}

export interface NormalisedBizTransaction {
  /** Bare CBV type when standard (`po`), else the full URI; undefined when the sender gave none. */
  type?: string;
  id: string;
}

export interface NormalisedIlmd {
  /** `cbvmda:lotNumber` (or its full-IRI spellings). */
  lotNumber?: string;
  /** `cbvmda:itemExpirationDate` (or its spellings) as `YYYY-MM-DD`. */
  itemExpirationDate?: string;
  /** The ILMD object as received. */
  raw: Record<string, unknown>;
}

export interface NormalisedErrorDeclaration {
  declarationTime: Date;
  /** Bare CBV reason when standard (`incorrect_data`), else the full URI. */
  reason?: string;
  correctiveEventIds: string[];
}

/** A flat, typed view of one event for the ingest pipeline (storage, graph building, hashing keeps `raw`). */
export interface NormalisedEvent {
  /** Position in the document's event list. */
  index: number;
  /** One of the five standard types, or the URI of an extension event type. */
  type: EpcisEventType | (string & Record<never, never>);
  /** Undefined for TransformationEvent (which has none) and extension events. */
  action?: EpcisAction;
  eventTime: Date;
  eventTimeZoneOffset: string;
  recordTime?: Date;
  eventId?: string;
  /** Bare CBV name when standard (`shipping`), else the full URI. */
  bizStep?: string;
  disposition?: string;
  persistentDisposition?: { set: string[]; unset: string[] };
  readPoint?: string;
  bizLocation?: string;
  /** Every instance-level identifier: epcList, parentID, childEPCs, inputEPCList, outputEPCList. */
  epcs: NormalisedEpc[];
  /** Every class-level quantity: quantityList, childQuantityList, inputQuantityList, outputQuantityList. */
  quantities: NormalisedQuantity[];
  sources: PartyRefs;
  destinations: PartyRefs;
  bizTransactions: NormalisedBizTransaction[];
  transformationId?: string;
  ilmd?: NormalisedIlmd;
  errorDeclaration?: NormalisedErrorDeclaration;
  /** The event object as received. */
  raw: Record<string, unknown>;
}
