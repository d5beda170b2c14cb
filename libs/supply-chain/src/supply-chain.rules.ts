/**
 * The business rules ingest applies, and what each does when it fires. The product decision, written once:
 *
 * - reject:  the event is refused and dead-lettered (`events.rejected.v1`) with the rule code: the publisher is
 *            not allowed to say it (someone else's products or sites), or it cannot be true yet (a future time).
 * - park:    a precondition is missing (never commissioned, not held by the sender, not shipped to the receiver,
 *            still inside another case). Documents about one pack can arrive out of order across partitions, so
 *            the document waits (ParkedDocumentEntity) and is re-applied when the packs it names change. If the
 *            precondition has not appeared within INGEST_PARK_TIMEOUT_SECONDS, the event is stored as evidence
 *            with the rule as a flag — like `flag` below — and intelligence opens an alert (unknown serial,
 *            custody break). An observation is never thrown away because it is inconvenient.
 * - flag:    the event is accepted and stored (it is evidence: someone scanned that pack there), the pack's state
 *            is not advanced by it, and the flag travels on `events.accepted.v1` to intelligence, which opens an
 *            alert. Duplicates of real-world actions (dispensing twice) are the classic counterfeit signal, and
 *            refusing them would hide it. A temperature excursion is the one flag on an event that does apply
 *            (the shipment happened; the packs in it may no longer be fit to dispense).
 *
 * Who may publish what is the decision table in `custody-authority.ts`. An event from a member the table does not
 * allow is never applied: recall by someone who is neither manufacturer nor regulator, or a shipment whose
 * `sourceList` names another member, is rejected at once; an event from a member that is not (yet) the holder or
 * the addressee waits like any missing precondition (the receipt that makes it the holder may still be on its way),
 * and is rejected, not kept as evidence, when the wait ends.
 *
 * Structural problems (malformed JSON, the official schema, vocabulary, check digits) are rejected before any
 * rule runs (see the EPCIS validator).
 */
export enum RuleCode {
  NOT_COMMISSIONED = 'RULE_NOT_COMMISSIONED',
  NOT_HOLDER = 'RULE_NOT_HOLDER',
  ALREADY_IN_TRANSIT = 'RULE_ALREADY_IN_TRANSIT',
  NOT_IN_TRANSIT = 'RULE_NOT_IN_TRANSIT',
  NOT_ADDRESSEE = 'RULE_NOT_ADDRESSEE',
  ALREADY_AGGREGATED = 'RULE_ALREADY_AGGREGATED',
  FUTURE_EVENT_TIME = 'RULE_FUTURE_EVENT_TIME',
  PREFIX_NOT_OWNED = 'RULE_PREFIX_NOT_OWNED',
  LOCATION_NOT_OWNED = 'RULE_LOCATION_NOT_OWNED',
  ALREADY_COMMISSIONED = 'RULE_ALREADY_COMMISSIONED',
  ALREADY_DISPENSED = 'RULE_ALREADY_DISPENSED',
  ALREADY_DECOMMISSIONED = 'RULE_ALREADY_DECOMMISSIONED',
  INACTIVE_PACK = 'RULE_INACTIVE_PACK',
  LOT_MISMATCH = 'RULE_LOT_MISMATCH',
  EXPIRY_MISMATCH = 'RULE_EXPIRY_MISMATCH',
  EXPIRED_PACK = 'RULE_EXPIRED_PACK',
  PUBLISHER_UNAUTHENTICATED = 'RULE_PUBLISHER_UNAUTHENTICATED',
  NOT_AUTHORISED = 'RULE_NOT_AUTHORISED',
  /** A sensor report recorded a temperature outside a product's storage range (the event still applies). */
  TEMPERATURE_EXCURSION = 'RULE_TEMPERATURE_EXCURSION',
}

export type RuleEffect = 'park' | 'reject' | 'flag';

export const RULE_EFFECT: Record<RuleCode, RuleEffect> = {
  [RuleCode.NOT_COMMISSIONED]: 'park',
  [RuleCode.NOT_HOLDER]: 'park',
  [RuleCode.ALREADY_IN_TRANSIT]: 'park',
  [RuleCode.NOT_IN_TRANSIT]: 'park',
  [RuleCode.NOT_ADDRESSEE]: 'park',
  [RuleCode.ALREADY_AGGREGATED]: 'park',
  [RuleCode.FUTURE_EVENT_TIME]: 'reject',
  [RuleCode.PREFIX_NOT_OWNED]: 'reject',
  [RuleCode.LOCATION_NOT_OWNED]: 'reject',
  [RuleCode.ALREADY_COMMISSIONED]: 'flag',
  [RuleCode.ALREADY_DISPENSED]: 'flag',
  [RuleCode.ALREADY_DECOMMISSIONED]: 'flag',
  [RuleCode.INACTIVE_PACK]: 'flag',
  [RuleCode.LOT_MISMATCH]: 'flag',
  [RuleCode.EXPIRY_MISMATCH]: 'flag',
  [RuleCode.EXPIRED_PACK]: 'flag',
  [RuleCode.PUBLISHER_UNAUTHENTICATED]: 'reject',
  [RuleCode.NOT_AUTHORISED]: 'reject',
  [RuleCode.TEMPERATURE_EXCURSION]: 'flag',
};

/**
 * What a parked event becomes when its wait ends: kept as flagged evidence (an observation is never thrown away),
 * or rejected, for the rules that say the publisher is not entitled: evidence from a non-holder would let any
 * member make another member's pack look suspect.
 */
export function rejectedWhenWaitEnds(code: RuleCode): boolean {
  return code === RuleCode.NOT_HOLDER || code === RuleCode.NOT_ADDRESSEE || code === RuleCode.NOT_IN_TRANSIT;
}

export interface RuleViolation {
  code: RuleCode;
  detail: string;
  /** JSON pointer inside the event, when one field is to blame. */
  field?: string;
  /** Identifiers concerned (and, for parking, the ones whose arrival may unblock the event). */
  epcs: string[];
}
