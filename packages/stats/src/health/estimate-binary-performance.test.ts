import { describe, expect, it } from 'vitest';
import { binaryBusinessCost, type BinaryCostMatrix } from './binary-business-cost.js';
import { binaryConfusion } from './classification-metrics.js';
import { compareEstimate } from './compare-estimate.js';
import { estimateBinaryPerformance } from './estimate-binary-performance.js';
import { calibrateScores, fitIsotonicCalibration } from './fit-isotonic-calibration.js';
import { mulberry32 } from '../mulberry32.js';
import { cbpeGolden } from '../../golden/health/cbpe-golden.js';

const fraud: BinaryCostMatrix = { falseNegativeUsd: 10, falsePositiveUsd: 1, truePositiveValueUsd: 0, trueNegativeValueUsd: 0 };

/** A population where `truth(u)` is P(y = 1) and the model reports `score(u)`; u uniform. */
function population(seed: number, rows: number, score: (q: number) => number): { scores: number[]; labels: number[] } {
  const random = mulberry32(seed);
  const scores: number[] = [];
  const labels: number[] = [];
  for (let i = 0; i < rows; i++) {
    const q = random();
    scores.push(score(q));
    labels.push(random() < q ? 1 : 0);
  }
  return { scores, labels };
}

/** Share of seeded chunks whose realised cost per 1k lands inside the estimate's band. */
function costCoverage(probabilityOf: (scores: number[]) => ArrayLike<number>, score: (q: number) => number, chunks = 200, rows = 500): number {
  let inside = 0;
  for (let c = 0; c < chunks; c++) {
    const { scores, labels } = population(1000 + c, rows, score);
    const predictions = scores.map((s) => (s >= 0.5 ? 1 : 0));
    const estimate = estimateBinaryPerformance({ probabilities: probabilityOf(scores), predictions, matrix: fraud });
    const realised = binaryBusinessCost({ labels, predictions }, fraud);
    if (compareEstimate(estimate, { confusion: binaryConfusion(labels, predictions), totalCostUsd: realised.totalUsd }).costWithinBand) inside++;
  }
  return inside / chunks;
}

