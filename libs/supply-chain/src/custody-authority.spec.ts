import {
  commissioningEvent,
  createDocumentContext,
  epcisDocument,
  normaliseEvent,
  type Party,
  receivingEvent,
  sgtinUrn,
  shippingEvent,
  ssccUrn,
  partyOf,
} from '@pedigree/epcis';
import { describeEpc, glnOfLocationOrParty } from '@pedigree/gs1';
import { createHash } from 'node:crypto';
import { classifyStep, type StepKind, WHO_MAY } from './custody-authority';
import { StateOverlay } from './pack-state';
import { type EngineEvent, epcsByRole, type PartyResolver, SupplyChainEngine } from './supply-chain-engine';
import { RuleCode } from './supply-chain.rules';

const party = partyOf;
const maker = party('4012345');
const holder = party('4098765');
const other = party('4260001');
const regulator = party('4000001');
const ORGS: Record<string, string> = {
  '4012345': 'org-maker',
  '4098765': 'org-holder',
  '4260001': 'org-other',
  '4000001': 'org-regulator',
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
  const normalised = normaliseEvent(event, createDocumentContext(epcisDocument([event])), 0);
  const { objects, parent, children } = epcsByRole(normalised);
  return {
    event: normalised,
    hash: createHash('sha256').update(JSON.stringify(event)).update(String(clock)).digest(),
    objects,
    children,
    parent,
    publisherOrgId,
  };
}

/** A pack commissioned by the maker, shipped to and received by the holder; a case the holder packed it into. */
function heldPack(serial: string) {
  const state = StateOverlay.root([]);
  const engine = new SupplyChainEngine({
    now: new Date('2026-06-01T00:00:00Z'),
    futureToleranceMs: 300_000,
    identify: (epc) => describeEpc(epc),
    parties,
  });
  const apply = (event: Record<string, unknown>, publisher?: string) => {
    const fork = state.fork();
    const outcome = engine.apply(engineEvent(event, publisher), fork);
    if (outcome.blocking.length === 0) fork.merge();
    return outcome;
  };
  const pack = sgtinUrn('4012345', '12345', serial);
  const setup = [
    apply(
      commissioningEvent({ epcs: [pack], at: maker, time: at(), lot: 'L1', expiry: '2030-01-31' }),
      'org-maker',
    ),
    apply(shippingEvent({ epcs: [pack], from: maker, to: holder, time: at() }), 'org-maker'),
    apply(receivingEvent({ epcs: [pack], from: maker, at: holder, time: at() }), 'org-holder'),
  ];
  for (const outcome of setup) expect(outcome.blocking).toEqual([]);
  return { state, apply, pack };
}

/** One event of each kind about `pack`, published from the publisher's own site (so no location rule interferes). */
function eventOf(kind: StepKind, pack: string, site: Party): Record<string, unknown> {
  const object = (fields: Record<string, unknown>) => ({
    type: 'ObjectEvent',
    eventTime: at().toISOString(),
    eventTimeZoneOffset: '+00:00',
    action: 'OBSERVE',
    epcList: [pack],
    readPoint: { id: site.site },
    bizLocation: { id: site.site },
    ...fields,
  });
  switch (kind) {
    case 'commission':
      return commissioningEvent({
        epcs: [sgtinUrn('4012345', '12345', `NEW-${clock}`)],
        at: site,
        time: at(),
        lot: 'L9',
        expiry: '2030-01-31',
      });
    case 'aggregate':
      return {
        ...object({ action: 'ADD', bizStep: 'packing' }),
        type: 'AggregationEvent',
        epcList: undefined,
        parentID: ssccUrn(site.companyPrefix, clock % 100_000),
        childEPCs: [pack],
      };
    case 'disaggregate':
      return {
        ...object({ action: 'DELETE', bizStep: 'unpacking' }),
        type: 'AggregationEvent',
        epcList: undefined,
        parentID: pack,
        childEPCs: [],
      };
    case 'ship':
      return shippingEvent({ epcs: [pack], from: site, to: party('4260001'), time: at() });
    case 'receive':
      return receivingEvent({ epcs: [pack], from: maker, at: site, time: at() });
    case 'dispense':
      return object({ bizStep: 'dispensing', disposition: 'dispensed' });
    case 'decommission':
      return object({ action: 'DELETE', bizStep: 'decommissioning', disposition: 'inactive' });
    case 'destroy':
      return object({ bizStep: 'destroying', disposition: 'destroyed' });
    case 'sample':
      return object({ bizStep: 'sampling' });
    case 'recall':
      return object({ bizStep: 'holding', disposition: 'recalled' });
    case 'steal':
      return object({ bizStep: 'holding', disposition: 'stolen' });
    case 'change_status':
      return object({ bizStep: 'holding', disposition: 'expired' });
    case 'observe':
      return object({ bizStep: 'inspecting' });
  }
}

