import { normalQuantile } from '../health/normal-quantile.js';
import { leafInSlice, type RcaSlice } from './search-ripple-slices.js';

/**
 * How a leaf's noise is modelled when a root cause is tested for significance:
 * - 'poisson': the measure is a count of events (rows) and so is its baseline, e.g. `--metric count`;
 * - 'empirical': the leaves' own relative noise σ of actual/expected (noiseSigma), for any measure.
 */
export type NoiseModel = 'poisson' | 'empirical';

/** Family-wise error rate of the significance test over every slice examined. */
export const NOISE_ALPHA = 0.05;

/**
 * Noise floor of a root cause. The ripple search always returns its best slices, even when every leaf moved
 * by noise alone: on 864k leaves some 3-dimension slice always looks best. A chosen slice S is kept only when
 * its deviation a_S − f_S is significant against the noise expected of S:
 *
 *   z = (a_S − f_S) / √var(a_S − f_S),  kept when |z| ≥ Φ⁻¹(1 − α / (2m)),
 *
 * a two-sided test at family-wise level α = 0.05 with Bonferroni's correction for the m slices the search
 * examined (every slice of ≤ maxDimensionsPerSlice dimensions: the search picked S as the most deviating
 * among them, so S must clear the bar of the largest of m null z-scores, not of one).
 *
 * - 'poisson': the baseline is itself a count drawn from the same process (two files, or two time windows),
 *   so under "no change" a_S − f_S is the difference of two independent Poisson counts with variance
 *   λ_0 + λ_1, estimated by f_S + a_S (floored at 1, one event, so that empty slices are not infinitely
 *   significant). When the baseline is an exact forecast the variance is λ_1 ≈ f_S alone, and this test is
 *   conservative by a factor √2 on z.
 * - 'empirical': each leaf e deviates by v_e/f_e − 1 with relative noise σ (noiseSigma, a robust estimate
 *   from the leaves' ratios), independently, so var(a_S − f_S) ≈ Σ_{e∈S} (σ f_e)². On the coarsened search
 *   (many sparse leaves) σ and the sum are taken over the cuboid elements the slice was scored on: relative
 *   noise is not scale-free for counts (Poisson: σ_e² = 1/f_e), so σ must be measured at the granularity
 *   it is applied to; 1–2-row leaves give a discrete, biased σ.
 *
 * A deviation with zero variance (σ = 0: every leaf outside the causes is exactly on its forecast) is
 * significant iff it is non-zero.
 */
export function zThreshold(evaluated: number, alpha = NOISE_ALPHA): number {
  const m = Math.max(1, evaluated);
  return normalQuantile(1 - alpha / (2 * m));
}

export interface SliceSignificance {
  readonly z: number;
  readonly threshold: number;
  readonly significant: boolean;
}

/** Leaves of a fundamental measure, as searchRippleSlices takes them. */
export interface NoiseLeaves {
  readonly dimensions: readonly string[];
  readonly attributes: readonly (readonly string[])[];
  readonly expected: ArrayLike<number>;
  readonly actual: ArrayLike<number>;
}

/**
 * The z-scores of `slices` under `noise` (see zThreshold), against the Bonferroni threshold for `evaluated`
 * slices. `sigma` is the leaves' relative noise (searchRippleSlices' result.sigma), used by 'empirical'.
 */
export function sliceSignificance(
  leaves: NoiseLeaves,
  slices: readonly { readonly slice: RcaSlice; readonly expectedSquares: number }[],
  options: { readonly noise: NoiseModel; readonly sigma: number; readonly evaluated: number },
): SliceSignificance[] {
  const threshold = zThreshold(options.evaluated);
  const f = new Float64Array(slices.length);
  const a = new Float64Array(slices.length);

  for (let i = 0; i < leaves.attributes.length; i++) {
    for (let s = 0; s < slices.length; s++) {
      if (!leafInSlice(slices[s]!.slice, leaves.dimensions, leaves.attributes[i]!)) continue;
      const fe = leaves.expected[i]!;
      f[s]! += fe;
      a[s]! += leaves.actual[i]!;
    }
  }
  return slices.map((_, s) => {
    const deviation = a[s]! - f[s]!;
    const variance = options.noise === 'poisson' ? Math.max(f[s]! + a[s]!, 1) : options.sigma * options.sigma * slices[s]!.expectedSquares;
    const z = deviation === 0 ? 0 : variance > 0 ? deviation / Math.sqrt(variance) : Math.sign(deviation) * Infinity;
    return { z, threshold, significant: Math.abs(z) >= threshold };
  });
}
