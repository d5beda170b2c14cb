import type { AnySchemaObject } from 'ajv';

/** Top-level members of an EPCISMasterDataDocument: an EPCISDocument's, the body aside. */
const DOCUMENT_MEMBERS = [
  '@context',
  'id',
  'type',
  'schemaVersion',
  'creationDate',
  'instanceIdentifier',
  'sender',
  'receiver',
  'epcisHeader',
  'epcisBody',
];

/**
 * The JSON Schema of an EPCISMasterDataDocument. The official EPCIS 2.0 JSON Schema has none (its root reads any
 * other `type` as an extension event), so this one mirrors its `epcisDocument` definition and refers to the official
 * definitions for every part: `@context`, the header, and `vocabularyList` (vocabulary → element → attribute, each
 * with its required id), so a master data document is held to the same rules as master data in a header.
 */
export function masterDataDocumentSchema(officialId: string): AnySchemaObject {
  const ref = (definition: string) => ({ $ref: `${officialId}#/definitions/${definition}` });
  const names = (members: string[]) => ({
    anyOf: [{ type: 'string', enum: members }, ref('vocab-uri')],
  });
  return {
    type: 'object',
    properties: {
      '@context': ref('%40context'),
      id: ref('id'),
      type: { type: 'string', enum: ['EPCISMasterDataDocument'] },
      schemaVersion: ref('version'),
      creationDate: ref('time'),
      instanceIdentifier: { type: 'string' },
      sender: { type: 'string' },
      receiver: { type: 'string' },
      epcisHeader: ref('epcisHeader'),
      epcisBody: {
        type: 'object',
        properties: { vocabularyList: ref('vocabularyList') },
        required: ['vocabularyList'],
        propertyNames: names(['vocabularyList']),
      },
    },
    required: ['@context', 'type', 'schemaVersion', 'creationDate', 'epcisBody'],
    propertyNames: names(DOCUMENT_MEMBERS),
  };
}
