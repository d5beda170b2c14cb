import { EpcisIssueCode } from '../validation/epcis-issue.types';
import { EpcisValidationError } from '../validation/epcis-validation.error';
import { type CbvKind, compactCbvValue } from './cbv.adapter';
import {
  type EpcisDocumentContext,
  contextForEvent,
  createDocumentContext,
  expandIri,
  getEventList,
} from './epcis-document-context';
import { isEpcisAction } from './epcis-event.model';
import { parseEpcisDateTime } from './epcis-time.parser';
import { isGs1Problem, parseGs1Identifier } from './gs1.adapter';
import type {
  EpcRole,
  NormalisedBizTransaction,
  NormalisedEpc,
  NormalisedErrorDeclaration,
  NormalisedEvent,
  NormalisedIlmd,
  NormalisedQuantity,
  PartyRefs,
  QuantityRole,
} from './normalised-event.model';

type JsonObject = Record<string, unknown>;

function isRecord(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

const EPC_LISTS: readonly (readonly [string, EpcRole])[] = [
  ['epcList', 'object'],
  ['childEPCs', 'child'],
  ['inputEPCList', 'input'],
  ['outputEPCList', 'output'],
];

const QUANTITY_LISTS: readonly (readonly [string, QuantityRole])[] = [
  ['quantityList', 'object'],
  ['childQuantityList', 'child'],
  ['inputQuantityList', 'input'],
  ['outputQuantityList', 'output'],
];

/** Full IRIs of the CBV master-data attributes, in every spelling senders use. */
const LOT_NUMBER_IRIS = new Set(['urn:epcglobal:cbv:mda:lotNumber', 'urn:epcglobal:cbv:mda#lotNumber']);
const EXPIRY_IRIS = new Set([
  'urn:epcglobal:cbv:mda:itemExpirationDate',
  // EPCIS 1.x XML namespace + local name, as XML-to-JSON converters emit it.
  'urn:epcglobal:cbv:mda#itemExpirationDate',
  // GS1 Web Vocabulary term for the same fact.
  'https://gs1.org/voc/expirationDate',
]);

function vocabulary(kind: CbvKind, value: unknown, context: EpcisDocumentContext): string | undefined {
  if (typeof value !== 'string') return undefined;
  return compactCbvValue(kind, expandIri(value, context));
}

function toEpc(id: string, role: EpcRole): NormalisedEpc {
  const parsed = parseGs1Identifier(id);
  if (parsed === undefined || isGs1Problem(parsed)) return { role, id };
  const epc: NormalisedEpc = { role, id, scheme: parsed.scheme };
  if (parsed.epcUrn !== undefined) epc.epcUrn = parsed.epcUrn;
  if (parsed.digitalLink !== undefined) epc.digitalLink = parsed.digitalLink;
  return epc;
}

function toQuantity(element: JsonObject, role: QuantityRole): NormalisedQuantity | undefined {
  const epcClass = str(element.epcClass);
  if (epcClass === undefined) return undefined;
  const quantity: NormalisedQuantity = { role, epcClass };
  const parsed = parseGs1Identifier(epcClass);
  if (parsed !== undefined && !isGs1Problem(parsed)) {
    quantity.scheme = parsed.scheme;
    if (parsed.epcUrn !== undefined) quantity.epcClassUrn = parsed.epcUrn;
    if (parsed.digitalLink !== undefined) quantity.digitalLink = parsed.digitalLink;
  }
  if (typeof element.quantity === 'number') quantity.quantity = element.quantity;
  const uom = str(element.uom);
  if (uom !== undefined) quantity.uom = uom;
  return quantity;
}

function emptyParties(): PartyRefs {
  return { owning_party: [], possessing_party: [], location: [], other: [] };
}

function parties(list: unknown, idKey: 'source' | 'destination', context: EpcisDocumentContext): PartyRefs {
  const refs = emptyParties();
  if (!Array.isArray(list)) return refs;
  for (const entry of list as unknown[]) {
    if (!isRecord(entry)) continue;
    const id = str(entry[idKey]);
    const type = vocabulary('sourceDestType', entry.type, context);
    if (id === undefined || type === undefined) continue;
    if (type === 'owning_party' || type === 'possessing_party' || type === 'location') refs[type].push(id);
    else refs.other.push({ type, id });
  }
  return refs;
}

/**
 * An ILMD date as YYYY-MM-DD. Senders use ISO dates, full date-times, GS1 AI (17) YYMMDD and JSON-LD value objects.
 * `referenceYear` resolves two-digit years by the GS1 General Specifications §7.12 sliding window.
 */
export function normaliseIlmdDate(value: unknown, referenceYear: number): string | undefined {
  if (isRecord(value)) return normaliseIlmdDate(value['@value'], referenceYear);
  if (typeof value !== 'string') return undefined;
  const iso = /^(\d{4})-(\d{2})-(\d{2})(?:$|[Tt])/.exec(value);
  if (iso) {
    const [, y, m, d] = iso as unknown as [string, string, string, string];
    return isCalendarDate(Number(y), Number(m), Number(d)) ? `${y}-${m}-${d}` : undefined;
  }
  const gs1 = /^(\d{2})(\d{2})(\d{2})$/.exec(value);
  if (!gs1) return undefined;
  const [, yy, mm, dd] = gs1 as unknown as [string, string, string, string];
  const century = Math.floor(referenceYear / 100) * 100;
  const diff = Number(yy) - (referenceYear % 100);
  const year = century + Number(yy) + (diff >= 51 ? -100 : diff <= -50 ? 100 : 0);
  const month = Number(mm);
  // DD = 00 means the last day of the month.
  const day = dd === '00' ? daysInMonth(year, month) : Number(dd);
  if (!isCalendarDate(year, month, day)) return undefined;
  return `${String(year).padStart(4, '0')}-${mm}-${String(day).padStart(2, '0')}`;
}

function isLeap(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

function daysInMonth(year: number, month: number): number {
  return [31, isLeap(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
}

function isCalendarDate(year: number, month: number, day: number): boolean {
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

function ilmdOf(
  ilmd: unknown,
  context: EpcisDocumentContext,
  eventTimeMs: number,
): NormalisedIlmd | undefined {
  if (!isRecord(ilmd)) return undefined;
  const result: NormalisedIlmd = { raw: ilmd };
  for (const key of Object.keys(ilmd)) {
    const iri = expandIri(key, context);
    if (LOT_NUMBER_IRIS.has(iri)) {
      const lot = ilmd[key];
      const text = isRecord(lot) ? lot['@value'] : lot;
      if (typeof text === 'string' || typeof text === 'number') result.lotNumber = String(text);
    } else if (EXPIRY_IRIS.has(iri)) {
      const date = normaliseIlmdDate(ilmd[key], new Date(eventTimeMs).getUTCFullYear());
      if (date !== undefined) result.itemExpirationDate = date;
    }
  }
  return result;
}

function errorDeclarationOf(
  value: unknown,
  context: EpcisDocumentContext,
  index: number,
  field: string,
): NormalisedErrorDeclaration | undefined {
  if (!isRecord(value)) return undefined;
  const declarationTime = parseEpcisDateTime(value.declarationTime);
  if (declarationTime === undefined) {
    throw EpcisValidationError.of(
      EpcisIssueCode.ERROR_DECLARATION,
      'errorDeclaration.declarationTime must be an RFC 3339 date-time with an offset',
      `${field}/errorDeclaration/declarationTime`,
      { eventIndex: index },
    );
  }
  const declaration: NormalisedErrorDeclaration = {
    declarationTime: new Date(declarationTime),
    correctiveEventIds: Array.isArray(value.correctiveEventIDs)
      ? (value.correctiveEventIDs as unknown[]).filter((id): id is string => typeof id === 'string')
      : [],
  };
  const reason = vocabulary('errorReason', value.reason, context);
  if (reason !== undefined) declaration.reason = reason;
  return declaration;
}

/**
 * The flat view of one event. Expects an event that passed validation; on input it cannot read (no valid
 * eventTime, not an object) it throws `EpcisValidationError` rather than guessing.
 *
 * @param documentContext from {@link createDocumentContext}, once per document
 * @param index the event's position in the document's event list
 */
export function normaliseEvent(
  event: unknown,
  documentContext: EpcisDocumentContext,
  index: number,
): NormalisedEvent {
  const field = `${documentContext.eventListPointer}/${index}`;
  if (!isRecord(event)) {
    throw EpcisValidationError.of(EpcisIssueCode.SCHEMA, 'an event must be a JSON object', field, {
      eventIndex: index,
    });
  }
  const context = contextForEvent(documentContext, event);
  const eventTime = parseEpcisDateTime(event.eventTime);
  if (eventTime === undefined) {
    throw EpcisValidationError.of(
      EpcisIssueCode.INVALID_TIME,
      'eventTime must be an RFC 3339 date-time with an offset',
      `${field}/eventTime`,
      { eventIndex: index },
    );
  }
  const type = typeof event.type === 'string' ? expandIri(event.type, context) : '';
  const normalised: NormalisedEvent = {
    index,
    type,
    eventTime: new Date(eventTime),
    eventTimeZoneOffset: str(event.eventTimeZoneOffset) ?? '',
    epcs: [],
    quantities: [],
    sources: parties(event.sourceList, 'source', context),
    destinations: parties(event.destinationList, 'destination', context),
    bizTransactions: [],
    raw: event,
  };
  if (isEpcisAction(event.action) && type !== 'TransformationEvent') normalised.action = event.action;
  const recordTime = parseEpcisDateTime(event.recordTime);
  if (recordTime !== undefined) normalised.recordTime = new Date(recordTime);
  const eventId = str(event.eventID);
  if (eventId !== undefined) normalised.eventId = eventId;
  const bizStep = vocabulary('bizStep', event.bizStep, context);
  if (bizStep !== undefined) normalised.bizStep = bizStep;
  const disposition = vocabulary('disposition', event.disposition, context);
  if (disposition !== undefined) normalised.disposition = disposition;
  if (isRecord(event.persistentDisposition)) {
    const pick = (list: unknown): string[] =>
      Array.isArray(list)
        ? (list as unknown[])
            .map((v) => vocabulary('disposition', v, context))
            .filter((v): v is string => v !== undefined)
        : [];
    normalised.persistentDisposition = {
      set: pick(event.persistentDisposition.set),
      unset: pick(event.persistentDisposition.unset),
    };
  }
  const readPoint = isRecord(event.readPoint) ? str(event.readPoint.id) : undefined;
  if (readPoint !== undefined) normalised.readPoint = readPoint;
  const bizLocation = isRecord(event.bizLocation) ? str(event.bizLocation.id) : undefined;
  if (bizLocation !== undefined) normalised.bizLocation = bizLocation;

  const parentId = str(event.parentID);
  if (parentId !== undefined) normalised.epcs.push(toEpc(parentId, 'parent'));
  for (const [key, role] of EPC_LISTS) {
    const list = event[key];
    if (!Array.isArray(list)) continue;
    for (const id of list as unknown[]) if (typeof id === 'string') normalised.epcs.push(toEpc(id, role));
  }
  for (const [key, role] of QUANTITY_LISTS) {
    const list = event[key];
    if (!Array.isArray(list)) continue;
    for (const element of list as unknown[]) {
      const quantity = isRecord(element) ? toQuantity(element, role) : undefined;
      if (quantity) normalised.quantities.push(quantity);
    }
  }
  if (Array.isArray(event.bizTransactionList)) {
    for (const entry of event.bizTransactionList as unknown[]) {
      if (!isRecord(entry)) continue;
      const id = str(entry.bizTransaction);
      if (id === undefined) continue;
      const transaction: NormalisedBizTransaction = { id };
      const transactionType = vocabulary('bizTransactionType', entry.type, context);
      if (transactionType !== undefined) transaction.type = transactionType;
      normalised.bizTransactions.push(transaction);
    }
  }
  const transformationId = str(event.transformationID);
  if (transformationId !== undefined) normalised.transformationId = transformationId;
  const ilmd = ilmdOf(event.ilmd, context, eventTime);
  if (ilmd) normalised.ilmd = ilmd;
  const errorDeclaration = errorDeclarationOf(event.errorDeclaration, context, index, field);
  if (errorDeclaration) normalised.errorDeclaration = errorDeclaration;
  return normalised;
}

/** Normalises every event of a (validated) EPCISDocument or EPCISQueryDocument. */
export function normaliseDocument(
  document: unknown,
  context = createDocumentContext(document),
): NormalisedEvent[] {
  const events = getEventList(document) ?? [];
  return events.map((event, index) => normaliseEvent(event, context, index));
}
