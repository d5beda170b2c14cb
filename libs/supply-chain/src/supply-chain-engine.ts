import type { PackStatus } from '@pedigree/database';
import {
  describeRange,
  excursionOf,
  type NormalisedEvent,
  type StorageRange,
  temperatureReadings,
} from '@pedigree/epcis';
import type { EpcFacts } from '@pedigree/gs1';
import { type AuthorityFacts, classifyStep, mayPublish, type StepKind, WHO_MAY } from './custody-authority';
import { type CustodyChange, type PackState, type StateOverlay, TERMINAL_STATUSES } from './pack-state';
import { RULE_EFFECT, RuleCode, type RuleViolation } from './supply-chain.rules';

export type { EpcFacts };

/** Who the parties and locations are (GLN → organisation). */
export interface PartyResolver {
  /** The GLN (13 digits) behind a party or location identifier, if it has one. */
  glnOf(uri: string): string | undefined;
  /** The organisation a GLN belongs to, if it is a member. */
  organisationOfGln(gln: string): string | undefined;
  /** The organisation owning a GS1 company prefix, if it is a member. */
  organisationOfPrefix(prefix: string): string | undefined;
  /** Whether an organisation is an active member with the regulator role. */
  isRegulator(orgId: string): boolean;
}

export interface EngineEvent {
  event: NormalisedEvent;
  hash: Buffer;
  /** Canonical EPC URNs of the event's instance-level identifiers by role. */
  objects: string[];
  parent?: string;
  children: string[];
  /** The authenticated publisher (never a header the producer wrote): absent means the event is refused. */
  publisherOrgId?: string;
}

/** An event's instance-level identifiers by role (canonical EPC URNs where they have one), as the engine takes them. */
export function epcsByRole(event: NormalisedEvent): Pick<EngineEvent, 'objects' | 'parent' | 'children'> {
  const objects: string[] = [];
  const children: string[] = [];
  let parent: string | undefined;
  for (const epc of event.epcs) {
    const id = epc.epcUrn ?? epc.id;
    if (epc.role === 'parent') parent = id;
    else if (epc.role === 'child') children.push(id);
    else objects.push(id);
  }
  return { objects, parent, children };
}

export interface EventOutcome {
  /** Violations whose effect is park or reject: the event is not applied. */
  blocking: RuleViolation[];
  /** Violations whose effect is flag: the event is applied (or recorded) and flagged. */
  flags: RuleViolation[];
}

export interface EngineOptions {
  now: Date;
  futureToleranceMs: number;
  identify(epc: string): EpcFacts | undefined;
  parties: PartyResolver;
  /** A product's storage temperature range, from its owner's master data (by GTIN). */
  storageRange?(gtin: string): StorageRange | undefined;
}

const SERIALISED = new Set(['sgtin', 'sscc']);

/** Steps that record a reappearance of a pack that has left the supply chain as flagged evidence, whoever sends it. */
const EVIDENCE_ON_TERMINAL = new Set<StepKind>(['ship', 'dispense', 'decommission', 'destroy']);

/** Statuses reached by a disposition, whatever the business step. */
const DISPOSITION_STATUS: Record<string, PackStatus> = {
  recalled: 'recalled',
  stolen: 'stolen',
  destroyed: 'destroyed',
  expired: 'expired',
  dispensed: 'dispensed',
  inactive: 'decommissioned',
};

/**
 * Applies EPCIS events to the supply-chain state: who holds which pack, what is in transit to whom, what is inside
 * which case or pallet. Pure and synchronous: the pipeline loads the state, runs the engine, then persists the
 * overlay's changes in one transaction.
 */
export class SupplyChainEngine {
  constructor(private readonly options: EngineOptions) {}

