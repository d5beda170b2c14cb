/**
 * A value read from somewhere slow (the chain node), shared by every caller and refreshed in the background. While it
 * is fresh (younger than `freshMs`) callers get it as it is; once older, the first caller starts one refresh and
 * everyone keeps getting the last value until the refresh lands, as long as that value is younger than `staleMs`.
 * Only past `staleMs` (the source slow or away) do callers wait for the source, as the very first one does.
 *
 * Why: verification read the chain's latest state root through a cache of one second, so once a second every request
 * arriving while the node answered waited for it; under load the node takes tens of milliseconds, and those requests
 * were the p99. With `staleMs` equal to the old cache's lifetime, no caller gets an older value than before.
 */
export class RefreshingValue<T> {
  private last?: { at: number; value: T };
  private refreshing?: Promise<T>;

  constructor(
    private readonly read: () => Promise<T>,
    /** Whether a value read may be served to later callers (an error answer is given to its waiters only). */
    private readonly keep: (value: T) => boolean,
    private readonly freshMs: number,
    private readonly staleMs: number,
    private readonly clock: () => number = Date.now,
  ) {}

  get(): Promise<T> {
    const age = this.last ? this.clock() - this.last.at : Infinity;
    if (age < this.freshMs) return Promise.resolve(this.last!.value);
    const refresh = this.refresh();
    return age < this.staleMs ? Promise.resolve(this.last!.value) : refresh;
  }

  private refresh(): Promise<T> {
    this.refreshing ??= (async () => {
      const at = this.clock();
      try {
        const value = await this.read();
        if (this.keep(value)) this.last = { at, value };
        return value;
      } finally {
        this.refreshing = undefined;
      }
    })();
    return this.refreshing;
  }
}
