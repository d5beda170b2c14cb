/**
 * Keyboard-wedge scanners type the barcode as key presses for a US layout. On a PC set to another layout the same
 * keys give other characters: a German QWERTZ layout swaps y/z and turns `-` into `ß`, `:` into `Ö`; a French AZERTY
 * layout turns the digit row into `&é"'(-è_çà`. These tables map what the PC received back to what the scanner
 * meant. GS1 data is ASCII, so a non-ASCII character in the input is what reveals the layout.
 */

export type KeyboardLayout = 'us' | 'de' | 'fr';

function pairs(list: string): Map<string, string> {
  const map = new Map<string, string>();
  for (let i = 0; i < list.length; i += 2) map.set(list[i], list[i + 1]);
  return map;
}

/** Received on a German layout → US key meant ("ab" = received a, meant b). */
const FROM_GERMAN = pairs('yzzyYZZYß--/_??_´=`+ü[+]Ü{*}ö;Ö:ä\'Ä"#\\\'|^`°~"@§#&^/&(*)(=);<:>');

/** Received on a French AZERTY layout → US key meant. */
const FROM_FRENCH = pairs(
  '&1é2"3\'4(5-6è7_8ç9à0)-==' +
    '1!2@3#4$5%6^7&8*9(0)°_++' +
    'aqzwqawzAQZWQAWZ' +
    '^[$]¨{£}' +
    'm;ù\'*\\M:%"µ|' +
    ',m;,:.!/?M.</>§?²`',
);

export const LAYOUT_NAMES: Record<KeyboardLayout, string> = {
  us: 'US',
  de: 'German (QWERTZ)',
  fr: 'French (AZERTY)',
};

/** Characters only a German layout produces from GS1 data (and the ones both produce). */
const GERMAN_SIGNS = new Set(['ß', 'ö', 'Ö', 'ä', 'Ä', 'ü', 'Ü', '´']);
const FRENCH_SIGNS = new Set(['é', 'è', 'ç', 'à', 'ù', '²', 'µ', '£', '¨']);
const SHARED_SIGNS = new Set(['§', '°']);

/**
 * Layouts the input may have been typed on, judged by its non-ASCII characters (and a German-typed symbology
 * identifier `+d2`, from the US `]` key). Empty when nothing points away from US.
 */
const GERMAN_SYMBOLOGY_ID = /^\+[dQCeJE][0-9]/;

export function suspectedLayouts(input: string): KeyboardLayout[] {
  let german = GERMAN_SYMBOLOGY_ID.test(input);
  let french = false;
  let shared = false;
  for (let i = 0; i < input.length; i++) {
    if (input.charCodeAt(i) < 128) continue;
    const ch = input[i];
    if (GERMAN_SIGNS.has(ch)) german = true;
    else if (FRENCH_SIGNS.has(ch)) french = true;
    else if (SHARED_SIGNS.has(ch)) shared = true;
  }
  if (german || french) return [...(german ? ['de' as const] : []), ...(french ? ['fr' as const] : [])];
  return shared ? ['de', 'fr'] : [];
}

/** Maps text received on `layout` back to what a US-layout scanner typed. */
export function fromLayout(input: string, layout: KeyboardLayout): string {
  if (layout === 'us') return input;
  const table = layout === 'de' ? FROM_GERMAN : FROM_FRENCH;
  let out = '';
  for (const ch of input) out += table.get(ch) ?? ch;
  return out;
}

/** Caps Lock inverts the case of letters (German umlauts included); undo it. */
export function invertLetterCase(input: string): string {
  let out = '';
  for (const ch of input) {
    const lower = ch.toLowerCase();
    out += ch === lower ? ch.toUpperCase() : lower;
  }
  return out;
}
