/**
 * Per-shipment feature vector for the learned route/quantity scorer. Quantities are expressed relative to what
 * the receiver usually gets and actually consumes, and routes by who ships to whom, how far, and how often that
 * route is used — so a diversion (a large quantity to a party that does not sell it, or across a border on a
 * route nobody uses) stands out while a pallet to a wholesaler or a grey-market pharmacy's growing, consumed
 * orders do not.
 */
import { addToRate, clip, type DecayingRate, type Ewma, rateAt, updateEwma } from '../feature-stats';
import type { SiteDirectory } from '../site-directory';
import { gtinOfSgtin, type ShipmentFact } from '../custody-tracker';

export const SHIPMENT_FEATURES = [
  'route_manufacturer_wholesaler',
  'route_wholesaler_pharmacy',
  'route_wholesaler_wholesaler',
  'route_other',
  'same_country',
  'log_distance_km',
  'log_packs',
  'log_gtins',
  'top_line_vs_typical',
  'top_line_cover_days',
  'top_line_new_to_receiver',
  'route_familiarity',
  'receiver_familiarity',
  'total_vs_typical',
] as const;

/** One-hot route features: shipments are calibrated per route kind (see the autoencoder). */
export const SHIPMENT_STRATA: readonly string[] = [
  'route_manufacturer_wholesaler',
  'route_wholesaler_pharmacy',
  'route_wholesaler_wholesaler',
  'route_other',
];

/**
 * Familiarity saturates: after a handful of shipments a route is simply "known". Raw counts would keep growing
 * with the length of history and make every feature vector of a long-running service look new.
 */
const FAMILIAR_AFTER = 4;
/** log(quantity vs its role's typical line) above which a receiver without history can be diverted to (4×). */
const UNFAMILIAR_RECEIVER_RATIO = Math.log(4);
/** log1p(days of consumption covered) above which a quantity can be a diversion (about three weeks). */
const COVER_DIVERTIBLE = Math.log1p(20);

/**
 * Consumption over about two weeks, and over the last few days: a pharmacy whose sales just jumped orders more,
 * and that is explained by what it sells now (a grey-market spike shows in its dispensing, not as diversion).
 */
const OUTFLOW_TAU_DAYS = 14;
const RECENT_TAU_DAYS = 3;
const ALPHA = 0.2;

export interface ShipmentFeatureState {
  lineTypical: Record<string, Ewma>;
  receiverLine: Record<string, Ewma>;
  roleLine: Record<string, Ewma>;
  totalTypical: Record<string, Ewma>;
  routeCount: Record<string, number>;
  receiverCount: Record<string, number>;
  outflow: Record<string, DecayingRate>;
  recentOutflow: Record<string, DecayingRate>;
}

export interface ShipmentVector {
  values: number[];
  topGtin?: string;
  topQuantity: number;
  /**
   * Whether the shipment could be a diversion at all: a product the receiver never got (past the manufacturer), a
   * route between parties
   * that do not trade that way, or more than usual of a product AND weeks more than the receiver consumes. A
   * shipment unusual only for being small, a new but ordinary route, or a large pallet a wholesaler will sell on
   * within days is not a diversion.
   */
  divertible: boolean;
}

export class ShipmentFeatures {
  readonly state: ShipmentFeatureState;

  constructor(
    private readonly sites: SiteDirectory,
    state?: ShipmentFeatureState,
  ) {
    this.state = state ?? {
      lineTypical: {},
      receiverLine: {},
      roleLine: {},
      totalTypical: {},
      routeCount: {},
      receiverCount: {},
      outflow: {},
      recentOutflow: {},
    };
  }

  /** Packs leaving a site (dispensed, or shipped on): its consumption, against which receipts are judged. */
  noteOutflow(site: string, gtin: string, at: number, quantity: number): void {
    const key = `${site}|${gtin}`;
    this.state.outflow[key] = addToRate(this.state.outflow[key], at, quantity, OUTFLOW_TAU_DAYS);
    this.state.recentOutflow[key] = addToRate(this.state.recentOutflow[key], at, quantity, RECENT_TAU_DAYS);
  }

  /** Features of a shipment against the history so far, then the history updated with it. */
  observe(shipment: ShipmentFact): ShipmentVector {
    const vector = this.extract(shipment);
    this.update(shipment);
    return vector;
  }

  private lines(shipment: ShipmentFact): Map<string, number> {
    const lines = new Map<string, number>();
    for (const epc of shipment.packs) {
      const gtin = gtinOfSgtin(epc);
      if (gtin) lines.set(gtin, (lines.get(gtin) ?? 0) + 1);
    }
    return lines;
  }

