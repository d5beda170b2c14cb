import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** One organisation's statement about an identifier, with its name. */
export interface MasterDataStatement {
  vocabularyType: string;
  id: string;
  organisationId: string;
  organisationName: string | null;
  authoritative: boolean;
  attributes: Record<string, unknown>;
  children: string[];
  updatedAt: Date;
}

@Injectable()
export class MasterDataRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Every statement about these identifiers, the owner's first, then the latest. */
  statements(ids: string[], authoritativeOnly = false): Promise<MasterDataStatement[]> {
    return this.dataSource.query(
      `SELECT m.vocabulary_type AS "vocabularyType", m.id, m.organisation_id AS "organisationId",
              o.name AS "organisationName", m.authoritative, m.attributes, m.children, m.updated_at AS "updatedAt"
         FROM master_data m LEFT JOIN organisations o ON o.id = m.organisation_id
        WHERE m.id = ANY($1) AND (NOT $2 OR m.authoritative)
        ORDER BY m.authoritative DESC, m.updated_at DESC
        LIMIT 100`,
      [ids, authoritativeOnly],
    ) as Promise<MasterDataStatement[]>;
  }
}
