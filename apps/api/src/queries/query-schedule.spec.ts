import { cronOf, nextRun } from './query-schedule';

describe('EPCIS query schedules', () => {
  it('fills less significant time fields with their minimum and leaves the rest open', () => {
    expect(cronOf({ hour: '2' })).toBe('0 0 2 * * *');
    expect(cronOf({ minute: '*/5' })).toBe('0 */5 * * * *');
    expect(cronOf({ second: '*/10' })).toBe('*/10 * * * * *');
    expect(cronOf({ dayOfWeek: '1' })).toBe('0 * * * * 1');
  });

  it('finds the next run in UTC', () => {
    expect(nextRun({ minute: '30', hour: '2' }, new Date('2026-12-06T03:00:00Z')).toISOString()).toBe(
      '2026-12-07T02:30:00.000Z',
    );
  });

  it.each([{ minute: 'every five' }, { hour: '25' }, { second: '1;2' }])(
    'refuses %j by field',
    (schedule) => {
      expect(() => cronOf(schedule)).toThrow(/schedule/);
    },
  );
});