  /** Checks one event and, when nothing blocks it, applies it to `state`. */
  apply(input: EngineEvent, state: StateOverlay): EventOutcome {
    const outcome: EventOutcome = { blocking: [], flags: [] };
    const { event } = input;
    const violate = (violation: RuleViolation) =>
      (RULE_EFFECT[violation.code] === 'flag' ? outcome.flags : outcome.blocking).push(violation);

    if (event.eventTime.getTime() - this.options.now.getTime() > this.options.futureToleranceMs) {
      violate({
        code: RuleCode.FUTURE_EVENT_TIME,
        detail: `eventTime ${event.eventTime.toISOString()} is more than ${this.options.futureToleranceMs / 1000}s in the future`,
        field: '/eventTime',
        epcs: [],
      });
      return outcome;
    }
    const kind = classifyStep(event);
    this.authorise(input, kind, state, violate);
    if (outcome.blocking.length > 0) return outcome;

    if (event.type === 'ObjectEvent') this.objectEvent(input, kind, state, violate);
    else if (event.type === 'AggregationEvent') this.aggregationEvent(input, state, violate);
    if (outcome.blocking.length === 0) this.coldChain(input, state, violate);
    if (outcome.flags.length > 0 && outcome.blocking.length === 0) {
      // Flagged evidence (a clone's commissioning, a dispensed pack shipped again) joins the history of the packs
      // it concerns even where it changes nothing: the state map then commits their suspicion.
      for (const epc of new Set(outcome.flags.flatMap((f) => f.epcs))) state.joinHistory(epc, input.hash);
      state.markFlagged(input.hash);
    }
    return outcome;
  }

  /**
   * Temperatures the event's sensors recorded, against the storage range of each product it carries (the packs it
   * names and everything inside the containers it names): an excursion flags the containers and those packs.
   */
  private coldChain(input: EngineEvent, state: StateOverlay, violate: (v: RuleViolation) => void): void {
    const readings = this.options.storageRange
      ? temperatureReadings(input.event.raw as Record<string, unknown>)
      : [];
    if (readings.length === 0) return;
    const named = [...input.objects, ...(input.parent ? [input.parent] : []), ...input.children];
    const byGtin = new Map<string, string[]>();
    for (const epc of new Set(named.flatMap((e) => [e, ...state.descendants(e)]))) {
      const gtin = state.get(epc)?.gtin;
      if (gtin) byGtin.set(gtin, [...(byGtin.get(gtin) ?? []), epc]);
    }
    for (const [gtin, packs] of byGtin) {
      const range = this.options.storageRange!(gtin);
      const excursion = range && excursionOf(readings, range);
      if (!excursion) continue;
      const containers = named.filter((e) => state.descendants(e).some((d) => packs.includes(d)));
      violate({
        code: RuleCode.TEMPERATURE_EXCURSION,
        detail: `${excursion.highestC > (range.maxC ?? Infinity) ? excursion.highestC : excursion.lowestC} °C recorded for GTIN ${gtin}, stored at ${describeRange(range)} (${packs.length} packs)`,
        field: '/sensorElementList',
        epcs: [...new Set([...containers, ...packs])],
      });
    }
  }

  // ── authorisation: the decision table of custody-authority.ts ───────────────────────────────
  private authorise(
    input: EngineEvent,
    kind: StepKind,
    state: StateOverlay,
    violate: (v: RuleViolation) => void,
  ): void {
    const publisher = input.publisherOrgId;
    if (!publisher) {
      violate({
        code: RuleCode.PUBLISHER_UNAUTHENTICATED,
        detail:
          'the publisher of this event is not authenticated; nothing is applied without a verified origin',
        epcs: [],
      });
      return;
    }
    let refused = false;
    const refuse = (violation: RuleViolation) => {
      refused = true;
      violate(violation);
    };
    if (kind === 'commission') this.checkPrefixes(input, publisher, input.objects, refuse);
    else if (kind === 'aggregate' && input.parent && !state.get(input.parent))
      this.checkPrefixes(input, publisher, [input.parent], refuse);
    if (!refused) this.checkNamedParties(input, kind, publisher, refuse);
    if (!refused) this.checkLocation(input, publisher, refuse);
    if (refused || kind === 'commission' || kind === 'observe') return;
    for (const epc of this.packsConcerned(input, kind)) {
      const pack = state.get(epc);
      if (!pack) continue; // never commissioned: the engine's own precondition (park) says so
      if (TERMINAL_STATUSES.has(pack.status) && EVIDENCE_ON_TERMINAL.has(kind)) continue;
      // Nothing is addressed to anyone yet: the receipt waits for its shipment (NOT_IN_TRANSIT, below).
      if (kind === 'receive' && pack.status !== 'in_transit') continue;
      const facts = this.authorityFacts(publisher, pack);
      if (mayPublish(kind, facts)) continue;
      violate(this.notAllowed(kind, epc, pack, facts));
      return;
    }
  }

