import { ForecastInputError } from '../core/forecast.errors';
import { formatSeriesCsv } from '../input/series-csv.parser';
import { formatBacktestTable, runBacktestReport } from './backtest-report';

function csv(seriesCount: number, weeks: number): string {
  const series = Array.from({ length: seriesCount }, (_, i) => ({
    id: `s${i}`,
    start: '2023-01-02',
    frequency: 'weekly' as const,
    group: `g${i % 2}`,
    values: Array.from(
      { length: weeks },
      (_, t) => 20 + i + 5 * Math.sin((2 * Math.PI * t) / 52) + ((t * 7 + i * 3) % 4),
    ),
  }));
  return formatSeriesCsv(series);
}

describe('runBacktestReport', () => {
  it('backtests the baselines on a CSV and renders a table', async () => {
    const report = await runBacktestReport(csv(3, 40), { global: false, origins: 2 });
    expect(report.input).toMatchObject({
      series: 3,
      frequency: 'weekly',
      seasonPeriod: 52,
      frequencySource: 'declared',
    });
    expect(report.settings).toEqual({ horizon: 8, origins: 2, step: 8, seed: 1 });
    expect(report.methods.map((m) => m.method)).toEqual([
      'naive',
      'seasonal-naive',
      'ses',
      'ets',
      'croston',
      'sba',
      'tsb',
    ]);
    expect(report.scaling).toContain('seasonal naive method (lag 52)');
    const table = formatBacktestTable(report);
    expect(table).toContain('Backtest of 3 series, weekly (season 52), horizon 8, 2 origins every 8 periods');
    expect(table).toMatch(/^method\s+MASE\s+sMAPE\s+cov80\s+cov95\s+h1/m);
    expect(table).toContain(`Best baseline: ${report.bestBaseline.method}`);
  });

  it('adds the global model and model selection, and reports what was chosen', async () => {
    const report = await runBacktestReport(csv(4, 60), {
      origins: 1,
      baselines: ['naive', 'ses'],
      global: { hidden: [4], epochs: 1, ensemble: 1, batchSize: 32 },
    });
    expect(report.methods.map((m) => m.method)).toEqual(['naive', 'ses', 'global-mlp', 'auto']);
    expect(report.methods[3]?.chosen).toHaveLength(1);
    expect(Object.keys(report.improvement)).toEqual(['global-mlp', 'auto']);
    expect(formatBacktestTable(report)).toContain('auto chose, per origin: [1]');
  });

  it('rejects bad options', async () => {
    await expect(runBacktestReport(csv(1, 20), { horizon: 0, global: false })).rejects.toBeInstanceOf(
      ForecastInputError,
    );
    await expect(
      runBacktestReport(csv(1, 20), { baselines: ['arima' as 'naive'], global: false }),
    ).rejects.toMatchObject({
      code: 'BAD_OPTION',
    });
  });
});
