import { mulberry32 } from '../mulberry32.js';
import { rowMatrix, type FeatureColumns, type RowMatrix } from './row-matrix.js';

export interface KMeansOptions {
  readonly seed?: number;
  /** Lloyd iterations per run at most; default 100. */
  readonly maxIterations?: number;
  /** Independent k-means++ starts; the run with the lowest inertia wins. Default 3. */
  readonly runs?: number;
}

/** A fitted k-means model. Centroids live in standardised units: z = (x − center) / scale. */
export interface KMeansModel {
  readonly k: number;
  readonly features: readonly string[];
  readonly center: Float64Array;
  readonly scale: Float64Array;
  /** k × p, row-major, standardised units. */
  readonly centroids: Float64Array;
  /** Nearest centroid of each fitted row. */
  readonly assignments: Int32Array;
  readonly sizes: readonly number[];
  /** Sum of squared standardised distances of the rows to their centroid. */
  readonly inertia: number;
  readonly iterations: number;
  readonly converged: boolean;
}

/** Means and population standard deviations (ddof 0, as sklearn's StandardScaler); a zero deviation becomes 1. */
function standardise(matrix: RowMatrix): { center: Float64Array; scale: Float64Array; z: Float64Array } {
  const { rows: n, columns: p, values } = matrix;
  const center = new Float64Array(p);
  const scale = new Float64Array(p);
  for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) center[j]! += values[i * p + j]!;
  for (let j = 0; j < p; j++) center[j]! /= n;
  for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) scale[j]! += (values[i * p + j]! - center[j]!) ** 2;
  for (let j = 0; j < p; j++) {
    const sd = Math.sqrt(scale[j]! / n);
    scale[j] = sd > 0 ? sd : 1;
  }
  const z = new Float64Array(n * p);
  for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) z[i * p + j] = (values[i * p + j]! - center[j]!) / scale[j]!;
  return { center, scale, z };
}

function squaredDistance(z: Float64Array, row: number, centroids: Float64Array, c: number, p: number): number {
  let d = 0;
  for (let j = 0; j < p; j++) d += (z[row * p + j]! - centroids[c * p + j]!) ** 2;
  return d;
}

/** Nearest centroid of every row of z (ties to the lower index), and the total squared distance. */
function assign(z: Float64Array, n: number, p: number, centroids: Float64Array, k: number, out: Int32Array): number {
  let inertia = 0;
  for (let i = 0; i < n; i++) {
    let best = 0;
    let bestD = Infinity;
    for (let c = 0; c < k; c++) {
      const d = squaredDistance(z, i, centroids, c, p);
      if (d < bestD) {
        bestD = d;
        best = c;
      }
    }
    out[i] = best;
    inertia += bestD;
  }
  return inertia;
}

/** k-means++ seeding (Arthur & Vassilvitskii 2007): each next centroid drawn with probability ∝ D(x)². */
function seedCentroids(z: Float64Array, n: number, p: number, k: number, random: () => number): Float64Array {
  const centroids = new Float64Array(k * p);
  const first = Math.floor(random() * n);
  centroids.set(z.subarray(first * p, first * p + p), 0);
  const d2 = new Float64Array(n);
  for (let i = 0; i < n; i++) d2[i] = squaredDistance(z, i, centroids, 0, p);
  for (let c = 1; c < k; c++) {
    let total = 0;
    for (let i = 0; i < n; i++) total += d2[i]!;
    if (total === 0) throw new RangeError(`kMeans: only ${c} distinct rows; cannot form ${k} clusters`);
    let target = random() * total;
    let chosen = n - 1;
    for (let i = 0; i < n; i++) {
      target -= d2[i]!;
      if (target < 0 && d2[i]! > 0) {
        chosen = i;
        break;
      }
    }
    while (d2[chosen] === 0) chosen--; // rounding at the end of the walk: take the last row with weight
    centroids.set(z.subarray(chosen * p, chosen * p + p), c * p);
    for (let i = 0; i < n; i++) d2[i] = Math.min(d2[i]!, squaredDistance(z, i, centroids, c, p));
  }
  return centroids;
}

const CENTROID_TOLERANCE = 1e-4;

