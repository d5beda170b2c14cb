import {
  computeEventHash,
  createDocumentContext,
  type EpcisIssue,
  type EpcisValidator,
  eventHashDigest,
  getEventList,
  groupIssuesByEvent,
  isEpcisValidationError,
  masterDataOf,
  type NormalisedEvent,
  normaliseEvent,
  parseEpcisJson,
  parseEpcisXml,
} from '@pedigree/epcis';
import { type CompanyPrefixResolver, describeEpc, digitalLinkToEpcUrn, type EpcFacts } from '@pedigree/gs1';
import { isXmlDocument } from '@pedigree/messaging';
import { epcsByRole } from '../supply-chain-engine';
import type { DecodedDocument, DecodedEvent, Issue, SourceMessage } from './decoded-document';

export interface EpcisDocumentReaderOptions {
  /**
   * The official EPCIS 2.0 JSON Schema and the rules it cannot express. Ingest always sets it; only the offline
   * evaluation's feature collection and unit specs leave it out, for speed, on simulated documents that are valid by
   * construction (the evaluation itself validates).
   */
  validator?: EpcisValidator;
  limits: { maxBytes: number; maxEvents: number };
  /** Where a Digital Link's company prefix ends: the registered prefixes say (see MemberDirectory). */
  companyPrefixLength: CompanyPrefixResolver;
}

/** Who sent a document, once authenticated (ingest checks signatures; the evaluation knows its simulated senders). */
export type DocumentOrigin = Pick<DecodedDocument, 'publisherOrgId' | 'captureId' | 'origin'>;

export function issueOf(issue: EpcisIssue): Issue {
  return {
    code: issue.code,
    detail: issue.value === undefined ? issue.message : `${issue.message} (got ${issue.value})`,
    field: issue.field || undefined,
    eventIndex: issue.eventIndex,
  };
}

/**
 * Bytes → validated, normalised, hashed events, and the master data a document carries (in its header, or as an
 * EPCISMasterDataDocument): everything that can be said about a document without the database or its signature.
 * JSON limits, the official JSON Schema, the CBV 2.0 Event Hash; XML becomes the JSON-LD binding first. Ingest and
 * the offline evaluation both read documents with this, so they decide on the same events.
 */
export class EpcisDocumentReader {
  private readonly facts = new Map<string, EpcFacts | null>();

  constructor(private readonly options: EpcisDocumentReaderOptions) {}

  read(message: SourceMessage, origin: DocumentOrigin): DecodedDocument {
    const document: DecodedDocument = {
      message,
      errorBehaviour: 'rollback',
      documentIssues: [],
      eventIssues: new Map(),
      events: [],
      eventCount: 0,
      ...origin,
    };
    let value: unknown;
    try {
      const parsed = isXmlDocument(message.value, message.headers)
        ? parseEpcisXml(message.value, this.options.limits)
        : parseEpcisJson(message.value, this.options.limits);
      if ('generation' in parsed)
        document.xml = { generation: parsed.generation, eventLines: parsed.eventLines };
      value = parsed.value;
      document.eventCount = parsed.eventCount;
    } catch (error) {
      if (!isEpcisValidationError(error)) throw error;
      document.documentIssues = error.issues.map(issueOf);
      return document;
    }
    const grouped = groupIssuesByEvent(this.options.validator?.validate(value).errors ?? []);
    document.documentIssues = grouped.document.map(issueOf);
    for (const [index, issues] of grouped.events) document.eventIssues.set(index, issues.map(issueOf));
    if (document.documentIssues.length > 0) return document;
    this.readEvents(value, document);
    return document;
  }

  /** What the rules need to know about an identifier, cached (the same pallets and lots recur in every batch). */
  identify(epc: string): EpcFacts | undefined {
    let facts = this.facts.get(epc);
    if (facts === undefined) {
      facts = describeEpc(epc) ?? null;
      if (this.facts.size > 200_000) this.facts.clear();
      this.facts.set(epc, facts);
    }
    return facts ?? undefined;
  }

  private readEvents(value: unknown, document: DecodedDocument): void {
    const context = createDocumentContext(value);
    document.masterData = masterDataOf(value, context);
    const documentContext = (value as { '@context'?: unknown })['@context'];
    const events = getEventList(value) ?? [];
    document.eventCount = events.length;
    events.forEach((event, index) => {
      if (document.eventIssues.has(index)) return;
      try {
        document.events.push(
          this.readEvent(event as Record<string, unknown>, index, context, documentContext),
        );
      } catch (error) {
        if (!isEpcisValidationError(error)) throw error;
        document.eventIssues.set(index, error.issues.map(issueOf));
      }
    });
  }

  private readEvent(
    event: Record<string, unknown>,
    index: number,
    context: ReturnType<typeof createDocumentContext>,
    documentContext: unknown,
  ): DecodedEvent {
    const normalised = this.withEpcUrns(normaliseEvent(event, context, index));
    const eventContext = event['@context'];
    const effectiveContext =
      eventContext === undefined ? documentContext : [...asArray(documentContext), ...asArray(eventContext)];
    const hashId = computeEventHash(event, effectiveContext as never);
    const { objects, parent, children } = epcsByRole(normalised);
    return {
      index,
      normalised,
      hashId,
      digest: eventHashDigest(hashId),
      objects,
      parent,
      children,
      epcClasses: [...new Set(normalised.quantities.map((q) => q.epcClassUrn ?? q.epcClass))],
      payload: { ...event, '@context': effectiveContext },
    };
  }

  /**
   * A GS1 Digital Link names the same pack as its EPC URN, but does not say where its company prefix ends; the
   * registered prefixes do. Resolved, it is stored, checked for prefix ownership, verified and queried under its
   * URN like any other; a link with no registered prefix keeps its own form (and cannot be commissioned).
   */
  private withEpcUrns(normalised: NormalisedEvent): NormalisedEvent {
    for (const epc of normalised.epcs) {
      if (epc.epcUrn === undefined && epc.digitalLink) epc.epcUrn = this.urnOf(epc.digitalLink);
    }
    for (const quantity of normalised.quantities) {
      if (quantity.epcClassUrn === undefined && quantity.digitalLink) {
        quantity.epcClassUrn = this.urnOf(quantity.digitalLink);
      }
    }
    return normalised;
  }

  private urnOf(link: string): string | undefined {
    try {
      return digitalLinkToEpcUrn(link, { companyPrefixResolver: this.options.companyPrefixLength });
    } catch {
      return undefined;
    }
  }
}

function asArray(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}
