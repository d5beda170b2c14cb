import fc from 'fast-check';
import { encodeUrnValue } from './character-set';
import { withCheckDigit } from './check-digit';
import { companyPrefixResolver } from './company-prefix';
import { digitalLinkToEpcUrn } from './digital-link-to-epc';
import { epcUrnToDigitalLink, parseEpcUrn, tryEpcUrnToDigitalLink } from './epc-urn';
import { Gs1ParseError } from './gs1-parse-error';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (error) {
    return error instanceof Gs1ParseError ? error.code : 'not a Gs1ParseError';
  }
}

// Examples of the EPC Tag Data Standard, each with its GS1 element string equivalent.
const EXAMPLES: [string, string, number][] = [
  ['urn:epc:id:sgtin:0614141.812345.400', 'https://id.gs1.org/01/80614141123458/21/400', 7],
  ['urn:epc:id:sscc:0614141.1234567890', 'https://id.gs1.org/00/106141412345678908', 7],
  ['urn:epc:id:sgln:0614141.12345.400', 'https://id.gs1.org/414/0614141123452/254/400', 7],
  ['urn:epc:id:sgln:0614141.12345.0', 'https://id.gs1.org/414/0614141123452', 7],
  ['urn:epc:id:grai:0614141.12345.400', 'https://id.gs1.org/8003/00614141123452400', 7],
  ['urn:epc:id:giai:0614141.12345400', 'https://id.gs1.org/8004/061414112345400', 7],
  ['urn:epc:id:gsrn:0614141.1234567890', 'https://id.gs1.org/8018/061414112345678902', 7],
  ['urn:epc:id:gsrnp:0614141.1234567890', 'https://id.gs1.org/8017/061414112345678902', 7],
  ['urn:epc:id:gdti:0614141.12345.400', 'https://id.gs1.org/253/0614141123452400', 7],
  ['urn:epc:id:cpi:0614141.123ABC.123456789', 'https://id.gs1.org/8010/0614141123ABC/8011/123456789', 7],
  ['urn:epc:id:cpi:0614141.5PQ7%2FZ43.12345', 'https://id.gs1.org/8010/06141415PQ7%2FZ43/8011/12345', 7],
  ['urn:epc:id:sgcn:4012345.67890.04711', 'https://id.gs1.org/255/401234567890104711', 7],
  ['urn:epc:id:ginc:0614141.xyz47%2F11', 'https://id.gs1.org/401/0614141xyz47%2F11', 7],
  ['urn:epc:id:gsin:0614141.123456789', 'https://id.gs1.org/402/06141411234567890', 7],
  ['urn:epc:id:itip:4012345.012345.01.02.987', 'https://id.gs1.org/8006/040123451234560102/21/987', 7],
  [
    "urn:epc:id:upui:1234567.089456.51qIgY)%3C%26Jp3*j7'SDB",
    'https://id.gs1.org/01/01234567894560/235/51qIgY%29%3C%26Jp3%2Aj7%27SDB',
    7,
  ],
  ['urn:epc:id:pgln:1234567.89012', 'https://id.gs1.org/417/1234567890128', 7],
  ['urn:epc:class:lgtin:4012345.012345.998877', 'https://id.gs1.org/01/04012345123456/10/998877', 7],
  ['urn:epc:idpat:sgtin:4012345.066666.*', 'https://id.gs1.org/01/04012345666663', 7],
];

