import { Random } from '../../random/mulberry32';
import { AutoencoderScorer, survival, trainAutoencoder } from './feature-autoencoder.model';

const FEATURES = ['kind_a', 'kind_b', 'size', 'ratio', 'cover'];

/** Two kinds of correlated, benign vectors. */
function benign(n: number, seed: number): number[][] {
  const rng = new Random(seed);
  return Array.from({ length: n }, () => {
    const a = rng.bernoulli(0.7) ? 1 : 0;
    const size = a ? rng.normal(2, 0.3) : rng.normal(5, 0.4);
    const ratio = rng.normal(0, 0.3);
    return [a, 1 - a, size, ratio, size * 0.5 + ratio + rng.normal(0, 0.1)];
  });
}

const train = (seed: number) =>
  trainAutoencoder({
    family: 'shipment',
    featureNames: FEATURES,
    vectors: benign(400, 3),
    strata: ['kind_a', 'kind_b'],
    config: { seed, epochs: 8, batchSize: 32, hidden: 8, bottleneck: 2, prior: 0.01 },
    backend: 'wasm',
    dataWindow: { start: '2025-01-06', end: '2025-03-31' },
    now: () => new Date('2025-04-01T00:00:00Z'),
  });

describe('feature autoencoder (wasm)', () => {
  const probe = [
    [1, 0, 2, 0, 1], // ordinary
    [0, 1, 5.1, 0.2, 2.7], // ordinary, other kind
    [1, 0, 2, 4, 5], // ratio and cover far out
  ];

  it('trains deterministically on the wasm backend and ranks an outlier above ordinary vectors', async () => {
    const first = await train(7);
    const second = await train(7);
    expect(first.metadata.backend).toBe('wasm');
    const a = first.scoreBatch(probe);
    const b = second.scoreBatch(probe);
    expect(a.map((r) => r.error)).toEqual(b.map((r) => r.error));
    expect(a[2]!.score).toBeGreaterThan(0.5);
    expect(a[2]!.score).toBeGreaterThan(a[0]!.score);
    expect(a[2]!.score).toBeGreaterThan(a[1]!.score);
    // The outlier's error sits in the features that moved.
    const top = a[2]!.contributions.indexOf(Math.max(...a[2]!.contributions));
    expect(['ratio', 'cover']).toContain(FEATURES[top]);
    expect(a[0]!.contributions.reduce((s, v) => s + v, 0)).toBeCloseTo(1);
    first.dispose();
    second.dispose();
  });

  it('saves and loads through the tf runtime with its metadata, scoring identically', async () => {
    const model = await train(11);
    const artifact = await model.save();
    const restored = await AutoencoderScorer.load(JSON.parse(JSON.stringify(artifact)) as typeof artifact);
    expect(restored.metadata).toEqual(model.metadata);
    expect(restored.metadata.trainedAt).toBe('2025-04-01T00:00:00.000Z');
    expect(restored.metadata.strata.features).toEqual([0, 1]);
    expect(restored.scoreBatch(probe)).toEqual(model.scoreBatch(probe));
    expect(restored.score(probe[2]!)).toEqual(model.score(probe[2]!));
    model.dispose();
    restored.dispose();
  });

  it('calibrates a survival function that falls through the body and the exponential tail', () => {
    const calibration = { quantiles: [0, 1, 2], levels: [0, 0.5, 0.9], q90: 2, tailMean: 1 };
    expect(survival(calibration, 0)).toBe(1);
    expect(survival(calibration, 1)).toBeCloseTo(0.5);
    expect(survival(calibration, 2)).toBeCloseTo(0.1);
    expect(survival(calibration, 4)).toBeCloseTo(0.1 * Math.exp(-2));
  });

  it('refuses too little data', async () => {
    await expect(
      trainAutoencoder({
        family: 'shipment',
        featureNames: FEATURES,
        vectors: benign(5, 1),
        backend: 'wasm',
      }),
    ).rejects.toThrow(/at least 20/);
  });
});
