import { choleskySolve } from './cholesky-solve.js';
import type { LogisticCoefficients } from './predict-logistic.js';
import { sigmoid } from './predict-logistic.js';

/** Rows as one row-major array (`values[i * nCols + j]` is row i, column j), or as one array per row. */
export type DesignMatrix = readonly Float64Array[] | { values: Float64Array; nRows: number; nCols: number };

export interface LogisticRegressionOptions {
  /**
   * Ridge penalty λ on the weights (not the intercept): the fit minimises Σᵢ logloss(yᵢ, pᵢ) + (λ/2)·‖w‖².
   * This is scikit-learn's `LogisticRegression(C = 1/λ)`; λ = 0 is no penalty. Default 1 (sklearn's C = 1).
   */
  l2?: number;
  /** Newton iterations before giving up (`converged: false`). Default 100. */
  maxIterations?: number;
  /** Stop when the largest Newton step is below `tolerance · (1 + largest |coefficient|)`. Default 1e-10. */
  tolerance?: number;
}

export interface LogisticRegressionModel extends LogisticCoefficients {
  iterations: number;
  converged: boolean;
  /** Mean binary cross-entropy on the training rows at the fitted coefficients (without the penalty). */
  logLoss: number;
}

/**
 * Fits P(y = 1 | x) = σ(b + w·x) by Newton's method on the L2-penalised log-likelihood (IRLS; Hastie,
 * Tibshirani & Friedman, The Elements of Statistical Learning, 2nd ed., §4.4.1), each step solving the
 * (p+1)×(p+1) normal equations with a Cholesky factorisation and halving the step until the objective falls.
 * Meant for a few dozen columns and any number of rows; rows that are mostly zero (one-hot encodings) are
 * cheap, because each row adds only the outer product of its non-zero entries to the Hessian.
 * @example fitLogisticRegression([Float64Array.of(0.1), Float64Array.of(2.3)], Uint8Array.of(0, 1), { l2: 1 })
 */
export function fitLogisticRegression(
  x: DesignMatrix,
  y: Uint8Array,
  options: LogisticRegressionOptions = {},
): LogisticRegressionModel {
  const { values, nRows, nCols } = toRowMajor(x);
  const l2 = options.l2 ?? 1;
  const maxIterations = options.maxIterations ?? 100;
  const tolerance = options.tolerance ?? 1e-10;
  validate(values, nRows, nCols, y, l2, maxIterations, tolerance);

  // θ = (b, w₁ … w_p): index 0 is the intercept, index j + 1 is column j.
  const size = nCols + 1;
  let theta = new Float64Array(size);
  const hessian = new Float64Array(size * size);
  const gradient = new Float64Array(size);
  const nonZero = new Int32Array(nCols);
  let objective = penalisedLoss(values, nRows, nCols, y, theta, l2);
  let iterations = 0;
  let converged = false;

  while (iterations < maxIterations) {
    iterations++;
    hessian.fill(0);
    gradient.fill(0);
    for (let i = 0; i < nRows; i++) {
      const offset = i * nCols;
      let eta = theta[0]!;
      let count = 0;
      for (let j = 0; j < nCols; j++) {
        const v = values[offset + j]!;
        if (v !== 0) {
          nonZero[count++] = j;
          eta += theta[j + 1]! * v;
        }
      }
      const p = sigmoid(eta);
      const residual = p - y[i]!;
      const weight = p * (1 - p);
      gradient[0]! += residual;
      hessian[0]! += weight;
      for (let a = 0; a < count; a++) {
        const ja = nonZero[a]!;
        const va = values[offset + ja]!;
        gradient[ja + 1]! += residual * va;
        const rowStart = (ja + 1) * size;
        hessian[rowStart]! += weight * va;
        // Lower triangle only: column index ≤ row index, and nonZero is ascending.
        for (let b = 0; b <= a; b++) {
          const jb = nonZero[b]!;
          hessian[rowStart + jb + 1]! += weight * va * values[offset + jb]!;
        }
      }
    }
    for (let j = 1; j < size; j++) {
      gradient[j]! += l2 * theta[j]!;
      hessian[j * size + j]! += l2;
    }

    const step = choleskySolve(hessian, size, gradient);
    let directional = 0;
    for (let j = 0; j < size; j++) directional += gradient[j]! * step[j]!;

    // Backtracking line search with the Armijo condition (Nocedal & Wright, Numerical Optimization, §3.1).
    let t = 1;
    let candidate = new Float64Array(size);
    let candidateObjective = Infinity;
    for (let halving = 0; halving < 40; halving++) {
      for (let j = 0; j < size; j++) candidate[j] = theta[j]! - t * step[j]!;
      candidateObjective = penalisedLoss(values, nRows, nCols, y, candidate, l2);
      if (candidateObjective <= objective - 1e-4 * t * directional) break;
      t /= 2;
    }

    let largestStep = 0;
    let largestCoefficient = 0;
    for (let j = 0; j < size; j++) {
      largestStep = Math.max(largestStep, Math.abs(t * step[j]!));
      largestCoefficient = Math.max(largestCoefficient, Math.abs(candidate[j]!));
    }
    if (candidateObjective <= objective) {
      [theta, candidate] = [candidate, theta];
      objective = candidateObjective;
    }
    if (largestStep <= tolerance * (1 + largestCoefficient)) {
      converged = true;
      break;
    }
  }

  const weights = theta.slice(1);
  const intercept = theta[0]!;
  return { weights, intercept, iterations, converged, logLoss: penalisedLoss(values, nRows, nCols, y, theta, 0) / nRows };
}

