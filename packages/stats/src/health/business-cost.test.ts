import { describe, expect, it } from 'vitest';
import { binaryBusinessCost, type BinaryCostMatrix } from './binary-business-cost.js';
import { bootstrapInterval } from './bootstrap-interval.js';
import { multiclassBusinessCost } from './multiclass-business-cost.js';
import { regressionBusinessCost } from './regression-business-cost.js';
import { rocAuc } from './roc-auc.js';
import { mulberry32Normal, mulberry32 } from '../mulberry32.js';
import { golden } from '../../golden/health/golden.js';

const fraud: BinaryCostMatrix = {
  falseNegativeUsd: 500,
  falsePositiveUsd: 50,
  truePositiveValueUsd: 20,
  trueNegativeValueUsd: 0,
  indirectUsd: { falsePositive: 5 },
};

describe('binaryBusinessCost', () => {
  it('prices a confusion matrix: 10·500 + 25·(50+5) − 40·20 = 5,575 USD over 1,000 predictions', () => {
    const cost = binaryBusinessCost({ confusion: { truePositives: 40, falsePositives: 25, falseNegatives: 10, trueNegatives: 925 } }, fraud);
    expect(cost.totalUsd).toBe(5575);
    expect(cost.perPredictionUsd).toBe(5.575);
    expect(cost.per1kPredictionsUsd).toBe(5575);
    expect(cost.byOutcome.falsePositive).toEqual({ count: 25, costUsd: 1375 });
    expect(cost.byOutcome.truePositive.costUsd).toBe(-800);
  });

  it('adds the share of the amount lost on each false negative, row by row', () => {
    // rows: TP, FN (amount 1,000), FN (amount 40), FP, TN
    const cost = binaryBusinessCost(
      { labels: [1, 1, 1, 0, 0], predictions: [1, 0, 0, 1, 0], amounts: [300, 1000, 40, 75, 10] },
      { ...fraud, falseNegativeShareOfAmount: 1 },
    );
    // −20 + (500 + 1000) + (500 + 40) + 55 + 0
    expect(Array.from(cost.rowCostsUsd!)).toEqual([-20, 1500, 540, 55, 0]);
    expect(cost.totalUsd).toBe(2075);
    expect(cost.per1kPredictionsUsd).toBe(415000);
  });

  it('agrees between rows and their confusion matrix', () => {
    const random = mulberry32(3);
    const labels = Array.from({ length: 500 }, () => (random() < 0.1 ? 1 : 0));
    const predictions = labels.map((y) => (random() < 0.8 ? y : 1 - y));
    const fromRows = binaryBusinessCost({ labels, predictions }, fraud);
    const confusion = {
      truePositives: fromRows.byOutcome.truePositive.count,
      falsePositives: fromRows.byOutcome.falsePositive.count,
      falseNegatives: fromRows.byOutcome.falseNegative.count,
      trueNegatives: fromRows.byOutcome.trueNegative.count,
    };
    expect(binaryBusinessCost({ confusion }, fraud).totalUsd).toBeCloseTo(fromRows.totalUsd, 9);
  });

  it('names a missing outcome of the cost matrix instead of treating it as free', () => {
    const { falsePositiveUsd: _, ...missing } = fraud;
    expect(() => binaryBusinessCost({ confusion: { truePositives: 1, falsePositives: 1, falseNegatives: 1, trueNegatives: 1 } }, missing as BinaryCostMatrix)).toThrow(
      /falsePositiveUsd is missing/,
    );
    expect(() => binaryBusinessCost({ labels: [1], predictions: [0] }, { ...fraud, falseNegativeShareOfAmount: 1 })).toThrow(/no amounts/);
    expect(() => binaryBusinessCost({ labels: [], predictions: [] }, fraud)).toThrow(/at least one prediction/);
  });
});

describe('multiclassBusinessCost', () => {
  const matrix = {
    classes: ['cat', 'dog', 'fox'],
    costUsd: [
      [0, 1, 10],
      [2, 0, 10],
      [30, 30, -1],
    ],
  };

  it('sums C[actual][predicted] over rows', () => {
    const cost = multiclassBusinessCost(['cat', 'dog', 'fox', 'fox', 'cat'], ['dog', 'dog', 'cat', 'fox', 'fox'], matrix);
    expect(cost.totalUsd).toBe(1 + 0 + 30 - 1 + 10);
    expect(cost.per1kPredictionsUsd).toBe(8000);
  });

  it('throws on a class the matrix does not price, or a ragged matrix', () => {
    expect(() => multiclassBusinessCost(['cow'], ['cat'], matrix)).toThrow(/actual\[0\] is cow/);
    expect(() => multiclassBusinessCost(['cat'], ['cat'], { classes: ['cat', 'dog'], costUsd: [[0, 1], [1]] })).toThrow(/row dog has 1 entries/);
  });
});

