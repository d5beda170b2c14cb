/**
 * Small online statistics the feature extractors keep, all plain JSON so detector state can be checkpointed.
 */

/** Exponentially decaying event rate (events per day), robust to events arriving out of time order. */
export interface DecayingRate {
  /** Decayed count at `t`. */
  value: number;
  /** Event time (ms) the value refers to. */
  t: number;
}

const DAY_MS = 86_400_000;

export function addToRate(
  rate: DecayingRate | undefined,
  at: number,
  amount: number,
  tauDays: number,
): DecayingRate {
  if (!rate) return { value: amount, t: at };
  const tau = tauDays * DAY_MS;
  if (at >= rate.t) return { value: rate.value * Math.exp(-(at - rate.t) / tau) + amount, t: at };
  // A late event counts for what it would weigh now.
  return { value: rate.value + amount * Math.exp(-(rate.t - at) / tau), t: rate.t };
}

/** Events per day at time `at`. */
export function rateAt(rate: DecayingRate | undefined, at: number, tauDays: number): number {
  if (!rate) return 0;
  const tau = tauDays * DAY_MS;
  const decay = at >= rate.t ? Math.exp(-(at - rate.t) / tau) : 1;
  return (rate.value * decay) / tauDays;
}

/** Exponentially weighted mean with a count (the count says how much to trust it). */
export interface Ewma {
  mean: number;
  n: number;
}

export function updateEwma(ewma: Ewma | undefined, value: number, alpha: number): Ewma {
  if (!ewma || ewma.n === 0) return { mean: value, n: 1 };
  // Early on, a plain running mean: the first value must not dominate.
  const a = Math.max(alpha, 1 / (ewma.n + 1));
  return { mean: ewma.mean + a * (value - ewma.mean), n: ewma.n + 1 };
}

export function clip(value: number, lo: number, hi: number): number {
  return value < lo ? lo : value > hi ? hi : value;
}
