import { normalSf } from '../drift/normal-sf.js';

/** Error counts of the latest batch and of the earlier batches pooled, within one stratum (a segment value). */
export interface BatchStratum {
  stratum: string;
  latest: { n: number; errors: number };
  earlier: { n: number; errors: number };
}

export interface LatestBatchWorseStratified {
  method: 'cochran-mantel-haenszel';
  /** Strata with rows on both sides and both outcomes: the ones that carry information. */
  strataUsed: number;
  /** Mantel–Haenszel common odds ratio of an error, latest vs earlier; `null` when undefined. */
  commonOddsRatio: number | null;
  /** (Σa − ΣE[a]) / √ΣVar[a]. */
  statistic: number | null;
  /** One-sided: latest worse within strata. */
  pValue: number | null;
  worse: boolean;
  insufficientData: boolean;
  reason: string | null;
}

/**
 * Is the latest annotated batch worse than the earlier ones *within* strata, so that a batch that merely
 * holds more hard cases (more occluded images, more traffic from a hard airport) is not called worse? The
 * Cochran–Mantel–Haenszel test (Mantel & Haenszel 1959; Agresti 2013, §6.4), one-sided and without
 * continuity correction: per stratum with a = latest errors, E[a] = n₁m₁/N and
 * Var[a] = n₁n₀m₁m₀/(N²(N−1)) (hypergeometric), z = (Σa − ΣE[a])/√ΣVar[a], p = P(Z > z). z² is
 * statsmodels' `StratifiedTable.test_null_odds(correction=False)` statistic.
 *
 * @example latestBatchWorseStratified([{ stratum: 'occluded', latest: { n: 40, errors: 12 }, earlier: { n: 100, errors: 30 } }, …])
 */
export function latestBatchWorseStratified(strata: readonly BatchStratum[], alpha = 0.05): LatestBatchWorseStratified {
  const where = 'latestBatchWorseStratified';
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`${where}: alpha must be in (0, 1), got ${alpha}`);
  let observed = 0;
  let expected = 0;
  let variance = 0;
  let numerator = 0;
  let denominator = 0;
  let used = 0;
  for (const s of strata) {
    for (const [side, c] of [['latest', s.latest], ['earlier', s.earlier]] as const) {
      if (!Number.isInteger(c.n) || c.n < 0 || !Number.isInteger(c.errors) || c.errors < 0 || c.errors > c.n) {
        throw new RangeError(`${where}: stratum "${s.stratum}" ${side} has ${c.errors} errors of ${c.n} rows, expected integers with 0 ≤ errors ≤ n`);
      }
    }
    const a = s.latest.errors;
    const b = s.latest.n - a;
    const c = s.earlier.errors;
    const d = s.earlier.n - c;
    const total = a + b + c + d;
    const errors = a + c;
    if (s.latest.n === 0 || s.earlier.n === 0 || errors === 0 || errors === total) continue;
    used++;
    observed += a;
    expected += (s.latest.n * errors) / total;
    variance += (s.latest.n * s.earlier.n * errors * (total - errors)) / (total * total * (total - 1));
    numerator += (a * d) / total;
    denominator += (b * c) / total;
  }
  const commonOddsRatio = denominator > 0 ? numerator / denominator : null;
  if (used === 0 || !(variance > 0)) {
    return {
      method: 'cochran-mantel-haenszel',
      strataUsed: used,
      commonOddsRatio,
      statistic: null,
      pValue: null,
      worse: false,
      insufficientData: true,
      reason: `no stratum has annotated rows in both the latest and the earlier batches with both errors and correct predictions (${strata.length} strata)`,
    };
  }
  const statistic = (observed - expected) / Math.sqrt(variance);
  const pValue = normalSf(statistic);
  return { method: 'cochran-mantel-haenszel', strataUsed: used, commonOddsRatio, statistic, pValue, worse: pValue < alpha && statistic > 0, insufficientData: false, reason: null };
}
