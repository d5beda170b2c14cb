import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { PedigreeConfig } from '@pedigree/config';
import { type AlertOutboxPayload, type AlertSeverityLevel, OutboxSeal } from '@pedigree/database';
import { DataSource, type EntityManager } from 'typeorm';

export interface AlertCandidate {
  dedupeKey: string;
  kind: string;
  severity: AlertSeverityLevel;
  score: number;
  epcs: string[];
  gtin: string | null;
  lot: string | null;
  summary: string;
  evidence: {
    eventHashes: string[];
    rules: string[];
    features?: Record<string, number>;
    models?: Record<string, string>;
    apiKeyId?: string;
  };
  orgIds: string[];
}

export interface StoredAlert extends AlertCandidate {
  id: string;
  status: 'open' | 'acknowledged' | 'resolved';
  occurrences: number;
  openedAt: Date;
  updatedAt: Date;
}

@Injectable()
export class AlertsRepository {
  /** Seals each opening for the ledger, which commits every identifier's alerts in the state map. */
  private readonly outbox: OutboxSeal;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    config: PedigreeConfig,
  ) {
    this.outbox = new OutboxSeal(config.ledgerOutboxSecret!);
  }

  /**
   * Opens an alert, or adds the new evidence to the open one with the same key (dedupe). A resolved alert that
   * fires again is reopened: the pattern came back.
   */
  async upsert(candidate: AlertCandidate): Promise<StoredAlert> {
    return this.dataSource.transaction(async (manager) => {
      const [before]: { status: string; epcs: string[] }[] = await manager.query(
        `SELECT status, epcs FROM alerts WHERE dedupe_key = $1 FOR UPDATE`,
        [candidate.dedupeKey],
      );
      const stored = await this.write(manager, candidate);
      // Only what changes an identifier's alerts goes on chain: an opening, a re-opening, new packs.
      if (!before || before.status !== stored.status || before.epcs.length !== stored.epcs.length) {
        await this.sealForLedger(manager, stored);
      }
      return stored;
    });
  }

  /**
   * Closes an unresolved alert the evidence no longer supports, with the note as intelligence's comment; like any change
   * of an identifier's alerts it goes to the ledger, so verification and the state map agree. Undefined when there is
   * no such alert or it is already resolved.
   */
  async closeByEvidence(dedupeKey: string, note: string): Promise<StoredAlert | undefined> {
    return this.dataSource.transaction(async (manager) => {
      const comment = { at: new Date().toISOString(), by: 'intelligence', action: 'resolve', text: note };
      const [rows]: [Record<string, unknown>[], number] = await manager.query(
        `UPDATE alerts SET status = 'resolved', comments = comments || $2::jsonb, updated_at = now()
          WHERE dedupe_key = $1 AND status <> 'resolved' RETURNING *`,
        [dedupeKey, JSON.stringify([comment])],
      );
      if (!rows[0]) return undefined;
      const stored = storedAlertOf(rows[0]);
      await this.sealForLedger(manager, stored);
      return stored;
    });
  }

  /** What changed in an identifier's alerts, sealed for the ledger to commit in the state map. */
  private async sealForLedger(manager: EntityManager, stored: StoredAlert): Promise<void> {
    const payload: AlertOutboxPayload = { alertId: stored.id, status: stored.status, epcs: stored.epcs };
    await this.outbox.write(manager, 'alert', payload);
  }

  private async write(manager: EntityManager, candidate: AlertCandidate): Promise<StoredAlert> {
    const rows: Record<string, unknown>[] = await manager.query(
      `INSERT INTO alerts (dedupe_key, kind, severity, status, score, epcs, gtin, lot, summary, evidence, org_ids)
       VALUES ($1, $2, $3, 'open', $4, $5, $6, $7, $8, $9, $10)
       ON CONFLICT (dedupe_key) DO UPDATE SET
         occurrences = alerts.occurrences + 1,
         score = GREATEST(alerts.score, EXCLUDED.score),
         severity = CASE WHEN array_position(ARRAY['low','medium','high','critical'], EXCLUDED.severity)
                            > array_position(ARRAY['low','medium','high','critical'], alerts.severity)
                         THEN EXCLUDED.severity ELSE alerts.severity END,
         status = CASE WHEN alerts.status = 'resolved' THEN 'open' ELSE alerts.status END,
         epcs = ARRAY(SELECT DISTINCT unnest(alerts.epcs || EXCLUDED.epcs)),
         -- A pattern fires again only with more packs, evidence or score: its latest sentence says the most (a
         -- grey-market run that grew from one week to three).
         summary = EXCLUDED.summary,
         org_ids = ARRAY(SELECT DISTINCT unnest(alerts.org_ids || EXCLUDED.org_ids)),
         -- COALESCE: jsonb_agg of no rows is NULL, and jsonb_set with NULL nulls the whole evidence (a repeat of an
         -- alert with no event hashes, as a grey-market run's next week, failed on the not-null constraint).
         evidence = jsonb_set(alerts.evidence, '{eventHashes}', COALESCE(
           (SELECT jsonb_agg(DISTINCT h) FROM jsonb_array_elements(
             -- Brackets: -> and || share a precedence, so without them this is ((a->'x') || b)->'x', i.e. NULL.
             COALESCE(alerts.evidence->'eventHashes', '[]'::jsonb) || COALESCE(EXCLUDED.evidence->'eventHashes', '[]'::jsonb)) h), '[]'::jsonb)),
         updated_at = now()
       RETURNING *`,
      [
        candidate.dedupeKey,
        candidate.kind,
        candidate.severity,
        candidate.score,
        candidate.epcs,
        candidate.gtin,
        candidate.lot,
        candidate.summary,
        JSON.stringify(candidate.evidence),
        candidate.orgIds,
      ],
    );
    return storedAlertOf(rows[0]!);
  }
}

function storedAlertOf(r: Record<string, unknown>): StoredAlert {
  return {
    id: r.id as string,
    dedupeKey: r.dedupe_key as string,
    kind: r.kind as string,
    severity: r.severity as AlertSeverityLevel,
    status: r.status as StoredAlert['status'],
    score: r.score as number,
    epcs: r.epcs as string[],
    gtin: r.gtin as string | null,
    lot: r.lot as string | null,
    summary: r.summary as string,
    evidence: r.evidence as StoredAlert['evidence'],
    orgIds: r.org_ids as string[],
    occurrences: r.occurrences as number,
    openedAt: r.opened_at as Date,
    updatedAt: r.updated_at as Date,
  };
}
