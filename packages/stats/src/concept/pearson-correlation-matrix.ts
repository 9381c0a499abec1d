import { rowMatrix, type FeatureColumns, type RowMatrix } from './row-matrix.js';

/** What a structure matrix holds: Pearson correlations, or covariances of features scaled by the reference. */
export type StructureMeasure = 'correlation' | 'covariance';

/**
 * The p × p correlation (or covariance) matrix, row-major, of z = (x − center) / scale over the rows listed in
 * `indices` (all rows when absent; a row may repeat, as in a bootstrap sample). Two passes (means, then centred
 * products) so a shifted mean does not cancel digits. Correlation with a column that is constant in these rows
 * is defined as 0 (no linear association; numpy would give NaN) and its diagonal as 1.
 */
export function structureMatrix(
  matrix: RowMatrix,
  measure: StructureMeasure,
  center: Float64Array,
  scale: Float64Array,
  indices?: Uint32Array,
): { matrix: Float64Array; constant: boolean[] } {
  const p = matrix.columns;
  const values = matrix.values;
  const n = indices ? indices.length : matrix.rows;
  if (n < 2) throw new RangeError(`structureMatrix: ${n} rows; a covariance needs at least 2`);
  const mean = new Float64Array(p);
  const min = new Float64Array(p).fill(Infinity);
  const max = new Float64Array(p).fill(-Infinity);
  for (let r = 0; r < n; r++) {
    const base = (indices ? indices[r]! : r) * p;
    for (let j = 0; j < p; j++) {
      const x = values[base + j]!;
      mean[j]! += (x - center[j]!) / scale[j]!;
      if (x < min[j]!) min[j] = x;
      if (x > max[j]!) max[j] = x;
    }
  }
  for (let j = 0; j < p; j++) mean[j]! /= n;
  const sums = new Float64Array(p * p);
  const z = new Float64Array(p);
  for (let r = 0; r < n; r++) {
    const base = (indices ? indices[r]! : r) * p;
    for (let j = 0; j < p; j++) z[j] = (values[base + j]! - center[j]!) / scale[j]! - mean[j]!;
    for (let j = 0; j < p; j++) {
      const zj = z[j]!;
      const row = j * p;
      for (let k = j; k < p; k++) sums[row + k]! += zj * z[k]!;
    }
  }
  const out = new Float64Array(p * p);
  for (let j = 0; j < p; j++) for (let k = j; k < p; k++) out[j * p + k] = out[k * p + j] = sums[j * p + k]! / (n - 1);
  const constant = Array.from({ length: p }, (_, j) => min[j] === max[j]);
  return { matrix: finishStructure(out, constant, measure), constant };
}

/**
 * Turns a full covariance matrix (overwritten) into the requested measure: covariances with constant columns
 * set to 0, or correlations (constant columns: 0 off the diagonal, 1 on it; others clamped to [−1, 1]).
 */
export function finishStructure(out: Float64Array, constant: readonly boolean[], measure: StructureMeasure): Float64Array {
  const p = constant.length;
  if (measure === 'covariance') {
    for (let j = 0; j < p; j++) if (constant[j]) for (let k = 0; k < p; k++) out[j * p + k] = out[k * p + j] = 0;
    return out;
  }
  const sd = Array.from({ length: p }, (_, j) => Math.sqrt(out[j * p + j]!));
  for (let j = 0; j < p; j++) {
    for (let k = j; k < p; k++) {
      let r: number;
      if (j === k) r = 1;
      else if (constant[j] || constant[k]) r = 0;
      else r = Math.min(1, Math.max(-1, out[j * p + k]! / (sd[j]! * sd[k]!)));
      out[j * p + k] = out[k * p + j] = r;
    }
  }
  return out;
}

/** Column means and sample standard deviations (n − 1); a zero deviation becomes 1 so scaling is a no-op. */
export function referenceScaling(matrix: RowMatrix): { center: Float64Array; scale: Float64Array } {
  const { rows: n, columns: p, values } = matrix;
  const center = new Float64Array(p);
  const scale = new Float64Array(p);
  for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) center[j]! += values[i * p + j]!;
  for (let j = 0; j < p; j++) center[j]! /= n;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < p; j++) {
      const d = values[i * p + j]! - center[j]!;
      scale[j]! += d * d;
    }
  }
  for (let j = 0; j < p; j++) {
    const sd = n > 1 ? Math.sqrt(scale[j]! / (n - 1)) : 0;
    scale[j] = sd > 0 ? sd : 1;
  }
  return { center, scale };
}

/**
 * Pearson correlation matrix of named columns (numpy.corrcoef on the columns), as rows of numbers; a constant
 * column correlates 0 with every other.
 *
 * @example pearsonCorrelationMatrix({ a: [1, 2, 3], b: [2, 4, 7] }) // [[1, 0.993…], [0.993…, 1]]
 */
export function pearsonCorrelationMatrix(columns: FeatureColumns): number[][] {
  const matrix = rowMatrix(columns, 'pearsonCorrelationMatrix');
  const { center, scale } = referenceScaling(matrix);
  const { matrix: r } = structureMatrix(matrix, 'correlation', center, scale);
  const p = matrix.columns;
  return Array.from({ length: p }, (_, j) => Array.from(r.subarray(j * p, j * p + p)));
}
