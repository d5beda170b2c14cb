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

/** A statement that may name something for a reader: the owner's, or the reader's own organisation's. */
export interface NamingStatement {
  id: string;
  organisationId: string;
  authoritative: boolean;
  attributes: Record<string, unknown>;
  updatedAt: Date;
}

/** A GLN and the name of the member registered with it. */
export interface RegisteredGln {
  gln: string;
  name: string;
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

  /**
   * What may name these identifiers for a reader, for a whole response at once (two queries side by side): the
   * owners' statements and the reader's own (never another member's view; without a reader, the owners' only), and
   * the members registered with these GLNs.
   */
  async naming(
    ids: string[],
    glns: string[],
    readerOrganisationId: string | undefined,
  ): Promise<{ statements: NamingStatement[]; registered: RegisteredGln[] }> {
    const [statements, registered] = await Promise.all([
      ids.length === 0
        ? []
        : (this.dataSource.query(
            `SELECT id, organisation_id AS "organisationId", authoritative, attributes, updated_at AS "updatedAt"
               FROM master_data
              WHERE id = ANY($1) AND (authoritative OR organisation_id = $2::uuid)`,
            [ids, readerOrganisationId ?? null],
          ) as Promise<NamingStatement[]>),
      glns.length === 0
        ? []
        : (this.dataSource.query(
            `SELECT g.gln, o.name FROM organisations o CROSS JOIN LATERAL unnest(o.glns) AS g(gln)
              WHERE o.glns && $1::text[] AND g.gln = ANY($1)`,
            [glns],
          ) as Promise<RegisteredGln[]>),
    ]);
    return { statements, registered };
  }
}
