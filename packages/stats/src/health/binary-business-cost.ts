import { businessCost, requireFinite, type BusinessCost } from './business-cost.js';
import type { BinaryConfusion } from './classification-metrics.js';

/**
 * Business cost of each outcome of a binary classifier, in USD per prediction. Values created are given as
 * positive numbers and subtracted. Every field is required (0 where an outcome is free) so that a missing
 * outcome in a config is an error, not a silent zero.
 */
export interface BinaryCostMatrix {
  falseNegativeUsd: number;
  falsePositiveUsd: number;
  truePositiveValueUsd: number;
  trueNegativeValueUsd: number;
  /**
   * Share of the row's amount lost on a false negative (1 = a missed fraud costs the whole transaction),
   * added to `falseNegativeUsd`. Needs `amounts`; 0 by default.
   */
  falseNegativeShareOfAmount?: number;
  /** Indirect costs per outcome (resolution, churn impact), added to the direct ones. */
  indirectUsd?: Partial<Record<BinaryOutcome, number>>;
}

export type BinaryOutcome = 'truePositive' | 'falsePositive' | 'falseNegative' | 'trueNegative';

export interface BinaryBusinessCost extends BusinessCost {
  byOutcome: Record<BinaryOutcome, { count: number; costUsd: number }>;
}

const OUTCOMES: BinaryOutcome[] = ['truePositive', 'falsePositive', 'falseNegative', 'trueNegative'];

/**
 * Business cost of a binary classifier: cost(FN)·FN + cost(FP)·FP − value(TP)·TP − value(TN)·TN plus
 * indirect costs per outcome, and for rows with an amount, share × amount per false negative. Input is
 * either a confusion matrix or rows (labels and predictions of 0/1, optional amounts); rows also give the
 * cost per row for `bootstrapInterval`.
 *
 * @example binaryBusinessCost({ confusion }, { falseNegativeUsd: 500, falsePositiveUsd: 50, truePositiveValueUsd: 0, trueNegativeValueUsd: 0 })
 */
export function binaryBusinessCost(
  input: { confusion: BinaryConfusion } | { labels: ArrayLike<number>; predictions: ArrayLike<number>; amounts?: ArrayLike<number> },
  matrix: BinaryCostMatrix,
): BinaryBusinessCost {
  const where = 'binaryBusinessCost';
  const unit: Record<BinaryOutcome, number> = {
    truePositive: 0 - requireFinite(where, 'truePositiveValueUsd', matrix.truePositiveValueUsd),
    falsePositive: requireFinite(where, 'falsePositiveUsd', matrix.falsePositiveUsd),
    falseNegative: requireFinite(where, 'falseNegativeUsd', matrix.falseNegativeUsd),
    trueNegative: 0 - requireFinite(where, 'trueNegativeValueUsd', matrix.trueNegativeValueUsd),
  };
  for (const outcome of OUTCOMES) {
    const indirect = matrix.indirectUsd?.[outcome];
    if (indirect !== undefined) unit[outcome] += requireFinite(where, `indirectUsd.${outcome}`, indirect);
  }
  const share = matrix.falseNegativeShareOfAmount ?? 0;
  requireFinite(where, 'falseNegativeShareOfAmount', share);
  const byOutcome = Object.fromEntries(OUTCOMES.map((o) => [o, { count: 0, costUsd: 0 }])) as BinaryBusinessCost['byOutcome'];

  if ('confusion' in input) {
    if (share !== 0) throw new RangeError(`${where}: falseNegativeShareOfAmount needs rows with amounts, not a confusion matrix`);
    const c = input.confusion;
    const counts: Record<BinaryOutcome, number> = {
      truePositive: c.truePositives,
      falsePositive: c.falsePositives,
      falseNegative: c.falseNegatives,
      trueNegative: c.trueNegatives,
    };
    let total = 0;
    let rows = 0;
    for (const outcome of OUTCOMES) {
      const count = counts[outcome];
      if (!Number.isInteger(count) || count < 0) throw new RangeError(`${where}: confusion count of ${outcome} is ${count}, expected a non-negative integer`);
      byOutcome[outcome] = { count, costUsd: count * unit[outcome] };
      total += count * unit[outcome];
      rows += count;
    }
    return { ...businessCost(rows, total), byOutcome };
  }

  const { labels, predictions, amounts } = input;
  const n = labels.length;
  if (predictions.length !== n) throw new RangeError(`${where}: labels has ${n} rows but predictions has ${predictions.length}`);
  if (amounts !== undefined && amounts.length !== n) throw new RangeError(`${where}: labels has ${n} rows but amounts has ${amounts.length}`);
  if (share !== 0 && amounts === undefined) throw new RangeError(`${where}: falseNegativeShareOfAmount is ${share} but no amounts were given`);
  const rowCosts = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const y = labels[i];
    const p = predictions[i];
    if (y !== 0 && y !== 1) throw new RangeError(`${where}: labels[${i}] is ${y}, expected 0 or 1`);
    if (p !== 0 && p !== 1) throw new RangeError(`${where}: predictions[${i}] is ${p}, expected 0 or 1`);
    const outcome: BinaryOutcome = y === 1 ? (p === 1 ? 'truePositive' : 'falseNegative') : p === 1 ? 'falsePositive' : 'trueNegative';
    let cost = unit[outcome];
    if (outcome === 'falseNegative' && amounts !== undefined && share !== 0) {
      const amount = amounts[i]!;
      if (!Number.isFinite(amount)) throw new RangeError(`${where}: amounts[${i}] is ${amount}, expected a finite number`);
      cost += share * amount;
    }
    rowCosts[i] = cost;
    byOutcome[outcome].count++;
    byOutcome[outcome].costUsd += cost;
    total += cost;
  }
  return { ...businessCost(n, total, rowCosts), byOutcome };
}
