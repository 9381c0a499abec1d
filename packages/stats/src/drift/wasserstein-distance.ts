import { assertSample } from './drift-input.js';

/**
 * First Wasserstein (earth mover's) distance between two empirical distributions, ∫ |F_ref(x) − F_cur(x)| dx:
 * scipy.stats.wasserstein_distance (`_cdf_distance` with p = 1, unweighted).
 */
export function wassersteinDistance(reference: Float64Array, current: Float64Array): number {
  assertSample(reference, 'wassersteinDistance: reference');
  assertSample(current, 'wassersteinDistance: current');
  const a = Float64Array.from(reference).sort();
  const b = Float64Array.from(current).sort();
  let i = 0;
  let j = 0;
  let distance = 0;
  let previous = Math.min(a[0]!, b[0]!);
  while (i < a.length || j < b.length) {
    const x = j >= b.length || (i < a.length && a[i]! <= b[j]!) ? a[i]! : b[j]!;
    // The ECDFs are constant on [previous, x): they jump only at sample points.
    distance += Math.abs(i / a.length - j / b.length) * (x - previous);
    while (i < a.length && a[i] === x) i++;
    while (j < b.length && b[j] === x) j++;
    previous = x;
  }
  return distance;
}

/**
 * Wasserstein distance in units of the reference's (population) standard deviation, Evidently's `wasserstein`
 * stattest (evidently/calculations/stattests/wasserstein_distance_norm.py: `wasserstein_distance(ref, cur) /
 * max(np.std(ref), 0.001)`), so one threshold (0.1) fits every scale.
 */
export function wassersteinDistanceNormed(reference: Float64Array, current: Float64Array): number {
  const distance = wassersteinDistance(reference, current);
  let mean = 0;
  for (const v of reference) mean += v;
  mean /= reference.length;
  let squares = 0;
  for (const v of reference) squares += (v - mean) * (v - mean);
  const std = Math.sqrt(squares / reference.length);
  return distance / Math.max(std, 0.001);
}
