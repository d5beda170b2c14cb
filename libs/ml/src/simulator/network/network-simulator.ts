/**
 * Seeded simulation of a pharmaceutical supply network, emitting the EPCIS 2.0 documents each party's system
 * would send, with labelled counterfeit patterns and benign noise.
 *
 * Flow (one simulated day at a time, UTC):
 *   05:00–07:00  wholesalers pick last evening's pharmacy orders into totes (AggregationEvent ADD, opening cases
 *                first when loose stock runs short), 07:00–09:30 dispatch them (shipping);
 *   06:00–17:00  manufacturers make yesterday's wholesaler orders: commission a lot's packs, pack cases and pallets,
 *                then ship the pallets; wholesalers receive and break pallets on arrival;
 *   08:00–19:00  pharmacies receive and open totes on arrival and dispense single packs (intermittent demand from
 *                `simulator/demand`, first-expiry-first-out), now and then decommission a damaged pack;
 *   19:00/20:00  pharmacies and wholesalers review stock ((s,S) policies adapting to recent demand) and order.
 * The first week stocks the network; demand starts in week 2, injected patterns in week 5 (after the detector's
 * three-week warm-up).
 */
import {
  commissioningEvent,
  computeEventHash,
  decommissioningEvent,
  dispensingEvent,
  epcisDocument,
  packingEvent,
  type Party,
  receivingEvent,
  sgtinUrn,
  shippingEvent,
  ssccUrn,
  unpackingEvent,
} from '@pedigree/epcis';
import { deriveSeed, Random } from '../../random/mulberry32';
import { generateDemand } from '../demand/demand.generator';
import type { DemandSeries } from '../demand/demand.types';
import { distanceKm } from './geography';
import { buildMasterData } from './master-data';
import type {
  DispensedSeries,
  MasterData,
  NetworkConfig,
  NoiseKind,
  NoiseLabel,
  OrganisationInfo,
  PatternKind,
  PatternLabel,
  ScanRecord,
  SimulatedMessage,
  SimulatedScenario,
} from './network.types';
import { NOISE_KINDS, PATTERN_KINDS } from './network.types';
import { misreadSerial, packBarcode } from './scan-codes';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const MINUTE = 60_000;
/** Serials are 8 base-36 characters: a bijection of a per-product counter, so they look random but never repeat. */
const SERIAL_SPACE = 36 ** 8;
const MAX_CASES_PER_PALLET = 40;
/** Week (1-based) from which patterns are injected: the network is stocked and has some history by then. */
const PATTERN_START_WEEK = 5;

type Json = Record<string, unknown>;

interface LotInfo {
  product: number;
  lot: string;
  expiry: string;
}

interface Pack {
  epc: string;
  serial: string;
  product: number;
  lot: LotInfo;
}

interface Case {
  sscc: string;
  packs: Pack[];
}

interface WholesalerLine {
  cases: Case[];
  loose: Pack[];
  /** Packs ordered from the manufacturer and not yet received. */
  onOrder: number;
  /** Packs shipped out per day, last 14 days (ring, newest last). */
  outflow: number[];
  shippedToday: number;
  /** Expected daily outflow from the pharmacies it serves (the policy's floor). */
  baseRate: number;
}

interface PharmacyLine {
  loose: Pack[];
  onOrder: number;
  /** Mean daily demand (what the pharmacy knows of its own sales). */
  baseRate: number;
  /** Demand seen per day, last 7 days (served or not). */
  demand7: number[];
  /** Grey-market demand waiting for stock (spike only). */
  backlog: number;
  series?: DemandSeries;
}

interface Pharmacy {
  index: number;
  org: OrganisationInfo;
  party: Party;
  region: number;
  wholesaler: number;
  secondary: number;
  lines: Map<number, PharmacyLine>;
}

interface Wholesaler {
  index: number;
  org: OrganisationInfo;
  party: Party;
  region: number;
  lines: PharmacyLineMap;
}
type PharmacyLineMap = Map<number, WholesalerLine>;

interface Manufacturer {
  index: number;
  org: OrganisationInfo;
  party: Party;
  currentLot: Map<number, { info: LotInfo; remaining: number }>;
}

interface PharmacyOrder {
  pharmacy: number;
  lines: { product: number; qty: number }[];
}

interface ManufacturerOrder {
  wholesaler: number;
  product: number;
  cases: number;
}

/** Something injected into the next tote a wholesaler packs (a clone or a reappeared pack). */
interface ToteInjection {
  pack: Pack;
  labelId: string;
}

interface ToteReceipt {
  kind: 'tote';
  time: number;
  pharmacy: number;
  /** The pharmacy the tote was shipped to (differs from `pharmacy` for a custody break). */
  addressee: number;
  sscc: string;
  packs: Pack[];
  from: Wholesaler;
  labelIds: string[];
  /** Packs leave the monitored chain after receipt (diversion). */
  vanish: boolean;
  /** Receiver is a wholesaler (diversion to another wholesaler). */
  wholesalerReceiver?: number;
  order: PharmacyOrder | undefined;
}

interface PalletReceipt {
  kind: 'pallet';
  time: number;
  wholesaler: number;
  sscc: string;
  cases: Case[];
  from: Manufacturer;
  labelIds: string[];
}

interface Spike {
  pharmacy: number;
  products: Set<number>;
  startDay: number;
  endDay: number;
  extraPerDay: number;
  labelId: string;
}

interface Draft {
  sentAt: number;
  order: number;
  documentId: string;
  key: string;
  publisherOrgId: string;
  document: Json;
  description: string;
  noise?: NoiseKind[];
}

/** Runs one scenario; see the file comment for the flow. */
export function simulateNetwork(config: NetworkConfig, seed: number): SimulatedScenario {
  return new NetworkSimulation(config, seed >>> 0).run();
}

class NetworkSimulation {
  private readonly root: Random;
  private readonly ops: Random;
  private readonly noiseRng: Random;
  private readonly master: MasterData;
  private readonly startMs: number;
  private readonly days: number;
  private readonly pharmacies: Pharmacy[] = [];
  private readonly wholesalers: Wholesaler[] = [];
  private readonly manufacturers: Manufacturer[] = [];
  private readonly productMaker: number[] = [];
  private readonly serialCounter: number[] = [];
  private readonly serialMul: number[] = [];
  private readonly serialAdd: number[] = [];
  private readonly ssccCounter = new Map<string, number>();
  private readonly lotCounter: number[] = [];
  private readonly lotHistory: LotInfo[][] = [];
  private readonly pharmacyOrders: PharmacyOrder[][] = [];
  private readonly manufacturerOrders: ManufacturerOrder[][] = [];
  private readonly toteAgenda = new Map<number, ToteReceipt[]>();
  private readonly palletAgenda = new Map<number, PalletReceipt[]>();
  private readonly toteInjections = new Map<number, ToteInjection[]>();
  private readonly drafts: Draft[] = [];
  private readonly documents = new Map<string, Json>();
  private readonly patternLabels: PatternLabel[] = [];
  private readonly labelById = new Map<string, PatternLabel>();
  private readonly noiseLabels: NoiseLabel[] = [];
  private readonly scans: ScanRecord[] = [];
  /** Packs whose later events belong to a label (the genuine twin of a clone, a reappeared pack). */
  private readonly watched = new Map<string, string>();
  /** Recently dispensed / decommissioned packs, for reappearance (bounded ring). */
  private readonly terminal: { pack: Pack; pharmacy: number; day: number; decommissioned: boolean }[] = [];
  private readonly spikes: Spike[] = [];
  private readonly pendingImpossible = { tote: 0, pallet: 0 };
  private readonly pendingMisdelivery: number[] = [];
  private readonly pendingDiversion: number[] = [];
  private readonly dispensedWeekly = new Map<string, number[]>();
  private docCounter = 0;
  private draftOrder = 0;
  private labelCounter = 0;
  private noiseCounter = 0;
  private packsCreated = 0;
  private dispensedCount = 0;
  private lostSales = 0;
  private shipments = 0;
  private eventCount = 0;
  private readonly issuedFakes = new Set<string>();

  constructor(
    private readonly config: NetworkConfig,
    private readonly seed: number,
  ) {
    this.root = new Random(seed);
    this.ops = this.root.fork('operations');
    this.noiseRng = this.root.fork('noise');
    const startMs = Date.parse(`${config.start}T00:00:00Z`);
    if (Number.isNaN(startMs)) throw new RangeError(`start is not an ISO date: ${config.start}`);
    const weekday = (new Date(startMs).getUTCDay() + 6) % 7;
    this.startMs = startMs - weekday * DAY;
    if (!Number.isInteger(config.weeks) || config.weeks < 2)
      throw new RangeError('weeks must be an integer >= 2');
    this.days = config.weeks * 7;
    const demand = this.buildDemand();
    this.master = buildMasterData(
      config,
      seed,
      demand.products.map((p) => p.category),
    );
    this.setUpParties(demand.series, demand.pharmacyGlns);
  }

