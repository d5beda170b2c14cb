import { type EpcisDocumentContext, expandIri } from './epcis-document-context';
import { VOCABULARY_LIST_POINTER } from './epcis-document.model';

/** One VocabularyElement (of a header, or of a master data document's body), attribute ids expanded to IRIs. */
export interface MasterDataElement {
  /** `urn:epcglobal:epcis:vtype:EPCClass`, `…:Location`, `…:BusinessLocation`, `…:ReadPoint`, … */
  type: string;
  id: string;
  attributes: Record<string, unknown>;
  children: string[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** One vocabulary list of a document and its JSON pointer. */
export interface VocabularyListAt {
  pointer: string;
  list: unknown[];
}

/**
 * The vocabulary lists a document carries: its header's (`epcisHeader.epcisMasterData.vocabularyList`, any document
 * type) and, in an EPCISMasterDataDocument, its body's (`epcisBody.vocabularyList`).
 */
export function vocabularyListsOf(document: unknown): VocabularyListAt[] {
  if (!isRecord(document)) return [];
  const lists: VocabularyListAt[] = [];
  const header = isRecord(document.epcisHeader) ? document.epcisHeader.epcisMasterData : undefined;
  if (isRecord(header) && Array.isArray(header.vocabularyList)) {
    lists.push({ pointer: '/epcisHeader/epcisMasterData/vocabularyList', list: header.vocabularyList });
  }
  const body = document.epcisBody;
  if (document.type === 'EPCISMasterDataDocument' && isRecord(body) && Array.isArray(body.vocabularyList)) {
    lists.push({ pointer: VOCABULARY_LIST_POINTER, list: body.vocabularyList });
  }
  return lists;
}

/**
 * The master data a document carries (see {@link vocabularyListsOf}; JSON, or read from XML), flattened, header
 * first. A repeated attribute keeps every value, in order.
 */
export function masterDataOf(document: unknown, context: EpcisDocumentContext): MasterDataElement[] {
  const elements: MasterDataElement[] = [];
  for (const vocabulary of vocabularyListsOf(document).flatMap((at) => at.list)) {
    if (!isRecord(vocabulary) || typeof vocabulary.type !== 'string') continue;
    const list = Array.isArray(vocabulary.vocabularyElementList) ? vocabulary.vocabularyElementList : [];
    for (const element of list) {
      if (!isRecord(element) || typeof element.id !== 'string') continue;
      elements.push({
        type: vocabulary.type,
        id: element.id,
        attributes: attributesOf(element.attributes, context),
        children: Array.isArray(element.children)
          ? element.children.filter((c): c is string => typeof c === 'string')
          : [],
      });
    }
  }
  return elements;
}

function attributesOf(list: unknown, context: EpcisDocumentContext): Record<string, unknown> {
  const attributes: Record<string, unknown> = {};
  for (const attribute of Array.isArray(list) ? list : []) {
    if (!isRecord(attribute) || typeof attribute.id !== 'string') continue;
    const key = expandIri(attribute.id, context);
    const value = attribute.attribute;
    attributes[key] = key in attributes ? [attributes[key], value].flat() : value;
  }
  return attributes;
}

/** CBV master data attributes (CBV 2.0 §10), in the `#` spelling of EPCIS 1.x and the `:` of the JSON-LD context. */
const CBV_MDA = ['urn:epcglobal:cbv:mda#', 'urn:epcglobal:cbv:mda:', 'https://ref.gs1.org/cbv/mda/'];

/** A CBV master data attribute by its local name (`name`, `regulatedProductName`, `city`, …), any spelling. */
export function cbvAttribute(attributes: Record<string, unknown>, local: string): string | undefined {
  for (const base of CBV_MDA) {
    const value = attributes[base + local];
    if (typeof value === 'string' || typeof value === 'number') return String(value);
  }
  return undefined;
}
