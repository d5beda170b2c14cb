import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * Aggregation history: child was inside parent from one event to another. Provenance of a pack includes the
 * events of every container it travelled in, during the time it was inside.
 */
@Entity({ name: 'containments' })
@Index('idx_containments_child', ['childEpc', 'fromTime'])
@Index('idx_containments_parent_open', ['parentEpc'], { where: 'to_time IS NULL' })
export class ContainmentEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'child_epc', type: 'text' })
  childEpc!: string;

  @Column({ name: 'parent_epc', type: 'text' })
  parentEpc!: string;

  @Column({ name: 'from_event_hash', type: 'bytea' })
  fromEventHash!: Buffer;

  @Column({ name: 'from_time', type: 'timestamptz' })
  fromTime!: Date;

  @Column({ name: 'to_event_hash', type: 'bytea', nullable: true })
  toEventHash!: Buffer | null;

  @Column({ name: 'to_time', type: 'timestamptz', nullable: true })
  toTime!: Date | null;
}
