import { canonicalJson } from '../json/canonical-json';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * A trained model's card: what it is, what it learned from and how well it did. Its digest is anchored on chain by
 * the ledger (a leaf of an EventAnchor batch, like an event), so anyone holding the stored artefacts can recompute
 * every hash here and check the card against the chain: weights that were swapped, or a card edited to claim other
 * data or better metrics, no longer match.
 */
export interface ModelCard {
  /** Card format. */
  v: 1;
  /** Model family, e.g. `anomaly-shipment`, `demand-forecaster`. */
  name: string;
  version: string;
  /** SHA-256 (hex) of the stored artefact: canonical topology, canonical weight specs, raw weights. */
  weightsHash: string;
  /** SHA-256 (hex) of the exact training set: one canonical JSON line per training item, in training order. */
  trainingSetHash: string;
  trainingItems: number;
  /** Where the training set came from, enough to rebuild it (e.g. a simulator seed and scale). */
  trainingSource: Record<string, unknown>;
  /** `pedigree@<package version>`: the code that trained it. */
  codeVersion: string;
  hyperParameters: Record<string, unknown>;
  metrics: Record<string, number>;
  trainedAt: string;
}

/** The stored form of a model's weights (what `ml_models` keeps). */
export interface StoredWeights {
  topology: object;
  weightSpecs: unknown[];
  weightData: Buffer;
}

const sha256 = () => createHash('sha256');

export function weightsHash(weights: StoredWeights): string {
  return sha256()
    .update('pedigree-model-weights/1\n')
    .update(canonicalJson(weights.topology))
    .update('\n')
    .update(canonicalJson(weights.weightSpecs))
    .update('\n')
    .update(weights.weightData)
    .digest('hex');
}

/** Hash of a training set, item by item (streamed: a set may hold hundreds of thousands of feature vectors). */
export function trainingSetHash(items: Iterable<unknown>): { hash: string; items: number } {
  const hash = sha256().update('pedigree-training-set/1\n');
  let count = 0;
  for (const item of items) {
    hash.update(canonicalJson(item)).update('\n');
    count++;
  }
  return { hash: hash.digest('hex'), items: count };
}

/** What the ledger anchors for a card: SHA-256 of its kind and canonical JSON (hex), like an alert transition. */
export function modelCardDigest(card: ModelCard): string {
  return sha256().update('model\n').update(canonicalJson(card)).digest('hex');
}

/** The fields of a card that the artefacts contradict, each said plainly (empty: the card matches). */
export function checkModelCard(
  card: ModelCard,
  artefacts: { weights: StoredWeights; trainingSet?: Iterable<unknown> },
): string[] {
  const problems: string[] = [];
  const weights = weightsHash(artefacts.weights);
  if (weights !== card.weightsHash)
    problems.push(`the stored weights hash to ${weights}, the card says ${card.weightsHash}`);
  if (artefacts.trainingSet) {
    const rebuilt = trainingSetHash(artefacts.trainingSet);
    if (rebuilt.hash !== card.trainingSetHash || rebuilt.items !== card.trainingItems)
      problems.push(
        `the rebuilt training set (${rebuilt.items} items) hashes to ${rebuilt.hash}, the card says ${card.trainingSetHash} (${card.trainingItems} items)`,
      );
  }
  return problems;
}

/** `pedigree@<version>` of the code running, from the nearest package.json named `pedigree` above this file. */
export function codeVersion(): string {
  let dir = __dirname;
  for (;;) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'pedigree') return `pedigree@${pkg.version}`;
    }
    const parent = dirname(dir);
    if (parent === dir) return 'pedigree@unknown';
    dir = parent;
  }
}
