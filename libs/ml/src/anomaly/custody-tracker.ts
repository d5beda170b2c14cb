/**
 * The detector's own custody view: where every pack and container is, built from everything parties claim —
 * events ingest accepted AND events inside dead-lettered documents (a refused receipt is still someone saying
 * "I have this"). Engine flags and dead-letter codes are hints; decisions come from this view, reasoned in event
 * time, because late uploads reorder what arrives: an earlier-dated event arriving late must not look like a
 * reappearance, and a pack that seems to be in two places may be explained by a pick list that arrives hours late.
 *
 * Findings that late data could still explain (clone, custody break) wait in a pending list for a grace period
 * of arrival time; the others are final when observed.
 */
import { StreamClock } from './stream-clock';
import type { AnomalyKind } from './anomaly.types';
import { judgeDisplacement } from './detectors/displacement.detector';
import {
  DEFAULT_TRAVEL_LIMITS,
  impossibleLeg,
  type TravelLimits,
} from './detectors/impossible-travel.detector';
import { ilmdMismatch } from './detectors/lot-expiry.detector';
import { judgeReobservation } from './detectors/reappearance.detector';
import { explainAsScanError } from './detectors/unknown-serial.detector';
import { LruMap } from './lru-map';
import type { SiteDirectory } from './site-directory';

/**
 * Refusals that still say someone handled the pack: a wholesaler repacking a dispensed pack is refused as not its
 * holder (after ingest's wait for a transfer), yet the attempt is what a reappearance looks like.
 */
const HANDLING_REFUSALS = new Set(['RULE_NOT_HOLDER', 'RULE_INACTIVE_PACK', 'RULE_ALREADY_DISPENSED']);

function countsAsReobservation(o: Observation): boolean {
  return o.source === 'accepted' || o.rules.some((rule) => HANDLING_REFUSALS.has(rule));
}

export type StepKind =
  'commission' | 'pack' | 'unpack' | 'ship' | 'receive' | 'dispense' | 'decommission' | 'other';

/** One event as the tracker sees it, from an accepted event or from a dead-lettered document. */
export interface Observation {
  source: 'accepted' | 'rejected';
  eventHash: string;
  eventType: string;
  action?: string;
  bizStep?: string;
  disposition?: string;
  /** Event time, ms. */
  time: number;
  /** When Pedigree got it (record time or rejection time), ms: the clock of grace periods. */
  recordTime: number;
  site?: string;
  objects: string[];
  parent?: string;
  children: string[];
  destination?: string;
  origin?: string;
  lot?: string;
  expiry?: string;
  /** Rule codes: flags on accepted events, the blocking rule on the refused event of a dead letter. */
  rules: string[];
  publisherOrgId?: string;
}

export interface Finding {
  kind: AnomalyKind;
  subject: string;
  epcs: string[];
  eventHashes: string[];
  rules: string[];
  orgIds: string[];
  summary: string;
  observedAt: number;
  gtin?: string;
  lot?: string;
  /** Where it was seen, for kinds grouped by place (unknown serials). */
  site?: string;
  /** Raised on evidence still coming in (a week not yet ended): raised again, restated, once it is complete. */
  provisional?: boolean;
}

interface Transit {
  from?: string;
  to?: string;
  at: number;
  hash: string;
}

interface Claim {
  site: string;
  at: number;
  subject: string;
}

/** Per-identifier state (pack or container), JSON-safe for checkpoints. */
export interface ItemRecord {
  container?: boolean;
  gtin?: string;
  lot?: string;
  expiry?: string;
  commissioned?: boolean;
  commissionHash?: string;
  parent?: string;
  children?: string[];
  site?: string;
  transit?: Transit;
  /** Event time of the last location change (older events do not move the item back). */
  locAt: number;
  unpacked?: { site: string; at: number };
  terminal?: { kind: 'dispensed' | 'decommissioned'; site?: string; at: number; hash: string };
  /** Receipts attempted where the item was not shipped to. */
  claims?: Claim[];
  /** Alert subjects this item is already part of, by kind. */
  flagged?: Partial<Record<AnomalyKind, string>>;
  /** Arrival time of the last update (TTL). */
  seen: number;
}

