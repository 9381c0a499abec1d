import { categoryCounts, unionOfKeys } from './category-counts.js';
import type { DriftInput } from './drift-input.js';
import type { TestResult } from './ks-two-sample.js';
import { normalSf } from './normal-sf.js';

/**
 * Two-proportion Z-test, pooled, two-sided: Evidently's `z` stattest (proportions_diff_z_stat_ind). The
 * proportion compared is the share of rows *not* in the first category (categories sorted), so with more than
 * two categories it is "first category vs the rest". z = (p_ref − p_cur) / √(P(1 − P)(1/n_ref + 1/n_cur)),
 * P pooled; p = 2·P(Z > |z|). One category on both sides cannot differ: z = 0, p = 1.
 */
export function twoProportionZTest(reference: DriftInput, current: DriftInput): TestResult {
  const ref = categoryCounts(reference, 'twoProportionZTest: reference');
  const cur = categoryCounts(current, 'twoProportionZTest: current');
  const keys = unionOfKeys(ref, cur);
  if (keys.length < 2) return { statistic: 0, pValue: 1 };
  const first = keys[0]!;
  let nRef = 0;
  let nCur = 0;
  for (const c of ref.values()) nRef += c;
  for (const c of cur.values()) nCur += c;
  const pRef = (nRef - (ref.get(first) ?? 0)) / nRef;
  const pCur = (nCur - (cur.get(first) ?? 0)) / nCur;
  const pooled = (pRef * nRef + pCur * nCur) / (nRef + nCur);
  const z = (pRef - pCur) / Math.sqrt(pooled * (1 - pooled) * (1 / nRef + 1 / nCur));
  return { statistic: z, pValue: Math.min(1, 2 * normalSf(Math.abs(z))) };
}