const SITES: Record<string, Party> = {
  'org-maker': maker,
  'org-holder': holder,
  'org-other': other,
  'org-regulator': regulator,
};

/** Who each row of the table lets through, for a pack the maker made and the holder holds. */
const EXPECTED: Record<StepKind, { allowed: string[]; refusedWith: RuleCode }> = {
  commission: { allowed: ['org-maker'], refusedWith: RuleCode.PREFIX_NOT_OWNED },
  aggregate: { allowed: ['org-holder'], refusedWith: RuleCode.NOT_HOLDER },
  disaggregate: { allowed: ['org-holder'], refusedWith: RuleCode.NOT_HOLDER },
  ship: { allowed: ['org-holder'], refusedWith: RuleCode.NOT_HOLDER },
  // Nothing is in transit to anyone: a receipt waits for a shipment, and is refused when the wait ends.
  receive: { allowed: [], refusedWith: RuleCode.NOT_IN_TRANSIT },
  dispense: { allowed: ['org-holder'], refusedWith: RuleCode.NOT_HOLDER },
  decommission: { allowed: ['org-holder'], refusedWith: RuleCode.NOT_HOLDER },
  destroy: { allowed: ['org-holder'], refusedWith: RuleCode.NOT_HOLDER },
  sample: { allowed: ['org-holder'], refusedWith: RuleCode.NOT_HOLDER },
  recall: { allowed: ['org-maker', 'org-regulator'], refusedWith: RuleCode.NOT_AUTHORISED },
  steal: { allowed: ['org-holder', 'org-regulator'], refusedWith: RuleCode.NOT_HOLDER },
  change_status: { allowed: ['org-holder'], refusedWith: RuleCode.NOT_HOLDER },
  observe: {
    allowed: ['org-maker', 'org-holder', 'org-other', 'org-regulator'],
    refusedWith: RuleCode.NOT_HOLDER,
  },
};

describe('custody authority: every business step × holder, other member, regulator, unknown publisher', () => {
  const kinds = Object.keys(WHO_MAY) as StepKind[];
  const publishers = ['org-holder', 'org-maker', 'org-other', 'org-regulator', undefined] as const;

  it.each(kinds)('classifies the %s event it builds as that step', (kind) => {
    const event = eventOf(kind, sgtinUrn('4012345', '12345', 'C1'), holder);
    expect(classifyStep(engineEvent(event, 'org-holder').event)).toBe(kind);
  });

  it.each(kinds.flatMap((kind) => publishers.map((publisher) => [kind, publisher ?? 'unknown'] as const)))(
    '%s by %s',
    (kind, publisher) => {
      const { state, apply, pack } = heldPack(
        `P${kinds.indexOf(kind)}-${publishers.indexOf(publisher === 'unknown' ? undefined : publisher)}`,
      );
      const before = { ...state.get(pack)! };
      const site = SITES[publisher] ?? other;
      const outcome = apply(eventOf(kind, pack, site), publisher === 'unknown' ? undefined : publisher);
      const codes = outcome.blocking.map((v) => v.code);
      if (publisher === 'unknown') {
        expect(codes).toEqual([RuleCode.PUBLISHER_UNAUTHENTICATED]);
      } else if (EXPECTED[kind].allowed.includes(publisher)) {
        expect(codes).toEqual([]);
      } else {
        expect(codes).toEqual([EXPECTED[kind].refusedWith]);
      }
      if (codes.length > 0) expect(state.get(pack)).toEqual(before);
      // Only a holder's own observation joins the pack's history.
      if (kind === 'observe' && publisher !== 'org-holder') expect(state.get(pack)).toEqual(before);
    },
  );

  it('lets only the addressee receive a pack in transit', () => {
    const { apply, pack, state } = heldPack('TRANSIT');
    expect(
      apply(shippingEvent({ epcs: [pack], from: holder, to: other, time: at() }), 'org-holder').blocking,
    ).toEqual([]);
    for (const publisher of ['org-maker', 'org-holder', 'org-regulator']) {
      const outcome = apply(
        receivingEvent({ epcs: [pack], from: holder, at: SITES[publisher]!, time: at() }),
        publisher,
      );
      expect(outcome.blocking.map((v) => v.code)).toEqual([RuleCode.NOT_ADDRESSEE]);
    }
    expect(
      apply(receivingEvent({ epcs: [pack], from: holder, at: other, time: at() }), 'org-other').blocking,
    ).toEqual([]);
    expect(state.get(pack)).toMatchObject({ status: 'received', ownerOrgId: 'org-other' });
  });
});
