import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { NamedQueryEntity } from '@pedigree/database';
import { DataSource } from 'typeorm';

const COLUMNS = `organisation_id AS "organisationId", name, query, reads_everything AS "readsEverything",
  created_at AS "createdAt"`;

@Injectable()
export class NamedQueriesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** False when the organisation already has a query of that name. */
  async insert(row: Omit<NamedQueryEntity, 'createdAt'>): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `INSERT INTO named_queries (organisation_id, name, query, reads_everything) VALUES ($1, $2, $3, $4)
       ON CONFLICT DO NOTHING RETURNING name`,
      [row.organisationId, row.name, JSON.stringify(row.query), row.readsEverything],
    );
    return rows.length === 1;
  }

  list(organisationId: string): Promise<NamedQueryEntity[]> {
    return this.dataSource.query(
      `SELECT ${COLUMNS} FROM named_queries WHERE organisation_id = $1 ORDER BY name`,
      [organisationId],
    );
  }

  async get(organisationId: string, name: string): Promise<NamedQueryEntity | undefined> {
    const rows: NamedQueryEntity[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM named_queries WHERE organisation_id = $1 AND name = $2`,
      [organisationId, name],
    );
    return rows[0];
  }

  /** Deletes the query and, by the foreign key, its subscriptions. */
  async delete(organisationId: string, name: string): Promise<boolean> {
    const [, count] = (await this.dataSource.query(
      `DELETE FROM named_queries WHERE organisation_id = $1 AND name = $2`,
      [organisationId, name],
    )) as [unknown, number];
    return count > 0;
  }
}
