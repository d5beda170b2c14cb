import { nameSubjects, subjectsIn } from './alert-wording';

const labels = new Map([
  ['gtin:04012345123456', 'Amoxicillin 500 mg'],
  ['gln:4260001000003', 'Apotheke am Markt'],
  ['gln:4098765000003', 'Central Pharma Distribution'],
]);
const pack = 'urn:epc:id:sgtin:4012345.012345.1001';

describe('nameSubjects', () => {
  it('names the pack and the places of a custody sentence, keeping each identifier beside its name', () => {
    expect(nameSubjects(`${pack} was shipped to 4098765000003 but received at 4260001000003`, labels)).toBe(
      `Amoxicillin 500 mg (${pack}) was shipped to Central Pharma Distribution (GLN 4098765000003) but received ` +
        'at Apotheke am Markt (GLN 4260001000003)',
    );
  });

  it('names GTINs, whether or not the sentence already says "GTIN" before one', () => {
    expect(
      nameSubjects(
        'unusual shipment: 40 packs of 04012345123456 from 4098765000003 to ? (GTIN 04012345123456)',
        labels,
      ),
    ).toBe(
      'unusual shipment: 40 packs of Amoxicillin 500 mg (GTIN 04012345123456) from Central Pharma Distribution ' +
        '(GLN 4098765000003) to ? (Amoxicillin 500 mg (GTIN 04012345123456))',
    );
  });

  it('names site and party URNs, a full stop after one left where it was', () => {
    expect(nameSubjects('dispensed at urn:epc:id:sgln:4260001.00000.0.', labels)).toBe(
      'dispensed at Apotheke am Markt (urn:epc:id:sgln:4260001.00000.0).',
    );
    expect(nameSubjects('held by urn:epc:id:pgln:4098765.00000, then', labels)).toBe(
      'held by Central Pharma Distribution (urn:epc:id:pgln:4098765.00000), then',
    );
  });

  it('falls back to the identifiers it cannot name, and leaves other numbers alone', () => {
    const text =
      'urn:epc:id:sgtin:5790001.034567.9 received at 5600001000006 1765432100000 ms after ' +
      'urn:epc:id:sgtin:4012345.012345.4260001000003 left';
    expect(nameSubjects(text, new Map())).toBe(text);
    // A GLN-looking serial inside a pack's URN is part of the URN.
    expect(nameSubjects('urn:epc:id:sgtin:4012345.012345.4260001000003 left', labels)).toBe(
      'Amoxicillin 500 mg (urn:epc:id:sgtin:4012345.012345.4260001000003) left',
    );
  });
});

describe('subjectsIn', () => {
  it('finds the products and places a sentence mentions', () => {
    expect(subjectsIn(`${pack} dispensed at 4260001000003 (04012345123456; sscc 4012345000000001)`)).toEqual([
      { kind: 'product', gtin: '04012345123456' },
      { kind: 'location', gln: '4260001000003' },
      { kind: 'product', gtin: '04012345123456' },
    ]);
  });
});
