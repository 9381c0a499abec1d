import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { golden } from '../../golden/concept/golden.js';
import { mulberry32, mulberry32Normal } from '../mulberry32.js';
import { correlationDrift } from './correlation-drift.js';
import { pearsonCorrelationMatrix } from './pearson-correlation-matrix.js';

const g = golden.correlation;
const columns = (values: readonly (readonly number[])[]) => Object.fromEntries(g.features.map((f, j) => [f, values[j]!]));

/** n rows of (a, b, c) with corr(a, b) = rho and c independent, from a seeded normal generator. */
function correlatedSample(n: number, rho: number, seed: number): Record<string, Float64Array> {
  const normal = mulberry32Normal(seed);
  const a = new Float64Array(n);
  const b = new Float64Array(n);
  const c = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    a[i] = normal();
    b[i] = rho * a[i]! + Math.sqrt(1 - rho * rho) * normal();
    c[i] = 3 + 2 * normal();
  }
  return { a, b, c };
}

function shuffledColumns(input: Record<string, ArrayLike<number>>, seed: number): Record<string, Float64Array> {
  const names = Object.keys(input);
  const n = input[names[0]!]!.length;
  const order = Array.from({ length: n }, (_, i) => i);
  const random = mulberry32(seed);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return Object.fromEntries(names.map((name) => [name, Float64Array.from(order, (i) => input[name]![i]!)]));
}

describe('pearsonCorrelationMatrix', () => {
  it('matches numpy.corrcoef', () => {
    const expectMatrix = (actual: number[][], expected: number[][]) =>
      expected.forEach((row, j) => row.forEach((e, k) => expect(Math.abs(actual[j]![k]! - e)).toBeLessThanOrEqual(1e-12)));
    expectMatrix(pearsonCorrelationMatrix(columns(g.reference)), g.referenceMatrix);
    expectMatrix(pearsonCorrelationMatrix(columns(g.current)), g.currentMatrix);
  });

  it('gives a constant column correlation 0 with the others instead of NaN', () => {
    expect(pearsonCorrelationMatrix({ a: [1, 2, 3, 4], k: [7, 7, 7, 7] })).toEqual([[1, 0], [0, 1]]);
  });
});

