import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NETWORK_PRESETS } from '../simulator/network/network.presets';
import { PATTERN_KINDS } from '../simulator/network/network.types';
import { runAnomalyEvaluation } from './anomaly-eval';
import { parseArguments } from './anomaly-eval.main';

describe('runAnomalyEvaluation (tiny network)', () => {
  it('trains on benign history, evaluates a held-out seed and writes the report', async () => {
    const outDir = mkdtempSync(join(tmpdir(), 'pedigree-anomaly-eval-'));
    const messages: string[] = [];
    try {
      const report = await runAnomalyEvaluation({
        seed: 5,
        trainSeed: 6,
        outDir,
        scale: { ...NETWORK_PRESETS.tiny, weeks: 9 },
        model: { shipment: { epochs: 5 }, pharmacy_week: { epochs: 5 } },
        logger: { info: (m) => messages.push(m) },
      });
      expect(report.training.backend).toBe('wasm');
      expect(report.models.map((m) => m.family)).toEqual(['shipment', 'pharmacy_week']);
      expect(report.evaluation.patterns.map((p) => p.pattern)).toEqual(PATTERN_KINDS);
      for (const p of report.evaluation.patterns) {
        for (const v of [p.precision, p.recall, p.f1, p.prAuc, p.precisionAtBudget])
          expect(v).toBeGreaterThanOrEqual(0);
      }
      const hard = report.evaluation.patterns.filter((p) =>
        ['cloned_serial', 'unknown_serial', 'custody_break'].includes(p.pattern),
      );
      for (const p of hard) if (p.incidents > 0) expect(p.f1).toBeGreaterThan(0.9);
      expect(report.evaluation.falseAlerts.rate).toBeLessThan(0.02);
      expect(report.pipeline.deadLetters).toBeGreaterThan(0);
      const written = JSON.parse(readFileSync(join(outDir, 'anomaly-eval.json'), 'utf8')) as typeof report;
      expect(written.seed).toBe(5);
      const markdown = readFileSync(join(outDir, 'anomaly-eval.md'), 'utf8');
      expect(markdown).toContain('| cloned_serial | rule |');
      expect(markdown).toContain('| grey_market_spike | model |');
      expect(messages.some((m) => m.includes('autoencoder'))).toBe(true);
    } finally {
      rmSync(outDir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('anomaly-eval command line', () => {
  it('parses its arguments', () => {
    expect(
      parseArguments(['--seed', '7', '--scale', 'tiny', '--out', '/tmp/x', '--no-validate', '--strict']),
    ).toEqual({
      seed: 7,
      scale: 'tiny',
      outDir: '/tmp/x',
      validate: false,
      strict: true,
    });
    expect(() => parseArguments(['--scale', 'huge'])).toThrow(/--scale/);
    expect(() => parseArguments(['--seed'])).toThrow(/needs a value/);
    expect(() => parseArguments(['--seed', '1.5'])).toThrow(/integers/);
  });

  it('parses a transfer run: another network, length, start and incident rates', () => {
    expect(
      parseArguments([
        '--scale',
        'demo',
        '--train-scale',
        'evaluation',
        '--weeks',
        '40',
        '--start',
        '2026-02-22',
        '--inject',
        'diversion=0.03,cloned_serial=0',
      ]),
    ).toEqual({
      scale: 'demo',
      trainScale: 'evaluation',
      weeks: 40,
      start: '2026-02-22',
      inject: { diversion: 0.03, cloned_serial: 0 },
      strict: false,
    });
    expect(() => parseArguments(['--train-scale', 'huge'])).toThrow(/--train-scale/);
    expect(() => parseArguments(['--weeks', '0'])).toThrow(/--weeks/);
    expect(() => parseArguments(['--start', '22.02.2026'])).toThrow(/YYYY-MM-DD/);
    expect(() => parseArguments(['--inject', 'forgery=1'])).toThrow(/unknown pattern "forgery"/);
  });
});
