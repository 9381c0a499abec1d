import { logGamma } from '../drift/log-gamma.js';
import { normalSf } from '../drift/normal-sf.js';
import { mulberry32 } from '../mulberry32.js';

/** One batch of freshly annotated rows: its error count, or the business cost of each of its rows. */
export type AnnotatedBatch = { start: string; n: number; errors: number } | { start: string; costs: ArrayLike<number> };

export type BatchTestMethod = 'two-proportion-z' | 'fisher-exact' | 'permutation-exact' | 'permutation-monte-carlo' | 'welch-z';

export interface LatestBatchWorse {
  /** Error rate or mean cost of the latest batch. */
  latest: { start: string; n: number; value: number } | null;
  /** The earlier batches pooled. */
  earlier: { batches: number; n: number; value: number } | null;
  /** latest − earlier. */
  difference: number | null;
  /** One-sided: H₁ latest is worse (higher error rate or mean cost). */
  pValue: number | null;
  method: BatchTestMethod | null;
  worse: boolean;
  insufficientData: boolean;
  reason: string | null;
}

export interface LatestBatchWorseOptions {
  /** Significance level; 0.05 by default. */
  alpha?: number;
  /**
   * Error counts: `auto` (default) takes the z-test when every expected cell count under the pooled rate is
   * ≥ 5 (Cochran's rule) and Fisher's exact test otherwise.
   */
  proportionTest?: 'auto' | 'two-proportion-z' | 'fisher-exact';
  /** Costs: all C(N, n) splits are enumerated up to this many, else Monte Carlo. 20,000 by default. */
  maxExactPermutations?: number;
  /**
   * Costs: when both sides have at least this many rows (5,000 by default), Welch's statistic with a normal
   * reference distribution replaces the permutation test (at that size the two agree, and resampling would
   * cost B × n).
   */
  minRowsForWelch?: number;
  /** Monte Carlo permutations (9,999 by default) and the mulberry32 seed (1). */
  permutations?: number;
  seed?: number;
}

/**
 * Is the latest batch of annotated rows worse than the earlier batches pooled? One-sided, accounting for the
 * batch sizes, so that 3 errors in 20 rows after 10 in 400 is tested for what it is.
 *
 * - Error counts: the pooled two-proportion z-test, z = (p̂ₗ − p̂ₑ)/√(p̂(1−p̂)(1/nₗ + 1/nₑ)), p = P(Z > z)
 *   (statsmodels `proportions_ztest(alternative='larger')`), or Fisher's exact test when an expected count is
 *   below 5: p = P(X ≥ xₗ), X hypergeometric (scipy `fisher_exact(alternative='greater')`).
 * - Row costs: a permutation test of mean(latest) − mean(earlier) (Good 2005, ch. 3): exact over every split
 *   when there are few, else seeded Monte Carlo with p = (1 + #{≥ observed})/(1 + B) (scipy
 *   `permutation_test`'s conventions). No normality is assumed: business costs are lumpy. With thousands of
 *   rows on both sides, Welch's t = (x̄ₗ − x̄ₑ)/√(sₗ²/nₗ + sₑ²/nₑ) against the normal (scipy `ttest_ind(equal_var=False,
 *   alternative='greater')` with its large degrees of freedom).
 *
 * Batches are in time order; the last one is the latest. `insufficientData` (with a reason) when there is no
 * earlier batch or a side has no rows.
 *
 * @example latestBatchWorse([{ start: 'w1', n: 400, errors: 10 }, { start: 'w2', n: 20, errors: 3 }])
 */
