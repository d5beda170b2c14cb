/** RFC 6901 JSON pointers for issue fields, and short renderings of offending values for messages. */

export function escapePointerSegment(segment: string): string {
  return segment.includes('~') || segment.includes('/')
    ? segment.replace(/~/g, '~0').replace(/\//g, '~1')
    : segment;
}

export function joinPointer(base: string, segment: string | number): string {
  return `${base}/${typeof segment === 'number' ? segment : escapePointerSegment(segment)}`;
}

/** The value at `pointer` inside `root`, or undefined when the path does not exist. */
export function resolvePointer(root: unknown, pointer: string): unknown {
  if (pointer === '') return root;
  let current: unknown = root;
  for (const raw of pointer.slice(1).split('/')) {
    if (typeof current !== 'object' || current === null) return undefined;
    const segment = raw.includes('~') ? raw.replace(/~1/g, '/').replace(/~0/g, '~') : raw;
    if (!Object.prototype.hasOwnProperty.call(current, segment)) return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

export function pointerDepth(pointer: string): number {
  let depth = 0;
  for (let i = pointer.indexOf('/'); i >= 0; i = pointer.indexOf('/', i + 1)) depth++;
  return depth;
}

/** True when `pointer` is `ancestor` or lies beneath it. */
export function isWithin(pointer: string, ancestor: string): boolean {
  return pointer === ancestor || (pointer.startsWith(ancestor) && pointer.charCodeAt(ancestor.length) === 47);
}

const MAX_VALUE_LENGTH = 60;

/** JSON rendering of a value, truncated for messages and logs (values can be large or hostile). */
export function describeValue(value: unknown, max = MAX_VALUE_LENGTH): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') {
    return value.length > max ? `${JSON.stringify(value.slice(0, max))}…` : JSON.stringify(value);
  }
  if (typeof value === 'object' && value !== null) {
    // Only a preview: never serialise a whole (possibly huge) subtree.
    if (Array.isArray(value)) return `an array of ${value.length}`;
    const keys = Object.keys(value);
    return `an object {${keys.slice(0, 4).join(', ')}${keys.length > 4 ? ', …' : ''}}`.slice(0, max + 20);
  }
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  return value === null ? 'null' : typeof value;
}
