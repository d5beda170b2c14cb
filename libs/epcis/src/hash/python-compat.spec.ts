import fc from 'fast-check';
import { normaliseNumberText, pyStrip, pythonNumberText, sortByCodePoint } from './python-compat';

describe('Python-compatible text and number handling', () => {
  it.each([
    ['1.0', '1'],
    ['26.0', '26'],
    ['0.3434', '0.3434'],
    ['0.34340', '0.3434'],
    ['+05', '5'],
    ['-0', '0'],
    ['.5', '0.5'],
    ['5.', '5'],
    ['1e3', '1000'],
    ['1_000', '1000'],
    ['0.0001', '0.0001'],
    ['0.00001', '1e-05'],
    ['-1.5e-7', '-1.5e-07'],
    ['1e22', '10000000000000000000000'],
    ['12345678901234567890', '12345678901234567168'],
    ['04012345111118', '4012345111118'],
  ])('number %s → %s', (text, expected) => {
    expect(normaliseNumberText(text)).toBe(expected);
  });

  it.each([
    'abc',
    '1_',
    '_1',
    '1__0',
    '1e',
    'e5',
    '0x10',
    '1.2.3',
    'NaN',
    'inf',
    'Infinity',
    '',
    '12a',
    '2019-10-21',
  ])('leaves %j alone', (text) => {
    expect(normaliseNumberText(text)).toBe(text);
  });

  it('writes numbers as Python does (property)', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (n) => {
        const text = pythonNumberText(n);
        expect(Number(text)).toBe(n === 0 ? 0 : n);
        if (Number.isInteger(n)) expect(text).toMatch(/^-?\d+$/);
        else if (Math.abs(n) < 1e-4) expect(text).toMatch(/^-?\d(\.\d+)?e-\d{2,3}$/);
        else expect(text).toMatch(/^-?\d+\.\d+$/);
        // Canonical: normalising the text again changes nothing.
        expect(normaliseNumberText(text)).toBe(text);
      }),
    );
  });

  it('strips the whitespace Python strips (including GS, not the BOM)', () => {
    expect(pyStrip(' \t\n a b \r\v\f')).toBe('a b');
    expect(pyStrip('\x1Dabc\x1C')).toBe('abc');
    expect(pyStrip('\u00A0x\u3000')).toBe('x');
    expect(pyStrip('\uFEFFx')).toBe('\uFEFFx');
  });

  it('sorts by code point, like Python', () => {
    expect(sortByCodePoint(['b', 'B', 'a', '{x}', 'Z'], false)).toEqual(['B', 'Z', 'a', 'b', '{x}']);
    // UTF-16 order would put the astral character first (0xD83D < 0xFF5E).
    expect(sortByCodePoint(['\u{1F600}', '\uFF5E'], true)).toEqual(['\uFF5E', '\u{1F600}']);
  });
});
