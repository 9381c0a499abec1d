import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { golden } from '../../golden/concept/golden.js';
import { mulberry32 } from '../mulberry32.js';
import { clusterMixDrift } from './cluster-mix-drift.js';

const g = golden.kmeans;
const asColumns = (values: readonly (readonly number[])[]) => ({ x: values[0]!, y: values[1]!, z: values[2]! });

function shuffledColumns(input: Record<string, readonly number[]>, seed: number): Record<string, number[]> {
  const names = Object.keys(input);
  const order = input[names[0]!]!.map((_, i) => i);
  const random = mulberry32(seed);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return Object.fromEntries(names.map((name) => [name, order.map((i) => input[name]![i]!)]));
}

describe('clusterMixDrift', () => {
  it('matches scipy chi2_contingency on the reference and current cluster counts of the golden blobs', () => {
    const result = clusterMixDrift(asColumns(g.reference), asColumns(g.current), { k: 3 });
    expect(result.k).toBe(3);
    expect(result.statistic).toBeCloseTo(g.statistic, 10);
    expect(Math.abs(result.p_value - g.pValue)).toBeLessThanOrEqual(1e-9 * g.pValue);
    expect(result.drift).toBe(true);
    const shares = result.clusters.map((c) => [c.reference_share, c.current_share]).sort((a, b) => a[0]! - b[0]!);
    expect(shares).toEqual([[20 / 75, 30 / 45], [25 / 75, 5 / 45], [30 / 75, 10 / 45]].map(([r, c]) => [expect.closeTo(r!, 12), expect.closeTo(c!, 12)]));
  });

  it('reports each cluster centre in the features’ own units', () => {
    const result = clusterMixDrift(asColumns(g.reference), asColumns(g.current), { k: 3 });
    const centres = result.clusters.map((c) => [c.centroid.x!, c.centroid.y!, c.centroid.z!]).sort((a, b) => a[1]! - b[1]! || a[0]! - b[0]!);
    const expected = [...g.means].sort((a, b) => a[1]! - b[1]! || a[0]! - b[0]!);
    centres.forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(expected[i]![j]!, 10)));
  });

  it('does not flag current rows drawn with the reference mix', () => {
    const reference = asColumns(g.reference);
    // The first 45 reference rows (a permutation of the blobs) keep roughly the reference mix.
    const current = { x: reference.x.slice(0, 45), y: reference.y.slice(0, 45), z: reference.z.slice(0, 45) };
    expect(clusterMixDrift(reference, current, { k: 3 }).drift).toBe(false);
  });

  it('uses fewer clusters when the reference has fewer distinct rows than k', () => {
    const result = clusterMixDrift({ a: [0, 0, 1, 1, 1] }, { a: [0, 1, 1] }, { k: 4 });
    expect(result.k).toBe(2);
    const one = clusterMixDrift({ a: [2, 2, 2] }, { a: [0, 1, 1] }, { k: 4 });
    expect(one.k).toBe(1);
    expect(one.p_value).toBe(1);
  });

  it('throws on impossible input', () => {
    expect(() => clusterMixDrift({ a: [] }, { a: [1] })).toThrow(/reference has no rows/);
    expect(() => clusterMixDrift({ a: [1, 2] }, { a: [] })).toThrow(/current has no rows/);
    expect(() => clusterMixDrift({ a: [1, 2] }, { a: [1] }, { threshold: 0 })).toThrow(/threshold/);
  });

  const sample = fc
    .array(fc.tuple(fc.integer({ min: -20, max: 20 }), fc.integer({ min: -20, max: 20 })), { minLength: 6, maxLength: 40 })
    .map((rows) => ({ a: rows.map((r) => r[0]), b: rows.map((r) => r[1]) }));
  const params = { seed: 20261128, numRuns: 40 };

  it('never flags identical samples (fast-check)', () => {
    fc.assert(
      fc.property(sample, (reference) => {
        const result = clusterMixDrift(reference, shuffledColumns(reference, 2), { k: 3 });
        expect(result.statistic).toBe(0);
        expect(result.drift).toBe(false);
      }),
      params,
    );
  });

  it('gives the same clusters and verdict whatever the row order (fast-check)', () => {
    fc.assert(
      fc.property(sample, sample, fc.integer({ min: 1, max: 1e9 }), (reference, current, seed) => {
        const a = clusterMixDrift(reference, current, { k: 3 });
        const b = clusterMixDrift(shuffledColumns(reference, seed), shuffledColumns(current, seed + 1), { k: 3 });
        expect(b).toEqual(a);
      }),
      params,
    );
  });
});
