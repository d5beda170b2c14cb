import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';

/** The state trie's nodes and the state roots the ledger committed, in PostgreSQL. */
@Injectable()
export class StateMapRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async node(hexKey: string): Promise<Uint8Array | undefined> {
    const [row]: { node: Buffer }[] = await this.dataSource.query(
      `SELECT node FROM state_trie_nodes WHERE hash = decode($1, 'hex')`,
      [hexKey],
    );
    return row?.node;
  }

  /** Several nodes in one round trip (hex key → node). */
  async nodes(hexKeys: string[]): Promise<Map<string, Uint8Array>> {
    const rows: { key: string; node: Buffer }[] = await this.dataSource.query(
      `SELECT encode(hash, 'hex') AS key, node FROM state_trie_nodes
        WHERE hash = ANY(ARRAY(SELECT decode(k, 'hex') FROM unnest($1::text[]) AS k))`,
      [hexKeys],
    );
    return new Map(rows.map((r) => [r.key, r.node]));
  }

  async saveNodes(manager: EntityManager, nodes: Map<string, Uint8Array>): Promise<void> {
    if (nodes.size === 0) return;
    await manager.query(
      `INSERT INTO state_trie_nodes (hash, node)
       SELECT decode(h, 'hex'), n FROM unnest($1::text[], $2::bytea[]) AS t(h, n)
       ON CONFLICT (hash) DO NOTHING`,
      [[...nodes.keys()], [...nodes.values()].map((n) => Buffer.from(n))],
    );
  }

  /** The state root of the newest batch: where the ledger's map stands. */
  async latestRoot(): Promise<string | null> {
    const [row]: { state_root: Buffer }[] = await this.dataSource.query(
      `SELECT state_root FROM anchor_batches WHERE state_root IS NOT NULL ORDER BY id DESC LIMIT 1`,
    );
    return row ? `0x${row.state_root.toString('hex')}` : null;
  }

  async hasRoot(root: string): Promise<boolean> {
    const [row]: { found: boolean }[] = await this.dataSource.query(
      `SELECT EXISTS (SELECT 1 FROM anchor_batches WHERE state_root = decode($1, 'hex')) AS found`,
      [root.replace(/^0x/, '')],
    );
    return row.found;
  }
}
