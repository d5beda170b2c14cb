import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { summaryOf } from './perf-table';

const ROOT = join(__dirname, '..', '..');

/** A table's cells, row by row, without the alignment padding prettier adds (and without the separator row). */
function cells(markdown: string): string[][] {
  return markdown
    .split('\n')
    .filter((line) => line.startsWith('|') && !/^\|[\s:|-]+\|$/.test(line))
    .map((line) =>
      line
        .split('|')
        .slice(1, -1)
        .map((cell) => cell.trim()),
    );
}

describe('README performance table', () => {
  it('is the summary of bench/results/latest.md (npm run docs:perf), not a hand-edited copy', () => {
    const report = summaryOf(readFileSync(join(ROOT, 'bench', 'results', 'latest.md'), 'utf8'));
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const block = readme.slice(
      readme.indexOf('<!-- perf-table:start -->'),
      readme.indexOf('<!-- perf-table:end -->'),
    );
    expect(cells(block)).toEqual(cells(report));
    expect(cells(report).length).toBeGreaterThan(10);
    expect(block.replace(/\s+/g, ' ')).toContain(report.split('\n')[0]!.replace(/\s+/g, ' '));
  });
});
