import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { PedigreeConfig } from '@pedigree/config';
import { createEpcisValidator, EPCIS_MASTER_DATA_XSD_FILE, EpcisXsdValidator } from '@pedigree/epcis';
import type { EpcFacts } from '@pedigree/gs1';
import {
  type DecodedDocument,
  EpcisDocumentReader,
  issueOf,
  type SourceMessage,
} from '@pedigree/supply-chain';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PartyDirectory } from '../supply-chain/party-directory.service';
import { DocumentAuthenticator } from './document-authenticator';

/**
 * Bytes → an authenticated document of validated, normalised, hashed events: the signature first
 * (DocumentAuthenticator), then `EpcisDocumentReader` (shared with the evaluation), then the official XSD for
 * EPCIS 2.0 XML, which runs in a worker thread and so stays here.
 */
@Injectable()
export class DocumentDecoder implements OnModuleDestroy {
  private readonly logger = new Logger(DocumentDecoder.name);
  private readonly reader: EpcisDocumentReader;
  private readonly xsd: EpcisXsdValidator;

  constructor(
    config: PedigreeConfig,
    private readonly authenticator: DocumentAuthenticator,
    parties: PartyDirectory,
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
    const limits = { maxBytes: config.ingestMaxDocumentBytes, maxEvents: config.ingestMaxEventsPerDocument };
    this.reader = new EpcisDocumentReader({
      validator: createEpcisValidator({ schema, limits: { maxEvents: limits.maxEvents } }),
      limits,
      companyPrefixLength: (prefixed, ai) => parties.companyPrefixLength(prefixed, ai),
    });
  }

  /** Bytes → document, as `decodeParsed`, after the XSD check of an EPCIS 2.0 XML document. */
  async decode(message: SourceMessage): Promise<DecodedDocument> {
    const document = this.decodeParsed(message);
    const xml = document.xml;
    if (xml?.generation === '2.0' && document.documentIssues.length === 0) {
      const issues = await this.xsd.validate(message.value, xml.eventLines);
      // A document the XSD refuses is refused whole, with the per-event findings of the JSON checks kept beside it.
      if (issues.length > 0) document.documentIssues = issues.map(issueOf);
    }
    return document;
  }

  onModuleDestroy(): Promise<void> {
    return this.xsd.close();
  }

  decodeParsed(message: SourceMessage): DecodedDocument {
    // Who sent it comes first: nothing of an unauthenticated document is looked at, let alone applied.
    const origin = this.authenticator.authenticate(message);
    if ('issue' in origin) {
      return {
        message,
        errorBehaviour: 'rollback',
        documentIssues: [origin.issue],
        eventIssues: new Map(),
        events: [],
        eventCount: 0,
        captureId: origin.captureId,
      };
    }
    return this.reader.read(message, origin);
  }

  /** The authenticated origin of a message, or the issue that refuses it. */
  authenticate(message: SourceMessage) {
    return this.authenticator.authenticate(message);
  }

  identify(epc: string): EpcFacts | undefined {
    return this.reader.identify(epc);
  }
}
