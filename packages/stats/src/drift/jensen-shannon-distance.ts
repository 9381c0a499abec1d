import { alignedProportions } from './aligned-proportions.js';
import type { DriftInput } from './drift-input.js';

/**
 * Jensen–Shannon distance in base 2, scipy.spatial.distance.jensenshannon(p, q, base=2), in [0, 1], over
 * Evidently's bins (see alignedProportions; no filling of empty bins, as Evidently's `jensenshannon`).
 * Evidently uses the natural log (range [0, √ln 2]); we use base 2 so that 0.1 means the same thing in every
 * tool that reports a normalised distance. √(½ KL(p‖m) + ½ KL(q‖m)) / √ln 2 with m = (p + q)/2.
 */
export function jensenShannonDistance(reference: DriftInput, current: DriftInput): number {
  const { reference: p, current: q } = alignedProportions(reference, current, false, 'jensenShannonDistance');
  let divergence = 0;
  for (let i = 0; i < p.length; i++) {
    const m = (p[i]! + q[i]!) / 2;
    if (p[i]! > 0) divergence += p[i]! * Math.log(p[i]! / m);
    if (q[i]! > 0) divergence += q[i]! * Math.log(q[i]! / m);
  }
  // Rounding can leave a tiny negative divergence for identical inputs.
  return Math.sqrt(Math.max(0, divergence / 2 / Math.LN2));
}
