/**
 * Solves `a · x = b` for a symmetric positive-definite `n × n` matrix `a` (row-major; only the lower
 * triangle is read) by the Cholesky factorisation `a = L·Lᵀ` (Golub & Van Loan, Matrix Computations,
 * 4th ed., algorithm 4.2.1), then forward and back substitution. `a` and `b` are left untouched.
 * Throws when `a` is not positive definite, which for normal equations means collinear columns.
 */
export function choleskySolve(a: Float64Array, n: number, b: Float64Array): Float64Array {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`choleskySolve: n must be a positive integer, got ${n}`);
  if (a.length !== n * n) throw new RangeError(`choleskySolve: a has ${a.length} entries, expected n × n = ${n * n}`);
  if (b.length !== n) throw new RangeError(`choleskySolve: b has ${b.length} entries, expected n = ${n}`);

  const l = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let diagonal = a[j * n + j]!;
    for (let k = 0; k < j; k++) diagonal -= l[j * n + k]! * l[j * n + k]!;
    if (!(diagonal > 0)) {
      throw new RangeError(
        `choleskySolve: matrix is not positive definite (pivot ${j} is ${diagonal}); columns may be collinear, add an L2 penalty`,
      );
    }
    const ljj = Math.sqrt(diagonal);
    l[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let sum = a[i * n + j]!;
      for (let k = 0; k < j; k++) sum -= l[i * n + k]! * l[j * n + k]!;
      l[i * n + j] = sum / ljj;
    }
  }

  // L·z = b, then Lᵀ·x = z.
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let sum = b[i]!;
    for (let k = 0; k < i; k++) sum -= l[i * n + k]! * x[k]!;
    x[i] = sum / l[i * n + i]!;
  }
  for (let i = n - 1; i >= 0; i--) {
    let sum = x[i]!;
    for (let k = i + 1; k < n; k++) sum -= l[k * n + i]! * x[k]!;
    x[i] = sum / l[i * n + i]!;
  }
  return x;
}
