import { kolmogorovSf } from './kolmogorov-sf.js';
import { ksTwoSampleExactSf, roundHalfEven } from './ks-two-sample-exact-sf.js';
import { assertSample } from './drift-input.js';

export interface TestResult {
  readonly statistic: number;
  readonly pValue: number;
}

/** Above this sample size scipy's method='auto' switches from the exact to the asymptotic p-value. */
export const KS_MAX_EXACT_SIZE = 10_000;

/**
 * Two-sample two-sided Kolmogorov–Smirnov test, as scipy.stats.ks_2samp(reference, current) with
 * method='auto' (scipy 1.10): exact p-value when both sizes are ≤ 10,000, otherwise the asymptotic
 * kstwo.sf(D, round(n·m/(n+m))) (see kolmogorov-sf.ts for where that differs from scipy).
 */
export function ksTwoSample(reference: Float64Array, current: Float64Array): TestResult {
  assertSample(reference, 'ksTwoSample: reference');
  assertSample(current, 'ksTwoSample: current');
  const a = Float64Array.from(reference).sort();
  const b = Float64Array.from(current).sort();
  const n1 = a.length;
  const n2 = b.length;
  // D = max |F₁(x) − F₂(x)| over the pooled points, ECDFs taken right-continuous (searchsorted side='right').
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < n1 || j < n2) {
    const x = j >= n2 || (i < n1 && a[i]! <= b[j]!) ? a[i]! : b[j]!;
    while (i < n1 && a[i] === x) i++;
    while (j < n2 && b[j] === x) j++;
    d = Math.max(d, Math.abs(i / n1 - j / n2));
  }
  if (Math.max(n1, n2) <= KS_MAX_EXACT_SIZE) {
    const exact = ksTwoSampleExactSf(n1, n2, d);
    if (exact !== null) return { statistic: d, pValue: exact };
  }
  const m = Math.max(n1, n2);
  const n = Math.min(n1, n2);
  return { statistic: d, pValue: kolmogorovSf(roundHalfEven((m * n) / (m + n)), d) };
}
