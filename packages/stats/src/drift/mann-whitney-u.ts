import { assertSample } from './drift-input.js';
import type { TestResult } from './ks-two-sample.js';
import { normalSf } from './normal-sf.js';

/**
 * Two-sided Mann–Whitney U test with the normal approximation, tie correction and continuity correction:
 * scipy.stats.mannwhitneyu(reference, current, method='asymptotic') (scipy 1.10 `_mannwhitneyu.py`).
 * The statistic is U of `reference`; z = (max(U, n₁n₂ − U) − n₁n₂/2 − ½) / σ with
 * σ² = n₁n₂/12 · ((n+1) − Σ(t³ − t)/(n(n−1))) (Mann & Whitney 1947; tie term as in Hollander & Wolfe).
 */
export function mannWhitneyU(reference: Float64Array, current: Float64Array): TestResult {
  assertSample(reference, 'mannWhitneyU: reference');
  assertSample(current, 'mannWhitneyU: current');
  const n1 = reference.length;
  const n2 = current.length;
  const n = n1 + n2;
  // Pool, sort by value, and give ties their mid-rank.
  const values = new Float64Array(n);
  values.set(reference);
  values.set(current, n1);
  const order = Uint32Array.from({ length: n }, (_, k) => k).sort((p, q) => values[p]! - values[q]!);
  let rankSumReference = 0;
  let tieTerm = 0;
  for (let start = 0; start < n; ) {
    let end = start + 1;
    while (end < n && values[order[end]!] === values[order[start]!]) end++;
    const t = end - start;
    const midRank = (start + 1 + end) / 2;
    for (let k = start; k < end; k++) if (order[k]! < n1) rankSumReference += midRank;
    tieTerm += t * t * t - t;
    start = end;
  }
  const u1 = rankSumReference - (n1 * (n1 + 1)) / 2;
  const u = Math.max(u1, n1 * n2 - u1);
  const sigma = Math.sqrt(((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1))));
  // σ = 0 only when every value is the same: nothing can differ.
  if (!(sigma > 0)) return { statistic: u1, pValue: 1 };
  const z = (u - (n1 * n2) / 2 - 0.5) / sigma;
  return { statistic: u1, pValue: Math.min(1, 2 * normalSf(z)) };
}
