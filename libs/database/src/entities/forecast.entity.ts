import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** A published demand forecast for one series (GTIN × region or GTIN × pharmacy) and one future period. */
@Entity({ name: 'forecasts' })
@Index('idx_forecasts_series', ['seriesId', 'modelVersion', 'periodStart'], { unique: true })
export class ForecastEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'series_id', type: 'text' })
  seriesId!: string;

  @Column({ type: 'char', length: 14 })
  gtin!: string;

  @Column({ type: 'text', nullable: true })
  region!: string | null;

  @Column({ type: 'text', nullable: true })
  pharmacy!: string | null;

  @Column({ name: 'period_start', type: 'date' })
  periodStart!: string;

  @Column({ type: 'integer' })
  horizon!: number;

  @Column({ type: 'double precision' })
  p50!: number;

  @Column({ type: 'double precision' })
  p10!: number;

  @Column({ type: 'double precision' })
  p90!: number;

  @Column({ name: 'p2_5', type: 'double precision' })
  p025!: number;

  @Column({ name: 'p97_5', type: 'double precision' })
  p975!: number;

  @Column({ type: 'text' })
  method!: string;

  @Column({ name: 'model_version', type: 'text' })
  modelVersion!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
