import { describeEpc, glnOfLocationOrParty, normaliseEpcUrn } from './epc-facts';

describe('describeEpc', () => {
  it('gives GTIN-14, serial and company prefix of an SGTIN', () => {
    expect(describeEpc('urn:epc:id:sgtin:0614141.107346.2017')).toEqual({
      kind: 'sgtin',
      gtin: '10614141073464',
      serial: '2017',
      companyPrefix: '0614141',
    });
  });

  it('knows an SSCC and ignores what is not an EPC URN', () => {
    expect(describeEpc('urn:epc:id:sscc:0614141.1234567890')).toMatchObject({
      kind: 'sscc',
      companyPrefix: '0614141',
    });
    expect(describeEpc('https://example.com/thing/1')).toBeUndefined();
    expect(describeEpc('urn:epc:id:sgtin:0614141.107346')).toBeUndefined();
  });
});

describe('glnOfLocationOrParty', () => {
  it('reads SGLN and PGLN URNs and Digital Links', () => {
    expect(glnOfLocationOrParty('urn:epc:id:sgln:0614141.07346.1234')).toBe('0614141073467');
    expect(glnOfLocationOrParty('urn:epc:id:pgln:0614141.07346')).toBe('0614141073467');
    expect(glnOfLocationOrParty('https://id.gs1.org/414/0614141073467/254/1234')).toBe('0614141073467');
    expect(glnOfLocationOrParty('https://id.gs1.org/417/0614141073467')).toBe('0614141073467');
  });

  it('is undefined for private identifiers', () => {
    expect(glnOfLocationOrParty('urn:example:warehouse:7')).toBeUndefined();
    expect(glnOfLocationOrParty('https://id.gs1.org/01/10614141073464/21/2017')).toBeUndefined();
  });
});

describe('normaliseEpcUrn', () => {
  it('keeps a canonical URN as it is', () => {
    expect(normaliseEpcUrn('urn:epc:id:sgtin:0614141.107346.2017')).toBe(
      'urn:epc:id:sgtin:0614141.107346.2017',
    );
  });
});