export function latestBatchWorse(batches: readonly AnnotatedBatch[], options: LatestBatchWorseOptions = {}): LatestBatchWorse {
  const where = 'latestBatchWorse';
  const { alpha = 0.05, proportionTest = 'auto', maxExactPermutations = 20_000, minRowsForWelch = 5_000, permutations = 9_999, seed = 1 } = options;
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`${where}: alpha must be in (0, 1), got ${alpha}`);
  const none = (reason: string, partial: Partial<LatestBatchWorse> = {}): LatestBatchWorse => ({
    latest: null,
    earlier: null,
    difference: null,
    pValue: null,
    method: null,
    worse: false,
    insufficientData: true,
    reason,
    ...partial,
  });
  if (batches.length === 0) return none('no annotated batches');
  const kinds = new Set(batches.map((b) => ('costs' in b ? 'costs' : 'errors')));
  if (kinds.size > 1) throw new RangeError(`${where}: batches mix error counts and costs; give one kind`);

  if (kinds.has('errors')) {
    const counted = batches as readonly { start: string; n: number; errors: number }[];
    counted.forEach((b, i) => {
      if (!Number.isInteger(b.n) || b.n < 0) throw new RangeError(`${where}: batch ${i} (${b.start}) has n = ${b.n}, expected an integer ≥ 0`);
      if (!Number.isInteger(b.errors) || b.errors < 0 || b.errors > b.n) throw new RangeError(`${where}: batch ${i} (${b.start}) has ${b.errors} errors, expected an integer in [0, n = ${b.n}]`);
    });
    const last = counted[counted.length - 1]!;
    const earlierBatches = counted.slice(0, -1);
    const nE = earlierBatches.reduce((s, b) => s + b.n, 0);
    const xE = earlierBatches.reduce((s, b) => s + b.errors, 0);
    const latest = last.n > 0 ? { start: last.start, n: last.n, value: last.errors / last.n } : null;
    const earlier = nE > 0 ? { batches: earlierBatches.length, n: nE, value: xE / nE } : null;
    if (latest === null) return none(`the latest batch (${last.start}) has no annotated rows`, { earlier });
    if (earlier === null) return none(earlierBatches.length === 0 ? 'one batch: nothing earlier to compare with' : 'the earlier batches have no annotated rows', { latest });
    const { pValue, method } = proportionPValue(last.errors, last.n, xE, nE, proportionTest);
    return { latest, earlier, difference: latest.value - earlier.value, pValue, method, worse: pValue < alpha && latest.value > earlier.value, insufficientData: false, reason: null };
  }

  const costed = batches as readonly { start: string; costs: ArrayLike<number> }[];
  costed.forEach((b, i) => {
    for (let j = 0; j < b.costs.length; j++) {
      if (!Number.isFinite(b.costs[j])) throw new RangeError(`${where}: batch ${i} (${b.start}) cost[${j}] is ${b.costs[j]}, expected a finite number`);
    }
  });
  const last = costed[costed.length - 1]!;
  const pooled: number[] = [];
  for (const b of costed.slice(0, -1)) for (let j = 0; j < b.costs.length; j++) pooled.push(b.costs[j]!);
  const mean = (xs: ArrayLike<number>): number => {
    let s = 0;
    for (let j = 0; j < xs.length; j++) s += xs[j]!;
    return s / xs.length;
  };
  const latest = last.costs.length > 0 ? { start: last.start, n: last.costs.length, value: mean(last.costs) } : null;
  const earlier = pooled.length > 0 ? { batches: costed.length - 1, n: pooled.length, value: mean(pooled) } : null;
  if (latest === null) return none(`the latest batch (${last.start}) has no annotated rows`, { earlier });
  if (earlier === null) return none(costed.length === 1 ? 'one batch: nothing earlier to compare with' : 'the earlier batches have no annotated rows', { latest });
  const { pValue, method } =
    Math.min(latest.n, earlier.n) >= minRowsForWelch ? welchPValue(Array.from(last.costs), pooled) : permutationPValue(Array.from(last.costs), pooled, maxExactPermutations, permutations, seed);
  return { latest, earlier, difference: latest.value - earlier.value, pValue, method, worse: pValue < alpha && latest.value > earlier.value, insufficientData: false, reason: null };
}

function proportionPValue(
  xL: number,
  nL: number,
  xE: number,
  nE: number,
  choice: 'auto' | 'two-proportion-z' | 'fisher-exact',
): { pValue: number; method: 'two-proportion-z' | 'fisher-exact' } {
  const pooled = (xL + xE) / (nL + nE);
  const smallestExpected = Math.min(nL, nE) * Math.min(pooled, 1 - pooled);
  const method = choice === 'auto' ? (smallestExpected >= 5 ? 'two-proportion-z' : 'fisher-exact') : choice;
  if (method === 'fisher-exact') return { pValue: fisherExactGreater(xL, nL, xE, nE), method };
  const variance = pooled * (1 - pooled) * (1 / nL + 1 / nE);
  // Every row an error, or none: the two rates cannot differ.
  if (variance === 0) return { pValue: 1, method };
  const z = (xL / nL - xE / nE) / Math.sqrt(variance);
  return { pValue: normalSf(z), method };
}

