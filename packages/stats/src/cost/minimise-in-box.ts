export interface MinimiseInBoxOptions {
  /** Stop when the simplex's spread of values falls below this (relative to |best| + tiny). */
  tolerance?: number;
  maxIterations?: number;
}

export interface BoxMinimum {
  x: number[];
  value: number;
  iterations: number;
}

/**
 * Minimises `f` over the box [lower, upper] by Nelder–Mead (Nelder & Mead 1965, with the standard coefficients:
 * reflection 1, expansion 2, contraction ½, shrink ½), every trial point clamped into the box, so optima on an
 * edge (a smoothing parameter of 0) are reached exactly. `start` is a point inside the box.
 */
export function minimiseInBox(f: (x: number[]) => number, start: number[], lower: number[], upper: number[], options: MinimiseInBoxOptions = {}): BoxMinimum {
  const tolerance = options.tolerance ?? 1e-12;
  const maxIterations = options.maxIterations ?? 2000;
  const n = start.length;
  const clamp = (x: number[]) => x.map((v, i) => Math.min(upper[i]!, Math.max(lower[i]!, v)));
  const evaluate = (x: number[]) => {
    const value = f(x);
    return Number.isFinite(value) ? value : Number.POSITIVE_INFINITY;
  };
  const simplex: { x: number[]; value: number }[] = [];
  const first = clamp(start);
  simplex.push({ x: first, value: evaluate(first) });
  for (let i = 0; i < n; i++) {
    const step = 0.1 * (upper[i]! - lower[i]!);
    const x = first.slice();
    x[i] = x[i]! + step <= upper[i]! ? x[i]! + step : x[i]! - step;
    simplex.push({ x, value: evaluate(x) });
  }
  let iterations = 0;
  for (; iterations < maxIterations; iterations++) {
    simplex.sort((a, b) => a.value - b.value);
    const best = simplex[0]!;
    const worst = simplex[n]!;
    if (Math.abs(worst.value - best.value) <= tolerance * (Math.abs(best.value) + 1e-300) && iterations > 0) {
      const spread = Math.max(...simplex.map((p) => Math.max(...p.x.map((v, i) => Math.abs(v - best.x[i]!)))));
      if (spread < 1e-9) break;
    }
    const centroid = new Array<number>(n).fill(0);
    for (let k = 0; k < n; k++) for (let i = 0; i < n; i++) centroid[i] = centroid[i]! + simplex[k]!.x[i]! / n;
    const along = (t: number) => clamp(centroid.map((c, i) => c + t * (worst.x[i]! - c)));
    const reflected = along(-1);
    const reflectedValue = evaluate(reflected);
    if (reflectedValue < best.value) {
      const expanded = along(-2);
      const expandedValue = evaluate(expanded);
      simplex[n] = expandedValue < reflectedValue ? { x: expanded, value: expandedValue } : { x: reflected, value: reflectedValue };
      continue;
    }
    if (reflectedValue < simplex[n - 1]!.value) {
      simplex[n] = { x: reflected, value: reflectedValue };
      continue;
    }
    const contracted = reflectedValue < worst.value ? along(-0.5) : along(0.5);
    const contractedValue = evaluate(contracted);
    if (contractedValue < Math.min(worst.value, reflectedValue)) {
      simplex[n] = { x: contracted, value: contractedValue };
      continue;
    }
    for (let k = 1; k <= n; k++) {
      const x = simplex[k]!.x.map((v, i) => best.x[i]! + 0.5 * (v - best.x[i]!));
      simplex[k] = { x, value: evaluate(x) };
    }
  }
  simplex.sort((a, b) => a.value - b.value);
  return { x: simplex[0]!.x, value: simplex[0]!.value, iterations };
}
