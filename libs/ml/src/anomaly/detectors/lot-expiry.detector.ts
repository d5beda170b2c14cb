/**
 * Lot / expiry mismatch: a copy of a real serial that carries another lot or expiry than the pack was
 * commissioned with. In valid EPCIS 2.0 only an ADD ObjectEvent may carry ILMD, so the copy shows up as a
 * second commissioning of the serial (accepted with RULE_ALREADY_COMMISSIONED when its publisher owns the
 * prefix, rejected with RULE_PREFIX_NOT_OWNED when not); the engine's own LOT/EXPIRY_MISMATCH rules only see
 * ILMD on observations, which the schema forbids.
 */
export interface IlmdFacts {
  lot?: string;
  expiry?: string;
}

export function ilmdMismatch(known: IlmdFacts, claimed: IlmdFacts): { lot: boolean; expiry: boolean } {
  return {
    lot: Boolean(known.lot && claimed.lot && known.lot !== claimed.lot),
    expiry: Boolean(known.expiry && claimed.expiry && known.expiry !== claimed.expiry),
  };
}
