// A realistic mix of EPCIS documents for load: lots commissioned by manufacturers, packed into cases and pallets,
// shipped to wholesalers, broken down, shipped to pharmacies, opened and dispensed. One Kafka key per lot keeps
// each lot's flow in order, as a manufacturer's integration would.
import {
  commissioningEvent,
  dispensingEvent,
  epcisDocument,
  glnOf,
  packingEvent,
  type Party,
  pglnUrn,
  receivingEvent,
  sglnUrn,
  sgtinUrn,
  shippingEvent,
  ssccUrn,
  unpackingEvent,
} from '@pedigree/epcis';
import { id, Wallet } from 'ethers';

export interface FlowOrganisation {
  name: string;
  role: 'manufacturer' | 'distributor' | 'dispenser';
  prefix: string;
  party: Party;
  glns: string[];
  /** Its document-signing key (deterministic, so a re-run registers the same address). */
  signer: Wallet;
}

const organisation = (name: string, role: FlowOrganisation['role'], prefix: string): FlowOrganisation => ({
  name,
  role,
  prefix,
  party: { companyPrefix: prefix, pgln: pglnUrn(prefix, 0), site: sglnUrn(prefix, 1) },
  glns: [glnOf(prefix, 0), glnOf(prefix, 1)],
  signer: new Wallet(id(`pedigree bench signing key: ${name}`)),
});

export const FLOW_ORGANISATIONS: FlowOrganisation[] = [
  organisation('Bench Manufacturer A', 'manufacturer', '4012345'),
  organisation('Bench Manufacturer B', 'manufacturer', '5790001'),
  ...[0, 1, 2].map((i) => organisation(`Bench Wholesaler ${i}`, 'distributor', `40987${60 + i}`)),
  ...Array.from({ length: 20 }, (_, i) =>
    organisation(`Bench Pharmacy ${i}`, 'dispenser', `426${String(1000 + i).padStart(4, '0')}`),
  ),
];

export interface FlowMessage {
  key: string;
  /** Who publishes it: each document is one member's, signed with its key. */
  publisher: FlowOrganisation;
  value: Buffer;
  events: number;
  /** The event objects, for the COPY ceiling. */
  eventList: Record<string, unknown>[];
}

const PACKS_PER_CASE = 12;
const CASES_PER_PALLET = 10;
const PALLETS_PER_LOT = 2;
/** Cases of a lot per pharmacy: each pharmacy publishes its own receipts and dispensings in one document. */
const CASES_PER_PHARMACY = 4;

/** Events per lot: 20 commission + 20 + 2 pack + 2 ship + 2 receive + 2 unpack + 20 ship + 20 receive + 20 unpack + 240 dispense. */
export const EVENTS_PER_LOT = 348;

/** The documents of one lot, in the order its parties send them. */
export function lotFlow(lotIndex: number, base: Date): FlowMessage[] {
  const manufacturers = FLOW_ORGANISATIONS.filter((o) => o.role === 'manufacturer');
  const wholesalers = FLOW_ORGANISATIONS.filter((o) => o.role === 'distributor');
  const pharmacies = FLOW_ORGANISATIONS.filter((o) => o.role === 'dispenser');
  const maker = manufacturers[lotIndex % manufacturers.length]!;
  const wholesaler = wholesalers[lotIndex % wholesalers.length]!;
  const itemReference = String(10000 + (lotIndex % 40));
  const lot = `B${lotIndex}`;
  let t = base.getTime() + lotIndex * 1000;
  const at = () => new Date((t += 1));
  const key = `${maker.prefix}:${lot}`;
  const sscc = (n: number) => ssccUrn(maker.prefix, lotIndex * 100 + n);

  const pallets: { sscc: string; cases: { sscc: string; packs: string[] }[] }[] = [];
  for (let p = 0; p < PALLETS_PER_LOT; p++) {
    const cases = Array.from({ length: CASES_PER_PALLET }, (_, c) => ({
      sscc: sscc(p * CASES_PER_PALLET + c + 1),
      packs: Array.from({ length: PACKS_PER_CASE }, (_, i) =>
        sgtinUrn(maker.prefix, itemReference, `${lot}P${p}C${c}S${i}`),
      ),
    }));
    pallets.push({ sscc: sscc(90 + p), cases });
  }
  const cases = pallets.flatMap((p) => p.cases);
  const messages: FlowMessage[] = [];
  const push = (publisher: FlowOrganisation, events: Record<string, unknown>[]) => {
    messages.push({
      key,
      publisher,
      value: Buffer.from(JSON.stringify(epcisDocument(events, { created: at() }))),
      events: events.length,
      eventList: events,
    });
  };

  const pharmacyOf = (caseIndex: number) =>
    pharmacies[(lotIndex + Math.floor(caseIndex / CASES_PER_PHARMACY)) % pharmacies.length]!;
  push(maker, [
    ...cases.map((c) =>
      commissioningEvent({ epcs: c.packs, at: maker.party, time: at(), lot, expiry: '2031-06-30' }),
    ),
    ...cases.map((c) => packingEvent({ parent: c.sscc, children: c.packs, at: maker.party, time: at() })),
    ...pallets.map((p) =>
      packingEvent({ parent: p.sscc, children: p.cases.map((c) => c.sscc), at: maker.party, time: at() }),
    ),
    ...pallets.map((p) =>
      shippingEvent({ epcs: [p.sscc], from: maker.party, to: wholesaler.party, time: at() }),
    ),
  ]);
  push(wholesaler, [
    ...pallets.map((p) =>
      receivingEvent({ epcs: [p.sscc], from: maker.party, at: wholesaler.party, time: at() }),
    ),
    ...pallets.map((p) => unpackingEvent({ parent: p.sscc, at: wholesaler.party, time: at() })),
    ...cases.map((c, i) =>
      shippingEvent({
        epcs: [c.sscc],
        from: wholesaler.party,
        to: pharmacyOf(i).party,
        time: at(),
      }),
    ),
  ]);
  for (let first = 0; first < cases.length; first += CASES_PER_PHARMACY) {
    const pharmacy = pharmacyOf(first);
    push(
      pharmacy,
      cases
        .slice(first, first + CASES_PER_PHARMACY)
        .flatMap((c) => [
          receivingEvent({ epcs: [c.sscc], from: wholesaler.party, at: pharmacy.party, time: at() }),
          unpackingEvent({ parent: c.sscc, at: pharmacy.party, time: at() }),
          ...c.packs.map((pack) => dispensingEvent({ epcs: [pack], at: pharmacy.party, time: at() })),
        ]),
    );
  }
  return messages;
}
