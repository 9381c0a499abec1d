import { requireFinite } from './business-cost.js';
import type { BinaryCostMatrix, BinaryOutcome } from './binary-business-cost.js';
import type { BinaryConfusion } from './classification-metrics.js';
import { normalQuantile } from './normal-quantile.js';
import type { Estimate } from './wilson-interval.js';

/** An estimate with its band and the standard error the band was built from. */
export interface EstimateWithError extends Estimate {
  standardError: number;
}

/** Confidence-based performance estimate of a binary classifier on rows without labels. */
export interface BinaryPerformanceEstimate {
  method: 'cbpe';
  /** How the band was built: the Poisson-binomial spread of what the labels can realise (see below). */
  band: 'poisson-binomial';
  confidence: number;
  rows: number;
  /** Expected counts (fractional): Σ p over predicted positives, etc. */
  confusion: BinaryConfusion;
  accuracy: EstimateWithError;
  /** `null` when no row is predicted positive. */
  precision: EstimateWithError | null;
  /** `null` when no positive is expected (every p is 0). */
  recall: EstimateWithError | null;
  f1: EstimateWithError | null;
  totalCostUsd: EstimateWithError;
  perPredictionUsd: EstimateWithError;
  per1kPredictionsUsd: EstimateWithError;
}

/**
 * Confidence-based performance estimation (CBPE, as NannyML defines it) for a chunk of predictions whose
 * labels have not arrived. With calibrated probabilities pᵢ = P(yᵢ = 1) and predicted classes ŷᵢ:
 * E[TP] = Σ pᵢ[ŷᵢ=1], E[FP] = Σ (1−pᵢ)[ŷᵢ=1], E[FN] = Σ pᵢ[ŷᵢ=0], E[TN] = Σ (1−pᵢ)[ŷᵢ=0]; accuracy,
 * precision, recall, F1 and the business cost (cost matrix as in `binaryBusinessCost`) follow from them.
 *
 * The band: given calibrated pᵢ each yᵢ is an independent Bernoulli(pᵢ), so the realised counts are
 * Poisson-binomial. The realised total cost has variance Σ pᵢ(1−pᵢ)(cᵢ⁺ − cᵢ⁻)², where cᵢ⁺, cᵢ⁻ are the
 * row's cost if yᵢ = 1 or 0; accuracy Σ pᵢ(1−pᵢ)/n²; precision Var(TP)/n̂₊²; recall and F1 by the delta
 * method on TP and FN (independent sums). band = value ± z·SE, rates clipped to [0, 1]. This is chosen
 * over NannyML's reference-chunk sampling error because it needs no chunking of the reference, is exact
 * for the chunk's own scores (a chunk of confident scores gets a narrower band), and holds for any chunk
 * size. It does not include the error of the calibration itself (small once the reference has thousands of
 * labelled rows), nor concept drift (P(y | score) changing), which CBPE assumes away.
 *
 * `counts` (optional) lets one entry stand for several rows sharing a probability and prediction
 * (aggregated bins).
 *
 * @example estimateBinaryPerformance({ probabilities: calibrateScores(calibration, scores), predictions, matrix })
 */
