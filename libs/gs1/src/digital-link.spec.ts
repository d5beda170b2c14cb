import { canonicaliseDigitalLink, formatDigitalLink, parseDigitalLink } from './digital-link';
import { Gs1ParseError } from './gs1-parse-error';

const now = new Date('2024-06-01T00:00:00Z');

function errorOf(fn: () => unknown): Gs1ParseError {
  try {
    fn();
  } catch (error) {
    if (error instanceof Gs1ParseError) return error;
    throw error;
  }
  throw new Error('no error');
}

describe('GS1 Digital Link', () => {
  it('parses key, qualifiers and attributes on any domain and path prefix', () => {
    const link = parseDigitalLink(
      'https://brand.example.com/dl/01/09506000134352/10/AB%2F12/21/XYZ?17=251231&linkType=gs1:pip#x',
      {
        now,
      },
    );
    expect(link).toEqual({
      stem: 'https://brand.example.com/dl',
      primaryKey: { ai: '01', value: '09506000134352' },
      qualifiers: [
        { ai: '10', value: 'AB/12' },
        { ai: '21', value: 'XYZ' },
      ],
      attributes: [{ ai: '17', value: '251231' }],
      canonical: 'https://id.gs1.org/01/09506000134352/10/AB%2F12/21/XYZ',
      scheme: 'sgtin',
      level: 'instance',
      gtinPadded: false,
    });
  });

  it('accepts legacy short names, HTTP, upper-case scheme, trailing slash and zero-suppressed GTINs', () => {
    expect(canonicaliseDigitalLink('HTTP://example.com/gtin/9506000134352/ser/1/')).toBe(
      'https://id.gs1.org/01/09506000134352/21/1',
    );
    expect(parseDigitalLink('https://id.gs1.org/01/9506000134352').gtinPadded).toBe(true);
    expect(canonicaliseDigitalLink('https://id.gs1.org/414/4012345000009/254/A-1')).toBe(
      'https://id.gs1.org/414/4012345000009/254/A-1',
    );
    expect(canonicaliseDigitalLink("https://id.gs1.org/8004/4012345A!'()*+,;=")).toBe(
      'https://id.gs1.org/8004/4012345A%21%27%28%29%2A%2B%2C%3B%3D',
    );
  });

  it.each([
    ['https://id.gs1.org/01/09506000134353', 'GS1_CHECK_DIGIT', '01'],
    ['https://id.gs1.org/01/09506000134352/21/ABC/10/L1', 'GS1_INVALID_DIGITAL_LINK', '01'],
    ['https://id.gs1.org/01/09506000134352/21/', 'GS1_INVALID_DIGITAL_LINK', undefined],
    ['https://id.gs1.org/01/09506000134352/21/%G1', 'GS1_INVALID_DIGITAL_LINK', '21'],
    ['https://id.gs1.org/01/09506000134352/21/123456789012345678901', 'GS1_FIELD_TOO_LONG', '21'],
    ['https://id.gs1.org/01/09506000134352?17=251332', 'GS1_INVALID_DATE', '17'],
    ['https://example.com/products/1234', 'GS1_INVALID_DIGITAL_LINK', undefined],
    ['ftp://id.gs1.org/01/09506000134352', 'GS1_INVALID_DIGITAL_LINK', undefined],
    ['https://id.gs1.org/01/09506000134352/21/A B', 'GS1_INVALID_DIGITAL_LINK', undefined],
  ])('rejects %s with %s', (uri, code, ai) => {
    const error = errorOf(() => parseDigitalLink(uri, { now }));
    expect(error.code).toBe(code);
    if (ai) expect(error.ai).toBe(ai);
  });

  it('points at the offending character', () => {
    const error = errorOf(() => parseDigitalLink('https://id.gs1.org/01/09506000134352?17=251332', { now }));
    expect(error.position).toBe('https://id.gs1.org/01/09506000134352?17=25'.length);
    expect(error.message).toContain("AI (17) expiry '251332'");
    expect(error.message).toContain('month 13 is not a month');
  });

  it('formats elements as a Digital Link: key and qualifiers in the path, the rest as attributes', () => {
    expect(
      formatDigitalLink([
        { ai: '17', value: '251231' },
        { ai: '21', value: 'A/B' },
        { ai: '01', value: '09506000134352' },
        { ai: '10', value: 'L1' },
      ]),
    ).toBe('https://id.gs1.org/01/09506000134352/10/L1/21/A%2FB?17=251231');
    expect(
      formatDigitalLink([{ ai: '00', value: '106141411234567897' }], { base: 'https://example.com' }),
    ).toBe('https://example.com/00/106141411234567897');
  });
});
