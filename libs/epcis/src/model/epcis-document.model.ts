import type { EpcisEvent, EpcisExtensions, ExtensionEvent, JsonLdContext, Uri } from './epcis-event.model';

/** URLs by which a document may reference the EPCIS 2.0 JSON-LD context (the first is the one Pedigree writes). */
export const EPCIS_CONTEXT_URLS: readonly string[] = [
  'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld',
  // The unversioned URL GS1 publishes (and most implementations write), and the GitHub Pages alias.
  'https://ref.gs1.org/standards/epcis/epcis-context.jsonld',
  'https://gs1.github.io/EPCIS/epcis-context.jsonld',
];

/** GS1's EPCIS context in any published form: unversioned, 2.0.0, or a later 2.x point release. */
const EPCIS_CONTEXT_URL =
  /^https:\/\/ref\.gs1\.org\/standards\/epcis\/(?:2\.\d+\.\d+\/)?epcis-context\.jsonld$/;

/** Whether a `@context` entry is the EPCIS 2.0 context: the standard asks for the context, not one URL's spelling. */
export function isEpcisContextUrl(url: string): boolean {
  return EPCIS_CONTEXT_URL.test(url) || EPCIS_CONTEXT_URLS.includes(url);
}

export interface VocabularyAttribute {
  id: Uri;
  attribute?: number | string | Record<string, unknown>;
}

export interface VocabularyElement {
  id: Uri;
  attributes?: VocabularyAttribute[];
  children?: Uri[];
}

export interface Vocabulary {
  type: Uri;
  vocabularyElementList?: VocabularyElement[];
}

export interface EpcisHeader extends EpcisExtensions {
  epcisMasterData?: { vocabularyList?: Vocabulary[] };
}

export type EpcisDocumentEvent = EpcisEvent | ExtensionEvent;

/** The capture payload (EPCIS 2.0 §9.1): a header and a list of events. */
export interface EpcisDocument extends EpcisExtensions {
  '@context': JsonLdContext;
  type: 'EPCISDocument';
  id?: Uri;
  schemaVersion: string;
  creationDate: string;
  instanceIdentifier?: string;
  sender?: string;
  receiver?: string;
  epcisHeader?: EpcisHeader;
  epcisBody: { eventList: EpcisDocumentEvent[] };
}

/** A query or subscription result (EPCIS 2.0 §8.2.7): events wrapped in `queryResults`. */
export interface EpcisQueryDocument extends EpcisExtensions {
  '@context': JsonLdContext;
  type: 'EPCISQueryDocument';
  id?: Uri;
  schemaVersion?: string;
  creationDate?: string;
  epcisBody: {
    queryResults: {
      queryName: string;
      subscriptionID?: string;
      resultsBody: { eventList: EpcisDocumentEvent[]; vocabularyList?: Vocabulary[] };
    };
  };
}

/**
 * Master data sent on its own, the way DSCSA partners send product master data before the shipments that name it
 * (EPCIS 1.2 §9.7 and the EPCIS 2.0 XML binding: `EPCISMasterDataDocument`, its body a VocabularyList). The JSON
 * binding defines no such document; Pedigree reads the same shape as an EPCISDocument, the vocabulary list in the
 * body where the event list would be.
 */
export interface EpcisMasterDataDocument extends EpcisExtensions {
  '@context': JsonLdContext;
  type: 'EPCISMasterDataDocument';
  id?: Uri;
  schemaVersion: string;
  creationDate: string;
  epcisHeader?: EpcisHeader;
  epcisBody: { vocabularyList: Vocabulary[] };
}

export type AnyEpcisDocument = EpcisDocument | EpcisQueryDocument | EpcisMasterDataDocument;

/** JSON pointer of a master data document's vocabulary list; refusals name elements below it. */
export const VOCABULARY_LIST_POINTER = '/epcisBody/vocabularyList';

/** JSON pointer of the event list in each document type; issues and normalised events refer to it. */
export const EVENT_LIST_POINTER = {
  EPCISDocument: '/epcisBody/eventList',
  EPCISQueryDocument: '/epcisBody/queryResults/resultsBody/eventList',
} as const;

/** The standard's own spellings, for readers coming from the EPCIS specification. */
export type EPCISDocument = EpcisDocument;
export type EPCISQueryDocument = EpcisQueryDocument;
export type EPCISMasterDataDocument = EpcisMasterDataDocument;
