import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { preparedQuery } from '@pedigree/database';
import { DataSource } from 'typeorm';

/** Reads state-trie nodes; the reader checks each against its key, so nothing here is trusted. */
@Injectable()
export class StateNodeRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async node(hexKey: string): Promise<Uint8Array | undefined> {
    const rows = await preparedQuery<{ node: Buffer }>(
      this.dataSource,
      'state-trie-node',
      `SELECT node FROM state_trie_nodes WHERE hash = decode($1, 'hex')`,
      [hexKey],
    );
    return rows[0]?.node;
  }
}