/** Σᵢ [softplus(ηᵢ) − yᵢ·ηᵢ] + (λ/2)·‖w‖², the negative penalised log-likelihood. */
function penalisedLoss(
  values: Float64Array,
  nRows: number,
  nCols: number,
  y: Uint8Array,
  theta: Float64Array,
  l2: number,
): number {
  let sum = 0;
  for (let i = 0; i < nRows; i++) {
    const offset = i * nCols;
    let eta = theta[0]!;
    for (let j = 0; j < nCols; j++) eta += theta[j + 1]! * values[offset + j]!;
    // softplus(η) = ln(1 + e^η), computed without overflow for large |η|.
    const softplus = eta > 0 ? eta + Math.log1p(Math.exp(-eta)) : Math.log1p(Math.exp(eta));
    sum += softplus - y[i]! * eta;
  }
  let squared = 0;
  for (let j = 1; j < theta.length; j++) squared += theta[j]! * theta[j]!;
  return sum + (l2 / 2) * squared;
}

function toRowMajor(x: DesignMatrix): { values: Float64Array; nRows: number; nCols: number } {
  if (!Array.isArray(x)) {
    const { values, nRows, nCols } = x as { values: Float64Array; nRows: number; nCols: number };
    if (!Number.isInteger(nRows) || nRows < 0 || !Number.isInteger(nCols) || nCols < 0) {
      throw new RangeError(`fitLogisticRegression: nRows and nCols must be non-negative integers, got ${nRows} and ${nCols}`);
    }
    if (values.length !== nRows * nCols) {
      throw new RangeError(`fitLogisticRegression: x.values has ${values.length} entries, expected nRows × nCols = ${nRows * nCols}`);
    }
    return { values, nRows, nCols };
  }
  const rows = x as readonly Float64Array[];
  const nRows = rows.length;
  const nCols = rows[0]?.length ?? 0;
  const values = new Float64Array(nRows * nCols);
  for (let i = 0; i < nRows; i++) {
    const row = rows[i]!;
    if (row.length !== nCols) {
      throw new RangeError(`fitLogisticRegression: x row ${i} has ${row.length} columns, row 0 has ${nCols}`);
    }
    values.set(row, i * nCols);
  }
  return { values, nRows, nCols };
}

function validate(
  values: Float64Array,
  nRows: number,
  nCols: number,
  y: Uint8Array,
  l2: number,
  maxIterations: number,
  tolerance: number,
): void {
  if (nRows === 0) throw new RangeError('fitLogisticRegression: x has no rows; a fit needs at least one row of each class');
  if (y.length !== nRows) throw new RangeError(`fitLogisticRegression: x has ${nRows} rows but y has ${y.length}`);
  if (!(l2 >= 0 && Number.isFinite(l2))) throw new RangeError(`fitLogisticRegression: options.l2 is ${l2}, expected a finite number ≥ 0`);
  if (!Number.isInteger(maxIterations) || maxIterations < 1) {
    throw new RangeError(`fitLogisticRegression: options.maxIterations is ${maxIterations}, expected a positive integer`);
  }
  if (!(tolerance > 0)) throw new RangeError(`fitLogisticRegression: options.tolerance is ${tolerance}, expected a number > 0`);
  let positives = 0;
  for (let i = 0; i < nRows; i++) {
    const label = y[i]!;
    if (label > 1) throw new RangeError(`fitLogisticRegression: y[${i}] is ${label}, expected 0 or 1`);
    positives += label;
  }
  if (positives === 0 || positives === nRows) {
    throw new RangeError(`fitLogisticRegression: y has only class ${positives === 0 ? 0 : 1}; a fit needs both classes`);
  }
  for (let k = 0; k < values.length; k++) {
    if (!Number.isFinite(values[k]!)) {
      throw new RangeError(`fitLogisticRegression: x has a non-finite value ${values[k]} at row ${Math.floor(k / nCols)}, column ${k % nCols}`);
    }
  }
}
