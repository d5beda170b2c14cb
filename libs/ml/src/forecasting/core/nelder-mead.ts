/**
 * Derivative-free minimiser (Nelder-Mead with the standard coefficients) for the handful of smoothing
 * parameters of SES/ETS; parameters are optimised in an unconstrained space, constraints are applied by
 * the caller's transform.
 */
export interface NelderMeadOptions {
  maxIterations?: number;
  /** Stop when the spread of the simplex's function values falls below this. */
  tolerance?: number;
  /** Initial step per coordinate. */
  step?: number | number[];
}

export interface NelderMeadResult {
  x: number[];
  value: number;
  iterations: number;
}

export function nelderMead(
  objective: (x: readonly number[]) => number,
  start: readonly number[],
  options: NelderMeadOptions = {},
): NelderMeadResult {
  const n = start.length;
  const maxIterations = options.maxIterations ?? 200 * n;
  const tolerance = options.tolerance ?? 1e-8;
  const steps = Array.isArray(options.step)
    ? options.step
    : start.map(() => (options.step as number | undefined) ?? 0.5);
  const safe = (x: readonly number[]) => {
    const value = objective(x);
    return Number.isFinite(value) ? value : Number.MAX_VALUE;
  };

  let simplex: { x: number[]; value: number }[] = [{ x: [...start], value: safe(start) }];
  for (let i = 0; i < n; i++) {
    const x = [...start];
    x[i] = (x[i] as number) + (steps[i] ?? 0.5);
    simplex.push({ x, value: safe(x) });
  }

  let iterations = 0;
  for (; iterations < maxIterations; iterations++) {
    simplex.sort((a, b) => a.value - b.value);
    const best = simplex[0] as { x: number[]; value: number };
    const worst = simplex[n] as { x: number[]; value: number };
    const secondWorst = simplex[n - 1] as { x: number[]; value: number };
    if (Math.abs(worst.value - best.value) <= tolerance * (Math.abs(best.value) + tolerance)) break;

    const centroid = new Array<number>(n).fill(0);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) centroid[j] = (centroid[j] as number) + (simplex[i]?.x[j] as number) / n;
    const along = (t: number) => centroid.map((c, j) => c + t * ((worst.x[j] as number) - c));

    const reflected = along(-1);
    const reflectedValue = safe(reflected);
    if (reflectedValue < best.value) {
      const expanded = along(-2);
      const expandedValue = safe(expanded);
      simplex[n] =
        expandedValue < reflectedValue
          ? { x: expanded, value: expandedValue }
          : { x: reflected, value: reflectedValue };
    } else if (reflectedValue < secondWorst.value) {
      simplex[n] = { x: reflected, value: reflectedValue };
    } else {
      const outside = reflectedValue < worst.value;
      const contracted = along(outside ? -0.5 : 0.5);
      const contractedValue = safe(contracted);
      if (contractedValue < (outside ? reflectedValue : worst.value)) {
        simplex[n] = { x: contracted, value: contractedValue };
      } else {
        // Shrink everything towards the best vertex.
        simplex = simplex.map((vertex, i) => {
          if (i === 0) return vertex;
          const x = vertex.x.map((v, j) => (best.x[j] as number) + 0.5 * (v - (best.x[j] as number)));
          return { x, value: safe(x) };
        });
      }
    }
  }
  simplex.sort((a, b) => a.value - b.value);
  const best = simplex[0] as { x: number[]; value: number };
  return { x: best.x, value: best.value, iterations };
}