  private packsConcerned(input: EngineEvent, kind: StepKind): string[] {
    if (kind === 'aggregate') return [...(input.parent ? [input.parent] : []), ...input.children];
    if (kind === 'disaggregate') return input.parent ? [input.parent] : [];
    return input.objects;
  }

  private authorityFacts(publisher: string, pack: PackState): AuthorityFacts {
    const { parties } = this.options;
    const prefix = this.options.identify(pack.epc)?.companyPrefix;
    return {
      publisherOrgId: publisher,
      publisherIsRegulator: parties.isRegulator(publisher),
      holderOrgId:
        pack.ownerOrgId ?? (pack.custodian ? (parties.organisationOfGln(pack.custodian) ?? null) : null),
      addresseeOrgId:
        pack.status === 'in_transit' && pack.shippedTo
          ? (parties.organisationOfGln(pack.shippedTo) ?? null)
          : null,
      manufacturerOrgId: prefix ? (parties.organisationOfPrefix(prefix) ?? null) : null,
    };
  }

  private notAllowed(kind: StepKind, epc: string, pack: PackState, facts: AuthorityFacts): RuleViolation {
    const allowed = WHO_MAY[kind].join(' or ');
    if (kind === 'receive') {
      return {
        code: RuleCode.NOT_ADDRESSEE,
        detail: `${epc} is ${pack.status === 'in_transit' ? `addressed to ${facts.addresseeOrgId ?? pack.shippedTo ?? 'an unnamed party'}` : pack.status}; only its addressee may receive it`,
        epcs: [epc],
      };
    }
    if (WHO_MAY[kind].includes('holder')) {
      return {
        code: RuleCode.NOT_HOLDER,
        detail: `${epc} is held by ${facts.holderOrgId ?? 'nobody known'}; only the ${allowed} may publish ${kind}`,
        epcs: [epc],
      };
    }
    return {
      code: RuleCode.NOT_AUTHORISED,
      detail: `only the ${allowed} of ${epc} may publish ${kind}`,
      epcs: [epc],
    };
  }

  /** A shipment's sender and a receipt's receiver are the publisher itself, never another member it names. */
  private checkNamedParties(
    input: EngineEvent,
    kind: StepKind,
    publisher: string,
    violate: (v: RuleViolation) => void,
  ): void {
    if (kind !== 'ship' && kind !== 'receive') return;
    const list = kind === 'ship' ? input.event.sources : input.event.destinations;
    const field = kind === 'ship' ? '/sourceList' : '/destinationList';
    for (const uri of [...list.owning_party, ...list.possessing_party]) {
      const gln = this.options.parties.glnOf(uri);
      const owner = gln ? this.options.parties.organisationOfGln(gln) : undefined;
      if (owner !== undefined && owner !== publisher) {
        violate({
          code: RuleCode.NOT_AUTHORISED,
          detail: `${field.slice(1)} names ${uri}, which belongs to another member; a member ${kind === 'ship' ? 'ships' : 'receives'} only as itself`,
          field,
          epcs: input.objects,
        });
        return;
      }
    }
  }

  private checkPrefixes(
    input: EngineEvent,
    publisher: string,
    epcs: string[],
    violate: (v: RuleViolation) => void,
  ): void {
    const commissioning = input.event.type === 'ObjectEvent';
    for (const epc of epcs) {
      const prefix = this.options.identify(epc)?.companyPrefix;
      const owner = prefix ? this.options.parties.organisationOfPrefix(prefix) : undefined;
      // A new container may carry a non-member's prefix (a 3PL's SSCC); a new serial must be the publisher's own.
      if (owner === publisher || (!commissioning && owner === undefined)) continue;
      violate({
        code: RuleCode.PREFIX_NOT_OWNED,
        detail: prefix
          ? `${epc} carries company prefix ${prefix}, which is not registered to the publishing organisation`
          : `${epc}: no registered GS1 Company Prefix starts its key, so it is no member's to commission`,
        field: commissioning ? '/epcList' : '/parentID',
        epcs: [epc],
      });
      return;
    }
  }