/**
 * Fisher's exact test, one-sided (latest has the higher error odds): P(X ≥ xₗ) for X hypergeometric with
 * N = nₗ + nₑ rows, K = xₗ + xₑ errors and nₗ draws; terms summed from the log-gamma form of the pmf.
 */
function fisherExactGreater(xL: number, nL: number, xE: number, nE: number): number {
  const total = nL + nE;
  const errors = xL + xE;
  const logChoose = (n: number, k: number): number => logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1);
  const logDenominator = logChoose(total, nL);
  const top = Math.min(errors, nL);
  let p = 0;
  for (let k = xL; k <= top; k++) p += Math.exp(logChoose(errors, k) + logChoose(total - errors, nL - k) - logDenominator);
  return Math.min(1, p);
}

function permutationPValue(
  latest: number[],
  earlier: number[],
  maxExact: number,
  resamples: number,
  seed: number,
): { pValue: number; method: 'permutation-exact' | 'permutation-monte-carlo' } {
  const all = [...latest, ...earlier];
  const total = all.length;
  const k = latest.length;
  let sumAll = 0;
  for (const x of all) sumAll += x;
  // mean(A) − mean(B) with |A| = k is monotone in sum(A): compare sums, cheaper and exact.
  const statistic = (sumA: number): number => sumA / k - (sumAll - sumA) / (total - k);
  const observed = statistic(latest.reduce((s, x) => s + x, 0));
  // scipy.stats.permutation_test counts null values within a relative 1e-14 of the observed one as ties.
  const threshold = observed - Math.abs(1e-14 * observed);
  const splits = choose(total, k);
  if (splits <= maxExact) {
    let atLeast = 0;
    const index = Array.from({ length: k }, (_, i) => i);
    for (;;) {
      let sumA = 0;
      for (const i of index) sumA += all[i]!;
      if (statistic(sumA) >= threshold) atLeast++;
      // Next k-combination in lexicographic order.
      let i = k - 1;
      while (i >= 0 && index[i] === total - k + i) i--;
      if (i < 0) break;
      index[i]!++;
      for (let j = i + 1; j < k; j++) index[j] = index[j - 1]! + 1;
    }
    return { pValue: atLeast / splits, method: 'permutation-exact' };
  }
  if (!Number.isInteger(resamples) || resamples < 99) throw new RangeError(`latestBatchWorse: permutations must be an integer ≥ 99, got ${resamples}`);
  const random = mulberry32(seed);
  const work = all.slice();
  let atLeast = 0;
  for (let b = 0; b < resamples; b++) {
    // Partial Fisher–Yates: the first k slots are a uniform random subset.
    let sumA = 0;
    for (let i = 0; i < k; i++) {
      const j = i + Math.floor(random() * (total - i));
      const t = work[i]!;
      work[i] = work[j]!;
      work[j] = t;
      sumA += work[i]!;
    }
    if (statistic(sumA) >= threshold) atLeast++;
  }
  return { pValue: (atLeast + 1) / (resamples + 1), method: 'permutation-monte-carlo' };
}

function welchPValue(latest: number[], earlier: number[]): { pValue: number; method: 'welch-z' } {
  const moments = (xs: number[]): { mean: number; variance: number } => {
    let mean = 0;
    for (const x of xs) mean += x;
    mean /= xs.length;
    let squares = 0;
    for (const x of xs) squares += (x - mean) ** 2;
    return { mean, variance: squares / (xs.length - 1) };
  };
  const l = moments(latest);
  const e = moments(earlier);
  const standardError = Math.sqrt(l.variance / latest.length + e.variance / earlier.length);
  const difference = l.mean - e.mean;
  if (standardError === 0) return { pValue: difference > 0 ? 0 : 1, method: 'welch-z' };
  return { pValue: normalSf(difference / standardError), method: 'welch-z' };
}

function choose(n: number, k: number): number {
  let c = 1;
  for (let i = 1; i <= Math.min(k, n - k); i++) {
    c = (c * (n - Math.min(k, n - k) + i)) / i;
    if (c > Number.MAX_SAFE_INTEGER) return Infinity;
  }
  return Math.round(c);
}
