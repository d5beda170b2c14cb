#!/usr/bin/env node
// The `pedigree` command: publish EPCIS documents, verify and audit packs, simulate a supply network, backtest forecasts.
import { ConfigValidationError, loadConfig, type PedigreeConfig } from '@pedigree/config';
import { Command, CommanderError, Option } from 'commander';
import { registerAudit } from './commands/audit.command';
import { registerBench } from './commands/bench.command';
import { registerCustody } from './commands/custody.command';
import { registerForecast } from './commands/forecast.command';
import { registerPublish } from './commands/publish.command';
import { registerSimulate } from './commands/simulate.command';
import { registerVerify } from './commands/verify.command';
import { CliError, ExitCode } from './exit-codes';
import type { GlobalOptions } from './output';

export function buildProgram(config: PedigreeConfig = loadConfig('cli')): Command {
  const program = new Command('pedigree')
    .description('Pedigree: drug supply-chain provenance (GS1 EPCIS 2.0, Kafka, PostgreSQL, EVM chain)')
    .version('0.1.0')
    .option('--api <url>', 'Pedigree API base URL (env PEDIGREE_API_URL)', config.cliApiUrl)
    // Help prints defaults: a secret's is described, never shown.
    .addOption(
      new Option('--key <apiKey>', 'organisation API key (env PEDIGREE_API_KEY)').default(
        config.cliApiKey,
        'from PEDIGREE_API_KEY',
      ),
    )
    .option('--json', 'machine-readable output', false)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  const globals = (): GlobalOptions => program.opts<GlobalOptions>();
  registerPublish(program, globals);
  registerVerify(program, globals);
  registerAudit(program, globals);
  registerCustody(program, globals);
  registerSimulate(program, globals, config);
  registerForecast(program, globals);
  registerBench(program);
  return program;
}

export async function run(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
    return Number(process.exitCode ?? ExitCode.OK);
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version are "errors" to commander with exit code 0.
      return error.exitCode === 0 ? ExitCode.OK : ExitCode.USAGE;
    }
    if (error instanceof ConfigValidationError) {
      process.stderr.write(`pedigree: ${error.message}\n`);
      return ExitCode.CONFIG;
    }
    if (error instanceof CliError) {
      process.stderr.write(`pedigree: ${error.message}\n${error.hint ? `  → ${error.hint}\n` : ''}`);
      return error.exitCode;
    }
    process.stderr.write(`pedigree: unexpected error: ${(error as Error).stack ?? String(error)}\n`);
    return 70;
  }
}

if (require.main === module) {
  void run(process.argv).then((code) => {
    process.exitCode = code;
  });
}
