/**
 * A Map bounded by entry count, evicting the least recently used entry. Per-pack state must not grow without
 * limit in a long-running service; an evicted pack is simply treated as unseen (the rules engine still knows it).
 */
export class LruMap<K, V> {
  private readonly map = new Map<K, V>();
  evictions = 0;

  constructor(
    private readonly maxEntries: number,
    private readonly onEvict?: (key: K, value: V) => void,
  ) {
    if (!(maxEntries > 0)) throw new RangeError('maxEntries must be > 0');
  }

  get size(): number {
    return this.map.size;
  }

  /** Reads and marks as recently used. */
  get(key: K): V | undefined {
    const value = this.map.get(key);
    if (value !== undefined) {
      this.map.delete(key);
      this.map.set(key, value);
    }
    return value;
  }

  /** Reads without touching recency. */
  peek(key: K): V | undefined {
    return this.map.get(key);
  }

  has(key: K): boolean {
    return this.map.has(key);
  }

  set(key: K, value: V): void {
    if (this.map.has(key)) this.map.delete(key);
    this.map.set(key, value);
    while (this.map.size > this.maxEntries) {
      const oldest = this.map.keys().next().value as K;
      const evicted = this.map.get(oldest) as V;
      this.map.delete(oldest);
      this.evictions++;
      this.onEvict?.(oldest, evicted);
    }
  }

  delete(key: K): boolean {
    return this.map.delete(key);
  }

  /** Drops entries, oldest first, while `expired` says so (entries are in recency order). */
  evictWhile(expired: (value: V) => boolean): number {
    let n = 0;
    for (const [key, value] of this.map) {
      if (!expired(value)) break;
      this.map.delete(key);
      this.evictions++;
      this.onEvict?.(key, value);
      n++;
    }
    return n;
  }

  entries(): IterableIterator<[K, V]> {
    return this.map.entries();
  }
}