  private checkLocation(input: EngineEvent, publisher: string, violate: (v: RuleViolation) => void): void {
    const { event } = input;
    const place = event.bizLocation ?? event.readPoint;
    const gln = place ? this.options.parties.glnOf(place) : undefined;
    if (gln) {
      const owner = this.options.parties.organisationOfGln(gln);
      if (owner !== undefined && owner !== publisher) {
        violate({
          code: RuleCode.LOCATION_NOT_OWNED,
          detail: `location ${place} belongs to another organisation; members publish events only for their own locations`,
          field: event.bizLocation ? '/bizLocation/id' : '/readPoint/id',
          epcs: [],
        });
      }
    }
  }

  // ── ObjectEvent ──────────────────────────────────────────────────────────────────────────────
  private objectEvent(
    input: EngineEvent,
    kind: StepKind,
    state: StateOverlay,
    violate: (v: RuleViolation) => void,
  ): void {
    const { event } = input;
    const disposition = event.disposition;
    if (kind === 'commission') return this.commission(input, state, violate);

    const tracked = input.objects.filter((epc) => this.isSerialised(epc));
    const unknown = tracked.filter((epc) => !state.get(epc));
    if (unknown.length > 0) {
      violate({
        code: RuleCode.NOT_COMMISSIONED,
        detail: `${unknown.length === 1 ? unknown[0] : `${unknown.length} identifiers (first ${unknown[0]})`} never commissioned`,
        field: '/epcList',
        epcs: unknown,
      });
      return;
    }
    this.checkIlmd(input, tracked, state, violate);

    switch (kind) {
      case 'ship':
        return this.ship(input, tracked, state, violate);
      case 'receive':
        return this.receive(input, tracked, state, violate);
      case 'dispense':
        return this.terminal(input, tracked, state, 'dispensed', violate);
      case 'decommission':
        return this.terminal(input, tracked, state, 'decommissioned', violate);
      case 'destroy':
        return this.terminal(input, tracked, state, 'destroyed', violate);
      case 'observe':
        // Stored as evidence; it joins the history of the packs the publisher holds, and of no other.
        for (const epc of tracked) {
          if (
            this.authorityFacts(input.publisherOrgId!, state.get(epc)!).holderOrgId === input.publisherOrgId
          )
            this.touch(state, epc, input, {});
        }
        return;
      case 'sample':
      case 'recall':
      case 'steal':
      case 'change_status':
      case 'aggregate':
      case 'disaggregate': {
        const status = disposition ? DISPOSITION_STATUS[disposition] : undefined;
        for (const epc of tracked) this.touch(state, epc, input, status ? { status } : {});
      }
    }
  }

  private commission(input: EngineEvent, state: StateOverlay, violate: (v: RuleViolation) => void): void {
    const { event } = input;
    const holder = this.placeGln(event);
    const lot = event.ilmd?.lotNumber ?? null;
    const expiry = event.ilmd?.itemExpirationDate ?? null;
    for (const epc of input.objects) {
      const facts = this.options.identify(epc);
      if (!facts || !SERIALISED.has(facts.kind)) continue;
      const existing = state.get(epc);
      if (existing) {
        violate({
          code: RuleCode.ALREADY_COMMISSIONED,
          detail: `${epc} was already commissioned at ${existing.lastEventTime.toISOString()}: a second commissioning of one serial is a clone`,
          field: '/epcList',
          epcs: [epc],
        });
        // A copy usually carries other batch data than the genuine pack: name the contradiction too.
        if (lot && existing.lot && lot !== existing.lot) {
          violate({
            code: RuleCode.LOT_MISMATCH,
            detail: `${epc}: lot ${lot} contradicts the commissioned lot ${existing.lot}`,
            field: '/ilmd',
            epcs: [epc],
          });
        }
        if (expiry && existing.expiry && expiry !== existing.expiry) {
          violate({
            code: RuleCode.EXPIRY_MISMATCH,
            detail: `${epc}: expiry ${expiry} contradicts the commissioned expiry ${existing.expiry}`,
            field: '/ilmd',
            epcs: [epc],
          });
        }
        continue;
      }
      state.set({
        epc,
        kind: facts.kind,
        gtin: facts.gtin ?? null,
        serial: facts.serial ?? null,
        lot,
        expiry,
        status: 'commissioned',
        custodian: holder ?? null,
        ownerOrgId: input.publisherOrgId ?? null,
        location: event.bizLocation ?? null,
        shippedTo: null,
        consignmentKey: null,
        parentEpc: null,
        commissionEventHash: input.hash,
        lastEventHash: input.hash,
        lastEventTime: event.eventTime,
        historyCount: 0,
        historyHead: null,
        flagged: 0,
      });
    }
  }