export interface PendingSuspicion {
  key: string;
  kind: 'cloned_serial' | 'custody_break';
  subject: string;
  site: string;
  at: number;
  /** Arrival time after which it is decided whatever the stream's event time says. */
  expiresAt: number;
  /**
   * Decided earlier once the stream's event time has moved a grace period on from when the suspicion arrived (or from
   * its own event, when that is earlier), and
   * it has waited `arrivalFloorMs` of arrival time (a replayed or compressed history moves event time fast; the
   * floor covers partitions consumed at different paces). Absent in snapshots from before this rule.
   */
  eventExpiresAt?: number;
  arrivalFloor?: number;
  epcs: string[];
  eventHashes: string[];
  rules: string[];
  orgIds: string[];
  summary: string;
  /** For a refused receipt: explained once the subject turns out to have been shipped to `site`. */
  receipt: boolean;
}

export interface TrackerOptions {
  maxItems: number;
  /** Items not updated for this long (arrival time) are forgotten. */
  itemTtlMs: number;
  graceMs: number;
  /** The least arrival time a suspicion waits even when event time has moved past its grace period. */
  arrivalFloorMs: number;
  travel: TravelLimits;
}

export const DEFAULT_TRACKER_OPTIONS: TrackerOptions = {
  maxItems: 2_000_000,
  itemTtlMs: 400 * 86_400_000,
  graceMs: 48 * 3_600_000,
  // A backfill of last month's events arrives within minutes: its own explanations come with it.
  arrivalFloorMs: 5 * 60_000,
  travel: DEFAULT_TRAVEL_LIMITS,
};

/** Shipments whose contents are known: what the shipment feature extractor scores. */
export interface ShipmentFact {
  subject: string;
  from?: string;
  to?: string;
  at: number;
  hash: string;
  packs: string[];
}

export interface TrackerSnapshot {
  items: [string, ItemRecord][];
  pending: PendingSuspicion[];
  clock: number;
  eventClock?: number;
  /** The stream clock's window (absent in snapshots from before it: the event clock stands in). */
  streamTimes?: number[];
  explainedAsScanError: number;
  resolvedAsBenign: number;
}

const MAX_DEPTH = 6;

export class CustodyTracker {
  readonly items: LruMap<string, ItemRecord>;
  private pending = new Map<string, PendingSuspicion>();
  /** Latest arrival time seen. */
  clock = 0;
  /** Latest event time seen (accepted events; a clock-skewed publisher is bounded by ingest's future tolerance). */
  eventClock = 0;
  /** Where the stream is in event time: what a suspicion's grace period runs on (see StreamClock). */
  private readonly stream = new StreamClock();
  explainedAsScanError = 0;
  resolvedAsBenign = 0;
  /** Shipments waiting for their contents (the pick list may arrive after the dispatch). */
  private readonly shipmentsAwaitingContents = new Map<string, ShipmentFact>();

  constructor(
    private readonly sites: SiteDirectory,
    private readonly options: TrackerOptions = DEFAULT_TRACKER_OPTIONS,
    private readonly onShipment?: (shipment: ShipmentFact) => void,
  ) {
    this.items = new LruMap(options.maxItems);
  }

  // ── classification ────────────────────────────────────────────────────────────────────────────
  static stepOf(o: Pick<Observation, 'eventType' | 'action' | 'bizStep' | 'disposition'>): StepKind {
    if (o.eventType === 'AggregationEvent')
      return o.action === 'ADD' ? 'pack' : o.action === 'DELETE' ? 'unpack' : 'other';
    if (o.eventType !== 'ObjectEvent') return 'other';
    if (o.action === 'ADD') return 'commission';
    const step = o.bizStep;
    if (step === 'shipping' || (o.disposition === 'in_transit' && step !== 'receiving')) return 'ship';
    if (step === 'receiving' || step === 'accepting') return 'receive';
    if (step === 'dispensing' || o.disposition === 'dispensed') return 'dispense';
    if (
      step === 'decommissioning' ||
      step === 'destroying' ||
      o.action === 'DELETE' ||
      o.disposition === 'inactive'
    ) {
      return 'decommission';
    }
    return 'other';
  }

  // ── the view ──────────────────────────────────────────────────────────────────────────────────
  private record(epc: string, at: number): ItemRecord {
    let rec = this.items.get(epc);
    if (!rec) {
      rec = {
        locAt: Number.NEGATIVE_INFINITY,
        seen: at,
        ...(epc.startsWith('urn:epc:id:sscc:') ? { container: true } : {}),
      };
      const gtin = gtinOfSgtin(epc);
      if (gtin) rec.gtin = gtin;
      this.items.set(epc, rec);
    }
    rec.seen = Math.max(rec.seen, at);
    return rec;
  }

