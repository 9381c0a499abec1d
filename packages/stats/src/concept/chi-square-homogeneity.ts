import { chiSquareSf } from '../drift/chi-square-sf.js';

/**
 * Pearson chi-square test of homogeneity on the 2 × k table of reference and current counts, without continuity
 * correction: scipy.stats.chi2_contingency([reference, current], correction=False). Categories empty on both
 * sides are left out; k − 1 degrees of freedom over the rest. Unlike a goodness of fit to the reference shares,
 * it counts the sampling error of both sides, which matters when the reference is not much larger than the
 * current sample (and k-means shares are estimates). A single category cannot differ: statistic 0, p = 1.
 */
export function chiSquareHomogeneity(reference: ArrayLike<number>, current: ArrayLike<number>): { statistic: number; pValue: number } {
  if (reference.length !== current.length) throw new RangeError(`chiSquareHomogeneity: ${reference.length} reference counts, ${current.length} current counts`);
  let nReference = 0;
  let nCurrent = 0;
  for (let c = 0; c < reference.length; c++) {
    for (const [side, x] of [['reference', reference[c]!], ['current', current[c]!]] as const) {
      if (!(x >= 0) || !Number.isFinite(x)) throw new RangeError(`chiSquareHomogeneity: ${side} count #${c} is ${x}, expected a finite number ≥ 0`);
    }
    nReference += reference[c]!;
    nCurrent += current[c]!;
  }
  if (nReference === 0) throw new RangeError('chiSquareHomogeneity: reference counts are all zero');
  if (nCurrent === 0) throw new RangeError('chiSquareHomogeneity: current counts are all zero');
  const total = nReference + nCurrent;
  let statistic = 0;
  let categories = 0;
  for (let c = 0; c < reference.length; c++) {
    const column = reference[c]! + current[c]!;
    if (column === 0) continue;
    categories++;
    const expectedReference = (nReference * column) / total;
    const expectedCurrent = (nCurrent * column) / total;
    statistic += (reference[c]! - expectedReference) ** 2 / expectedReference + (current[c]! - expectedCurrent) ** 2 / expectedCurrent;
  }
  if (categories < 2) return { statistic: 0, pValue: 1 };
  return { statistic, pValue: chiSquareSf(statistic, categories - 1) };
}
