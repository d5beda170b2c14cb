import { cbvSpellings, parseEventQuery } from './event-query.parser';

describe('parseEventQuery', () => {
  it('reads the fixed parameters, lists comma-separated or repeated', () => {
    const query = parseEventQuery({
      eventType: 'ObjectEvent,AggregationEvent',
      EQ_action: ['ADD', 'OBSERVE'],
      EQ_bizStep: 'shipping',
      MATCH_parentID: 'urn:epc:id:sscc:4012345.0000000001',
      MATCH_inputEPCClass: 'urn:epc:class:lgtin:4012345.012345.A1',
      GE_recordTime: '2026-01-01T00:00:00Z',
      orderBy: 'recordTime',
      orderDirection: 'desc',
      eventCountLimit: '10',
    });
    expect(query.eventTypes).toEqual(['ObjectEvent', 'AggregationEvent']);
    expect(query.actions).toEqual(['ADD', 'OBSERVE']);
    expect(query.bizSteps).toEqual(
      expect.arrayContaining([
        'shipping',
        'https://ref.gs1.org/cbv/BizStep-shipping',
        'urn:epcglobal:cbv:bizstep:shipping',
      ]),
    );
    expect(query.identifiers.parentID).toEqual(['urn:epc:id:sscc:4012345.0000000001']);
    expect(query.classes.inputEPCClass).toEqual(['urn:epc:class:lgtin:4012345.012345.A1']);
    expect(query).toMatchObject({ orderBy: 'recordTime', orderDirection: 'DESC', eventCountLimit: 10 });
  });

  it('reads the patterned parameters: business transactions, sources, ILMD, extensions, sensor values', () => {
    const query = parseEventQuery({
      EQ_bizTransaction_po: 'urn:epcglobal:cbv:bt:4012345000009:PO-1',
      EQ_destination_owning_party: 'urn:epc:id:pgln:4098765.00000',
      'EQ_ILMD_cbvmda:lbl': 'LOT-1',
      'GE_ILMD_cbvmda:itemExpirationDate': '2027-01-01T00:00:00Z',
      'EXISTS_example:grade': '',
      'GT_example:count': '5',
      EQ_type: 'Temperature',
      GE_value_CEL: '8',
      LT_maxValue_CEL: '30',
    });
    expect(query.bizTransactions).toEqual([
      {
        type: expect.arrayContaining(['po', 'urn:epcglobal:cbv:btt:po']),
        values: ['urn:epcglobal:cbv:bt:4012345000009:PO-1'],
      },
    ]);
    expect(query.destinations[0]!.type).toContain('https://ref.gs1.org/cbv/SDT-owning_party');
    expect(query.fields).toEqual([
      { scope: 'ilmd', field: 'cbvmda:lbl', op: 'EQ', values: ['LOT-1'] },
      { scope: 'ilmd', field: 'cbvmda:itemExpirationDate', op: 'GE', values: ['2027-01-01T00:00:00Z'] },
      { scope: 'event', field: 'example:grade', op: 'EXISTS', values: [] },
      { scope: 'event', field: 'example:count', op: 'GT', values: [5] },
    ]);
    expect(query.sensor).toEqual({
      types: expect.arrayContaining(['Temperature', 'gs1:Temperature', 'https://gs1.org/voc/Temperature']),
      uom: 'CEL',
      values: [
        { field: 'value', op: 'GE', value: 8 },
        { field: 'maxValue', op: 'LT', value: 30 },
      ],
    });
  });

  it.each([
    [{ EQ_bizstep: 'shipping' }, 'EQ_bizstep', /not an EPCIS 2.0 event query parameter/],
    [{ GE_eventTime: 'yesterday' }, 'GE_eventTime', /ISO 8601/],
    [{ eventType: 'PalletEvent' }, 'eventType', /PalletEvent/],
    [{ EQ_action: 'MOVE' }, 'EQ_action', /ADD, OBSERVE or DELETE/],
    [{ perPage: '0' }, 'perPage', /1 to 1000/],
    [{ orderBy: 'bizStep' }, 'orderBy', /eventTime or recordTime/],
    [{ 'GT_example:x': 'high' }, 'GT_example:x', /numbers or date-times/],
    [{ GE_value_CEL: '8', LE_value_FAR: '50' }, 'LE_value_FAR', /one unit per query/],
    [{ eventCountLimit: '5', maxEventCount: '5' }, 'maxEventCount', /cannot be used together/],
    [{ MATCH_epc: '' }, 'MATCH_epc', /at least one value/],
    [{ EQ_bizStep: { a: 'b' } as unknown as string }, 'EQ_bizStep', /text value/],
  ])('refuses %j naming %s', (params, field, message) => {
    expect(() => parseEventQuery(params)).toThrow(message);
    try {
      parseEventQuery(params);
    } catch (error) {
      expect((error as { field?: string }).field).toBe(field);
    }
  });

  it('gives every spelling of a CBV value and keeps a private URI as it is', () => {
    expect(cbvSpellings('disposition', 'https://ref.gs1.org/cbv/Disp-in_transit')).toEqual(
      expect.arrayContaining(['in_transit', 'urn:epcglobal:cbv:disp:in_transit']),
    );
    expect(cbvSpellings('bizStep', 'https://example.com/steps/repack')).toEqual([
      'https://example.com/steps/repack',
    ]);
  });
});
