import { aiDefinition } from './ai-table';
import { aiLabel } from './ai-value';
import { isDigits } from './character-set';
import { hasValidCheckDigit } from './check-digit';
import { parseDigitalLink } from './digital-link';
import {
  GS,
  type FoundElement,
  type ReadFailure,
  type Reading,
  bracketed,
  enumerateReadings,
  isReadFailure,
  readBracketed,
  readLiteral,
} from './element-string';
import { type Gs1Date, readGs1Date } from './gs1-date';
import type { Gs1Element } from './gs1-element';
import { parseEpcUrn } from './epc-urn';
import { Gs1ParseError, isGs1ParseError } from './gs1-parse-error';
import {
  type KeyboardLayout,
  LAYOUT_NAMES,
  fromLayout,
  invertLetterCase,
  suspectedLayouts,
} from './keyboard-layout';

/** What a pharmacy needs from a pack's barcode, plus everything else the code carried. */
export interface ScannedPack {
  /** GTIN-14. */
  gtin: string;
  serial?: string;
  lot?: string;
  expiry?: Gs1Date;
  /** AIs in the order the data carried them. */
  ais: string[];
  elements: Gs1Element[];
  /** `epc-urn`: an SGTIN EPC URN pasted where a scan was expected (what EPCIS documents and Pedigree's answers show). */
  form: 'element-string' | 'bracketed' | 'digital-link' | 'linear' | 'epc-urn';
  /** Symbology identifier, when the scanner sent one (`]d2`). */
  symbology?: string;
  /** What was recovered or tolerated to read the data, in words. Empty for clean data. */
  warnings: string[];
}

export interface ParseScannedBarcodeOptions {
  /** Anchors two-digit years (default: now). */
  now?: Date;
  /** Keyboard layout of the PC the scanner typed into; `auto` (default) infers it from non-ASCII characters. */
  keyboardLayout?: 'auto' | KeyboardLayout;
  /** Caps Lock state; `auto` (default) infers it from a symbology identifier of inverted case (`]D2`). */
  capsLock?: 'auto' | boolean;
}

/** How the data refers back to the caller's input: `origin[i]` is the input position of `text[i]`. */
interface Located {
  text: string;
  origin: number[];
}

function slice(l: Located, start: number, end = l.text.length): Located {
  return { text: l.text.slice(start, end), origin: l.origin.slice(start, end + 1) };
}

function positionOf(l: Located, at: number): number {
  return l.origin[Math.min(at, l.origin.length - 1)] ?? 0;
}

function fail(l: Located, f: ReadFailure): Gs1ParseError {
  const position = positionOf(l, f.at);
  return new Gs1ParseError(f.code, `${f.message} (position ${position})`, { ai: f.ai, position });
}

/** GS1 data symbologies (AIM identifiers) and what they carry. */
const ELEMENT_STRING_IDS = new Set([']d2', ']Q3', ']C1', ']e0', ']J1']);
const PLAIN_2D_IDS = new Set([']d1', ']Q1']);
const LINEAR_IDS = new Set([']E0', ']E4', ']I0', ']I1']);
/** The same identifiers typed with Caps Lock on. */
const CAPS_INVERTED_IDS = new Set([']D2', ']q3', ']c1', ']E0', ']j1', ']D1', ']q1']);

/**
 * Stand-ins for the GS separator that scanners and people produce: caret notation, escapes written out, the
 * syntax engine's `^`, a pipe, the Unicode control picture. None is a GS1 set 82 character except `<` `>`
 * (`<GS>`), and no real value contains the text `<GS>`.
 */
const GS_STAND_INS = [
  '<GS>',
  '{GS}',
  '[GS]',
  '<FNC1>',
  '{FNC1}',
  '[FNC1]',
  '\\X1D',
  '\\U001D',
  '\\035',
  '^]',
  '~1',
  '|',
  '^',
  '\u241D',
];
const STAND_IN_FIRST = new Set(GS_STAND_INS.map((t) => t[0]));

/** Replaces GS stand-ins by GS, keeping positions, and says which ones it met. */
function normaliseSeparators(l: Located, warnings: string[]): Located {
  let text = '';
  const origin: number[] = [];
  const seen = new Set<string>();
  const src = l.text;
  for (let i = 0; i < src.length;) {
    const ch = src[i];
    if (STAND_IN_FIRST.has(ch.toUpperCase()) || STAND_IN_FIRST.has(ch)) {
      const upper = src.slice(i, i + 6).toUpperCase();
      const token = GS_STAND_INS.find((t) => upper.startsWith(t));
      if (token) {
        seen.add(src.slice(i, i + token.length));
        text += GS;
        origin.push(l.origin[i]);
        i += token.length;
        continue;
      }
    }
    text += ch;
    origin.push(l.origin[i]);
    i++;
  }
  origin.push(l.origin[src.length]);
  for (const token of seen) warnings.push(`treated '${token}' in the data as the GS (FNC1) separator`);
  return { text, origin };
}

