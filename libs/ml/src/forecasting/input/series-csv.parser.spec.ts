import { ForecastInputError } from '../core/forecast.errors';
import { formatSeriesCsv, parseSeriesCsv } from './series-csv.parser';

function errorOf(fn: () => unknown): ForecastInputError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ForecastInputError) return error;
    throw error;
  }
  throw new Error('expected a ForecastInputError');
}

describe('parseSeriesCsv', () => {
  it('parses long format, sorts rows by date and keeps series in first-seen order', () => {
    const parsed = parseSeriesCsv(
      ['series_id,date,value', 'b,2024-01-08,5', 'a,2024-01-08,2', 'a,2024-01-01,1', 'b,2024-01-01,4'].join(
        '\n',
      ),
    );
    expect(parsed.frequency).toBe('weekly');
    expect(parsed.frequencySource).toBe('inferred');
    expect(parsed.seasonPeriod).toBe(52);
    expect(parsed.series).toEqual([
      { id: 'b', start: '2024-01-01', frequency: 'weekly', values: [4, 5] },
      { id: 'a', start: '2024-01-01', frequency: 'weekly', values: [1, 2] },
    ]);
  });

  it.each([
    ['daily', ['2024-01-01', '2024-01-02', '2024-01-03'], 7],
    ['weekly', ['2024-01-01', '2024-01-08', '2024-01-22'], 52],
    ['monthly', ['2024-01-31', '2024-02-29', '2024-03-31'], 12],
    ['quarterly', ['2024-01-01', '2024-04-01', '2024-07-01'], 4],
    ['yearly', ['2021-06-30', '2022-06-30', '2023-06-30'], 1],
  ] as const)('infers %s data', (frequency, dates, season) => {
    const text = ['series_id,date,value', ...dates.map((d, i) => `s,${d},${i}`)].join('\n');
    const parsed = parseSeriesCsv(`# count: true\n${text}`);
    expect(parsed.frequency).toBe(frequency);
    expect(parsed.seasonPeriod).toBe(season);
  });

  it('honours a declared frequency, a group column, quotes, comments and CRLF', () => {
    const parsed = parseSeriesCsv(
      '# exported by the planner\r\n# frequency: monthly\r\ndate,value,series_id,group\r\n2024-01-01,3,"x,1",G\r\n\r\n2024-02-01,4,"x,1",G\r\n',
    );
    expect(parsed.frequencySource).toBe('declared');
    expect(parsed.series).toEqual([
      { id: 'x,1', start: '2024-01-01', frequency: 'monthly', values: [3, 4], group: 'G' },
    ]);
  });

  it('fills missing periods with zero only for count series', () => {
    const text = '# count: a\nseries_id,date,value\na,2024-01-01,1\na,2024-01-22,2\n';
    const parsed = parseSeriesCsv(`# frequency: weekly\n${text}`);
    expect(parsed.series[0]?.values).toEqual([1, 0, 0, 2]);
    expect(parsed.filledPeriods).toBe(2);
  });

  it('rejects a gap in a non-count series, naming the series and the missing date', () => {
    const error = errorOf(() =>
      parseSeriesCsv('# frequency: weekly\nseries_id,date,value\nrev,2024-01-01,1\nrev,2024-01-15,2\n'),
    );
    expect(error.code).toBe('MISSING_PERIOD');
    expect(error.seriesId).toBe('rev');
    expect(error.line).toBe(4);
    expect(error.message).toContain('2024-01-08');
    expect(error.retriable).toBe(false);
  });

  it.each([
    ['no header', 'a,2024-01-01,1\n', 'MISSING_HEADER', 1],
    ['bad date', 'series_id,date,value\na,2024-13-01,1\n', 'BAD_DATE', 2],
    ['bad value', 'series_id,date,value\na,2024-01-01,1\na,2024-01-08,abc\n', 'BAD_VALUE', 3],
    ['empty value', 'series_id,date,value\na,2024-01-01,\n', 'BAD_VALUE', 2],
    ['short row', 'series_id,date,value\n\na,2024-01-01\n', 'BAD_ROW', 3],
    ['duplicate', 'series_id,date,value\na,2024-01-01,1\na,2024-01-01,2\n', 'DUPLICATE_ROW', 3],
    ['unknown frequency', '# frequency: hourly\nseries_id,date,value\n', 'BAD_FREQUENCY', 1],
    ['negative count', '# count: true\nseries_id,date,value\na,2024-01-01,-1\n', 'BAD_VALUE', 3],
    ['unterminated quote', 'series_id,date,value\n"a,2024-01-01,1\n', 'BAD_ROW', 2],
  ])('reports %s with its line number', (_name, text, code, line) => {
    const error = errorOf(() => parseSeriesCsv(text));
    expect(error.code).toBe(code);
    expect(error.line).toBe(line);
    expect(error.message).toContain(`Line ${line}`);
  });

  it('rejects dates off the declared grid and files whose frequency cannot be inferred', () => {
    const misaligned = errorOf(() =>
      parseSeriesCsv('# frequency: weekly\nseries_id,date,value\na,2024-01-01,1\na,2024-01-09,2\n'),
    );
    expect(misaligned.code).toBe('MISALIGNED_DATE');
    expect(misaligned.line).toBe(4);
    expect(errorOf(() => parseSeriesCsv('series_id,date,value\na,2024-01-01,1\n')).code).toBe(
      'BAD_FREQUENCY',
    );
    expect(
      errorOf(() => parseSeriesCsv('series_id,date,value\na,2024-01-01,1\na,2024-01-10,1\na,2024-01-13,1\n'))
        .code,
    ).toBe('BAD_FREQUENCY');
    expect(errorOf(() => parseSeriesCsv('series_id,date,value\n')).code).toBe('EMPTY_INPUT');
  });

  it('round-trips through formatSeriesCsv', () => {
    const series = [
      { id: 'a', start: '2024-01-01', frequency: 'weekly' as const, values: [1, 0, 2], group: 'g' },
      { id: 'b"q', start: '2024-01-08', frequency: 'weekly' as const, values: [3, 4], group: 'g' },
    ];
    expect(parseSeriesCsv(formatSeriesCsv(series)).series).toEqual(series);
  });
});
