import type { BinaryConfusion } from './classification-metrics.js';
import type { BinaryPerformanceEstimate, EstimateWithError } from './estimate-binary-performance.js';

export type EstimatedMetric = 'accuracy' | 'precision' | 'recall' | 'f1' | 'per1kPredictionsUsd';

export interface MetricComparison {
  estimated: number;
  lower: number;
  upper: number;
  realised: number;
  /** realised − estimated. */
  error: number;
  /** error / standard error of the estimate; `null` when the standard error is 0. */
  standardizedError: number | null;
  withinBand: boolean;
}

export interface EstimateComparison {
  rows: number;
  /** `null` for a metric undefined on either side (e.g. precision with no predicted positive). */
  metrics: Record<EstimatedMetric, MetricComparison | null>;
  /** The business cost per 1,000 predictions landed inside its band. */
  costWithinBand: boolean;
}

/**
 * Compares a CBPE estimate with what the labels realised once they arrived, on the same rows: per metric the
 * error, the error in standard errors, and whether the realised value fell inside the band. Realised values
 * come from the confusion counts and the total cost of those rows (`binaryBusinessCost(…).totalUsd`).
 *
 * @example compareEstimate(estimate, { confusion: binaryConfusion(labels, predictions), totalCostUsd: cost.totalUsd })
 */
export function compareEstimate(estimated: BinaryPerformanceEstimate, realised: { confusion: BinaryConfusion; totalCostUsd: number }): EstimateComparison {
  const { truePositives: tp, falsePositives: fp, falseNegatives: fn, trueNegatives: tn } = realised.confusion;
  const rows = tp + fp + fn + tn;
  if (Math.abs(rows - estimated.rows) > 1e-9 * Math.max(1, rows)) {
    throw new RangeError(`compareEstimate: the estimate covers ${estimated.rows} rows but the realised confusion has ${rows}; compare the same rows`);
  }
  if (!Number.isFinite(realised.totalCostUsd)) throw new RangeError(`compareEstimate: totalCostUsd is ${realised.totalCostUsd}, expected a finite number`);
  const values: Record<EstimatedMetric, number | null> = {
    accuracy: (tp + tn) / rows,
    precision: tp + fp > 0 ? tp / (tp + fp) : null,
    recall: tp + fn > 0 ? tp / (tp + fn) : null,
    f1: 2 * tp + fp + fn > 0 ? (2 * tp) / (2 * tp + fp + fn) : null,
    per1kPredictionsUsd: (1000 * realised.totalCostUsd) / rows,
  };
  const compare = (estimate: EstimateWithError | null, value: number | null): MetricComparison | null => {
    if (estimate === null || value === null) return null;
    const error = value - estimate.value;
    // A band of width 0 (every p is 0 or 1) must still contain its own value despite rounding.
    const tolerance = 1e-9 * Math.max(1, Math.abs(value));
    return {
      estimated: estimate.value,
      lower: estimate.lower,
      upper: estimate.upper,
      realised: value,
      error,
      standardizedError: estimate.standardError > 0 ? error / estimate.standardError : null,
      withinBand: value >= estimate.lower - tolerance && value <= estimate.upper + tolerance,
    };
  };
  const metrics: Record<EstimatedMetric, MetricComparison | null> = {
    accuracy: compare(estimated.accuracy, values.accuracy),
    precision: compare(estimated.precision, values.precision),
    recall: compare(estimated.recall, values.recall),
    f1: compare(estimated.f1, values.f1),
    per1kPredictionsUsd: compare(estimated.per1kPredictionsUsd, values.per1kPredictionsUsd),
  };
  return { rows, metrics, costWithinBand: metrics.per1kPredictionsUsd!.withinBand };
}
