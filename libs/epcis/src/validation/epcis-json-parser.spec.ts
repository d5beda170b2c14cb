import { EpcisIssueCode } from './epcis-issue.types';
import { DEFAULT_EPCIS_LIMITS, findExcessiveNesting, parseEpcisJson } from './epcis-json-parser';
import { EpcisValidationError } from './epcis-validation.error';
import { example } from './testing/epcis-conformance.fixtures';

function parseError(run: () => unknown): EpcisValidationError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(EpcisValidationError);
    return error as EpcisValidationError;
  }
  throw new Error('expected parseEpcisJson to throw');
}

describe('parseEpcisJson', () => {
  const text = JSON.stringify(example('Example_9.6.1-ObjectEvent.jsonld'));

  it('parses strings and Buffers and counts the events', () => {
    for (const input of [text, Buffer.from(text)]) {
      const result = parseEpcisJson(input);
      expect(result.eventCount).toBe(2);
      expect(result.byteLength).toBe(Buffer.byteLength(text));
      expect((result.value as { type: string }).type).toBe('EPCISDocument');
    }
  });

  it('accepts a UTF-8 byte order mark', () => {
    expect(
      parseEpcisJson(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)])).eventCount,
    ).toBe(2);
    expect(parseEpcisJson('\ufeff' + text).eventCount).toBe(2);
  });

  it('rejects input over the byte limit (EPCIS_TOO_LARGE, 413) before parsing', () => {
    for (const input of [text, Buffer.from(text)]) {
      const error = parseError(() => parseEpcisJson(input, { maxBytes: 100 }));
      expect(error.code).toBe(EpcisIssueCode.TOO_LARGE);
      expect(error.status).toBe(413);
      expect(error.retriable).toBe(false);
      expect(error.message).toContain('limit is 100 bytes');
    }
    // Multi-byte characters count as bytes, not UTF-16 units.
    expect(parseError(() => parseEpcisJson(`"${'é'.repeat(60)}"`, { maxBytes: 100 })).code).toBe(
      EpcisIssueCode.TOO_LARGE,
    );
  });

  it('rejects nesting over the depth limit (EPCIS_TOO_DEEP) without overflowing the stack', () => {
    const hostile = '['.repeat(1_000_000) + ']'.repeat(1_000_000);
    const error = parseError(() => parseEpcisJson(hostile, { maxBytes: 4_000_000 }));
    expect(error.code).toBe(EpcisIssueCode.TOO_DEEP);
    expect(error.issues[0].position).toEqual({ offset: DEFAULT_EPCIS_LIMITS.maxDepth, line: 1, column: 33 });

    const deepDoc = JSON.parse(text) as Record<string, unknown>;
    let nested: unknown = 'leaf';
    for (let i = 0; i < 40; i++) nested = { 'example:n': nested };
    deepDoc['example:deep'] = nested;
    expect(parseError(() => parseEpcisJson(JSON.stringify(deepDoc))).code).toBe(EpcisIssueCode.TOO_DEEP);
    expect(parseEpcisJson(JSON.stringify(deepDoc), { maxDepth: 50 }).eventCount).toBe(2);
  });

  it('counts depth outside strings only', () => {
    expect(findExcessiveNesting(JSON.stringify({ a: '[[[[[[{{{{{', b: ['\\"[[[['] }), 2)).toBe(-1);
    expect(findExcessiveNesting('{"a":{"b":[1]}}', 2)).toBe(10);
    expect(findExcessiveNesting('{"a\\\\":[[1]]}', 2)).toBe(8);
  });

  it('rejects malformed JSON with the line and column', () => {
    const broken = '{\n  "type": "EPCISDocument",\n  "epcisBody": { "eventList": [ x ] }\n}';
    const error = parseError(() => parseEpcisJson(broken));
    expect(error.code).toBe(EpcisIssueCode.MALFORMED_JSON);
    expect(error.issues[0].position).toEqual({ offset: 61, line: 3, column: 33 });
    expect(error.message).toBe(
      "the document is not valid JSON at line 3, column 33: unexpected 'x', expected a value",
    );
    expect(error.cause).toBeInstanceOf(SyntaxError);
  });

  it('reports truncated documents and trailing garbage', () => {
    expect(parseError(() => parseEpcisJson(text.slice(0, 200))).message).toContain('unexpected end of input');
    expect(parseError(() => parseEpcisJson(text + ' }')).message).toContain(
      'after the end of the JSON value',
    );
  });

  it('rejects invalid UTF-8 and input that is neither string nor Buffer', () => {
    expect(parseError(() => parseEpcisJson(Buffer.from([0x7b, 0xff, 0x7d]))).code).toBe(
      EpcisIssueCode.MALFORMED_JSON,
    );
    expect(parseError(() => parseEpcisJson(42 as unknown as string)).code).toBe(
      EpcisIssueCode.MALFORMED_JSON,
    );
  });

  it('rejects more events than the limit (EPCIS_TOO_MANY_EVENTS, 413)', () => {
    const error = parseError(() => parseEpcisJson(text, { maxEvents: 1 }));
    expect(error.code).toBe(EpcisIssueCode.TOO_MANY_EVENTS);
    expect(error.status).toBe(413);
    expect(error.field).toBe('/epcisBody/eventList');
  });

  it('rejects NUL characters and lone surrogates in values and keys (EPCIS_INVALID_TEXT) with the pointer', () => {
    const document = example('Example_9.6.1-ObjectEvent.jsonld') as {
      epcisBody: { eventList: Array<Record<string, unknown>> };
    };
    const withText = (key: string, value: string) => {
      const copy = structuredClone(document);
      copy.epcisBody.eventList[1]![key] = value;
      return JSON.stringify(copy);
    };
    const nul = parseError(() => parseEpcisJson(Buffer.from(withText('example:lot', 'A\u0000B'))));
    expect(nul.code).toBe(EpcisIssueCode.INVALID_TEXT);
    expect(nul.field).toBe('/epcisBody/eventList/1/example:lot');
    expect(nul.message).toContain('NUL');
    expect(nul.message).not.toContain('\u0000');

    const lone = JSON.stringify(document).replace('"urn:epc:id:sgtin', '"\\udc00urn:epc:id:sgtin');
    const surrogate = parseError(() => parseEpcisJson(Buffer.from(lone)));
    expect(surrogate.code).toBe(EpcisIssueCode.INVALID_TEXT);
    expect(surrogate.message).toContain('surrogate');
    // A raw lone surrogate in a JS string (what an HTTP body parser can hand over) is caught too.
    expect(parseError(() => parseEpcisJson(withText('example:x', 'a\ud800'))).code).toBe(
      EpcisIssueCode.INVALID_TEXT,
    );

    const key = JSON.stringify(document).replace('"eventTime"', '"bad\\u0000key","eventTime"');
    const keyError = parseError(() =>
      parseEpcisJson(key.replace('"bad\\u0000key","eventTime"', '"bad\\u0000key":1,"eventTime"')),
    );
    expect(keyError.code).toBe(EpcisIssueCode.INVALID_TEXT);
    expect(keyError.message).toContain('a key');
  });

  it('keeps well-formed escapes: emoji written as surrogate pairs and other control characters parse', () => {
    const copy = structuredClone(example('Example_9.6.1-ObjectEvent.jsonld')) as {
      epcisBody: { eventList: Array<Record<string, unknown>> };
    };
    copy.epcisBody.eventList[0]!['example:note'] = 'pack \ud83d\ude37 \u2028 \u0001';
    const escaped = JSON.stringify(copy).replace('\ud83d\ude37', '\\ud83d\\ude37');
    expect(parseEpcisJson(escaped).eventCount).toBe(2);
  });
});
