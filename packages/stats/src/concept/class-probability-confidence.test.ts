import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { golden } from '../../golden/concept/golden.js';
import { classProbabilityConfidence } from './class-probability-confidence.js';

function expectClose(actual: ArrayLike<number>, expected: readonly number[], tolerance = 1e-12): void {
  expect(actual.length).toBe(expected.length);
  expected.forEach((e, i) => expect(Math.abs(actual[i]! - e)).toBeLessThanOrEqual(tolerance * Math.max(1, Math.abs(e))));
}

describe('classProbabilityConfidence', () => {
  it('matches scipy.stats.entropy and the numpy top-1 minus top-2 margin (K = 3 and K = 4)', () => {
    for (const g of golden.confidence) {
      const result = classProbabilityConfidence(g.rows);
      expect(result.classes).toBe(g.rows[0]!.length);
      expectClose(result.entropy, g.entropy);
      expectClose(result.normalizedEntropy, g.normalizedEntropy);
      expectClose(result.margin, g.margin);
    }
  });

  it('gives ln K and margin 0 for a uniform row, 0 and margin 1 for a certain one', () => {
    const result = classProbabilityConfidence([Float64Array.of(0.25, 0.25, 0.25, 0.25), [0, 1, 0, 0]]);
    expect(result.entropy[0]).toBeCloseTo(Math.log(4), 15);
    expect(result.normalizedEntropy[0]).toBe(1);
    expect(result.margin[0]).toBe(0);
    expect(result.entropy[1]).toBe(0);
    expect(result.margin[1]).toBe(1);
  });

  it('throws on rows that are not probability distributions', () => {
    expect(() => classProbabilityConfidence([])).toThrow(/no rows/);
    expect(() => classProbabilityConfidence([[1]])).toThrow(/at least 2 classes/);
    expect(() => classProbabilityConfidence([[0.5, 0.5], [0.2, 0.3, 0.5]])).toThrow(/row 1 has 3/);
    expect(() => classProbabilityConfidence([[0.5, 0.4]])).toThrow(/row 0 sums to 0.9/);
    expect(() => classProbabilityConfidence([[Number.NaN, 1]])).toThrow(/class 0 is NaN/);
    expect(() => classProbabilityConfidence([[-0.5, 1.5]])).toThrow(/class 0 is -0.5/);
  });

  it('accepts rows rounded within the tolerance', () => {
    const result = classProbabilityConfidence([[0.3333, 0.3333, 0.3333]]);
    expect(result.normalizedEntropy[0]).toBe(1);
    expect(() => classProbabilityConfidence([[0.3333, 0.3333, 0.3333]], { sumTolerance: 1e-6 })).toThrow(/sums to/);
  });

  it('keeps entropy in [0, ln K], normalised entropy and margin in [0, 1] (fast-check)', () => {
    const rows = fc
      .integer({ min: 2, max: 6 })
      .chain((k) => fc.array(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: k, maxLength: k }), { minLength: 1, maxLength: 20 }))
      .map((rs) => rs.map((r) => (r.some((x) => x > 0) ? r : r.map((_, i) => (i === 0 ? 1 : 0)))).map((r) => r.map((x) => x / r.reduce((s, y) => s + y, 0))));
    fc.assert(
      fc.property(rows, (scores) => {
        const k = scores[0]!.length;
        const result = classProbabilityConfidence(scores);
        for (let i = 0; i < scores.length; i++) {
          expect(result.entropy[i]).toBeGreaterThanOrEqual(0);
          expect(result.entropy[i]).toBeLessThanOrEqual(Math.log(k));
          expect(result.normalizedEntropy[i]).toBeGreaterThanOrEqual(0);
          expect(result.normalizedEntropy[i]).toBeLessThanOrEqual(1);
          expect(result.margin[i]).toBeGreaterThanOrEqual(0);
          expect(result.margin[i]).toBeLessThanOrEqual(1);
        }
      }),
      { seed: 20261128, numRuns: 100 },
    );
  });
});
