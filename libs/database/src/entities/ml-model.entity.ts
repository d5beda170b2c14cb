import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** A trained TF.js model with its metadata (data window, metrics, version), saved through tf.io handlers. */
@Entity({ name: 'ml_models' })
@Index('idx_ml_models_name_version', ['name', 'version'], { unique: true })
export class MlModelEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  version!: string;

  @Column({ type: 'jsonb' })
  metadata!: Record<string, unknown>;

  @Column({ type: 'jsonb' })
  topology!: Record<string, unknown>;

  @Column({ name: 'weight_specs', type: 'jsonb' })
  weightSpecs!: unknown[];

  @Column({ name: 'weight_data', type: 'bytea' })
  weightData!: Buffer;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
