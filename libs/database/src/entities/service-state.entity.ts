import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** A service's checkpoint (e.g. the anomaly detector's state and the offsets it covers), gzip-compressed JSON. */
@Entity({ name: 'service_state' })
export class ServiceStateEntity {
  @PrimaryColumn({ type: 'text' })
  key!: string;

  @Column({ type: 'bytea' })
  state!: Buffer;

  /** Kafka offsets (topic/partition → next offset) the state includes. */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  offsets!: Record<string, string>;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
