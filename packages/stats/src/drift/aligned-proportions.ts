import { categoryCounts, unionOfKeys } from './category-counts.js';
import type { DriftInput } from './drift-input.js';
import { histogramCounts, histogramEdges } from './histogram-edges.js';

export interface AlignedProportions {
  /** Category or bin labels, in the order of the proportions. */
  readonly keys: readonly (string | number)[];
  readonly reference: Float64Array;
  readonly current: Float64Array;
}

/** Evidently bins a numeric sample when the reference has more than this many distinct values. */
export const BIN_ABOVE_DISTINCT_VALUES = 20;
/** Evidently's number of equal-width bins for numeric samples (n_bins = 30 in its binned stattests). */
export const NUMERIC_BINS = 30;

/**
 * Reference and current shares over the same categories or bins, Evidently's `get_binned_data`
 * (evidently/calculations/stattests/utils.py): a numeric sample whose reference has more than 20 distinct
 * values is cut into 30 equal-width bins over the range of both samples; otherwise each distinct value or
 * category is its own bin. Shares are counts over the side's total.
 *
 * With `fillEmpty`, a bin empty on one side gets that side's smallest non-zero share / 10⁶ if that share is
 * ≤ 0.0001, else 0.0001 (Evidently's `feel_zeroes`), so that logarithms (PSI, KL) stay finite.
 */
export function alignedProportions(reference: DriftInput, current: DriftInput, fillEmpty: boolean, method: string): AlignedProportions {
  if (reference.type !== current.type) {
    throw new TypeError(`${method}: reference is ${reference.type} but current is ${current.type}; give both the same form`);
  }
  let keys: (string | number)[];
  let ref: Float64Array;
  let cur: Float64Array;
  if (reference.type === 'bins' && current.type === 'bins' && reference.counts.length !== current.counts.length) {
    throw new RangeError(`${method}: reference has ${reference.counts.length} bins but current has ${current.counts.length}; bins must be shared`);
  }
  if (reference.type === 'sample' && current.type === 'sample' && distinctCount(reference.values) > BIN_ABOVE_DISTINCT_VALUES) {
    categoryCounts(reference, `${method}: reference`); // validates
    categoryCounts(current, `${method}: current`);
    const edges = histogramEdges(reference.values, current.values, NUMERIC_BINS);
    ref = histogramCounts(reference.values, edges);
    cur = histogramCounts(current.values, edges);
    keys = Array.from({ length: NUMERIC_BINS }, (_, i) => i);
  } else {
    const refCounts = categoryCounts(reference, `${method}: reference`);
    const curCounts = categoryCounts(current, `${method}: current`);
    keys = unionOfKeys(refCounts, curCounts);
    ref = Float64Array.from(keys, (k) => refCounts.get(k) ?? 0);
    cur = Float64Array.from(keys, (k) => curCounts.get(k) ?? 0);
  }
  toShares(ref);
  toShares(cur);
  if (fillEmpty) {
    fillEmptyShares(ref);
    fillEmptyShares(cur);
  }
  return { keys, reference: ref, current: cur };
}

function distinctCount(values: Float64Array): number {
  return new Set(values).size;
}

function toShares(counts: Float64Array): void {
  let total = 0;
  for (const c of counts) total += c;
  for (let i = 0; i < counts.length; i++) counts[i] = counts[i]! / total;
}

function fillEmptyShares(shares: Float64Array): void {
  let smallest = Infinity;
  for (const s of shares) if (s > 0) smallest = Math.min(smallest, s);
  const fill = smallest <= 0.0001 ? smallest / 1e6 : 0.0001;
  for (let i = 0; i < shares.length; i++) if (shares[i] === 0) shares[i] = fill;
}
