import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { PedigreeConfig } from '@pedigree/config';
import { type ModelOutboxPayload, OutboxSeal } from '@pedigree/database';
import { type ModelCard, modelCardDigest, type StoredWeights } from '@pedigree/common';
import { DataSource, type EntityManager } from 'typeorm';

export interface StoredModel {
  version: string;
  metadata: Record<string, unknown>;
  weights: StoredWeights;
  card: ModelCard | null;
}

/** Trained models with their cards; each card goes to the ledger (sealed) in the same transaction. */
@Injectable()
export class MlModelsRepository {
  private readonly outbox: OutboxSeal;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    config: PedigreeConfig,
  ) {
    this.outbox = new OutboxSeal(config.ledgerOutboxSecret!);
  }

  /** Saves a model and its card, and asks the ledger to anchor the card; a version saved before is left as it is. */
  async save(
    card: ModelCard,
    weights: StoredWeights,
    metadata: Record<string, unknown>,
    manager?: EntityManager,
  ): Promise<void> {
    if (!manager) return this.dataSource.transaction((m) => this.save(card, weights, metadata, m));
    const cardDigest = modelCardDigest(card);
    const inserted: unknown[] = await manager.query(
      `INSERT INTO ml_models (name, version, metadata, topology, weight_specs, weight_data) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (name, version) DO NOTHING RETURNING id`,
      [
        card.name,
        card.version,
        // The digest sent for anchoring stays beside the card: the API finds the anchor by it.
        JSON.stringify({ ...metadata, card, cardDigest }),
        JSON.stringify(weights.topology),
        JSON.stringify(weights.weightSpecs),
        weights.weightData,
      ],
    );
    if (inserted.length === 0) return;
    const payload: ModelOutboxPayload = { name: card.name, version: card.version, cardDigest };
    await this.outbox.write(manager, 'model', payload);
  }

  async latest(name: string): Promise<StoredModel | undefined> {
    const [row]: {
      version: string;
      metadata: Record<string, unknown> & { card?: ModelCard; cardDigest?: string };
      topology: object;
      weight_specs: unknown[];
      weight_data: Buffer;
    }[] = await this.dataSource.query(
      `SELECT version, metadata, topology, weight_specs, weight_data FROM ml_models WHERE name = $1 ORDER BY created_at DESC LIMIT 1`,
      [name],
    );
    if (!row) return undefined;
    const { card, cardDigest: _digest, ...metadata } = row.metadata;
    return {
      version: row.version,
      metadata,
      weights: { topology: row.topology, weightSpecs: row.weight_specs, weightData: row.weight_data },
      card: card ?? null,
    };
  }
}
