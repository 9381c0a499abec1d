import { businessCost, requireFinite, type BusinessCost } from './business-cost.js';

/** Asymmetric linear cost of a regressor's error, in USD per unit of the target. */
export interface RegressionCostRates {
  /** Per unit the prediction falls short of the actual (e.g. stock-outs for a demand forecast). */
  underPredictionUsdPerUnit: number;
  /** Per unit the prediction exceeds the actual (e.g. excess inventory). */
  overPredictionUsdPerUnit: number;
}

/**
 * Business cost of a regressor under the asymmetric linear ("lin-lin", Granger 1969) loss:
 * cost = a·max(y − ŷ, 0) + b·max(ŷ − y, 0) per row.
 */
export function regressionBusinessCost(actual: ArrayLike<number>, predicted: ArrayLike<number>, rates: RegressionCostRates): BusinessCost {
  const where = 'regressionBusinessCost';
  const under = requireFinite(where, 'underPredictionUsdPerUnit', rates.underPredictionUsdPerUnit);
  const over = requireFinite(where, 'overPredictionUsdPerUnit', rates.overPredictionUsdPerUnit);
  const n = actual.length;
  if (predicted.length !== n) throw new RangeError(`${where}: actual has ${n} rows but predicted has ${predicted.length}`);
  const rowCosts = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const y = actual[i]!;
    const yHat = predicted[i]!;
    if (!Number.isFinite(y)) throw new RangeError(`${where}: actual[${i}] is ${y}, expected a finite number`);
    if (!Number.isFinite(yHat)) throw new RangeError(`${where}: predicted[${i}] is ${yHat}, expected a finite number`);
    rowCosts[i] = y > yHat ? under * (y - yHat) : over * (yHat - y);
    total += rowCosts[i]!;
  }
  return businessCost(n, total, rowCosts);
}
