/**
 * Finds the first JSON syntax error and says where it is. Only runs after `JSON.parse` has failed: V8's messages
 * omit the position for some errors ("Unexpected token 'x', ... is not valid JSON"), and clients need line and
 * column to fix a document. Iterative, so hostile nesting cannot overflow the stack.
 */
export interface JsonSyntaxError {
  offset: number;
  line: number;
  column: number;
  message: string;
}

const enum Expect {
  Value,
  ValueOrEnd,
  Key,
  KeyOrEnd,
  Colon,
  CommaOrEnd,
  Done,
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const HEX4 = /^[0-9a-fA-F]{4}$/;

export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

function describe(text: string, offset: number): string {
  const ch = text[offset];
  return ch === undefined ? 'end of input' : `'${JSON.stringify(ch).slice(1, -1)}'`;
}

class SyntaxFailure {
  constructor(
    readonly offset: number,
    readonly message: string,
  ) {}
}

/** Returns the end offset of the string starting at `start` (a double quote), or a failure. */
function scanString(text: string, start: number): number | SyntaxFailure {
  let i = start + 1;
  for (;;) {
    if (i >= text.length) return new SyntaxFailure(start, 'unterminated string');
    const c = text.charCodeAt(i);
    if (c === 34) return i + 1;
    if (c < 0x20) return new SyntaxFailure(i, 'control character in string (escape it)');
    if (c === 92) {
      const e = text[i + 1];
      if (e === 'u') {
        if (!HEX4.test(text.slice(i + 2, i + 6)))
          return new SyntaxFailure(i, 'bad \\u escape (needs 4 hex digits)');
        i += 6;
        continue;
      }
      if (e === undefined || !'"\\/bfnrt'.includes(e))
        return new SyntaxFailure(i, 'bad escape sequence in string');
      i += 2;
      continue;
    }
    i++;
  }
}

export function locateJsonSyntaxError(text: string): JsonSyntaxError | undefined {
  const failure = scan(text);
  if (!failure) return undefined;
  return { offset: failure.offset, ...lineAndColumn(text, failure.offset), message: failure.message };
}

function scan(text: string): SyntaxFailure | undefined {
  const stack: number[] = [];
  const n = text.length;
  let expect = Expect.Value;
  let i = 0;
  const afterValue = (): Expect => (stack.length > 0 ? Expect.CommaOrEnd : Expect.Done);
  for (;;) {
    while (i < n) {
      const w = text.charCodeAt(i);
      if (w !== 32 && w !== 9 && w !== 10 && w !== 13) break;
      i++;
    }
    if (i >= n) return expect === Expect.Done ? undefined : new SyntaxFailure(i, 'unexpected end of input');
    const c = text.charCodeAt(i);
    switch (expect) {
      case Expect.Value:
      case Expect.ValueOrEnd: {
        if (expect === Expect.ValueOrEnd && c === 93) {
          stack.pop();
          i++;
          expect = afterValue();
        } else if (c === 123) {
          stack.push(c);
          i++;
          expect = Expect.KeyOrEnd;
        } else if (c === 91) {
          stack.push(c);
          i++;
          expect = Expect.ValueOrEnd;
        } else if (c === 34) {
          const end = scanString(text, i);
          if (end instanceof SyntaxFailure) return end;
          i = end;
          expect = afterValue();
        } else if (c === 45 || (c >= 48 && c <= 57)) {
          NUMBER.lastIndex = i;
          const m = NUMBER.exec(text);
          if (!m) return new SyntaxFailure(i, 'invalid number');
          i += m[0].length;
          expect = afterValue();
        } else {
          const word = text.startsWith('true', i)
            ? 4
            : text.startsWith('false', i)
              ? 5
              : text.startsWith('null', i)
                ? 4
                : 0;
          if (word === 0) return new SyntaxFailure(i, `unexpected ${describe(text, i)}, expected a value`);
          i += word;
          expect = afterValue();
        }
        break;
      }
      case Expect.Key:
      case Expect.KeyOrEnd: {
        if (expect === Expect.KeyOrEnd && c === 125) {
          stack.pop();
          i++;
          expect = afterValue();
        } else if (c === 34) {
          const end = scanString(text, i);
          if (end instanceof SyntaxFailure) return end;
          i = end;
          expect = Expect.Colon;
        } else {
          return new SyntaxFailure(
            i,
            `unexpected ${describe(text, i)}, expected a double-quoted property name`,
          );
        }
        break;
      }
      case Expect.Colon:
        if (c !== 58)
          return new SyntaxFailure(
            i,
            `unexpected ${describe(text, i)}, expected ':' after the property name`,
          );
        i++;
        expect = Expect.Value;
        break;
      case Expect.CommaOrEnd: {
        const open = stack[stack.length - 1];
        const close = open === 123 ? 125 : 93;
        if (c === 44) {
          i++;
          expect = open === 123 ? Expect.Key : Expect.Value;
        } else if (c === close) {
          stack.pop();
          i++;
          expect = afterValue();
        } else {
          return new SyntaxFailure(
            i,
            `unexpected ${describe(text, i)}, expected ',' or '${String.fromCharCode(close)}'`,
          );
        }
        break;
      }
      case Expect.Done:
        return new SyntaxFailure(i, `unexpected ${describe(text, i)} after the end of the JSON value`);
    }
  }
}
