import { SaxesParser, type SaxesTagNS } from 'saxes';
import { EPCIS_CONTEXT_URLS } from '../model/epcis-document.model';
import { type EpcisLimits, resolveLimits } from '../validation/epcis-json-parser';
import { EPCIS_EVENT_TYPES } from '../model/epcis-event.model';
import { EpcisIssueCode } from '../validation/epcis-issue.types';
import { EpcisValidationError } from '../validation/epcis-validation.error';
import {
  NamespacePrefixes,
  addExtension,
  mapEvent,
  mapMasterDataBody,
  mapVocabularyList,
} from './epcis-xml.mapper';
import { type XmlNode, childNamed } from './xml-node';

/** The EPCIS XML namespaces by generation: 2.0, and 1.2 (which DSCSA trading partners exchange). */
export const EPCIS_XML_NAMESPACES = {
  'urn:epcglobal:epcis:xsd:2': '2.0',
  'urn:epcglobal:epcis:xsd:1': '1.2',
} as const;
export type EpcisXmlGeneration = (typeof EPCIS_XML_NAMESPACES)[keyof typeof EPCIS_XML_NAMESPACES];

/** The namespaces of master data sent on its own (EPCISMasterDataDocument; EPCIS 1.2 §9.7), by generation. */
export const EPCIS_MASTER_DATA_XML_NAMESPACES = {
  'urn:epcglobal:epcis-masterdata:xsd:2': '2.0',
  'urn:epcglobal:epcis-masterdata:xsd:1': '1.2',
} as const satisfies Record<string, EpcisXmlGeneration>;

export type EpcisXmlDocumentType = 'EPCISDocument' | 'EPCISMasterDataDocument';

/** The generation and type of a root element, or undefined when it is neither EPCIS root. */
export function epcisXmlRoot(
  uri: string,
  local: string,
): { generation: EpcisXmlGeneration; documentType: EpcisXmlDocumentType } | undefined {
  if (local === 'EPCISDocument' && uri in EPCIS_XML_NAMESPACES) {
    return {
      generation: EPCIS_XML_NAMESPACES[uri as keyof typeof EPCIS_XML_NAMESPACES],
      documentType: local,
    };
  }
  if (local === 'EPCISMasterDataDocument' && uri in EPCIS_MASTER_DATA_XML_NAMESPACES) {
    const generation = EPCIS_MASTER_DATA_XML_NAMESPACES[uri as keyof typeof EPCIS_MASTER_DATA_XML_NAMESPACES];
    return { generation, documentType: local };
  }
  return undefined;
}

const EVENT_ELEMENTS = new Set<string>(EPCIS_EVENT_TYPES);
const EVENT_LIST = '/epcisBody/eventList';
/** What a master data document's body may hold besides user extensions (EPCISMasterDataBodyType). */
const MASTER_DATA_BODY = new Set(['VocabularyList', 'extension']);

export interface EpcisXmlHeader {
  generation: EpcisXmlGeneration;
  documentType: EpcisXmlDocumentType;
  creationDate?: string;
  /** `epcisHeader` in the JSON binding: the master data the header carried, if any. */
  epcisHeader?: Record<string, unknown>;
  /** The document's own user extensions, keyed as in JSON. */
  extensions?: Record<string, unknown>;
  /** A master data document's body in the JSON binding: `vocabularyList` and the body's extensions. */
  masterDataBody?: Record<string, unknown>;
}

/**
 * A streaming EPCIS XML reader (saxes, namespace-aware): each event is mapped to the JSON-LD binding as soon as its
 * element closes and handed to `onEvent`, so a manufacturer's end-of-day file is read in bounded memory. Limits and
 * failures are EPCIS issues with the same codes as JSON input; positions are line and column of the XML.
 */
export class EpcisXmlReader {
  private readonly parser = new SaxesParser({ xmlns: true, position: true });
  private readonly limits: EpcisLimits;
  readonly prefixes = new NamespacePrefixes();
  private path: string[] = [];
  private building: XmlNode[] = [];
  private generation?: EpcisXmlGeneration;
  private documentType: EpcisXmlDocumentType = 'EPCISDocument';
  private creationDate?: string;
  private masterDataBody?: Record<string, unknown>;
  private epcisHeader?: Record<string, unknown>;
  /** User extensions of the document itself (namespaced children of the root). */
  private readonly documentExtensions: Record<string, unknown> = {};
  private bytes = 0;
  eventCount = 0;
  /** The line each event's start tag is on, to place XSD findings. */
  readonly eventLines: number[] = [];

  constructor(
    private readonly onEvent: (event: Record<string, unknown>, index: number) => void,
    limits: Partial<EpcisLimits> = {},
  ) {
    this.limits = resolveLimits(limits);
    this.parser.on('error', (error) => {
      throw this.issue(EpcisIssueCode.MALFORMED_XML, `the document is not well-formed XML: ${error.message}`);
    });
    this.parser.on('opentag', (tag) => this.open(tag));
    this.parser.on('closetag', () => this.close());
    this.parser.on('text', (text) => this.text(text));
    this.parser.on('cdata', (text) => this.text(text));
  }

