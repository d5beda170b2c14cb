/**
 * GS1 DataMatrix contents of a pharmaceutical pack as a keyboard-wedge scanner types them, with and without
 * the GS separator that ends the variable-length serial, and what naive point-of-sale software makes of a code
 * whose separator was dropped (the serial swallows expiry and lot: a serial that does not exist).
 */

/** ASCII group separator (FNC1 inside a GS1 element string). */
export const GS = '\u001d';

/** AI (21) serial numbers are at most 20 characters. */
const MAX_SERIAL_LENGTH = 20;

/** `YYYY-MM-DD` → GS1 `YYMMDD`. */
export function gs1Date(iso: string): string {
  return `${iso.slice(2, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}`;
}

/**
 * The element string in the order most EU packs print it: GTIN (01), serial (21), expiry (17), lot (10).
 * The serial is variable-length, so a GS must follow it.
 */
export function packBarcode(
  pack: { gtin: string; serial: string; lot: string; expiry: string },
  withSeparator: boolean,
): string {
  return `]d201${pack.gtin}21${pack.serial}${withSeparator ? GS : ''}17${gs1Date(pack.expiry)}10${pack.lot}`;
}

/** The serial naive software reads from a code without GS: everything after AI 21, cut at 20 characters. */
export function misreadSerial(pack: { serial: string; lot: string; expiry: string }): string {
  return `${pack.serial}17${gs1Date(pack.expiry)}10${pack.lot}`.slice(0, MAX_SERIAL_LENGTH);
}