  /** Where an item is: its outermost known container decides. */
  locate(epc: string): { site?: string; transit?: Transit; top: string; locAt: number } {
    let top = epc;
    let rec = this.items.peek(epc);
    for (let depth = 0; rec?.parent && depth < MAX_DEPTH; depth++) {
      const parent = this.items.peek(rec.parent);
      if (!parent) break;
      top = rec.parent;
      rec = parent;
    }
    if (!rec) return { top, locAt: Number.NEGATIVE_INFINITY };
    return {
      ...(rec.site ? { site: rec.site } : {}),
      ...(rec.transit ? { transit: rec.transit } : {}),
      top,
      locAt: rec.locAt,
    };
  }

  /** Serialised packs (SGTINs) inside a container, at any depth, or the pack itself. */
  packsOf(epc: string): string[] {
    const out: string[] = [];
    const stack: [string, number][] = [[epc, 0]];
    const seen = new Set<string>();
    while (stack.length > 0) {
      const [id, depth] = stack.pop()!;
      if (seen.has(id)) continue;
      seen.add(id);
      if (id.startsWith('urn:epc:id:sgtin:')) out.push(id);
      const children = this.items.peek(id)?.children;
      if (children && depth < MAX_DEPTH) for (const child of children) stack.push([child, depth + 1]);
    }
    return out;
  }

  private claimFor(epc: string, site: string): Claim | undefined {
    let id: string | undefined = epc;
    for (let depth = 0; id && depth < MAX_DEPTH; depth++) {
      const rec = this.items.peek(id);
      const claim = rec?.claims?.find((c) => this.sites.sameHolder(c.site, site));
      if (claim) return claim;
      id = rec?.parent;
    }
    return undefined;
  }

  // ── observing ─────────────────────────────────────────────────────────────────────────────────
  observe(o: Observation): Finding[] {
    this.clock = Math.max(this.clock, o.recordTime);
    if (o.source === 'accepted') {
      this.eventClock = Math.max(this.eventClock, o.time);
      this.stream.note(o.time);
    }
    const findings: Finding[] = [];
    switch (CustodyTracker.stepOf(o)) {
      case 'commission':
        this.commission(o, findings);
        break;
      case 'pack':
        this.pack(o, findings);
        break;
      case 'unpack':
        this.unpack(o);
        break;
      case 'ship':
        this.ship(o, findings);
        break;
      case 'receive':
        this.receive(o, findings);
        break;
      case 'dispense':
        this.terminal(o, 'dispensed', findings);
        break;
      case 'decommission':
        this.terminal(o, 'decommissioned', findings);
        break;
      case 'other':
        break;
    }
    return findings;
  }

  private finding(
    o: Observation,
    kind: AnomalyKind,
    subject: string,
    epcs: string[],
    summary: string,
    extra: Partial<Finding> = {},
  ): Finding {
    return {
      kind,
      subject,
      epcs: [...new Set(epcs)],
      eventHashes: [o.eventHash],
      rules: [...o.rules],
      orgIds: this.orgsOf(o),
      summary,
      observedAt: o.time,
      ...extra,
    };
  }

  private orgsOf(o: Observation, ...glns: (string | undefined)[]): string[] {
    const orgs = new Set<string>();
    if (o.publisherOrgId) orgs.add(o.publisherOrgId);
    for (const gln of [o.site, ...glns]) {
      const org = this.sites.organisationOf(gln);
      if (org) orgs.add(org);
    }
    return [...orgs];
  }

