import { logLoss } from '../log-loss.js';
import { rocAuc } from './roc-auc.js';
import { wilsonInterval, type Estimate } from './wilson-interval.js';

/** Counts of the four outcomes of a binary classifier (positive = class 1). */
export interface BinaryConfusion {
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  trueNegatives: number;
}

export interface ClassificationMetrics {
  rows: number;
  confusion: BinaryConfusion;
  /** Wilson intervals; `null` when the denominator is 0 (no predicted positives, or no actual positives). */
  accuracy: Estimate;
  precision: Estimate | null;
  recall: Estimate | null;
  /** Harmonic mean of precision and recall; `null` when either is undefined or both are 0. */
  f1: number | null;
  /** Present when scores are given and both classes occur. */
  rocAuc: number | null;
  logLoss: number | null;
}

/** Counts the outcomes of binary `predictions` against `labels`, both arrays of 0/1. */
export function binaryConfusion(labels: ArrayLike<number>, predictions: ArrayLike<number>): BinaryConfusion {
  const n = labels.length;
  if (n === 0) throw new RangeError('binaryConfusion: labels is empty');
  if (predictions.length !== n) throw new RangeError(`binaryConfusion: labels has ${n} rows but predictions has ${predictions.length}`);
  const confusion = { truePositives: 0, falsePositives: 0, falseNegatives: 0, trueNegatives: 0 };
  for (let i = 0; i < n; i++) {
    const y = labels[i];
    const p = predictions[i];
    if (y !== 0 && y !== 1) throw new RangeError(`binaryConfusion: labels[${i}] is ${y}, expected 0 or 1`);
    if (p !== 0 && p !== 1) throw new RangeError(`binaryConfusion: predictions[${i}] is ${p}, expected 0 or 1`);
    if (y === 1) {
      if (p === 1) confusion.truePositives++;
      else confusion.falseNegatives++;
    } else if (p === 1) confusion.falsePositives++;
    else confusion.trueNegatives++;
  }
  return confusion;
}

/**
 * Accuracy, precision and recall with Wilson intervals, F1, and (given scores) ROC AUC and log loss of a
 * binary classifier. Predictions are `scores >= threshold` when `predictions` is not given.
 *
 * @example classificationMetrics({ labels, scores, threshold: 0.5 })
 */
export function classificationMetrics(input: {
  labels: ArrayLike<number>;
  predictions?: ArrayLike<number>;
  scores?: ArrayLike<number>;
  threshold?: number;
  confidence?: number;
}): ClassificationMetrics {
  const { labels, scores, threshold = 0.5, confidence = 0.95 } = input;
  let predictions = input.predictions;
  if (predictions === undefined) {
    if (scores === undefined) throw new RangeError('classificationMetrics: give predictions or scores');
    if (scores.length !== labels.length) throw new RangeError(`classificationMetrics: labels has ${labels.length} rows but scores has ${scores.length}`);
    predictions = Array.from(scores, (s) => (s >= threshold ? 1 : 0));
  }
  const confusion = binaryConfusion(labels, predictions);
  const { truePositives: tp, falsePositives: fp, falseNegatives: fn, trueNegatives: tn } = confusion;
  const rows = tp + fp + fn + tn;
  const precision = tp + fp > 0 ? wilsonInterval(tp, tp + fp, confidence) : null;
  const recall = tp + fn > 0 ? wilsonInterval(tp, tp + fn, confidence) : null;
  // F1 = 2TP / (2TP + FP + FN) (van Rijsbergen 1979), undefined when there is nothing to find nor flag.
  const f1 = precision !== null && recall !== null && 2 * tp + fp + fn > 0 ? (2 * tp) / (2 * tp + fp + fn) : null;
  const bothClasses = tp + fn > 0 && fp + tn > 0;
  return {
    rows,
    confusion,
    accuracy: wilsonInterval(tp + tn, rows, confidence),
    precision,
    recall,
    f1,
    rocAuc: scores !== undefined && bothClasses ? rocAuc(labels, scores) : null,
    logLoss: scores !== undefined ? logLoss(labels, scores) : null,
  };
}
