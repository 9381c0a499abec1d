import { alignedProportions } from './aligned-proportions.js';
import type { DriftInput } from './drift-input.js';

/**
 * Population stability index Σ (r − c)·ln(r/c) over Evidently's bins with its filling of empty bins
 * (evidently `psi` stattest; see alignedProportions: 30 equal-width bins over both samples for numeric samples
 * with > 20 distinct values, one bin per value or category otherwise). ≥ 0; 0.1 is the customary "some
 * change" and 0.25 "major change" (Siddiqi, Credit Risk Scorecards, 2006).
 */
export function populationStabilityIndex(reference: DriftInput, current: DriftInput): number {
  const { reference: r, current: c } = alignedProportions(reference, current, true, 'populationStabilityIndex');
  let psi = 0;
  for (let i = 0; i < r.length; i++) psi += (r[i]! - c[i]!) * Math.log(r[i]! / c[i]!);
  return psi;
}
