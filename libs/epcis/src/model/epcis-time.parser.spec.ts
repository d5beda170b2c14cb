import { isTimeZoneOffset, parseEpcisDateTime } from './epcis-time.parser';

describe('parseEpcisDateTime', () => {
  it.each([
    ['2005-04-03T20:33:31.116000-06:00', Date.UTC(2005, 3, 4, 2, 33, 31, 116)],
    ['2013-06-08T14:58:56.591Z', Date.UTC(2013, 5, 8, 14, 58, 56, 591)],
    ['2020-06-07T17:10:16Z', Date.UTC(2020, 5, 7, 17, 10, 16)],
    ['2005-07-11T11:30:47.0Z', Date.UTC(2005, 6, 11, 11, 30, 47)],
    ['2024-02-29t00:00:00+14:00', Date.UTC(2024, 1, 28, 10)],
    ['0099-01-01T00:00:00Z', -59042995200000],
  ])('parses %s', (text, epochMs) => {
    expect(parseEpcisDateTime(text)).toBe(epochMs);
  });

  it.each([
    '2005-04-03T20:33:31',
    '2005-04-03 20:33:31Z',
    '2005-04-03T20:33Z',
    '2023-02-29T00:00:00Z',
    '2005-13-03T20:33:31Z',
    '2005-04-03T24:00:00Z',
    '2005-04-03T23:59:60Z',
    '2005-04-03T20:33:31+0100',
    '2005-04-03T20:33:31+24:00',
    '',
    42,
    null,
  ])('rejects %p', (value) => {
    expect(parseEpcisDateTime(value)).toBeUndefined();
  });
});

describe('isTimeZoneOffset', () => {
  it('accepts ±hh:mm from -14:00 to +14:00 only', () => {
    expect(['+00:00', '-06:00', '+13:45', '+14:00', '-14:00'].every(isTimeZoneOffset)).toBe(true);
    expect(['+14:30', '+1:00', '01:00', 'Z', '+01:60', 1].some(isTimeZoneOffset)).toBe(false);
  });
});