describe('correlationDrift', () => {
  it('matches numpy: Frobenius distance and largest element change of the correlation matrices', () => {
    const result = correlationDrift(columns(g.reference), columns(g.current), { resamples: 50 });
    expect(result.distance).toBeCloseTo(g.distance, 12);
    expect(result.max_abs_difference).toBeCloseTo(g.maxAbsDifference, 12);
    expect(result.method).toBe('correlation_frobenius');
    expect(result.features).toEqual(['a', 'b', 'c', 'd']);
  });

  it('matches numpy for the covariance variant (features scaled by the reference)', () => {
    const result = correlationDrift(columns(g.reference), columns(g.current), { resamples: 50, measure: 'covariance' });
    expect(result.distance).toBeCloseTo(g.covarianceDistance, 12);
    expect(result.max_abs_difference).toBeCloseTo(g.covarianceMaxAbsDifference, 12);
    expect(result.method).toBe('covariance_frobenius');
  });

  it('flags drift when a correlation flips and names that pair first', () => {
    const result = correlationDrift(columns(g.reference), columns(g.current), { topPairs: 2 });
    expect(result.drift).toBe(true);
    expect(result.distance).toBeGreaterThan(result.threshold);
    expect(result.p_value).toBeLessThan(0.05);
    expect(result.top_pairs).toHaveLength(2);
    const top = result.top_pairs[0]!;
    expect([top.feature_a, top.feature_b]).toEqual(['a', 'b']);
    expect(top.reference).toBeCloseTo(g.referenceMatrix[0]![1]!, 12);
    expect(top.current).toBeCloseTo(g.currentMatrix[0]![1]!, 12);
    expect(top.difference).toBeCloseTo(top.current - top.reference, 15);
    expect(Math.abs(top.difference)).toBe(result.max_abs_difference);
  });

  it('does not flag a fresh sample of the same population', () => {
    const result = correlationDrift(correlatedSample(800, 0.7, 1), correlatedSample(500, 0.7, 2));
    expect(result.drift).toBe(false);
    expect(result.p_value).toBeGreaterThan(0.05);
  });

  it('flags a weakened correlation in a large sample', () => {
    const result = correlationDrift(correlatedSample(800, 0.7, 1), correlatedSample(500, 0.4, 2));
    expect(result.drift).toBe(true);
  });

  it('sets a higher threshold for a smaller current sample (resamples have the sizes of both sides)', () => {
    const reference = correlatedSample(600, 0.5, 3);
    const small = correlationDrift(reference, correlatedSample(30, 0.5, 4));
    const large = correlationDrift(reference, correlatedSample(3000, 0.5, 4));
    expect(small.threshold).toBeGreaterThan(1.5 * large.threshold);
  });

  it('is reproducible with the same seed and uses the 99th percentile when asked', () => {
    const reference = correlatedSample(200, 0.5, 5);
    const current = correlatedSample(100, 0.5, 6);
    expect(correlationDrift(reference, current, { seed: 9 })).toEqual(correlationDrift(reference, current, { seed: 9 }));
    const p95 = correlationDrift(reference, current, { seed: 9 });
    const p99 = correlationDrift(reference, current, { seed: 9, quantile: 0.99 });
    expect(p99.threshold).toBeGreaterThan(p95.threshold);
  });

  it('reports features constant on a side', () => {
    const reference = { x: [1, 2, 3, 4, 5], y: [2, 1, 4, 3, 5], k: [1, 1, 2, 1, 1] };
    const current = { x: [1, 2, 3, 4, 5], y: [2, 1, 4, 3, 5], k: [1, 1, 1, 1, 1] };
    const result = correlationDrift(reference, current, { resamples: 20 });
    expect(result.constant_features).toEqual({ reference: [], current: ['k'] });
    expect(Number.isFinite(result.distance)).toBe(true);
  });

  it('throws on impossible input', () => {
    const ok = { a: [1, 2, 3], b: [3, 1, 2] };
    expect(() => correlationDrift({ a: [1, 2], b: [2, 1] }, ok)).toThrow(/reference has 2 rows/);
    expect(() => correlationDrift({ a: [1, 2, 3] }, { a: [1, 2, 3] })).toThrow(/at least 2/);
    expect(() => correlationDrift(ok, { a: [1, 2, 3] })).toThrow(/column "b" is missing/);
    expect(() => correlationDrift(ok, { a: [1, Number.NaN, 3], b: [1, 2, 3] })).toThrow(/"a" row 1 is NaN/);
    expect(() => correlationDrift(ok, ok, { resamples: 0 })).toThrow(/resamples/);
    expect(() => correlationDrift(ok, ok, { quantile: 1 })).toThrow(/quantile/);
  });

  const sample = fc
    .array(fc.tuple(fc.integer({ min: -20, max: 20 }), fc.integer({ min: -20, max: 20 }), fc.integer({ min: -20, max: 20 })), { minLength: 5, maxLength: 40 })
    .map((rows) => ({ a: rows.map((r) => r[0]), b: rows.map((r) => r[1]), c: rows.map((r) => r[2] / 4) }));
  const params = { seed: 20261128, numRuns: 40 };

  it('never flags identical samples (fast-check)', () => {
    fc.assert(
      fc.property(sample, (reference) => {
        const result = correlationDrift(reference, shuffledColumns(reference, 1), { resamples: 30 });
        expect(result.distance).toBe(0);
        expect(result.drift).toBe(false);
      }),
      params,
    );
  });

  it('gives the same distance, threshold and verdict whatever the row order (fast-check)', () => {
    fc.assert(
      fc.property(sample, sample, fc.integer({ min: 1, max: 1e9 }), (reference, current, seed) => {
        const a = correlationDrift(reference, current, { resamples: 30 });
        const b = correlationDrift(shuffledColumns(reference, seed), shuffledColumns(current, seed + 1), { resamples: 30 });
        expect(b).toEqual(a);
      }),
      params,
    );
  });
});