const PACK_AIS = ['01', '10', '17', '21'];

function isComplete(r: Reading): boolean {
  return PACK_AIS.every((ai) => r.elements.some((e) => e.ai === ai));
}

function describeElement(e: Gs1Element): string {
  const def = aiDefinition(e.ai);
  return `AI (${e.ai}) ${def ? aiLabel(def) : ''} '${e.value}'`.replace('  ', ' ');
}

function recoveredWarnings(l: Located, r: Reading): string[] {
  return r.inserted.map((at) => {
    const index = r.elements.findIndex((e) => e.at === at);
    const before = r.elements[index - 1];
    const after = r.elements[index];
    return (
      `recovered a missing GS separator at position ${positionOf(l, at)}: read ${describeElement(before)} ` +
      `followed by ${describeElement(after)} (the scanner does not seem to transmit GS/FNC1)`
    );
  });
}

function ambiguous(l: Located, readings: Reading[], truncated: boolean): Gs1ParseError {
  const first = readings.find((r) => r.inserted.length > 0) ?? readings[0];
  const at = first.inserted[0] ?? 0;
  const holder = [...first.elements].reverse().find((e) => e.at < at);
  const position = positionOf(l, at);
  const shown = readings.slice(0, 3).map((r) => bracketed(r.elements));
  return new Gs1ParseError(
    'GS1_AMBIGUOUS_SEPARATOR',
    `GS separators are missing and the data reads more than one way: ${shown.join(' or ')}` +
      `${readings.length > 3 || truncated ? ' or others' : ''}; set the scanner to transmit GS (FNC1) or enter the ` +
      `data by hand (position ${position})`,
    { ai: holder?.ai, position },
  );
}

/**
 * Chooses a reading of an unbracketed element string. With separators in the data the scanner transmits them, so
 * the data is read as written and only a reading that fails is searched for a missing separator. Without any
 * separator a GS may have been dropped after a variable-length value: among all valid readings the one complete
 * pack reading (GTIN, lot, expiry, serial) wins, else the literal one; several candidates are ambiguous.
 */
function chooseReading(l: Located, now: Date, warnings: string[]): Reading {
  const literal = readLiteral(l.text, now);
  const hasSeparators = l.text.includes(GS);
  if (hasSeparators && !isReadFailure(literal)) return literal;

  const { readings, truncated } = enumerateReadings(l.text, now);
  const alternatives = readings.filter((r) => r.inserted.length > 0);
  let chosen: Reading | undefined;
  if (hasSeparators) {
    if (alternatives.length === 1 && !truncated) chosen = alternatives[0];
    else if (alternatives.length > 1 || truncated) throw ambiguous(l, alternatives, truncated);
  } else {
    const complete = readings.filter(isComplete);
    if (complete.length === 1 && !truncated) chosen = complete[0];
    else if (complete.length > 1 || (truncated && complete.length > 0))
      throw ambiguous(l, complete, truncated);
    else if (!isReadFailure(literal)) chosen = literal;
    else if (readings.length === 1 && !truncated) chosen = readings[0];
    else if (readings.length > 1 || truncated) throw ambiguous(l, readings, truncated);
  }
  if (!chosen) throw fail(l, literal as ReadFailure);
  warnings.push(...recoveredWarnings(l, chosen));
  return chosen;
}

interface Parsed {
  elements: Gs1Element[];
  form: ScannedPack['form'];
  symbology?: string;
}

const HTTP = /^https?:\/\//i;
const TRAILING_POSITION = /\(position \d+\)$/;

function parseDigitalLinkData(l: Located, now: Date): Gs1Element[] {
  try {
    const link = parseDigitalLink(l.text, { now });
    return [link.primaryKey, ...link.qualifiers, ...link.attributes];
  } catch (error) {
    if (!isGs1ParseError(error)) throw error;
    const position = positionOf(l, error.position ?? 0);
    throw new Gs1ParseError(error.code, error.message.replace(TRAILING_POSITION, `(position ${position})`), {
      ai: error.ai,
      position,
    });
  }
}

function fromReading(l: Located, r: Reading | ReadFailure, warnings: string[]): Gs1Element[] {
  if (isReadFailure(r)) throw fail(l, r);
  warnings.push(...r.notes);
  return r.elements.map(({ ai, value }: FoundElement) => ({ ai, value }));
}

