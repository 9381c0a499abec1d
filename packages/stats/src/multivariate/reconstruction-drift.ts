import { symmetricEigen } from './symmetric-eigen.js';

/**
 * One column of the rows the reconstruction model sees, reference and current side by side (row i of every
 * column is the same row). Numeric missing values are NaN; categorical ones are null.
 */
export type MultivariateColumn =
  | { readonly kind: 'numeric'; readonly name: string; readonly reference: Float64Array; readonly current: Float64Array }
  | { readonly kind: 'categorical'; readonly name: string; readonly reference: readonly (string | null)[]; readonly current: readonly (string | null)[] };

export interface ReconstructionDriftOptions {
  /** Keep the fewest principal components whose explained variance exceeds this share (NannyML: 0.65). */
  readonly explainedVariance?: number;
  /** Number of equal-size chunks the reference is cut into to set the thresholds (default 10). */
  readonly chunks?: number;
  /**
   * Chunk index of every reference row (rows with −1 belong to none), replacing the equal-size cut: the
   * thresholds then come from the reference cut the way the current data is (by size, count or period).
   */
  readonly referenceChunkOf?: Int32Array;
  /** Chunk index of every current row (−1: none): adds `current_chunks`, each judged against the thresholds. */
  readonly currentChunkOf?: Int32Array;
}

/** One chunk of the current data: its mean reconstruction error and verdict. */
export interface ReconstructionChunk {
  readonly rows: number;
  /** Mean error of the chunk's rows; null for a chunk with no rows. */
  readonly error: number | null;
  /** Within-chunk standard deviation / √rows. */
  readonly sampling_error: number | null;
  readonly drift: boolean;
}

/** Shaped like the `multivariate` object of `outlay drift --format json`, plus how the model was fitted. */
export interface ReconstructionDrift {
  readonly method: 'pca_reconstruction';
  /** Mean reconstruction error over the reference rows. */
  readonly reference_error: number;
  /** Mean reconstruction error over the current rows. */
  readonly current_error: number;
  /** Mean − 3 std of the reference chunk means, at least 0. */
  readonly lower: number;
  /** Mean + 3 std of the reference chunk means. */
  readonly upper: number;
  readonly drift: boolean;
  /** Standard deviation of the current rows' errors / √rows: the sampling error of current_error. */
  readonly current_sampling_error: number;
  readonly components: number;
  readonly explained_variance: number;
  readonly reference_chunk_errors: readonly number[];
  /** With `currentChunkOf`: one entry per chunk index, in index order. */
  readonly current_chunks?: readonly ReconstructionChunk[];
}

/** A fitted model: per-feature encoding, standardisation and the kept principal axes. */
interface ReconstructionModel {
  readonly features: number;
  readonly axes: readonly Float64Array[];
  readonly explainedVariance: number;
}

/**
 * Multivariate drift by PCA reconstruction error, NannyML's DataReconstructionDriftCalculator: fill missing
 * values (reference mean; most frequent reference category), encode categories by their reference frequency,
 * standardise by the reference mean and (population) standard deviation, fit PCA on the reference keeping the
 * components that explain `explainedVariance` of the variance (sklearn's PCA(n_components=0.65) rule), and
 * take each row's Euclidean distance to its reconstruction. The thresholds are mean ± 3 standard deviations
 * of the reference chunks' mean errors (lower bound ≥ 0); the current data drifts when its mean error falls
 * outside them.
 */