describe('regressionBusinessCost', () => {
  it('charges under- and over-prediction at their own rates', () => {
    // under by 10 at 3 USD, over by 4 at 1 USD, exact
    const cost = regressionBusinessCost([100, 50, 7], [90, 54, 7], { underPredictionUsdPerUnit: 3, overPredictionUsdPerUnit: 1 });
    expect(Array.from(cost.rowCostsUsd!)).toEqual([30, 4, 0]);
    expect(cost.totalUsd).toBe(34);
  });
});

describe('mulberry32', () => {
  it('reproduces mulberry32 as transcribed in the golden script', () => {
    const random = mulberry32(golden.mulberry32.seed);
    for (const expected of golden.mulberry32.values) expect(random()).toBe(expected);
  });

  it('gives standard normal draws (mean ≈ 0, variance ≈ 1 over 100,000)', () => {
    const normal = mulberry32Normal(11);
    let sum = 0;
    let squares = 0;
    for (let i = 0; i < 100_000; i++) {
      const z = normal();
      sum += z;
      squares += z * z;
    }
    expect(Math.abs(sum / 100_000)).toBeLessThan(0.01); // 3 standard errors is 0.0095
    expect(Math.abs(squares / 100_000 - 1)).toBeLessThan(0.014);
  });
});

describe('bootstrapInterval', () => {
  const normal = mulberry32Normal(5);
  const costs = Float64Array.from({ length: 2000 }, () => 5 + 2 * normal());
  const meanOf = (idx: Uint32Array): number => {
    let s = 0;
    for (const i of idx) s += costs[i]!;
    return s / idx.length;
  };

  it('agrees with the normal-theory interval of a mean on a large sample (within 8% of its half-width)', () => {
    const mean = meanOf(Uint32Array.from(costs.keys()));
    let ss = 0;
    for (const c of costs) ss += (c - mean) ** 2;
    const halfWidth = (1.959963984540054 * Math.sqrt(ss / (costs.length - 1))) / Math.sqrt(costs.length);
    const interval = bootstrapInterval(costs.length, meanOf, { resamples: 4000, seed: 9 });
    expect(interval.value).toBe(mean);
    expect(Math.abs(interval.lower - (mean - halfWidth))).toBeLessThan(0.08 * halfWidth);
    expect(Math.abs(interval.upper - (mean + halfWidth))).toBeLessThan(0.08 * halfWidth);
  });

  it('is reproducible from its seed', () => {
    expect(bootstrapInterval(costs.length, meanOf, { resamples: 200, seed: 4 })).toEqual(bootstrapInterval(costs.length, meanOf, { resamples: 200, seed: 4 }));
  });

  it('puts an interval around business cost per 1,000 predictions and around ROC AUC', () => {
    const random = mulberry32(8);
    const labels = Array.from({ length: 400 }, () => (random() < 0.2 ? 1 : 0));
    const scores = labels.map((y) => Math.min(1, Math.max(0, 0.35 + 0.25 * y + 0.6 * (random() - 0.5))));
    const predictions = scores.map((s) => (s >= 0.5 ? 1 : 0));
    const rowCosts = binaryBusinessCost({ labels, predictions }, fraud).rowCostsUsd!;
    const per1k = bootstrapInterval(rowCosts.length, (idx) => (1000 * idx.reduce((s, i) => s + rowCosts[i]!, 0)) / idx.length, { seed: 2 });
    expect(per1k.lower).toBeLessThan(per1k.value);
    expect(per1k.upper).toBeGreaterThan(per1k.value);
    const auc = bootstrapInterval(labels.length, (idx) => rocAuc(Array.from(idx, (i) => labels[i]!), Array.from(idx, (i) => scores[i]!)), { resamples: 500, seed: 2 });
    expect(auc.lower).toBeLessThan(auc.value);
    expect(auc.upper).toBeLessThanOrEqual(1);
  });

  it('skips degenerate resamples, and throws when most are', () => {
    // A statistic defined only when ≥ 70% of rows are distinct: about 63% are in a resample of 100.
    const mostlyUndefined = (idx: Uint32Array): number => (new Set(idx).size >= 70 ? 1 : Number.NaN);
    expect(() => bootstrapInterval(100, mostlyUndefined, { seed: 1 })).toThrow(/resamples gave a finite/);
    // One positive in 8 rows: a third of resamples have none, where AUC throws; the rest give an interval.
    const labels = [1, 0, 0, 0, 0, 0, 0, 0];
    const auc = bootstrapInterval(8, (idx) => rocAuc(Array.from(idx, (i) => labels[i]!), Array.from(idx, (i) => i / 8)), { seed: 1 });
    expect(auc.value).toBe(0);
  });
});