  private commission(o: Observation, findings: Finding[]): void {
    for (const epc of o.objects) {
      const existing = this.items.peek(epc);
      if (existing?.commissioned) {
        if (existing.commissionHash === o.eventHash) continue;
        const mismatch = ilmdMismatch(existing, { lot: o.lot, expiry: o.expiry });
        const common = { gtin: existing.gtin, lot: existing.lot };
        if (mismatch.lot) {
          findings.push(
            this.finding(
              o,
              'lot_mismatch',
              epc,
              [epc],
              `${epc} commissioned again with lot ${o.lot}; it was commissioned as lot ${existing.lot}`,
              common,
            ),
          );
        }
        if (mismatch.expiry) {
          findings.push(
            this.finding(
              o,
              'expiry_mismatch',
              epc,
              [epc],
              `${epc} commissioned again with expiry ${o.expiry}; it was commissioned with ${existing.expiry}`,
              common,
            ),
          );
        }
        if (!mismatch.lot && !mismatch.expiry) {
          findings.push(
            this.finding(o, 'cloned_serial', epc, [epc], `${epc} commissioned a second time`, common),
          );
        }
        continue;
      }
      if (o.source === 'rejected') continue;
      const rec = this.record(epc, o.recordTime);
      rec.commissioned = true;
      rec.commissionHash = o.eventHash;
      if (o.lot) rec.lot = o.lot;
      if (o.expiry) rec.expiry = o.expiry;
      if (o.time >= rec.locAt) {
        if (o.site) rec.site = o.site;
        rec.locAt = o.time;
      }
      // The engine saw a second commissioning we no longer remember the first of (evicted): trust its flag.
      if (o.rules.includes('RULE_ALREADY_COMMISSIONED') && !existing) {
        findings.push(
          this.finding(
            o,
            'cloned_serial',
            epc,
            [epc],
            `${epc} commissioned a second time (flagged by ingest)`,
          ),
        );
      }
    }
  }

  private pack(o: Observation, findings: Finding[]): void {
    const parent = o.parent;
    if (!parent) return;
    const container = this.record(parent, o.recordTime);
    container.container = true;
    container.children = [...new Set([...(container.children ?? []), ...o.children])];
    if (o.time >= container.locAt && o.site && !container.transit) {
      container.site = o.site;
      container.locAt = o.time;
    }
    const unpackedLater =
      container.unpacked && container.unpacked.at > o.time ? container.unpacked : undefined;
    for (const child of o.children) {
      const known = this.items.peek(child);
      const rec = this.record(child, o.recordTime);
      if (known && countsAsReobservation(o)) this.checkReobservation(o, child, rec, findings);
      if (known && !rec.terminal && o.time >= rec.locAt && o.site) {
        const where = this.locate(child);
        const verdict = judgeDisplacement(
          { site: where.site, transitTo: where.transit?.to },
          o.site,
          (a, b) => this.sites.sameHolder(a, b),
        );
        if (verdict === 'cloned_serial' || verdict === 'custody_break') {
          this.suspect(
            o,
            'cloned_serial',
            child,
            [child],
            `${child} is packed at ${o.site} while on record at ${where.site ?? where.transit?.to}`,
            false,
          );
          // A packing ingest refused does not move the pack: followed, it put the pack where the suspicion says,
          // which then read as the late data that explains it (a copy packed at a wholesaler went unreported).
          if (o.source === 'rejected') continue;
        }
      }
      if (o.time >= rec.locAt) {
        if (unpackedLater) {
          // The container was already opened (its unpacking arrived first): the pack is loose where it was opened.
          delete rec.parent;
          rec.site = unpackedLater.site;
          rec.locAt = unpackedLater.at;
        } else {
          rec.parent = parent;
          delete rec.transit;
          rec.locAt = o.time;
        }
      }
    }
    const waiting = this.shipmentsAwaitingContents.get(parent);
    if (waiting) {
      this.shipmentsAwaitingContents.delete(parent);
      waiting.packs = this.packsOf(parent);
      if (waiting.packs.length > 0) this.onShipment?.(waiting);
    }
  }

  private unpack(o: Observation): void {
    const parent = o.parent;
    if (!parent || !o.site) return;
    const container = this.record(parent, o.recordTime);
    container.unpacked = { site: o.site, at: o.time };
    if (o.time >= container.locAt) {
      delete container.transit;
      container.site = o.site;
      container.locAt = o.time;
    }
    const children = o.children.length > 0 ? o.children : (container.children ?? []);
    for (const child of children) {
      const rec = this.items.peek(child);
      if (!rec || rec.parent !== parent || o.time < rec.locAt) continue;
      delete rec.parent;
      rec.site = o.site;
      rec.locAt = o.time;
      rec.seen = Math.max(rec.seen, o.recordTime);
    }
  }