  private ship(
    input: EngineEvent,
    epcs: string[],
    state: StateOverlay,
    violate: (v: RuleViolation) => void,
  ): void {
    const { event } = input;
    const sender =
      this.firstGln(event.sources.possessing_party, event.sources.owning_party, event.sources.location) ??
      this.placeGln(event);
    const receiver = this.firstGln(
      event.destinations.possessing_party,
      event.destinations.owning_party,
      event.destinations.location,
    );
    for (const epc of epcs) {
      const pack = state.get(epc)!;
      if (TERMINAL_STATUSES.has(pack.status)) {
        violate({
          code: RuleCode.INACTIVE_PACK,
          detail: `${epc} is ${pack.status} and cannot be shipped`,
          epcs: [epc],
        });
        return;
      }
      if (pack.status === 'in_transit') {
        violate({
          code: RuleCode.ALREADY_IN_TRANSIT,
          detail: `${epc} is already in transit to ${pack.shippedTo ?? 'an unknown party'}`,
          epcs: [epc],
        });
        return;
      }
    }
    const custody = new Map<string, CustodyChange>();
    for (const epc of epcs) {
      const key = this.consignmentKey(epc, state, input);
      const moving = [epc, ...state.descendants(epc)];
      if (!custody.has(key)) {
        custody.set(key, {
          packCount: 0,
          gtins: [],
          lots: [],
          action: 'ship',
          consignmentKey: key,
          fromParty: sender ?? null,
          toParty: receiver ?? null,
          // The authorised publisher is the holder (see authorise): the sender is who sent it, not who it names.
          fromOrgId: input.publisherOrgId ?? null,
          toOrgId: receiver ? (this.options.parties.organisationOfGln(receiver) ?? null) : null,
          eventHash: input.hash,
          eventTime: event.eventTime,
        });
      }
      const change = custody.get(key)!;
      for (const moved of moving) {
        const pack = state.get(moved);
        if (pack?.kind === 'sgtin') {
          change.packCount++;
          if (pack.gtin && !change.gtins.includes(pack.gtin)) change.gtins.push(pack.gtin);
          if (pack.lot && !change.lots.includes(pack.lot)) change.lots.push(pack.lot);
        }
        this.touch(state, moved, input, {
          status: 'in_transit',
          shippedTo: receiver ?? null,
          consignmentKey: key,
        });
      }
    }
    state.custody.push(...custody.values());
  }

  private receive(
    input: EngineEvent,
    epcs: string[],
    state: StateOverlay,
    violate: (v: RuleViolation) => void,
  ): void {
    const { event } = input;
    const receiver =
      this.firstGln(
        event.destinations.possessing_party,
        event.destinations.owning_party,
        event.destinations.location,
      ) ?? this.placeGln(event);
    // The authorised publisher is the addressee (see authorise).
    const receiverOrg = input.publisherOrgId;
    for (const epc of epcs) {
      const pack = state.get(epc)!;
      if (pack.status !== 'in_transit') {
        violate({
          code: RuleCode.NOT_IN_TRANSIT,
          detail: `${epc} was not shipped (it is ${pack.status})`,
          epcs: [epc],
        });
        return;
      }
    }
    const closed = new Map<string, CustodyChange>();
    for (const epc of epcs) {
      const pack = state.get(epc)!;
      const key = pack.consignmentKey;
      if (key && !closed.has(key)) {
        closed.set(key, {
          action: 'receive',
          consignmentKey: key,
          fromParty: pack.custodian,
          toParty: receiver ?? null,
          fromOrgId: pack.ownerOrgId,
          toOrgId: receiverOrg ?? null,
          eventHash: input.hash,
          eventTime: event.eventTime,
          packCount: 0,
          gtins: [],
          lots: [],
        });
      }
      for (const moved of [epc, ...state.descendants(epc)]) {
        this.touch(state, moved, input, {
          status: 'received',
          custodian: receiver ?? pack.shippedTo,
          ownerOrgId: receiverOrg ?? null,
          shippedTo: null,
          consignmentKey: null,
          location: event.bizLocation ?? null,
        });
      }
    }
    state.custody.push(...closed.values());
  }

