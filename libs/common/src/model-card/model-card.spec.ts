import {
  checkModelCard,
  codeVersion,
  type ModelCard,
  modelCardDigest,
  trainingSetHash,
  weightsHash,
} from './model-card';

const weights = {
  topology: { layers: [{ units: 4 }] },
  weightSpecs: [{ name: 'w', shape: [2, 2] }],
  weightData: Buffer.from([1, 2, 3, 4]),
};
const trainingSet = [
  [0.1, 2],
  [3, 4.5],
];

function card(): ModelCard {
  const set = trainingSetHash(trainingSet);
  return {
    v: 1,
    name: 'anomaly-shipment',
    version: '2026-12-06T00:00:00.000Z',
    weightsHash: weightsHash(weights),
    trainingSetHash: set.hash,
    trainingItems: set.items,
    trainingSource: { simulator: 'benign-network', seed: 2026, scale: 'small', family: 'shipment' },
    codeVersion: codeVersion(),
    hyperParameters: { epochs: 30 },
    metrics: { threshold: 0.4 },
    trainedAt: '2026-12-06T00:00:00.000Z',
  };
}

describe('model cards', () => {
  it('match the artefacts they were made from', () => {
    expect(checkModelCard(card(), { weights, trainingSet })).toEqual([]);
    expect(card().codeVersion).toMatch(/^pedigree@\d+\.\d+\.\d+/);
  });

  it('name a swapped weight, topology or training item', () => {
    const swapped = { ...weights, weightData: Buffer.from([1, 2, 3, 5]) };
    expect(checkModelCard(card(), { weights: swapped })).toEqual([
      expect.stringMatching(/stored weights hash to/),
    ]);
    const reshaped = { ...weights, topology: { layers: [{ units: 5 }] } };
    expect(checkModelCard(card(), { weights: reshaped })).toHaveLength(1);
    expect(checkModelCard(card(), { weights, trainingSet: [trainingSet[0]!, [3, 4.6]] })).toEqual([
      expect.stringMatching(/rebuilt training set \(2 items\) hashes to/),
    ]);
    expect(checkModelCard(card(), { weights, trainingSet: trainingSet.slice(1) })).toHaveLength(1);
  });

  it('digest changes with any field of the card, and not with key order', () => {
    const base = modelCardDigest(card());
    expect(modelCardDigest({ ...card(), metrics: { threshold: 0.41 } })).not.toBe(base);
    expect(modelCardDigest({ ...card(), codeVersion: 'pedigree@9.9.9' })).not.toBe(base);
    const reordered = Object.fromEntries(Object.entries(card()).reverse()) as unknown as ModelCard;
    expect(modelCardDigest(reordered)).toBe(base);
    expect(base).toMatch(/^[0-9a-f]{64}$/);
  });
});