  private extract(shipment: ShipmentFact): ShipmentVector {
    const s = this.state;
    const fromRole = this.sites.roleOf(shipment.from);
    const to = shipment.to ?? '';
    const toRole = this.sites.roleOf(shipment.to);
    const route = routeKind(fromRole, toRole);
    const lines = this.lines(shipment);
    let topGtin: string | undefined;
    let topQuantity = 0;
    let topRatio = -Infinity;
    let topCover = 0;
    let topNew = 0;
    for (const [gtin, quantity] of lines) {
      const typical =
        s.lineTypical[`${to}|${gtin}`]?.mean ??
        s.receiverLine[to]?.mean ??
        s.roleLine[`${toRole ?? '?'}|${gtin}`]?.mean ??
        s.roleLine[toRole ?? '?']?.mean ??
        1;
      const ratio = Math.log((quantity + 1) / (typical + 1));
      if (ratio > topRatio) {
        topRatio = ratio;
        topGtin = gtin;
        topQuantity = quantity;
        const consumption = Math.max(
          rateAt(s.outflow[`${to}|${gtin}`], shipment.at, OUTFLOW_TAU_DAYS),
          rateAt(s.recentOutflow[`${to}|${gtin}`], shipment.at, RECENT_TAU_DAYS),
        );
        topCover = Math.log1p(quantity / (consumption + 0.1));
        topNew = s.lineTypical[`${to}|${gtin}`] === undefined ? 1 : 0;
      }
    }
    const total = shipment.packs.length;
    const km = this.sites.distanceKm(shipment.from, shipment.to);
    const sameCountry =
      this.sites.countryOf(shipment.from) !== undefined &&
      this.sites.countryOf(shipment.from) === this.sites.countryOf(shipment.to);
    const totalTypical = s.totalTypical[to]?.mean ?? s.totalTypical[`role:${toRole ?? '?'}`]?.mean ?? total;
    const values = [
      route === 'manufacturer_wholesaler' ? 1 : 0,
      route === 'wholesaler_pharmacy' ? 1 : 0,
      route === 'wholesaler_wholesaler' ? 1 : 0,
      route === 'other' ? 1 : 0,
      sameCountry ? 1 : 0,
      Math.log1p(km ?? 0),
      Math.log1p(total),
      Math.log1p(lines.size),
      clip(Number.isFinite(topRatio) ? topRatio : 0, -5, 8),
      clip(topCover, 0, 10),
      topNew,
      Math.log1p(Math.min(FAMILIAR_AFTER, s.routeCount[`${shipment.from ?? '?'}|${to}`] ?? 0)),
      Math.log1p(Math.min(FAMILIAR_AFTER, s.receiverCount[to] ?? 0)),
      clip(Math.log((total + 1) / (totalTypical + 1)), -5, 8),
    ];
    // A manufacturer's pallet to a wholesaler is how stock enters the trade: a new product or a new wholesaler
    // there is a new trading relationship, not a diversion (diversions leave the trade at a wholesaler). A receiver
    // with too little history has no habits to break and no known consumption to cover: only a quantity several
    // times what its role usually receives counts against it (a new member is not evidence by itself).
    const familiar = (s.receiverCount[to] ?? 0) >= FAMILIAR_AFTER;
    const consumptionKnown = topGtin !== undefined && s.outflow[`${to}|${topGtin}`] !== undefined;
    const divertible =
      route === 'wholesaler_wholesaler' ||
      route === 'other' ||
      (familiar && topNew === 1 && route !== 'manufacturer_wholesaler') ||
      (familiar || consumptionKnown
        ? topRatio > 0.3 && topCover > COVER_DIVERTIBLE
        : topRatio > UNFAMILIAR_RECEIVER_RATIO);
    return { values, ...(topGtin ? { topGtin } : {}), topQuantity, divertible };
  }

  private update(shipment: ShipmentFact): void {
    const s = this.state;
    const to = shipment.to ?? '';
    const toRole = this.sites.roleOf(shipment.to) ?? '?';
    for (const [gtin, quantity] of this.lines(shipment)) {
      s.lineTypical[`${to}|${gtin}`] = updateEwma(s.lineTypical[`${to}|${gtin}`], quantity, ALPHA);
      s.receiverLine[to] = updateEwma(s.receiverLine[to], quantity, ALPHA);
      s.roleLine[`${toRole}|${gtin}`] = updateEwma(s.roleLine[`${toRole}|${gtin}`], quantity, ALPHA);
      s.roleLine[toRole] = updateEwma(s.roleLine[toRole], quantity, ALPHA);
      if (shipment.from) this.noteOutflow(shipment.from, gtin, shipment.at, quantity);
    }
    s.totalTypical[to] = updateEwma(s.totalTypical[to], shipment.packs.length, ALPHA);
    s.totalTypical[`role:${toRole}`] = updateEwma(
      s.totalTypical[`role:${toRole}`],
      shipment.packs.length,
      ALPHA,
    );
    const route = `${shipment.from ?? '?'}|${to}`;
    s.routeCount[route] = (s.routeCount[route] ?? 0) + 1;
    s.receiverCount[to] = (s.receiverCount[to] ?? 0) + 1;
  }
}

function routeKind(from: string | undefined, to: string | undefined): string {
  if (from === 'manufacturer' && to === 'wholesaler') return 'manufacturer_wholesaler';
  if (from === 'wholesaler' && to === 'pharmacy') return 'wholesaler_pharmacy';
  if (from === 'wholesaler' && to === 'wholesaler') return 'wholesaler_wholesaler';
  return 'other';
}
