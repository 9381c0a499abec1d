import { alignedProportions } from './aligned-proportions.js';
import type { DriftInput } from './drift-input.js';

/**
 * Kullback–Leibler divergence KL(reference ‖ current) in nats, Evidently's `kl_div` stattest:
 * scipy.stats.entropy(ref_shares, cur_shares) over Evidently's bins with empty bins filled (see
 * alignedProportions); entropy() renormalises both after filling. ≥ 0, unbounded.
 */
export function klDivergence(reference: DriftInput, current: DriftInput): number {
  const { reference: p, current: q } = alignedProportions(reference, current, true, 'klDivergence');
  let pTotal = 0;
  let qTotal = 0;
  for (let i = 0; i < p.length; i++) {
    pTotal += p[i]!;
    qTotal += q[i]!;
  }
  let kl = 0;
  for (let i = 0; i < p.length; i++) {
    const pi = p[i]! / pTotal;
    kl += pi * Math.log(pi / (q[i]! / qTotal));
  }
  return Math.max(0, kl);
}
