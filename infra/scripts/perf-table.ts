// `npm run docs:perf`: copies the summary table of the latest benchmark report (bench/results/latest.md, written by
// `npm run bench`) into README.md, so the README's figures are the report's, never edited by hand.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');
const START = '<!-- perf-table:start -->';
const END = '<!-- perf-table:end -->';

/** The report's "Measured …" sentence and its first table (measure | value | goal). */
export function summaryOf(report: string): string {
  const lines = report.split('\n');
  const measured = lines.findIndex((l) => l.startsWith('Measured '));
  const header = lines.findIndex((l) => l.startsWith('| measure | value | goal |'));
  if (measured < 0 || header < 0) throw new Error('bench/results/latest.md has no summary table');
  const end = lines.findIndex((l, i) => i > header && !l.startsWith('|'));
  const sentence = lines.slice(measured, lines.indexOf('', measured)).join(' ');
  return [`${sentence}`, '', ...lines.slice(header, end < 0 ? undefined : end)].join('\n');
}

/** Writes the summary into README.md between the perf-table markers, formatted as `npm run lint` expects. */
export async function writePerfTable(
  readmePath = join(ROOT, 'README.md'),
  reportPath = join(ROOT, 'bench', 'results', 'latest.md'),
): Promise<void> {
  const readme = readFileSync(readmePath, 'utf8');
  if (!readme.includes(START) || !readme.includes(END)) throw new Error(`README.md lacks ${START} … ${END}`);
  const table = summaryOf(readFileSync(reportPath, 'utf8'));
  const updated = readme.replace(new RegExp(`${START}[\\s\\S]*${END}`), `${START}\n${table}\n${END}`);
  // Loaded here: prettier 3 is ESM inside, which jest (running the spec of summaryOf) cannot load.
  const { format, resolveConfig } = await import('prettier');
  const options = (await resolveConfig(readmePath)) ?? {};
  writeFileSync(readmePath, await format(updated, { ...options, filepath: readmePath }));
}

if (require.main === module) {
  void writePerfTable().then(() =>
    process.stdout.write('README.md: performance table from bench/results/latest.md\n'),
  );
}