describe('estimateBinaryPerformance (CBPE)', () => {
  it('sums expected outcomes: p = 0.9 and 0.2 predicted positive, 0.3 and 0.05 predicted negative', () => {
    const estimate = estimateBinaryPerformance({ probabilities: [0.9, 0.2, 0.3, 0.05], predictions: [1, 1, 0, 0], matrix: { ...fraud, trueNegativeValueUsd: 0.5 } });
    expect(estimate.confusion.truePositives).toBeCloseTo(1.1, 15);
    expect(estimate.confusion.falsePositives).toBeCloseTo(0.9, 15);
    expect(estimate.confusion.falseNegatives).toBeCloseTo(0.35, 15);
    expect(estimate.confusion.trueNegatives).toBeCloseTo(1.65, 15);
    // 0.9·1 + 0.35·10 − 1.65·0.5 = 3.575 USD over 4 rows
    expect(estimate.totalCostUsd.value).toBeCloseTo(3.575, 12);
    expect(estimate.per1kPredictionsUsd.value).toBeCloseTo(893.75, 9);
    // Var = 0.09 + 0.16 (ŷ=1, Δ = 1) + 0.21·10.5² + 0.0475·10.5² (ŷ=0, Δ = 10 + 0.5)
    expect(estimate.totalCostUsd.standardError).toBeCloseTo(Math.sqrt(0.25 + 0.2575 * 110.25), 12);
    expect(estimate.accuracy.value).toBeCloseTo(2.75 / 4, 15);
  });

  it('matches the numpy computation on probabilities calibrated by sklearn', () => {
    const g = cbpeGolden.cbpe;
    const calibration = fitIsotonicCalibration({ scores: g.referenceScores, labels: g.referenceLabels });
    const probabilities = calibrateScores(calibration, g.scores);
    probabilities.forEach((p, i) => expect(p).toBeCloseTo(g.probabilities[i]!, 12));
    const estimate = estimateBinaryPerformance({ probabilities, predictions: g.scores.map((s) => (s >= g.threshold ? 1 : 0)), matrix: g.matrix });
    expect(estimate.confusion.truePositives).toBeCloseTo(g.confusion.truePositives, 10);
    expect(estimate.confusion.trueNegatives).toBeCloseTo(g.confusion.trueNegatives, 10);
    expect(estimate.accuracy.value).toBeCloseTo(g.accuracy, 12);
    expect(estimate.accuracy.standardError).toBeCloseTo(g.accuracySe, 12);
    expect(estimate.precision!.value).toBeCloseTo(g.precision, 12);
    expect(estimate.precision!.standardError).toBeCloseTo(g.precisionSe, 12);
    expect(estimate.recall!.value).toBeCloseTo(g.recall, 12);
    expect(estimate.recall!.standardError).toBeCloseTo(g.recallSe, 7);
    expect(estimate.f1!.value).toBeCloseTo(g.f1, 12);
    expect(estimate.f1!.standardError).toBeCloseTo(g.f1Se, 7);
    expect(estimate.totalCostUsd.value).toBeCloseTo(g.totalCostUsd, 9);
    expect(estimate.totalCostUsd.standardError).toBeCloseTo(g.totalCostSe, 9);
    expect(estimate.totalCostUsd.upper - estimate.totalCostUsd.value).toBeCloseTo(g.z95 * g.totalCostSe, 9);
  });

  it('lands within the band of the realised cost in ≥ 90 % of seeded chunks of a calibrated model', () => {
    const reference = population(7, 20_000, (q) => q);
    const calibration = fitIsotonicCalibration(reference);
    const coverage = costCoverage((scores) => calibrateScores(calibration, scores), (q) => q);
    expect(coverage).toBeGreaterThanOrEqual(0.9);
  });

  it('misses on an overconfident model until calibration on a labelled reference fixes it', () => {
    // The model reports √q for a true probability q: every score is too high.
    const overconfident = (q: number) => Math.sqrt(q);
    const raw = costCoverage((scores) => scores, overconfident);
    expect(raw).toBeLessThan(0.5);
    const calibration = fitIsotonicCalibration(population(8, 20_000, overconfident));
    const calibrated = costCoverage((scores) => calibrateScores(calibration, scores), overconfident);
    expect(calibrated).toBeGreaterThanOrEqual(0.9);
  });

  it('counts aggregated rows through counts as if they were repeated', () => {
    const matrix = { ...fraud, indirectUsd: { falsePositive: 2 } };
    const rows = estimateBinaryPerformance({ probabilities: [0.2, 0.2, 0.2, 0.7, 0.7], predictions: [0, 0, 0, 1, 1], matrix });
    const bins = estimateBinaryPerformance({ probabilities: [0.2, 0.7], predictions: [0, 1], counts: [3, 2], matrix });
    expect(bins.rows).toBe(5);
    expect(bins.per1kPredictionsUsd.value).toBeCloseTo(rows.per1kPredictionsUsd.value, 12);
    expect(bins.per1kPredictionsUsd.standardError).toBeCloseTo(rows.per1kPredictionsUsd.standardError, 12);
    expect(bins.f1!.standardError).toBeCloseTo(rows.f1!.standardError, 12);
  });

  it('has no precision without predicted positives and a zero-width band when every p is 0 or 1', () => {
    const estimate = estimateBinaryPerformance({ probabilities: [0, 1], predictions: [0, 0], matrix: fraud });
    expect(estimate.precision).toBeNull();
    expect(estimate.totalCostUsd).toMatchObject({ value: 10, lower: 10, upper: 10, standardError: 0 });
    const check = compareEstimate(estimate, { confusion: { truePositives: 0, falsePositives: 0, falseNegatives: 1, trueNegatives: 1 }, totalCostUsd: 10 });
    expect(check.costWithinBand).toBe(true);
    expect(check.metrics.precision).toBeNull();
  });

  it('throws on an uncalibrated value, a missing outcome cost or no rows', () => {
    expect(() => estimateBinaryPerformance({ probabilities: [1.2], predictions: [1], matrix: fraud })).toThrow(/probabilities\[0\] is 1.2/);
    expect(() => estimateBinaryPerformance({ probabilities: [0.5], predictions: [1], matrix: { ...fraud, falsePositiveUsd: undefined as unknown as number } })).toThrow(/falsePositiveUsd is missing/);
    expect(() => estimateBinaryPerformance({ probabilities: [], predictions: [], matrix: fraud })).toThrow(/no rows/);
  });
});

describe('compareEstimate', () => {
  it('reports the error, the error in standard errors and whether the realised value is in the band', () => {
    const estimate = estimateBinaryPerformance({ probabilities: [0.5, 0.5, 0.5, 0.5], predictions: [1, 1, 0, 0], matrix: fraud });
    // Realised: both predicted positives were positive (TP 2), both negatives negative (TN 2): cost 0.
    const check = compareEstimate(estimate, { confusion: { truePositives: 2, falsePositives: 0, falseNegatives: 0, trueNegatives: 2 }, totalCostUsd: 0 });
    expect(check.metrics.accuracy).toMatchObject({ estimated: 0.5, realised: 1, error: 0.5 });
    expect(check.metrics.accuracy!.standardizedError).toBeCloseTo(0.5 / 0.25, 12);
    expect(check.metrics.per1kPredictionsUsd!.estimated).toBeCloseTo(2750, 9);
    expect(check.metrics.per1kPredictionsUsd!.realised).toBe(0);
    expect(check.costWithinBand).toBe(estimate.per1kPredictionsUsd.lower <= 0);
    expect(() => compareEstimate(estimate, { confusion: { truePositives: 1, falsePositives: 0, falseNegatives: 0, trueNegatives: 0 }, totalCostUsd: 0 })).toThrow(/same rows/);
  });
});
