import { mulberry32 } from '../mulberry32.js';
import type { Estimate } from './wilson-interval.js';

export interface BootstrapOptions {
  /** Number of resamples B; 2,000 by default. */
  resamples?: number;
  confidence?: number;
  /** Seed of the mulberry32 generator (see `mulberry32`); the same seed gives the same interval. */
  seed?: number;
}

/**
 * Percentile bootstrap interval (Efron & Tibshirani 1993, ch. 13) of a statistic of `rows` rows: draws B
 * resamples of row indices with replacement, evaluates `statistic(indices)` on each, and returns the
 * α/2 and 1 − α/2 empirical quantiles (linear interpolation between order statistics, numpy's default) around
 * the statistic of the original sample. For metrics with no closed-form interval: business cost per 1,000
 * predictions, ROC AUC. Resamples where the statistic throws or is not finite (e.g. AUC with one class) are skipped; the
 * function throws if more than half are.
 *
 * @example bootstrapInterval(costs.length, (idx) => mean(idx.map((i) => costs[i])), { seed: 7 })
 */
export function bootstrapInterval(
  rows: number,
  statistic: (indices: Uint32Array) => number,
  { resamples = 2000, confidence = 0.95, seed = 1 }: BootstrapOptions = {},
): Estimate {
  if (!Number.isInteger(rows) || rows < 1) throw new RangeError(`bootstrapInterval: rows must be a positive integer, got ${rows}`);
  if (!Number.isInteger(resamples) || resamples < 10) throw new RangeError(`bootstrapInterval: resamples must be an integer ≥ 10, got ${resamples}`);
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`bootstrapInterval: confidence must be in (0, 1), got ${confidence}`);
  const identity = Uint32Array.from({ length: rows }, (_, i) => i);
  const value = statistic(identity);
  if (!Number.isFinite(value)) throw new RangeError(`bootstrapInterval: the statistic of the sample is ${value}`);
  const random = mulberry32(seed);
  const draws: number[] = [];
  const indices = new Uint32Array(rows);
  let firstError: unknown;
  for (let b = 0; b < resamples; b++) {
    for (let i = 0; i < rows; i++) indices[i] = Math.floor(random() * rows);
    let draw: number;
    try {
      draw = statistic(indices);
    } catch (error) {
      firstError ??= error; // a degenerate resample: counted below, and re-raised as the cause if too many
      continue;
    }
    if (Number.isFinite(draw)) draws.push(draw);
  }
  if (draws.length < resamples / 2) {
    throw new RangeError(`bootstrapInterval: only ${draws.length} of ${resamples} resamples gave a finite statistic; the sample is too small`, {
      cause: firstError,
    });
  }
  draws.sort((a, b) => a - b);
  const alpha = 1 - confidence;
  return { value, lower: quantileSorted(draws, alpha / 2), upper: quantileSorted(draws, 1 - alpha / 2) };
}

// Linear interpolation between closest ranks, h = (m − 1)·q (Hyndman & Fan 1996, definition 7).
function quantileSorted(sorted: number[], q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}
