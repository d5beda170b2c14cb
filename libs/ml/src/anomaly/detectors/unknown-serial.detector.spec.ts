import { misreadSerial } from '../../simulator/network/scan-codes';
import { explainAsScanError, splitSgtin } from './unknown-serial.detector';

const known = new Set(['urn:epc:id:sgtin:4000001.012345.AB12CD34']);

describe('explainAsScanError', () => {
  it('recognises a serial that swallowed expiry and lot after a dropped GS', () => {
    const serial = misreadSerial({ serial: 'AB12CD34', lot: 'B25AM001', expiry: '2027-01-31' });
    expect(serial).toBe('AB12CD341727013110B2');
    expect(explainAsScanError(`urn:epc:id:sgtin:4000001.012345.${serial}`, (epc) => known.has(epc))).toBe(
      'urn:epc:id:sgtin:4000001.012345.AB12CD34',
    );
  });

  it('does not explain away a serial no real pack is a prefix of', () => {
    expect(
      explainAsScanError('urn:epc:id:sgtin:4000001.012345.ZZ99ZZ991727013110B2', (epc) => known.has(epc)),
    ).toBeUndefined();
    expect(
      explainAsScanError('urn:epc:id:sgtin:4000001.012345.AB12CD3499', (epc) => known.has(epc)),
    ).toBeUndefined();
    expect(explainAsScanError('urn:epc:id:sscc:4000001.0000000001', () => true)).toBeUndefined();
  });

  it('splits SGTIN URNs', () => {
    expect(splitSgtin('urn:epc:id:sgtin:4000001.012345.A%2FB')).toEqual({
      base: 'urn:epc:id:sgtin:4000001.012345.',
      serial: 'A/B',
    });
  });
});