  // ── set-up ────────────────────────────────────────────────────────────────────────────────────────
  private buildDemand(): {
    series: DemandSeries[];
    products: { category: string }[];
    pharmacyGlns: string[];
  } {
    const totalPharmacies = this.config.regions * this.config.pharmaciesPerRegion;
    const generated = generateDemand(
      {
        start: new Date(this.startMs + 7 * DAY).toISOString().slice(0, 10),
        weeks: this.config.weeks - 1,
        products: this.config.products,
        regions: this.config.regions,
        regionSeries: false,
        pharmacySeries: Math.round(totalPharmacies * this.config.productsPerPharmacy),
        pharmaciesPerRegion: this.config.pharmaciesPerRegion,
        pharmacyLevel: this.config.pharmacyLevel,
        frequency: 'daily',
        ...this.config.demand,
      },
      deriveSeed(this.seed, 'demand'),
    );
    return {
      series: generated.series,
      products: generated.products,
      pharmacyGlns: generated.pharmacies.map((p) => p.gln),
    };
  }

  private setUpParties(series: DemandSeries[], demandPharmacyGlns: string[]): void {
    const party = (org: OrganisationInfo): Party => ({
      companyPrefix: org.companyPrefix,
      pgln: org.pgln,
      site: org.sites[0]!.sgln,
    });
    const regionIndex = (code: string) => this.master.regions.findIndex((r) => r.code === code);
    for (const org of this.master.organisations) {
      if (org.role === 'manufacturer') {
        this.manufacturers.push({
          index: this.manufacturers.length,
          org,
          party: party(org),
          currentLot: new Map(),
        });
      } else if (org.role === 'wholesaler') {
        this.wholesalers.push({
          index: this.wholesalers.length,
          org,
          party: party(org),
          region: regionIndex(org.region),
          lines: new Map(),
        });
      }
    }
    for (const org of this.master.organisations.filter((o) => o.role === 'pharmacy')) {
      const region = regionIndex(org.region);
      const local = this.wholesalers.filter((w) => w.region === region);
      const rng = this.ops.fork(`pharmacy-setup:${org.id}`);
      const primary = local.length > 0 ? rng.pick(local) : this.nearestWholesaler(org, -1);
      const secondary = this.nearestWholesaler(org, primary.index, primary.region);
      this.pharmacies.push({
        index: this.pharmacies.length,
        org,
        party: party(org),
        region,
        wholesaler: primary.index,
        secondary: secondary.index,
        lines: new Map(),
      });
    }
    this.master.products.forEach((product, p) => {
      this.productMaker.push(this.manufacturers.findIndex((m) => m.org.id === product.manufacturerId));
      const rng = this.root.fork(`serials:${p}`);
      let mul = 100_003 + 2 * rng.int(400_000);
      while (mul % 3 === 0 || mul % 2 === 0) mul += 2;
      this.serialMul.push(mul);
      this.serialAdd.push(rng.int(SERIAL_SPACE));
      this.serialCounter.push(0);
      this.lotCounter.push(0);
      this.lotHistory.push([]);
    });
    // Demand series → pharmacy lines (the generator lists pharmacies region-major, as the master data does).
    const pharmacyByDemandGln = new Map(demandPharmacyGlns.map((gln, i) => [gln, i]));
    const productByDemandGtin = new Map<string, number>();
    const gtins = [...new Set(series.map((s) => s.gtin))].sort();
    gtins.forEach((gtin) => productByDemandGtin.set(gtin, Number(gtin.slice(8, 13)) - 10001));
    for (const s of series) {
      if (s.kind !== 'pharmacy' || !s.pharmacy) continue;
      const k = pharmacyByDemandGln.get(s.pharmacy);
      const p = productByDemandGtin.get(s.gtin);
      if (
        k === undefined ||
        p === undefined ||
        !this.pharmacies[k] ||
        p < 0 ||
        p >= this.master.products.length
      )
        continue;
      const expected = s.components.expected;
      const baseRate = expected.length > 0 ? expected.reduce((a, b) => a + b, 0) / expected.length : 0;
      this.pharmacies[k].lines.set(p, {
        loose: [],
        onOrder: 0,
        baseRate,
        demand7: [],
        backlog: 0,
        series: s,
      });
    }
    for (const pharmacy of this.pharmacies) {
      for (const [p, line] of pharmacy.lines) {
        const wholesaler = this.wholesalers[pharmacy.wholesaler]!;
        const wl = this.wholesalerLine(wholesaler, p);
        wl.baseRate += line.baseRate;
      }
    }
    for (let w = 0; w < this.wholesalers.length; w++) this.pharmacyOrders.push([]);
    for (let m = 0; m < this.manufacturers.length; m++) this.manufacturerOrders.push([]);
  }

  private nearestWholesaler(org: OrganisationInfo, exclude: number, excludeRegion?: number): Wholesaler {
    let best: Wholesaler | undefined;
    let bestKm = Infinity;
    for (const w of this.wholesalers) {
      if (w.index === exclude) continue;
      if (
        excludeRegion !== undefined &&
        w.region === excludeRegion &&
        this.wholesalers.some((o) => o.region !== excludeRegion)
      )
        continue;
      const km = distanceKm(org, w.org);
      if (km < bestKm) {
        bestKm = km;
        best = w;
      }
    }
    return best ?? this.wholesalers[0]!;
  }

  private wholesalerLine(wholesaler: Wholesaler, product: number): WholesalerLine {
    let line = wholesaler.lines.get(product);
    if (!line) {
      line = { cases: [], loose: [], onOrder: 0, outflow: [], shippedToday: 0, baseRate: 0 };
      wholesaler.lines.set(product, line);
    }
    return line;
  }

  // ── main loop ─────────────────────────────────────────────────────────────────────────────────────
  run(): SimulatedScenario {
    for (let day = 0; day < this.days; day++) {
      this.schedulePatterns(day);
      this.morningPicking(day);
      this.manufacturing(day);
      this.palletReceipts(day);
      this.pharmacyDay(day);
      if (day >= 3) this.pharmacyReview(day);
      this.wholesalerReview(day);
    }
    return this.finish();
  }

  private at(day: number, hours: number): number {
    return this.startMs + day * DAY + Math.round(hours * HOUR);
  }

  private dayOf(ms: number): number {
    return Math.floor((ms - this.startMs) / DAY);
  }

  // ── identifiers ───────────────────────────────────────────────────────────────────────────────────
  private serialFor(product: number, counter: number): string {
    const value = (this.serialMul[product]! * counter + this.serialAdd[product]!) % SERIAL_SPACE;
    return value.toString(36).toUpperCase().padStart(8, '0');
  }

  private newPack(product: number, lot: LotInfo): Pack {
    const info = this.master.products[product]!;
    const serial = this.serialFor(product, this.serialCounter[product]!++);
    this.packsCreated++;
    return { epc: sgtinUrn(info.companyPrefix, info.itemReference, serial), serial, product, lot };
  }

  /** A serial of the right format that was never issued (checked against the bijection). */
  private fakeSerial(product: number, rng: Random): string {
    for (;;) {
      const serial = Array.from({ length: 8 }, () => rng.int(36).toString(36))
        .join('')
        .toUpperCase();
      const value = parseInt(serial, 36);
      const counter = modInverseTimes(
        this.serialMul[product]!,
        value - this.serialAdd[product]!,
        SERIAL_SPACE,
      );
      if (
        counter >= this.serialCounter[product]! + 1_000_000 &&
        !this.issuedFakes.has(`${product}:${serial}`)
      ) {
        this.issuedFakes.add(`${product}:${serial}`);
        return serial;
      }
    }
  }

  private sscc(org: OrganisationInfo): string {
    const next = (this.ssccCounter.get(org.id) ?? 0) + 1;
    this.ssccCounter.set(org.id, next);
    return ssccUrn(org.companyPrefix, next);
  }

  private newLot(product: number, day: number): LotInfo {
    const info = this.master.products[product]!;
    const produced = new Date(this.at(day, 0));
    const n = ++this.lotCounter[product]!;
    const code = info.name
      .replace(/[^A-Za-z]/g, '')
      .slice(0, 2)
      .toUpperCase();
    const lot = `B${String(produced.getUTCFullYear()).slice(2)}${code}${String(n).padStart(3, '0')}`;
    const expiry = endOfMonth(produced.getUTCFullYear(), produced.getUTCMonth() + info.shelfLifeMonths);
    const lotInfo = { product, lot, expiry };
    this.lotHistory[product]!.push(lotInfo);
    return lotInfo;
  }

