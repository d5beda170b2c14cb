import { addPeriods, isoWeekday, isoWeekStart, parseIsoDate, periodsBetween, yearPhase } from './calendar';

const day = (iso: string) => parseIsoDate(iso) as number;

describe('calendar', () => {
  it('parses only real ISO dates', () => {
    expect(parseIsoDate('2024-02-29')).toBeDefined();
    expect(parseIsoDate('2023-02-29')).toBeUndefined();
    expect(parseIsoDate('2024-2-3')).toBeUndefined();
    expect(parseIsoDate('03/02/2024')).toBeUndefined();
  });

  it('adds periods of every frequency, keeping month ends on month ends', () => {
    expect(addPeriods('2024-01-01', 3, 'daily')).toBe('2024-01-04');
    expect(addPeriods('2024-01-01', 2, 'weekly')).toBe('2024-01-15');
    expect(addPeriods('2024-01-15', 1, 'monthly')).toBe('2024-02-15');
    expect(addPeriods('2024-01-31', 1, 'monthly')).toBe('2024-02-29');
    expect(addPeriods('2024-01-31', 2, 'monthly')).toBe('2024-03-31');
    expect(addPeriods('2024-01-01', 1, 'quarterly')).toBe('2024-04-01');
    expect(addPeriods('2024-03-01', 2, 'yearly')).toBe('2026-03-01');
  });

  it('counts periods between dates on the same grid only', () => {
    expect(periodsBetween(day('2024-01-01'), day('2024-01-22'), 'weekly')).toBe(3);
    expect(periodsBetween(day('2024-01-01'), day('2024-01-23'), 'weekly')).toBeUndefined();
    expect(periodsBetween(day('2024-01-31'), day('2024-04-30'), 'monthly')).toBe(3);
    expect(periodsBetween(day('2024-01-15'), day('2024-03-01'), 'monthly')).toBeUndefined();
    expect(periodsBetween(day('2024-01-01'), day('2024-07-01'), 'quarterly')).toBe(2);
    expect(periodsBetween(day('2024-01-01'), day('2024-02-01'), 'quarterly')).toBeUndefined();
  });

  it('gives the yearly phase and the ISO weekday', () => {
    expect(yearPhase('2023-01-01')).toBe(0);
    expect(yearPhase('2023-07-02')).toBeCloseTo(182 / 365, 10);
    expect(isoWeekday('2024-01-01')).toBe(0); // a Monday
    expect(isoWeekday('2024-01-07')).toBe(6);
  });
});

describe('isoWeekStart', () => {
  it('gives the Monday of the week holding an instant, in UTC', () => {
    expect(isoWeekStart(new Date('2026-12-07T00:00:00Z'))).toBe('2026-12-07'); // a Monday, at midnight
    expect(isoWeekStart(new Date('2026-12-06T23:59:59Z'))).toBe('2026-11-30'); // the Sunday before
    expect(isoWeekStart(new Date('2026-01-01T12:00:00Z'))).toBe('2025-12-29'); // across a year
    expect(isoWeekStart(new Date('1969-12-31T12:00:00Z'))).toBe('1969-12-29'); // before the epoch
  });
});
