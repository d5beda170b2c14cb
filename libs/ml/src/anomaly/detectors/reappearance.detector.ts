/**
 * Reappearance: a pack that left the supply chain (dispensed or decommissioned) is observed again later in
 * event time: dispensed again, repacked, shipped or received. An earlier-dated event that merely arrives late
 * is not a reappearance, and a repeat of the same step at the same site within minutes is a re-scan.
 */
export interface TerminalFact {
  kind: 'dispensed' | 'decommissioned';
  site?: string;
  at: number;
}

const RESCAN_WINDOW_MS = 10 * 60_000;

export type ReobservationVerdict = 'reappearance' | 'rescan' | 'earlier';

export function judgeReobservation(
  terminal: TerminalFact,
  observation: { at: number; site?: string; terminalKind?: TerminalFact['kind'] },
  sameHolder: (a: string | undefined, b: string | undefined) => boolean,
): ReobservationVerdict {
  if (observation.at < terminal.at) return 'earlier';
  if (
    observation.terminalKind === terminal.kind &&
    sameHolder(observation.site, terminal.site) &&
    observation.at - terminal.at < RESCAN_WINDOW_MS
  ) {
    return 'rescan';
  }
  return 'reappearance';
}