  write(chunk: Buffer | string): void {
    this.bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.byteLength;
    if (this.bytes > this.limits.maxBytes) {
      throw EpcisValidationError.of(
        EpcisIssueCode.TOO_LARGE,
        `the document is larger than ${this.limits.maxBytes} bytes`,
      );
    }
    this.parser.write(typeof chunk === 'string' ? chunk : chunk.toString('utf8'));
  }

  /** Ends the input; returns what the document said outside its events. */
  end(): EpcisXmlHeader {
    this.parser.close();
    if (!this.generation) throw this.issue(EpcisIssueCode.MALFORMED_XML, 'the document is empty');
    return {
      generation: this.generation,
      documentType: this.documentType,
      creationDate: this.creationDate,
      epcisHeader: this.epcisHeader,
      extensions: this.documentExtensions,
      masterDataBody: this.masterDataBody,
    };
  }

  /** The JSON-LD `@context` for events read so far: the EPCIS context and each extension namespace's prefix. */
  context(): unknown[] {
    const extensions = this.prefixes.context();
    return extensions ? [EPCIS_CONTEXT_URLS[0], extensions] : [EPCIS_CONTEXT_URLS[0]];
  }

  private open(tag: SaxesTagNS): void {
    const node: XmlNode = {
      uri: tag.uri,
      local: tag.local,
      prefix: tag.prefix,
      attributes: Object.values(tag.attributes).map((a) => ({
        uri: a.uri,
        local: a.local,
        prefix: a.prefix,
        value: a.value,
      })),
      children: [],
      text: '',
      line: this.parser.line,
    };
    if (this.building.length > 0) return this.nest(node);
    if (this.path.length === 0) this.root(node);
    else if (this.startsEvent(node)) this.startEvent(node);
    else if (this.path.length === 1 && node.uri === '' && this.buildsWhole(node.local))
      this.building = [node];
    else if (this.path.length === 1 && node.uri !== '') this.building = [node];
    else if (node.uri === '' && node.local === 'QuantityEvent') {
      throw this.issue(
        EpcisIssueCode.EVENT_RULE,
        'QuantityEvent was withdrawn in EPCIS 2.0: send an ObjectEvent with a quantityList instead',
        `${EVENT_LIST}/${this.eventCount}`,
      );
    }
    this.path.push(node.local);
  }

  private nest(node: XmlNode): void {
    if (this.building.length >= this.limits.maxDepth) {
      throw this.issue(EpcisIssueCode.TOO_DEEP, `elements nest deeper than ${this.limits.maxDepth} levels`);
    }
    this.building[this.building.length - 1].children.push(node);
    this.building.push(node);
  }

  private root(node: XmlNode): void {
    const root = epcisXmlRoot(node.uri, node.local);
    if (!root) {
      const found = node.uri ? `{${node.uri}}${node.local}` : node.local;
      throw this.issue(
        EpcisIssueCode.DOCUMENT_TYPE,
        `the root element must be an EPCISDocument of EPCIS 2.0 (urn:epcglobal:epcis:xsd:2) or 1.2 ` +
          `(urn:epcglobal:epcis:xsd:1), or an EPCISMasterDataDocument (urn:epcglobal:epcis-masterdata:xsd:2 or ` +
          `:xsd:1), not ${found}`,
        '/type',
      );
    }
    this.generation = root.generation;
    this.documentType = root.documentType;
    this.creationDate = node.attributes.find((a) => a.uri === '' && a.local === 'creationDate')?.value;
  }

  /**
   * Children of the root read whole: the header, and a master data document's body (its vocabulary list is bounded
   * by the byte limit; an EPCISDocument's body is streamed event by event instead).
   */
  private buildsWhole(local: string): boolean {
    return (
      local === 'EPCISHeader' || (local === 'EPCISBody' && this.documentType === 'EPCISMasterDataDocument')
    );
  }

  /** Events sit in EPCISBody/EventList, and in 1.2 also in EventList/extension (TransformationEvent). */
  private startsEvent(node: XmlNode): boolean {
    const p = this.path;
    const inList =
      (p.length === 3 && p[1] === 'EPCISBody' && p[2] === 'EventList') ||
      (p.length === 4 && p[1] === 'EPCISBody' && p[2] === 'EventList' && p[3] === 'extension');
    if (!inList) return false;
    if (node.uri === '' && EVENT_ELEMENTS.has(node.local)) return true;
    if (node.uri === '' && node.local === 'extension') return false;
    if (node.uri === '' && node.local === 'QuantityEvent') return false;
    throw this.issue(
      EpcisIssueCode.EVENT_RULE,
      `the event list holds <${node.prefix ? `${node.prefix}:` : ''}${node.local}>, which is not an EPCIS event`,
      `${EVENT_LIST}/${this.eventCount}`,
    );
  }

