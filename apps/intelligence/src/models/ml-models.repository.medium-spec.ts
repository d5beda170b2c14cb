import {
  codeVersion,
  type ModelCard,
  modelCardDigest,
  type StoredWeights,
  weightsHash,
} from '@pedigree/common';
import { loadConfig } from '@pedigree/config';
import { dataSourceOptions, type ModelOutboxPayload, OutboxSeal } from '@pedigree/database';
import { createTestContext, database, type TestContext } from '@pedigree/testing';
import type { Client } from 'pg';
import { DataSource } from 'typeorm';
import { MlModelsRepository } from './ml-models.repository';

const NAME = 'anomaly-shipment';

function weights(byte: number): StoredWeights {
  return {
    topology: { layers: [{ units: 4, activation: 'relu' }] },
    weightSpecs: [{ name: 'dense/kernel', shape: [2, 2], dtype: 'float32' }],
    weightData: Buffer.from([byte, 2, 3, 4]),
  };
}

function card(version: string, stored: StoredWeights): ModelCard {
  return {
    v: 1,
    name: NAME,
    version,
    weightsHash: weightsHash(stored),
    trainingSetHash: 'ab'.repeat(32),
    trainingItems: 2,
    trainingSource: { simulator: 'benign-network', seed: 2026, scale: 'tiny', family: 'shipment' },
    codeVersion: codeVersion(),
    hyperParameters: { epochs: 3 },
    metrics: { threshold: 0.4 },
    trainedAt: version,
  };
}

/**
 * Trained models against a real, migrated PostgreSQL: the artefact comes back byte for byte with its card, and
 * each new card reaches the ledger's outbox, sealed, in the same transaction.
 */
describe('MlModelsRepository (PostgreSQL)', () => {
  let context: TestContext;
  let dataSource: DataSource;
  let db: Client;
  let repository: MlModelsRepository;
  let seal: OutboxSeal;
  const first = weights(1);
  const firstCard = card('2026-12-06T00:00:00.000Z', first);

  const outbox = async () =>
    (
      await db.query<{ payload: ModelOutboxPayload; seal: Buffer }>(
        `SELECT payload, seal FROM ledger_outbox WHERE kind = 'model' ORDER BY id`,
      )
    ).rows;

  beforeAll(async () => {
    context = await createTestContext('ml models', { deployContracts: false });
    dataSource = new DataSource(dataSourceOptions(context.config));
    await dataSource.initialize();
    db = await database(context.config);
    const config = loadConfig('intelligence', context.env);
    repository = new MlModelsRepository(dataSource, config);
    seal = new OutboxSeal(config.ledgerOutboxSecret!);
  });

  afterAll(async () => {
    await db?.end();
    await dataSource?.destroy();
    await context?.cleanup();
  });

  it('finds no model of a name never saved', async () => {
    expect(await repository.latest(NAME)).toBeUndefined();
  });

  it('saves a model with its card and reads it back, and asks the ledger to anchor the card', async () => {
    await repository.save(firstCard, first, { threshold: 0.4 });
    expect(await repository.latest(NAME)).toEqual({
      version: firstCard.version,
      metadata: { threshold: 0.4 },
      weights: first,
      card: firstCard,
    });
    const cardDigest = modelCardDigest(firstCard);
    const { rows } = await db.query<{ digest: string }>(
      `SELECT metadata->>'cardDigest' AS digest FROM ml_models WHERE name = $1`,
      [NAME],
    );
    expect(rows).toEqual([{ digest: cardDigest }]);
    const entries = await outbox();
    expect(entries.map((e) => e.payload)).toEqual([{ name: NAME, version: firstCard.version, cardDigest }]);
    expect(seal.verify('model', entries[0]!.payload, entries[0]!.seal)).toBe(true);
  });

  it('leaves a version saved before as it is, and anchors its card once', async () => {
    await repository.save(firstCard, weights(9), { threshold: 0.9 });
    expect((await repository.latest(NAME))?.metadata).toEqual({ threshold: 0.4 });
    expect((await repository.latest(NAME))?.weights.weightData).toEqual(first.weightData);
    expect(await outbox()).toHaveLength(1);
  });

  it('reads the newest version of the name asked for', async () => {
    const second = weights(2);
    const secondCard = card('2026-12-07T00:00:00.000Z', second);
    await repository.save(secondCard, second, { threshold: 0.5 });
    await repository.save(
      { ...card('2026-12-08T00:00:00.000Z', second), name: 'anomaly-pharmacy-week' },
      second,
      {},
    );
    expect(await repository.latest(NAME)).toMatchObject({ version: secondCard.version, card: secondCard });
    expect((await repository.latest('anomaly-pharmacy-week'))?.version).toBe('2026-12-08T00:00:00.000Z');
  });

  it('writes nothing when the caller’s transaction rolls back', async () => {
    const third = weights(3);
    await expect(
      dataSource.transaction(async (manager) => {
        await repository.save(card('2026-12-09T00:00:00.000Z', third), third, {}, manager);
        throw new Error('the caller failed after saving');
      }),
    ).rejects.toThrow('the caller failed after saving');
    expect((await repository.latest(NAME))?.version).toBe('2026-12-07T00:00:00.000Z');
    expect(await outbox()).toHaveLength(3);
  });
});