export function reconstructionDrift(columns: readonly MultivariateColumn[], options: ReconstructionDriftOptions = {}): ReconstructionDrift {
  const share = options.explainedVariance ?? 0.65;
  const chunkCount = options.chunks ?? 10;
  if (columns.length === 0) throw new RangeError('reconstructionDrift: no columns');
  if (!(share > 0 && share < 1)) throw new RangeError(`reconstructionDrift: explainedVariance is ${share}, expected a share in (0, 1)`);
  if (!(Number.isInteger(chunkCount) && chunkCount >= 2)) throw new RangeError(`reconstructionDrift: chunks is ${chunkCount}, expected an integer ≥ 2`);
  const referenceRows = columns[0]!.reference.length;
  const currentRows = columns[0]!.current.length;
  for (const c of columns) {
    if (c.reference.length !== referenceRows || c.current.length !== currentRows) {
      throw new RangeError(`reconstructionDrift: column ${c.name} has ${c.reference.length}/${c.current.length} rows, expected ${referenceRows}/${currentRows}`);
    }
  }
  if (referenceRows < chunkCount) throw new RangeError(`reconstructionDrift: ${referenceRows} reference rows, need at least one per chunk (${chunkCount})`);
  if (currentRows === 0) throw new RangeError('reconstructionDrift: no current rows');

  const encoded = columns.map(encodeColumn);
  const reference = standardise(encoded.map((e) => e.reference), encoded.map((e) => e.reference));
  const current = standardise(encoded.map((e) => e.reference), encoded.map((e) => e.current));
  const model = fitPca(reference, referenceRows, share);
  const referenceErrors = reconstructionErrors(model, reference, referenceRows);
  const currentErrors = reconstructionErrors(model, current, currentRows);

  let chunkErrors: number[];
  if (options.referenceChunkOf) {
    if (options.referenceChunkOf.length !== referenceRows) throw new RangeError(`reconstructionDrift: referenceChunkOf has ${options.referenceChunkOf.length} entries, expected ${referenceRows}`);
    chunkErrors = chunkStatistics(referenceErrors, options.referenceChunkOf).filter((c) => c.rows > 0).map((c) => c.error!);
    if (chunkErrors.length < 2) throw new RangeError(`reconstructionDrift: the reference falls into ${chunkErrors.length} chunk(s); thresholds need at least 2`);
  } else {
    // Chunks by size: chunk i holds rows [⌊i·n/k⌋, ⌊(i+1)·n/k⌋).
    chunkErrors = Array.from({ length: chunkCount }, (_, i) =>
      mean(referenceErrors.subarray(Math.floor((i * referenceRows) / chunkCount), Math.floor(((i + 1) * referenceRows) / chunkCount))),
    );
  }
  const chunkMean = chunkErrors.reduce((s, x) => s + x, 0) / chunkErrors.length;
  const chunkStd = Math.sqrt(chunkErrors.reduce((s, x) => s + (x - chunkMean) ** 2, 0) / chunkErrors.length);
  const lower = Math.max(0, chunkMean - 3 * chunkStd);
  const upper = chunkMean + 3 * chunkStd;
  const currentError = mean(currentErrors);
  let squares = 0;
  for (const e of currentErrors) squares += (e - currentError) ** 2;
  let currentChunks: ReconstructionChunk[] | undefined;
  if (options.currentChunkOf) {
    if (options.currentChunkOf.length !== currentRows) throw new RangeError(`reconstructionDrift: currentChunkOf has ${options.currentChunkOf.length} entries, expected ${currentRows}`);
    currentChunks = chunkStatistics(currentErrors, options.currentChunkOf).map((c) => ({ ...c, drift: c.error !== null && (c.error < lower || c.error > upper) }));
  }
  return {
    ...(currentChunks ? { current_chunks: currentChunks } : {}),
    method: 'pca_reconstruction',
    reference_error: mean(referenceErrors),
    current_error: currentError,
    lower,
    upper,
    drift: currentError < lower || currentError > upper,
    current_sampling_error: Math.sqrt(squares / currentRows) / Math.sqrt(currentRows),
    components: model.axes.length,
    explained_variance: model.explainedVariance,
    reference_chunk_errors: chunkErrors,
  };
}

/** Numeric: missing → reference mean. Categorical: share of the category in the reference (0 if unseen). */
function encodeColumn(column: MultivariateColumn): { reference: Float64Array; current: Float64Array } {
  if (column.kind === 'numeric') {
    let sum = 0;
    let n = 0;
    for (const x of column.reference) {
      if (Number.isFinite(x)) {
        sum += x;
        n++;
      }
    }
    if (n === 0) throw new RangeError(`reconstructionDrift: column ${column.name} has no finite reference values`);
    const fill = sum / n;
    // Plain loops: Float64Array.from with a mapping function is several times slower on 100,000 rows.
    const encode = (values: Float64Array) => {
      const out = new Float64Array(values.length);
      for (let i = 0; i < values.length; i++) out[i] = Number.isFinite(values[i]!) ? values[i]! : fill;
      return out;
    };
    return { reference: encode(column.reference), current: encode(column.current) };
  }
  const counts = new Map<string, number>();
  let present = 0;
  for (const x of column.reference) {
    if (x === null) continue;
    counts.set(x, (counts.get(x) ?? 0) + 1);
    present++;
  }
  if (present === 0) throw new RangeError(`reconstructionDrift: column ${column.name} has no reference values`);
  let mostFrequent = 0;
  for (const c of counts.values()) mostFrequent = Math.max(mostFrequent, c);
  const encode = (values: readonly (string | null)[]) => {
    const out = new Float64Array(values.length);
    for (let i = 0; i < values.length; i++) {
      const x = values[i]!;
      out[i] = (x === null ? mostFrequent : (counts.get(x) ?? 0)) / present;
    }
    return out;
  };
  return { reference: encode(column.reference), current: encode(column.current) };
}

