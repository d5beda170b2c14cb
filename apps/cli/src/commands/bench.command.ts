import { inheritedEnv } from '@pedigree/config';
import type { Command } from 'commander';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CliError, ExitCode } from '../exit-codes';

const BENCHMARKS = ['ingest', 'chain', 'verify', 'soak', 'report'] as const;

export function registerBench(program: Command): void {
  program
    .command('bench')
    .description(
      'run the benchmarks against the local infrastructure (from a Pedigree checkout); results go to bench/results/',
    )
    .argument(
      '[which]',
      `${BENCHMARKS.join(', ')} (default: report, which runs them all and writes latest.json)`,
      'report',
    )
    .action((which: string) => {
      if (!(BENCHMARKS as readonly string[]).includes(which))
        throw new CliError(
          `Unknown benchmark "${which}".`,
          ExitCode.USAGE,
          `Choose one of ${BENCHMARKS.join(', ')}.`,
        );
      const root = resolve(__dirname, '..', '..', '..', '..', '..');
      // chain, verify and soak are steps of the report run (they need its million stored events); ingest stands alone.
      const script = join(root, 'dist', 'bench', `${which === 'ingest' ? 'ingest' : 'report'}.bench.js`);
      const steps = which === 'chain' || which === 'verify' || which === 'soak' ? { BENCH_STEPS: which } : {};
      if (!existsSync(script))
        throw new CliError(
          `No benchmark at ${script}.`,
          ExitCode.CONFIG,
          'Run npm run build in the Pedigree checkout first.',
        );
      const run = spawnSync(process.execPath, [script], {
        stdio: 'inherit',
        cwd: root,
        // All of it: the benchmark reads its BENCH_* settings and the caller's tool paths from it.
        env: { ...inheritedEnv(), ...steps },
      });
      process.exitCode = run.status ?? 1;
    });
}
