import { LruMap } from './lru-map';

describe('LruMap', () => {
  it('evicts the least recently used entry beyond its bound', () => {
    const evicted: string[] = [];
    const map = new LruMap<string, number>(2, (key) => evicted.push(key));
    map.set('a', 1);
    map.set('b', 2);
    map.get('a');
    map.set('c', 3);
    expect(evicted).toEqual(['b']);
    expect([...map.entries()]).toEqual([
      ['a', 1],
      ['c', 3],
    ]);
    expect(map.evictions).toBe(1);
  });

  it('drops expired entries from the oldest end (TTL sweep)', () => {
    const map = new LruMap<string, number>(10);
    [5, 6, 9, 1].forEach((v, i) => map.set(String(i), v));
    // Stops at the first entry that is still fresh, even if older-looking ones follow it.
    expect(map.evictWhile((v) => v < 7)).toBe(2);
    expect([...map.entries()].map(([k]) => k)).toEqual(['2', '3']);
  });
});
