/** Eigenvalues in descending order, and the unit eigenvector of each (vectors[j] belongs to values[j]). */
export interface SymmetricEigen {
  readonly values: Float64Array;
  readonly vectors: readonly Float64Array[];
}

const MAX_SWEEPS = 100;

/**
 * Eigen-decomposition of a real symmetric n×n matrix (row-major) by the cyclic Jacobi method, Golub & Van Loan,
 * Matrix Computations (4th ed.), Algorithm 8.5.3, with the 2×2 symmetric Schur rotation of Algorithm 8.5.1.
 * Sweeps until the off-diagonal Frobenius norm is below 1e-15 of the whole matrix's. Each eigenvector's sign
 * is fixed so that its largest-magnitude component is positive, so results are reproducible.
 * Example: `symmetricEigen(Float64Array.of(2, 1, 1, 2), 2)` → values [3, 1].
 */
export function symmetricEigen(matrix: ArrayLike<number>, n: number): SymmetricEigen {
  if (!(Number.isInteger(n) && n > 0)) throw new RangeError(`symmetricEigen: n is ${n}, expected a positive integer`);
  if (matrix.length !== n * n) throw new RangeError(`symmetricEigen: matrix has ${matrix.length} entries, expected ${n}×${n}`);
  const a = Float64Array.from(matrix);
  let total = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const x = a[i * n + j]!;
      if (!Number.isFinite(x)) throw new RangeError(`symmetricEigen: entry (${i}, ${j}) is ${x}`);
      if (Math.abs(x - a[j * n + i]!) > 1e-12 * Math.max(1, Math.abs(x))) throw new RangeError(`symmetricEigen: matrix is not symmetric at (${i}, ${j})`);
      total += x * x;
    }
  }
  // v accumulates the rotations: A = V diag(λ) Vᵀ, eigenvectors are V's columns.
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  const tolerance = 1e-15 * Math.sqrt(total);
  for (let sweep = 0; sweep < MAX_SWEEPS && offDiagonalNorm(a, n) > tolerance; sweep++) {
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) rotate(a, v, n, p, q);
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => a[y * n + y]! - a[x * n + x]!);
  const values = Float64Array.from(order, (i) => a[i * n + i]!);
  const vectors = order.map((j) => {
    const vector = Float64Array.from({ length: n }, (_, i) => v[i * n + j]!);
    let largest = 0;
    for (let i = 1; i < n; i++) if (Math.abs(vector[i]!) > Math.abs(vector[largest]!)) largest = i;
    if (vector[largest]! < 0) for (let i = 0; i < n; i++) vector[i] = -vector[i]!;
    return vector;
  });
  return { values, vectors };
}

function offDiagonalNorm(a: Float64Array, n: number): number {
  let sum = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (i !== j) sum += a[i * n + j]! * a[i * n + j]!;
  return Math.sqrt(sum);
}

/** One Jacobi rotation J(p, q, θ) zeroing a[p][q]: A ← JᵀAJ, V ← VJ (Golub & Van Loan Alg. 8.5.1). */
function rotate(a: Float64Array, v: Float64Array, n: number, p: number, q: number): void {
  const apq = a[p * n + q]!;
  if (apq === 0) return;
  const tau = (a[q * n + q]! - a[p * n + p]!) / (2 * apq);
  // t = tan θ, the smaller root of t² + 2τt − 1 = 0, for stability.
  const t = tau >= 0 ? 1 / (tau + Math.sqrt(1 + tau * tau)) : -1 / (-tau + Math.sqrt(1 + tau * tau));
  const c = 1 / Math.sqrt(1 + t * t);
  const s = t * c;
  for (let k = 0; k < n; k++) {
    // Columns p and q: A ← AJ.
    const akp = a[k * n + p]!;
    const akq = a[k * n + q]!;
    a[k * n + p] = c * akp - s * akq;
    a[k * n + q] = s * akp + c * akq;
  }
  for (let k = 0; k < n; k++) {
    // Rows p and q: A ← JᵀA.
    const apk = a[p * n + k]!;
    const aqk = a[q * n + k]!;
    a[p * n + k] = c * apk - s * aqk;
    a[q * n + k] = s * apk + c * aqk;
  }
  for (let k = 0; k < n; k++) {
    const vkp = v[k * n + p]!;
    const vkq = v[k * n + q]!;
    v[k * n + p] = c * vkp - s * vkq;
    v[k * n + q] = s * vkp + c * vkq;
  }
}
