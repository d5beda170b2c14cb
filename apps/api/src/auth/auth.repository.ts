import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { OrganisationRole } from '@pedigree/database';
import { DataSource } from 'typeorm';

export interface ApiKeyRecord {
  keyId: string;
  keyHash: Buffer;
  organisationId: string;
  organisationName: string;
  role: OrganisationRole;
  companyPrefixes: string[];
  glns: string[];
}

@Injectable()
export class AuthRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The active key with this prefix, joined with its active organisation. */
  findActiveKey(prefix: string): Promise<ApiKeyRecord | undefined> {
    return this.findOne('k.key_prefix = $1', prefix);
  }

  /** The active key with this id (a stream ticket names its key by id). */
  findActiveKeyById(id: string): Promise<ApiKeyRecord | undefined> {
    return this.findOne('k.id = $1', id);
  }

  private async findOne(where: string, value: string): Promise<ApiKeyRecord | undefined> {
    const rows: {
      key_id: string;
      key_hash: Buffer;
      organisation_id: string;
      name: string;
      role: OrganisationRole;
      company_prefixes: string[];
      glns: string[];
    }[] = await this.dataSource.query(
      `SELECT k.id AS key_id, k.key_hash, o.id AS organisation_id, o.name, o.role, o.company_prefixes, o.glns
         FROM api_keys k JOIN organisations o ON o.id = k.organisation_id
        WHERE ${where} AND k.revoked_at IS NULL AND o.active`,
      [value],
    );
    const row = rows[0];
    if (!row) return undefined;
    return {
      keyId: row.key_id,
      keyHash: row.key_hash,
      organisationId: row.organisation_id,
      organisationName: row.name,
      role: row.role,
      companyPrefixes: row.company_prefixes,
      glns: row.glns,
    };
  }
}
