/**
 * Verification reason codes. Modelled on the DSCSA verification response (a "no match" names which of GTIN,
 * serial, lot, expiry did not match) and on the EU FMD alert types (unknown pack, batch mismatch, expiry mismatch,
 * already dispensed/decommissioned), plus Pedigree's own: recalled, stolen, suspect, tampered, not yet anchored.
 */
export enum VerificationReason {
  GTIN_NOT_FOUND = 'GTIN_NOT_FOUND',
  UNKNOWN_SERIAL = 'UNKNOWN_SERIAL',
  LOT_MISMATCH = 'LOT_MISMATCH',
  EXPIRY_MISMATCH = 'EXPIRY_MISMATCH',
  EXPIRED = 'EXPIRED',
  ALREADY_DISPENSED = 'ALREADY_DISPENSED',
  DECOMMISSIONED = 'DECOMMISSIONED',
  RECALLED = 'RECALLED',
  STOLEN = 'STOLEN',
  SUSPECT = 'SUSPECT',
  TAMPERED = 'TAMPERED',
  NOT_YET_ANCHORED = 'NOT_YET_ANCHORED',
  UNANCHORED = 'UNANCHORED',
  NOT_ON_CHAIN = 'NOT_ON_CHAIN',
  CHAIN_UNAVAILABLE = 'CHAIN_UNAVAILABLE',
  IN_TRANSIT = 'IN_TRANSIT',
  TEMPERATURE_EXCURSION = 'TEMPERATURE_EXCURSION',
}

export interface ReasonInfo {
  /** Verdict effect: `fail` makes the pack not verified; `pending` means "try again shortly"; `warn` informs. */
  effect: 'fail' | 'pending' | 'warn';
  /** Closest DSCSA verification response wording, where there is one. */
  dscsa?: string;
  /** Closest EU FMD (EMVS) alert, where there is one. */
  euFmd?: string;
  message: string;
}

export const REASONS: Record<VerificationReason, ReasonInfo> = {
  GTIN_NOT_FOUND: {
    effect: 'fail',
    dscsa: 'No match: GTIN not found',
    euFmd: 'Product code unknown',
    message: 'No product with this GTIN is known to the network.',
  },
  UNKNOWN_SERIAL: {
    effect: 'fail',
    dscsa: 'No match for GTIN + serial number',
    euFmd: 'Pack unknown (serial number not found)',
    message: 'This serial number was never commissioned for this product: do not dispense.',
  },
  LOT_MISMATCH: {
    effect: 'fail',
    dscsa: 'No match for GTIN + serial number + lot',
    euFmd: 'Batch mismatch',
    message: 'The lot on the pack differs from the lot it was commissioned with.',
  },
  EXPIRY_MISMATCH: {
    effect: 'fail',
    dscsa: 'No match for GTIN + serial number + expiry',
    euFmd: 'Expiry date mismatch',
    message: 'The expiry on the pack differs from the commissioned expiry.',
  },
  EXPIRED: { effect: 'fail', euFmd: 'Pack expired', message: 'The pack is past its expiry date.' },
  ALREADY_DISPENSED: {
    effect: 'fail',
    euFmd: 'Pack already inactive (supplied)',
    message: 'This pack was already dispensed: a second pack with this serial is a likely counterfeit.',
  },
  DECOMMISSIONED: {
    effect: 'fail',
    euFmd: 'Pack already inactive (decommissioned)',
    message:
      'This pack was decommissioned (destroyed, sample, exported or otherwise taken out of the chain).',
  },
  RECALLED: { effect: 'fail', euFmd: 'Pack recalled', message: 'This pack belongs to a recall.' },
  STOLEN: { effect: 'fail', euFmd: 'Pack reported stolen', message: 'This pack was reported stolen.' },
  SUSPECT: {
    effect: 'fail',
    message: 'An open counterfeit alert concerns this pack; quarantine it and contact the manufacturer.',
  },
  TAMPERED: {
    effect: 'fail',
    message: 'Its recorded history does not match what was anchored on-chain: the records were altered.',
  },
  NOT_YET_ANCHORED: {
    effect: 'pending',
    message: 'Its latest events are not anchored on-chain yet (usually a few seconds); try again shortly.',
  },
  UNANCHORED: {
    effect: 'fail',
    message:
      'Part of its history was never anchored on-chain within the deadline, so it cannot be proven: do not dispense; report it.',
  },
  NOT_ON_CHAIN: {
    effect: 'fail',
    dscsa: 'No match for GTIN + serial number',
    euFmd: 'Pack unknown (serial number not found)',
    message:
      "The chain's state map holds no such pack, whatever the database says: it was never committed, so treat it as unknown.",
  },
  CHAIN_UNAVAILABLE: {
    effect: 'pending',
    message:
      'The chain cannot be read right now, so the history could not be checked against it; try again shortly.',
  },
  IN_TRANSIT: {
    effect: 'warn',
    message: 'The pack is recorded as in transit; it has not been received by anyone yet.',
  },
  TEMPERATURE_EXCURSION: {
    effect: 'fail',
    message:
      'A temperature sensor on its way recorded a value outside the product’s storage range: quarantine the pack and ask the manufacturer before dispensing.',
  },
};
