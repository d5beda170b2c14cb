import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  ApiKeyEntity,
  OrganisationEntity,
  OutboxEntryEntity,
  OutboxSeal,
  type ParticipantOutboxPayload,
} from '@pedigree/database';
import { DataSource, type EntityManager, IsNull } from 'typeorm';
import { PedigreeConfig } from '@pedigree/config';

/** First HD-wallet index handed to organisations; lower ones are the consortium admin and the anchorer. */
export const FIRST_ORGANISATION_ACCOUNT_INDEX = 10;

@Injectable()
export class AdminRepository {
  /** Seals participant work for the ledger, which refuses outbox entries nobody sealed. */
  private readonly outbox: OutboxSeal;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    config: PedigreeConfig,
  ) {
    this.outbox = new OutboxSeal(config.ledgerOutboxSecret!);
  }

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  findOrganisation(id: string): Promise<OrganisationEntity | null> {
    return this.dataSource.getRepository(OrganisationEntity).findOneBy({ id });
  }

  listOrganisations(): Promise<OrganisationEntity[]> {
    return this.dataSource.getRepository(OrganisationEntity).find({ order: { createdAt: 'ASC' } });
  }

  /** Names, prefixes or GLNs already held by another organisation. */
  async conflicts(
    manager: EntityManager,
    name: string,
    prefixes: string[],
    glns: string[],
  ): Promise<{ name: boolean; prefixes: string[]; glns: string[] }> {
    const rows: { name: string; company_prefixes: string[]; glns: string[] }[] = await manager.query(
      `SELECT name, company_prefixes, glns FROM organisations
        WHERE lower(name) = lower($1) OR company_prefixes && $2::text[] OR glns && $3::text[]`,
      [name, prefixes, glns],
    );
    return {
      name: rows.some((r) => r.name.toLowerCase() === name.toLowerCase()),
      prefixes: prefixes.filter((p) => rows.some((r) => r.company_prefixes.includes(p))),
      glns: glns.filter((g) => rows.some((r) => r.glns.includes(g))),
    };
  }

  async nextAccountIndex(manager: EntityManager): Promise<number> {
    // Serialises concurrent creations: each organisation gets its own signing account.
    await manager.query(`LOCK TABLE organisations IN SHARE ROW EXCLUSIVE MODE`);
    const [row]: { next: number }[] = await manager.query(
      `SELECT GREATEST(COALESCE(MAX(chain_account_index) + 1, $1), $1) AS next FROM organisations`,
      [FIRST_ORGANISATION_ACCOUNT_INDEX],
    );
    return Number(row.next);
  }

  saveOrganisation(
    manager: EntityManager,
    organisation: Partial<OrganisationEntity>,
  ): Promise<OrganisationEntity> {
    return manager
      .getRepository(OrganisationEntity)
      .save(manager.getRepository(OrganisationEntity).create(organisation));
  }

  enqueueParticipant(manager: EntityManager, payload: ParticipantOutboxPayload): Promise<unknown> {
    return manager
      .getRepository(OutboxEntryEntity)
      .insert({ kind: 'participant', payload, seal: this.outbox.seal('participant', payload) });
  }

  insertApiKey(key: Partial<ApiKeyEntity>): Promise<ApiKeyEntity> {
    const repository = this.dataSource.getRepository(ApiKeyEntity);
    return repository.save(repository.create(key));
  }

  async revokeApiKey(id: string): Promise<boolean> {
    const result = await this.dataSource
      .getRepository(ApiKeyEntity)
      .update({ id, revokedAt: IsNull() }, { revokedAt: new Date() });
    return (result.affected ?? 0) > 0;
  }

  async setSigningAddresses(id: string, change: { add?: string; remove?: string }): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `WITH changed AS (
         UPDATE organisations
            SET signing_addresses = array(
                  SELECT DISTINCT a FROM unnest(array_append(signing_addresses, $2::text)) a
                   WHERE a IS NOT NULL AND a IS DISTINCT FROM $3::text)
          WHERE id = $1 RETURNING id)
       SELECT id FROM changed`,
      [id, change.add ?? null, change.remove ?? null],
    );
    return rows.length > 0;
  }

  async setKafkaUsername(manager: EntityManager, id: string, username: string): Promise<void> {
    await manager.getRepository(OrganisationEntity).update({ id }, { kafkaUsername: username });
  }

  async setActive(manager: EntityManager, id: string, active: boolean): Promise<boolean> {
    const result = await manager.getRepository(OrganisationEntity).update({ id }, { active });
    return (result.affected ?? 0) > 0;
  }
}
