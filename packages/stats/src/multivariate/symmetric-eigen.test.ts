import { describe, expect, it } from 'vitest';
import { symmetricEigen } from './symmetric-eigen.js';

// Printed by packages/stats/golden/multivariate/make-golden.py (numpy.linalg.eigh).
const eigenGolden = {"matrix": [[4.0, 1.0, 0.5, 0.0], [1.0, 3.0, 0.2, 0.1], [0.5, 0.2, 2.0, 0.3], [0.0, 0.1, 0.3, 1.0]], "eigenvalues": [4.724752504035315, 2.3992643038562114, 1.9693130219388704, 0.906670170169602], "first_vector": [0.8375242179182849, 0.5098275413749227, 0.19434046550314615, 0.029340175936532507]};

function expectClose(actual: ArrayLike<number>, expected: readonly number[], relative: number): void {
  expect(actual.length).toBe(expected.length);
  expected.forEach((e, i) => expect(Math.abs(actual[i]! - e)).toBeLessThanOrEqual(relative * Math.max(1, Math.abs(e))));
}

describe('symmetricEigen', () => {
  it('matches numpy eigh on a fixed symmetric matrix', () => {
    const { values, vectors } = symmetricEigen(eigenGolden.matrix.flat(), 4);
    expectClose(values, eigenGolden.eigenvalues, 1e-12);
    expectClose(vectors[0]!, eigenGolden.first_vector, 1e-10);
  });

  it('returns orthonormal vectors that satisfy A v = λ v', () => {
    const n = 6;
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) a[i * n + j] = a[j * n + i] = Math.sin(i * 7 + j * 3 + 1);
    const { values, vectors } = symmetricEigen(a, n);
    vectors.forEach((v, k) => {
      for (let i = 0; i < n; i++) {
        let av = 0;
        for (let j = 0; j < n; j++) av += a[i * n + j]! * v[j]!;
        expect(av).toBeCloseTo(values[k]! * v[i]!, 10);
      }
      vectors.forEach((w, l) => expect(v.reduce((s, x, i) => s + x * w[i]!, 0)).toBeCloseTo(k === l ? 1 : 0, 12));
    });
  });

  it('rejects a matrix that is not symmetric', () => {
    expect(() => symmetricEigen([1, 2, 3, 4], 2)).toThrow(/not symmetric/);
  });
});
