import { describe, expect, it } from 'vitest';
import { golden } from '../../golden/drift/golden.js';
import { chiSquareSf } from './chi-square-sf.js';
import { kolmogorovSf, smirnovSf } from './kolmogorov-sf.js';
import { ksTwoSampleExactSf } from './ks-two-sample-exact-sf.js';
import { logGamma } from './log-gamma.js';
import { erfc, normalSf } from './normal-sf.js';

function relativeError(actual: number, expected: number): number {
  return expected === 0 ? Math.abs(actual) : Math.abs(actual - expected) / Math.abs(expected);
}

describe('erfc and normalSf', () => {
  for (const [x, expected] of golden.erfc) {
    it(`erfc(${x}) matches scipy.special.erfc to 1e-13`, () => {
      expect(relativeError(erfc(x), expected)).toBeLessThanOrEqual(1e-13);
    });
  }

  it('gives the familiar normal tail values', () => {
    expect(normalSf(0)).toBe(0.5);
    expect(2 * normalSf(1.959963984540054)).toBeCloseTo(0.05, 14);
    expect(normalSf(-1) + normalSf(1)).toBeCloseTo(1, 15);
  });

  it('throws on NaN', () => {
    expect(() => erfc(Number.NaN)).toThrow(/NaN/);
  });
});

describe('chiSquareSf', () => {
  for (const [x, df, expected] of golden.chiSquareSf) {
    it(`P(χ²(${df}) > ${x}) matches scipy.stats.chi2.sf to 1e-10`, () => {
      expect(relativeError(chiSquareSf(x, df), expected)).toBeLessThanOrEqual(1e-10);
    });
  }

  it('throws on impossible degrees of freedom', () => {
    expect(() => chiSquareSf(1, 0)).toThrow(/degreesOfFreedom is 0/);
    expect(() => chiSquareSf(Number.NaN, 2)).toThrow(/NaN/);
  });

  it('uses an accurate log-gamma', () => {
    expect(logGamma(1)).toBeCloseTo(0, 14);
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 14);
    expect(relativeError(logGamma(101), 363.73937555556347)).toBeLessThan(1e-14); // ln 100!
  });
});

describe('Kolmogorov distributions', () => {
  for (const [n, x, expected] of golden.kolmogorovSf) {
    it(`kstwo.sf(${x}, ${n}) matches scipy to 1e-6`, () => {
      expect(relativeError(kolmogorovSf(n, x), expected)).toBeLessThanOrEqual(1e-6);
    });
  }

  for (const [n, x, expected] of golden.smirnovSf) {
    it(`smirnov(${n}, ${x}) matches scipy.special.smirnov to 1e-9`, () => {
      expect(relativeError(smirnovSf(n, x), expected)).toBeLessThanOrEqual(1e-9);
    });
  }

  it('computes the exact two-sample distribution by hand for tiny samples', () => {
    // n = m = 2: of the C(4, 2) = 6 orderings, D = 1 only for xxyy and yyxx.
    expect(ksTwoSampleExactSf(2, 2, 1)).toBeCloseTo(2 / 6, 15);
    expect(ksTwoSampleExactSf(3, 5, 0)).toBe(1);
  });
});