describe('EPC URN → GS1 Digital Link', () => {
  it.each(EXAMPLES)('%s → %s', (urn, dl) => {
    expect(epcUrnToDigitalLink(urn)).toBe(dl);
  });

  it.each(EXAMPLES)('%s ← %s (company prefix length %i)', (urn, dl, cpLength) => {
    expect(digitalLinkToEpcUrn(dl, { companyPrefixLength: cpLength })).toBe(urn);
  });

  it('converts the class patterns with a GS1 equivalent and only those', () => {
    expect(epcUrnToDigitalLink('urn:epc:idpat:grai:0614141.12345.*')).toBe(
      'https://id.gs1.org/8003/00614141123452',
    );
    expect(epcUrnToDigitalLink('urn:epc:idpat:itip:4012345.012345.01.02.*')).toBe(
      'https://id.gs1.org/8006/040123451234560102',
    );
    expect(parseEpcUrn('urn:epc:idpat:sgtin:0614141.*.*')).toEqual({
      urn: 'urn:epc:idpat:sgtin:0614141.*.*',
      kind: 'idpat',
      scheme: 'sgtin',
      level: 'class',
    });
    expect(codeOf(() => epcUrnToDigitalLink('urn:epc:idpat:sgtin:0614141.*.*'))).toBe(
      'GS1_UNSUPPORTED_SCHEME',
    );
    expect(codeOf(() => epcUrnToDigitalLink('urn:epc:idpat:sgtin:0614141.*.12'))).toBe('GS1_INVALID_EPC_URN');
  });

  it('describes what the URN identifies', () => {
    expect(parseEpcUrn('urn:epc:id:sgtin:0614141.812345.400')).toEqual({
      urn: 'urn:epc:id:sgtin:0614141.812345.400',
      kind: 'id',
      scheme: 'sgtin',
      level: 'instance',
      companyPrefix: '0614141',
      elements: [
        { ai: '01', value: '80614141123458' },
        { ai: '21', value: '400' },
      ],
      digitalLink: 'https://id.gs1.org/01/80614141123458/21/400',
    });
    expect(parseEpcUrn('urn:epc:class:lgtin:4012345.012345.998877').level).toBe('class');
    expect(parseEpcUrn('urn:epc:id:gid:95100000.12345.400')).toEqual({
      urn: 'urn:epc:id:gid:95100000.12345.400',
      kind: 'id',
      scheme: 'gid',
      level: 'instance',
    });
    expect(codeOf(() => epcUrnToDigitalLink('urn:epc:id:gid:95100000.12345.400'))).toBe(
      'GS1_UNSUPPORTED_SCHEME',
    );
  });

  it('decodes URN escapes and re-encodes them for the Digital Link', () => {
    expect(epcUrnToDigitalLink("urn:epc:id:sgtin:0614141.812345.A!'%2F(x).y")).toBe(
      'https://id.gs1.org/01/80614141123458/21/A%21%27%2F%28x%29.y',
    );
    // The event-hash escaping keeps the URN's own escapes and escapes only !()*+,: (reference behaviour).
    expect(
      epcUrnToDigitalLink("urn:epc:id:sgtin:0614141.812345.A!'%2f(x).y", { escaping: 'event-hash' }),
    ).toBe("https://id.gs1.org/01/80614141123458/21/A%21'%2f%28x%29.y");
  });

  it.each([
    ['urn:epc:id:sgtin:0614141.12345.400', 'must have 13 digits'],
    ['urn:epc:id:sgtin:06141.1123456.400', '6 to 12 digits'],
    ['urn:epc:id:sgtin:0614141.812345.', '1 to 20 characters'],
    ['urn:epc:id:sgtin:0614141.812345.123456789012345678901', '1 to 20 characters'],
    ['urn:epc:id:sgtin:0614141.812345.a/b', 'escaped as %HH'],
    ['urn:epc:id:sgtin:0614141.812345.a%2', 'escaped as %HH'],
    ['urn:epc:id:sgtin:0614141.812345.a%20b', 'GS1 set 82'],
    ['urn:epc:id:sgtin:0614141.112345', 'expected 3'],
    ['urn:epc:id:sscc:0614141.123456789', '17 digits'],
    ['urn:epc:id:cpi:0614141.123abc.1', 'set 39'],
    ['urn:epc:id:cpi:0614141.123ABC.1234567890123', '1 to 12 digits'],
    ['urn:epc:id:foo:0614141.1', "unknown EPC scheme 'foo'"],
    ['urn:epc:tag:sgtin-96:3.0614141.812345.400', "unknown EPC URN kind 'tag'"],
    ['urn:epc:class:sgtin:0614141.812345.1', 'only lgtin'],
    ['urn:epcx', 'urn:epc:'],
  ])('rejects %s (%s)', (urn, why) => {
    try {
      parseEpcUrn(urn);
      throw new Error('accepted');
    } catch (error) {
      expect(error).toBeInstanceOf(Gs1ParseError);
      expect((error as Gs1ParseError).code).toBe('GS1_INVALID_EPC_URN');
      expect((error as Gs1ParseError).message).toContain(why);
    }
    expect(tryEpcUrnToDigitalLink(urn)).toBeUndefined();
  });
});