  private documentId(): string {
    const n = this.docCounter++;
    const words = [0, 1, 2, 3].map((i) =>
      deriveSeed(this.seed, `doc:${n}:${i}`).toString(16).padStart(8, '0'),
    );
    const hex = words.join('');
    const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
    return `urn:uuid:${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  }

  // ── emission ──────────────────────────────────────────────────────────────────────────────────────
  /** Wraps events in a document from `publisher`, decides when it reaches Pedigree, applies send noise. */
  private emit(draft: {
    events: Json[];
    publisher: OrganisationInfo;
    key: string;
    description: string;
    lastEventMs: number;
    sentAtMs?: number;
    noise?: NoiseKind[];
    quiet?: boolean;
    epcs?: string[];
  }): string {
    const documentId = this.documentId();
    const noise: NoiseKind[] = [...(draft.noise ?? [])];
    let sentAt = draft.sentAtMs ?? draft.lastEventMs + Math.round(this.noiseRng.between(5_000, 10 * MINUTE));
    if (!draft.quiet && this.noiseRng.bernoulli(this.config.noise.lateUpload)) {
      sentAt += Math.round(this.noiseRng.between(2 * HOUR, 36 * HOUR));
      noise.push('late_upload');
      this.noiseLabel('late_upload', [documentId], draft.epcs ?? []);
    }
    const document = epcisDocument(draft.events, { id: documentId, created: new Date(sentAt) });
    this.documents.set(documentId, document);
    this.eventCount += draft.events.length;
    const base = {
      documentId,
      key: draft.key,
      publisherOrgId: draft.publisher.id,
      document,
      description: draft.description,
    };
    this.drafts.push({ ...base, sentAt, order: this.draftOrder++, ...(noise.length > 0 ? { noise } : {}) });
    if (!draft.quiet && this.noiseRng.bernoulli(this.config.noise.duplicateSend)) {
      const again = sentAt + Math.round(this.noiseRng.between(MINUTE, 12 * HOUR));
      this.drafts.push({ ...base, sentAt: again, order: this.draftOrder++, noise: ['duplicate_send'] });
      this.noiseLabel('duplicate_send', [documentId], draft.epcs ?? []);
    }
    return documentId;
  }

  private noiseLabel(kind: NoiseKind, documentIds: string[], epcs: string[]): void {
    this.noiseLabels.push({
      id: `noise-${String(++this.noiseCounter).padStart(5, '0')}`,
      kind,
      documentIds,
      epcs,
    });
  }

  private newLabel(
    kind: PatternKind,
    subject: string,
    description: string,
    startedMs: number,
    orgIds: string[],
  ): PatternLabel {
    const label: PatternLabel = {
      id: `pattern-${String(++this.labelCounter).padStart(4, '0')}`,
      kind,
      description,
      epcs: [],
      documentIds: [],
      eventHashes: [],
      subject,
      orgIds: [...new Set(orgIds)],
      startedAt: new Date(startedMs).toISOString(),
    };
    this.patternLabels.push(label);
    this.labelById.set(label.id, label);
    return label;
  }

  private attach(labelId: string, epcs: string[], documentId?: string): void {
    const label = this.labelById.get(labelId);
    if (!label) return;
    for (const epc of epcs) if (!label.epcs.includes(epc)) label.epcs.push(epc);
    if (documentId && !label.documentIds.includes(documentId)) label.documentIds.push(documentId);
  }

  // ── wholesalers: picking and dispatch ─────────────────────────────────────────────────────────────
  private morningPicking(day: number): void {
    for (const wholesaler of this.wholesalers) {
      const orders = this.pharmacyOrders[wholesaler.index]!;
      this.pharmacyOrders[wholesaler.index] = [];
      let clock = this.at(day, 5 + this.ops.between(0, 0.5));
      for (const order of orders) {
        const pharmacy = this.pharmacies[order.pharmacy]!;
        const opened: Json[] = [];
        const packs: Pack[] = [];
        for (const line of order.lines) {
          const taken = this.take(wholesaler, line.product, line.qty, clock, opened);
          packs.push(...taken);
          const pl = pharmacy.lines.get(line.product);
          // What could not be delivered is no longer on order: the pharmacy will order it again.
          if (pl) pl.onOrder -= line.qty - taken.length;
        }
        const injected = this.toteInjections.get(wholesaler.index);
        const labelIds: string[] = [];
        if (injected && injected.length > 0 && packs.length > 0) {
          for (const injection of injected) {
            packs.push(injection.pack);
            labelIds.push(injection.labelId);
          }
          this.toteInjections.delete(wholesaler.index);
        }
        if (packs.length === 0) continue;
        clock += Math.round(this.ops.between(1, 4) * MINUTE);
        this.dispatchTote(day, wholesaler, pharmacy, packs, opened, clock, labelIds, order);
      }
      if (this.pendingDiversion.includes(wholesaler.index)) {
        this.pendingDiversion.splice(this.pendingDiversion.indexOf(wholesaler.index), 1);
        this.divert(day, wholesaler, clock + 10 * MINUTE);
      }
    }
  }

  /** Takes `qty` packs first-expiry-first-out, opening cases (unpacking events) when loose stock runs out. */
  private take(wholesaler: Wholesaler, product: number, qty: number, clock: number, opened: Json[]): Pack[] {
    const line = this.wholesalerLine(wholesaler, product);
    const out: Pack[] = [];
    while (out.length < qty) {
      if (line.loose.length === 0) {
        const box = line.cases.shift();
        if (!box) break;
        opened.push(
          unpackingEvent({
            parent: box.sscc,
            at: wholesaler.party,
            time: new Date(clock - (opened.length + 1) * 20_000),
          }),
        );
        line.loose.push(...box.packs);
      }
      out.push(line.loose.shift()!);
    }
    line.shippedToday += out.length;
    return out;
  }

  private dispatchTote(
    day: number,
    wholesaler: Wholesaler,
    pharmacy: Pharmacy,
    picked: Pack[],
    opened: Json[],
    pickTime: number,
    labelIds: string[],
    order: PharmacyOrder | undefined,
  ): void {
    const tote = this.sscc(wholesaler.org);
    this.emitCaseOpenings(wholesaler, opened, pickTime);
    const pickDoc = this.emit({
      events: [
        packingEvent({
          parent: tote,
          children: picked.map((p) => p.epc),
          at: wholesaler.party,
          time: new Date(pickTime),
        }),
      ],
      publisher: wholesaler.org,
      key: tote,
      description: `${wholesaler.org.name} picks ${picked.length} packs into tote ${tote} for ${pharmacy.org.name}`,
      lastEventMs: pickTime,
      epcs: picked.map((p) => p.epc),
    });
    for (const id of labelIds)
      this.attach(
        id,
        picked.filter((p) => this.watched.get(p.epc) === id).map((p) => p.epc),
        pickDoc,
      );
    const packs = this.quarantine(wholesaler, tote, picked, labelIds, pickTime, pharmacy);
    const epcs = packs.map((p) => p.epc);
    this.shipments++;
    const km = distanceKm(wholesaler.org, pharmacy.org);
    const shipTime = Math.max(pickTime + 20 * MINUTE, this.at(day, 7 + this.ops.between(0, 2.5)));
    let arrival = shipTime + Math.round((km / 55 + this.ops.between(0.5, 3)) * HOUR);
    const receiptLabels = [...labelIds];
    let impossible: PatternLabel | undefined;
    if (this.pendingImpossible.tote > 0 && km >= 35) {
      this.pendingImpossible.tote--;
      impossible = this.newLabel(
        'impossible_travel',
        tote,
        `tote ${tote} recorded as received at ${pharmacy.org.name} ${km.toFixed(0)} km away minutes after it left ${wholesaler.org.name}`,
        shipTime,
        [wholesaler.org.id, pharmacy.org.id],
      );
      arrival = shipTime + Math.round((km / this.ops.between(300, 700)) * HOUR);
      receiptLabels.push(impossible.id);
      this.attach(impossible.id, epcs, pickDoc);
    } else {
      arrival = this.openingTime(arrival, 8, 19);
    }
    // Receive-before-ship noise: the dispatch document reaches Pedigree after the pharmacy's receipt.
    const late = !impossible && this.noiseRng.bernoulli(this.config.noise.receiveBeforeShip);
    const shipDoc = this.emit({
      events: [
        shippingEvent({
          epcs: [tote],
          from: wholesaler.party,
          to: pharmacy.party,
          time: new Date(shipTime),
          despatchAdvice: `urn:epcglobal:cbv:bt:${wholesaler.org.partyGln}:DA-${tote.slice(-9)}`,
        }),
      ],
      publisher: wholesaler.org,
      key: tote,
      description: `${wholesaler.org.name} ships tote ${tote} to ${pharmacy.org.name}`,
      lastEventMs: shipTime,
      ...(late
        ? {
            sentAtMs: arrival + Math.round(this.noiseRng.between(0.5 * HOUR, 8 * HOUR)),
            noise: ['receive_before_ship' as const],
          }
        : {}),
      quiet: impossible !== undefined,
      epcs,
    });
    if (late) this.noiseLabel('receive_before_ship', [shipDoc], epcs);
    for (const id of labelIds) this.attach(id, [], shipDoc);
    if (impossible) this.attach(impossible.id, [], shipDoc);
    let receiver = pharmacy.index;
    if (!impossible && this.pendingMisdelivery.length > 0 && order) {
      const candidates = this.pharmacies.filter(
        (p) => p.index !== pharmacy.index && p.wholesaler === wholesaler.index,
      );
      if (candidates.length > 0) {
        this.pendingMisdelivery.pop();
        const rng = this.root.fork(`custody:${tote}`);
        const other = rng.pick(candidates);
        receiver = other.index;
        const label = this.newLabel(
          'custody_break',
          tote,
          `tote ${tote} shipped to ${pharmacy.org.name} is received by ${other.org.name}`,
          shipTime,
          [wholesaler.org.id, pharmacy.org.id, other.org.id],
        );
        receiptLabels.push(label.id);
        this.attach(label.id, epcs, shipDoc);
        arrival = this.openingTime(
          shipTime + Math.round((distanceKm(wholesaler.org, other.org) / 55 + rng.between(0.5, 3)) * HOUR),
          8,
          19,
        );
        // The addressee never gets the tote: what it ordered is no longer on order once the delivery fails.
        for (const p of packs) {
          const pl = pharmacy.lines.get(p.product);
          if (pl) pl.onOrder -= 1;
        }
      }
    }
    this.schedule(this.toteAgenda, {
      kind: 'tote',
      time: arrival,
      pharmacy: receiver,
      addressee: pharmacy.index,
      sscc: tote,
      packs,
      from: wholesaler,
      labelIds: receiptLabels,
      vanish: false,
      order: receiver === pharmacy.index ? order : undefined,
    });
  }

  /**
   * A pick with an injected pack (a copy, a pack already dispensed) is refused whole by Pedigree, and its dead letter
   * names the pack. The wholesaler's system re-sends the pick without it and the pack stays in quarantine, as a real
   * one would: otherwise the genuine packs in the tote never reach the pharmacy on record, and every sale of them is
   * refused in turn. Sent without noise draws (`sentAtMs`, `quiet`), so the rest of the scenario is unchanged.
   */
  private quarantine(
    wholesaler: Wholesaler,
    tote: string,
    picked: Pack[],
    labelIds: readonly string[],
    pickTime: number,
    pharmacy: Pharmacy,
  ): Pack[] {
    const kept = picked.filter((p) => !labelIds.includes(this.watched.get(p.epc) ?? ''));
    if (kept.length === picked.length || kept.length === 0) return picked;
    const epcs = kept.map((p) => p.epc);
    this.emit({
      events: [
        packingEvent({
          parent: tote,
          children: epcs,
          at: wholesaler.party,
          time: new Date(pickTime + 12 * MINUTE),
        }),
      ],
      publisher: wholesaler.org,
      key: tote,
      description: `${wholesaler.org.name} re-sends the pick of tote ${tote} for ${pharmacy.org.name} without the ${picked.length - kept.length} pack(s) Pedigree refused, now in quarantine`,
      lastEventMs: pickTime + 12 * MINUTE,
      sentAtMs: pickTime + 15 * MINUTE,
      quiet: true,
      epcs,
    });
    return kept;
  }

  /**
   * Cases opened to fill a pick are reported on their own, as a warehouse system does when it replenishes a
   * picking location: bundled with the tote, a rolled-back pick document would lose the openings and every later
   * pick from those cases would fail too.
   */
  private emitCaseOpenings(wholesaler: Wholesaler, opened: Json[], pickTime: number): void {
    if (opened.length === 0) return;
    const events = [...opened].reverse();
    const first = events[0] as { parentID: string };
    this.emit({
      events,
      publisher: wholesaler.org,
      key: first.parentID,
      description: `${wholesaler.org.name} opens ${events.length} case(s) for picking`,
      lastEventMs: pickTime - 20_000,
      sentAtMs: pickTime - 20_000 + Math.round(this.noiseRng.between(1_000, 10_000)),
    });
  }

  /** Moves `ms` into opening hours [open, close) of its day, or to the next morning. */
  private openingTime(ms: number, open: number, close: number): number {
    const day = this.dayOf(ms);
    const hour = (ms - this.at(day, 0)) / HOUR;
    if (hour < open) return this.at(day, open + this.ops.between(0, 0.5));
    if (hour >= close) return this.at(day + 1, open + this.ops.between(0, 0.5));
    return ms;
  }

  private schedule<T extends { time: number }>(agenda: Map<number, T[]>, item: T): void {
    const day = this.dayOf(item.time);
    const list = agenda.get(day) ?? [];
    list.push(item);
    agenda.set(day, list);
  }

  // ── manufacturers ─────────────────────────────────────────────────────────────────────────────────
  private manufacturing(day: number): void {
    for (const maker of this.manufacturers) {
      const orders = this.manufacturerOrders[maker.index]!;
      this.manufacturerOrders[maker.index] = [];
      let clock = this.at(day, 6 + this.ops.between(0, 1));
      for (const order of orders) {
        const product = this.master.products[order.product]!;
        const lot = this.lotFor(maker, order.product, order.cases * product.packsPerCase, day);
        const cases: Case[] = [];
        for (let c = 0; c < order.cases; c++) {
          cases.push({
            sscc: this.sscc(maker.org),
            packs: Array.from({ length: product.packsPerCase }, () => this.newPack(order.product, lot)),
          });
        }
        const wholesaler = this.wholesalers[order.wholesaler]!;
        for (let start = 0; start < cases.length; start += MAX_CASES_PER_PALLET) {
          const palletCases = cases.slice(start, start + MAX_CASES_PER_PALLET);
          const pallet = this.sscc(maker.org);
          const packs = palletCases.flatMap((c) => c.packs.map((p) => p.epc));
          const t0 = clock;
          const events: Json[] = [
            commissioningEvent({
              epcs: packs,
              at: maker.party,
              time: new Date(t0),
              lot: lot.lot,
              expiry: lot.expiry,
            }),
            ...palletCases.map((c, i) =>
              packingEvent({
                parent: c.sscc,
                children: c.packs.map((p) => p.epc),
                at: maker.party,
                time: new Date(t0 + (i + 1) * 30_000),
              }),
            ),
            packingEvent({
              parent: pallet,
              children: palletCases.map((c) => c.sscc),
              at: maker.party,
              time: new Date(t0 + (palletCases.length + 2) * 30_000),
            }),
          ];
          const lastEventMs = t0 + (palletCases.length + 2) * 30_000;
          this.emit({
            events,
            publisher: maker.org,
            key: `${product.gtin}:${lot.lot}`,
            description: `${maker.org.name} commissions ${packs.length} packs of ${product.name} (lot ${lot.lot}), packs ${palletCases.length} cases onto pallet ${pallet}`,
            lastEventMs,
            epcs: packs,
          });
          clock = lastEventMs + Math.round(this.ops.between(5, 20) * MINUTE);
          this.dispatchPallet(day, maker, wholesaler, pallet, palletCases);
        }
      }
    }
  }

  private lotFor(maker: Manufacturer, product: number, packs: number, day: number): LotInfo {
    const current = maker.currentLot.get(product);
    if (current && current.remaining >= packs) {
      current.remaining -= packs;
      return current.info;
    }
    const info = this.newLot(product, day);
    const size = Math.max(packs, Math.round(this.ops.between(1500, 6000)));
    maker.currentLot.set(product, { info, remaining: size - packs });
    return info;
  }

  private dispatchPallet(
    day: number,
    maker: Manufacturer,
    wholesaler: Wholesaler,
    pallet: string,
    cases: Case[],
  ): void {
    const shipTime = this.at(day, 14 + this.ops.between(0, 3));
    const km = distanceKm(maker.org, wholesaler.org);
    let arrival = shipTime + Math.round((km / 70 + this.ops.between(2, 8)) * HOUR);
    const epcs = cases.flatMap((c) => c.packs.map((p) => p.epc));
    const labelIds: string[] = [];
    let quiet = false;
    if (this.pendingImpossible.pallet > 0 && km >= 80) {
      this.pendingImpossible.pallet--;
      quiet = true;
      arrival = shipTime + Math.round((km / this.ops.between(300, 700)) * HOUR);
      const label = this.newLabel(
        'impossible_travel',
        pallet,
        `pallet ${pallet} recorded as received at ${wholesaler.org.name} ${km.toFixed(0)} km away ${((arrival - shipTime) / HOUR).toFixed(1)} h after it left ${maker.org.name}`,
        shipTime,
        [maker.org.id, wholesaler.org.id],
      );
      labelIds.push(label.id);
      this.attach(label.id, epcs);
    } else {
      arrival = this.openingTime(arrival, 6, 22);
    }
    this.shipments++;
    const doc = this.emit({
      events: [
        shippingEvent({
          epcs: [pallet],
          from: maker.party,
          to: wholesaler.party,
          time: new Date(shipTime),
          despatchAdvice: `urn:epcglobal:cbv:bt:${maker.org.partyGln}:DA-${pallet.slice(-9)}`,
        }),
      ],
      publisher: maker.org,
      key: pallet,
      description: `${maker.org.name} ships pallet ${pallet} (${epcs.length} packs) to ${wholesaler.org.name}`,
      lastEventMs: shipTime,
      quiet,
      epcs,
    });
    for (const id of labelIds) this.attach(id, [], doc);
    this.schedule(this.palletAgenda, {
      kind: 'pallet',
      time: arrival,
      wholesaler: wholesaler.index,
      sscc: pallet,
      cases,
      from: maker,
      labelIds,
    });
  }

  private palletReceipts(day: number): void {
    const receipts = (this.palletAgenda.get(day) ?? []).sort((a, b) => a.time - b.time);
    this.palletAgenda.delete(day);
    for (const receipt of receipts) {
      const wholesaler = this.wholesalers[receipt.wholesaler]!;
      const epcs = receipt.cases.flatMap((c) => c.packs.map((p) => p.epc));
      const doc = this.emit({
        events: [
          receivingEvent({
            epcs: [receipt.sscc],
            from: receipt.from.party,
            at: wholesaler.party,
            time: new Date(receipt.time),
          }),
          unpackingEvent({
            parent: receipt.sscc,
            at: wholesaler.party,
            time: new Date(receipt.time + 15 * MINUTE),
          }),
        ],
        publisher: wholesaler.org,
        key: receipt.sscc,
        description: `${wholesaler.org.name} receives pallet ${receipt.sscc} from ${receipt.from.org.name} and breaks it into cases`,
        lastEventMs: receipt.time + 15 * MINUTE,
        quiet: receipt.labelIds.length > 0,
        epcs,
      });
      for (const id of receipt.labelIds) this.attach(id, [], doc);
      for (const box of receipt.cases) {
        const line = this.wholesalerLine(wholesaler, box.packs[0]!.product);
        line.cases.push(box);
        line.onOrder -= box.packs.length;
      }
    }
  }

  // ── pharmacies ────────────────────────────────────────────────────────────────────────────────────
  private pharmacyDay(day: number): void {
    const receipts = (this.toteAgenda.get(day) ?? []).sort((a, b) => a.time - b.time);
    this.toteAgenda.delete(day);
    const byPharmacy = new Map<number, ToteReceipt[]>();
    for (const receipt of receipts) {
      if (receipt.wholesalerReceiver !== undefined) {
        this.receiveAtWholesaler(receipt);
        continue;
      }
      const list = byPharmacy.get(receipt.pharmacy) ?? [];
      list.push(receipt);
      byPharmacy.set(receipt.pharmacy, list);
    }
    const demandDay = day - 7;
    for (const pharmacy of this.pharmacies) {
      const rng = this.ops.fork(`pharmacy-day:${pharmacy.index}:${day}`);
      type Item = { time: number; receipt?: ToteReceipt; product?: number };
      const items: Item[] = (byPharmacy.get(pharmacy.index) ?? []).map((receipt) => ({
        time: receipt.time,
        receipt,
      }));
      for (const [p, line] of pharmacy.lines) {
        let units = demandDay >= 0 ? demandOn(line.series, this.startMs + 7 * DAY, demandDay) : 0;
        const spike = this.activeSpike(pharmacy.index, p, day);
        // New demand (not the waiting backlog) is what the pharmacy orders for.
        let fresh = units;
        if (spike) {
          const extra = rng.poisson(spike.extraPerDay);
          fresh += extra;
          units += line.backlog + extra;
          line.backlog = 0;
        } else {
          line.backlog = 0;
        }
        recordRing(line.demand7, fresh, 7);
        for (let u = 0; u < units; u++)
          items.push({ time: this.at(day, 8 + rng.between(0, 11)), product: p });
      }
      items.sort((a, b) => a.time - b.time || (a.receipt ? -1 : 1));
      for (const item of items) {
        if (item.receipt) this.receiveTote(item.receipt);
        else if (item.product !== undefined) this.dispense(pharmacy, item.product, item.time, day, rng);
      }
    }
  }

  private receiveTote(receipt: ToteReceipt): void {
    const pharmacy = this.pharmacies[receipt.pharmacy]!;
    const epcs = receipt.packs.map((p) => p.epc);
    const doc = this.emit({
      events: [
        receivingEvent({
          epcs: [receipt.sscc],
          from: receipt.from.party,
          at: pharmacy.party,
          time: new Date(receipt.time),
        }),
        unpackingEvent({
          parent: receipt.sscc,
          at: pharmacy.party,
          time: new Date(receipt.time + 5 * MINUTE),
        }),
      ],
      publisher: pharmacy.org,
      key: receipt.sscc,
      description: `${pharmacy.org.name} receives tote ${receipt.sscc} (${receipt.packs.length} packs) from ${receipt.from.org.name}`,
      lastEventMs: receipt.time + 5 * MINUTE,
      quiet: receipt.labelIds.some((id) => this.labelById.get(id)?.kind === 'impossible_travel'),
      epcs,
    });
    for (const id of receipt.labelIds) this.attach(id, [], doc);
    if (receipt.vanish) return;
    for (const pack of receipt.packs) {
      let line = pharmacy.lines.get(pack.product);
      if (!line) {
        line = { loose: [], onOrder: 0, baseRate: 0, demand7: [], backlog: 0 };
        pharmacy.lines.set(pack.product, line);
      }
      insertByExpiry(line.loose, pack);
      if (receipt.order && receipt.addressee === receipt.pharmacy && !this.watched.has(pack.epc))
        line.onOrder -= 1;
    }
  }

  private receiveAtWholesaler(receipt: ToteReceipt): void {
    const wholesaler = this.wholesalers[receipt.wholesalerReceiver!]!;
    const time = this.openingTime(receipt.time, 6, 22);
    const doc = this.emit({
      events: [
        receivingEvent({
          epcs: [receipt.sscc],
          from: receipt.from.party,
          at: wholesaler.party,
          time: new Date(time),
        }),
        unpackingEvent({ parent: receipt.sscc, at: wholesaler.party, time: new Date(time + 10 * MINUTE) }),
      ],
      publisher: wholesaler.org,
      key: receipt.sscc,
      description: `${wholesaler.org.name} receives tote ${receipt.sscc} from ${receipt.from.org.name}`,
      lastEventMs: time + 10 * MINUTE,
      epcs: receipt.packs.map((p) => p.epc),
    });
    for (const id of receipt.labelIds) this.attach(id, [], doc);
  }

  private dispense(pharmacy: Pharmacy, product: number, time: number, day: number, rng: Random): void {
    const line = pharmacy.lines.get(product)!;
    const pack = line.loose.shift();
    const spike = this.activeSpike(pharmacy.index, product, day);
    if (!pack) {
      if (spike) line.backlog++;
      else this.lostSales++;
      return;
    }
    const info = this.master.products[product]!;
    // A damaged or returned pack is decommissioned instead of dispensed now and then.
    const decommission = rng.bernoulli(this.config.decommissionShare);
    const events = [
      decommission
        ? decommissioningEvent({ epcs: [pack.epc], at: pharmacy.party, time: new Date(time) })
        : dispensingEvent({ epcs: [pack.epc], at: pharmacy.party, time: new Date(time) }),
    ];
    let eventTime = time;
    if (!decommission && this.noiseRng.bernoulli(this.config.noise.missingGsSeparator)) {
      // The scanner dropped GS; the POS read a serial that does not exist, then the pharmacist re-scanned.
      const wrong = misreadSerial({ serial: pack.serial, lot: pack.lot.lot, expiry: pack.lot.expiry });
      const wrongEpc = sgtinUrn(info.companyPrefix, info.itemReference, wrong);
      const misread = this.emit({
        events: [dispensingEvent({ epcs: [wrongEpc], at: pharmacy.party, time: new Date(time) })],
        publisher: pharmacy.org,
        key: `${info.gtin}:${pack.lot.lot}`,
        description: `${pharmacy.org.name} dispenses a pack scanned without GS separator (serial misread as ${wrong})`,
        lastEventMs: time,
        noise: ['missing_gs_separator'],
        quiet: true,
        epcs: [wrongEpc],
      });
      this.noiseLabel('missing_gs_separator', [misread], [wrongEpc, pack.epc]);
      this.scans.push(this.scan(pack, pharmacy, time, false));
      eventTime = time + Math.round(rng.between(30_000, 3 * MINUTE));
      events[0] = dispensingEvent({ epcs: [pack.epc], at: pharmacy.party, time: new Date(eventTime) });
    } else if (rng.bernoulli(this.config.scanSampleShare)) {
      this.scans.push(this.scan(pack, pharmacy, time, rng.bernoulli(0.7)));
    }
    const doc = this.emit({
      events,
      publisher: pharmacy.org,
      key: `${info.gtin}:${pack.lot.lot}`,
      description: `${pharmacy.org.name} ${decommission ? 'decommissions' : 'dispenses'} ${pack.epc}`,
      lastEventMs: eventTime,
      epcs: [pack.epc],
    });
    const watchedLabel = this.watched.get(pack.epc);
    if (watchedLabel) this.attach(watchedLabel, [pack.epc], doc);
    if (spike) this.attach(spike.labelId, [pack.epc], doc);
    if (!decommission) {
      this.dispensedCount++;
      const key = `${info.gtin}@${pharmacy.org.sites[0]!.gln}`;
      const week = Math.floor((day - 7) / 7);
      if (week >= 0) {
        const values = this.dispensedWeekly.get(key) ?? [];
        while (values.length <= week) values.push(0);
        values[week]!++;
        this.dispensedWeekly.set(key, values);
      }
    }
    this.terminal.push({ pack, pharmacy: pharmacy.index, day, decommissioned: decommission });
    if (this.terminal.length > 5000) this.terminal.splice(0, this.terminal.length - 5000);
  }

  private scan(
    pack: Pack,
    pharmacy: Pharmacy,
    time: number,
    withSeparator: boolean,
    pattern?: PatternKind,
  ): ScanRecord {
    const gtin = this.master.products[pack.product]!.gtin;
    return {
      at: new Date(time).toISOString(),
      siteGln: pharmacy.org.sites[0]!.gln,
      barcode: packBarcode(
        { gtin, serial: pack.serial, lot: pack.lot.lot, expiry: pack.lot.expiry },
        withSeparator,
      ),
      withSeparator,
      gtin,
      serial: pack.serial,
      lot: pack.lot.lot,
      expiry: pack.lot.expiry,
      epc: pack.epc,
      ...(pattern ? { pattern } : {}),
    };
  }

  private activeSpike(pharmacy: number, product: number, day: number): Spike | undefined {
    return this.spikes.find(
      (s) => s.pharmacy === pharmacy && s.products.has(product) && day >= s.startDay && day < s.endDay,
    );
  }

  // ── ordering ──────────────────────────────────────────────────────────────────────────────────────
  private pharmacyReview(day: number): void {
    for (const pharmacy of this.pharmacies) {
      const lines: { product: number; qty: number }[] = [];
      for (const [p, line] of pharmacy.lines) {
        if (!line.series && line.baseRate === 0) continue;
        const seen = line.demand7.length > 0 ? line.demand7.reduce((a, b) => a + b, 0) / 7 : 0;
        // Orders follow what the pharmacy actually sells (so a grey-market spike is fed, with a lag).
        const rate = Math.max(line.baseRate, seen);
        const reorder = Math.ceil(rate * 2 + Math.sqrt(rate * 2));
        const upTo = reorder + Math.max(1, Math.ceil(rate * 7));
        const position = line.loose.length + line.onOrder - line.backlog;
        if (position <= reorder && rate > 0) lines.push({ product: p, qty: upTo - position });
      }
      if (lines.length === 0) continue;
      for (const l of lines) pharmacy.lines.get(l.product)!.onOrder += l.qty;
      const rng = this.ops.fork(`order:${pharmacy.index}:${day}`);
      const target = rng.bernoulli(this.config.secondaryWholesalerShare)
        ? pharmacy.secondary
        : pharmacy.wholesaler;
      this.pharmacyOrders[target]!.push({ pharmacy: pharmacy.index, lines });
    }
  }

  private wholesalerReview(day: number): void {
    for (const wholesaler of this.wholesalers) {
      for (const [p, line] of wholesaler.lines) {
        recordRing(line.outflow, line.shippedToday, 14);
        line.shippedToday = 0;
        const product = this.master.products[p]!;
        const recent =
          line.outflow.length > 0 ? line.outflow.reduce((a, b) => a + b, 0) / line.outflow.length : 0;
        const rate = Math.max(line.baseRate, recent);
        if (rate <= 0) continue;
        const stock = line.loose.length + line.cases.reduce((n, c) => n + c.packs.length, 0);
        const reorder = rate * 6;
        const upTo = reorder + Math.max(rate * 10, product.packsPerCase * 2);
        // Day 0 stocks the whole network at once.
        if (stock + line.onOrder > reorder && day > 0) continue;
        const cases = Math.ceil((upTo - stock - line.onOrder) / product.packsPerCase);
        if (cases <= 0) continue;
        line.onOrder += cases * product.packsPerCase;
        this.manufacturerOrders[this.productMaker[p]!]!.push({
          wholesaler: wholesaler.index,
          product: p,
          cases,
        });
      }
    }
  }

  // ── injected patterns ─────────────────────────────────────────────────────────────────────────────
  private schedulePatterns(day: number): void {
    if (day < (PATTERN_START_WEEK - 1) * 7) return;
    for (const kind of PATTERN_KINDS) {
      const rate = this.config.patterns[kind] ?? 0;
      if (rate <= 0) continue;
      const rng = this.root.fork(`pattern:${kind}:${day}`);
      const count = rng.poisson(rate / 7);
      for (let i = 0; i < count; i++) this.inject(kind, day, rng);
    }
  }

  private inject(kind: PatternKind, day: number, rng: Random): void {
    switch (kind) {
      case 'cloned_serial':
        return this.injectClone(day, rng);
      case 'unknown_serial':
        return this.injectUnknown(day, rng);
      case 'reappearance':
        return this.injectReappearance(day, rng);
      case 'lot_expiry_mismatch':
        return this.injectLotMismatch(day, rng);
      case 'impossible_travel':
        if (rng.bernoulli(0.5)) this.pendingImpossible.tote++;
        else this.pendingImpossible.pallet++;
        return;
      case 'custody_break':
        if (rng.bernoulli(0.6)) this.pendingMisdelivery.push(day);
        else this.injectTheft(day, rng);
        return;
      case 'diversion':
        this.pendingDiversion.push(rng.int(this.wholesalers.length));
        return;
      case 'grey_market_spike':
        return this.injectSpike(day, rng);
    }
  }

  /** A pack on a pharmacy shelf (or a wholesaler's) is copied; the copy shows up elsewhere. */
  private injectClone(day: number, rng: Random): void {
    const holder = this.randomStockedPharmacy(rng);
    if (!holder) return;
    const [pharmacy, line] = holder;
    // The last pack in expiry order stays on the shelf longest: the copy must surface while the original is there.
    const genuine = line.loose[line.loose.length - 1]!;
    if (this.watched.has(genuine.epc)) return;
    const viaWholesaler = rng.bernoulli(0.3);
    const others = this.pharmacies.filter((p) => p.index !== pharmacy.index);
    const time = this.at(day, 9 + rng.between(0, 9));
    if (viaWholesaler) {
      const wholesalers = this.wholesalers.filter((w) => w.index !== pharmacy.wholesaler);
      const wholesaler =
        wholesalers.length > 0 ? rng.pick(wholesalers) : this.wholesalers[pharmacy.wholesaler]!;
      const label = this.newLabel(
        'cloned_serial',
        genuine.epc,
        `a copy of ${genuine.epc} (on the shelf at ${pharmacy.org.name}) enters ${wholesaler.org.name}'s stock`,
        time,
        [pharmacy.org.id, wholesaler.org.id],
      );
      this.attach(label.id, [genuine.epc]);
      this.watched.set(genuine.epc, label.id);
      const list = this.toteInjections.get(wholesaler.index) ?? [];
      list.push({ pack: { ...genuine }, labelId: label.id });
      this.toteInjections.set(wholesaler.index, list);
      return;
    }
    const sameRegion = others.filter((p) => p.region === pharmacy.region);
    const target = rng.bernoulli(0.5) && sameRegion.length > 0 ? rng.pick(sameRegion) : rng.pick(others);
    const label = this.newLabel(
      'cloned_serial',
      genuine.epc,
      `a copy of ${genuine.epc} (on the shelf at ${pharmacy.org.name}) is dispensed at ${target.org.name}`,
      time,
      [pharmacy.org.id, target.org.id],
    );
    this.watched.set(genuine.epc, label.id);
    const info = this.master.products[genuine.product]!;
    const doc = this.emit({
      events: [dispensingEvent({ epcs: [genuine.epc], at: target.party, time: new Date(time) })],
      publisher: target.org,
      key: `${info.gtin}:${genuine.lot.lot}`,
      description: `${target.org.name} dispenses a copy of ${genuine.epc}`,
      lastEventMs: time,
      epcs: [genuine.epc],
    });
    this.attach(label.id, [genuine.epc], doc);
    if (rng.bernoulli(0.3)) this.scans.push(this.scan(genuine, target, time, true, 'cloned_serial'));
  }

  /** Fakes with serials that were never commissioned are dispensed at a pharmacy. */
  private injectUnknown(day: number, rng: Random): void {
    const pharmacy = rng.pick(this.pharmacies);
    const products = [...pharmacy.lines.keys()];
    if (products.length === 0) return;
    const product = rng.pick(products);
    const info = this.master.products[product]!;
    const lots = this.lotHistory[product]!;
    const lot = lots.length > 0 ? rng.pick(lots) : { product, lot: 'B00XX000', expiry: '2030-12-31' };
    const count = 1 + rng.int(3);
    const fakes = Array.from({ length: count }, () => {
      const serial = this.fakeSerial(product, rng);
      return { epc: sgtinUrn(info.companyPrefix, info.itemReference, serial), serial, product, lot };
    });
    const start = this.at(day, 9 + rng.between(0, 6));
    const label = this.newLabel(
      'unknown_serial',
      fakes[0]!.epc,
      `${count} pack(s) of ${info.name} with serials never commissioned are dispensed at ${pharmacy.org.name}`,
      start,
      [pharmacy.org.id],
    );
    fakes.forEach((fake, i) => {
      const time = start + Math.round(i * rng.between(10, 120) * MINUTE);
      const doc = this.emit({
        events: [dispensingEvent({ epcs: [fake.epc], at: pharmacy.party, time: new Date(time) })],
        publisher: pharmacy.org,
        key: `${info.gtin}:${fake.lot.lot}`,
        description: `${pharmacy.org.name} dispenses ${fake.epc} (never commissioned)`,
        lastEventMs: time,
        epcs: [fake.epc],
      });
      this.attach(label.id, [fake.epc], doc);
      this.scans.push(this.scan(fake, pharmacy, time, rng.bernoulli(0.7), 'unknown_serial'));
    });
  }

  /** A dispensed or decommissioned pack comes back: dispensed again, or repacked by a wholesaler. */
  private injectReappearance(day: number, rng: Random): void {
    const eligible = this.terminal.filter((t) => t.day <= day - 2 && !this.watched.has(t.pack.epc));
    if (eligible.length === 0) return;
    const wantDecommissioned = rng.bernoulli(0.2);
    const pool =
      wantDecommissioned && eligible.some((t) => t.decommissioned)
        ? eligible.filter((t) => t.decommissioned)
        : eligible;
    const entry = rng.pick(pool);
    const origin = this.pharmacies[entry.pharmacy]!;
    const time = this.at(day, 9 + rng.between(0, 9));
    const info = this.master.products[entry.pack.product]!;
    if (!entry.decommissioned && rng.bernoulli(0.3)) {
      const wholesaler = this.wholesalers[origin.wholesaler]!;
      const label = this.newLabel(
        'reappearance',
        entry.pack.epc,
        `${entry.pack.epc}, dispensed at ${origin.org.name}, is repacked by ${wholesaler.org.name} and sold again`,
        time,
        [origin.org.id, wholesaler.org.id],
      );
      this.attach(label.id, [entry.pack.epc]);
      this.watched.set(entry.pack.epc, label.id);
      const list = this.toteInjections.get(wholesaler.index) ?? [];
      list.push({ pack: entry.pack, labelId: label.id });
      this.toteInjections.set(wholesaler.index, list);
      return;
    }
    const sameRegion = this.pharmacies.filter((p) => p.region === origin.region);
    const target = rng.bernoulli(0.4) ? origin : rng.pick(sameRegion);
    const label = this.newLabel(
      'reappearance',
      entry.pack.epc,
      `${entry.pack.epc}, ${entry.decommissioned ? 'decommissioned' : 'dispensed'} at ${origin.org.name}, is dispensed again at ${target.org.name}`,
      time,
      [origin.org.id, target.org.id],
    );
    this.watched.set(entry.pack.epc, label.id);
    const doc = this.emit({
      events: [dispensingEvent({ epcs: [entry.pack.epc], at: target.party, time: new Date(time) })],
      publisher: target.org,
      key: `${info.gtin}:${entry.pack.lot.lot}`,
      description: `${target.org.name} dispenses ${entry.pack.epc} again`,
      lastEventMs: time,
      epcs: [entry.pack.epc],
    });
    this.attach(label.id, [entry.pack.epc], doc);
  }

  /** Copies of real serials are commissioned again with another lot or expiry. */
  private injectLotMismatch(day: number, rng: Random): void {
    const holder = this.randomStockedPharmacy(rng);
    if (!holder) return;
    const [pharmacy, line] = holder;
    const first = line.loose[rng.int(line.loose.length)]!;
    const siblings = line.loose
      .filter((p) => p.lot === first.lot && !this.watched.has(p.epc))
      .slice(0, 1 + rng.int(4));
    if (siblings.length === 0) return;
    const product = this.master.products[first.product]!;
    const variant = rng.uniform();
    const otherLots = this.lotHistory[first.product]!.filter((l) => l.lot !== first.lot.lot);
    const lot =
      variant < 0.75
        ? otherLots.length > 0 && rng.bernoulli(0.5)
          ? rng.pick(otherLots).lot
          : `B${rng.int(90) + 10}ZX${String(rng.int(1000)).padStart(3, '0')}`
        : first.lot.lot;
    const expiry =
      variant >= 0.5
        ? endOfMonth(
            Number(first.lot.expiry.slice(0, 4)),
            Number(first.lot.expiry.slice(5, 7)) - 1 + 6 + rng.int(18),
          )
        : first.lot.expiry;
    const maker = this.manufacturers[this.productMaker[first.product]!]!;
    const byMaker = rng.bernoulli(0.7);
    const publisher = byMaker ? maker : this.wholesalers[pharmacy.wholesaler]!;
    const time = this.at(day, 7 + rng.between(0, 10));
    const epcs = siblings.map((p) => p.epc);
    const label = this.newLabel(
      'lot_expiry_mismatch',
      first.epc,
      `${epcs.length} copies of ${product.name} serials from lot ${first.lot.lot} are commissioned again as lot ${lot}, expiry ${expiry} by ${publisher.org.name}`,
      time,
      [publisher.org.id, pharmacy.org.id],
    );
    const doc = this.emit({
      events: [commissioningEvent({ epcs, at: publisher.party, time: new Date(time), lot, expiry })],
      publisher: publisher.org,
      key: `${product.gtin}:${lot}`,
      description: `${publisher.org.name} commissions copies of ${epcs.length} existing serials as lot ${lot}`,
      lastEventMs: time,
      epcs,
    });
    this.attach(label.id, epcs, doc);
    for (const pack of siblings) {
      this.scans.push(
        this.scan(
          { ...pack, lot: { product: pack.product, lot, expiry } },
          pharmacy,
          time + DAY,
          true,
          'lot_expiry_mismatch',
        ),
      );
    }
  }

  /** Packs are taken from a wholesaler's shelf and "received" by a pharmacy they were never shipped to. */
  private injectTheft(day: number, rng: Random): void {
    const pharmacy = rng.pick(this.pharmacies);
    const wholesaler = this.wholesalers[pharmacy.wholesaler]!;
    const lines = [...wholesaler.lines.entries()].filter(([, l]) => l.loose.length >= 3);
    if (lines.length === 0) return;
    const [product, line] = rng.pick(lines);
    const count = Math.min(line.loose.length, 3 + rng.int(8));
    const packs = line.loose.splice(line.loose.length - count, count);
    const time = this.at(day, 9 + rng.between(0, 8));
    const epcs = packs.map((p) => p.epc);
    const label = this.newLabel(
      'custody_break',
      epcs[0]!,
      `${count} packs of ${this.master.products[product]!.name} leave ${wholesaler.org.name} unrecorded and are received by ${pharmacy.org.name}`,
      time,
      [wholesaler.org.id, pharmacy.org.id],
    );
    const doc = this.emit({
      events: [receivingEvent({ epcs, from: wholesaler.party, at: pharmacy.party, time: new Date(time) })],
      publisher: pharmacy.org,
      key: `${this.master.products[product]!.gtin}:${packs[0]!.lot.lot}`,
      description: `${pharmacy.org.name} receives ${count} packs that ${wholesaler.org.name} never shipped`,
      lastEventMs: time,
      epcs,
    });
    this.attach(label.id, epcs, doc);
    let pl = pharmacy.lines.get(product);
    if (!pl) {
      pl = { loose: [], onOrder: 0, baseRate: 0, demand7: [], backlog: 0 };
      pharmacy.lines.set(product, pl);
    }
    for (const pack of packs) {
      this.watched.set(pack.epc, label.id);
      insertByExpiry(pl.loose, pack);
    }
  }

  /** A large quantity of one product goes to a party that does not normally get it, and disappears. */
  private divert(day: number, wholesaler: Wholesaler, clock: number): void {
    const rng = this.root.fork(`diversion:${wholesaler.index}:${day}`);
    const stocked = [...wholesaler.lines.entries()].filter(
      ([, l]) => l.loose.length + l.cases.reduce((n, c) => n + c.packs.length, 0) >= 20,
    );
    if (stocked.length === 0) return;
    const [product, line] = rng.pick(stocked);
    const variant = rng.uniform();
    const otherCountry = this.pharmacies.filter(
      (p) => this.master.regions[p.region]!.country !== this.master.regions[wholesaler.region]!.country,
    );
    const local = this.pharmacies.filter((p) => p.wholesaler === wholesaler.index);
    const otherWholesalers = this.wholesalers.filter((w) => w.region !== wholesaler.region);
    let receiver: { pharmacy?: Pharmacy; wholesaler?: Wholesaler };
    if (variant < 0.2 && otherWholesalers.length > 0) receiver = { wholesaler: rng.pick(otherWholesalers) };
    else if (variant < 0.6 && otherCountry.length > 0) receiver = { pharmacy: rng.pick(otherCountry) };
    else if (local.length > 0) receiver = { pharmacy: rng.pick(local) };
    else return;
    const typical = receiver.pharmacy
      ? typicalOrder(receiver.pharmacy.lines.get(product))
      : 2 * this.master.products[product]!.packsPerCase;
    const available = line.loose.length + line.cases.reduce((n, c) => n + c.packs.length, 0);
    const qty = Math.min(available, Math.max(20, Math.round(rng.between(5, 15) * typical)));
    if (qty < 12) return;
    const opened: Json[] = [];
    const packs = this.take(wholesaler, product, qty, clock, opened);
    const tote = this.sscc(wholesaler.org);
    const to = receiver.pharmacy?.org ?? receiver.wholesaler!.org;
    const toParty = receiver.pharmacy?.party ?? receiver.wholesaler!.party;
    const epcs = packs.map((p) => p.epc);
    const label = this.newLabel(
      'diversion',
      tote,
      `${qty} packs of ${this.master.products[product]!.name} shipped by ${wholesaler.org.name} to ${to.name} (${to.region}) and not seen again`,
      clock,
      [wholesaler.org.id, to.id],
    );
    this.attach(label.id, epcs);
    this.emitCaseOpenings(wholesaler, opened, clock);
    const pickDoc = this.emit({
      events: [packingEvent({ parent: tote, children: epcs, at: wholesaler.party, time: new Date(clock) })],
      publisher: wholesaler.org,
      key: tote,
      description: `${wholesaler.org.name} picks ${packs.length} packs into tote ${tote} for ${to.name}`,
      lastEventMs: clock,
      epcs,
    });
    this.attach(label.id, [], pickDoc);
    const shipTime = Math.max(clock + 20 * MINUTE, this.at(day, 7 + rng.between(0, 2.5)));
    const shipDoc = this.emit({
      events: [
        shippingEvent({ epcs: [tote], from: wholesaler.party, to: toParty, time: new Date(shipTime) }),
      ],
      publisher: wholesaler.org,
      key: tote,
      description: `${wholesaler.org.name} ships tote ${tote} to ${to.name}`,
      lastEventMs: shipTime,
      epcs,
    });
    this.attach(label.id, [], shipDoc);
    this.shipments++;
    const km = distanceKm(wholesaler.org, to);
    const arrival = this.openingTime(shipTime + Math.round((km / 60 + rng.between(1, 4)) * HOUR), 8, 19);
    this.schedule(this.toteAgenda, {
      kind: 'tote',
      time: arrival,
      pharmacy: receiver.pharmacy?.index ?? -1,
      addressee: receiver.pharmacy?.index ?? -1,
      sscc: tote,
      packs,
      from: wholesaler,
      labelIds: [label.id],
      vanish: true,
      ...(receiver.wholesaler ? { wholesalerReceiver: receiver.wholesaler.index } : {}),
      order: undefined,
    });
  }

  /** A pharmacy starts selling one or two products far above its normal rate for one to three weeks. */
  private injectSpike(day: number, rng: Random): void {
    const busy = new Set(this.spikes.filter((s) => s.endDay > day).map((s) => s.pharmacy));
    const candidates = this.pharmacies.filter((p) => !busy.has(p.index) && p.lines.size >= 2);
    if (candidates.length === 0) return;
    const pharmacy = rng.pick(candidates);
    const total = [...pharmacy.lines.values()].reduce((s, l) => s + l.baseRate, 0);
    const ranked = [...pharmacy.lines.entries()].sort((a, b) => b[1].baseRate - a[1].baseRate);
    const chosen = rng.shuffle(ranked.slice(0, Math.min(5, ranked.length))).slice(0, 1 + rng.int(2));
    const factor = rng.between(4, 10);
    const duration = 7 * (1 + rng.int(3));
    const startDay = day + 1;
    const endDay = Math.min(this.days, startDay + duration);
    if (endDay - startDay < 4) return;
    const products = new Set(chosen.map(([p]) => p));
    const extraPerDay = ((factor - 1) * Math.max(total, 1)) / products.size;
    const label = this.newLabel(
      'grey_market_spike',
      `${pharmacy.org.sites[0]!.gln}:${[...products].map((p) => this.master.products[p]!.gtin).join('+')}`,
      `${pharmacy.org.name} dispenses ${[...products].map((p) => this.master.products[p]!.name).join(' and ')} at ~${factor.toFixed(1)}× its normal rate for ${endDay - startDay} days`,
      this.at(startDay, 8),
      [pharmacy.org.id],
    );
    this.spikes.push({
      pharmacy: pharmacy.index,
      products,
      startDay,
      endDay,
      extraPerDay,
      labelId: label.id,
    });
  }

  private randomStockedPharmacy(rng: Random): [Pharmacy, PharmacyLine] | undefined {
    for (let attempt = 0; attempt < 20; attempt++) {
      const pharmacy = rng.pick(this.pharmacies);
      const lines = [...pharmacy.lines.values()].filter((l) => l.loose.length > 0);
      if (lines.length > 0) return [pharmacy, rng.pick(lines)];
    }
    return undefined;
  }

  // ── output ────────────────────────────────────────────────────────────────────────────────────────
  private finish(): SimulatedScenario {
    const drafts = [...this.drafts].sort((a, b) => a.sentAt - b.sentAt || a.order - b.order);
    const messages: SimulatedMessage[] = drafts.map((d, seq) => ({
      seq,
      documentId: d.documentId,
      key: d.key,
      publisherOrgId: d.publisherOrgId,
      sentAt: new Date(d.sentAt).toISOString(),
      document: d.document,
      description: d.description,
      ...(d.noise ? { noise: d.noise } : {}),
    }));
    for (const label of this.patternLabels) label.eventHashes = this.hashesFor(label);
    // Labels that ended up without packs (nothing suitable was in stock) are dropped.
    const patterns = this.patternLabels.filter((l) => l.epcs.length > 0);
    const patternCounts = Object.fromEntries(
      PATTERN_KINDS.map((k) => [k, patterns.filter((l) => l.kind === k).length]),
    ) as Record<PatternKind, number>;
    const noiseCounts = Object.fromEntries(
      NOISE_KINDS.map((k) => [k, this.noiseLabels.filter((l) => l.kind === k).length]),
    ) as Record<NoiseKind, number>;
    return {
      seed: this.seed,
      config: this.config,
      master: this.master,
      messages,
      labels: { seed: this.seed, patterns, noise: this.noiseLabels },
      scans: this.scans,
      dispensed: this.dispensedSeries(),
      summary: {
        documents: messages.length,
        events: this.eventCount,
        packs: this.packsCreated,
        dispensed: this.dispensedCount,
        lostSales: this.lostSales,
        shipments: this.shipments,
        patterns: patternCounts,
        noise: noiseCounts,
      },
    };
  }

  /** Event Hash IDs of the labelled documents' events that name one of the label's packs or its subject. */
  private hashesFor(label: PatternLabel): string[] {
    const wanted = new Set([...label.epcs, label.subject]);
    const hashes: string[] = [];
    for (const id of label.documentIds) {
      const document = this.documents.get(id);
      if (!document) continue;
      const events = (document.epcisBody as { eventList: Json[] }).eventList;
      for (const event of events) {
        const ids = [
          ...((event.epcList as string[] | undefined) ?? []),
          ...((event.childEPCs as string[] | undefined) ?? []),
          ...(typeof event.parentID === 'string' ? [event.parentID] : []),
        ];
        if (ids.some((epc) => wanted.has(epc)))
          hashes.push(computeEventHash(event, document['@context'] as never));
      }
    }
    return [...new Set(hashes)];
  }

  private dispensedSeries(): DispensedSeries[] {
    const start = new Date(this.startMs + 7 * DAY).toISOString().slice(0, 10);
    const weeks = this.config.weeks - 1;
    const out: DispensedSeries[] = [];
    const byRegion = new Map<string, number[]>();
    const siteRegion = new Map(this.pharmacies.map((p) => [p.org.sites[0]!.gln, p.org.region]));
    for (const key of [...this.dispensedWeekly.keys()].sort()) {
      const raw = this.dispensedWeekly.get(key)!;
      const values = Array.from({ length: weeks }, (_, w) => raw[w] ?? 0);
      out.push({ seriesId: key, start, values });
      const [gtin, gln] = key.split('@') as [string, string];
      const regionKey = `${gtin}@${siteRegion.get(gln) ?? 'unknown'}`;
      const sum = byRegion.get(regionKey) ?? new Array<number>(weeks).fill(0);
      values.forEach((v, i) => (sum[i] = (sum[i] ?? 0) + v));
      byRegion.set(regionKey, sum);
    }
    for (const key of [...byRegion.keys()].sort())
      out.push({ seriesId: key, start, values: byRegion.get(key)! });
    return out;
  }
}

