import { categoryCounts, unionOfKeys } from './category-counts.js';
import { chiSquareSf } from './chi-square-sf.js';
import type { DriftInput } from './drift-input.js';
import type { TestResult } from './ks-two-sample.js';

/**
 * Pearson chi-square goodness-of-fit of current counts against the reference proportions, Evidently's
 * `chisquare` stattest: scipy.stats.chisquare(current_counts, expected = reference_counts · n_current /
 * n_reference) over the union of categories, k − 1 degrees of freedom. (Evidently's choice, not
 * chi2_contingency on the 2×k table: the reference is the model, not a second sample.)
 * A category the reference never saw makes the statistic infinite (p = 0); bins empty on both sides carry no
 * information and are left out; a single category cannot differ (statistic 0, p = 1).
 */
export function chiSquareTest(reference: DriftInput, current: DriftInput): TestResult {
  const ref = categoryCounts(reference, 'chiSquareTest: reference');
  const cur = categoryCounts(current, 'chiSquareTest: current');
  let nRef = 0;
  let nCur = 0;
  for (const c of ref.values()) nRef += c;
  for (const c of cur.values()) nCur += c;
  const scale = nCur / nRef;
  let statistic = 0;
  let categories = 0;
  for (const key of unionOfKeys(ref, cur)) {
    const observed = cur.get(key) ?? 0;
    const expected = (ref.get(key) ?? 0) * scale;
    if (observed === 0 && expected === 0) continue;
    categories++;
    statistic += expected === 0 ? Infinity : ((observed - expected) * (observed - expected)) / expected;
  }
  if (categories < 2) return { statistic: 0, pValue: 1 };
  return { statistic, pValue: chiSquareSf(statistic, categories - 1) };
}