describe('GS1 Digital Link → EPC URN', () => {
  const dl = 'https://id.gs1.org/01/80614141123458/21/400';

  it('needs the company prefix length and says so', () => {
    expect(codeOf(() => digitalLinkToEpcUrn(dl))).toBe('GS1_UNKNOWN_COMPANY_PREFIX_LENGTH');
    const resolver = companyPrefixResolver(['4012345', '0614141']);
    expect(digitalLinkToEpcUrn(dl, { companyPrefixResolver: resolver })).toBe(
      'urn:epc:id:sgtin:0614141.812345.400',
    );
    expect(
      codeOf(() => digitalLinkToEpcUrn(dl, { companyPrefixResolver: companyPrefixResolver(['999999']) })),
    ).toBe('GS1_UNKNOWN_COMPANY_PREFIX_LENGTH');
    // The explicit length wins over the resolver.
    expect(digitalLinkToEpcUrn(dl, { companyPrefixLength: 9, companyPrefixResolver: resolver })).toBe(
      'urn:epc:id:sgtin:061414112.8345.400',
    );
    expect(codeOf(() => digitalLinkToEpcUrn(dl, { companyPrefixLength: 5 }))).toBe(
      'GS1_INVALID_COMPANY_PREFIX',
    );
    expect(() => companyPrefixResolver(['12'])).toThrow(RangeError);
  });

  it('passes the resolver the digits from where the prefix starts', () => {
    const seen: [string, string][] = [];
    const resolver = (prefixed: string, ai: string) => {
      seen.push([prefixed, ai]);
      return 7;
    };
    digitalLinkToEpcUrn('https://id.gs1.org/00/106141412345678908', { companyPrefixResolver: resolver });
    digitalLinkToEpcUrn('https://id.gs1.org/414/0614141123452', { companyPrefixResolver: resolver });
    expect(seen).toEqual([
      ['06141412345678908', '00'],
      ['0614141123452', '414'],
    ]);
  });

  it('takes the finest identifier and accepts any domain, path prefix and encoding', () => {
    const opts = { companyPrefixLength: 7 };
    expect(
      digitalLinkToEpcUrn('https://example.com/a/b/01/80614141123458/10/L1/21/A%2FB?17=251231', opts),
    ).toBe('urn:epc:id:sgtin:0614141.812345.A%2FB');
    expect(digitalLinkToEpcUrn('http://example.com/gtin/80614141123458/lot/L%211', opts)).toBe(
      'urn:epc:class:lgtin:0614141.812345.L!1',
    );
    expect(digitalLinkToEpcUrn('https://id.gs1.org/01/80614141123458', opts)).toBe(
      'urn:epc:idpat:sgtin:0614141.812345.*',
    );
    expect(codeOf(() => digitalLinkToEpcUrn('https://id.gs1.org/8013/ABC123', opts))).toBe(
      'GS1_UNSUPPORTED_SCHEME',
    );
  });
});

// ------------------------------------------------------------------------------------------------- properties

const digitString = (length: number) =>
  fc.array(fc.integer({ min: 0, max: 9 }), { minLength: length, maxLength: length }).map((d) => d.join(''));
const SET82 = '!"%&\'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz';
const SET39 = '#-/0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const text = (chars: string, min: number, max: number) =>
  fc.array(fc.constantFrom(...chars), { minLength: min, maxLength: max }).map((c) => c.join(''));
const cpLength = fc.integer({ min: 6, max: 12 });

