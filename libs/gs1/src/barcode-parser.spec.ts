import fc from 'fast-check';
import { type ParseScannedBarcodeOptions, type ScannedPack, parseScannedBarcode } from './barcode-parser';
import { withCheckDigit } from './check-digit';
import { formatDigitalLink } from './digital-link';
import { formatElementString } from './element-string';
import { daysInMonth, formatGs1Date } from './gs1-date';
import type { Gs1Element } from './gs1-element';
import { GS1_ERROR_CODES, Gs1ParseError } from './gs1-parse-error';

const now = new Date('2024-06-01T00:00:00Z');
const GS = '\x1D';
const GTIN = '09506000134352';
const CLEAN = `0109506000134352172512311` + `0ABC123${GS}21XYZ-1`;

function parse(input: string, options: ParseScannedBarcodeOptions = {}): ScannedPack {
  return parseScannedBarcode(input, { now, ...options });
}

function errorOf(input: string, options: ParseScannedBarcodeOptions = {}): Gs1ParseError {
  try {
    parse(input, options);
  } catch (error) {
    if (error instanceof Gs1ParseError) return error;
    throw error;
  }
  throw new Error(`'${input}' was accepted`);
}

function core(p: ScannedPack) {
  return { gtin: p.gtin, serial: p.serial, lot: p.lot, expiry: p.expiry?.iso };
}

const PACK = { gtin: GTIN, serial: 'XYZ-1', lot: 'ABC123', expiry: '2025-12-31' };

describe('parseScannedBarcode: clean data', () => {
  it.each([
    ['GS1 DataMatrix', `]d2${CLEAN}`],
    ['GS1 QR Code', `]Q3${CLEAN}`],
    ['GS1-128', `]C1${CLEAN}`],
    ['GS1 DataBar', `]e0${CLEAN}`],
    ['no symbology identifier', CLEAN],
    ['leading FNC1 as GS', `${GS}${CLEAN}`],
    ['keyboard wedge Enter', `]d2${CLEAN}\r\n`],
    ['bracketed', '(01)09506000134352(17)251231(10)ABC123(21)XYZ-1'],
    ['bracketed with spaces', '(01) 09506000134352 (17) 251231 (10) ABC123 (21) XYZ-1'],
    ['Digital Link', 'https://id.gs1.org/01/09506000134352/10/ABC123/21/XYZ-1?17=251231'],
    ['Digital Link in ]Q1', ']Q1https://brand.example/01/09506000134352/10/ABC123/21/XYZ-1?17=251231'],
    ['Digital Link in ]d1', ']d1HTTPS://ID.GS1.ORG/01/09506000134352/10/ABC123/21/XYZ-1?17=251231'],
  ])('%s', (_, input) => {
    const pack = parse(input);
    expect(core(pack)).toEqual(PACK);
    expect(pack.warnings.filter((w) => !w.startsWith('ignored spaces'))).toEqual([]);
  });

  it('reports the AIs in data order and the symbology', () => {
    const pack = parse(`]d2${CLEAN}`);
    expect(pack.ais).toEqual(['01', '17', '10', '21']);
    expect(pack.symbology).toBe(']d2');
    expect(pack.form).toBe('element-string');
    expect(pack.elements[2]).toEqual({ ai: '10', value: 'ABC123' });
  });

  it('reads expiry day 00 as the end of the month, with a flag', () => {
    const pack = parse(`010950600013435217240200${'10L1'}${GS}21S1`);
    expect(pack.expiry).toEqual({ year: 2024, month: 2, day: null, iso: '2024-02-29', endOfMonth: true });
    expect(pack.warnings.join()).toContain('day 00');
  });

  it('applies the GS1 century rule to two-digit years', () => {
    expect(parse(`0109506000134352174912311` + `0L${GS}21S`).expiry?.year).toBe(2049);
    expect(parse(`0109506000134352177512311` + `0L${GS}21S`).expiry?.year).toBe(1975);
  });

  it('skips other AIs by their length in the AI table', () => {
    const data =
      `01${GTIN}11240101` +
      `15250101` +
      `16250102` +
      `3103001250` +
      `30${'12'}${GS}240ADD-1${GS}` +
      `710PZN123${GS}711CIP${GS}712CN${GS}713DRN${GS}714AIM${GS}17251231` +
      `10L${GS}21S`;
    const pack = parse(data);
    expect(pack.ais).toEqual([
      '01',
      '11',
      '15',
      '16',
      '3103',
      '30',
      '240',
      '710',
      '711',
      '712',
      '713',
      '714',
      '17',
      '10',
      '21',
    ]);
    expect(core(pack)).toEqual({ gtin: GTIN, serial: 'S', lot: 'L', expiry: '2025-12-31' });
    expect(pack.elements.find((e) => e.ai === '710')?.value).toBe('PZN123');
  });

  it('reads a linear GTIN (EAN-13 or with ]E0)', () => {
    expect(parse(']E04006381333931').gtin).toBe('04006381333931');
    const plain = parse('4006381333931');
    expect(plain.gtin).toBe('04006381333931');
    expect(plain.form).toBe('linear');
  });
});

