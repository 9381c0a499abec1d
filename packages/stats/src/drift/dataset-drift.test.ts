import { describe, expect, it } from 'vitest';
import { correctPValues } from './correct-p-values.js';
import { datasetDrift } from './dataset-drift.js';
import type { ColumnDrift } from './detect-column-drift.js';

const test = (p: number): ColumnDrift => ({ method: 'ks', score: 0.2, p_value: p, threshold: 0.05, drift: p < 0.05 });
const distance = (score: number): ColumnDrift => ({ method: 'psi', score, p_value: null, threshold: 0.1, drift: score >= 0.1 });

describe('correctPValues', () => {
  it('multiplies by the number of tests for Bonferroni, capped at 1', () => {
    expect(correctPValues([0.01, 0.04, 0.5], 'bonferroni')).toEqual([0.03, 0.12, 1]);
  });

  it('takes running minima of m·p/rank for Benjamini–Hochberg', () => {
    // By hand: sorted 0.01, 0.03, 0.04, 0.2 → 4p/rank = 0.04, 0.06, 0.0533…, 0.2 → minima from the top.
    const adjusted = correctPValues([0.01, 0.04, 0.03, 0.2], 'benjamini-hochberg');
    [0.04, 0.16 / 3, 0.16 / 3, 0.2].forEach((expected, i) => expect(adjusted[i]).toBeCloseTo(expected, 15));
  });

  it('throws on a p-value outside [0, 1]', () => {
    expect(() => correctPValues([0.1, Number.NaN], 'bonferroni')).toThrow(/pValues\[1\] is NaN/);
  });
});

describe('datasetDrift', () => {
  it('drifts when at least half of the columns drift', () => {
    expect(datasetDrift([test(0.01), distance(0.3), test(0.2), distance(0.01)]).dataset_drift).toBe(true);
    expect(datasetDrift([test(0.01), test(0.2), distance(0.01)]).dataset_drift).toBe(false);
    expect(datasetDrift([test(0.01), test(0.2), distance(0.01)], 1 / 3)).toMatchObject({ drifted_columns: 1, dataset_drift: true });
  });

  it('corrects only the p-value methods and re-decides their drift', () => {
    const result = datasetDrift([test(0.02), test(0.03), distance(0.3)], 0.5, 'bonferroni');
    expect(result.columns.map((c) => c.p_value)).toEqual([0.04, 0.06, null]);
    expect(result.columns.map((c) => c.drift)).toEqual([true, false, true]);
    expect(result.drifted_columns).toBe(2);
  });

  it('throws on no columns', () => {
    expect(() => datasetDrift([])).toThrow(/no columns/);
  });
});
