import { describe, expect, it } from 'vitest';
import { golden } from '../../golden/concept/golden.js';
import { chiSquareHomogeneity } from './chi-square-homogeneity.js';

describe('chiSquareHomogeneity', () => {
  it('matches scipy.stats.chi2_contingency(correction=False), leaving out empty categories', () => {
    for (const g of golden.homogeneity) {
      const result = chiSquareHomogeneity(g.reference, g.current);
      expect(result.statistic).toBeCloseTo(g.statistic, 10);
      expect(Math.abs(result.pValue - g.pValue)).toBeLessThanOrEqual(1e-9 * g.pValue);
    }
  });

  it('finds no difference between proportional counts, or with a single category', () => {
    expect(chiSquareHomogeneity([10, 20, 30], [20, 40, 60])).toEqual({ statistic: 0, pValue: 1 });
    expect(chiSquareHomogeneity([10, 0], [3, 0])).toEqual({ statistic: 0, pValue: 1 });
  });

  it('throws on impossible counts', () => {
    expect(() => chiSquareHomogeneity([1, 2], [1])).toThrow(/2 reference counts, 1 current/);
    expect(() => chiSquareHomogeneity([0, 0], [1, 2])).toThrow(/reference counts are all zero/);
    expect(() => chiSquareHomogeneity([1, 2], [0, 0])).toThrow(/current counts are all zero/);
    expect(() => chiSquareHomogeneity([1, -2], [1, 2])).toThrow(/reference count #1 is -2/);
    expect(() => chiSquareHomogeneity([1, 2], [1, Number.NaN])).toThrow(/current count #1 is NaN/);
  });
});