  private terminal(
    input: EngineEvent,
    epcs: string[],
    state: StateOverlay,
    status: PackStatus,
    violate: (v: RuleViolation) => void,
  ): void {
    for (const epc of epcs) {
      const pack = state.get(epc)!;
      if (pack.status === status && status === 'dispensed') {
        violate({
          code: RuleCode.ALREADY_DISPENSED,
          detail: `${epc} was already dispensed at ${pack.lastEventTime.toISOString()}`,
          epcs: [epc],
        });
        continue;
      }
      if (pack.status === status && status === 'decommissioned') {
        violate({
          code: RuleCode.ALREADY_DECOMMISSIONED,
          detail: `${epc} was already decommissioned`,
          epcs: [epc],
        });
        continue;
      }
      if (TERMINAL_STATUSES.has(pack.status)) {
        violate({
          code: RuleCode.INACTIVE_PACK,
          detail: `${epc} is ${pack.status}; it cannot be ${status} again`,
          epcs: [epc],
        });
        continue;
      }
      if (
        status === 'dispensed' &&
        pack.expiry &&
        pack.expiry < input.event.eventTime.toISOString().slice(0, 10)
      ) {
        violate({
          code: RuleCode.EXPIRED_PACK,
          detail: `${epc} expired on ${pack.expiry} and was dispensed`,
          epcs: [epc],
        });
      }
      for (const moved of [epc, ...state.descendants(epc)]) this.touch(state, moved, input, { status });
    }
  }

  /** A later event carrying lot or expiry must agree with the commissioning event. */
  private checkIlmd(
    input: EngineEvent,
    epcs: string[],
    state: StateOverlay,
    violate: (v: RuleViolation) => void,
  ): void {
    const ilmd = input.event.ilmd;
    if (!ilmd) return;
    for (const epc of epcs) {
      const pack = state.get(epc)!;
      if (ilmd.lotNumber && pack.lot && ilmd.lotNumber !== pack.lot) {
        violate({
          code: RuleCode.LOT_MISMATCH,
          detail: `${epc}: lot ${ilmd.lotNumber} contradicts the commissioned lot ${pack.lot}`,
          field: '/ilmd',
          epcs: [epc],
        });
      }
      if (ilmd.itemExpirationDate && pack.expiry && ilmd.itemExpirationDate !== pack.expiry) {
        violate({
          code: RuleCode.EXPIRY_MISMATCH,
          detail: `${epc}: expiry ${ilmd.itemExpirationDate} contradicts the commissioned expiry ${pack.expiry}`,
          field: '/ilmd',
          epcs: [epc],
        });
      }
    }
  }

