import { Column, Entity, PrimaryColumn } from 'typeorm';

/** An EPCIS 2.0 named query (`POST /queries`): a SimpleEventQuery saved under a name in one organisation's space. */
@Entity({ name: 'named_queries' })
export class NamedQueryEntity {
  @PrimaryColumn({ name: 'organisation_id', type: 'uuid' })
  organisationId!: string;

  @PrimaryColumn({ type: 'text' })
  name!: string;

  /** The query parameters as the client gave them (validated when saved). */
  @Column({ type: 'jsonb' })
  query!: Record<string, unknown>;

  /** Whether the owner reads every publisher's events (a regulator) when the query runs without a caller. */
  @Column({ name: 'reads_everything', type: 'boolean', default: false })
  readsEverything!: boolean;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;
}
