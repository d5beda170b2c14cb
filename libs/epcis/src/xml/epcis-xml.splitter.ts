import { SaxesParser } from 'saxes';
import { EPCIS_EVENT_TYPES } from '../model/epcis-event.model';
import { EpcisIssueCode } from '../validation/epcis-issue.types';
import { EpcisValidationError } from '../validation/epcis-validation.error';
import { epcisXmlRoot } from './epcis-xml.reader';

export interface EpcisXmlPart {
  /** A complete EPCIS XML document: the original prologue and header, then these events, byte for byte. */
  xml: string;
  eventCount: number;
  /** Index in the whole file of the part's first event. */
  firstEvent: number;
}

const EVENT_ELEMENTS = new Set<string>(EPCIS_EVENT_TYPES);

/**
 * Cuts a large EPCIS XML file (a manufacturer's end-of-day file of 100,000 events) into documents of at most
 * `maxEvents` events, reading it as a stream: only the text of the events not yet handed out is held. Each part
 * repeats the original text up to and including `<EventList>` (XML declaration, namespace declarations, header and
 * master data) and then carries its events exactly as written, so it is XML the capture endpoint, the XSD and the
 * Event Hash read as they would the whole file. Events of EPCIS 1.2's `EventList/extension` keep their wrapper. A
 * document without events (an EPCISMasterDataDocument, or master data in a header) is one part: the whole text.
 */
export async function* splitEpcisXml(
  input: AsyncIterable<Buffer | string> | Iterable<Buffer | string>,
  maxEvents: number,
): AsyncGenerator<EpcisXmlPart> {
  const state = new SplitState(maxEvents);
  for await (const chunk of input) {
    state.write(typeof chunk === 'string' ? chunk : chunk.toString('utf8'));
    yield* state.drain();
  }
  state.end();
  yield* state.drain();
}

class SplitState {
  private readonly parser = new SaxesParser({ xmlns: true });
  /** Text from global offset `base` on; earlier text is no longer needed. */
  private text = '';
  private base = 0;
  private path: string[] = [];
  private rootName = '';
  /** An EPCISMasterDataDocument: no event list to cut. */
  private masterData = false;
  private prologue?: string;
  private eventStart = -1;
  private inExtension = false;
  private batch: string[] = [];
  private batchFirst = 0;
  private eventIndex = 0;
  private readonly ready: EpcisXmlPart[] = [];

  constructor(private readonly maxEvents: number) {
    this.parser.on('error', (error) => {
      throw EpcisValidationError.of(
        EpcisIssueCode.MALFORMED_XML,
        `the document is not well-formed XML: ${error.message}`,
      );
    });
    this.parser.on('opentagstart', (tag) => this.openStart(tag.name));
    this.parser.on('opentag', (tag) => this.opened(tag.uri, tag.local, tag.name));
    this.parser.on('closetag', () => this.closed());
  }

  write(chunk: string): void {
    this.text += chunk;
    this.parser.write(chunk);
  }

  end(): void {
    this.parser.close();
    if (this.batch.length > 0) this.flush();
    // No event was read, so no text was dropped: it is the whole document.
    else if (this.eventIndex === 0) this.ready.push({ xml: this.text, eventCount: 0, firstEvent: 0 });
  }

  *drain(): Generator<EpcisXmlPart> {
    while (this.ready.length > 0) yield this.ready.shift()!;
  }

  /** The element about to open is a child of the event list (or of 1.2's EventList/extension). */
  private atListLevel(): boolean {
    const p = this.path;
    if (this.masterData) return false;
    const list = p.length >= 3 && p[1] === 'EPCISBody' && p[2] === 'EventList';
    return list && (p.length === 3 || (p.length === 4 && this.inExtension));
  }

  private openStart(name: string): void {
    // The parser has read `<name` and one more character.
    if (this.atListLevel()) this.eventStart = this.parser.position - name.length - 2;
  }

  private opened(uri: string, local: string, name: string): void {
    if (this.path.length === 0) {
      const root = epcisXmlRoot(uri, local);
      if (!root) {
        throw EpcisValidationError.of(
          EpcisIssueCode.DOCUMENT_TYPE,
          `the root element must be an EPCISDocument or an EPCISMasterDataDocument, not ${name}`,
          '/type',
        );
      }
      this.rootName = name;
      this.masterData = root.documentType === 'EPCISMasterDataDocument';
    }
    if (this.atListLevel()) {
      if (uri === '' && local === 'extension' && this.path.length === 3) this.inExtension = true;
      else if (uri !== '' || !EVENT_ELEMENTS.has(local)) {
        // As the whole-document reader: nothing in the event list is dropped without a word.
        throw EpcisValidationError.of(
          EpcisIssueCode.EVENT_RULE,
          `the event list holds <${name}>, which is not an EPCIS event`,
          `/epcisBody/eventList/${this.eventIndex}`,
        );
      }
      if (!EVENT_ELEMENTS.has(local)) this.eventStart = -1;
    }
    this.path.push(local);
    if (this.prologue === undefined && this.path.length === 3 && local === 'EventList') {
      this.prologue = this.text.slice(0, this.parser.position - this.base);
    }
  }

  private closed(): void {
    const depth = this.path.length;
    this.path.pop();
    if (this.eventStart >= 0 && depth === (this.inExtension ? 5 : 4)) {
      const end = this.parser.position;
      const event = this.text.slice(this.eventStart - this.base, end - this.base);
      this.batch.push(this.inExtension ? `<extension>${event}</extension>` : event);
      this.eventStart = -1;
      this.eventIndex++;
      this.forget(end);
      if (this.batch.length >= this.maxEvents) this.flush();
    } else if (depth === 4 && this.inExtension) {
      this.inExtension = false;
    }
  }

  /** Drops text before `offset` (the prologue is kept separately once read). */
  private forget(offset: number): void {
    if (this.prologue === undefined) return;
    this.text = this.text.slice(offset - this.base);
    this.base = offset;
  }

  private flush(): void {
    const count = this.batch.length;
    this.ready.push({
      xml: `${this.prologue}\n${this.batch.join('\n')}\n</EventList></EPCISBody></${this.rootName}>\n`,
      eventCount: count,
      firstEvent: this.batchFirst,
    });
    this.batch = [];
    this.batchFirst = this.eventIndex;
  }
}