describe('parseScannedBarcode: field realities', () => {
  it.each([
    ['<GS>', '<GS>'],
    ['{GS}', '{GS}'],
    ['caret notation ^]', '^]'],
    ['\\x1D written out', '\\x1D'],
    ['~1', '~1'],
    ['pipe', '|'],
    ['syntax engine ^', '^'],
    ['control picture ␝', '\u241D'],
  ])('GS sent as %s', (_, standIn) => {
    const pack = parse(`]d2${CLEAN.replace(GS, standIn)}`);
    expect(core(pack)).toEqual(PACK);
    expect(pack.warnings).toEqual([`treated '${standIn}' in the data as the GS (FNC1) separator`]);
  });

  it('recovers a dropped GS when exactly one complete reading exists', () => {
    const pack = parse(`]d2${CLEAN.replace(GS, '')}`);
    expect(core(pack)).toEqual(PACK);
    expect(pack.warnings).toHaveLength(1);
    expect(pack.warnings[0]).toContain(
      "recovered a missing GS separator at position 35: read AI (10) lot 'ABC123'",
    );
  });

  it('recovers a lot that overruns its maximum length into the serial', () => {
    const pack = parse(`01${GTIN}17251231${GS}10ABCDEFGHIJKLMNOPQRST21ABCDEFGH`);
    expect(core(pack)).toEqual({
      gtin: GTIN,
      lot: 'ABCDEFGHIJKLMNOPQRST',
      serial: 'ABCDEFGH',
      expiry: '2025-12-31',
    });
  });

  it('refuses to guess when a dropped GS leaves two complete readings', () => {
    const error = errorOf(`01${GTIN}1725123110AB21CD21EF`);
    expect(error.code).toBe('GS1_AMBIGUOUS_SEPARATOR');
    expect(error.ai).toBe('10');
    expect(error.message).toContain('(10)AB(21)CD21EF or (01)09506000134352(17)251231(10)AB21CD(21)EF');
  });

  it('keeps the literal reading when no alternative makes the pack complete', () => {
    // Serial last, no lot: "(21)ABC1012" could be "(21)ABC(10)12", but without an expiry neither is complete.
    expect(parse(`01${GTIN}21ABC1012`).serial).toBe('ABC1012');
  });

  it('undoes a German (QWERTZ) keyboard layout', () => {
    // ]d2…(10)ABZ GS (21)XYZ-1 typed by a US scanner into a German PC: ] → +, z ↔ y, - → ß.
    const pack = parse(`+d2010950600013435217251231` + `10ABY${GS}21XZYß1`);
    expect(core(pack)).toEqual({ ...PACK, lot: 'ABZ' });
    expect(pack.warnings).toEqual([
      'the data was typed on a German (QWERTZ) keyboard layout by a scanner set for US; mapped the characters back',
    ]);
    const link = parse('httpsÖ--id.gs1.org-01-09506000134352-21-Zyß1_17´251231');
    expect(core(link)).toEqual({ gtin: GTIN, serial: 'Yz-1', lot: undefined, expiry: '2025-12-31' });
  });

  it('undoes a French (AZERTY) keyboard layout', () => {
    // The digit row gives &é"'(-è_çà; Shift+a gives Q, ] gives $.
    const pack = parse('$déà&àç(à-ààà&"\'"(é&èé(&é"&&àQBW\u001dé&XYW)&');
    expect(core(pack)).toEqual({ ...PACK, lot: 'ABZ' });
    expect(pack.warnings[0]).toContain('French (AZERTY)');
  });

  it('undoes Caps Lock when the symbology identifier gives it away', () => {
    const pack = parse(`]D2${CLEAN.toLowerCase()}`);
    expect(core(pack)).toEqual({ ...PACK, lot: 'ABC123', serial: 'XYZ-1' });
    expect(pack.warnings[0]).toContain('Caps Lock');
    expect(core(parse(CLEAN.toLowerCase(), { capsLock: true }))).toEqual(PACK);
  });

  it('honours an explicit keyboard layout', () => {
    expect(parse(`]d2${CLEAN.replace('XYZ', 'XZY')}`, { keyboardLayout: 'de' }).serial).toBe(
      'XYZ-1'.replace('-', '/'),
    );
  });
});

