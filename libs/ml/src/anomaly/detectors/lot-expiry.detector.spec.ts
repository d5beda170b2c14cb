import { ilmdMismatch } from './lot-expiry.detector';

describe('ilmdMismatch', () => {
  it('compares what is known with what a copy claims, ignoring what either side does not say', () => {
    expect(ilmdMismatch({ lot: 'L1', expiry: '2027-01-31' }, { lot: 'L2', expiry: '2027-01-31' })).toEqual({
      lot: true,
      expiry: false,
    });
    expect(ilmdMismatch({ lot: 'L1', expiry: '2027-01-31' }, { lot: 'L1', expiry: '2029-06-30' })).toEqual({
      lot: false,
      expiry: true,
    });
    expect(ilmdMismatch({ lot: 'L1' }, { expiry: '2029-06-30' })).toEqual({ lot: false, expiry: false });
  });
});
