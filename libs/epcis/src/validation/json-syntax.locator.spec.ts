import fc from 'fast-check';
import { lineAndColumn, locateJsonSyntaxError } from './json-syntax.locator';

describe('locateJsonSyntaxError', () => {
  it.each([
    ['{"a": x}', 6, "unexpected 'x', expected a value"],
    ['{"a":1', 6, 'unexpected end of input'],
    ['{"a":1,}', 7, "unexpected '}', expected a double-quoted property name"],
    ['[1 2]', 3, "unexpected '2', expected ',' or ']'"],
    ['{"a" 1}', 5, "unexpected '1', expected ':' after the property name"],
    ['"abc', 0, 'unterminated string'],
    ['"a\\qb"', 2, 'bad escape sequence in string'],
    ['"a\\u12"', 2, 'bad \\u escape (needs 4 hex digits)'],
    ['"a\nb"', 2, 'control character in string (escape it)'],
    ['[01]', 2, "unexpected '1', expected ',' or ']'"],
    ['[-]', 1, 'invalid number'],
    ['{} {}', 3, "unexpected '{' after the end of the JSON value"],
    ['', 0, 'unexpected end of input'],
  ])('finds the error in %j', (text, offset, message) => {
    expect(locateJsonSyntaxError(text)).toMatchObject({ offset, message });
  });

  it('gives 1-based line and column', () => {
    expect(lineAndColumn('ab\ncd\nef', 7)).toEqual({ line: 3, column: 2 });
    expect(locateJsonSyntaxError('{\n  "a": tru\n}')).toMatchObject({ line: 2, column: 8 });
  });

  it('agrees with JSON.parse on what is valid', () => {
    const nearJson = fc.oneof(
      fc.json(),
      fc.string({ unit: fc.constantFrom(...'{}[]":,0123456789.eE+-tfnrul \\\n'.split('')), maxLength: 30 }),
      fc
        .json()
        .chain((json) =>
          fc
            .tuple(fc.nat({ max: json.length }), fc.string({ maxLength: 2 }))
            .map(([at, insert]) => json.slice(0, at) + insert + json.slice(at + 1)),
        ),
    );
    fc.assert(
      fc.property(nearJson, (text) => {
        let parses = true;
        try {
          JSON.parse(text);
        } catch {
          parses = false;
        }
        expect(locateJsonSyntaxError(text) === undefined).toBe(parses);
      }),
      { numRuns: 3000 },
    );
  });
});
