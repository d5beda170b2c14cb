import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export type AlertSeverityLevel = 'low' | 'medium' | 'high' | 'critical';
export type AlertLifecycle = 'open' | 'acknowledged' | 'resolved';

export interface AlertComment {
  at: string;
  by: string;
  action: 'acknowledge' | 'resolve' | 'reopen' | 'comment';
  text: string;
}

/** A suspected counterfeit pattern, with the evidence behind it and its handling by people. */
@Entity({ name: 'alerts' })
@Index('idx_alerts_status', ['status', 'severity', 'updatedAt'])
@Index('idx_alerts_epcs', { synchronize: false })
export class AlertEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** Same pattern on the same subject updates one alert instead of opening another. */
  @Column({ name: 'dedupe_key', type: 'text', unique: true })
  dedupeKey!: string;

  @Column({ type: 'text' })
  kind!: string;

  @Column({ type: 'text' })
  severity!: AlertSeverityLevel;

  @Column({ type: 'text' })
  status!: AlertLifecycle;

  @Column({ type: 'double precision' })
  score!: number;

  @Column({ type: 'text', array: true })
  epcs!: string[];

  @Column({ type: 'char', length: 14, nullable: true })
  gtin!: string | null;

  @Column({ type: 'text', nullable: true })
  lot!: string | null;

  @Column({ type: 'text' })
  summary!: string;

  @Column({ type: 'jsonb' })
  evidence!: { eventHashes: string[]; rules: string[]; features?: Record<string, number> };

  @Column({ type: 'integer', default: 1 })
  occurrences!: number;

  /** Organisations concerned (publisher, custodian), for per-organisation visibility. */
  @Column({ name: 'org_ids', type: 'uuid', array: true, default: () => "'{}'" })
  orgIds!: string[];

  @Column({ type: 'jsonb', default: () => "'[]'" })
  comments!: AlertComment[];

  @CreateDateColumn({ name: 'opened_at', type: 'timestamptz' })
  openedAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
