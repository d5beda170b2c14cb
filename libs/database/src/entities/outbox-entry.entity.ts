import type { StateLeaf } from '@pedigree/chain';
import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export type OutboxKind = 'anchor' | 'custody' | 'participant' | 'alert' | 'model';

export interface AnchorOutboxPayload {
  /** SHA-256 digests (hex) of the Event Hash IDs accepted in one ingest transaction. */
  eventHashes: string[];
  /** The state-map leaves of every identifier the transaction changed (absent in entries written before the map). */
  states?: StateLeaf[];
}

export interface CustodyOutboxPayload {
  action: 'ship' | 'receive';
  /** keccak256 of the consignment key, as the contract stores it. */
  consignmentId: string;
  /** The SSCC URN, or `lot:<lgtin>:<shipment event hash>` for unit-level shipments. */
  consignmentKey: string;
  fromParty: string | null;
  toParty: string | null;
  /** Organisations the parties resolved to at ingest time (null when a party is not a member). */
  fromOrgId: string | null;
  toOrgId: string | null;
  eventHash: string;
  eventTime: string;
}

/**
 * Marks on custody outbox entries set aside by the ledger: a handoff waiting for its self-custodied signer's
 * signature, and a later handoff of the same consignment waiting behind it. Both go back in the queue (mark
 * cleared) when the signature arrives or the earlier handoff settles.
 */
export const CUSTODY_OUTBOX_MARK = {
  awaitingSignature: 'custody:awaiting-signature',
  blocked: 'custody:blocked',
} as const;

/**
 * An alert opened, re-opened, acknowledged or resolved: the ledger commits each identifier's open and resolved
 * alerts in the state map and anchors the entry itself (its SHA-256 is a leaf of the batch).
 */
export interface AlertOutboxPayload {
  alertId: string;
  status: 'open' | 'acknowledged' | 'resolved';
  epcs: string[];
}

/**
 * A trained model's card: the ledger anchors the card's digest (a leaf of a batch, like an event), so
 * `pedigree audit model` can check the stored card and weights against the chain.
 */
export interface ModelOutboxPayload {
  name: string;
  version: string;
  /** SHA-256 (hex) of the card: `modelCardDigest` in libs/ml. */
  cardDigest: string;
}

export interface ParticipantOutboxPayload {
  /** `rekey`: the organisation registered its own custody address; the ledger moves its participant to it. */
  action: 'register' | 'update' | 'deactivate' | 'reactivate' | 'rekey';
  organisationId: string;
}

/**
 * Work for the ledger, written in the same transaction as the events it covers (transactional outbox): nothing
 * accepted is missed, and the ledger marks an entry done in the same transaction as its own records.
 */
@Entity({ name: 'ledger_outbox' })
@Index('idx_ledger_outbox_pending', ['kind', 'id'], { where: 'processed_at IS NULL' })
export class OutboxEntryEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ type: 'text' })
  kind!: OutboxKind;

  @Column({ type: 'jsonb' })
  payload!:
    | AnchorOutboxPayload
    | CustodyOutboxPayload
    | ParticipantOutboxPayload
    | AlertOutboxPayload
    | ModelOutboxPayload;

  /** HMAC of the writing service over kind and payload (see outbox-seal.ts); the ledger refuses a wrong one. */
  @Column({ type: 'bytea', nullable: true })
  seal!: Buffer | null;

  /** Events an `anchor` entry carries (0 for other kinds): the backlog is read from this, not the payload. */
  @Column({ name: 'event_count', type: 'integer', default: 0 })
  eventCount!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'processed_at', type: 'timestamptz', nullable: true })
  processedAt!: Date | null;

  /** Anchor batch or custody transfer that consumed the entry. */
  @Column({ name: 'processed_by', type: 'text', nullable: true })
  processedBy!: string | null;
}
