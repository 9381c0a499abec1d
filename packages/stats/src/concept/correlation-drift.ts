import { mulberry32 } from '../mulberry32.js';
import { referenceScaling, structureMatrix, type StructureMeasure } from './pearson-correlation-matrix.js';
import { referenceResampler } from './reference-resampler.js';
import { rowMatrix, sortRows, type FeatureColumns, type RowMatrix } from './row-matrix.js';

export interface CorrelationDriftOptions {
  /** Pearson correlations (default), or covariances of the features scaled by the reference standard deviations. */
  readonly measure?: StructureMeasure;
  /** Bootstrap resamples of the reference that set the threshold; default 200. */
  readonly resamples?: number;
  /** Quantile of the resampled distances used as the threshold; default 0.95. */
  readonly quantile?: number;
  readonly seed?: number;
  /** How many of the most changed feature pairs to report; default 5. */
  readonly topPairs?: number;
  /** Features to compare, in this order; default all reference columns. */
  readonly features?: readonly string[];
}

/** One feature pair's correlation (or covariance) on each side. */
export interface FeaturePairChange {
  readonly feature_a: string;
  readonly feature_b: string;
  readonly reference: number;
  readonly current: number;
  /** current − reference */
  readonly difference: number;
}

export interface CorrelationDrift {
  readonly method: 'correlation_frobenius' | 'covariance_frobenius';
  readonly features: readonly string[];
  readonly reference_rows: number;
  readonly current_rows: number;
  /** Frobenius norm of (current matrix − reference matrix), over all p² elements. */
  readonly distance: number;
  /** Largest |current − reference| over the elements. */
  readonly max_abs_difference: number;
  /** The `quantile` of the distance between two bootstrap samples of the reference (sizes of reference and current). */
  readonly threshold: number;
  readonly quantile: number;
  readonly resamples: number;
  /** (1 + resamples at least as far apart as reference and current) / (1 + resamples). */
  readonly p_value: number;
  readonly drift_when: 'distance-above-threshold';
  readonly drift: boolean;
  readonly top_pairs: readonly FeaturePairChange[];
  /** Features constant on a side (their correlations are taken as 0). */
  readonly constant_features: { readonly reference: readonly string[]; readonly current: readonly string[] };
}

function frobeniusDistance(a: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i]! - b[i]!) ** 2;
  return Math.sqrt(sum);
}

/** Linear-interpolation quantile of sorted values (numpy's default, Hyndman & Fan type 7). */
function quantileSorted(sorted: Float64Array, q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/**
 * Whether the correlation structure of the numeric features changed between reference and current (one class,
 * or the whole data): the Frobenius distance between the two correlation matrices against a threshold from
 * bootstrapping the reference, i.e. how far apart two samples of the same population, of these sizes, fall.
 * Rows are put in a canonical order first, so the verdict does not depend on row order.
 */
export function correlationDrift(reference: FeatureColumns, current: FeatureColumns, options: CorrelationDriftOptions = {}): CorrelationDrift {
  const ref = sortRows(rowMatrix(reference, 'correlationDrift: reference', options.features));
  const cur = sortRows(rowMatrix(current, 'correlationDrift: current', ref.names));
  return correlationDriftOfMatrices(ref, cur, options);
}

/** correlationDrift on matrices already in canonical order (conceptDriftByClass shares them with clusterMixDrift). */
export function correlationDriftOfMatrices(ref: RowMatrix, cur: RowMatrix, options: CorrelationDriftOptions = {}): CorrelationDrift {
  const measure = options.measure ?? 'correlation';
  const resamples = options.resamples ?? 200;
  const quantile = options.quantile ?? 0.95;
  const topPairs = options.topPairs ?? 5;
  if (!Number.isInteger(resamples) || resamples < 1) throw new RangeError(`correlationDrift: resamples is ${resamples}, expected an integer ≥ 1`);
  if (!(quantile > 0 && quantile < 1)) throw new RangeError(`correlationDrift: quantile is ${quantile}, expected in (0, 1)`);
  if (measure === 'correlation' && ref.columns < 2) throw new RangeError(`correlationDrift: 1 feature (${ref.names[0]}); a correlation structure needs at least 2`);
  for (const [side, m] of [['reference', ref], ['current', cur]] as const) {
    if (m.rows < 3) throw new RangeError(`correlationDrift: ${side} has ${m.rows} rows; expected at least 3`);
  }
  const p = ref.columns;
  const { center, scale } = referenceScaling(ref);
  const refStructure = structureMatrix(ref, measure, center, scale);
  const curStructure = structureMatrix(cur, measure, center, scale);
  const distance = frobeniusDistance(refStructure.matrix, curStructure.matrix);

  const resample = referenceResampler(ref, measure, center, scale, mulberry32(options.seed ?? 42));
  const distances = new Float64Array(resamples);
  for (let s = 0; s < resamples; s++) distances[s] = frobeniusDistance(resample(ref.rows), resample(cur.rows));
  let atLeast = 0;
  for (const d of distances) if (d >= distance) atLeast++;
  distances.sort();
  const threshold = quantileSorted(distances, quantile);

  const pairs: FeaturePairChange[] = [];
  let maxAbs = 0;
  for (let j = 0; j < p; j++) {
    for (let k = measure === 'covariance' ? j : j + 1; k < p; k++) {
      const r = refStructure.matrix[j * p + k]!;
      const c = curStructure.matrix[j * p + k]!;
      maxAbs = Math.max(maxAbs, Math.abs(c - r));
      pairs.push({ feature_a: ref.names[j]!, feature_b: ref.names[k]!, reference: r, current: c, difference: c - r });
    }
  }
  // Stable sort: equal changes keep feature order.
  pairs.sort((x, y) => Math.abs(y.difference) - Math.abs(x.difference));
  return {
    method: measure === 'correlation' ? 'correlation_frobenius' : 'covariance_frobenius',
    features: ref.names,
    reference_rows: ref.rows,
    current_rows: cur.rows,
    distance,
    max_abs_difference: maxAbs,
    threshold,
    quantile,
    resamples,
    p_value: (1 + atLeast) / (1 + resamples),
    drift_when: 'distance-above-threshold',
    drift: distance > threshold,
    top_pairs: pairs.slice(0, topPairs),
    constant_features: {
      reference: ref.names.filter((_, j) => refStructure.constant[j]),
      current: ref.names.filter((_, j) => curStructure.constant[j]),
    },
  };
}