  private startEvent(node: XmlNode): void {
    if (this.eventCount >= this.limits.maxEvents) {
      throw this.issue(
        EpcisIssueCode.TOO_MANY_EVENTS,
        `the document holds more than ${this.limits.maxEvents} events`,
        EVENT_LIST,
      );
    }
    this.building = [node];
    this.eventLines.push(node.line);
  }

  private close(): void {
    const node = this.building.pop();
    if (!node) {
      this.path.pop();
      return;
    }
    if (this.building.length > 0) return;
    this.path.pop();
    if (node.uri !== '') addExtension(this.documentExtensions, node, this.prefixes);
    else if (node.local === 'EPCISHeader') this.header(node);
    else if (node.local === 'EPCISBody') this.body(node);
    else this.onEvent(mapEvent(node, this.prefixes), this.eventCount++);
  }

  private header(node: XmlNode): void {
    const masterData = childNamed(childNamed(node, 'extension') ?? node, 'EPCISMasterData');
    const vocabularyList = masterData ? childNamed(masterData, 'VocabularyList') : undefined;
    if (vocabularyList) {
      this.epcisHeader = {
        epcisMasterData: { vocabularyList: mapVocabularyList(vocabularyList, this.prefixes) },
      };
    }
  }

  /** A master data document's body: a vocabulary list, never events (EPCIS 1.2 has no XSD here to say so). */
  private body(node: XmlNode): void {
    const stray = node.children.find((c) => c.uri === '' && !MASTER_DATA_BODY.has(c.local));
    if (stray) {
      throw EpcisValidationError.of(
        EpcisIssueCode.MASTER_DATA,
        `the EPCISBody of a master data document holds <${stray.local}> (at line ${stray.line}): it holds a ` +
          'VocabularyList; events are sent in an EPCISDocument',
        '/epcisBody',
        { position: { offset: 0, line: stray.line, column: 1 } },
      );
    }
    this.masterDataBody = mapMasterDataBody(node, this.prefixes);
  }

  private text(text: string): void {
    const top = this.building[this.building.length - 1];
    if (top) top.text += text;
  }

  private issue(code: EpcisIssueCode, message: string, field = ''): EpcisValidationError {
    const line = this.parser.line;
    const column = this.parser.column;
    return EpcisValidationError.of(code, `${message} (at line ${line}, column ${column})`, field, {
      position: { offset: this.parser.position, line, column },
    });
  }
}

export interface EpcisXmlParseResult {
  /** The document in the EPCIS 2.0 JSON-LD binding. */
  value: Record<string, unknown>;
  eventCount: number;
  generation: EpcisXmlGeneration;
  /** An EPCISDocument, or an EPCISMasterDataDocument (no events; its vocabulary list in `epcisBody`). */
  documentType: EpcisXmlDocumentType;
  /** The line each event starts on. */
  eventLines: number[];
}

/** A whole EPCIS XML document → the same JSON-LD document (events, or master data) a JSON producer would send. */
export function parseEpcisXml(
  input: Buffer | string,
  limits: Partial<EpcisLimits> = {},
): EpcisXmlParseResult {
  const events: Record<string, unknown>[] = [];
  const reader = new EpcisXmlReader((event) => events.push(event), limits);
  reader.write(input);
  const header = reader.end();
  return {
    value:
      header.documentType === 'EPCISMasterDataDocument'
        ? toJsonMasterDataDocument(header, reader.context())
        : toJsonDocument(header, reader.context(), events),
    eventCount: events.length,
    generation: header.generation,
    documentType: header.documentType,
    eventLines: reader.eventLines,
  };
}

/** One EPCISDocument in the JSON-LD binding (also used to cut a large XML file into documents). */
export function toJsonDocument(
  header: Partial<EpcisXmlHeader>,
  context: unknown[],
  events: Record<string, unknown>[],
): Record<string, unknown> {
  return {
    '@context': context,
    type: 'EPCISDocument',
    // A 1.2 document read this way is a 2.0 document: the JSON binding has no 1.2.
    schemaVersion: '2.0',
    creationDate: header.creationDate ?? new Date().toISOString(),
    ...(header.epcisHeader ? { epcisHeader: header.epcisHeader } : {}),
    ...header.extensions,
    epcisBody: { eventList: events },
  };
}

/** An EPCISMasterDataDocument in the JSON shape Pedigree reads (see `EpcisMasterDataDocument`). */
export function toJsonMasterDataDocument(
  header: Partial<EpcisXmlHeader>,
  context: unknown[],
): Record<string, unknown> {
  return {
    ...toJsonDocument(header, context, []),
    type: 'EPCISMasterDataDocument',
    epcisBody: header.masterDataBody ?? { vocabularyList: [] },
  };
}
