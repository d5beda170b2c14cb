import { loadModel, loadTf, saveModel, type ModelMetadata } from './tf-runtime';

const metadata: ModelMetadata = {
  version: 'test/1',
  dataWindow: { start: '2024-01-01', end: '2024-06-24', series: 1 },
  trainedAt: '2024-07-01T00:00:00.000Z',
  trainingSeconds: 0,
  backend: 'cpu',
  metrics: { loss: 0.5 },
};

describe('tf runtime', () => {
  it('loads tfjs with a working backend (the native binding is absent here)', async () => {
    const { tf, backend } = await loadTf();
    expect(['tensorflow', 'wasm', 'cpu']).toContain(backend);
    expect(tf.getBackend()).toBe(backend);
    expect(Array.from(tf.tidy(() => tf.add(tf.tensor1d([1, 2]), 1).dataSync()))).toEqual([2, 3]);
  });

  it.each(['base64', 'buffer'] as const)(
    'round-trips a model through saveModel/loadModel (%s weights)',
    async (encoding) => {
      const { tf } = await loadTf();
      const model = tf.sequential();
      model.add(
        tf.layers.dense({
          units: 3,
          inputShape: [4],
          activation: 'relu',
          kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }),
        }),
      );
      model.add(tf.layers.dense({ units: 2, kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }));
      const artifact = await saveModel(model, metadata, { encoding });
      const restored = await loadModel(
        encoding === 'base64' ? JSON.parse(JSON.stringify(artifact)) : artifact,
      );
      const x = tf.tensor2d([
        [1, 2, 3, 4],
        [-1, 0.5, 2, 0],
      ]);
      expect(Array.from((restored.predict(x) as import('@tensorflow/tfjs').Tensor).dataSync())).toEqual(
        Array.from((model.predict(x) as import('@tensorflow/tfjs').Tensor).dataSync()),
      );
      expect(artifact.metadata).toEqual(metadata);
      model.dispose();
      restored.dispose();
      x.dispose();
    },
  );
});