function parseLinear(l: Located, symbology: string | undefined, warnings: string[]): Gs1Element[] {
  const digits = l.text;
  if (!isDigits(digits) || ![8, 12, 13, 14].includes(digits.length)) {
    throw new Gs1ParseError(
      'GS1_NOT_GS1_DATA',
      `a ${symbology ?? 'linear'} barcode must hold 8, 12, 13 or 14 digits (a GTIN), got '${digits}' (position ${positionOf(l, 0)})`,
      { position: positionOf(l, 0) },
    );
  }
  if (!hasValidCheckDigit(digits)) {
    const position = positionOf(l, digits.length - 1);
    throw new Gs1ParseError(
      'GS1_CHECK_DIGIT',
      `GTIN '${digits}' has a wrong check digit (position ${position})`,
      {
        ai: '01',
        position,
      },
    );
  }
  if (!symbology)
    warnings.push(`read the ${digits.length} digits as a GTIN from a linear barcode (EAN/UPC/ITF-14)`);
  return [{ ai: '01', value: digits.padStart(14, '0') }];
}

function parseData(l: Located, now: Date, warnings: string[]): Parsed {
  let symbology: string | undefined;
  let data = l;
  if (l.text.startsWith(']') && l.text.length >= 3) {
    symbology = l.text.slice(0, 3);
    data = slice(l, 3);
  }
  if (symbology && LINEAR_IDS.has(symbology)) {
    return { elements: parseLinear(data, symbology, warnings), form: 'linear', symbology };
  }
  if (symbology && !ELEMENT_STRING_IDS.has(symbology) && !PLAIN_2D_IDS.has(symbology)) {
    throw new Gs1ParseError(
      'GS1_UNSUPPORTED_SYMBOLOGY',
      `symbology identifier '${symbology}' is not a GS1 barcode this reader understands (GS1 DataMatrix ]d2, GS1 QR ]Q3, ` +
        `GS1-128 ]C1, GS1 DataBar ]e0, or a Digital Link in ]d1/]Q1) (position ${positionOf(l, 0)})`,
      { position: positionOf(l, 0) },
    );
  }
  if (data.text.length === 0) {
    throw new Gs1ParseError('GS1_EMPTY_INPUT', `the barcode holds no data after '${symbology}'`, {
      position: positionOf(data, 0),
    });
  }
  if (HTTP.test(data.text)) {
    if (symbology && ELEMENT_STRING_IDS.has(symbology)) {
      warnings.push(
        `symbology ${symbology} announces GS1 element strings but the data is a URI; read it as a Digital Link`,
      );
    }
    return { elements: parseDigitalLinkData(data, now), form: 'digital-link', symbology };
  }
  if (symbology && PLAIN_2D_IDS.has(symbology)) {
    warnings.push(
      `symbology ${symbology} is a plain (non-GS1) code; its data was read as GS1 element strings`,
    );
  }
  if (data.text.startsWith('(')) {
    return {
      elements: fromReading(data, readBracketed(data.text, now), warnings),
      form: 'bracketed',
      symbology,
    };
  }
  if (
    !symbology &&
    isDigits(data.text) &&
    [8, 12, 13, 14].includes(data.text.length) &&
    hasValidCheckDigit(data.text)
  ) {
    // A GTIN alone: a linear barcode scanned without symbology identifiers. No element string of these lengths
    // carries a GTIN, so this reading is the only useful one.
    return { elements: parseLinear(data, undefined, warnings), form: 'linear' };
  }
  const separated = normaliseSeparators(data, warnings);
  const reading = chooseReading(separated, now, warnings);
  return { elements: fromReading(separated, reading, warnings), form: 'element-string', symbology };
}

function toPack(parsed: Parsed, now: Date, warnings: string[], l: Located): ScannedPack {
  const value = (ai: string) => parsed.elements.find((e) => e.ai === ai)?.value;
  const gtin = value('01');
  if (gtin === undefined) {
    throw new Gs1ParseError(
      'GS1_MISSING_GTIN',
      `the barcode carries no GTIN (AI 01), so it is not a pack's code; it holds ${parsed.elements.map((e) => `(${e.ai})`).join('')} (position ${positionOf(l, 0)})`,
      { position: positionOf(l, 0) },
    );
  }
  const expiry = value('17');
  const pack: ScannedPack = {
    gtin,
    ais: parsed.elements.map((e) => e.ai),
    elements: parsed.elements,
    form: parsed.form,
    warnings,
  };
  const serial = value('21');
  const lot = value('10');
  if (serial !== undefined) pack.serial = serial;
  if (lot !== undefined) pack.lot = lot;
  if (expiry !== undefined) {
    pack.expiry = readGs1Date(expiry, now);
    if (pack.expiry.endOfMonth) {
      warnings.push(`expiry '${expiry}' has day 00: it means the end of the month, ${pack.expiry.iso}`);
    }
  }
  if (parsed.symbology) pack.symbology = parsed.symbology;
  return pack;
}