describe('parseScannedBarcode: errors', () => {
  it.each([
    ['', 'GS1_EMPTY_INPUT', undefined, 0],
    ['  \r\n', 'GS1_EMPTY_INPUT', undefined, 0],
    [`01${GTIN.slice(0, 13)}3172512311` + `0L${GS}21S`, 'GS1_CHECK_DIGIT', '01', 15],
    [`010950600013435217251332`, 'GS1_INVALID_DATE', '17', 20],
    [`0109506000134352172502301` + `0L${GS}21S`, 'GS1_INVALID_DATE', '17', 22],
    [`01${GTIN}${GS}44123`, 'GS1_UNKNOWN_AI', '44', 17],
    [`01${GTIN}21ABCDEFGHIJKLMNOPQRSTUVWXY`, 'GS1_FIELD_TOO_LONG', '21', 38],
    [`01${GTIN}17251231` + `10L${GS}21#`, 'GS1_INVALID_CHARACTER', '21', 30],
    [`01${GTIN}21A${GS}21B`, 'GS1_DUPLICATE_AI', '21', 20],
    [`00106141411234567897`, 'GS1_MISSING_GTIN', undefined, 0],
    [']A0ABC', 'GS1_UNSUPPORTED_SYMBOLOGY', undefined, 0],
    ['(01)09506000134352(17', 'GS1_BRACKET_SYNTAX', undefined, 18],
    ['(01)0950600013435', 'GS1_FIELD_TOO_SHORT', '01', 17],
    [`01${GTIN}1725`, 'GS1_FIELD_TOO_SHORT', '17', 20],
    ['https://id.gs1.org/01/09506000134353', 'GS1_CHECK_DIGIT', '01', 35],
    ['https://example.com/nothing', 'GS1_INVALID_DIGITAL_LINK', undefined, undefined],
    ['hello world', 'GS1_INVALID_CHARACTER', undefined, 0],
  ])('%j → %s', (input, code, ai, position) => {
    const error = errorOf(input);
    expect(error.code).toBe(code);
    expect(error.ai).toBe(ai);
    if (position !== undefined) expect(error.position).toBe(position);
  });

  it('explains an expiry that is not a date the way the brief asks', () => {
    expect(errorOf('010950600013435217251332').message).toBe(
      "AI (17) expiry '251332': month 13 is not a month (position 20)",
    );
  });

  it('gives positions in the caller’s input, also after stand-ins were replaced', () => {
    const error = errorOf(`]d2010950600013435210L<GS>17251332`);
    expect(error.code).toBe('GS1_INVALID_DATE');
    expect(error.position).toBe(`]d2010950600013435210L<GS>1725`.length);
  });
});

// ------------------------------------------------------------------------------------------------- properties

const SET82 = '!"%&\'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz';
const digits = (n: number) =>
  fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }).map((d) => d.join(''));
const text = (min: number, max: number) =>
  fc.array(fc.constantFrom(...SET82), { minLength: min, maxLength: max }).map((c) => c.join(''));
const gs1Date = (dayZero: boolean) =>
  fc
    .record({
      year: fc.integer({ min: 2000, max: 2074 }),
      month: fc.integer({ min: 1, max: 12 }),
      d: fc.nat(),
    })
    .map(({ year, month, d }) => {
      const days = daysInMonth(year, month);
      const day = dayZero ? d % (days + 1) : 1 + (d % days);
      return formatGs1Date(year, month, day === 0 ? null : day);
    });

/** A complete pharma pack (GTIN, expiry, lot, serial) with some other AIs, in random order. */
const pack: fc.Arbitrary<Gs1Element[]> = fc
  .record({
    gtin: digits(13).map(withCheckDigit),
    expiry: gs1Date(true),
    lot: text(1, 20),
    serial: text(1, 20),
    extras: fc.subarray([
      { ai: '11', value: '240131' },
      { ai: '15', value: '261200' },
      { ai: '30', value: '12' },
      { ai: '240', value: 'REF/1' },
      { ai: '710', value: '12345678' },
      { ai: '3103', value: '000125' },
    ]),
  })
  .chain(({ gtin, expiry, lot, serial, extras }) =>
    fc.shuffledSubarray(
      [
        { ai: '01', value: gtin },
        { ai: '17', value: expiry },
        { ai: '10', value: lot },
        { ai: '21', value: serial },
        ...extras,
      ],
      { minLength: 4 + extras.length },
    ),
  );

