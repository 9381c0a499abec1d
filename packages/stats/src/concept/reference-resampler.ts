import { finishStructure, structureMatrix, type StructureMeasure } from './pearson-correlation-matrix.js';
import type { RowMatrix } from './row-matrix.js';

/** A resample is built from at least this many units (rows, or blocks of rows). */
const MIN_UNITS = 100;
/** At most this many blocks are summed up front (a random subset of the reference when it is huge). */
const MAX_BLOCKS = 2_000;

interface Blocks {
  readonly size: number;
  readonly count: number;
  /** count × p sums of z, count × p × p sums of z zᵀ (upper triangle used), count × p minima and maxima of x. */
  readonly s1: Float64Array;
  readonly s2: Float64Array;
  readonly min: Float64Array;
  readonly max: Float64Array;
}

/**
 * Draws bootstrap samples of the reference of a given size and returns their correlation (or covariance)
 * matrix. Small samples (under 200 rows) draw rows with replacement. Larger ones draw, with replacement,
 * blocks of ⌊size/100⌋ rows of a seeded shuffle of the reference, whose sums are computed once: the mean of k
 * blocks of m exchangeable rows has the variance of a mean of km rows, and a resample then costs about 100
 * block additions instead of `size` row products, whatever the sample size.
 */
export function referenceResampler(
  ref: RowMatrix,
  measure: StructureMeasure,
  center: Float64Array,
  scale: Float64Array,
  random: () => number,
): (size: number) => Float64Array {
  const p = ref.columns;
  const cache = new Map<number, Blocks>();
  let permutation: Uint32Array | undefined;

  const blocksOf = (size: number): Blocks => {
    const cached = cache.get(size);
    if (cached) return cached;
    if (!permutation) {
      permutation = Uint32Array.from({ length: ref.rows }, (_, i) => i);
      for (let i = ref.rows - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        const t = permutation[i]!;
        permutation[i] = permutation[j]!;
        permutation[j] = t;
      }
    }
    const count = Math.min(Math.floor(ref.rows / size), MAX_BLOCKS);
    const s1 = new Float64Array(count * p);
    const s2 = new Float64Array(count * p * p);
    const min = new Float64Array(count * p).fill(Infinity);
    const max = new Float64Array(count * p).fill(-Infinity);
    const z = new Float64Array(p);
    for (let b = 0; b < count; b++) {
      for (let r = b * size; r < (b + 1) * size; r++) {
        const base = permutation[r]! * p;
        for (let j = 0; j < p; j++) {
          const x = ref.values[base + j]!;
          z[j] = (x - center[j]!) / scale[j]!;
          s1[b * p + j]! += z[j]!;
          if (x < min[b * p + j]!) min[b * p + j] = x;
          if (x > max[b * p + j]!) max[b * p + j] = x;
        }
        for (let j = 0; j < p; j++) {
          const zj = z[j]!;
          const row = b * p * p + j * p;
          for (let k = j; k < p; k++) s2[row + k]! += zj * z[k]!;
        }
      }
    }
    const blocks = { size, count, s1, s2, min, max };
    cache.set(size, blocks);
    return blocks;
  };

  return (size: number): Float64Array => {
    const blockSize = Math.min(Math.floor(size / MIN_UNITS), Math.floor(ref.rows / MIN_UNITS));
    if (blockSize <= 1) {
      const indices = new Uint32Array(size);
      for (let i = 0; i < size; i++) indices[i] = Math.floor(random() * ref.rows);
      return structureMatrix(ref, measure, center, scale, indices).matrix;
    }
    const blocks = blocksOf(blockSize);
    const draws = Math.round(size / blockSize);
    const s1 = new Float64Array(p);
    const s2 = new Float64Array(p * p);
    const min = new Float64Array(p).fill(Infinity);
    const max = new Float64Array(p).fill(-Infinity);
    for (let t = 0; t < draws; t++) {
      const b = Math.floor(random() * blocks.count);
      for (let j = 0; j < p; j++) {
        s1[j]! += blocks.s1[b * p + j]!;
        min[j] = Math.min(min[j]!, blocks.min[b * p + j]!);
        max[j] = Math.max(max[j]!, blocks.max[b * p + j]!);
      }
      const offset = b * p * p;
      for (let j = 0; j < p; j++) for (let k = j; k < p; k++) s2[j * p + k]! += blocks.s2[offset + j * p + k]!;
    }
    // One-pass covariance; z is centred on the reference mean, so little cancels.
    const n = draws * blockSize;
    const out = new Float64Array(p * p);
    for (let j = 0; j < p; j++) {
      for (let k = j; k < p; k++) out[j * p + k] = out[k * p + j] = (s2[j * p + k]! - (s1[j]! * s1[k]!) / n) / (n - 1);
    }
    return finishStructure(out, Array.from({ length: p }, (_, j) => min[j] === max[j]), measure);
  };
}
