import fc from 'fast-check';
import { gs1CheckDigit, hasValidCheckDigit, withCheckDigit } from './check-digit';
import { Gs1ParseError } from './gs1-parse-error';
import { assertValidGtin, isValidGln, isValidGtin, isValidSscc, normaliseGtin } from './gs1-keys';

const digits = (min: number, max: number) =>
  fc.array(fc.integer({ min: 0, max: 9 }), { minLength: min, maxLength: max }).map((d) => d.join(''));

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (error) {
    return error instanceof Gs1ParseError ? error.code : 'not a Gs1ParseError';
  }
}

describe('GS1 check digits', () => {
  it.each([
    ['0950600013435', 2], // GTIN-14 09506000134352
    ['9638507', 4], // GTIN-8 96385074
    ['03600029145', 2], // GTIN-12 036000291452
    ['400638133393', 1], // GTIN-13 4006381333931
    ['10614141123456789', 7], // SSCC 106141411234567897
    ['401234500000', 9], // GLN 4012345000009
  ])('%s → %i', (body, expected) => {
    expect(gs1CheckDigit(body)).toBe(expected);
    expect(hasValidCheckDigit(body + expected)).toBe(true);
  });

  it('rejects non-digits with GS1_INVALID_CHARACTER', () => {
    expect(codeOf(() => gs1CheckDigit('12A4'))).toBe('GS1_INVALID_CHARACTER');
    expect(hasValidCheckDigit('12A4')).toBe(false);
    expect(hasValidCheckDigit('7')).toBe(false);
  });

  it('a key with its check digit is valid; changing any one digit makes it invalid (property)', () => {
    fc.assert(
      fc.property(digits(1, 30), fc.nat(), fc.integer({ min: 1, max: 9 }), (body, at, delta) => {
        const key = withCheckDigit(body);
        expect(hasValidCheckDigit(key)).toBe(true);
        const i = at % key.length;
        const changed = key.slice(0, i) + String((Number(key[i]) + delta) % 10) + key.slice(i + 1);
        expect(hasValidCheckDigit(changed)).toBe(false);
      }),
    );
  });

  it('detects swapping two adjacent digits unless they differ by 5 (property)', () => {
    fc.assert(
      fc.property(digits(2, 20), fc.nat(), (body, at) => {
        const key = withCheckDigit(body);
        const i = at % (key.length - 1);
        const [a, b] = [Number(key[i]), Number(key[i + 1])];
        fc.pre(a !== b && Math.abs(a - b) !== 5);
        const swapped = key.slice(0, i) + key[i + 1] + key[i] + key.slice(i + 2);
        expect(hasValidCheckDigit(swapped)).toBe(false);
      }),
    );
  });

  it('leading zeros do not change the check digit, so GTIN-8/12/13 pad to GTIN-14 (property)', () => {
    fc.assert(
      fc.property(digits(7, 13), (body) => {
        expect(gs1CheckDigit('0' + body)).toBe(gs1CheckDigit(body));
      }),
    );
  });
});

describe('GS1 keys', () => {
  it('validates GTIN, GLN and SSCC', () => {
    expect(isValidGtin('09506000134352')).toBe(true);
    expect(isValidGtin('96385074')).toBe(true);
    expect(isValidGtin('036000291452')).toBe(true);
    expect(isValidGtin('4006381333931')).toBe(true);
    expect(isValidGtin('09506000134353')).toBe(false);
    expect(isValidGtin('0950600013435')).toBe(false); // 13 digits, wrong check digit
    expect(isValidGtin('123456789')).toBe(false);
    expect(isValidGln('4012345000009')).toBe(true);
    expect(isValidGln('40123450000091')).toBe(false);
    expect(isValidSscc('106141411234567897')).toBe(true);
    expect(isValidSscc('106141411234567898')).toBe(false);
  });

  it('normalises every GTIN form to GTIN-14', () => {
    expect(normaliseGtin('96385074')).toBe('00000096385074');
    expect(normaliseGtin('036000291452')).toBe('00036000291452');
    expect(normaliseGtin('4006381333931')).toBe('04006381333931');
    expect(normaliseGtin('09506000134352')).toBe('09506000134352');
  });

  it('reports why a GTIN is not one', () => {
    expect(codeOf(() => normaliseGtin('09506000134353'))).toBe('GS1_CHECK_DIGIT');
    expect(codeOf(() => normaliseGtin('0950600013435A'))).toBe('GS1_INVALID_KEY');
    expect(codeOf(() => assertValidGtin('123'))).toBe('GS1_INVALID_KEY');
    try {
      normaliseGtin('09506000134353');
    } catch (error) {
      expect((error as Gs1ParseError).message).toBe("GTIN '09506000134353' has check digit 3, expected 2");
      expect((error as Gs1ParseError).ai).toBe('01');
    }
  });

  it('normaliseGtin is idempotent and keeps the key valid (property)', () => {
    fc.assert(
      fc.property(fc.constantFrom(7, 11, 12, 13), digits(13, 13), (len, raw) => {
        const gtin = withCheckDigit(raw.slice(0, len));
        const n = normaliseGtin(gtin);
        expect(n).toHaveLength(14);
        expect(normaliseGtin(n)).toBe(n);
        expect(isValidGtin(n)).toBe(true);
      }),
    );
  });
});