  private ship(o: Observation, findings: Finding[]): void {
    const loose: string[] = [];
    for (const epc of o.objects) {
      const known = this.items.peek(epc);
      const rec = this.record(epc, o.recordTime);
      if (known && countsAsReobservation(o)) this.checkReobservation(o, epc, rec, findings);
      // A shipment that arrives after the receipt (and the unpacking) it explains does not move the item back,
      // but it still explains the receipt.
      if (o.time >= rec.locAt) {
        rec.transit = {
          ...(o.site ? { from: o.site } : {}),
          ...(o.destination ? { to: o.destination } : {}),
          at: o.time,
          hash: o.eventHash,
        };
        delete rec.site;
        delete rec.parent;
        rec.locAt = o.time;
      }
      this.resolveReceipts(epc, o, findings);
      if (rec.container) {
        const fact: ShipmentFact = {
          subject: epc,
          from: o.site,
          to: o.destination,
          at: o.time,
          hash: o.eventHash,
          packs: this.packsOf(epc),
        };
        if (fact.packs.length > 0) this.onShipment?.(fact);
        else this.shipmentsAwaitingContents.set(epc, fact);
      } else {
        loose.push(epc);
      }
    }
    if (loose.length > 0) {
      this.onShipment?.({
        subject: o.eventHash,
        from: o.site,
        to: o.destination,
        at: o.time,
        hash: o.eventHash,
        packs: loose,
      });
    }
  }

  /** A shipment arrived for something a site already tried to receive: the refused receipt was early, not foul. */
  private resolveReceipts(epc: string, ship: Observation, findings: Finding[]): void {
    const rec = this.items.peek(epc);
    if (!rec?.claims) return;
    const remaining: Claim[] = [];
    for (const claim of rec.claims) {
      const explained =
        ship.destination !== undefined &&
        this.sites.sameHolder(ship.destination, claim.site) &&
        ship.time <= claim.at + 3_600_000;
      if (!explained) {
        remaining.push(claim);
        continue;
      }
      const key = pendingKey('custody_break', claim.subject);
      if (this.pending.delete(key)) this.resolvedAsBenign++;
      this.checkLeg(ship, ship.site, ship.time, claim.site, claim.at, epc, findings);
    }
    if (remaining.length > 0) rec.claims = remaining;
    else delete rec.claims;
  }

  private receive(o: Observation, findings: Finding[]): void {
    const site = o.site ?? o.destination;
    if (!site) return;
    for (const epc of o.objects) {
      const known = this.items.peek(epc);
      const rec = this.record(epc, o.recordTime);
      if (known && countsAsReobservation(o)) this.checkReobservation(o, epc, rec, findings);
      const where = this.locate(epc);
      const transit = where.transit;
      if (transit && this.sites.sameHolder(transit.to, site)) {
        this.checkLeg(o, transit.from, transit.at, site, o.time, epc, findings);
        this.settle(epc, site, o.time);
        continue;
      }
      if (transit && transit.to && o.time >= transit.at) {
        const packs = this.packsOf(epc);
        findings.push(
          this.finding(
            o,
            'custody_break',
            epc,
            [epc, ...packs],
            `${epc} was shipped to ${transit.to} but received at ${site}`,
            {
              orgIds: this.orgsOf(o, transit.to, transit.from),
            },
          ),
        );
        this.addClaim(epc, { site, at: o.time, subject: epc });
        this.markFlagged(packs, 'custody_break', epc);
        continue;
      }
      if (where.site && this.sites.sameHolder(where.site, site)) continue;
      if (o.source === 'accepted') {
        // Ingest accepted it, so its state said the pack was on its way here; our view lags (evicted or unseen).
        this.settle(epc, site, o.time);
        continue;
      }
      this.addClaim(epc, { site, at: o.time, subject: epc });
      this.suspect(
        o,
        'custody_break',
        epc,
        [epc, ...this.packsOf(epc)],
        `${epc} received at ${site} although it was not shipped there${where.site ? ` (on record at ${where.site})` : ''}`,
        true,
      );
    }
  }

  private settle(epc: string, site: string, at: number): void {
    const rec = this.items.peek(epc);
    if (!rec || at < rec.locAt) return;
    delete rec.transit;
    rec.site = site;
    rec.locAt = at;
  }