export function estimateBinaryPerformance(input: {
  probabilities: ArrayLike<number>;
  predictions: ArrayLike<number>;
  matrix: BinaryCostMatrix;
  counts?: ArrayLike<number>;
  amounts?: ArrayLike<number>;
  confidence?: number;
}): BinaryPerformanceEstimate {
  const where = 'estimateBinaryPerformance';
  const { probabilities, predictions, matrix, counts, amounts, confidence = 0.95 } = input;
  const m = probabilities.length;
  if (predictions.length !== m) throw new RangeError(`${where}: probabilities has ${m} rows but predictions has ${predictions.length}`);
  if (counts !== undefined && counts.length !== m) throw new RangeError(`${where}: probabilities has ${m} rows but counts has ${counts.length}`);
  if (amounts !== undefined && amounts.length !== m) throw new RangeError(`${where}: probabilities has ${m} rows but amounts has ${amounts.length}`);
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`${where}: confidence must be in (0, 1), got ${confidence}`);
  const unit = unitCosts(where, matrix);
  const share = matrix.falseNegativeShareOfAmount ?? 0;
  requireFinite(where, 'falseNegativeShareOfAmount', share);
  if (share !== 0 && amounts === undefined) throw new RangeError(`${where}: falseNegativeShareOfAmount is ${share} but no amounts were given`);

  let rows = 0;
  let predictedPositives = 0;
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  let varTp = 0; // Var(TP) = Σ p(1−p) over ŷ = 1; also Var(FP)
  let varFn = 0; // Var(FN) over ŷ = 0
  let cost = 0;
  let varCost = 0;
  for (let i = 0; i < m; i++) {
    const p = probabilities[i]!;
    const yHat = predictions[i];
    const c = counts === undefined ? 1 : counts[i]!;
    if (!(p >= 0 && p <= 1)) throw new RangeError(`${where}: probabilities[${i}] is ${p}, expected a calibrated probability in [0, 1]`);
    if (yHat !== 0 && yHat !== 1) throw new RangeError(`${where}: predictions[${i}] is ${yHat}, expected 0 or 1`);
    if (!(c >= 0 && Number.isFinite(c))) throw new RangeError(`${where}: counts[${i}] is ${c}, expected a finite number ≥ 0`);
    const variance = c * p * (1 - p);
    rows += c;
    let ifPositive: number;
    let ifNegative: number;
    if (yHat === 1) {
      predictedPositives += c;
      tp += c * p;
      fp += c * (1 - p);
      varTp += variance;
      ifPositive = unit.truePositive;
      ifNegative = unit.falsePositive;
    } else {
      fn += c * p;
      tn += c * (1 - p);
      varFn += variance;
      ifPositive = unit.falseNegative;
      if (share !== 0) {
        const amount = amounts![i]!;
        if (!Number.isFinite(amount)) throw new RangeError(`${where}: amounts[${i}] is ${amount}, expected a finite number`);
        ifPositive += share * amount;
      }
      ifNegative = unit.trueNegative;
    }
    cost += c * (p * ifPositive + (1 - p) * ifNegative);
    varCost += variance * (ifPositive - ifNegative) ** 2;
  }
  if (!(rows > 0)) throw new RangeError(`${where}: no rows to estimate`);
  const z = normalQuantile(1 - (1 - confidence) / 2);
  const band = (value: number, variance: number, rate: boolean): EstimateWithError => {
    const standardError = Math.sqrt(Math.max(0, variance));
    const lower = value - z * standardError;
    const upper = value + z * standardError;
    return rate ? { value, lower: Math.max(0, lower), upper: Math.min(1, upper), standardError } : { value, lower, upper, standardError };
  };

  const accuracy = band((tp + tn) / rows, (varTp + varFn) / (rows * rows), true);
  const precision = predictedPositives > 0 ? band(tp / predictedPositives, varTp / predictedPositives ** 2, true) : null;
  // Recall R = TP/(TP+FN): ∂R/∂TP = FN/(TP+FN)², ∂R/∂FN = −TP/(TP+FN)².
  const actual = tp + fn;
  const recall = actual > 0 ? band(tp / actual, (fn * fn * varTp + tp * tp * varFn) / actual ** 4, true) : null;
  // F1 = 2TP/(n̂₊ + TP + FN): ∂F/∂TP = 2(n̂₊ + FN)/D², ∂F/∂FN = −2TP/D².
  const d = predictedPositives + actual;
  const f1 = d > 0 ? band((2 * tp) / d, ((2 * (predictedPositives + fn)) ** 2 * varTp + (2 * tp) ** 2 * varFn) / d ** 4, true) : null;
  const totalCostUsd = band(cost, varCost, false);
  const scale = (k: number): EstimateWithError => ({
    value: k * totalCostUsd.value,
    lower: k * totalCostUsd.lower,
    upper: k * totalCostUsd.upper,
    standardError: k * totalCostUsd.standardError,
  });
  return {
    method: 'cbpe',
    band: 'poisson-binomial',
    confidence,
    rows,
    confusion: { truePositives: tp, falsePositives: fp, falseNegatives: fn, trueNegatives: tn },
    accuracy,
    precision,
    recall,
    f1,
    totalCostUsd,
    perPredictionUsd: scale(1 / rows),
    per1kPredictionsUsd: scale(1000 / rows),
  };
}

/** USD per row of each outcome, direct plus indirect, values as negative costs (as `binaryBusinessCost`). */
export function unitCosts(where: string, matrix: BinaryCostMatrix): Record<BinaryOutcome, number> {
  const unit: Record<BinaryOutcome, number> = {
    truePositive: 0 - requireFinite(where, 'truePositiveValueUsd', matrix.truePositiveValueUsd),
    falsePositive: requireFinite(where, 'falsePositiveUsd', matrix.falsePositiveUsd),
    falseNegative: requireFinite(where, 'falseNegativeUsd', matrix.falseNegativeUsd),
    trueNegative: 0 - requireFinite(where, 'trueNegativeValueUsd', matrix.trueNegativeValueUsd),
  };
  for (const outcome of Object.keys(unit) as BinaryOutcome[]) {
    const indirect = matrix.indirectUsd?.[outcome];
    if (indirect !== undefined) unit[outcome] += requireFinite(where, `indirectUsd.${outcome}`, indirect);
  }
  return unit;
}
