import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { latestBatchWorse } from './latest-batch-worse.js';
import { normalQuantile } from './normal-quantile.js';
import { mulberry32 } from '../mulberry32.js';
import { cbpeGolden } from '../../golden/health/cbpe-golden.js';

/** Splits `errors` of `n` rows of the earlier side into two batches, to check that earlier batches are pooled. */
const earlierBatches = (errors: number, n: number) => [
  { start: 'w1', n: Math.floor(n / 2), errors: Math.min(errors, Math.floor(n / 2)) },
  { start: 'w2', n: n - Math.floor(n / 2), errors: errors - Math.min(errors, Math.floor(n / 2)) },
];

describe('latestBatchWorse', () => {
  it.each(cbpeGolden.proportions.map((c) => [`${c.latest.join('/')} vs ${c.earlier.join('/')}`, c] as const))(
    'matches statsmodels proportions_ztest and scipy fisher_exact (one-sided) on %s',
    (_name, c) => {
      const batches = [...earlierBatches(c.earlier[0]!, c.earlier[1]!), { start: 'w3', n: c.latest[1]!, errors: c.latest[0]! }];
      const z = latestBatchWorse(batches, { proportionTest: 'two-proportion-z' });
      const fisher = latestBatchWorse(batches, { proportionTest: 'fisher-exact' });
      if (Number.isFinite(c.zPValue)) expect(z.pValue!).toBeCloseTo(c.zPValue, 12);
      expect(fisher.pValue! / c.fisherPValue).toBeCloseTo(1, 9);
      expect(z.earlier).toMatchObject({ batches: 2, n: c.earlier[1] });
    },
  );

  it('takes Fisher for small batches and the z-test for large ones, and flags only a significant rise', () => {
    const small = latestBatchWorse([{ start: 'a', n: 400, errors: 10 }, { start: 'b', n: 20, errors: 3 }]);
    expect(small.method).toBe('fisher-exact');
    expect(small.latest).toEqual({ start: 'b', n: 20, value: 0.15 });
    expect(small.difference).toBeCloseTo(0.125, 15);
    expect(small.worse).toBe(true);
    const large = latestBatchWorse([{ start: 'a', n: 1000, errors: 80 }, { start: 'b', n: 200, errors: 20 }]);
    expect(large.method).toBe('two-proportion-z');
    expect(large.worse).toBe(false);
    const better = latestBatchWorse([{ start: 'a', n: 1000, errors: 200 }, { start: 'b', n: 200, errors: 10 }]);
    expect(better.pValue!).toBeGreaterThan(0.99);
    expect(better.worse).toBe(false);
  });

  it.each(cbpeGolden.permutation.map((c, i) => [i, c] as const))('matches scipy permutation_test (exact) on row costs, case %i', (_i, c) => {
    const result = latestBatchWorse([{ start: 'earlier', costs: c.earlier }, { start: 'latest', costs: c.latest }]);
    expect(result.method).toBe('permutation-exact');
    expect(result.difference!).toBeCloseTo(c.statistic, 12);
    expect(result.pValue!).toBeCloseTo(c.pValue, 12);
  });

  it.each(cbpeGolden.welch.map((c) => [c.seed, c] as const))('takes Welch against the normal on thousands of rows a side, near scipy ttest_ind (seed %i)', (_seed, c) => {
    const random = mulberry32(c.seed);
    const latest = Array.from({ length: c.latestRows }, () => Math.floor(random() * c.latestWidth));
    const earlier = Array.from({ length: c.earlierRows }, () => Math.floor(random() * c.earlierWidth));
    const result = latestBatchWorse([{ start: 'a', costs: earlier }, { start: 'b', costs: latest }]);
    expect(result.method).toBe('welch-z');
    // The same statistic as scipy's …
    expect(-normalQuantile(result.pValue!)).toBeCloseTo(c.statistic, 8);
    // … referred to the normal rather than to t with ~10,000 degrees of freedom: p within a few per cent.
    expect(Math.abs(result.pValue! / c.pValue - 1)).toBeLessThan(0.03);
    expect(result.worse).toBe(c.pValue < 0.05);
  });

  it('falls back to a seeded Monte Carlo permutation test on many rows, and finds a rise in mean cost', () => {
    const earlier = Array.from({ length: 300 }, (_, i) => (i % 10 === 0 ? 10 : 0));
    const latest = Array.from({ length: 60 }, (_, i) => (i % 4 === 0 ? 10 : 0));
    const result = latestBatchWorse([{ start: 'a', costs: earlier }, { start: 'b', costs: latest }], { seed: 3 });
    expect(result.method).toBe('permutation-monte-carlo');
    expect(result.worse).toBe(true);
    expect(result.pValue!).toBeLessThan(0.01);
    expect(latestBatchWorse([{ start: 'a', costs: earlier }, { start: 'b', costs: latest }], { seed: 3 }).pValue).toBe(result.pValue);
    const same = latestBatchWorse([{ start: 'a', costs: earlier }, { start: 'b', costs: earlier.slice(0, 60) }]);
    expect(same.worse).toBe(false);
  });

  it('never lowers the evidence when the latest batch gets one more error (property)', () => {
    const counts = fc.tuple(fc.integer({ min: 1, max: 60 }), fc.integer({ min: 1, max: 300 })).chain(([nL, nE]) =>
      fc.tuple(fc.constant(nL), fc.constant(nE), fc.integer({ min: 0, max: nL - 1 }), fc.integer({ min: 0, max: nE })),
    );
    fc.assert(
      fc.property(counts, ([nL, nE, xL, xE]) => {
        for (const proportionTest of ['fisher-exact', 'two-proportion-z'] as const) {
          const before = latestBatchWorse([{ start: 'a', n: nE, errors: xE }, { start: 'b', n: nL, errors: xL }], { proportionTest }).pValue!;
          const after = latestBatchWorse([{ start: 'a', n: nE, errors: xE }, { start: 'b', n: nL, errors: xL + 1 }], { proportionTest }).pValue!;
          expect(before).toBeGreaterThanOrEqual(0);
          expect(before).toBeLessThanOrEqual(1);
          // z is undefined (p = 1) when every row, or none, is an error; Fisher has no such hole.
          if (proportionTest === 'fisher-exact' || (xL + xE > 0 && xL + 1 + xE < nL + nE)) expect(after).toBeLessThanOrEqual(before + 1e-12);
        }
      }),
    );
  });

  it('says insufficient_data with a reason when there is nothing to compare', () => {
    expect(latestBatchWorse([])).toMatchObject({ insufficientData: true, worse: false, pValue: null, reason: 'no annotated batches' });
    expect(latestBatchWorse([{ start: 'a', n: 10, errors: 1 }])).toMatchObject({ insufficientData: true, reason: /nothing earlier/ });
    expect(latestBatchWorse([{ start: 'a', n: 10, errors: 1 }, { start: 'b', n: 0, errors: 0 }])).toMatchObject({ insufficientData: true, reason: /latest batch \(b\) has no annotated rows/ });
  });

  it('throws on impossible counts or mixed batch kinds', () => {
    expect(() => latestBatchWorse([{ start: 'a', n: 10, errors: 11 }])).toThrow(/11 errors/);
    expect(() => latestBatchWorse([{ start: 'a', n: 10, errors: 1 }, { start: 'b', costs: [1] }])).toThrow(/mix/);
  });
});
