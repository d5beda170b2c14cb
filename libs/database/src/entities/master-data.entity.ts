import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * EPCIS master data (a VocabularyElement) as one organisation stated it: a product class's name and strength, a
 * location's name and address. Captured from the header of EPCIS documents (JSON or XML). Only the owner of the
 * identifier (the company prefix of a product class, the GLN of a location) is authoritative; what others say about
 * it is kept beside, marked, and never shown as the truth.
 */
@Entity({ name: 'master_data' })
@Index('idx_master_data_id', ['id'])
export class MasterDataEntity {
  @PrimaryColumn({ name: 'vocabulary_type', type: 'text' })
  vocabularyType!: string;

  @PrimaryColumn({ type: 'text' })
  id!: string;

  @PrimaryColumn({ name: 'organisation_id', type: 'uuid' })
  organisationId!: string;

  @Column({ type: 'boolean' })
  authoritative!: boolean;

  /** Attribute IRI (CURIEs expanded) → value as captured. */
  @Column({ type: 'jsonb' })
  attributes!: Record<string, unknown>;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  children!: string[];

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}
