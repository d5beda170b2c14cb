import { Random, deriveSeed, logGamma, mulberry32 } from './mulberry32';

describe('mulberry32', () => {
  it('is deterministic per seed and differs across seeds', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const c = mulberry32(43);
    const xs = Array.from({ length: 5 }, () => a());
    expect(Array.from({ length: 5 }, () => b())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c())).not.toEqual(xs);
    xs.forEach((x) => expect(x >= 0 && x < 1).toBe(true));
  });

  it('derives independent, stable sub-seeds from labels', () => {
    expect(deriveSeed(1, 'series:a')).toBe(deriveSeed(1, 'series:a'));
    expect(deriveSeed(1, 'series:a')).not.toBe(deriveSeed(1, 'series:b'));
    expect(deriveSeed(1, 'series:a')).not.toBe(deriveSeed(2, 'series:a'));
  });
});

describe('Random', () => {
  const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
  const variance = (xs: number[]) => {
    const m = mean(xs);
    return xs.reduce((s, x) => s + (x - m) * (x - m), 0) / xs.length;
  };

  it('draws Poisson counts with the right mean and variance, small and large', () => {
    const rng = new Random(7);
    for (const lambda of [0.3, 4, 80]) {
      const xs = Array.from({ length: 5000 }, () => rng.poisson(lambda));
      expect(Math.abs(mean(xs) - lambda)).toBeLessThan(4 * Math.sqrt(lambda / xs.length));
      expect(variance(xs) / lambda).toBeGreaterThan(0.9);
      expect(variance(xs) / lambda).toBeLessThan(1.1);
      expect(xs.every((x) => Number.isInteger(x) && x >= 0)).toBe(true);
    }
  });

  it('draws negative binomial counts with variance mean + mean²/size', () => {
    const rng = new Random(8);
    const xs = Array.from({ length: 8000 }, () => rng.negativeBinomial(5, 2));
    expect(Math.abs(mean(xs) - 5)).toBeLessThan(0.2);
    expect(variance(xs)).toBeGreaterThan(0.85 * (5 + 25 / 2));
    expect(variance(xs)).toBeLessThan(1.15 * (5 + 25 / 2));
  });

  it('draws gamma variates with mean shape·scale, also for shape < 1', () => {
    const rng = new Random(9);
    expect(Math.abs(mean(Array.from({ length: 5000 }, () => rng.gamma(3, 2))) - 6)).toBeLessThan(0.15);
    expect(Math.abs(mean(Array.from({ length: 5000 }, () => rng.gamma(0.5, 1))) - 0.5)).toBeLessThan(0.05);
  });

  it('shuffles deterministically and keeps every element', () => {
    const a = new Random(3).shuffle([1, 2, 3, 4, 5, 6, 7, 8]);
    const b = new Random(3).shuffle([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(a).toEqual(b);
    expect([...a].sort()).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('computes ln Γ', () => {
    expect(logGamma(1)).toBeCloseTo(0, 10);
    expect(logGamma(5)).toBeCloseTo(Math.log(24), 10);
    expect(logGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 10);
  });
});
