import type { AnomalyKind } from './anomaly.types';
import { LruMap } from './lru-map';

/**
 * Kinds where the event is the incident, however many packs it names: a receipt of seven packs nobody shipped there
 * is one custody break, and a copied lot commissioned in one event one mismatch. Raised per pack, the inbox held
 * seven alerts for one thing to look into. Unknown serials stay per pack: a late commissioning takes back one serial.
 */
const BY_EVENT: ReadonlySet<AnomalyKind> = new Set(['custody_break', 'lot_mismatch', 'expiry_mismatch']);

export interface EventIncident {
  subject: string;
  epcs: string[];
}

/** The packs each event's incident has named so far, per kind (bounded; checkpointed with the detector). */
export class EventIncidents {
  private readonly incidents = new LruMap<string, string[]>(100_000);

  /** The finding's incident, grown by its packs; undefined for kinds alerted per subject. */
  note(kind: AnomalyKind, eventHash: string | undefined, epcs: readonly string[]): EventIncident | undefined {
    if (!BY_EVENT.has(kind) || eventHash === undefined) return undefined;
    const subject = `event:${eventHash}`;
    const key = `${kind}:${subject}`;
    const grown = [...new Set([...(this.incidents.get(key) ?? []), ...epcs])];
    this.incidents.set(key, grown);
    return { subject, epcs: grown };
  }

  snapshot(): [string, string[]][] {
    return [...this.incidents.entries()];
  }

  restore(entries: readonly [string, string[]][]): void {
    for (const [key, epcs] of entries) this.incidents.set(key, epcs);
  }
}
