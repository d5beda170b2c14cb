import { type AiDefinition, aiAt, aiDefinition, probableAiLength } from './ai-table';
import { aiLabel, checkAiValue } from './ai-value';
import { describeCharacter } from './character-set';
import type { Gs1Element } from './gs1-element';
import type { Gs1ErrorCode } from './gs1-parse-error';

/** The GS (group separator, 0x1D) character that stands for FNC1 in transmitted barcode data. */
export const GS = '\x1D';
const GS_CODE = 0x1d;

/** An element as found in the data, with the index of its AI in the (normalised) text. */
export interface FoundElement extends Gs1Element {
  at: number;
}

/** One way to read an element string. */
export interface Reading {
  elements: FoundElement[];
  /** Text indices where a missing GS separator was assumed. */
  inserted: number[];
  /** Things tolerated on the way (a fixed-length field not followed by its separator, ...). */
  notes: string[];
}

/** Why data cannot be read; `at` is an index in the normalised text, turned into a caller position later. */
export interface ReadFailure {
  code: Gs1ErrorCode;
  ai?: string;
  at: number;
  /** Message without the position, which the caller appends. */
  message: string;
}

export function isReadFailure(r: Reading | ReadFailure): r is ReadFailure {
  return 'code' in r;
}

const ALL_DIGITS = /^\d+$/;
const AI_CODE = /^\d{2,4}$/;
const OPEN_PAREN = /\(/g;

function valueFailure(def: AiDefinition, value: string, valueAt: number, now: Date): ReadFailure | undefined {
  const problem = checkAiValue(def, value, now);
  if (!problem) return undefined;
  return {
    code: problem.code,
    ai: def.ai,
    at: valueAt + problem.offset,
    message: `AI (${def.ai}) ${aiLabel(def)} '${value}': ${problem.detail}`,
  };
}

function unknownAi(text: string, at: number): ReadFailure {
  let end = at;
  const stop = Math.min(text.length, at + probableAiLength(text.slice(at, at + 2)));
  while (end < stop && ALL_DIGITS.test(text[end])) end++;
  if (end - at < 2 && end >= text.length) {
    return {
      code: 'GS1_FIELD_TOO_SHORT',
      at: end,
      message: 'the data ends inside an Application Identifier',
    };
  }
  if (end - at < 2) {
    return {
      code: 'GS1_INVALID_CHARACTER',
      at: end,
      message: `expected an Application Identifier (digits) but found ${describeCharacter(text[end])}`,
    };
  }
  const shown = text.slice(at, end);
  return {
    code: 'GS1_UNKNOWN_AI',
    ai: shown,
    at,
    message: `'${shown}' is not a known GS1 Application Identifier`,
  };
}

/** Adds an element unless it repeats an AI: the same value again is tolerated, a different one is an error. */
function add(elements: FoundElement[], element: FoundElement, notes: string[]): ReadFailure | undefined {
  const earlier = elements.find((e) => e.ai === element.ai);
  if (!earlier) {
    elements.push(element);
    return undefined;
  }
  if (earlier.value === element.value) {
    notes.push(`AI (${element.ai}) appears twice with the same value; kept once`);
    return undefined;
  }
  return {
    code: 'GS1_DUPLICATE_AI',
    ai: element.ai,
    at: element.at,
    message: `AI (${element.ai}) appears twice with different values '${earlier.value}' and '${element.value}'`,
  };
}

/**
 * Reads an unbracketed element string as written: a variable-length value runs to the next GS or the end. GS
 * separators at the start, doubled or at the end are skipped (some scanners send the leading FNC1).
 */
export function readLiteral(text: string, now: Date): Reading | ReadFailure {
  const elements: FoundElement[] = [];
  const notes: string[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    if (text.charCodeAt(i) === GS_CODE) {
      i++;
      continue;
    }
    const def = aiAt(text, i);
    if (!def) return unknownAi(text, i);
    const v = i + def.ai.length;
    let end: number;
    if (def.fixedLength) {
      end = v + def.maxLength;
      const gs = text.indexOf(GS, v);
      if (end > n || (gs >= 0 && gs < end)) {
        const cut = gs >= 0 && gs < end ? gs : n;
        return {
          code: 'GS1_FIELD_TOO_SHORT',
          ai: def.ai,
          at: cut,
          message: `AI (${def.ai}) ${aiLabel(def)} '${text.slice(v, cut)}': ${cut - v} characters, exactly ${def.maxLength} required`,
        };
      }
      if (!def.predefined && end < n && text.charCodeAt(end) !== GS_CODE) {
        notes.push(`no GS separator after the fixed-length AI (${def.ai}); its length made the end clear`);
      }
    } else {
      const gs = text.indexOf(GS, v);
      end = gs < 0 ? n : gs;
    }
    const value = text.slice(v, end);
    const failure = valueFailure(def, value, v, now) ?? add(elements, { ai: def.ai, value, at: i }, notes);
    if (failure) return failure;
    i = end;
  }
  if (elements.length === 0) {
    return { code: 'GS1_NOT_GS1_DATA', at: 0, message: 'the data holds no GS1 Application Identifier' };
  }
  return { elements, inserted: [], notes };
}

export interface EnumerationResult {
  readings: Reading[];
  /** True when the search stopped early: there may be more readings than listed. */
  truncated: boolean;
}

const MAX_READINGS = 16;
const MAX_STEPS = 20_000;

/**
 * Every complete, valid reading of the text when GS separators may be missing: a variable-length value may also
 * end wherever a known AI starts. Each field of a reading passes its checks (length, character set, check digit,
 * date); duplicated AIs with different values rule a reading out. Bounded, for hostile input.
 */
export function enumerateReadings(text: string, now: Date): EnumerationResult {
  const readings: Reading[] = [];
  let steps = 0;
  let truncated = false;
  const elements: FoundElement[] = [];
  const inserted: number[] = [];
  const notes: string[] = [];

  const visit = (i: number): void => {
    if (truncated) return;
    if (++steps > MAX_STEPS || readings.length >= MAX_READINGS) {
      truncated = true;
      return;
    }
    const n = text.length;
    while (i < n && text.charCodeAt(i) === GS_CODE) i++;
    if (i === n) {
      if (elements.length > 0)
        readings.push({ elements: [...elements], inserted: [...inserted], notes: [...notes] });
      return;
    }
    const def = aiAt(text, i);
    if (!def) return;
    const v = i + def.ai.length;
    const gs = text.indexOf(GS, v);
    const limit = gs < 0 ? n : gs;
    const tryEnd = (end: number, split: boolean): void => {
      const value = text.slice(v, end);
      if (checkAiValue(def, value, now)) return;
      const earlier = elements.find((e) => e.ai === def.ai);
      if (earlier && earlier.value !== value) return;
      if (!earlier) elements.push({ ai: def.ai, value, at: i });
      if (split) inserted.push(end);
      visit(end);
      if (split) inserted.pop();
      if (!earlier) elements.pop();
    };
    if (def.fixedLength) {
      const end = v + def.maxLength;
      if (end <= limit) tryEnd(end, false);
      return;
    }
    const last = Math.min(limit, v + def.maxLength);
    for (let end = v + Math.max(def.minLength, 1); end <= last; end++) {
      if (end === limit) tryEnd(end, false);
      else if (aiAt(text, end)) tryEnd(end, true);
    }
  };
  visit(0);
  return { readings, truncated };
}

/** `(01)09506000134352(21)ABC` form of a reading, for messages. */
export function bracketed(elements: readonly Gs1Element[]): string {
  return elements.map((e) => `(${e.ai})${e.value.replace(OPEN_PAREN, '\\(')}`).join('');
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09;
}

/**
 * Reads the human-readable bracketed form `(01)09506000134352(17)251231(10)ABC`. A `(` inside a value is literal
 * unless it starts a known `(AI)`; `\(` is always literal (GS1 Barcode Syntax Engine escaping). Spaces around the
 * brackets, as printed under barcodes, are ignored.
 */
export function readBracketed(text: string, now: Date): Reading | ReadFailure {
  const elements: FoundElement[] = [];
  const notes: string[] = [];
  let spaces = false;
  let i = 0;
  const n = text.length;
  while (i < n) {
    while (i < n && isSpace(text.charCodeAt(i))) {
      spaces = true;
      i++;
    }
    if (i === n) break;
    if (text[i] !== '(') {
      return {
        code: 'GS1_BRACKET_SYNTAX',
        at: i,
        message: `expected '(' to open an Application Identifier, found ${describeCharacter(text[i])}`,
      };
    }
    const close = text.indexOf(')', i);
    const ai = close < 0 ? '' : text.slice(i + 1, close);
    if (close < 0 || !AI_CODE.test(ai)) {
      return {
        code: 'GS1_BRACKET_SYNTAX',
        at: i,
        message: `'(' must be followed by a 2 to 4 digit AI and ')'`,
      };
    }
    const def = aiDefinition(ai);
    if (!def)
      return {
        code: 'GS1_UNKNOWN_AI',
        ai,
        at: i + 1,
        message: `'${ai}' is not a known GS1 Application Identifier`,
      };
    let j = close + 1;
    while (j < n && isSpace(text.charCodeAt(j))) {
      spaces = true;
      j++;
    }
    const valueAt = j;
    let value = '';
    while (j < n) {
      const ch = text[j];
      if (ch === '\\' && text[j + 1] === '(') {
        value += '(';
        j += 2;
        continue;
      }
      // An unescaped '(' before a digit opens the next AI (write `\\(` for a literal one there).
      if (ch === '(' && j + 1 < n && text.charCodeAt(j + 1) >= 48 && text.charCodeAt(j + 1) <= 57) break;
      value += ch;
      j++;
    }
    let trimmed = value.length;
    while (trimmed > 0 && isSpace(value.charCodeAt(trimmed - 1))) trimmed--;
    if (trimmed < value.length) {
      spaces = true;
      value = value.slice(0, trimmed);
    }
    const failure = valueFailure(def, value, valueAt, now) ?? add(elements, { ai, value, at: i }, notes);
    if (failure) return failure;
    i = j;
  }
  if (elements.length === 0) {
    return { code: 'GS1_NOT_GS1_DATA', at: 0, message: 'the data holds no GS1 Application Identifier' };
  }
  if (spaces) notes.push('ignored spaces around the bracketed AIs');
  return { elements, inserted: [], notes };
}

export type ElementStringForm = 'raw' | 'bracketed';

/**
 * Writes elements as barcode data (`raw`: AIs and values, GS after every value whose AI is not of predefined
 * length, except the last) or in the bracketed human-readable form (`(` in values escaped as `\(`).
 */
export function formatElementString(
  elements: readonly Gs1Element[],
  form: ElementStringForm = 'raw',
): string {
  if (form === 'bracketed') return bracketed(elements);
  let out = '';
  elements.forEach((e, index) => {
    const def = aiDefinition(e.ai);
    out += e.ai + e.value;
    if (index < elements.length - 1 && !def?.predefined) out += GS;
  });
  return out;
}
