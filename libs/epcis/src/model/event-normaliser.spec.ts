import { EpcisIssueCode } from '../validation/epcis-issue.types';
import { EpcisValidationError } from '../validation/epcis-validation.error';
import { type MutableJson, example } from '../validation/testing/epcis-conformance.fixtures';
import { createDocumentContext } from './epcis-document-context';
import { normaliseDocument, normaliseEvent, normaliseIlmdDate } from './event-normaliser';

type Json = MutableJson;

function only(doc: Json, index = 0) {
  return normaliseEvent(doc.epcisBody.eventList[index], createDocumentContext(doc), index);
}

describe('normaliseEvent', () => {
  it('gives the flat view of an ObjectEvent with EPC URNs', () => {
    const doc = example('Example_9.6.1-ObjectEvent.jsonld');
    const event = only(doc, 1);
    expect(event).toMatchObject({
      index: 1,
      type: 'ObjectEvent',
      action: 'OBSERVE',
      eventTimeZoneOffset: '-06:00',
      eventId: 'ni:///sha-256;00e1e6eba3a7cc6125be4793a631f0af50f8322e0ab5f2c0bab994a11cec1d79?ver=CBV2.0',
      bizStep: 'receiving',
      disposition: 'in_progress',
      readPoint: 'urn:epc:id:sgln:0012345.11111.400',
      bizLocation: 'urn:epc:id:sgln:0012345.11111.0',
      bizTransactions: [
        { type: 'po', id: 'http://transaction.acme.com/po/12345678' },
        { type: 'desadv', id: 'urn:epcglobal:cbv:bt:0614141073467:1152' },
      ],
    });
    expect(event.eventTime.toISOString()).toBe('2005-04-05T02:33:31.116Z');
    expect(event.epcs).toEqual([
      {
        role: 'object',
        id: 'urn:epc:id:sgtin:0614141.107346.2018',
        scheme: 'sgtin',
        epcUrn: 'urn:epc:id:sgtin:0614141.107346.2018',
        digitalLink: 'https://id.gs1.org/01/10614141073464/21/2018',
      },
    ]);
    expect(event.raw).toBe(doc.epcisBody.eventList[1]);
  });

  it('keeps Digital Links as received, canonicalises them, and leaves the EPC URN underivable', () => {
    const event = only(example('Example_9.6.1-ObjectEventWithDigitalLink.jsonld'));
    expect(event.epcs[0]).toEqual({
      role: 'object',
      id: 'https://id.gs1.org/01/70614141123451/21/2017',
      scheme: 'sgtin',
      digitalLink: 'https://id.gs1.org/01/70614141123451/21/2017',
    });
  });

  it('collects parent and children with roles, and class-level quantities', () => {
    const event = only(example('Example_9.6.3-AggregationEvent.jsonld'));
    expect(event.epcs.map((e) => [e.role, e.digitalLink])).toEqual([
      ['parent', 'https://id.gs1.org/00/106141412345678908'],
      ['child', 'https://id.gs1.org/01/10614141073464/21/2017'],
      ['child', 'https://id.gs1.org/01/10614141073464/21/2018'],
    ]);
    // The URN and Digital Link versions of the official example denote the same classes.
    const viaLink = only(example('Example_9.6.3-AggregationEventWithDigitalLink.jsonld'));
    expect(event.quantities.map((q) => q.digitalLink)).toEqual(viaLink.quantities.map((q) => q.digitalLink));
    expect(event.quantities).toEqual([
      {
        role: 'child',
        epcClass: 'urn:epc:idpat:sgtin:4012345.098765.*',
        scheme: 'gtin',
        epcClassUrn: 'urn:epc:idpat:sgtin:4012345.098765.*',
        digitalLink: 'https://id.gs1.org/01/04012345987652',
        quantity: 10,
      },
      {
        role: 'child',
        epcClass: 'urn:epc:class:lgtin:4012345.012345.998877',
        scheme: 'lgtin',
        epcClassUrn: 'urn:epc:class:lgtin:4012345.012345.998877',
        digitalLink: 'https://id.gs1.org/01/04012345123456/10/998877',
        quantity: 200.5,
        uom: 'KGM',
      },
    ]);
  });

  it('groups sources and destinations by CBV type', () => {
    const event = only(example('Example_9.6.2-ObjectEvent.jsonld'));
    expect(event.sources).toEqual({
      owning_party: [],
      possessing_party: ['urn:epc:id:sgln:4012345.00001.0'],
      location: ['urn:epc:id:sgln:4012345.00225.0'],
      other: [],
    });
    expect(event.destinations.owning_party).toEqual(['urn:epc:id:sgln:0614141.00001.0']);
    const custom = example('Example_9.6.2-ObjectEvent.jsonld');
    custom.epcisBody.eventList[0].sourceList = [
      { type: 'https://ref.gs1.org/cbv/SDT-owning_party', source: 'urn:epc:id:pgln:4012345.00000' },
      { type: 'example:carrier', source: 'urn:epc:id:pgln:4000001.00012' },
    ];
    expect(only(custom).sources).toEqual({
      owning_party: ['urn:epc:id:pgln:4012345.00000'],
      possessing_party: [],
      location: [],
      other: [{ type: 'http://ns.example.com/epcis/carrier', id: 'urn:epc:id:pgln:4000001.00012' }],
    });
  });

  it('has inputs and outputs and no action for a TransformationEvent', () => {
    const event = only(example('Example_9.6.4-TransformationEvent.jsonld'));
    expect(event.action).toBeUndefined();
    expect(event.epcs.filter((e) => e.role === 'input')).toHaveLength(2);
    expect(event.epcs.filter((e) => e.role === 'output')).toHaveLength(4);
    expect(event.quantities.map((q) => q.role)).toEqual(['input', 'input', 'input']);
    expect(event.ilmd).toEqual({ raw: { 'example:bestBeforeDate': '2014-12-10', 'example:batch': 'XYZ' } });
  });

  it('writes standard vocabulary bare and other vocabulary as full URIs', () => {
    const doc = example('Example_9.6.1-ObjectEvent.jsonld');
    Object.assign(doc.epcisBody.eventList[0], {
      bizStep: 'cbv:BizStep-shipping',
      disposition: 'example:quarantined',
    });
    Object.assign(doc.epcisBody.eventList[1], { bizStep: 'https://ref.gs1.org/cbv/BizStep-receiving' });
    const [first, second] = normaliseDocument(doc);
    expect(first.bizStep).toBe('shipping');
    expect(first.disposition).toBe('http://ns.example.com/epcis/quarantined');
    expect(second.bizStep).toBe('receiving');
  });

  it('reads lot and expiry from ILMD in their several spellings', () => {
    const doc = example('Example_9.6.1-ObjectEvent.jsonld');
    doc['@context'].push({ mda: 'urn:epcglobal:cbv:mda:' });
    const event = doc.epcisBody.eventList[0];
    event.action = 'ADD';
    const spellings: [Json, string | undefined, string | undefined][] = [
      [{ 'cbvmda:lotNumber': 'L1', 'cbvmda:itemExpirationDate': '2026-12-31' }, 'L1', '2026-12-31'],
      [
        { 'urn:epcglobal:cbv:mda:lotNumber': 'L2', 'urn:epcglobal:cbv:mda:itemExpirationDate': '261130' },
        'L2',
        '2026-11-30',
      ],
      [
        { 'urn:epcglobal:cbv:mda#lotNumber': 'L3', 'urn:epcglobal:cbv:mda#itemExpirationDate': '260200' },
        'L3',
        '2026-02-28',
      ],
      [
        {
          'mda:lotNumber': { '@value': 'L4' },
          'gs1:expirationDate': { '@value': '2026-06-01', '@type': 'xsd:date' },
        },
        'L4',
        '2026-06-01',
      ],
      [
        { 'cbvmda:lotNumber': 12345, 'cbvmda:itemExpirationDate': '2026-06-01T00:00:00+02:00' },
        '12345',
        '2026-06-01',
      ],
      [{ 'cbvmda:itemExpirationDate': 'soon' }, undefined, undefined],
    ];
    for (const [ilmd, lotNumber, itemExpirationDate] of spellings) {
      event.ilmd = ilmd;
      expect(only(doc).ilmd).toEqual({
        raw: ilmd,
        ...(lotNumber === undefined ? {} : { lotNumber }),
        ...(itemExpirationDate === undefined ? {} : { itemExpirationDate }),
      });
    }
  });

  it('resolves GS1 two-digit years with the sliding window around the event year', () => {
    expect(normaliseIlmdDate('491231', 2000)).toBe('2049-12-31');
    expect(normaliseIlmdDate('501231', 2000)).toBe('2050-12-31');
    expect(normaliseIlmdDate('511231', 2000)).toBe('1951-12-31');
    expect(normaliseIlmdDate('010101', 2060)).toBe('2101-01-01');
    expect(normaliseIlmdDate('240200', 2024)).toBe('2024-02-29');
    expect(normaliseIlmdDate('241301', 2024)).toBeUndefined();
    expect(normaliseIlmdDate('2024-02-30', 2024)).toBeUndefined();
  });

  it('reads the error declaration', () => {
    const event = only(example('ErrorDeclarationAndCorrectiveEvent.jsonld'));
    expect(event.errorDeclaration).toEqual({
      declarationTime: new Date('2020-01-14T23:00:00.000Z'),
      reason: 'incorrect_data',
      correctiveEventIds: ['urn:uuid:404d95fc-9457-4a51-bd6a-0bba133845a8'],
    });
  });

  it('carries recordTime and keeps unrecognised identifiers as received', () => {
    const doc = example('Example_9.6.1-ObjectEvent.jsonld');
    Object.assign(doc.epcisBody.eventList[0], {
      recordTime: '2005-04-03T20:40:00Z',
      epcList: ['urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6', 'urn:epc:id:sgtin:bad'],
    });
    const event = only(doc);
    expect(event.recordTime).toEqual(new Date('2005-04-03T20:40:00Z'));
    expect(event.epcs).toEqual([
      { role: 'object', id: 'urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6' },
      { role: 'object', id: 'urn:epc:id:sgtin:bad' },
    ]);
  });

  it('throws EpcisValidationError for input it cannot read', () => {
    const context = createDocumentContext({});
    expect(() => normaliseEvent('nope', context, 3)).toThrow(EpcisValidationError);
    try {
      normaliseEvent({ type: 'ObjectEvent', eventTime: 'later' }, context, 3);
    } catch (error) {
      expect(error).toMatchObject({
        code: EpcisIssueCode.INVALID_TIME,
        field: '/epcisBody/eventList/3/eventTime',
      });
    }
    expect.assertions(2);
  });
});
