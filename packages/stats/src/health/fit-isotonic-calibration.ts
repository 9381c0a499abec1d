/**
 * A monotone map from a classifier's score to P(y = 1): the knots of a piecewise-linear function, constant
 * below the first knot and above the last (scikit-learn's `IsotonicRegression(out_of_bounds='clip')`).
 */
export interface IsotonicCalibration {
  /** Scores of the knots, strictly increasing. */
  scores: Float64Array;
  /** Calibrated probabilities at the knots, non-decreasing. */
  probabilities: Float64Array;
  /** Labelled rows (total weight) the calibration was fitted on. */
  rows: number;
}

// scikit-learn's _make_unique merges scores closer than float64 resolution (np.finfo(float64).resolution).
const SCORE_RESOLUTION = 1e-15;

/**
 * Fits an isotonic (non-decreasing) calibration of `scores` to 0/1 `labels` by pool-adjacent-violators,
 * as scikit-learn's IsotonicRegression does it: rows sorted by score, tied scores merged into their weighted mean label, PAV
 * (Best & Chakravarti 1990; the single-pass, backtracking form of sklearn's `_isotonic.pyx`), then only the
 * first and last knot of each constant block kept. Predictions interpolate linearly between knots.
 * Weights (optional, default 1) let aggregated rows be fitted: one row per distinct score with its count and
 * the share of positives as the label.
 *
 * @example const calibration = fitIsotonicCalibration({ scores: [0.1, 0.4, 0.35, 0.8], labels: [0, 1, 0, 1] });
 */
export function fitIsotonicCalibration(input: { scores: ArrayLike<number>; labels: ArrayLike<number>; weights?: ArrayLike<number> }): IsotonicCalibration {
  const where = 'fitIsotonicCalibration';
  const { scores, labels, weights } = input;
  const n = scores.length;
  if (labels.length !== n) throw new RangeError(`${where}: scores has ${n} rows but labels has ${labels.length}`);
  if (weights !== undefined && weights.length !== n) throw new RangeError(`${where}: scores has ${n} rows but weights has ${weights.length}`);
  const kept: number[] = [];
  for (let i = 0; i < n; i++) {
    const s = scores[i]!;
    const y = labels[i]!;
    const w = weights === undefined ? 1 : weights[i]!;
    if (!Number.isFinite(s)) throw new RangeError(`${where}: scores[${i}] is ${s}, expected a finite number`);
    if (!(y >= 0 && y <= 1)) throw new RangeError(`${where}: labels[${i}] is ${y}, expected 0, 1 or a share of positives in [0, 1]`);
    if (!(w >= 0 && Number.isFinite(w))) throw new RangeError(`${where}: weights[${i}] is ${w}, expected a finite number ≥ 0`);
    if (w > 0) kept.push(i);
  }
  if (kept.length === 0) throw new RangeError(`${where}: no labelled rows (with a positive weight) to fit on`);
  // np.lexsort((y, X)): by score, then by label.
  kept.sort((a, b) => scores[a]! - scores[b]! || labels[a]! - labels[b]!);

  // Merge tied scores into their weighted mean label (sklearn's _make_unique).
  const xs: number[] = [];
  const ys: number[] = [];
  const ws: number[] = [];
  let currentX = scores[kept[0]!]!;
  let sumWy = 0;
  let sumW = 0;
  for (const i of kept) {
    const x = scores[i]!;
    const w = weights === undefined ? 1 : weights[i]!;
    if (x - currentX >= SCORE_RESOLUTION) {
      xs.push(currentX);
      ys.push(sumWy / sumW);
      ws.push(sumW);
      currentX = x;
      sumWy = 0;
      sumW = 0;
    }
    sumWy += w * labels[i]!;
    sumW += w;
  }
  xs.push(currentX);
  ys.push(sumWy / sumW);
  ws.push(sumW);
  const rows = ws.reduce((a, b) => a + b, 0);

  const y = Float64Array.from(ys);
  poolAdjacentViolators(y, Float64Array.from(ws));

  // Keep the first and last point and every point whose value differs from a neighbour's.
  const keptX: number[] = [];
  const keptY: number[] = [];
  const m = y.length;
  for (let k = 0; k < m; k++) {
    if (k === 0 || k === m - 1 || y[k] !== y[k - 1] || y[k] !== y[k + 1]) {
      keptX.push(xs[k]!);
      keptY.push(y[k]!);
    }
  }
  return { scores: Float64Array.from(keptX), probabilities: Float64Array.from(keptY), rows };
}

/**
 * In-place weighted isotonic regression, a transcription of scikit-learn's
 * `_inplace_contiguous_isotonic_regression`: `target` marks blocks ([i..j] active ⇔ target[i] = j and
 * target[j] = i); a decreasing run is pooled into its weighted mean, then the scan backtracks one block.
 */
function poolAdjacentViolators(y: Float64Array, w: Float64Array): void {
  const n = y.length;
  const target = Int32Array.from({ length: n }, (_, i) => i);
  let i = 0;
  while (i < n) {
    let k = target[i]! + 1;
    if (k === n) break;
    if (y[i]! < y[k]!) {
      i = k;
      continue;
    }
    let sumWy = w[i]! * y[i]!;
    let sumW = w[i]!;
    for (;;) {
      const previous = y[k]!;
      sumWy += w[k]! * y[k]!;
      sumW += w[k]!;
      k = target[k]! + 1;
      if (k === n || previous < y[k]!) {
        y[i] = sumWy / sumW;
        w[i] = sumW;
        target[i] = k - 1;
        target[k - 1] = i;
        if (i > 0) i = target[i - 1]!;
        break;
      }
    }
  }
  i = 0;
  while (i < n) {
    const k = target[i]! + 1;
    y.fill(y[i]!, i + 1, k);
    i = k;
  }
}

/**
 * Calibrated probability of each score: linear interpolation between the knots (scipy's interp1d, as
 * scikit-learn predicts), scores outside the fitted range clipped to it.
 */
export function calibrateScores(calibration: IsotonicCalibration, scores: ArrayLike<number>): Float64Array {
  const out = new Float64Array(scores.length);
  for (let i = 0; i < scores.length; i++) out[i] = calibrateScore(calibration, scores[i]!);
  return out;
}

/** Calibrated probability of one score (see `calibrateScores`). */
export function calibrateScore(calibration: IsotonicCalibration, score: number): number {
  if (!Number.isFinite(score)) throw new RangeError(`calibrateScore: score is ${score}, expected a finite number`);
  const x = calibration.scores;
  const y = calibration.probabilities;
  const m = x.length;
  if (m === 1) return y[0]!;
  const s = Math.min(Math.max(score, x[0]!), x[m - 1]!);
  // searchsorted(x, s, side='left') clipped to [1, m − 1], as interp1d does.
  let lo = 0;
  let hi = m;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (x[mid]! < s) lo = mid + 1;
    else hi = mid;
  }
  const index = Math.min(Math.max(lo, 1), m - 1);
  const x0 = x[index - 1]!;
  const y0 = y[index - 1]!;
  const slope = (y[index]! - y0) / (x[index]! - x0);
  return slope * (s - x0) + y0;
}
