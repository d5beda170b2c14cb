import canonicalize from 'canonicalize';
import fc from 'fast-check';
import { canonicalJson } from './canonical-json';

describe('canonicalJson', () => {
  it('gives the bytes of the reference RFC 8785 implementation for any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(canonicalJson(value)).toBe(canonicalize(value));
      }),
      { numRuns: 2000 },
    );
  });

  it('sorts keys by UTF-16 code units, at every level, whatever order they were written in', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: 'é' }, '€': 0, A: null })).toBe(
      '{"A":null,"a":{"c":"é","d":[3,{"y":2,"z":1}]},"b":1,"€":0}',
    );
  });
});
