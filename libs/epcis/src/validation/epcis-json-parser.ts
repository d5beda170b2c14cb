import { isUtf8 } from 'node:buffer';
import { getEventList } from '../model/epcis-document-context';
import { EVENT_LIST_POINTER } from '../model/epcis-document.model';
import { EpcisIssueCode } from './epcis-issue.types';
import { EpcisValidationError } from './epcis-validation.error';
import { joinPointer } from './json-pointer.util';
import { lineAndColumn, locateJsonSyntaxError } from './json-syntax.locator';

export interface EpcisLimits {
  /** Maximum input size in bytes (UTF-8). */
  maxBytes: number;
  /** Maximum nesting of objects and arrays; the document root is depth 1. */
  maxDepth: number;
  /** Maximum number of events in the event list. */
  maxEvents: number;
}

/**
 * Defaults sized for capture: a 10,000-event document of realistic pharma events is ~8 MiB, and the deepest
 * standard structure (query document → sensor report) is 11 levels, leaving room for extensions.
 */
export const DEFAULT_EPCIS_LIMITS: Readonly<EpcisLimits> = Object.freeze({
  maxBytes: 16 * 1024 * 1024,
  maxDepth: 32,
  maxEvents: 10_000,
});

export interface EpcisParseResult {
  /** The parsed JSON value (not yet validated). */
  value: unknown;
  byteLength: number;
  /** Events in the document's event list (0 when there is none). */
  eventCount: number;
}

const UTF8_BOM = 0xfeff;

export function resolveLimits(limits: Partial<EpcisLimits> = {}): EpcisLimits {
  return {
    maxBytes: limits.maxBytes ?? DEFAULT_EPCIS_LIMITS.maxBytes,
    maxDepth: limits.maxDepth ?? DEFAULT_EPCIS_LIMITS.maxDepth,
    maxEvents: limits.maxEvents ?? DEFAULT_EPCIS_LIMITS.maxEvents,
  };
}

function tooLarge(byteLength: number, maxBytes: number): EpcisValidationError {
  return EpcisValidationError.of(
    EpcisIssueCode.TOO_LARGE,
    `the document is ${byteLength} bytes; the limit is ${maxBytes} bytes`,
  );
}

/**
 * Offset of the first bracket that opens level `maxDepth + 1`, or -1. A linear scan that jumps over strings with
 * `indexOf`, run before `JSON.parse` so a hostile document never gets built, and iterative so it cannot overflow.
 */
export function findExcessiveNesting(text: string, maxDepth: number): number {
  let depth = 0;
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      let from = i + 1;
      for (;;) {
        const quote = text.indexOf('"', from);
        // Unterminated: JSON.parse reports it with a position.
        if (quote < 0) return -1;
        let backslashes = 0;
        for (let b = quote - 1; b > i && text.charCodeAt(b) === 92; b--) backslashes++;
        if (backslashes % 2 === 0) {
          i = quote + 1;
          break;
        }
        from = quote + 1;
      }
      continue;
    }
    if (c === 123 || c === 91) {
      if (++depth > maxDepth) return i;
    } else if (c === 125 || c === 93) {
      depth--;
    }
    i++;
  }
  return -1;
}

function decode(input: Uint8Array, maxBytes: number): string {
  if (input.byteLength > maxBytes) throw tooLarge(input.byteLength, maxBytes);
  if (!isUtf8(input)) {
    throw EpcisValidationError.of(EpcisIssueCode.MALFORMED_JSON, 'the document is not valid UTF-8');
  }
  return Buffer.from(input.buffer, input.byteOffset, input.byteLength).toString('utf8');
}

function byteLengthWithin(text: string, maxBytes: number): number {
  // A UTF-16 unit is at most 3 UTF-8 bytes, so short strings need no count.
  if (text.length * 3 <= maxBytes) return Buffer.byteLength(text, 'utf8');
  if (text.length > maxBytes) throw tooLarge(Buffer.byteLength(text, 'utf8'), maxBytes);
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > maxBytes) throw tooLarge(bytes, maxBytes);
  return bytes;
}

const SUSPECT_TEXT = /\\u0000|\\u[dD][89abcdefABCDEF]|[\ud800-\udfff]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function textProblem(s: string): string | undefined {
  if (s.includes('\u0000')) return 'a NUL character (U+0000)';
  if (LONE_SURROGATE.test(s)) return 'a lone UTF-16 surrogate (not a Unicode character)';
  return undefined;
}

