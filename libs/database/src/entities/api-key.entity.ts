import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * An organisation's API key. Only a SHA-256 hash of the secret is stored: keys are 256-bit random values, so a
 * fast hash is enough (slow password hashes protect low-entropy secrets) and keeps verification at 1k req/s cheap.
 */
@Entity({ name: 'api_keys' })
@Index('idx_api_keys_org', ['organisationId'])
export class ApiKeyEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'organisation_id', type: 'uuid' })
  organisationId!: string;

  /** Public lookup part of the key (`pdg_<prefix>_<secret>`), shown in listings. */
  @Column({ name: 'key_prefix', type: 'text', unique: true })
  keyPrefix!: string;

  @Column({ name: 'key_hash', type: 'bytea' })
  keyHash!: Buffer;

  @Column({ type: 'text' })
  label!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;
}
