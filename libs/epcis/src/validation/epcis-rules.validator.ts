import { type CbvKind, cbvTermOf, isStandardCbvTerm } from '../model/cbv.adapter';
import {
  type EpcisDocumentContext,
  classifyIri,
  contextForEvent,
  expandIri,
} from '../model/epcis-document-context';
import { EPCIS_CONTEXT_URLS } from '../model/epcis-document.model';
import { isEpcisAction, isEpcisEventType } from '../model/epcis-event.model';
import { isTimeZoneOffset, parseEpcisDateTime } from '../model/epcis-time.parser';
import { isGs1Problem, parseGs1Identifier } from '../model/gs1.adapter';
import { type EpcisIssue, EpcisIssueCode } from './epcis-issue.types';
import { describeValue, joinPointer } from './json-pointer.util';

/**
 * The rules the JSON Schema cannot express (or expresses only as an unreadable `anyOf`), each with its own code.
 * Every check reads `unknown` defensively: these run on documents the schema has rejected too, so that one pass
 * reports everything wrong with an event.
 */

type JsonObject = Record<string, unknown>;

function isRecord(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nonEmptyArray(value: unknown): boolean {
  return Array.isArray(value) && value.length > 0;
}

export class IssueSink {
  readonly issues: EpcisIssue[] = [];
  truncated = false;

  constructor(private readonly maxIssues: number) {}

  get full(): boolean {
    return this.issues.length >= this.maxIssues;
  }

  add(code: EpcisIssue['code'], field: string, message: string, eventIndex?: number, value?: unknown): void {
    if (this.full) {
      this.truncated = true;
      return;
    }
    const issue: EpcisIssue = { code, message, field };
    if (eventIndex !== undefined) issue.eventIndex = eventIndex;
    if (value !== undefined) issue.value = describeValue(value);
    this.issues.push(issue);
  }
}

function withArticle(word: string): string {
  return `${/^[AEIOU]/.test(word) ? 'an' : 'a'} ${word}`;
}

const EXAMPLE_TIME = '2024-03-01T10:15:00.000+01:00';
/** Extension values nest; the parser bounds depth already, this bounds objects built in code (even cyclic ones). */
const MAX_EXTENSION_DEPTH = 64;

const VOCABULARY_LABELS: Record<CbvKind, string> = {
  bizStep: 'business step',
  disposition: 'disposition',
  bizTransactionType: 'business transaction type',
  sourceDestType: 'source/destination type',
  errorReason: 'error reason',
};

/** Per-event checking state: where the event is and which prefixes are in scope. */
class EventChecker {
  constructor(
    private readonly sink: IssueSink,
    private readonly context: EpcisDocumentContext,
    private readonly pointer: string,
    private readonly index: number | undefined,
  ) {}

  private add(code: EpcisIssue['code'], field: string, message: string, value?: unknown): void {
    this.sink.add(code, field, message, this.index, value);
  }

  time(
    value: unknown,
    field: string,
    name: string,
    required: boolean,
    code: EpcisIssue['code'] = EpcisIssueCode.INVALID_TIME,
  ): void {
    if (value === undefined) {
      if (required)
        this.add(
          code,
          field,
          `${name} is required: an RFC 3339 date-time with an offset, e.g. ${EXAMPLE_TIME}`,
        );
      return;
    }
    if (parseEpcisDateTime(value) === undefined) {
      this.add(
        EpcisIssueCode.INVALID_TIME,
        field,
        `${name} must be an RFC 3339 date-time with an offset (Z or ±hh:mm), e.g. ${EXAMPLE_TIME}; got ${describeValue(value)}`,
        value,
      );
    }
  }

  vocabulary(kind: CbvKind, value: unknown, field: string, name: string): void {
    if (typeof value !== 'string' || isStandardCbvTerm(kind, value)) return;
    const what = VOCABULARY_LABELS[kind];
    const iri = classifyIri(value, this.context);
    if (iri === 'not-an-iri') {
      const suggestion = value.toLowerCase().replace(/[\s-]+/g, '_');
      const hint = isStandardCbvTerm(kind, suggestion) ? ` Did you mean '${suggestion}'?` : '';
      this.add(
        EpcisIssueCode.NON_STANDARD_VOCABULARY,
        field,
        `${name} ${describeValue(value)} is not a standard CBV ${what}; a value of your own must be a URI with a namespace, e.g. 'https://example.com/${kind}/${encodeURIComponent(value).slice(0, 30)}'.${hint}`,
        value,
      );
      return;
    }
    if (iri === 'unknown-prefix') {
      this.unknownPrefix(value, field, `${name} value`);
      return;
    }
    const named = cbvTermOf(kind, expandIri(value, this.context));
    if (named === undefined) return;
    if (!isStandardCbvTerm(kind, named.term)) {
      this.add(
        EpcisIssueCode.NON_STANDARD_VOCABULARY,
        field,
        `${name} ${describeValue(value)} is in the CBV namespace, but '${named.term}' is not a CBV ${what}`,
        value,
      );
    }
    // A standard term in its CBV 1.x URN or its web URI is the same term (EPCIS 2.0 §8.2.2: a CBV value may be
    // written bare, as a CURIE or as a full URI; XML producers write URNs): accepted, and the normaliser stores and
    // the Event Hash uses one canonical form.
  }

  unknownPrefix(value: string, field: string, what: string): void {
    const prefix = value.slice(0, value.indexOf(':'));
    this.add(
      EpcisIssueCode.UNKNOWN_PREFIX,
      field,
      `${what} ${describeValue(value)} uses the prefix '${prefix}', which the document's @context does not define; add {"${prefix}": "<namespace IRI>"} to @context or use a full IRI`,
      value,
    );
  }

  /** Keys with a colon are extensions (standard EPCIS keys have none); their prefix must be defined. */
  extensionKeys(object: JsonObject, field: string, depth = 0): void {
    if (this.sink.full) return;
    if (depth > MAX_EXTENSION_DEPTH) {
      this.add(
        EpcisIssueCode.TOO_DEEP,
        field,
        `extension values nest deeper than ${MAX_EXTENSION_DEPTH} levels`,
      );
      return;
    }
    for (const key of Object.keys(object)) {
      if (key.includes(':') && !key.startsWith('@')) {
        const keyField = joinPointer(field, key);
        if (classifyIri(key, this.context) === 'unknown-prefix')
          this.unknownPrefix(key, keyField, 'extension key');
        this.extensionValue(object[key], keyField, depth + 1);
      }
    }
  }

  private extensionValue(value: unknown, field: string, depth: number): void {
    if (Array.isArray(value)) {
      if (depth > MAX_EXTENSION_DEPTH) {
        this.add(
          EpcisIssueCode.TOO_DEEP,
          field,
          `extension values nest deeper than ${MAX_EXTENSION_DEPTH} levels`,
        );
        return;
      }
      value.forEach((item, i) => this.extensionValue(item, joinPointer(field, i), depth + 1));
    } else if (isRecord(value)) {
      this.extensionKeys(value, field, depth + 1);
    }
  }

  identifier(value: unknown, field: string, expect: 'instance' | 'class' | 'any'): void {
    if (typeof value !== 'string') return;
    const parsed = parseGs1Identifier(value);
    if (parsed === undefined) return;
    if (isGs1Problem(parsed)) {
      const code = parsed.problem === 'check-digit' ? EpcisIssueCode.CHECK_DIGIT : EpcisIssueCode.INVALID_EPC;
      this.add(code, field, parsed.message, value);
    } else if (expect === 'instance' && parsed.level === 'class') {
      this.add(
        EpcisIssueCode.INVALID_EPC,
        field,
        `${describeValue(value)} identifies a class of objects (${parsed.scheme}), not one instance; class-level identifiers belong in a quantity list`,
        value,
      );
    } else if (expect === 'class' && parsed.level === 'instance') {
      this.add(
        EpcisIssueCode.INVALID_EPC,
        field,
        `${describeValue(value)} identifies a single instance (${parsed.scheme}); epcClass must identify a class (LGTIN, GTIN or an EPC pattern)`,
        value,
      );
    }
  }

  identifierList(list: unknown, field: string, expect: 'instance' | 'class' | 'any'): void {
    if (!Array.isArray(list)) return;
    for (let i = 0; i < list.length && !this.sink.full; i++)
      this.identifier(list[i], joinPointer(field, i), expect);
  }

  quantityList(list: unknown, field: string): void {
    if (!Array.isArray(list)) return;
    list.forEach((element, i) => {
      if (!isRecord(element)) return;
      const elementField = joinPointer(field, i);
      this.identifier(element.epcClass, `${elementField}/epcClass`, 'class');
      const quantity = element.quantity;
      if (
        quantity !== undefined &&
        (typeof quantity !== 'number' || !Number.isFinite(quantity) || quantity < 0)
      ) {
        this.add(
          EpcisIssueCode.INVALID_QUANTITY,
          `${elementField}/quantity`,
          `quantity must be a JSON number ≥ 0; got ${typeof quantity === 'string' ? `the string ${describeValue(quantity)}` : describeValue(quantity)}`,
          quantity,
        );
      } else if (quantity === undefined && element.uom !== undefined) {
        this.add(
          EpcisIssueCode.INVALID_QUANTITY,
          `${elementField}/uom`,
          'uom is only allowed together with a quantity',
          element.uom,
        );
      }
    });
  }

  check(event: unknown): void {
    const b = this.pointer;
    if (!isRecord(event)) return;
    const type = event.type;
    if (typeof type === 'string' && !isEpcisEventType(type)) {
      const iri = classifyIri(type, this.context);
      if (iri === 'not-an-iri') {
        this.add(
          EpcisIssueCode.EVENT_RULE,
          `${b}/type`,
          `unknown event type ${describeValue(type)}; expected ObjectEvent, AggregationEvent, TransactionEvent, TransformationEvent, AssociationEvent, or the URI of an extension event type`,
          type,
        );
      } else if (iri === 'unknown-prefix') {
        this.unknownPrefix(type, `${b}/type`, 'event type');
      }
    }

    this.time(event.eventTime, `${b}/eventTime`, 'eventTime', true);
    this.time(event.recordTime, `${b}/recordTime`, 'recordTime', false);
    const offset = event.eventTimeZoneOffset;
    if (offset === undefined) {
      this.add(
        EpcisIssueCode.INVALID_TIME,
        `${b}/eventTimeZoneOffset`,
        'eventTimeZoneOffset is required: ±hh:mm, e.g. +01:00',
      );
    } else if (!isTimeZoneOffset(offset)) {
      this.add(
        EpcisIssueCode.INVALID_TIME,
        `${b}/eventTimeZoneOffset`,
        `eventTimeZoneOffset must be ±hh:mm between -14:00 and +14:00, e.g. +01:00; got ${describeValue(offset)}`,
        offset,
      );
    }

    if (typeof type === 'string') this.typeRules(type, event);

    this.vocabulary('bizStep', event.bizStep, `${b}/bizStep`, 'bizStep');
    this.vocabulary('disposition', event.disposition, `${b}/disposition`, 'disposition');
    if (isRecord(event.persistentDisposition)) {
      for (const key of ['set', 'unset'] as const) {
        const list = event.persistentDisposition[key];
        if (!Array.isArray(list)) continue;
        list.forEach((v, i) =>
          this.vocabulary(
            'disposition',
            v,
            `${b}/persistentDisposition/${key}/${i}`,
            `persistentDisposition.${key}`,
          ),
        );
      }
    }
    if (Array.isArray(event.bizTransactionList)) {
      event.bizTransactionList.forEach((entry, i) => {
        if (isRecord(entry)) {
          this.vocabulary(
            'bizTransactionType',
            entry.type,
            `${b}/bizTransactionList/${i}/type`,
            'bizTransaction type',
          );
        }
      });
    }
    for (const [list, idKey] of [
      ['sourceList', 'source'],
      ['destinationList', 'destination'],
    ] as const) {
      const entries = event[list];
      if (!Array.isArray(entries)) continue;
      entries.forEach((entry, i) => {
        if (!isRecord(entry)) return;
        this.vocabulary('sourceDestType', entry.type, `${b}/${list}/${i}/type`, `${idKey} type`);
        this.identifier(entry[idKey], `${b}/${list}/${i}/${idKey}`, 'any');
      });
    }

    if (typeof event.parentID === 'string') this.identifier(event.parentID, `${b}/parentID`, 'instance');
    this.identifierList(event.epcList, `${b}/epcList`, 'instance');
    this.identifierList(event.childEPCs, `${b}/childEPCs`, 'instance');
    this.identifierList(event.inputEPCList, `${b}/inputEPCList`, 'instance');
    this.identifierList(event.outputEPCList, `${b}/outputEPCList`, 'instance');
    this.quantityList(event.quantityList, `${b}/quantityList`);
    this.quantityList(event.childQuantityList, `${b}/childQuantityList`);
    this.quantityList(event.inputQuantityList, `${b}/inputQuantityList`);
    this.quantityList(event.outputQuantityList, `${b}/outputQuantityList`);
    for (const place of ['readPoint', 'bizLocation'] as const) {
      const value = event[place];
      if (!isRecord(value)) continue;
      this.identifier(value.id, `${b}/${place}/id`, 'any');
      this.extensionKeys(value, `${b}/${place}`);
    }
    this.identifier(event.transformationID, `${b}/transformationID`, 'any');

    this.errorDeclaration(event.errorDeclaration, `${b}/errorDeclaration`);
    if (isRecord(event.ilmd)) this.extensionKeys(event.ilmd, `${b}/ilmd`);
    if (Array.isArray(event.sensorElementList)) {
      event.sensorElementList.forEach((element, i) => {
        if (!isRecord(element)) return;
        const elementField = `${b}/sensorElementList/${i}`;
        this.extensionKeys(element, elementField);
        if (isRecord(element.sensorMetadata))
          this.extensionKeys(element.sensorMetadata, `${elementField}/sensorMetadata`);
        if (Array.isArray(element.sensorReport)) {
          element.sensorReport.forEach((report, j) => {
            if (isRecord(report)) this.extensionKeys(report, `${elementField}/sensorReport/${j}`);
          });
        }
      });
    }
    this.extensionKeys(event, b);
  }

  private typeRules(type: string, event: JsonObject): void {
    const b = this.pointer;
    const action = event.action;
    if (type === 'TransformationEvent') {
      if (action !== undefined) {
        this.add(
          EpcisIssueCode.ACTION_RULE,
          `${b}/action`,
          'a TransformationEvent has no action; remove it',
          action,
        );
      }
      const inputs = nonEmptyArray(event.inputEPCList) || nonEmptyArray(event.inputQuantityList);
      const outputs = nonEmptyArray(event.outputEPCList) || nonEmptyArray(event.outputQuantityList);
      if (!inputs && !outputs) {
        this.add(
          EpcisIssueCode.EVENT_RULE,
          `${b}/inputEPCList`,
          'a TransformationEvent needs inputs (inputEPCList/inputQuantityList) and/or outputs (outputEPCList/outputQuantityList)',
        );
      } else if ((!inputs || !outputs) && event.transformationID === undefined) {
        this.add(
          EpcisIssueCode.EVENT_RULE,
          `${b}/transformationID`,
          `a TransformationEvent with only ${inputs ? 'inputs' : 'outputs'} needs a transformationID linking it to the other half of the transformation`,
        );
      }
      return;
    }
    if (!isEpcisEventType(type)) return;
    if (type === 'TransactionEvent' && !nonEmptyArray(event.bizTransactionList)) {
      this.add(
        EpcisIssueCode.EVENT_RULE,
        `${b}/bizTransactionList`,
        'a TransactionEvent needs a non-empty bizTransactionList (the transactions the objects are linked to or unlinked from)',
        event.bizTransactionList,
      );
    }
    if (action === undefined) {
      this.add(
        EpcisIssueCode.ACTION_RULE,
        `${b}/action`,
        `${withArticle(type)} needs an action: ADD, OBSERVE or DELETE`,
      );
      return;
    }
    if (!isEpcisAction(action)) {
      this.add(
        EpcisIssueCode.ACTION_RULE,
        `${b}/action`,
        `action must be ADD, OBSERVE or DELETE; got ${describeValue(action)}`,
        action,
      );
      return;
    }
    switch (type) {
      case 'ObjectEvent':
        if (event.ilmd !== undefined && action !== 'ADD') {
          this.add(
            EpcisIssueCode.ACTION_RULE,
            `${b}/ilmd`,
            `ilmd (instance/lot master data) is only allowed with action ADD; this event's action is ${action}`,
          );
        }
        if (
          event.epcList === undefined &&
          !nonEmptyArray(event.quantityList) &&
          !(nonEmptyArray(event.sensorElementList) && event.readPoint !== undefined)
        ) {
          this.add(
            EpcisIssueCode.EVENT_RULE,
            `${b}/epcList`,
            'an ObjectEvent needs epcList, a non-empty quantityList, or a sensorElementList together with a readPoint',
          );
        }
        break;
      case 'AggregationEvent':
      case 'AssociationEvent':
        if ((action === 'ADD' || action === 'DELETE') && event.parentID === undefined) {
          this.add(
            EpcisIssueCode.ACTION_RULE,
            `${b}/parentID`,
            `${withArticle(type)} with action ${action} needs a parentID`,
          );
        }
        if (
          action !== 'DELETE' &&
          !nonEmptyArray(event.childEPCs) &&
          !nonEmptyArray(event.childQuantityList)
        ) {
          this.add(
            EpcisIssueCode.ACTION_RULE,
            `${b}/childEPCs`,
            `${withArticle(type)} with action ${action} needs childEPCs or childQuantityList (only DELETE may omit the children)`,
          );
        }
        break;
      case 'TransactionEvent':
        if (action !== 'DELETE' && event.epcList === undefined && !nonEmptyArray(event.quantityList)) {
          this.add(
            EpcisIssueCode.ACTION_RULE,
            `${b}/epcList`,
            `a TransactionEvent with action ${action} needs epcList or a non-empty quantityList (only DELETE may omit them)`,
          );
        }
        break;
      case 'TransformationEvent':
        break;
    }
  }

  private errorDeclaration(value: unknown, field: string): void {
    if (value === undefined) return;
    if (!isRecord(value)) {
      this.add(
        EpcisIssueCode.ERROR_DECLARATION,
        field,
        'errorDeclaration must be an object with a declarationTime',
        value,
      );
      return;
    }
    this.time(
      value.declarationTime,
      `${field}/declarationTime`,
      'errorDeclaration.declarationTime',
      true,
      EpcisIssueCode.ERROR_DECLARATION,
    );
    this.vocabulary('errorReason', value.reason, `${field}/reason`, 'errorDeclaration.reason');
    this.extensionKeys(value, field);
  }
}

export function checkEventRules(
  event: unknown,
  context: EpcisDocumentContext,
  pointer: string,
  index: number | undefined,
  sink: IssueSink,
): void {
  new EventChecker(sink, contextForEvent(context, event), pointer, index).check(event);
}

const DOCUMENT_TYPES = 'EPCISDocument, EPCISQueryDocument or EPCISMasterDataDocument';

/** Envelope rules: document type, @context, version, header extensions. Events are checked separately. */
export function checkDocumentRules(document: unknown, context: EpcisDocumentContext, sink: IssueSink): void {
  if (!isRecord(document)) {
    sink.add(
      EpcisIssueCode.DOCUMENT_TYPE,
      '',
      `the document must be a JSON object of type ${DOCUMENT_TYPES}; got ${describeValue(document)}`,
      undefined,
      document,
    );
    return;
  }
  if (context.documentType === undefined) {
    sink.add(
      EpcisIssueCode.DOCUMENT_TYPE,
      '/type',
      `type must be ${DOCUMENT_TYPES}; got ${describeValue(document.type)}`,
      undefined,
      document.type,
    );
  }
  if (!context.hasContext) {
    sink.add(
      EpcisIssueCode.MISSING_CONTEXT,
      '/@context',
      `the document has no @context; it must reference the EPCIS 2.0 context "${EPCIS_CONTEXT_URLS[0]}"`,
    );
  } else if (!context.referencesEpcisContext) {
    sink.add(
      EpcisIssueCode.MISSING_CONTEXT,
      '/@context',
      `@context does not reference the EPCIS 2.0 context; expected "${EPCIS_CONTEXT_URLS[0]}" (or an array containing it)`,
      undefined,
      document['@context'],
    );
  }
  const version = document.schemaVersion;
  if (typeof version === 'string' && !/^2(?:\.\d+)*$/.test(version)) {
    sink.add(
      EpcisIssueCode.UNSUPPORTED_VERSION,
      '/schemaVersion',
      `schemaVersion must be an EPCIS 2.x version such as "2.0"; got ${describeValue(version)}`,
      undefined,
      version,
    );
  }
  const checker = new EventChecker(sink, context, '', undefined);
  checker.time(document.creationDate, '/creationDate', 'creationDate', false);
  checker.extensionKeys(document, '');
  if (isRecord(document.epcisHeader)) checker.extensionKeys(document.epcisHeader, '/epcisHeader');
  const body = document.epcisBody;
  if (document.type === 'EPCISMasterDataDocument' && isRecord(body))
    checker.extensionKeys(body, '/epcisBody');
  if (document.type === 'EPCISQueryDocument' && isRecord(body)) {
    checker.extensionKeys(body, '/epcisBody');
    if (isRecord(body.queryResults)) {
      checker.extensionKeys(body.queryResults, '/epcisBody/queryResults');
      if (isRecord(body.queryResults.resultsBody)) {
        checker.extensionKeys(body.queryResults.resultsBody, '/epcisBody/queryResults/resultsBody');
      }
    }
  }
}
