import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * An alert change intelligence could never write (the database or the broker refused it for what it is, not for
 * being down). Kept with the reason instead of stalling the stream behind it, for an operator to look at.
 */
@Entity({ name: 'set_aside_alerts' })
export class SetAsideAlertEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'dedupe_key', type: 'text' })
  dedupeKey!: string;

  /** `open` (a candidate to raise) or `close` (a resolution note). */
  @Column({ type: 'text' })
  action!: 'open' | 'close';

  /** The change exactly as intelligence tried to write it. */
  @Column({ type: 'jsonb' })
  payload!: Record<string, unknown>;

  /** What refused it: error code (SQLSTATE or broker error) and message. */
  @Column({ type: 'text' })
  reason!: string;

  @CreateDateColumn({ name: 'set_aside_at', type: 'timestamptz' })
  setAsideAt!: Date;
}
