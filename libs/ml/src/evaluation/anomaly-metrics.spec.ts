import type { AlertCandidate } from '../anomaly/anomaly.types';
import type { ScenarioLabels } from '../simulator/network/network.types';
import { averagePrecision, evaluateAlerts, precisionAtK } from './anomaly-metrics';

const alert = (kind: AlertCandidate['kind'], epcs: string[], score: number): AlertCandidate => ({
  dedupeKey: `${kind}:${epcs[0]}`,
  kind,
  subject: epcs[0]!,
  severity: 'high',
  score,
  epcs,
  gtin: null,
  lot: null,
  summary: '',
  evidence: { eventHashes: [], rules: [] },
  orgIds: [],
  observedAt: '2025-01-01T00:00:00.000Z',
});

const label = (kind: ScenarioLabels['patterns'][number]['kind'], epcs: string[]) => ({
  id: `l-${epcs[0]}`,
  kind,
  description: '',
  epcs,
  documentIds: [],
  eventHashes: [],
  subject: epcs[0]!,
  orgIds: [],
  startedAt: '',
});

describe('average precision and precision at k', () => {
  it('computes average precision like scikit-learn, unscored packs tied last', () => {
    const scores = new Map([
      ['a', 0.9],
      ['b', 0.8],
      ['c', 0.7],
    ]);
    expect(averagePrecision(scores, new Set(['a', 'c']), 3)).toBeCloseTo((1 / 2) * 1 + (1 / 2) * (2 / 3));
    expect(averagePrecision(scores, new Set(['a', 'z']), 10)).toBeCloseTo(0.5 * 1 + 0.5 * (2 / 10));
    expect(averagePrecision(new Map(), new Set(), 5)).toBe(1);
  });

  it('computes precision among the top k, ties broken by identifier', () => {
    const scores = new Map([
      ['b', 1],
      ['a', 1],
      ['c', 0.5],
    ]);
    expect(precisionAtK(scores, new Set(['a']), 1)).toBe(1);
    expect(precisionAtK(scores, new Set(['c']), 2)).toBe(0);
  });
});

describe('evaluateAlerts', () => {
  const universe = new Set(['p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7', 'p8', 'p9', 'p10']);
  const labels: ScenarioLabels = {
    seed: 1,
    patterns: [
      label('cloned_serial', ['p1']),
      label('lot_expiry_mismatch', ['p2', 'p3']),
      label('diversion', ['p4', 'p5']),
    ],
    noise: [{ id: 'n1', kind: 'late_upload', documentIds: [], epcs: ['p9'] }],
  };

  it('scores packs per pattern by the alert kinds that stand for it, and counts false alerts', () => {
    const result = evaluateAlerts({
      labels,
      universe,
      alerts: [
        alert('custody_break', ['p1'], 0.9), // the clone reported under the wrong kind
        alert('lot_mismatch', ['p2'], 0.96),
        alert('expiry_mismatch', ['p3'], 0.95),
        alert('diversion', ['p4', 'p5', 'p6'], 0.8), // one benign pack in the consignment
        alert('reappearance', ['p9'], 0.97), // an alert on a noise-touched, unlabelled pack
      ],
      scored: [
        { family: 'shipment', kind: 'diversion', subject: 's', epcs: ['p7'], score: 0.2, observedAt: '' },
      ],
    });
    const by = Object.fromEntries(result.patterns.map((m) => [m.pattern, m]));
    expect(by.cloned_serial).toMatchObject({ recall: 0, f1: 0, confusedWith: { custody_break: 1 } });
    expect(by.custody_break).toMatchObject({ precision: 0, alertedPacks: 1 });
    expect(by.lot_expiry_mismatch).toMatchObject({ precision: 1, recall: 1, f1: 1, prAuc: 1 });
    expect(by.diversion).toMatchObject({ precision: 2 / 3, recall: 1, truePositivePacks: 2 });
    expect(result.falseAlerts).toMatchObject({ packs: 2, rate: 0.2, onNoisePacks: 1 });
    expect(result.budget).toBe(1);
  });

  it('lists an alert emitted again as its evidence grew once, as it was last emitted', () => {
    const grown = {
      ...alert('grey_market_spike', ['p7', 'p8'], 0.9),
      dedupeKey: 'spike:p7',
      summary: 'later',
    };
    const result = evaluateAlerts({
      labels,
      universe,
      alerts: [
        { ...alert('grey_market_spike', ['p7'], 0.8), dedupeKey: 'spike:p7', summary: 'earlier' },
        grown,
      ],
      scored: [],
    });
    expect(result.falseAlerts.examples).toEqual([
      { kind: 'grey_market_spike', subject: 'p7', score: 0.9, summary: 'later' },
    ]);
    expect(result.falseAlerts.packs).toBe(2);
  });
});
