import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** Facts the ledger remembers about the chain it writes to (genesis hash, deployment), to notice a reset. */
@Entity({ name: 'chain_state' })
export class ChainStateEntity {
  @PrimaryColumn({ type: 'text' })
  key!: string;

  @Column({ type: 'jsonb' })
  value!: Record<string, unknown>;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
