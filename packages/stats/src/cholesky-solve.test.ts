import { describe, expect, it } from 'vitest';
import { choleskySolve } from './cholesky-solve.js';

describe('choleskySolve', () => {
  it('solves a symmetric positive-definite system', () => {
    // A = [[4, 12, −16], [12, 37, −43], [−16, −43, 98]] = L·Lᵀ with L = [[2,0,0],[6,1,0],[−8,5,3]]
    // (the textbook example, e.g. Wikipedia "Cholesky decomposition"); x = (1, 2, 3) gives b = A·x.
    const a = Float64Array.of(4, 12, -16, 12, 37, -43, -16, -43, 98);
    const b = Float64Array.of(4 + 24 - 48, 12 + 74 - 129, -16 - 86 + 294);
    const x = choleskySolve(a, 3, b);
    expect(Array.from(x).map((v) => Number(v.toFixed(12)))).toEqual([1, 2, 3]);
  });

  it('throws on a matrix that is not positive definite', () => {
    expect(() => choleskySolve(Float64Array.of(1, 2, 2, 4), 2, Float64Array.of(1, 1))).toThrow(/not positive definite \(pivot 1/);
  });

  it('throws on mismatched sizes', () => {
    expect(() => choleskySolve(new Float64Array(3), 2, new Float64Array(2))).toThrow(/expected n × n = 4/);
    expect(() => choleskySolve(new Float64Array(4), 2, new Float64Array(3))).toThrow(/b has 3 entries/);
  });
});
