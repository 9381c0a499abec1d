import { describe, expect, it } from 'vitest';
import { golden } from '../../golden/concept/golden.js';
import { kMeans, nearestCentroid } from './k-means.js';

const g = golden.kmeans;
const asColumns = (values: readonly (readonly number[])[]) => ({ x: values[0]!, y: values[1]!, z: values[2]! });

/** The relabelling that maps our cluster ids onto sklearn's, checking it is one-to-one on every row. */
function relabelling(ours: ArrayLike<number>, theirs: readonly number[]): Map<number, number> {
  const map = new Map<number, number>();
  for (let i = 0; i < theirs.length; i++) {
    const seen = map.get(ours[i]!);
    if (seen === undefined) map.set(ours[i]!, theirs[i]!);
    else expect(seen).toBe(theirs[i]);
  }
  expect(new Set(map.values()).size).toBe(map.size);
  return map;
}

describe('kMeans', () => {
  it('finds the same partition of three well separated blobs as sklearn (up to relabelling)', () => {
    const model = kMeans(asColumns(g.reference), 3, { seed: 7 });
    expect(model.converged).toBe(true);
    const map = relabelling(model.assignments, g.labels);
    expect(map.size).toBe(3);
    for (const [ours, theirs] of map) {
      const centroid = [0, 1, 2].map((j) => model.centroids[ours * 3 + j]! * model.scale[j]! + model.center[j]!);
      centroid.forEach((v, j) => expect(v).toBeCloseTo(g.means[theirs]![j]!, 10));
    }
    expect(model.sizes.reduce((s, x) => s + x, 0)).toBe(g.labels.length);
  });

  it('assigns new rows to the nearest centroid as sklearn predict does', () => {
    const model = kMeans(asColumns(g.reference), 3, { seed: 7 });
    const map = relabelling(model.assignments, g.labels);
    const assigned = nearestCentroid(model, asColumns(g.current));
    expect(Array.from(assigned, (c) => map.get(c))).toEqual(g.currentLabels);
  });

  it('finds that partition from every seed', () => {
    for (const seed of [1, 2, 3, 4, 5]) relabelling(kMeans(asColumns(g.reference), 3, { seed, runs: 1 }).assignments, g.labels);
  });

  it('is reproducible with the same seed', () => {
    const data = { a: [1, 2, 3, 10, 11, 12, 30, 31, 29, 5], b: [1, 1, 2, 5, 4, 5, 0, 1, 0, 3] };
    expect(kMeans(data, 3, { seed: 3 })).toEqual(kMeans(data, 3, { seed: 3 }));
  });

  it('throws when k cannot be met', () => {
    expect(() => kMeans({ a: [1, 1, 2, 2] }, 3)).toThrow(/only 2 distinct rows/);
    expect(() => kMeans({ a: [1, 2] }, 3)).toThrow(/2 rows/);
    expect(() => kMeans({ a: [1, 2] }, 0)).toThrow(/k is 0/);
    expect(() => nearestCentroid(kMeans({ a: [1, 2, 3] }, 2), { b: [1] })).toThrow(/"a" is missing/);
  });
});