  // ── AggregationEvent ─────────────────────────────────────────────────────────────────────────
  private aggregationEvent(
    input: EngineEvent,
    state: StateOverlay,
    violate: (v: RuleViolation) => void,
  ): void {
    const { event } = input;
    const parent = input.parent;
    if (!parent) return;
    if (event.action === 'ADD') {
      const children = input.children.filter((epc) => this.isSerialised(epc));
      const unknown = children.filter((epc) => !state.get(epc));
      if (unknown.length > 0) {
        violate({
          code: RuleCode.NOT_COMMISSIONED,
          detail: `cannot pack ${unknown.length === 1 ? unknown[0] : `${unknown.length} identifiers (first ${unknown[0]})`}: never commissioned`,
          field: '/childEPCs',
          epcs: unknown,
        });
        return;
      }
      const elsewhere = children.filter((epc) => {
        const current = state.get(epc)!.parentEpc;
        return current !== null && current !== parent;
      });
      if (elsewhere.length > 0) {
        violate({
          code: RuleCode.ALREADY_AGGREGATED,
          detail: `${elsewhere[0]} is still inside ${state.get(elsewhere[0])!.parentEpc}; unpack it first`,
          field: '/childEPCs',
          epcs: elsewhere,
        });
        return;
      }
      for (const child of children) {
        const pack = state.get(child)!;
        if (TERMINAL_STATUSES.has(pack.status)) {
          violate({
            code: RuleCode.INACTIVE_PACK,
            detail: `${child} is ${pack.status} and was packed`,
            epcs: [child],
          });
        }
      }
      const holder = this.placeGln(event);
      if (!state.get(parent)) {
        const facts = this.options.identify(parent);
        state.set({
          epc: parent,
          kind: facts?.kind ?? 'unknown',
          gtin: facts?.gtin ?? null,
          serial: facts?.serial ?? null,
          lot: null,
          expiry: null,
          status: 'packed',
          custodian: holder ?? null,
          ownerOrgId: input.publisherOrgId ?? null,
          location: event.bizLocation ?? null,
          shippedTo: null,
          consignmentKey: null,
          parentEpc: null,
          commissionEventHash: input.hash,
          lastEventHash: input.hash,
          lastEventTime: event.eventTime,
          historyCount: 0,
          historyHead: null,
          flagged: 0,
        });
      } else {
        this.touch(state, parent, input, {});
      }
      for (const child of children) {
        if (state.get(child)!.parentEpc === parent) continue;
        this.touch(state, child, input, { parentEpc: parent, status: 'packed' });
        state.containments.push({
          kind: 'open',
          childEpc: child,
          parentEpc: parent,
          eventHash: input.hash,
          time: event.eventTime,
        });
      }
      return;
    }
    if (event.action === 'DELETE') {
      const parentState = state.get(parent);
      // Unpacking a container not seen yet would be a silent no-op that leaves its packs inside it for good (its
      // packing may be in a batch of another partition still running): wait for it like any other precondition.
      const unknown = [parent, ...input.children].filter((epc) => this.isSerialised(epc) && !state.get(epc));
      if (unknown.length > 0) {
        violate({
          code: RuleCode.NOT_COMMISSIONED,
          detail: `cannot unpack ${unknown[0] === parent ? parent : `${unknown.length === 1 ? unknown[0] : `${unknown.length} identifiers (first ${unknown[0]})`} from ${parent}`}: never commissioned`,
          field: unknown[0] === parent ? '/parentID' : '/childEPCs',
          epcs: unknown,
        });
        return;
      }
      const listed = input.children.length > 0 ? input.children : state.children(parent);
      const inside = listed.filter((epc) => state.get(epc)?.parentEpc === parent);
      const afterStatus: PackStatus =
        parentState && !['packed', 'commissioned', 'unpacked'].includes(parentState.status)
          ? parentState.status
          : 'commissioned';
      for (const child of inside) {
        this.touch(state, child, input, {
          parentEpc: null,
          status: afterStatus,
          custodian: parentState?.custodian ?? state.get(child)!.custodian,
          ownerOrgId: parentState?.ownerOrgId ?? state.get(child)!.ownerOrgId,
        });
        state.containments.push({
          kind: 'close',
          childEpc: child,
          parentEpc: parent,
          eventHash: input.hash,
          time: event.eventTime,
        });
      }
      if (parentState && state.children(parent).length === 0)
        this.touch(state, parent, input, { status: 'unpacked' });
    }
  }

  // ── helpers ──────────────────────────────────────────────────────────────────────────────────
  private touch(state: StateOverlay, epc: string, input: EngineEvent, changes: Partial<PackState>): void {
    const pack = state.get(epc);
    if (!pack) return;
    // A pack that has left the supply chain keeps its status when the container it was in moves on.
    const { status, ...rest } = changes;
    const keepStatus = status !== undefined && TERMINAL_STATUSES.has(pack.status) && status !== pack.status;
    state.set({
      ...pack,
      ...rest,
      ...(keepStatus || status === undefined ? {} : { status }),
      lastEventHash: input.hash,
      lastEventTime: input.event.eventTime,
    });
  }

  private isSerialised(epc: string): boolean {
    const kind = this.options.identify(epc)?.kind;
    return kind !== undefined && SERIALISED.has(kind);
  }

  private placeGln(event: NormalisedEvent): string | undefined {
    const place = event.bizLocation ?? event.readPoint;
    return place ? this.options.parties.glnOf(place) : undefined;
  }

  private firstGln(...lists: string[][]): string | undefined {
    for (const list of lists) {
      for (const uri of list) {
        const gln = this.options.parties.glnOf(uri);
        if (gln) return gln;
      }
    }
    return undefined;
  }

  /** SSCCs travel as themselves; loose packs travel as "this lot in this shipment". */
  private consignmentKey(epc: string, state: StateOverlay, input: EngineEvent): string {
    const facts = this.options.identify(epc);
    if (facts?.kind === 'sscc') return epc;
    const pack = state.get(epc);
    return `lot:${pack?.gtin ?? facts?.gtin ?? 'unknown'}:${pack?.lot ?? ''}:${input.hash.toString('hex')}`;
  }
}
