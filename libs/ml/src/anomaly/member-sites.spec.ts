import { detectorMasterDataOf } from './member-sites';
import { SiteDirectory } from './site-directory';

describe('detectorMasterDataOf', () => {
  const master = detectorMasterDataOf([
    {
      id: 'pharmacy',
      role: 'pharmacy',
      region: 'DE-S',
      latitude: 48.14,
      longitude: 11.58,
      glns: ['4010019000003', '4010019000010'],
      companyPrefixes: ['4010019'],
    },
    { id: 'lab', role: 'regulator', glns: ['4000001000005'], companyPrefixes: [] },
  ]);
  const sites = new SiteDirectory(master);

  it('resolves a member’s party GLN and its location GLN to one site', () => {
    const party = sites.siteGlnOf('urn:epc:id:pgln:4010019.00000');
    const location = sites.siteGlnOf('urn:epc:id:sgln:4010019.00001.0');
    expect(party).toBe('4010019000003');
    expect(location).toBe(party);
    expect(sites.organisationOf('4010019000010')).toBe('pharmacy');
  });

  it('keeps the member’s role, region, country and position on that site', () => {
    expect(sites.roleOf('4010019000010')).toBe('pharmacy');
    expect(sites.regionOf('4010019000010')).toBe('DE-S');
    expect(sites.countryOf('4010019000003')).toBe('DE');
    expect(sites.site('4010019000010')).toMatchObject({ lat: 48.14, lon: 11.58 });
  });

  it('leaves region and position out when the registry has none', () => {
    expect(sites.site('4000001000005')).toEqual({ gln: '4000001000005', orgId: 'lab', role: 'regulator' });
  });
});
