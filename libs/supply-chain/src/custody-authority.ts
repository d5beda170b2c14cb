import type { NormalisedEvent } from '@pedigree/epcis';

/**
 * Who may do what to a pack: the one decision table of the trust model. Ingest applies an event that changes a
 * pack's state or custody only when its authenticated publisher is a party this table allows, given the pack's
 * current state. Nothing here looks at `bizLocation` or `readPoint`: leaving them out skips no check.
 */
export type StepKind =
  | 'commission'
  | 'aggregate'
  | 'disaggregate'
  | 'ship'
  | 'receive'
  | 'dispense'
  | 'decommission'
  | 'destroy'
  | 'sample'
  | 'recall'
  | 'steal'
  | 'change_status'
  | 'observe';

/**
 * - prefix_owner: the member owning the identifier's GS1 company prefix (commissioning a new serial)
 * - holder: the member holding the pack now (the sender, until the addressee receives it)
 * - addressee: the member a pending shipment is addressed to
 * - manufacturer: the member owning the pack's company prefix, whoever holds the pack now
 * - regulator: any active member with the regulator role
 * - member: any authenticated member (the event is stored; it changes nothing and grants no read access)
 */
export type Authority = 'prefix_owner' | 'holder' | 'addressee' | 'manufacturer' | 'regulator' | 'member';

export const WHO_MAY: Readonly<Record<StepKind, readonly Authority[]>> = Object.freeze({
  commission: ['prefix_owner'],
  aggregate: ['holder'],
  disaggregate: ['holder'],
  ship: ['holder'],
  receive: ['addressee'],
  dispense: ['holder'],
  decommission: ['holder'],
  destroy: ['holder'],
  sample: ['holder'],
  // CBV 2.0 has no recall or withdrawal step: both are published with the `recalled` disposition.
  recall: ['manufacturer', 'regulator'],
  steal: ['holder', 'regulator'],
  change_status: ['holder'],
  observe: ['member'],
});

/** Dispositions that move a pack to a status of their own besides those above (see `DISPOSITION_STATUS`). */
const STATUS_DISPOSITIONS = new Set(['expired']);

/** What an event does to the packs it names, in the order the engine itself decides it. */
export function classifyStep(event: NormalisedEvent): StepKind {
  const step = event.bizStep;
  const disposition = event.disposition;
  if (event.type === 'AggregationEvent') {
    if (event.action === 'ADD') return 'aggregate';
    if (event.action === 'DELETE') return 'disaggregate';
    return 'observe';
  }
  if (event.type !== 'ObjectEvent') return 'observe';
  if (event.action === 'ADD') return 'commission';
  if (step === 'shipping' || (disposition === 'in_transit' && step !== 'receiving')) return 'ship';
  if (step === 'receiving' || step === 'accepting') return 'receive';
  if (step === 'dispensing' || disposition === 'dispensed') return 'dispense';
  if (step === 'decommissioning' || event.action === 'DELETE' || disposition === 'inactive')
    return 'decommission';
  if (step === 'destroying' || disposition === 'destroyed') return 'destroy';
  if (disposition === 'recalled') return 'recall';
  if (disposition === 'stolen') return 'steal';
  if (step === 'sampling') return 'sample';
  if (disposition && STATUS_DISPOSITIONS.has(disposition)) return 'change_status';
  return 'observe';
}

/** The facts about one pack and one publisher that the table needs. */
export interface AuthorityFacts {
  publisherOrgId: string;
  publisherIsRegulator: boolean;
  holderOrgId: string | null;
  addresseeOrgId: string | null;
  manufacturerOrgId: string | null;
}

/** Whether the publisher is one of the parties `WHO_MAY[kind]` names, for this pack. */
export function mayPublish(kind: StepKind, facts: AuthorityFacts): boolean {
  return WHO_MAY[kind].some((authority) => holds(authority, facts));
}

function holds(authority: Authority, facts: AuthorityFacts): boolean {
  const me = facts.publisherOrgId;
  switch (authority) {
    case 'member':
      return true;
    case 'regulator':
      return facts.publisherIsRegulator;
    case 'holder':
      return facts.holderOrgId === me;
    case 'addressee':
      return facts.addresseeOrgId === me;
    case 'manufacturer':
    case 'prefix_owner':
      return facts.manufacturerOrgId === me;
  }
}
