/**
 * Unknown serial: a pack identifier the repository never saw commissioned (ingest dead-letters the event with
 * RULE_NOT_COMMISSIONED once its parking time is up). One benign cause is common enough to rule out first: a
 * scanner that drops the GS separator after the variable-length serial, so naive software reads expiry and lot
 * into the serial. If a prefix of the serial, followed by an application identifier a pack code carries, names a
 * pack that does exist, the event is a misread, not a counterfeit.
 */

/** AIs that follow the serial on pharmaceutical packs (expiry, lot, best-before, production date). */
const FOLLOWING_AIS = ['17', '10', '15', '11'];
const MIN_SERIAL_LENGTH = 4;

/** SGTIN URN parts: `urn:epc:id:sgtin:<prefix>.<item>.<serial>`. */
export function splitSgtin(epc: string): { base: string; serial: string } | undefined {
  if (!epc.startsWith('urn:epc:id:sgtin:')) return undefined;
  const dot = epc.lastIndexOf('.');
  if (dot < 0) return undefined;
  return { base: epc.slice(0, dot + 1), serial: decodeURIComponent(epc.slice(dot + 1)) };
}

/**
 * The real pack a misread identifier most likely stands for, when one exists (`exists` says whether the
 * repository knows a pack).
 */
export function explainAsScanError(epc: string, exists: (candidate: string) => boolean): string | undefined {
  const parts = splitSgtin(epc);
  if (!parts) return undefined;
  const { base, serial } = parts;
  for (let cut = serial.length - 2; cut >= MIN_SERIAL_LENGTH; cut--) {
    const rest = serial.slice(cut);
    if (!FOLLOWING_AIS.some((ai) => rest.startsWith(ai))) continue;
    const candidate = `${base}${serial.slice(0, cut)}`;
    if (exists(candidate)) return candidate;
  }
  return undefined;
}
