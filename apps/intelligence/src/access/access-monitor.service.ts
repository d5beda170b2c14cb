import { Injectable, Logger } from '@nestjs/common';
import { counter } from '@pedigree/common';
import type { VerificationAccessMessage } from '@pedigree/messaging';
import { type HarvestingFinding, HarvestingDetector } from '@pedigree/ml';
import { AlertOutbox } from '../alerts/alert-outbox.service';
import type { AlertCandidate } from '../alerts/alerts.repository';

const observed = counter(
  'pedigree_intelligence_verifications_observed_total',
  'member verifications examined',
);

/** The alert for a harvesting key: one per key (an incident), for its organisation and the consortium's overseers. */
export function harvestingAlert(finding: HarvestingFinding): AlertCandidate {
  return {
    dedupeKey: `verification_harvesting:${finding.apiKeyId}`,
    kind: 'verification_harvesting',
    severity: finding.severity,
    score: finding.severity === 'high' ? 0.95 : 0.7,
    epcs: [],
    gtin: finding.gtins.length === 1 ? finding.gtins[0]! : null,
    lot: null,
    summary: finding.summary,
    evidence: {
      eventHashes: [],
      rules: finding.signals,
      features: { ...finding.features },
      apiKeyId: finding.apiKeyId,
    },
    orgIds: [finding.organisationId],
  };
}

/**
 * Reads the verifications members' keys ask for (`verification.access.v1`) and raises an alert when a key harvests
 * serials. The API reads the open alerts back and puts rate pressure on the key until someone resolves it.
 */
@Injectable()
export class AccessMonitorService {
  private readonly logger = new Logger(AccessMonitorService.name);
  private readonly detector = new HarvestingDetector();

  constructor(private readonly alerts: AlertOutbox) {}

  /** Next offset to count, per partition: a batch retried after a failed alert write is not counted twice. */
  private readonly counted = new Map<number, bigint>();

  /** A slice of one partition, in offset order (bad JSON already dropped). */
  async observe(
    partition: number,
    batch: { offset: string; message: VerificationAccessMessage }[],
  ): Promise<void> {
    const from = this.counted.get(partition) ?? -1n;
    const fresh = batch.filter((entry) => BigInt(entry.offset) >= from);
    if (batch.length > 0) this.counted.set(partition, BigInt(batch[batch.length - 1]!.offset) + 1n);
    await this.score(fresh.map((entry) => entry.message));
  }

  private async score(messages: VerificationAccessMessage[]): Promise<void> {
    const findings: HarvestingFinding[] = [];
    for (const message of messages) {
      observed.inc();
      const finding = this.detector.observe({ ...message, at: Date.parse(message.at) });
      if (finding) findings.push(finding);
    }
    if (findings.length === 0) return;
    for (const finding of findings) {
      this.logger.warn(`API key ${finding.apiKeyId}: ${finding.signals.join(', ')} (${finding.severity})`);
    }
    await this.alerts.send(
      findings.map((finding) => ({ action: 'open', candidate: harvestingAlert(finding) }) as const),
    );
  }
}