  private terminal(o: Observation, kind: 'dispensed' | 'decommissioned', findings: Finding[]): void {
    const site = o.site;
    for (const epc of o.objects) {
      if (!epc.startsWith('urn:epc:id:sgtin:')) continue;
      const known = this.items.peek(epc);
      if (!known?.commissioned && !known?.children) {
        // Refused, or stored as flagged evidence after its wait for a commissioning ran out (ingest's park timeout).
        if (o.rules.includes('RULE_NOT_COMMISSIONED')) this.unknownSerial(o, epc, findings);
        else if (o.rules.includes('RULE_ALREADY_DISPENSED') || o.rules.includes('RULE_INACTIVE_PACK')) {
          findings.push(
            this.finding(
              o,
              'reappearance',
              epc,
              [epc],
              `${epc} observed after it left the supply chain (flagged by ingest)`,
            ),
          );
        }
        const rec = this.record(epc, o.recordTime);
        rec.terminal ??= { kind, ...(site ? { site } : {}), at: o.time, hash: o.eventHash };
        continue;
      }
      const rec = this.record(epc, o.recordTime);
      if (rec.terminal) {
        const verdict = judgeReobservation(rec.terminal, { at: o.time, site, terminalKind: kind }, (a, b) =>
          this.sites.sameHolder(a, b),
        );
        if (verdict === 'rescan') continue;
        const twoPlaces = !this.sites.sameHolder(rec.terminal.site, site);
        const clone =
          this.pending.get(pendingKey('cloned_serial', epc)) ??
          (rec.flagged?.cloned_serial ? true : undefined);
        if (clone || (verdict === 'earlier' && twoPlaces)) {
          this.confirmClone(
            o,
            epc,
            `${epc} ${kind} at ${site} and also at ${rec.terminal.site}: two packs carry this serial`,
            findings,
          );
        } else {
          findings.push(
            this.finding(
              o,
              'reappearance',
              epc,
              [epc],
              `${epc} ${kind} at ${site} after it was ${rec.terminal.kind} at ${rec.terminal.site}`,
              {
                gtin: rec.gtin,
                lot: rec.lot,
              },
            ),
          );
        }
        if (verdict === 'earlier')
          rec.terminal = { kind, ...(site ? { site } : {}), at: o.time, hash: o.eventHash };
        continue;
      }
      const where = this.locate(epc);
      const verdict = judgeDisplacement({ site: where.site, transitTo: where.transit?.to }, site, (a, b) =>
        this.sites.sameHolder(a, b),
      );
      if (verdict !== 'consistent' && site && o.time >= where.locAt) {
        const claim = this.claimFor(epc, site);
        if (claim) {
          this.extendSuspicion('custody_break', claim.subject, epc, o);
        } else if (verdict === 'custody_break') {
          const subject = where.top !== epc ? where.top : epc;
          this.suspect(
            o,
            'custody_break',
            subject,
            [epc],
            `${epc} ${kind} at ${site} while travelling to ${where.transit?.to}`,
            false,
          );
        } else if (verdict === 'cloned_serial') {
          this.suspect(
            o,
            'cloned_serial',
            epc,
            [epc],
            `${epc} ${kind} at ${site} while on record at ${where.site}`,
            false,
          );
        }
      }
      rec.terminal = { kind, ...(site ? { site } : {}), at: o.time, hash: o.eventHash };
      if (o.rules.includes('RULE_EXPIRED_PACK')) {
        findings.push(
          this.finding(
            o,
            'expired_dispensed',
            epc,
            [epc],
            `${epc} dispensed after its expiry ${rec.expiry ?? ''}`,
            { gtin: rec.gtin, lot: rec.lot },
          ),
        );
      }
    }
  }

  private unknownSerial(o: Observation, epc: string, findings: Finding[]): void {
    const genuine = explainAsScanError(epc, (candidate) => this.items.peek(candidate)?.commissioned === true);
    if (genuine) {
      this.explainedAsScanError++;
      return;
    }
    findings.push(
      this.finding(o, 'unknown_serial', epc, [epc], `${epc} was never commissioned`, {
        gtin: gtinOfSgtin(epc),
        ...(o.site !== undefined ? { site: o.site } : {}),
      }),
    );
  }

