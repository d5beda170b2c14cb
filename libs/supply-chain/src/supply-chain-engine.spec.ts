import {
  commissioningEvent,
  createDocumentContext,
  decommissioningEvent,
  dispensingEvent,
  epcisDocument,
  glnOf,
  normaliseEvent,
  packingEvent,
  receivingEvent,
  sgtinUrn,
  shippingEvent,
  ssccUrn,
  unpackingEvent,
  partyOf,
} from '@pedigree/epcis';
import { describeEpc, glnOfLocationOrParty } from '@pedigree/gs1';
import { createHash } from 'node:crypto';
import { historyHeadOf } from '@pedigree/chain';
import { StateOverlay, stateLeafOf } from './pack-state';
import { type EngineEvent, epcsByRole, type PartyResolver, SupplyChainEngine } from './supply-chain-engine';
import { RuleCode } from './supply-chain.rules';

const party = partyOf;
const maker = party('4012345');
const wholesaler = party('4098765');
const pharmacy = party('4260001');

const ORGS: Record<string, string> = {
  '4012345': 'org-maker',
  '4098765': 'org-wholesaler',
  '4260001': 'org-pharmacy',
};
const parties: PartyResolver = {
  glnOf: (uri) => glnOfLocationOrParty(uri),
  organisationOfGln: (gln) => Object.entries(ORGS).find(([prefix]) => gln.startsWith(prefix))?.[1],
  organisationOfPrefix: (prefix) => ORGS[prefix],
  isRegulator: (orgId) => orgId === 'org-regulator',
};

let clock = Date.parse('2026-03-01T08:00:00Z');
const at = () => new Date((clock += 60_000));

function engineEvent(event: Record<string, unknown>, publisherOrgId?: string): EngineEvent {
  const document = epcisDocument([event]);
  const normalised = normaliseEvent(event, createDocumentContext(document), 0);
  const { objects, parent, children } = epcsByRole(normalised);
  return {
    event: normalised,
    hash: createHash('sha256').update(JSON.stringify(event)).digest(),
    objects,
    children,
    parent,
    publisherOrgId,
  };
}

/** The maker's product 012345 is stored at 2–8 °C; the others state no range. */
const storageRange = (gtin: string) => (gtin === '04012345123456' ? { minC: 2, maxC: 8 } : undefined);

function setup() {
  const state = StateOverlay.root([]);
  const engine = new SupplyChainEngine({
    now: new Date('2026-06-01T00:00:00Z'),
    futureToleranceMs: 300_000,
    identify: (epc) => describeEpc(epc),
    parties,
    storageRange,
  });
  const apply = (event: Record<string, unknown>, publisher?: string) => {
    const fork = state.fork();
    const outcome = engine.apply(engineEvent(event, publisher), fork);
    if (outcome.blocking.length === 0) fork.merge();
    return outcome;
  };
  return { state, apply };
}

const packs = (n: number, from = 1) =>
  Array.from({ length: n }, (_, i) => sgtinUrn('4012345', '12345', `S${from + i}`));
const codes = (outcome: { blocking: { code: string }[]; flags: { code: string }[] }) => ({
  blocking: outcome.blocking.map((v) => v.code),
  flags: outcome.flags.map((v) => v.code),
});

