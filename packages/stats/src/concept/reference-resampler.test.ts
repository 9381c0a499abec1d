import { describe, expect, it } from 'vitest';
import { mulberry32, mulberry32Normal } from '../mulberry32.js';
import { referenceScaling } from './pearson-correlation-matrix.js';
import { referenceResampler } from './reference-resampler.js';
import { rowMatrix } from './row-matrix.js';

/** 20,000 rows of a bivariate normal with correlation 0.5. */
function reference() {
  const normal = mulberry32Normal(11);
  const n = 20_000;
  const a = new Float64Array(n);
  const b = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    a[i] = normal();
    b[i] = 0.5 * a[i]! + Math.sqrt(0.75) * normal();
  }
  return rowMatrix({ a, b }, 'test');
}

describe('referenceResampler', () => {
  // Two independent correlation estimates of size n differ by N(0, (1 − ρ²)·√(2/n)) (Fisher 1915, large n);
  // the Frobenius distance of 2 × 2 matrices is √2 |r₁ − r₂|, whose mean is √2 · sd · √(2/π).
  const expectedMeanDistance = (n: number) => Math.SQRT2 * 0.75 * Math.sqrt(2 / n) * Math.sqrt(2 / Math.PI);

  for (const size of [150, 1000, 5000]) {
    it(`spreads resamples of ${size} rows as sampling theory says (${size < 200 ? 'rows' : 'blocks of rows'})`, () => {
      const ref = reference();
      const { center, scale } = referenceScaling(ref);
      const resample = referenceResampler(ref, 'correlation', center, scale, mulberry32(3));
      let sum = 0;
      const draws = 400;
      for (let i = 0; i < draws; i++) {
        const x = resample(size);
        const y = resample(size);
        sum += Math.SQRT2 * Math.abs(x[1]! - y[1]!);
      }
      expect(sum / draws / expectedMeanDistance(size)).toBeGreaterThan(0.9);
      expect(sum / draws / expectedMeanDistance(size)).toBeLessThan(1.1);
    });
  }

  it('returns a correlation matrix: unit diagonal, symmetric', () => {
    const ref = reference();
    const { center, scale } = referenceScaling(ref);
    const m = referenceResampler(ref, 'correlation', center, scale, mulberry32(1))(3000);
    expect([m[0], m[3]]).toEqual([1, 1]);
    expect(m[1]).toBe(m[2]);
    expect(m[1]).toBeGreaterThan(0.4);
  });
});