// ── helpers ─────────────────────────────────────────────────────────────────────────────────────────
function demandOn(series: DemandSeries | undefined, demandStartMs: number, demandDay: number): number {
  if (!series) return 0;
  const offset = Math.round((Date.parse(`${series.start}T00:00:00Z`) - demandStartMs) / DAY);
  return series.values[demandDay - offset] ?? 0;
}

function recordRing(ring: number[], value: number, size: number): void {
  ring.push(value);
  if (ring.length > size) ring.shift();
}

function insertByExpiry(list: Pack[], pack: Pack): void {
  let i = list.length;
  while (i > 0 && list[i - 1]!.lot.expiry > pack.lot.expiry) i--;
  list.splice(i, 0, pack);
}

function typicalOrder(line: PharmacyLine | undefined): number {
  if (!line) return 2;
  const reorder = Math.ceil(line.baseRate * 2 + Math.sqrt(line.baseRate * 2));
  return Math.max(2, Math.max(1, Math.ceil(line.baseRate * 7)) + reorder);
}

function endOfMonth(year: number, month: number): string {
  const y = year + Math.floor(month / 12);
  const m = ((month % 12) + 12) % 12;
  const last = new Date(Date.UTC(y, m + 1, 0));
  return last.toISOString().slice(0, 10);
}

/** (a⁻¹ · x) mod m for a coprime to m: which counter produced serial value x. */
function modInverseTimes(a: number, x: number, m: number): number {
  let [oldR, r] = [BigInt(a), BigInt(m)];
  let [oldS, s] = [1n, 0n];
  while (r !== 0n) {
    const q = oldR / r;
    [oldR, r] = [r, oldR - q * r];
    [oldS, s] = [s, oldS - q * s];
  }
  const big = BigInt(m);
  const inverse = ((oldS % big) + big) % big;
  const value = ((BigInt(x) % big) + big) % big;
  return Number((inverse * value) % big);
}