describe('SupplyChainEngine', () => {
  it('follows a pack from commissioning through a pallet to a pharmacy and dispensing', () => {
    const { state, apply } = setup();
    const items = packs(3);
    const pallet = ssccUrn('4012345', 1);
    expect(
      codes(
        apply(
          commissioningEvent({ epcs: items, at: maker, time: at(), lot: 'L1', expiry: '2028-01-31' }),
          'org-maker',
        ),
      ),
    ).toEqual({ blocking: [], flags: [] });
    expect(state.get(items[0])).toMatchObject({
      status: 'commissioned',
      lot: 'L1',
      expiry: '2028-01-31',
      gtin: '04012345123456',
      ownerOrgId: 'org-maker',
    });

    apply(packingEvent({ parent: pallet, children: items, at: maker, time: at() }), 'org-maker');
    expect(state.children(pallet).sort()).toEqual([...items].sort());
    expect(state.get(items[1])!.parentEpc).toBe(pallet);

    apply(shippingEvent({ epcs: [pallet], from: maker, to: wholesaler, time: at() }), 'org-maker');
    expect(state.get(items[2])).toMatchObject({ status: 'in_transit', shippedTo: glnOf('4098765', 0) });
    expect(state.custody.at(-1)).toMatchObject({
      action: 'ship',
      consignmentKey: pallet,
      packCount: 3,
      gtins: ['04012345123456'],
      lots: ['L1'],
    });

    apply(receivingEvent({ epcs: [pallet], from: maker, at: wholesaler, time: at() }), 'org-wholesaler');
    expect(state.get(items[0])).toMatchObject({ status: 'received', ownerOrgId: 'org-wholesaler' });
    expect(state.custody.at(-1)).toMatchObject({
      action: 'receive',
      consignmentKey: pallet,
      toOrgId: 'org-wholesaler',
    });

    apply(unpackingEvent({ parent: pallet, at: wholesaler, time: at() }), 'org-wholesaler');
    expect(state.get(items[0])!.parentEpc).toBeNull();
    expect(state.get(pallet)!.status).toBe('unpacked');

    apply(shippingEvent({ epcs: [items[0]!], from: wholesaler, to: pharmacy, time: at() }), 'org-wholesaler');
    expect(state.custody.at(-1)!.consignmentKey).toMatch(/^lot:04012345123456:L1:/);
    apply(receivingEvent({ epcs: [items[0]!], from: wholesaler, at: pharmacy, time: at() }), 'org-pharmacy');
    expect(
      codes(apply(dispensingEvent({ epcs: [items[0]!], at: pharmacy, time: at() }), 'org-pharmacy')),
    ).toEqual({ blocking: [], flags: [] });
    expect(state.get(items[0])!.status).toBe('dispensed');
  });

  it('blocks an event about a serial never commissioned', () => {
    const { apply } = setup();
    const outcome = apply(
      shippingEvent({ epcs: packs(1, 900), from: maker, to: wholesaler, time: at() }),
      'org-maker',
    );
    expect(codes(outcome).blocking).toEqual([RuleCode.NOT_COMMISSIONED]);
    expect(outcome.blocking[0].epcs).toEqual(packs(1, 900));
  });

  it('blocks unpacking a container not seen yet, which would otherwise leave its packs inside it for good', () => {
    const { apply } = setup();
    const pallet = ssccUrn('4098765', 42);
    const outcome = apply(unpackingEvent({ parent: pallet, at: wholesaler, time: at() }), 'org-wholesaler');
    expect(codes(outcome).blocking).toEqual([RuleCode.NOT_COMMISSIONED]);
    expect(outcome.blocking[0]).toMatchObject({ epcs: [pallet], field: '/parentID' });
  });

  it('blocks shipping by someone who does not hold the pack', () => {
    const { apply } = setup();
    const [item] = packs(1);
    apply(
      commissioningEvent({ epcs: [item!], at: maker, time: at(), lot: 'L1', expiry: '2028-01-31' }),
      'org-maker',
    );
    expect(
      codes(
        apply(shippingEvent({ epcs: [item!], from: wholesaler, to: pharmacy, time: at() }), 'org-wholesaler'),
      ).blocking,
    ).toEqual([RuleCode.NOT_HOLDER]);
    // Naming the holder as the sender does not make the publisher the holder.
    expect(
      codes(apply(shippingEvent({ epcs: [item!], from: maker, to: pharmacy, time: at() }), 'org-wholesaler'))
        .blocking,
    ).toEqual([RuleCode.NOT_AUTHORISED]);
    expect(
      codes(apply(shippingEvent({ epcs: [item!], from: maker, to: pharmacy, time: at() }))).blocking,
    ).toEqual([RuleCode.PUBLISHER_UNAUTHENTICATED]);
  });

  it('blocks receiving by anyone but the addressee, and receiving what was not shipped', () => {
    const { apply } = setup();
    const [item, other] = packs(2);
    apply(
      commissioningEvent({ epcs: [item!, other!], at: maker, time: at(), lot: 'L1', expiry: '2028-01-31' }),
      'org-maker',
    );
    apply(shippingEvent({ epcs: [item!], from: maker, to: wholesaler, time: at() }), 'org-maker');
    expect(
      codes(apply(receivingEvent({ epcs: [item!], from: maker, at: pharmacy, time: at() }), 'org-pharmacy'))
        .blocking,
    ).toEqual([RuleCode.NOT_ADDRESSEE]);
    expect(
      codes(
        apply(receivingEvent({ epcs: [other!], from: maker, at: wholesaler, time: at() }), 'org-wholesaler'),
      ).blocking,
    ).toEqual([RuleCode.NOT_IN_TRANSIT]);
  });

  it('blocks shipping what is already in transit', () => {
    const { apply } = setup();
    const [item] = packs(1);
    apply(
      commissioningEvent({ epcs: [item!], at: maker, time: at(), lot: 'L1', expiry: '2028-01-31' }),
      'org-maker',
    );
    apply(shippingEvent({ epcs: [item!], from: maker, to: wholesaler, time: at() }), 'org-maker');
    expect(
      codes(apply(shippingEvent({ epcs: [item!], from: maker, to: pharmacy, time: at() }), 'org-maker'))
        .blocking,
    ).toEqual([RuleCode.ALREADY_IN_TRANSIT]);
  });

  it('flags dispensing twice and decommissioning twice without changing the state again', () => {
    const { state, apply } = setup();
    const [item, other] = packs(2);
    apply(
      commissioningEvent({ epcs: [item!, other!], at: maker, time: at(), lot: 'L1', expiry: '2028-01-31' }),
      'org-maker',
    );
    apply(dispensingEvent({ epcs: [item!], at: maker, time: at() }), 'org-maker');
    const lastEvent = state.get(item)!.lastEventHash;
    // A dispensed serial reappearing is a clone signal, whoever reports it: evidence, never a state change.
    for (const [reporter, site] of [
      ['org-maker', maker],
      ['org-pharmacy', pharmacy],
    ] as const) {
      expect(codes(apply(dispensingEvent({ epcs: [item!], at: site, time: at() }), reporter)).flags).toEqual([
        RuleCode.ALREADY_DISPENSED,
      ]);
    }
    expect(state.get(item)!.lastEventHash).toEqual(lastEvent);
    apply(decommissioningEvent({ epcs: [other!], at: maker, time: at() }), 'org-maker');
    expect(
      codes(apply(decommissioningEvent({ epcs: [other!], at: maker, time: at() }), 'org-maker')).flags,
    ).toEqual([RuleCode.ALREADY_DECOMMISSIONED]);
  });

  it('flags a second commissioning of a serial (a clone), and the lot and expiry it contradicts', () => {
    const { apply } = setup();
    const [item] = packs(1);
    apply(
      commissioningEvent({ epcs: [item!], at: maker, time: at(), lot: 'L1', expiry: '2028-01-31' }),
      'org-maker',
    );
    const same = apply(
      commissioningEvent({ epcs: [item!], at: maker, time: at(), lot: 'L1', expiry: '2028-01-31' }),
      'org-maker',
    );
    expect(codes(same).flags).toEqual([RuleCode.ALREADY_COMMISSIONED]);
    const other = apply(
      commissioningEvent({ epcs: [item!], at: maker, time: at(), lot: 'L2', expiry: '2029-01-31' }),
      'org-maker',
    );
    expect(codes(other).flags).toEqual([
      RuleCode.ALREADY_COMMISSIONED,
      RuleCode.LOT_MISMATCH,
      RuleCode.EXPIRY_MISMATCH,
    ]);
  });

  it("links every event that changed a pack into its history, containers' events included", () => {
    const { state, apply } = setup();
    const items = packs(2, 50);
    const pallet = ssccUrn('4012345', 50);
    const events = [
      commissioningEvent({ epcs: items, at: maker, time: at(), lot: 'L1', expiry: '2028-01-31' }),
      packingEvent({ parent: pallet, children: items, at: maker, time: at() }),
      shippingEvent({ epcs: [pallet], from: maker, to: wholesaler, time: at() }),
    ];
    for (const event of events) apply(event, 'org-maker');
    const hashes = events.map((e) => engineEvent(e).hash);
    const pack = state.get(items[0]!)!;
    expect(pack.historyCount).toBe(3);
    expect(pack.historyHead).toEqual(historyHeadOf(hashes));
    expect(state.get(pallet)!.historyCount).toBe(2);
    expect(state.history.filter((h) => h.epc === items[0]).map((h) => [h.seq, h.eventHash])).toEqual(
      hashes.map((hash, i) => [i + 1, hash]),
    );
    expect(stateLeafOf(pack)).toMatchObject({ status: 'in_transit', parent: pallet, count: 3, flagged: 0 });
  });

  it("commits a clone's commissioning into the genuine pack's history as flagged evidence", () => {
    const { state, apply } = setup();
    const [item] = packs(1, 60);
    apply(
      commissioningEvent({ epcs: [item!], at: maker, time: at(), lot: 'L1', expiry: '2028-01-31' }),
      'org-maker',
    );
    apply(
      commissioningEvent({ epcs: [item!], at: maker, time: at(), lot: 'L1', expiry: '2028-01-31' }),
      'org-maker',
    );
    expect(state.get(item!)).toMatchObject({ status: 'commissioned', historyCount: 2, flagged: 1 });
  });

  it('leaves no history behind for an event that was blocked', () => {
    const { state, apply } = setup();
    const [item] = packs(1, 70);
    apply(
      commissioningEvent({ epcs: [item!], at: maker, time: at(), lot: 'L1', expiry: '2028-01-31' }),
      'org-maker',
    );
    const blocked = apply(dispensingEvent({ epcs: [item!], at: pharmacy, time: at() }), 'org-pharmacy');
    expect(blocked.blocking.length).toBeGreaterThan(0);
    expect(state.get(item!)!.historyCount).toBe(1);
    expect(state.history).toHaveLength(1);
  });

  it('keeps a dispensed pack dispensed when the case it was in is shipped and received', () => {
    const { state, apply } = setup();
    const items = packs(2);
    const box = ssccUrn('4012345', 55);
    apply(
      commissioningEvent({ epcs: items, at: maker, time: at(), lot: 'L1', expiry: '2028-01-31' }),
      'org-maker',
    );
    apply(packingEvent({ parent: box, children: items, at: maker, time: at() }), 'org-maker');
    apply(dispensingEvent({ epcs: [items[0]!], at: maker, time: at() }), 'org-maker');
    apply(shippingEvent({ epcs: [box], from: maker, to: wholesaler, time: at() }), 'org-maker');
    apply(receivingEvent({ epcs: [box], from: maker, at: wholesaler, time: at() }), 'org-wholesaler');
    expect(state.get(items[0]!)!.status).toBe('dispensed');
    expect(state.get(items[1]!)!.status).toBe('received');
  });
  it('flags a lot or expiry that contradicts the commissioning event', () => {
    const { apply } = setup();
    const [item] = packs(1);
    apply(
      commissioningEvent({ epcs: [item!], at: maker, time: at(), lot: 'L1', expiry: '2028-01-31' }),
      'org-maker',
    );
    const observe = {
      ...shippingEvent({ epcs: [item!], from: maker, to: wholesaler, time: at() }),
      ilmd: { 'cbvmda:lotNumber': 'FAKE', 'cbvmda:itemExpirationDate': '2030-12-31' },
    };
    expect(codes(apply(observe, 'org-maker')).flags.sort()).toEqual(
      [RuleCode.EXPIRY_MISMATCH, RuleCode.LOT_MISMATCH].sort(),
    );
  });

  it('rejects an event time beyond the future tolerance', () => {
    const { apply } = setup();
    const event = commissioningEvent({
      epcs: packs(1),
      at: maker,
      time: new Date('2026-06-01T00:10:00Z'),
      lot: 'L1',
      expiry: '2028-01-31',
    });
    expect(codes(apply(event, 'org-maker')).blocking).toEqual([RuleCode.FUTURE_EVENT_TIME]);
  });

  it('rejects commissioning another company’s serials and events at another company’s location', () => {
    const { apply } = setup();
    expect(
      codes(
        apply(
          commissioningEvent({ epcs: packs(1), at: maker, time: at(), lot: 'L1', expiry: '2028-01-31' }),
          'org-wholesaler',
        ),
      ).blocking,
    ).toEqual([RuleCode.PREFIX_NOT_OWNED]);
    const theirs = sgtinUrn('4098765', '11111', 'X1');
    expect(
      codes(
        apply(
          commissioningEvent({ epcs: [theirs], at: maker, time: at(), lot: 'L1', expiry: '2028-01-31' }),
          'org-wholesaler',
        ),
      ).blocking,
    ).toEqual([RuleCode.LOCATION_NOT_OWNED]);
  });

  it('blocks packing a pack that is still inside another container', () => {
    const { apply } = setup();
    const items = packs(2);
    apply(
      commissioningEvent({ epcs: items, at: maker, time: at(), lot: 'L1', expiry: '2028-01-31' }),
      'org-maker',
    );
    apply(
      packingEvent({ parent: ssccUrn('4012345', 10), children: items, at: maker, time: at() }),
      'org-maker',
    );
    expect(
      codes(
        apply(
          packingEvent({ parent: ssccUrn('4012345', 11), children: [items[0]!], at: maker, time: at() }),
          'org-maker',
        ),
      ).blocking,
    ).toEqual([RuleCode.ALREADY_AGGREGATED]);
  });

  it('refuses a pharmacy dispensing a pack it never received, and leaves the pack as it was', () => {
    const { state, apply } = setup();
    const [item] = packs(1);
    apply(
      commissioningEvent({ epcs: [item!], at: maker, time: at(), lot: 'L1', expiry: '2028-01-31' }),
      'org-maker',
    );
    const before = { ...state.get(item)! };
    const outcome = apply(dispensingEvent({ epcs: [item!], at: pharmacy, time: at() }), 'org-pharmacy');
    expect(codes(outcome).blocking).toEqual([RuleCode.NOT_HOLDER]);
    // Without a location, nothing is skipped.
    const {
      bizLocation: _b,
      readPoint: _r,
      ...bare
    } = dispensingEvent({ epcs: [item!], at: pharmacy, time: at() });
    expect(codes(apply(bare, 'org-wholesaler')).blocking).toEqual([RuleCode.NOT_HOLDER]);
    expect(state.get(item)).toEqual(before);
  });

  it('leaves no trace of a blocked event in the state', () => {
    const { state, apply } = setup();
    const [item] = packs(1);
    apply(
      commissioningEvent({ epcs: [item!], at: maker, time: at(), lot: 'L1', expiry: '2028-01-31' }),
      'org-maker',
    );
    const before = { ...state.get(item)! };
    apply(shippingEvent({ epcs: [item!], from: wholesaler, to: pharmacy, time: at() }));
    expect(state.get(item)).toEqual(before);
    expect(state.custody).toHaveLength(0);
  });

  describe('cold chain', () => {
    const withTemperature = (event: Record<string, unknown>, celsius: number) => ({
      ...event,
      sensorElementList: [{ sensorReport: [{ type: 'gs1:Temperature', value: celsius, uom: 'CEL' }] }],
    });

    it('flags a shipment whose sensor left the storage range: the case and every pack in it, and still ships', () => {
      const { state, apply } = setup();
      const items = packs(3, 700);
      const pallet = ssccUrn('4012345', 7001);
      apply(
        commissioningEvent({ epcs: items, at: maker, time: at(), lot: 'L1', expiry: '2028-01-31' }),
        'org-maker',
      );
      apply(packingEvent({ parent: pallet, children: items, at: maker, time: at() }), 'org-maker');
      const outcome = apply(
        withTemperature(shippingEvent({ epcs: [pallet], from: maker, to: wholesaler, time: at() }), 14.5),
        'org-maker',
      );
      expect(codes(outcome)).toEqual({ blocking: [], flags: [RuleCode.TEMPERATURE_EXCURSION] });
      expect(new Set(outcome.flags[0]!.epcs)).toEqual(new Set([pallet, ...items]));
      expect(outcome.flags[0]!.detail).toMatch(
        /14.5 °C recorded for GTIN 04012345123456, stored at 2–8 °C \(3 packs\)/,
      );
      expect(state.get(items[0]!)).toMatchObject({ status: 'in_transit', flagged: 1 });
    });

    it('raises nothing within the range, or for a product that states none', () => {
      const { apply } = setup();
      const items = packs(1, 710);
      const other = sgtinUrn('4098765', '55555', 'X1');
      apply(
        commissioningEvent({ epcs: items, at: maker, time: at(), lot: 'L1', expiry: '2028-01-31' }),
        'org-maker',
      );
      apply(
        commissioningEvent({ epcs: [other], at: wholesaler, time: at(), lot: 'L9', expiry: '2028-01-31' }),
        'org-wholesaler',
      );
      const inside = apply(
        withTemperature(shippingEvent({ epcs: items, from: maker, to: wholesaler, time: at() }), 5),
        'org-maker',
      );
      const unranged = apply(
        withTemperature(shippingEvent({ epcs: [other], from: wholesaler, to: pharmacy, time: at() }), 30),
        'org-wholesaler',
      );
      expect([codes(inside).flags, codes(unranged).flags]).toEqual([[], []]);
    });
  });
});
