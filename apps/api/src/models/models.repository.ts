import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { ModelCard } from '@pedigree/common';
import { DataSource } from 'typeorm';

/** Where a card's digest was anchored, without the proof: what a list of models shows. */
export interface ModelAnchorStatus {
  batchId: string;
  leafIndex: number;
  merkleRoot: string;
  status: string;
  transactionHash: string | null;
  blockNumber: number | null;
}

export interface ModelAnchorRow extends ModelAnchorStatus {
  proof: string[];
}

interface AnchorQueryRow {
  digest: string;
  batch_id: string;
  leaf_index: number;
  merkle_root: Buffer;
  proof: string[];
  status: string;
  tx_hash: string | null;
  block_number: string | null;
}

const ANCHOR_QUERY = `SELECT encode(ea.event_hash, 'hex') AS digest, ea.batch_id, ea.leaf_index, b.merkle_root, ea.proof,
       b.status, b.tx_hash, b.block_number
  FROM event_anchors ea JOIN anchor_batches b ON b.id = ea.batch_id`;

function anchorRow(row: AnchorQueryRow): ModelAnchorRow {
  return {
    batchId: String(row.batch_id),
    leafIndex: row.leaf_index,
    merkleRoot: `0x${row.merkle_root.toString('hex')}`,
    proof: row.proof,
    status: row.status,
    transactionHash: row.tx_hash,
    blockNumber: row.block_number === null ? null : Number(row.block_number),
  };
}

export interface ModelRow {
  name: string;
  version: string;
  createdAt: Date;
  card: ModelCard | null;
  cardDigest: string | null;
}

/** Trained models, their cards and the anchors of the cards. */
@Injectable()
export class ModelsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async list(): Promise<ModelRow[]> {
    return this.rows(`ORDER BY created_at DESC LIMIT 200`, []);
  }

  async get(name: string, version: string): Promise<ModelRow | undefined> {
    return (await this.rows(`WHERE name = $1 AND version = $2`, [name, version]))[0];
  }

  private async rows(where: string, params: string[]): Promise<ModelRow[]> {
    const rows: {
      name: string;
      version: string;
      created_at: Date;
      card: ModelCard | null;
      digest: string | null;
    }[] = await this.dataSource.query(
      `SELECT name, version, created_at, metadata->'card' AS card, metadata->>'cardDigest' AS digest
         FROM ml_models ${where}`,
      params,
    );
    return rows.map((r) => ({
      name: r.name,
      version: r.version,
      createdAt: r.created_at,
      card: r.card,
      cardDigest: r.digest,
    }));
  }

  async weights(
    name: string,
    version: string,
  ): Promise<
    | { topology: object; weightSpecs: unknown[]; weightData: Buffer; trainingSet: unknown[] | null }
    | undefined
  > {
    const [row]: {
      topology: object;
      weight_specs: unknown[];
      weight_data: Buffer;
      training_set: unknown[] | null;
    }[] = await this.dataSource.query(
      `SELECT topology, weight_specs, weight_data, metadata->'trainingSeries' AS training_set
         FROM ml_models WHERE name = $1 AND version = $2`,
      [name, version],
    );
    return (
      row && {
        topology: row.topology,
        weightSpecs: row.weight_specs,
        weightData: row.weight_data,
        trainingSet: row.training_set,
      }
    );
  }

  /** Where a digest was anchored: its batch root, Merkle proof and transaction. */
  async anchorOf(digest: string): Promise<ModelAnchorRow | undefined> {
    const [row]: AnchorQueryRow[] = await this.dataSource.query(
      `${ANCHOR_QUERY} WHERE ea.event_hash = decode($1, 'hex')`,
      [digest],
    );
    return row && anchorRow(row);
  }

  /** The anchors of many digests in one query (digest → anchor, proofs left out), for the list of models. */
  async anchorsOf(digests: string[]): Promise<Map<string, ModelAnchorStatus>> {
    if (digests.length === 0) return new Map();
    const rows: AnchorQueryRow[] = await this.dataSource.query(
      `${ANCHOR_QUERY} WHERE ea.event_hash IN (SELECT decode(d, 'hex') FROM unnest($1::text[]) AS d)`,
      [digests],
    );
    return new Map(
      rows.map((row) => {
        const { proof: _proof, ...status } = anchorRow(row);
        return [row.digest, status];
      }),
    );
  }
}
