import type { AnomalyKind } from './anomaly.types';
import { LruMap } from './lru-map';

/**
 * Kinds where the event is the incident, however many packs it names: a receipt of seven packs nobody shipped there
 * is one custody break, and a copied lot commissioned in one event one mismatch. Raised per pack, the inbox held
 * seven alerts for one thing to look into. Unknown serials are grouped by place and product instead (`SerialIncidents`).
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

/** Unknown serials of one product at one site this close together (event time) are one incident. */
const SERIAL_WINDOW_MS = 24 * 3_600_000;

export interface SerialIncident {
  subject: string;
  place: string;
  epcs: string[];
  last: number;
}

/**
 * Never-commissioned serials of one product at one site within a day of each other are one incident: a counterfeit
 * batch sold over an afternoon, where an alert per pack gave the inbox three alerts for one thing to look into. The
 * incident keeps its first pack as subject, so a lone serial's alert is keyed as before. A pack commissioned late (a
 * late upload) leaves its incident, which closes; the packs left form a new one, under a key of its own.
 */
export class SerialIncidents {
  private readonly incidents = new LruMap<string, SerialIncident>(100_000);
  /** The latest incident per `site|gtin`, and the incident of each pack. */
  private readonly latest = new LruMap<string, string>(100_000);
  private readonly ofPack = new LruMap<string, string>(500_000);

  note(epc: string, site: string | undefined, gtin: string | undefined, at: number): EventIncident {
    const known = this.incidentOf(epc);
    if (known) return { subject: known.subject, epcs: [...known.epcs] };
    const place = `${site ?? '?'}|${gtin ?? '?'}`;
    const latestSubject = this.latest.get(place);
    const current = latestSubject === undefined ? undefined : this.incidents.get(latestSubject);
    if (site !== undefined && current && Math.abs(at - current.last) <= SERIAL_WINDOW_MS) {
      current.epcs.push(epc);
      current.last = Math.max(current.last, at);
      this.ofPack.set(epc, current.subject);
      return { subject: current.subject, epcs: [...current.epcs] };
    }
    this.open({ subject: epc, place, epcs: [epc], last: at });
    return { subject: epc, epcs: [epc] };
  }

  /**
   * Takes a pack out of its incident: the incident it was in (to close), and the one its other packs now form (to
   * raise again), if any.
   */
  take(epc: string): { closed: string; rest?: EventIncident & { site?: string } } | undefined {
    const incident = this.incidentOf(epc);
    if (!incident) return undefined;
    this.incidents.delete(incident.subject);
    this.ofPack.delete(epc);
    const epcs = incident.epcs.filter((e) => e !== epc);
    if (epcs.length === 0) return { closed: incident.subject };
    // A key of its own: alerts are stored by key and their packs only ever grow, so reusing the closed one would bring
    // the genuine pack back. Along a chain of splits the count falls, so "first pack + others" never repeats.
    const rest = { ...incident, subject: `${epcs[0]!}+${epcs.length - 1}`, epcs };
    this.open(rest);
    const site = incident.place.slice(0, incident.place.indexOf('|'));
    return {
      closed: incident.subject,
      rest: { subject: rest.subject, epcs: [...epcs], ...(site === '?' ? {} : { site }) },
    };
  }

  snapshot(): SerialIncident[] {
    return [...this.incidents.entries()].map(([, incident]) => incident);
  }

  restore(incidents: readonly SerialIncident[]): void {
    for (const incident of incidents) this.open(structuredClone(incident));
  }

  private open(incident: SerialIncident): void {
    this.incidents.set(incident.subject, incident);
    this.latest.set(incident.place, incident.subject);
    for (const e of incident.epcs) this.ofPack.set(e, incident.subject);
  }

  private incidentOf(epc: string): SerialIncident | undefined {
    const subject = this.ofPack.get(epc);
    const incident = subject === undefined ? undefined : this.incidents.get(subject);
    return incident?.epcs.includes(epc) ? incident : undefined;
  }
}
