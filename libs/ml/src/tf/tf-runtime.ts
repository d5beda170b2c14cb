/**
 * Loads TensorFlow.js once per process with the fastest backend that works here: the native binding
 * (`@tensorflow/tfjs-node`, an optional dependency whose install downloads libtensorflow and so is often
 * absent), else the WebAssembly backend, else the pure-JS cpu backend. Also saves and loads layers models
 * to and from plain objects, since plain tfjs has no file:// handler in Node.
 */
import { dirname } from 'node:path';
import type * as TfNamespace from '@tensorflow/tfjs';

export type Tf = typeof TfNamespace;
export type TfBackendName = 'tensorflow' | 'wasm' | 'cpu';

export interface TfRuntime {
  tf: Tf;
  backend: TfBackendName;
}

export interface LoadTfOptions {
  /**
   * Force a backend (tests pin 'cpu' or 'wasm' so results do not depend on what is installed).
   * Defaults to the backend forced by an earlier call (intelligence forces `PEDIGREE_TF_BACKEND` at start-up), else
   * the first of tensorflow → wasm → cpu that loads.
   */
  backend?: TfBackendName;
}

let loading: Promise<TfRuntime> | undefined;
let loadedWith: TfBackendName | undefined;

/** Loads tfjs once; later calls return the same runtime (switching backends when another one is forced). */
export async function loadTf(options: LoadTfOptions = {}): Promise<TfRuntime> {
  const forced = options.backend;
  if (loading && (forced === undefined || forced === loadedWith)) return loading;
  loading = initialise(forced);
  try {
    const runtime = await loading;
    loadedWith = runtime.backend;
    return runtime;
  } catch (error) {
    loading = undefined;
    throw error;
  }
}

async function initialise(forced: TfBackendName | undefined): Promise<TfRuntime> {
  const order: TfBackendName[] = forced ? [forced] : ['tensorflow', 'wasm', 'cpu'];
  const failures: string[] = [];
  for (const backend of order) {
    try {
      const tf = await tryBackend(backend);
      if (tf) return { tf, backend };
      failures.push(`${backend}: not available`);
    } catch (error) {
      failures.push(`${backend}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  throw new Error(`No TensorFlow.js backend could be initialised (${failures.join('; ')})`);
}

async function tryBackend(backend: TfBackendName): Promise<Tf | undefined> {
  switch (backend) {
    case 'tensorflow': {
      // A variable module name keeps TypeScript and bundlers from resolving a package that may be absent.
      const nodeBindingName = '@tensorflow/tfjs-node';
      const tf = (await import(nodeBindingName)) as Tf;
      return (await tf.setBackend('tensorflow')) ? tf : undefined;
    }
    case 'wasm': {
      const tf = await import('@tensorflow/tfjs');
      const wasm = await import('@tensorflow/tfjs-backend-wasm');
      // In Node the .wasm binaries sit next to the package's main file; without a path it would fetch a URL.
      wasm.setWasmPaths(`${dirname(require.resolve('@tensorflow/tfjs-backend-wasm'))}/`);
      const ok = await tf.setBackend('wasm');
      await tf.ready();
      return ok ? tf : undefined;
    }
    case 'cpu': {
      const tf = await import('@tensorflow/tfjs');
      const ok = await tf.setBackend('cpu');
      await tf.ready();
      return ok ? tf : undefined;
    }
  }
}

/** Facts stored with every saved model so a forecast can be traced back to what produced it. */
export interface ModelMetadata {
  /** Version of the model family (bumped when features or outputs change incompatibly). */
  version: string;
  /** First and last period (ISO dates) of the data the model was trained on. */
  dataWindow: { start: string; end: string; series: number };
  trainedAt: string;
  trainingSeconds: number;
  backend: TfBackendName;
  metrics: Record<string, number>;
  /** Anything the model family needs to rebuild its inputs (feature layout, scaling, calibration). */
  [extra: string]: unknown;
}

/** A layers model as a JSON-safe object (weights base64-encoded) or with the raw weights as a Buffer. */
export interface ModelArtifact<M extends ModelMetadata = ModelMetadata> {
  format: 'pedigree-tfjs-layers/1';
  topology: object;
  weightSpecs: TfNamespace.io.WeightsManifestEntry[];
  /** Base64 string when the artifact is meant for JSON, a Buffer when kept in memory or written raw. */
  weightData: string | Buffer;
  metadata: M;
}

/** Serialises a layers model through `tf.io.withSaveHandler` (no filesystem involved). */
export async function saveModel<M extends ModelMetadata>(
  model: TfNamespace.LayersModel,
  metadata: M,
  options: { encoding?: 'base64' | 'buffer' } = {},
): Promise<ModelArtifact<M>> {
  const { tf } = await loadTf();
  let captured: TfNamespace.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler((artifacts) => {
      captured = artifacts;
      return Promise.resolve({
        modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' },
      });
    }),
  );
  if (!captured?.modelTopology || !captured.weightSpecs || captured.weightData === undefined) {
    throw new Error('tfjs returned incomplete model artifacts');
  }
  const weights = Buffer.from(
    Array.isArray(captured.weightData)
      ? tf.io.concatenateArrayBuffers(captured.weightData)
      : captured.weightData,
  );
  return {
    format: 'pedigree-tfjs-layers/1',
    topology: captured.modelTopology as object,
    weightSpecs: captured.weightSpecs,
    weightData: options.encoding === 'buffer' ? weights : weights.toString('base64'),
    metadata,
  };
}

/** Rebuilds a layers model from `saveModel` output (via `tf.io.fromMemory`). */
export async function loadModel(artifact: ModelArtifact): Promise<TfNamespace.LayersModel> {
  if (artifact.format !== 'pedigree-tfjs-layers/1') {
    throw new Error(`Unsupported model artifact format: ${String(artifact.format)}`);
  }
  const { tf } = await loadTf();
  const bytes =
    typeof artifact.weightData === 'string'
      ? Buffer.from(artifact.weightData, 'base64')
      : artifact.weightData;
  // Copy into a fresh ArrayBuffer: a Buffer may be a view into a larger shared pool.
  const weightData = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  return tf.loadLayersModel(
    tf.io.fromMemory({ modelTopology: artifact.topology, weightSpecs: artifact.weightSpecs, weightData }),
  );
}
