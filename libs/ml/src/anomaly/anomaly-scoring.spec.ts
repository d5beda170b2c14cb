import { combineScores, dedupeKey, RULE_SCORES, severityFor } from './anomaly-scoring';

describe('anomaly scoring', () => {
  it('combines independent evidence as a noisy-OR, within [0, 1]', () => {
    expect(combineScores(0.9)).toBeCloseTo(0.9);
    expect(combineScores(0.9, 0.5)).toBeCloseTo(0.95);
    expect(combineScores(undefined, 0.3)).toBeCloseTo(0.3);
    expect(combineScores()).toBe(0);
    expect(combineScores(1.5, -1)).toBe(1);
  });

  it('puts deterministic findings near 1 and orders them', () => {
    for (const kind of [
      'cloned_serial',
      'unknown_serial',
      'reappearance',
      'lot_mismatch',
      'impossible_travel',
      'custody_break',
    ] as const) {
      expect(RULE_SCORES[kind]).toBeGreaterThanOrEqual(0.9);
    }
    expect(RULE_SCORES.diversion).toBe(0);
  });

  it('maps kind and score to a severity', () => {
    expect(severityFor('cloned_serial', 0.97)).toBe('critical');
    expect(severityFor('custody_break', 0.9)).toBe('high');
    expect(severityFor('custody_break', 0.7)).toBe('medium');
    expect(severityFor('diversion', 0.6)).toBe('medium');
    expect(severityFor('diversion', 0.99)).toBe('high');
    expect(severityFor('grey_market_spike', 0.3)).toBe('low');
  });

  it('builds the dedupe key from kind and subject', () => {
    expect(dedupeKey('cloned_serial', 'urn:epc:id:sgtin:1.2.3')).toBe('cloned_serial:urn:epc:id:sgtin:1.2.3');
  });
});
