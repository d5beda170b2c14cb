import { createDocumentContext } from './epcis-document-context';
import { cbvAttribute, masterDataOf, vocabularyListsOf } from './master-data';

describe('masterDataOf', () => {
  const document = {
    '@context': [
      'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld',
      { ex: 'https://example.com/md/' },
    ],
    type: 'EPCISDocument',
    epcisHeader: {
      epcisMasterData: {
        vocabularyList: [
          {
            type: 'urn:epcglobal:epcis:vtype:EPCClass',
            vocabularyElementList: [
              {
                id: 'urn:epc:idpat:sgtin:4012345.012345.*',
                attributes: [
                  { id: 'cbvmda:regulatedProductName', attribute: 'Amoxicillin' },
                  { id: 'urn:epcglobal:cbv:mda#strengthDescription', attribute: '500 mg' },
                  { id: 'ex:colour', attribute: 'blue' },
                  { id: 'ex:colour', attribute: 'white' },
                ],
              },
            ],
          },
          {
            type: 'urn:epcglobal:epcis:vtype:Location',
            vocabularyElementList: [
              { id: 'urn:epc:id:sgln:4012345.00001.0', children: ['urn:epc:id:sgln:4012345.00001.7'] },
            ],
          },
        ],
      },
    },
  };

  it('flattens the header, attribute ids expanded, repeated attributes kept in order', () => {
    const elements = masterDataOf(document, createDocumentContext(document));
    expect(elements).toEqual([
      {
        type: 'urn:epcglobal:epcis:vtype:EPCClass',
        id: 'urn:epc:idpat:sgtin:4012345.012345.*',
        attributes: {
          'urn:epcglobal:cbv:mda:regulatedProductName': 'Amoxicillin',
          'urn:epcglobal:cbv:mda#strengthDescription': '500 mg',
          'https://example.com/md/colour': ['blue', 'white'],
        },
        children: [],
      },
      {
        type: 'urn:epcglobal:epcis:vtype:Location',
        id: 'urn:epc:id:sgln:4012345.00001.0',
        attributes: {},
        children: ['urn:epc:id:sgln:4012345.00001.7'],
      },
    ]);
    expect(cbvAttribute(elements[0]!.attributes, 'regulatedProductName')).toBe('Amoxicillin');
    expect(cbvAttribute(elements[0]!.attributes, 'strengthDescription')).toBe('500 mg');
  });

  it('reads a master data document: its header, then its body', () => {
    const vocabularyList = document.epcisHeader.epcisMasterData.vocabularyList;
    const standalone = {
      '@context': document['@context'],
      type: 'EPCISMasterDataDocument',
      epcisHeader: { epcisMasterData: { vocabularyList: [vocabularyList[1]] } },
      epcisBody: { vocabularyList: [vocabularyList[0]] },
    };
    const elements = masterDataOf(standalone, createDocumentContext(standalone));
    expect(elements.map((e) => e.id)).toEqual([
      'urn:epc:id:sgln:4012345.00001.0',
      'urn:epc:idpat:sgtin:4012345.012345.*',
    ]);
    expect(elements[1]!.attributes['https://example.com/md/colour']).toEqual(['blue', 'white']);
  });

  it('reads no vocabulary list from the body of an EPCISDocument', () => {
    const events = { type: 'EPCISDocument', epcisBody: { eventList: [], vocabularyList: [{ type: 'x' }] } };
    expect(vocabularyListsOf(events)).toEqual([]);
  });

  it('finds nothing in a document without master data', () => {
    expect(masterDataOf({ type: 'EPCISDocument' }, createDocumentContext({}))).toEqual([]);
  });
});
