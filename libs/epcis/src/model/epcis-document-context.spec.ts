import {
  classifyIri,
  contextForEvent,
  createDocumentContext,
  expandIri,
  getEventList,
} from './epcis-document-context';

describe('EPCIS document context', () => {
  const context = createDocumentContext({
    '@context': [
      'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld',
      {
        example: 'http://ns.example.com/epcis/',
        acme: { '@id': 'https://acme.example/', '@prefix': true },
        '@vocab': 'x',
      },
    ],
    type: 'EPCISQueryDocument',
  });

  it('collects the EPCIS prefixes and the document’s own', () => {
    expect(context.referencesEpcisContext).toBe(true);
    expect(context.prefixes.get('cbvmda')).toBe('urn:epcglobal:cbv:mda:');
    expect(context.prefixes.get('example')).toBe('http://ns.example.com/epcis/');
    expect(context.prefixes.get('acme')).toBe('https://acme.example/');
    expect(context.prefixes.has('@vocab')).toBe(false);
    expect(context.eventListPointer).toBe('/epcisBody/queryResults/resultsBody/eventList');
  });

  it('classifies keys and vocabulary values', () => {
    expect(classifyIri('example:myField', context)).toBe('compact');
    expect(classifyIri('https://ns.acme.com/x', context)).toBe('absolute');
    expect(classifyIri('urn:acme:x', context)).toBe('absolute');
    expect(classifyIri('other:x', context)).toBe('unknown-prefix');
    expect(classifyIri('shipping', context)).toBe('not-an-iri');
    expect(classifyIri(':x', context)).toBe('not-an-iri');
  });

  it('expands compact IRIs only', () => {
    expect(expandIri('example:a', context)).toBe('http://ns.example.com/epcis/a');
    expect(expandIri('https://x/y', context)).toBe('https://x/y');
    expect(expandIri('other:a', context)).toBe('other:a');
  });

  it('adds an event’s own @context without copying when there is none', () => {
    expect(contextForEvent(context, { type: 'ObjectEvent' })).toBe(context);
    const inner = contextForEvent(context, { '@context': { local: 'https://local.example/' } });
    expect(inner.prefixes.get('local')).toBe('https://local.example/');
    expect(context.prefixes.has('local')).toBe(false);
  });

  it('knows a master data document, which has no event list', () => {
    const masterData = { type: 'EPCISMasterDataDocument', epcisBody: { vocabularyList: [] } };
    expect(createDocumentContext(masterData).documentType).toBe('EPCISMasterDataDocument');
    expect(getEventList(masterData)).toBeUndefined();
    expect(createDocumentContext({ type: 'EPCISCaptureJob' }).documentType).toBeUndefined();
  });

  it('finds the event list of both document types', () => {
    expect(getEventList({ type: 'EPCISDocument', epcisBody: { eventList: [1] } })).toEqual([1]);
    expect(
      getEventList({
        type: 'EPCISQueryDocument',
        epcisBody: { queryResults: { resultsBody: { eventList: [2] } } },
      }),
    ).toEqual([2]);
    expect(getEventList({ type: 'EPCISDocument', epcisBody: { eventList: {} } })).toBeUndefined();
    expect(getEventList(null)).toBeUndefined();
  });
});