/** Input without the keyboard wedge's trailing Enter/Tab and surrounding spaces (never GS1 data). */
function trimmed(input: string): Located {
  let start = 0;
  let end = input.length;
  const blank = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
  while (start < end && blank(input.charCodeAt(start))) start++;
  while (end > start && blank(input.charCodeAt(end - 1))) end--;
  const origin: number[] = [];
  for (let i = start; i <= end; i++) origin.push(i);
  return { text: input.slice(start, end), origin };
}

interface Attempt {
  layout: KeyboardLayout;
  capsLock: boolean;
}

function attempts(text: string, options: ParseScannedBarcodeOptions): Attempt[] {
  const layouts: KeyboardLayout[] =
    options.keyboardLayout && options.keyboardLayout !== 'auto'
      ? [options.keyboardLayout]
      : (() => {
          const suspected = suspectedLayouts(text);
          return suspected.length ? suspected : ['us' as const];
        })();
  return layouts.map((layout) => {
    let capsLock = options.capsLock === true;
    if (options.capsLock === undefined || options.capsLock === 'auto') {
      const id = fromLayout(text.slice(0, 3), layout);
      // ]E0 is also a real identifier (EAN-13), so on its own it proves nothing.
      capsLock = CAPS_INVERTED_IDS.has(id) && id !== ']E0';
    }
    return { layout, capsLock };
  });
}

function attempt(l: Located, a: Attempt, now: Date): ScannedPack {
  const warnings: string[] = [];
  let text = l.text;
  if (a.capsLock) {
    text = invertLetterCase(text);
    warnings.push('the data was typed with Caps Lock on (letter case inverted); inverted it back');
  }
  if (a.layout !== 'us') {
    text = fromLayout(text, a.layout);
    warnings.push(
      `the data was typed on a ${LAYOUT_NAMES[a.layout]} keyboard layout by a scanner set for US; mapped the characters back`,
    );
  }
  const located = { text, origin: l.origin };
  return toPack(parseData(located, now, warnings), now, warnings, located);
}

/** A pack's EPC URN (SGTIN) as GTIN and serial; a malformed URN or another scheme is refused with why. */
function fromEpcUrn(urn: string): ScannedPack {
  const identity = parseEpcUrn(urn); // GS1_INVALID_EPC_URN, with the reason, when malformed
  const elements = identity.elements ?? [];
  const gtin = elements.find((e) => e.ai === '01')?.value;
  const serial = elements.find((e) => e.ai === '21')?.value;
  if (!urn.startsWith('urn:epc:id:sgtin:') || !gtin || !serial) {
    throw new Gs1ParseError(
      'GS1_UNSUPPORTED_SCHEME',
      `an EPC URN of scheme ${identity.scheme} names no serialised pack; a pack is urn:epc:id:sgtin:…`,
      { position: 0 },
    );
  }
  return { gtin, serial, ais: ['01', '21'], elements, form: 'epc-urn', warnings: [] };
}

/**
 * Reads a scanned pack barcode: GS1 element strings (with or without symbology identifier `]d2`, `]Q3`, `]C1`,
 * `]e0`), the bracketed human-readable form, a GS1 Digital Link (plain or in `]d1`/`]Q1`), a linear EAN/UPC, or a
 * pack's EPC URN (pasted, not scanned).
 * Recovers, with a warning, what keyboard-wedge scanners get wrong when the reading stays unambiguous: GS sent as
 * a stand-in (`<GS>`, `^]`, `|`, ...) or dropped, a German or French keyboard layout, Caps Lock. Every failure is a
 * `Gs1ParseError` with a stable code, the AI and the character position.
 */
export function parseScannedBarcode(input: string, options: ParseScannedBarcodeOptions = {}): ScannedPack {
  if (typeof input !== 'string') {
    throw new Gs1ParseError('GS1_EMPTY_INPUT', `expected the scanned data as text, got ${typeof input}`);
  }
  const l = trimmed(input);
  if (l.text.length === 0)
    throw new Gs1ParseError('GS1_EMPTY_INPUT', 'the scanned data is empty', { position: 0 });
  if (l.text.startsWith('urn:epc:')) return fromEpcUrn(l.text);
  const now = options.now ?? new Date();
  const tries = attempts(l.text, options);
  const results: ScannedPack[] = [];
  let firstError: unknown;
  for (const a of tries) {
    try {
      results.push(attempt(l, a, now));
    } catch (error) {
      if (!isGs1ParseError(error)) throw error;
      firstError ??= error;
    }
  }
  if (results.length === 1) return results[0];
  if (results.length > 1) {
    throw new Gs1ParseError(
      'GS1_KEYBOARD_LAYOUT',
      `the data reads validly both as typed on a ${tries.map((t) => LAYOUT_NAMES[t.layout]).join(' and on a ')} ` +
        'keyboard layout; set the scanner to the keyboard layout of this PC',
      { position: 0 },
    );
  }
  throw firstError;
}
