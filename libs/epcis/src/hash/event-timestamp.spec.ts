import fc from 'fast-check';
import { normaliseTimestamp } from './event-timestamp';

describe('event hash timestamps', () => {
  it.each([
    ['2020-03-04T11:00:30.000+01:00', '2020-03-04T10:00:30.000Z'],
    ['2019-10-21T00:05:00-06:00', '2019-10-21T06:05:00.000Z'],
    ['2019-10-21T14:45:00Z', '2019-10-21T14:45:00.000Z'],
    ['2022-02-16T20:33:31.116000-06:00', '2022-02-17T02:33:31.116Z'],
    ['2023-02-02T11:04:03.1415Z', '2023-02-02T11:04:03.142Z'],
    ['2023-02-02T11:04:03.1414Z', '2023-02-02T11:04:03.141Z'],
    ['2023-02-12T11:04:03.1007Z', '2023-02-12T11:04:03.101Z'],
    // The CBV text: round up when the fourth decimal is 5..9 (the Python reference rounds .1425 to even, .142).
    ['2023-02-02T11:04:03.1425Z', '2023-02-02T11:04:03.143Z'],
    ['2023-12-31T23:59:59.9996Z', '2024-01-01T00:00:00.000Z'],
    ['2023-01-18T11:04:03.1+0530', '2023-01-18T05:34:03.100Z'],
    ['2023-01-18T11:04:03', '2023-01-18T11:04:03.000Z'],
    ['2023-01-18', '2023-01-18T00:00:00.000Z'],
  ])('%s → %s', (input, expected) => {
    expect(normaliseTimestamp(input)).toBe(expected);
  });

  it.each([
    'tomorrow',
    '2023-02-30T00:00:00Z',
    '2023-13-01T00:00:00Z',
    '2023-01-01T24:00:00Z',
    '2023-01-01T10:00:60Z',
    '+01:00',
  ])('leaves %j as written', (input) => {
    expect(normaliseTimestamp(input)).toBe(input);
  });
});

describe('event hash timestamps (property)', () => {
  it('the fast path and the general parser agree', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(1970, 0, 1), max: Date.UTC(2099, 11, 31) }),
        fc.integer({ min: -14 * 60, max: 14 * 60 }),
        fc.stringMatching(/^\d{0,9}$/),
        (ms, offset, fraction) => {
          const local = new Date(ms + offset * 60_000).toISOString().slice(0, 19);
          const sign = offset < 0 ? '-' : '+';
          const abs = Math.abs(offset);
          const zone =
            offset === 0
              ? 'Z'
              : `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
          const text = `${local}${fraction ? `.${fraction}` : ''}${zone}`;
          const viaRegex = normaliseTimestamp(text.replace('T', ' '));
          expect(normaliseTimestamp(text)).toBe(viaRegex);
          expect(viaRegex).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
        },
      ),
    );
  });
});