  /** Packing, shipping or receiving something that has left the supply chain. */
  private checkReobservation(o: Observation, epc: string, rec: ItemRecord, findings: Finding[]): void {
    if (!rec.terminal) return;
    const verdict = judgeReobservation(rec.terminal, { at: o.time, site: o.site }, (a, b) =>
      this.sites.sameHolder(a, b),
    );
    if (verdict !== 'reappearance') return;
    if (this.pending.has(pendingKey('cloned_serial', epc)) || rec.flagged?.cloned_serial) {
      this.confirmClone(
        o,
        epc,
        `${epc} moves on at ${o.site} after it was ${rec.terminal.kind} at ${rec.terminal.site}`,
        findings,
      );
      return;
    }
    findings.push(
      this.finding(
        o,
        'reappearance',
        epc,
        [epc],
        `${epc} observed at ${o.site} after it was ${rec.terminal.kind} at ${rec.terminal.site}`,
        {
          gtin: rec.gtin,
          lot: rec.lot,
        },
      ),
    );
  }

  private confirmClone(o: Observation, epc: string, summary: string, findings: Finding[]): void {
    const key = pendingKey('cloned_serial', epc);
    const pending = this.pending.get(key);
    this.pending.delete(key);
    const rec = this.items.peek(epc);
    const finding = this.finding(o, 'cloned_serial', epc, [epc], summary, { gtin: rec?.gtin, lot: rec?.lot });
    if (pending) {
      finding.eventHashes = [...new Set([...pending.eventHashes, o.eventHash])];
      finding.rules = [...new Set([...pending.rules, ...o.rules])];
      finding.orgIds = [...new Set([...pending.orgIds, ...finding.orgIds])];
    }
    this.markFlagged([epc], 'cloned_serial', epc);
    findings.push(finding);
  }

  private checkLeg(
    o: Observation,
    from: string | undefined,
    shippedAt: number,
    to: string,
    receivedAt: number,
    epc: string,
    findings: Finding[],
  ): void {
    const verdict = impossibleLeg(
      this.sites.distanceKm(from, to),
      shippedAt,
      receivedAt,
      this.options.travel,
    );
    if (!verdict) return;
    const packs = this.packsOf(epc);
    findings.push(
      this.finding(
        o,
        'impossible_travel',
        epc,
        [epc, ...packs],
        `${epc} received at ${to} ${verdict.hours.toFixed(2)} h after leaving ${from}, ${verdict.km.toFixed(0)} km away (${Number.isFinite(verdict.kmh) ? `${verdict.kmh.toFixed(0)} km/h` : 'received before it was shipped'})`,
        { orgIds: this.orgsOf(o, from, to) },
      ),
    );
  }

  // ── pending suspicions ────────────────────────────────────────────────────────────────────────
  private suspect(
    o: Observation,
    kind: PendingSuspicion['kind'],
    subject: string,
    epcs: string[],
    summary: string,
    receipt: boolean,
  ): void {
    const key = pendingKey(kind, subject);
    const existing = this.pending.get(key);
    if (existing) {
      existing.epcs = [...new Set([...existing.epcs, ...epcs])];
      existing.eventHashes = [...new Set([...existing.eventHashes, o.eventHash])];
      return;
    }
    if (this.items.peek(subject)?.flagged?.[kind] !== undefined) return;
    this.pending.set(key, {
      key,
      kind,
      subject,
      site: o.site ?? '',
      at: o.time,
      expiresAt: o.recordTime + this.options.graceMs,
      // From the suspicious event's own time when the stream is past it: a receipt ingest parked, then refused (the
      // demo parks for 5 minutes, production for 48 hours), reaches us after the history that could explain it.
      eventExpiresAt: Math.min(o.time, this.stream.now) + this.options.graceMs,
      arrivalFloor: o.recordTime + this.options.arrivalFloorMs,
      epcs: [...new Set(epcs)],
      eventHashes: [o.eventHash],
      rules: [...o.rules],
      orgIds: this.orgsOf(o),
      summary,
      receipt,
    });
  }

  private extendSuspicion(
    kind: PendingSuspicion['kind'],
    subject: string,
    epc: string,
    o: Observation,
  ): void {
    const pending = this.pending.get(pendingKey(kind, subject));
    if (pending) {
      if (!pending.epcs.includes(epc)) pending.epcs.push(epc);
      pending.eventHashes.push(o.eventHash);
    }
  }

  private addClaim(epc: string, claim: Claim): void {
    const rec = this.items.peek(epc);
    if (!rec) return;
    rec.claims = [...(rec.claims ?? []).filter((c) => c.site !== claim.site), claim].slice(-4);
  }