/** (x − reference mean) / reference population std; a constant column is only centred (sklearn StandardScaler). */
function standardise(reference: readonly Float64Array[], values: readonly Float64Array[]): Float64Array[] {
  return values.map((column, j) => {
    const ref = reference[j]!;
    const m = mean(ref);
    let squares = 0;
    for (let i = 0; i < ref.length; i++) squares += (ref[i]! - m) * (ref[i]! - m);
    const std = Math.sqrt(squares / ref.length);
    const scale = std > 0 ? std : 1;
    const out = new Float64Array(column.length);
    for (let i = 0; i < column.length; i++) out[i] = (column[i]! - m) / scale;
    return out;
  });
}

function fitPca(columns: readonly Float64Array[], rows: number, share: number): ReconstructionModel {
  const d = columns.length;
  // Covariance of standardised (centred) reference columns, Σ = ZᵀZ / (n − 1).
  const covariance = new Float64Array(d * d);
  const denominator = Math.max(rows - 1, 1);
  for (let i = 0; i < d; i++) {
    for (let j = i; j < d; j++) {
      const a = columns[i]!;
      const b = columns[j]!;
      let s = 0;
      for (let r = 0; r < rows; r++) s += a[r]! * b[r]!;
      covariance[i * d + j] = s / denominator;
      covariance[j * d + i] = s / denominator;
    }
  }
  const { values, vectors } = symmetricEigen(covariance, d);
  let total = 0;
  for (const v of values) total += Math.max(v, 0);
  if (total === 0) return { features: d, axes: [], explainedVariance: 0 };
  // sklearn: n_components = searchsorted(cumsum(ratio), share, side='right') + 1.
  let k = 0;
  let cumulative = 0;
  while (k < d) {
    cumulative += Math.max(values[k]!, 0) / total;
    k++;
    if (cumulative > share) break;
  }
  return { features: d, axes: vectors.slice(0, k), explainedVariance: cumulative };
}

/** ‖z − WWᵀz‖ per row, W the kept axes (orthonormal). */
function reconstructionErrors(model: ReconstructionModel, columns: readonly Float64Array[], rows: number): Float64Array {
  const d = model.features;
  const errors = new Float64Array(rows);
  const z = new Float64Array(d);
  const residual = new Float64Array(d);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < d; j++) {
      z[j] = columns[j]![r]!;
      residual[j] = z[j]!;
    }
    for (const axis of model.axes) {
      let projection = 0;
      for (let j = 0; j < d; j++) projection += axis[j]! * z[j]!;
      for (let j = 0; j < d; j++) residual[j] = residual[j]! - projection * axis[j]!;
    }
    let squares = 0;
    for (let j = 0; j < d; j++) squares += residual[j]! * residual[j]!;
    errors[r] = Math.sqrt(squares);
  }
  return errors;
}

/** Mean error, and its sampling error (population std / √n), per chunk index 0…max; −1 rows are skipped. */
function chunkStatistics(errors: Float64Array, chunkOf: Int32Array): { rows: number; error: number | null; sampling_error: number | null }[] {
  let chunks = 0;
  for (const c of chunkOf) chunks = Math.max(chunks, c + 1);
  const rows = new Float64Array(chunks);
  const sums = new Float64Array(chunks);
  const squares = new Float64Array(chunks);
  for (let i = 0; i < errors.length; i++) {
    const c = chunkOf[i]!;
    if (c < 0) continue;
    rows[c]!++;
    sums[c]! += errors[i]!;
    squares[c]! += errors[i]! * errors[i]!;
  }
  return Array.from(rows, (n, c) => {
    if (n === 0) return { rows: 0, error: null, sampling_error: null };
    const m = sums[c]! / n;
    const variance = Math.max(0, squares[c]! / n - m * m);
    return { rows: n, error: m, sampling_error: Math.sqrt(variance) / Math.sqrt(n) };
  });
}

function mean(values: Float64Array): number {
  let sum = 0;
  for (const x of values) sum += x;
  return sum / values.length;
}
