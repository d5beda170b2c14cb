import { normaliseGs1Identifier } from './digital-link-normaliser';

describe('event hash identifier normalisation (reference rules 17 and 18)', () => {
  it.each([
    ['urn:epc:id:sgtin:4012345.011111.9876', 'https://id.gs1.org/01/04012345111118/21/9876'],
    ['urn:epc:id:sscc:4012345.0000000333', 'https://id.gs1.org/00/040123450000003338'],
    ['urn:epc:id:sgln:4012345.00011.987', 'https://id.gs1.org/414/4012345000115/254/987'],
    ['urn:epc:id:sgln:4012345.00005.0', 'https://id.gs1.org/414/4012345000054'],
    ['urn:epc:class:lgtin:4054739.099914.20160711', 'https://id.gs1.org/01/04054739999148/10/20160711'],
    ['urn:epc:idpat:sgtin:4012345.066666.*', 'https://id.gs1.org/01/04012345666663'],
    ['urn:epc:id:giai:4000001.111', 'https://id.gs1.org/8004/4000001111'],
    ['urn:epc:id:pgln:5200001.00000', 'https://id.gs1.org/417/5200001000008'],
    // URN escapes stay as written; only !()*+,: are escaped.
    ["urn:epc:id:sgtin:4012345.011111.A!'%2F", "https://id.gs1.org/01/04012345111118/21/A%21'%2F"],
  ])('EPC URN %s → %s', (input, expected) => {
    expect(normaliseGs1Identifier(input)).toBe(expected);
  });

  it.each([
    ['https://id.gs1.de/00/040123451111111110', 'https://id.gs1.org/00/040123451111111110'],
    ['https://id.example.org/8004/401234599999', 'https://id.gs1.org/8004/401234599999'],
    [
      'https://example.com/a/b/01/09506000134352/21/XYZ?linkType=all',
      'https://id.gs1.org/01/09506000134352/21/XYZ',
    ],
    ['http://example.com/gtin/9506000134352/ser/1', 'https://id.gs1.org/01/09506000134352/21/1'],
    ['https://id.gs1.org/01/09506000134352/22/V1/10/L1/21/S1', 'https://id.gs1.org/01/09506000134352/21/S1'],
    ['https://id.gs1.org/01/09506000134352/10/L1/21/S1', 'https://id.gs1.org/01/09506000134352/21/S1'],
    ['https://id.gs1.org/01/09506000134352/22/V1', 'https://id.gs1.org/01/09506000134352'],
    ['https://id.gs1.org/414/4012345000245/254/1', 'https://id.gs1.org/414/4012345000245/254/1'],
  ])('Digital Link %s → %s', (input, expected) => {
    expect(normaliseGs1Identifier(input)).toBe(expected);
  });

  it.each([
    'urn:epc:id:gid:95100000.12345.400',
    'urn:epcglobal:cbv:bt:5200001000008:4711',
    'https://id.gs1.org/01/09506000134352/21/A%2FB', // the reference keeps escaped Digital Links as written
    'https://example.com/products/1234',
    'geo:47.506694,11.104301',
    'ABC',
    '12.5',
  ])('leaves %s alone', (input) => {
    expect(normaliseGs1Identifier(input)).toBeUndefined();
  });
});
