import { copyField, copyRow } from './copy-text.encoder';

describe('COPY text encoding', () => {
  it('escapes the characters COPY treats specially', () => {
    expect(copyField('a\tb\nc\\d\re')).toBe('a\\tb\\nc\\\\d\\re');
  });

  it('writes NULL, bytea, arrays and JSON', () => {
    expect(copyField(null)).toBe('\\N');
    expect(copyField(Buffer.from([0xab, 0x01]))).toBe('\\\\xab01');
    expect(copyField(['urn:a', 'x"y', 'b\\c'])).toBe('{"urn:a","x\\\\"y","b\\\\\\\\c"}');
    expect(copyField(JSON.stringify({ a: 'line\nbreak' }))).toBe('{"a":"line\\\\nbreak"}');
    expect(() => copyField([{ code: 'X' }] as unknown as string[])).toThrow(/text\[\]/);
  });

  it('joins a row with tabs and ends it with a newline', () => {
    expect(copyRow(['x', 1, null])).toBe('x\t1\t\\N\n');
  });
});
