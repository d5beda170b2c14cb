import {
  masterDataIdsOf,
  namedSubjectOf,
  preferredStatement,
  productLabel,
  subjectKey,
  subjectNameOf,
} from './master-data-names';

const mda = (local: string) => `urn:epcglobal:cbv:mda#${local}`;

describe('namedSubjectOf', () => {
  it('finds the GTIN behind a pack, a product class and a Digital Link', () => {
    const product = { kind: 'product', gtin: '04012345123456' };
    expect(namedSubjectOf('04012345123456')).toEqual(product);
    expect(namedSubjectOf('urn:epc:id:sgtin:4012345.012345.1001')).toEqual(product);
    expect(namedSubjectOf('urn:epc:idpat:sgtin:4012345.012345.*')).toEqual(product);
    expect(namedSubjectOf('urn:epc:class:lgtin:4012345.012345.LOT1')).toEqual(product);
    expect(namedSubjectOf('https://id.gs1.org/01/04012345123456/21/1001')).toEqual(product);
  });

  it('finds the GLN behind a location or a party', () => {
    const place = { kind: 'location', gln: '4260001000003' };
    expect(namedSubjectOf('4260001000003')).toEqual(place);
    expect(namedSubjectOf('urn:epc:id:sgln:4260001.00000.0')).toEqual(place);
    expect(namedSubjectOf('urn:epc:id:pgln:4260001.00000')).toEqual(place);
    expect(namedSubjectOf('https://id.gs1.org/414/4260001000003')).toEqual(place);
  });

  it('names nothing else: SSCCs, wrong check digits, private ids', () => {
    expect(namedSubjectOf('urn:epc:id:sscc:4012345.0000000001')).toBeUndefined();
    expect(namedSubjectOf('04012345123457')).toBeUndefined();
    expect(namedSubjectOf('4260001000004')).toBeUndefined();
    expect(namedSubjectOf('urn:example:warehouse:7')).toBeUndefined();
    expect(namedSubjectOf('urn:epc:id:sgtin:not-a-urn')).toBeUndefined();
  });
});

describe('masterDataIdsOf', () => {
  it('spells a GTIN every way master data may, the owner’s own spelling among them', () => {
    const ids = masterDataIdsOf({ kind: 'product', gtin: '04012345123456' });
    expect(ids).toContain('urn:epc:idpat:sgtin:4012345.012345.*');
    expect(ids).toContain('https://id.gs1.org/01/04012345123456');
    // Each spelling leads back to the same GTIN.
    for (const id of ids) expect(namedSubjectOf(id)).toEqual({ kind: 'product', gtin: '04012345123456' });
  });

  it('spells a GLN as SGLN, PGLN and Digital Link', () => {
    const ids = masterDataIdsOf({ kind: 'location', gln: '4012345000016' });
    expect(ids).toEqual(
      expect.arrayContaining([
        'urn:epc:id:sgln:4012345.00001.0',
        'urn:epc:id:pgln:4012345.00001',
        'https://id.gs1.org/414/4012345000016',
      ]),
    );
    for (const id of ids) expect(namedSubjectOf(id)).toEqual({ kind: 'location', gln: '4012345000016' });
  });

  it('keys a subject by its GS1 key', () => {
    expect(subjectKey({ kind: 'product', gtin: '04012345123456' })).toBe('gtin:04012345123456');
    expect(subjectKey({ kind: 'location', gln: '4260001000003' })).toBe('gln:4260001000003');
  });
});

describe('subjectNameOf', () => {
  it('names a product by its regulated name and strength', () => {
    expect(
      subjectNameOf('product', {
        [mda('regulatedProductName')]: 'Amoxicillin',
        'urn:epcglobal:cbv:mda:strengthDescription': '500 mg',
      }),
    ).toEqual({ kind: 'product', label: 'Amoxicillin 500 mg', name: 'Amoxicillin', strength: '500 mg' });
  });

  it('falls back to the trade item description, and gives nothing without a name', () => {
    expect(subjectNameOf('product', { [mda('tradeItemDescription')]: 'Ibuprofen 400 mg tablets' })).toEqual({
      kind: 'product',
      label: 'Ibuprofen 400 mg tablets',
      name: 'Ibuprofen 400 mg tablets',
    });
    expect(subjectNameOf('product', { [mda('strengthDescription')]: '500 mg' })).toBeUndefined();
  });

  it('names a place, with its address on one line', () => {
    expect(
      subjectNameOf('location', {
        [mda('name')]: 'Apotheke am Markt',
        [mda('streetAddressOne')]: 'Marktplatz 1',
        [mda('postalCode')]: '10115',
        [mda('city')]: 'Berlin',
        [mda('countryCode')]: 'DE',
      }),
    ).toEqual({
      kind: 'location',
      label: 'Apotheke am Markt',
      name: 'Apotheke am Markt',
      address: 'Marktplatz 1, 10115 Berlin, DE',
    });
  });
});

describe('productLabel', () => {
  it('adds the strength once', () => {
    expect(productLabel('Amoxicillin', '500 mg')).toBe('Amoxicillin 500 mg');
    expect(productLabel('Amoxicillin 500 MG capsules', '500 mg')).toBe('Amoxicillin 500 MG capsules');
    expect(productLabel('Amoxicillin', undefined)).toBe('Amoxicillin');
  });
});

describe('preferredStatement', () => {
  const owner = { organisationId: 'maker', authoritative: true, updatedAt: '2026-01-01T00:00:00Z' };
  const mine = { organisationId: 'pharmacy', authoritative: false, updatedAt: '2026-02-01T00:00:00Z' };
  const theirs = { organisationId: 'wholesaler', authoritative: false, updatedAt: '2026-03-01T00:00:00Z' };

  it('prefers the owner’s statement to the reader’s own, however recent', () => {
    expect(preferredStatement([theirs, mine, owner], 'pharmacy')).toBe(owner);
  });

  it('shows the reader its own view when the owner said nothing', () => {
    expect(preferredStatement([theirs, mine], 'pharmacy')).toBe(mine);
  });

  it('never shows another member’s view, nor any view to a reader without an organisation', () => {
    expect(preferredStatement([theirs], 'pharmacy')).toBeUndefined();
    expect(preferredStatement([theirs, mine], undefined)).toBeUndefined();
  });

  it('takes the latest of several statements of the same standing', () => {
    const older = { ...mine, updatedAt: '2025-01-01T00:00:00Z' };
    expect(preferredStatement([older, mine], 'pharmacy')).toBe(mine);
  });
});