  private markFlagged(epcs: string[], kind: AnomalyKind, subject: string): void {
    for (const epc of epcs) {
      const rec = this.items.peek(epc);
      if (rec) rec.flagged = { ...rec.flagged, [kind]: subject };
    }
  }

  /** Suspicions whose grace period is over (all of them with `all`), re-checked against what arrived since. */
  expire(all = false): Finding[] {
    const findings: Finding[] = [];
    for (const [key, p] of this.pending) {
      if (!all && !this.due(p)) continue;
      this.pending.delete(key);
      if (this.explained(p)) {
        this.resolvedAsBenign++;
        continue;
      }
      const packs = p.kind === 'custody_break' ? [...p.epcs, ...this.packsOf(p.subject)] : p.epcs;
      this.markFlagged(packs, p.kind, p.subject);
      const rec = this.items.peek(p.subject);
      findings.push({
        kind: p.kind,
        subject: p.subject,
        epcs: [...new Set(packs)],
        eventHashes: p.eventHashes,
        rules: p.rules,
        orgIds: p.orgIds,
        summary: p.summary,
        observedAt: p.at,
        ...(rec?.gtin ? { gtin: rec.gtin } : {}),
        ...(rec?.lot ? { lot: rec.lot } : {}),
      });
    }
    return findings;
  }

  /**
   * A grace period runs on arrival time and on the stream's event time, whichever ends first: live, the two move
   * together; in a replayed or compressed history (the demo streams 40 weeks in minutes) the late data a suspicion
   * waits for has arrived once the stream has moved a grace period of event time on, long before 48 hours of arrival
   * time pass.
   */
  private due(p: PendingSuspicion): boolean {
    if (p.expiresAt <= this.clock) return true;
    return (
      p.eventExpiresAt !== undefined &&
      p.eventExpiresAt <= this.stream.now &&
      (p.arrivalFloor ?? Infinity) <= this.clock
    );
  }

  private explained(p: PendingSuspicion): boolean {
    const where = this.locate(p.subject);
    const here = (gln: string | undefined) => this.sites.sameHolder(gln, p.site);
    // Receipts are explained by a shipment to the site (see resolveReceipts); this covers a view that has since
    // caught up by other routes.
    if (p.receipt)
      return Boolean(where.transit && here(where.transit.to) && where.transit.at <= p.at + 3_600_000);
    return here(where.site) || here(where.transit?.to);
  }

  pendingCount(): number {
    return this.pending.size;
  }

  /** Forgets items not touched for the TTL (arrival time). */
  sweep(): number {
    const limit = this.clock - this.options.itemTtlMs;
    return this.items.evictWhile((rec) => rec.seen < limit);
  }

  snapshot(): TrackerSnapshot {
    return {
      items: [...this.items.entries()],
      pending: [...this.pending.values()],
      clock: this.clock,
      eventClock: this.eventClock,
      streamTimes: this.stream.snapshot(),
      explainedAsScanError: this.explainedAsScanError,
      resolvedAsBenign: this.resolvedAsBenign,
    };
  }

  restore(snapshot: TrackerSnapshot): void {
    for (const [epc, rec] of snapshot.items) this.items.set(epc, rec);
    this.pending = new Map(snapshot.pending.map((p) => [p.key, p]));
    this.clock = snapshot.clock;
    this.eventClock = snapshot.eventClock ?? 0;
    this.stream.restore(snapshot.streamTimes ?? [this.eventClock]);
    this.explainedAsScanError = snapshot.explainedAsScanError;
    this.resolvedAsBenign = snapshot.resolvedAsBenign;
  }
}

function pendingKey(kind: string, subject: string): string {
  return `${kind}:${subject}`;
}

/** GTIN-14 of an SGTIN URN (`urn:epc:id:sgtin:CP.IIR.serial`), without a GS1 library round trip. */
export function gtinOfSgtin(epc: string): string | undefined {
  if (!epc.startsWith('urn:epc:id:sgtin:')) return undefined;
  const [prefix, itemRef] = epc.slice('urn:epc:id:sgtin:'.length).split('.');
  if (!prefix || !itemRef || prefix.length + itemRef.length !== 13) return undefined;
  const body = `${itemRef[0]}${prefix}${itemRef.slice(1)}`;
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    const digit = Number(body[body.length - 1 - i]);
    sum += i % 2 === 0 ? 3 * digit : digit;
  }
  return `${body}${(10 - (sum % 10)) % 10}`;
}