/** The first key or string holding a character that cannot be stored, as a JSON pointer; iterative (depth is bounded). */
export function findInvalidText(
  root: unknown,
): { pointer: string; where: 'key' | 'value'; what: string } | undefined {
  const stack: Array<{ value: unknown; pointer: string }> = [{ value: root, pointer: '' }];
  while (stack.length > 0) {
    const { value, pointer } = stack.pop()!;
    if (typeof value === 'string') {
      const what = textProblem(value);
      if (what) return { pointer, where: 'value', what };
    } else if (Array.isArray(value)) {
      value.forEach((item, i) => stack.push({ value: item, pointer: joinPointer(pointer, i) }));
    } else if (typeof value === 'object' && value !== null) {
      for (const [key, item] of Object.entries(value)) {
        const what = textProblem(key);
        if (what)
          return {
            pointer: joinPointer(
              pointer,
              key.replaceAll('\u0000', '\ufffd').replace(/[\ud800-\udfff]/g, '\ufffd'),
            ),
            where: 'key',
            what,
          };
        stack.push({ value: item, pointer: joinPointer(pointer, key) });
      }
    }
  }
  return undefined;
}

/**
 * Parses an EPCIS JSON(-LD) document under size, depth and event-count limits. Throws only
 * `EpcisValidationError` (EPCIS_TOO_LARGE, EPCIS_TOO_DEEP, EPCIS_MALFORMED_JSON with line/column,
 * EPCIS_TOO_MANY_EVENTS); the value it returns still needs validating.
 */
export function parseEpcisJson(
  input: Buffer | Uint8Array | string,
  limits: Partial<EpcisLimits> = {},
): EpcisParseResult {
  const { maxBytes, maxDepth, maxEvents } = resolveLimits(limits);
  let text: string;
  let byteLength: number;
  if (typeof input === 'string') {
    byteLength = byteLengthWithin(input, maxBytes);
    text = input;
  } else if (input instanceof Uint8Array) {
    byteLength = input.byteLength;
    text = decode(input, maxBytes);
  } else {
    throw EpcisValidationError.of(
      EpcisIssueCode.MALFORMED_JSON,
      'the document must be given as a string or a Buffer',
    );
  }
  if (text.charCodeAt(0) === UTF8_BOM) text = text.slice(1);

  const deepAt = findExcessiveNesting(text, maxDepth);
  if (deepAt >= 0) {
    const { line, column } = lineAndColumn(text, deepAt);
    throw EpcisValidationError.of(
      EpcisIssueCode.TOO_DEEP,
      `the document nests objects/arrays deeper than ${maxDepth} levels (at line ${line}, column ${column})`,
      '',
      { position: { offset: deepAt, line, column } },
    );
  }

  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error: unknown) {
    const located = locateJsonSyntaxError(text);
    const fallback = error instanceof Error ? error.message : 'invalid JSON';
    const where = located ? ` at line ${located.line}, column ${located.column}` : '';
    throw new EpcisValidationError(
      [
        {
          code: EpcisIssueCode.MALFORMED_JSON,
          message: `the document is not valid JSON${where}: ${located?.message ?? fallback}`,
          field: '',
          ...(located
            ? { position: { offset: located.offset, line: located.line, column: located.column } }
            : {}),
        },
      ],
      { cause: error },
    );
  }

  // Only a document that could hold such a character (an escape, or a raw surrogate in a JS string) is walked.
  if (SUSPECT_TEXT.test(text)) {
    const found = findInvalidText(value);
    if (found) {
      throw EpcisValidationError.of(
        EpcisIssueCode.INVALID_TEXT,
        `${found.where === 'key' ? 'a key' : 'a string'} at ${found.pointer || '/'} holds ${found.what}, which no EPCIS value may contain`,
        found.pointer,
      );
    }
  }

  const eventCount = getEventList(value)?.length ?? 0;
  if (eventCount > maxEvents) {
    const isQuery = (value as { type?: unknown }).type === 'EPCISQueryDocument';
    throw EpcisValidationError.of(
      EpcisIssueCode.TOO_MANY_EVENTS,
      `the document holds ${eventCount} events; the limit is ${maxEvents}`,
      EVENT_LIST_POINTER[isQuery ? 'EPCISQueryDocument' : 'EPCISDocument'],
    );
  }
  return { value, byteLength, eventCount };
}
