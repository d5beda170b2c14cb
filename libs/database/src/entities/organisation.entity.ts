import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const ORGANISATION_ROLES = ['manufacturer', 'distributor', 'dispenser', 'regulator'] as const;
export type OrganisationRole = (typeof ORGANISATION_ROLES)[number];

export type ChainRegistrationStatus = 'pending' | 'registered' | 'failed';

/** A consortium member: a manufacturer, a distributor (wholesaler, 3PL), a dispenser (pharmacy) or a regulator. */
@Entity({ name: 'organisations' })
export class OrganisationEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text', unique: true })
  name!: string;

  @Column({ type: 'text' })
  role!: OrganisationRole;

  /** GS1 Company Prefixes the organisation may publish for (its products, its SSCCs). */
  @Column({ name: 'company_prefixes', type: 'text', array: true, default: () => "'{}'" })
  companyPrefixes!: string[];

  /** GLNs of its locations and of itself as a party (13 digits). */
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  glns!: string[];

  /** Market or region it serves (ISO 3166 country or a planning region), for demand forecasting. */
  @Column({ type: 'text', nullable: true })
  region!: string | null;

  /** Where it operates (WGS 84), for impossible-travel checks between its sites and others. */
  @Column({ type: 'double precision', nullable: true })
  latitude!: number | null;

  @Column({ type: 'double precision', nullable: true })
  longitude!: number | null;

  /**
   * `platform`: the ledger's custody keystore holds its custody key (at `chainAccountIndex`); `own`: it registered
   * its own address and signs its handoffs itself.
   */
  @Column({ name: 'custody_key', type: 'text', default: 'platform' })
  custodyKey!: 'platform' | 'own';

  /** The address it registered with `custodyKey = own` (proved by its signature), until the ledger rebinds it. */
  @Column({ name: 'own_custody_address', type: 'text', nullable: true })
  ownCustodyAddress!: string | null;

  /** Index of its custody account in the ledger's custody keystore. */
  @Column({ name: 'chain_account_index', type: 'integer', unique: true })
  chainAccountIndex!: number;

  /** Its participant address on chain (its custody key), filled in by the ledger when it registers it. */
  @Column({ name: 'chain_address', type: 'text', unique: true, nullable: true })
  chainAddress!: string | null;

  @Column({ name: 'chain_status', type: 'text', default: 'pending' })
  chainStatus!: ChainRegistrationStatus;

  @Column({ name: 'chain_tx_hash', type: 'text', nullable: true })
  chainTxHash!: string | null;

  /** Lower-case addresses whose EIP-712 signature on a document makes this member its publisher. */
  @Column({ name: 'signing_addresses', type: 'text', array: true, default: () => "'{}'" })
  signingAddresses!: string[];

  /** Its SCRAM account on the Kafka broker (the password is shown once at creation, never stored here). */
  @Column({ name: 'kafka_username', type: 'text', unique: true, nullable: true })
  kafkaUsername!: string | null;

  @Column({ type: 'boolean', default: true })
  active!: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
