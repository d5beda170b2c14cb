import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { PedigreeConfig } from '@pedigree/config';
import {
  computeEventHash,
  createDocumentContext,
  createEpcisValidator,
  EPCIS_MASTER_DATA_XSD_FILE,
  EpcisXsdValidator,
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
import { isXmlDocument } from '@pedigree/messaging';
import { describeEpc, digitalLinkToEpcUrn } from '@pedigree/gs1';
import { PartyDirectory } from '../supply-chain/party-directory.service';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type EpcFacts, epcsByRole } from '@pedigree/supply-chain';
import { DocumentAuthenticator } from './document-authenticator';
import type { DecodedDocument, DecodedEvent, Issue, SourceMessage } from './decoded-document';

function toIssue(issue: EpcisIssue): Issue {
  return {
    code: issue.code,
    detail: issue.value === undefined ? issue.message : `${issue.message} (got ${issue.value})`,
    field: issue.field || undefined,
    eventIndex: issue.eventIndex,
  };
}

/**
 * Bytes → validated, normalised, hashed events, and the master data a document carries (in its header, or as an
 * EPCISMasterDataDocument). Everything that can be said about a document without the database: JSON limits, the
 * official EPCIS 2.0 JSON Schema and XSD, the rules they cannot express, the CBV 2.0 Event Hash.
 */
@Injectable()
export class DocumentDecoder implements OnModuleDestroy {
  private readonly logger = new Logger(DocumentDecoder.name);
  private readonly validator: EpcisValidator;
  private readonly xsd: EpcisXsdValidator;
  private readonly facts = new Map<string, EpcFacts | null>();

  constructor(
    private readonly config: PedigreeConfig,
    private readonly authenticator: DocumentAuthenticator,
    private readonly parties: PartyDirectory,
  ) {
    const schemaPath = join(resolve(config.epcisStandardDir), 'EPCIS-JSON-Schema.json');
    let schema: object;
    try {
      schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as object;
    } catch (error) {
      throw new Error(
        `EPCIS_STANDARD_DIR: cannot read the official EPCIS JSON Schema at ${schemaPath} (${(error as Error).message})`,
      );
    }
    this.xsd = new EpcisXsdValidator(config.epcisXsdDir);
    if (!this.xsd.checksMasterData) {
      this.logger.warn(
        `EPCIS_XSD_DIR has no ${EPCIS_MASTER_DATA_XSD_FILE}: XML master data documents are checked by the JSON rules only`,
      );
    }
    this.validator = createEpcisValidator({
      schema,
      limits: { maxEvents: config.ingestMaxEventsPerDocument },
    });
  }

  /** Bytes → document, as `decodeParsed`, after the XSD check of an EPCIS 2.0 XML document. */
  async decode(message: SourceMessage): Promise<DecodedDocument> {
    const document = this.decodeParsed(message);
    const xml = document.xml;
    if (xml?.generation === '2.0' && document.documentIssues.length === 0) {
      const issues = await this.xsd.validate(message.value, xml.eventLines);
      // A document the XSD refuses is refused whole, with the per-event findings of the JSON checks kept beside it.
      if (issues.length > 0) document.documentIssues = issues.map(toIssue);
    }
    return document;
  }

  onModuleDestroy(): Promise<void> {
    return this.xsd.close();
  }

  decodeParsed(message: SourceMessage): DecodedDocument {
    const document: DecodedDocument = {
      message,
      errorBehaviour: 'rollback',
      documentIssues: [],
      eventIssues: new Map(),
      events: [],
      eventCount: 0,
    };
    // Who sent it comes first: nothing of an unauthenticated document is looked at, let alone applied.
    const origin = this.authenticator.authenticate(message);
    if ('issue' in origin) {
      document.documentIssues = [origin.issue];
      document.captureId = origin.captureId;
      return document;
    }
    Object.assign(document, origin);
    let value: unknown;
    try {
      const limits = {
        maxBytes: this.config.ingestMaxDocumentBytes,
        maxEvents: this.config.ingestMaxEventsPerDocument,
      };
      // XML (EPCIS 2.0 or 1.2) becomes the JSON-LD binding first; from here on there is one decision for both.
      const parsed = isXmlDocument(message.value, message.headers)
        ? parseEpcisXml(message.value, limits)
        : parseEpcisJson(message.value, limits);
      if ('generation' in parsed)
        document.xml = { generation: parsed.generation, eventLines: parsed.eventLines };
      value = parsed.value;
      document.eventCount = parsed.eventCount;
    } catch (error) {
      if (!isEpcisValidationError(error)) throw error;
      document.documentIssues = error.issues.map(toIssue);
      return document;
    }
    const validation = this.validator.validate(value);
    const grouped = groupIssuesByEvent(validation.errors);
    document.documentIssues = grouped.document.map(toIssue);
    for (const [index, issues] of grouped.events) document.eventIssues.set(index, issues.map(toIssue));
    if (document.documentIssues.length > 0) return document;

    const context = createDocumentContext(value);
    document.masterData = masterDataOf(value, context);
    const documentContext = (value as { '@context'?: unknown })['@context'];
    const events = getEventList(value) ?? [];
    document.eventCount = events.length;
    events.forEach((event, index) => {
      if (document.eventIssues.has(index)) return;
      try {
        document.events.push(
          this.decodeEvent(event as Record<string, unknown>, index, context, documentContext),
        );
      } catch (error) {
        if (!isEpcisValidationError(error)) throw error;
        document.eventIssues.set(index, error.issues.map(toIssue));
      }
    });
    return document;
  }

  /** The authenticated origin of a message, or the issue that refuses it. */
  authenticate(message: SourceMessage) {
    return this.authenticator.authenticate(message);
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

  private readonly prefixLength = (prefixed: string, ai: string) =>
    this.parties.companyPrefixLength(prefixed, ai);

  private urnOf(link: string): string | undefined {
    try {
      return digitalLinkToEpcUrn(link, { companyPrefixResolver: this.prefixLength });
    } catch {
      return undefined;
    }
  }

  private decodeEvent(
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
}

function asArray(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}
