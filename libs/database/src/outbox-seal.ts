import { canonicalJson } from '@pedigree/common';
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { OutboxKind } from './entities';

/**
 * The ledger anchors and registers only what Pedigree's own services wrote to its outbox. Each entry carries an
 * HMAC-SHA256 over its kind and its payload in RFC 8785 canonical JSON (jsonb reorders keys; canonical JSON makes
 * the bytes the same on both sides), keyed with LEDGER_OUTBOX_SECRET, which the services hold and the database
 * does not: a row inserted or edited by hand fails the check, and the ledger refuses and reports it.
 */
/** What runs a statement in the caller's transaction (a TypeORM EntityManager or QueryRunner). */
export interface TransactionQuery {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}

export class OutboxSeal {
  private readonly key: Buffer;

  constructor(secret: string) {
    this.key = Buffer.from(secret, 'utf8');
  }

  seal(kind: OutboxKind, payload: unknown): Buffer {
    const canonical = canonicalJson(payload);
    return createHmac('sha256', this.key).update(kind).update('\n').update(canonical).digest();
  }

  /** Writes a sealed entry in the caller's transaction: the ledger acts on it only if that transaction commits. */
  async write(manager: TransactionQuery, kind: OutboxKind, payload: unknown): Promise<void> {
    await manager.query(`INSERT INTO ledger_outbox (kind, payload, seal) VALUES ($1, $2, $3)`, [
      kind,
      JSON.stringify(payload),
      this.seal(kind, payload),
    ]);
  }

  verify(kind: OutboxKind, payload: unknown, seal: Buffer | null | undefined): boolean {
    if (!seal || seal.length !== 32) return false;
    return timingSafeEqual(this.seal(kind, payload), seal);
  }
}
