import { type EpcisDocumentContext, expandIri } from './epcis-document-context';

/** One VocabularyElement of a document's header, attribute ids expanded to IRIs. */
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

/**
 * The master data an EPCISDocument's header carries (`epcisHeader.epcisMasterData.vocabularyList`, in JSON or read
 * from XML), flattened. A repeated attribute keeps every value, in order.
 */
export function masterDataOf(document: unknown, context: EpcisDocumentContext): MasterDataElement[] {
  if (!isRecord(document) || !isRecord(document.epcisHeader)) return [];
  const masterData = document.epcisHeader.epcisMasterData;
  if (!isRecord(masterData) || !Array.isArray(masterData.vocabularyList)) return [];
  const elements: MasterDataElement[] = [];
  for (const vocabulary of masterData.vocabularyList) {
    if (!isRecord(vocabulary) || typeof vocabulary.type !== 'string') continue;
    const list = Array.isArray(vocabulary.vocabularyElementList) ? vocabulary.vocabularyElementList : [];
    for (const element of list) {
      if (!isRecord(element) || typeof element.id !== 'string') continue;
      const attributes: Record<string, unknown> = {};
      for (const attribute of Array.isArray(element.attributes) ? element.attributes : []) {
        if (!isRecord(attribute) || typeof attribute.id !== 'string') continue;
        const key = expandIri(attribute.id, context);
        const value = attribute.attribute;
        attributes[key] = key in attributes ? [attributes[key], value].flat() : value;
      }
      const children = Array.isArray(element.children)
        ? element.children.filter((c): c is string => typeof c === 'string')
        : [];
      elements.push({ type: vocabulary.type, id: element.id, attributes, children });
    }
  }
  return elements;
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