function lloyd(z: Float64Array, n: number, p: number, k: number, centroids: Float64Array, maxIterations: number) {
  const assignments = new Int32Array(n).fill(-1);
  const next = new Int32Array(n);
  let iterations = 0;
  let converged = false;
  let inertia = assign(z, n, p, centroids, k, next);
  for (; iterations < maxIterations; iterations++) {
    let changed = false;
    for (let i = 0; i < n; i++) if (next[i] !== assignments[i]) changed = true;
    assignments.set(next);
    if (!changed) {
      converged = true;
      break;
    }
    const sizes = new Float64Array(k);
    const previous = Float64Array.from(centroids);
    centroids.fill(0);
    for (let i = 0; i < n; i++) {
      const c = assignments[i]!;
      sizes[c]!++;
      for (let j = 0; j < p; j++) centroids[c * p + j]! += z[i * p + j]!;
    }
    for (let c = 0; c < k; c++) if (sizes[c]! > 0) for (let j = 0; j < p; j++) centroids[c * p + j]! /= sizes[c]!;
    for (let c = 0; c < k; c++) {
      if (sizes[c]! > 0) continue;
      // An empty cluster takes the row farthest from its own centroid (sklearn's relocation rule).
      let far = 0;
      let farD = -1;
      for (let i = 0; i < n; i++) {
        const d = squaredDistance(z, i, centroids, assignments[i]!, p);
        if (d > farD) {
          farD = d;
          far = i;
        }
      }
      centroids.set(z.subarray(far * p, far * p + p), c * p);
    }
    inertia = assign(z, n, p, centroids, k, next);
    // sklearn's stopping rule: centroids moved less than tol × the mean feature variance (1 once standardised).
    let shift = 0;
    for (let i = 0; i < centroids.length; i++) shift += (centroids[i]! - previous[i]!) ** 2;
    if (shift <= CENTROID_TOLERANCE) {
      iterations++;
      converged = true;
      break;
    }
  }
  return { assignments: next, inertia, iterations, converged };
}

/**
 * k-means on standardised features: k-means++ seeding, Lloyd iterations until no row changes cluster or the
 * centroids move less than 1e-4 in total squared distance (sklearn's `tol`), `runs` seeded restarts keeping the
 * lowest inertia. Assignments are always to the nearest final centroid. Throws when there are fewer distinct rows than k.
 *
 * @example kMeans({ x: [0, 0.1, 5, 5.1], y: [0, 0.2, 5, 5.2] }, 2, { seed: 1 }).assignments // e.g. [0, 0, 1, 1]
 */
export function kMeans(data: FeatureColumns | RowMatrix, k: number, options: KMeansOptions = {}): KMeansModel {
  const matrix = isRowMatrix(data) ? data : rowMatrix(data, 'kMeans');
  const { rows: n, columns: p } = matrix;
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`kMeans: k is ${k}, expected an integer ≥ 1`);
  if (n < k) throw new RangeError(`kMeans: ${n} rows; cannot form ${k} clusters`);
  const runs = options.runs ?? 3;
  const maxIterations = options.maxIterations ?? 100;
  if (!Number.isInteger(runs) || runs < 1) throw new RangeError(`kMeans: runs is ${runs}, expected an integer ≥ 1`);
  if (!Number.isInteger(maxIterations) || maxIterations < 1) throw new RangeError(`kMeans: maxIterations is ${maxIterations}, expected an integer ≥ 1`);
  const { center, scale, z } = standardise(matrix);
  const random = mulberry32(options.seed ?? 42);
  let best: (ReturnType<typeof lloyd> & { centroids: Float64Array }) | undefined;
  for (let run = 0; run < runs; run++) {
    const centroids = seedCentroids(z, n, p, k, random);
    const result = lloyd(z, n, p, k, centroids, maxIterations);
    if (!best || result.inertia < best.inertia) best = { ...result, centroids };
  }
  const sizes = new Array<number>(k).fill(0);
  for (const c of best!.assignments) sizes[c]!++;
  return {
    k,
    features: matrix.names,
    center,
    scale,
    centroids: best!.centroids,
    assignments: best!.assignments,
    sizes,
    inertia: best!.inertia,
    iterations: best!.iterations,
    converged: best!.converged,
  };
}

function isRowMatrix(data: FeatureColumns | RowMatrix): data is RowMatrix {
  return !(data instanceof Map) && (data as RowMatrix).values instanceof Float64Array && Array.isArray((data as RowMatrix).names) && typeof (data as RowMatrix).rows === 'number';
}

/** Index of the nearest centroid of a fitted model for every row of `data` (same features), ties to the lower index. */
export function nearestCentroid(model: KMeansModel, data: FeatureColumns | RowMatrix): Int32Array {
  const matrix = isRowMatrix(data) ? data : rowMatrix(data, 'nearestCentroid', model.features);
  const { rows: n, columns: p, values } = matrix;
  if (p !== model.features.length) throw new RangeError(`nearestCentroid: ${p} features, the model has ${model.features.length}`);
  const z = new Float64Array(n * p);
  for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) z[i * p + j] = (values[i * p + j]! - model.center[j]!) / model.scale[j]!;
  const out = new Int32Array(n);
  assign(z, n, p, model.centroids, model.k, out);
  return out;
}
