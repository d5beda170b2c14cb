import { ForecastInputError, formatBacktestTable, runBacktestReport } from '@pedigree/ml';
import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { CliError, ExitCode } from '../exit-codes';
import { type GlobalOptions, print } from '../output';

function positiveInteger(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new CliError(`${name} must be a positive integer, not "${value}"`, ExitCode.USAGE);
  return n;
}

export function registerForecast(program: Command, globals: () => GlobalOptions): void {
  const forecast = program.command('forecast').description('demand forecasting tools');
  forecast
    .command('backtest')
    .description(
      'rolling-origin backtest of every method (baselines and the global TF.js model) on your own history',
    )
    .requiredOption(
      '--input <csv>',
      'long-format CSV: series_id,date,value (header required; "# frequency: weekly" optional)',
    )
    .option('--horizon <periods>', 'periods ahead to forecast (default: 8 weeks, or the frequency’s usual)')
    .option('--origins <n>', 'forecast origins, each one horizon apart (default 4)')
    .option('--baselines-only', 'skip the global model (faster)', false)
    .option('--seed <n>', 'seed of the model (results reproduce)', '1')
    .addHelpText(
      'after',
      `
Prints MASE (scaled by the in-sample seasonal-naive error), sMAPE and the coverage of the 80% and 95% intervals
for naive, seasonal naive, SES, ETS, Croston, SBA, TSB, the global model and the automatic selection.
Exit codes: 0 done, 65 the file has a problem (the message names the line), 66 no such file.
Example:
  pedigree forecast backtest --input weekly-sales.csv --horizon 8 --origins 6`,
    )
    .action(
      async (flags: {
        input: string;
        horizon?: string;
        origins?: string;
        baselinesOnly: boolean;
        seed: string;
      }) => {
        const options = globals();
        let text: string;
        try {
          text = readFileSync(flags.input, 'utf8');
        } catch {
          throw new CliError(`Cannot read ${flags.input}.`, ExitCode.NO_INPUT, 'Check the path of --input.');
        }
        try {
          const report = await runBacktestReport(text, {
            horizon: positiveInteger('--horizon', flags.horizon),
            origins: positiveInteger('--origins', flags.origins),
            seed: positiveInteger('--seed', flags.seed),
            ...(flags.baselinesOnly ? { global: false as const } : {}),
            onProgress:
              options.json || !process.stderr.isTTY
                ? undefined
                : (p) =>
                    process.stderr.write(
                      `\rorigin ${p.origin}/${p.origins}: ${p.method} (${p.seconds.toFixed(1)} s)      `,
                    ),
          });
          if (!options.json && process.stderr.isTTY) process.stderr.write('\r');
          const { result: _detail, ...summary } = report;
          print(options, summary, () => formatBacktestTable(report));
        } catch (error) {
          if (error instanceof ForecastInputError) {
            throw new CliError(
              `${flags.input}: ${error.message}`,
              ExitCode.DATA_ERROR,
              'Fix the row named above; the format is series_id,date,value.',
            );
          }
          throw error;
        }
      },
    );
}