const byAi = (elements: readonly Gs1Element[]) => [...elements].sort((a, b) => a.ai.localeCompare(b.ai));

describe('parseScannedBarcode properties', () => {
  it('parse(format(x)) = x for element strings, bracketed and Digital Link', () => {
    fc.assert(
      fc.property(pack, fc.constantFrom(']d2', ']Q3', ']C1', ''), (elements, symbology) => {
        const raw = parse(symbology + formatElementString(elements, 'raw'));
        expect(raw.elements).toEqual(elements);
        expect(raw.warnings.filter((w) => !w.includes('day 00'))).toEqual([]);
        expect(parse(formatElementString(elements, 'bracketed')).elements).toEqual(elements);
        expect(byAi(parse(formatDigitalLink(elements)).elements)).toEqual(byAi(elements));
      }),
      { numRuns: 300 },
    );
  });

  it('recovers any single dropped GS of a pack that is unambiguous, and only then', () => {
    fc.assert(
      fc.property(pack, (elements) => {
        const data = formatElementString(elements, 'raw').split(GS).join('');
        let result: ScannedPack | Gs1ParseError;
        try {
          result = parse(data);
        } catch (error) {
          result = error as Gs1ParseError;
        }
        if (result instanceof Gs1ParseError) {
          expect([
            'GS1_AMBIGUOUS_SEPARATOR',
            'GS1_FIELD_TOO_LONG',
            'GS1_INVALID_CHARACTER',
            'GS1_UNKNOWN_AI',
          ]).toContain(result.code);
        } else {
          // Whatever is returned is a complete pack reading of the same characters.
          expect(result.gtin).toBe(elements.find((e) => e.ai === '01')?.value);
          expect(formatElementString(result.elements, 'raw').split(GS).join('')).toBe(data);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('random input never throws anything but Gs1ParseError', () => {
    const alphabet = fc.constantFrom(
      ...'0123456789()]dQCe12GS<>{}^~|/%:.-_ABCxyzäéàß'.split(''),
      GS,
      'https://',
      '(01)',
      '01',
      '10',
      '17',
      '21',
    );
    const gs1ish = fc.array(alphabet, { maxLength: 60 }).map((parts) => parts.join(''));
    const mutated = fc.tuple(pack, fc.nat(), fc.string({ maxLength: 3 })).map(([elements, at, insert]) => {
      const s = `]d2${formatElementString(elements, 'raw')}`;
      const i = at % (s.length + 1);
      return s.slice(0, i) + insert + s.slice(i + 1);
    });
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 80 }), gs1ish, mutated), (input) => {
        try {
          const result = parse(input);
          expect(result.gtin).toMatch(/^\d{14}$/);
        } catch (error) {
          expect(error).toBeInstanceOf(Gs1ParseError);
          const e = error as Gs1ParseError;
          expect(GS1_ERROR_CODES).toContain(e.code);
          expect(e.message.length).toBeGreaterThan(0);
          if (e.position !== undefined) {
            expect(e.position).toBeGreaterThanOrEqual(0);
            expect(e.position).toBeLessThanOrEqual(input.length);
          }
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('parseScannedBarcode: an EPC URN pasted instead of a scan', () => {
  it('reads a pack’s SGTIN URN as GTIN and serial', () => {
    const pack = parseScannedBarcode('urn:epc:id:sgtin:5790001.045678.52830702000');
    expect(pack).toMatchObject({
      gtin: '05790001456788',
      serial: '52830702000',
      form: 'epc-urn',
      warnings: [],
    });
  });

  it('refuses another scheme and a malformed URN, saying why', () => {
    expect(() => parseScannedBarcode('urn:epc:id:sscc:4012345.0000000001')).toThrow(
      expect.objectContaining({ code: 'GS1_UNSUPPORTED_SCHEME', message: expect.stringMatching(/sgtin/) }),
    );
    expect(() => parseScannedBarcode('urn:epc:id:sgtin:5790001.045678')).toThrow(
      expect.objectContaining({ code: 'GS1_INVALID_EPC_URN' }),
    );
  });
});
