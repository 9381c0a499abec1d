import { alignedProportions } from './aligned-proportions.js';
import type { DriftInput } from './drift-input.js';

/**
 * Hellinger distance H = √(½ Σ (√p − √q)²) between the reference and current shares over Evidently's bins
 * (no filling), in [0, 1] (Le Cam & Yang, Asymptotics in Statistics, 2000, §2.3; Evidently's `hellinger`).
 */
export function hellingerDistance(reference: DriftInput, current: DriftInput): number {
  const { reference: p, current: q } = alignedProportions(reference, current, false, 'hellingerDistance');
  let sum = 0;
  for (let i = 0; i < p.length; i++) {
    const d = Math.sqrt(p[i]!) - Math.sqrt(q[i]!);
    sum += d * d;
  }
  return Math.min(1, Math.sqrt(sum / 2));
}
