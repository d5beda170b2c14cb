import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { counter } from '@pedigree/common';
import { PedigreeConfig } from '@pedigree/config';
import { type AlertMessage, createKafka, Topics, TypedProducer } from '@pedigree/messaging';
import { AlertWordingService } from './alert-wording.service';
import { type AlertCandidate, AlertsRepository, type StoredAlert } from './alerts.repository';

const alertsRaised = counter('pedigree_intelligence_alerts_total', 'alerts opened or updated', [
  'kind',
  'severity',
]);

const alertsClosed = counter(
  'pedigree_intelligence_alerts_closed_total',
  'alerts closed by intelligence because later evidence no longer supports them',
  ['kind'],
);

export function toAlertMessage(alert: StoredAlert): AlertMessage {
  return {
    schemaVersion: 1,
    alertId: alert.id,
    dedupeKey: alert.dedupeKey,
    kind: alert.kind,
    severity: alert.severity,
    status: alert.status,
    score: alert.score,
    epcs: alert.epcs,
    gtin: alert.gtin ?? undefined,
    lot: alert.lot ?? undefined,
    summary: alert.summary,
    evidence: alert.evidence,
    occurrences: alert.occurrences,
    orgIds: alert.orgIds,
    openedAt: alert.openedAt.toISOString(),
    updatedAt: alert.updatedAt.toISOString(),
  };
}

/**
 * The one way intelligence raises alerts: worded for people (products and places named), stored (deduplicated, sealed
 * for the ledger), then published on `alerts.v1`.
 */
@Injectable()
export class AlertPublisher implements OnApplicationShutdown {
  private producer?: TypedProducer;

  constructor(
    private readonly config: PedigreeConfig,
    private readonly alerts: AlertsRepository,
    private readonly wording: AlertWordingService,
  ) {}

  /** Closes the open alert with this key because the evidence no longer supports it, saying why; then publishes it. */
  async close(dedupeKey: string, note: string): Promise<StoredAlert | undefined> {
    const alert = await this.alerts.closeByEvidence(dedupeKey, note);
    if (!alert) return undefined;
    alertsClosed.inc({ kind: alert.kind });
    this.producer ??= new TypedProducer(createKafka(this.config, 'intelligence-alerts'), this.config);
    await this.producer.send(Topics.alerts, [{ key: alert.dedupeKey, value: toAlertMessage(alert) }]);
    return alert;
  }

  async raise(candidates: AlertCandidate[]): Promise<StoredAlert[]> {
    if (candidates.length === 0) return [];
    const stored: StoredAlert[] = [];
    for (const candidate of await this.wording.word(candidates)) {
      const alert = await this.alerts.upsert(candidate);
      alertsRaised.inc({ kind: alert.kind, severity: alert.severity });
      stored.push(alert);
    }
    this.producer ??= new TypedProducer(createKafka(this.config, 'intelligence-alerts'), this.config);
    await this.producer.send(
      Topics.alerts,
      stored.map((alert) => ({ key: alert.dedupeKey, value: toAlertMessage(alert) })),
    );
    return stored;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.producer?.disconnect();
  }
}