/** A random valid EPC URN of each scheme, with its company prefix length. */
const anyUrn: fc.Arbitrary<{ urn: string; l: number }> = cpLength.chain((l) =>
  fc
    .oneof(
      fc
        .tuple(digitString(l), digitString(13 - l), text(SET82, 1, 20))
        .map(([cp, ir, s]) => `urn:epc:id:sgtin:${cp}.${ir}.${encodeUrnValue(s)}`),
      fc.tuple(digitString(l), digitString(17 - l)).map(([cp, sr]) => `urn:epc:id:sscc:${cp}.${sr}`),
      fc
        .tuple(digitString(l), digitString(12 - l), text(SET82, 1, 20))
        .map(([cp, lr, e]) => `urn:epc:id:sgln:${cp}.${lr}.${e === '0' ? '0' : encodeUrnValue(e)}`),
      fc
        .tuple(digitString(l), digitString(12 - l), text(SET82, 1, 16))
        .map(([cp, at, s]) => `urn:epc:id:grai:${cp}.${at}.${encodeUrnValue(s)}`),
      fc
        .tuple(digitString(l), text(SET82, 1, 30 - l))
        .map(([cp, r]) => `urn:epc:id:giai:${cp}.${encodeUrnValue(r)}`),
      fc.tuple(digitString(l), digitString(17 - l)).map(([cp, sr]) => `urn:epc:id:gsrn:${cp}.${sr}`),
      fc.tuple(digitString(l), digitString(17 - l)).map(([cp, sr]) => `urn:epc:id:gsrnp:${cp}.${sr}`),
      fc
        .tuple(digitString(l), digitString(12 - l), text(SET82, 1, 17))
        .map(([cp, dt, s]) => `urn:epc:id:gdti:${cp}.${dt}.${encodeUrnValue(s)}`),
      fc
        .tuple(digitString(l), text(SET39, 1, 30 - l), fc.integer({ min: 0, max: 999_999_999 }))
        .map(([cp, r, s]) => `urn:epc:id:cpi:${cp}.${encodeUrnValue(r)}.${s}`),
      fc
        .tuple(
          digitString(l),
          digitString(12 - l),
          digitString(1).chain(() => fc.integer({ min: 1, max: 12 })),
        )
        .chain(([cp, cr, n]) => digitString(n).map((s) => `urn:epc:id:sgcn:${cp}.${cr}.${s}`)),
      fc
        .tuple(digitString(l), text(SET82, 1, 30 - l))
        .map(([cp, r]) => `urn:epc:id:ginc:${cp}.${encodeUrnValue(r)}`),
      fc.tuple(digitString(l), digitString(16 - l)).map(([cp, sr]) => `urn:epc:id:gsin:${cp}.${sr}`),
      fc
        .tuple(digitString(l), digitString(13 - l), digitString(2), digitString(2), text(SET82, 1, 20))
        .map(([cp, ir, p, t, s]) => `urn:epc:id:itip:${cp}.${ir}.${p}.${t}.${encodeUrnValue(s)}`),
      fc
        .tuple(digitString(l), digitString(13 - l), text(SET82, 1, 28))
        .map(([cp, ir, s]) => `urn:epc:id:upui:${cp}.${ir}.${encodeUrnValue(s)}`),
      fc.tuple(digitString(l), digitString(12 - l)).map(([cp, pr]) => `urn:epc:id:pgln:${cp}.${pr}`),
      fc
        .tuple(digitString(l), digitString(13 - l), text(SET82, 1, 20))
        .map(([cp, ir, s]) => `urn:epc:class:lgtin:${cp}.${ir}.${encodeUrnValue(s)}`),
      fc.tuple(digitString(l), digitString(13 - l)).map(([cp, ir]) => `urn:epc:idpat:sgtin:${cp}.${ir}.*`),
    )
    .map((urn) => ({ urn, l })),
);

describe('EPC URN ↔ Digital Link properties', () => {
  it('URN → DL → URN is the identity for random valid keys of every scheme', () => {
    fc.assert(
      fc.property(anyUrn, ({ urn, l }) => {
        const dl = epcUrnToDigitalLink(urn);
        expect(digitalLinkToEpcUrn(dl, { companyPrefixLength: l })).toBe(urn);
        // The same with a resolver that knows the prefix.
        const cp = parseEpcUrn(urn).companyPrefix as string;
        expect(digitalLinkToEpcUrn(dl, { companyPrefixResolver: companyPrefixResolver([cp]) })).toBe(urn);
      }),
      { numRuns: 500 },
    );
  });

  it('the Digital Link holds valid keys and only unreserved characters or escapes', () => {
    fc.assert(
      fc.property(anyUrn, ({ urn }) => {
        const dl = epcUrnToDigitalLink(urn);
        expect(dl).toMatch(/^https:\/\/id\.gs1\.org(\/\d{2,4}\/([A-Za-z0-9\-._~]|%[0-9A-F]{2})+)+$/);
        expect(parseEpcUrn(urn).digitalLink).toBe(dl);
      }),
    );
  });

  it('check digits of computed keys are valid', () => {
    fc.assert(
      fc.property(digitString(6), digitString(7), (cp, ir) => {
        const dl = epcUrnToDigitalLink(`urn:epc:id:sgtin:${cp}.${ir}.1`);
        const gtin = dl.split('/')[4];
        expect(gtin).toBe(withCheckDigit(ir[0] + cp + ir.slice(1)));
      }),
    );
  });
});
