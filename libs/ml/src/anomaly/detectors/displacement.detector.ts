/**
 * Cloned serial versus custody break: both are a pack observed where the detector's custody view says it is
 * not. Which one it is depends on where the view says it is:
 * - on someone's shelf (at rest at another holder), with no receipt attempted here: a second physical pack with
 *   the same serial (clone) — the real one is still there;
 * - travelling to someone else, or received here although it was never shipped here (a receipt attempt the
 *   rules refused): the chain of custody is broken.
 * The caller waits a grace period before alerting, because late uploads (a pick or shipping document hours
 * late) can explain the observation after the fact.
 */
export interface Whereabouts {
  /** Site holding the pack at rest (none while in transit). */
  site?: string;
  /** Where it is travelling to, when shipped and not yet received. */
  transitTo?: string;
}

export type DisplacementVerdict = 'consistent' | 'cloned_serial' | 'custody_break' | 'unknown_location';

export function judgeDisplacement(
  where: Whereabouts,
  site: string | undefined,
  sameHolder: (a: string | undefined, b: string | undefined) => boolean,
): DisplacementVerdict {
  if (!site) return 'consistent';
  if (where.site && sameHolder(where.site, site)) return 'consistent';
  if (where.transitTo && sameHolder(where.transitTo, site)) return 'consistent';
  if (where.transitTo) return 'custody_break';
  if (where.site) return 'cloned_serial';
  return 'unknown_location';
}
