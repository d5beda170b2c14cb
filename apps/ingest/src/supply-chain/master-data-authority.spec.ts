import { masterDataRows, ownerOfMasterData } from './master-data-authority';
import type { PartyDirectory } from './party-directory.service';

const parties = {
  organisationOfPrefix: (prefix: string) => ({ '4012345': 'maker', '4098765': 'wholesaler' })[prefix],
  organisationOfGln: (gln: string) => (gln.startsWith('4098765') ? 'wholesaler' : undefined),
  companyPrefixLength: (prefixed: string) => (prefixed.startsWith('4012345') ? 7 : undefined),
} as unknown as PartyDirectory;

describe('master data authority', () => {
  it('names the owner of a product class by its company prefix, in URN or Digital Link form', () => {
    expect(ownerOfMasterData('urn:epc:idpat:sgtin:4012345.012345.*', parties)).toBe('maker');
    expect(ownerOfMasterData('urn:epc:class:lgtin:4012345.012345.L1', parties)).toBe('maker');
    expect(ownerOfMasterData('https://id.gs1.org/01/04012345123456', parties)).toBe('maker');
  });

  it('names the owner of a location by its GLN, and nobody for what it cannot place', () => {
    expect(ownerOfMasterData('urn:epc:id:sgln:4098765.00002.0', parties)).toBe('wholesaler');
    expect(ownerOfMasterData('https://example.com/site/7', parties)).toBeUndefined();
  });

  it('marks a statement authoritative only when its publisher owns the identifier', () => {
    const element = { type: 'urn:epcglobal:epcis:vtype:EPCClass', attributes: {}, children: [] };
    const rows = masterDataRows(
      [
        { ...element, id: 'urn:epc:idpat:sgtin:4012345.012345.*' },
        { ...element, id: 'urn:epc:idpat:sgtin:4098765.012345.*' },
      ],
      'maker',
      parties,
    );
    expect(rows.map((r) => [r.id, r.organisationId, r.authoritative])).toEqual([
      ['urn:epc:idpat:sgtin:4012345.012345.*', 'maker', true],
      ['urn:epc:idpat:sgtin:4098765.012345.*', 'maker', false],
    ]);
  });
});
