/** What a model's errors cost the business over a set of predictions. Negative costs are value created. */
export interface BusinessCost {
  predictions: number;
  totalUsd: number;
  perPredictionUsd: number;
  per1kPredictionsUsd: number;
  /** Cost of each row, when the input was rows (for bootstrap intervals and per-slice sums); else null. */
  rowCostsUsd: Float64Array | null;
}

/** Sums row costs (or takes a total) into total, per prediction and per 1,000 predictions. */
export function businessCost(predictions: number, totalUsd: number, rowCostsUsd: Float64Array | null = null): BusinessCost {
  if (!Number.isInteger(predictions) || predictions < 1) {
    throw new RangeError(`businessCost: needs at least one prediction, got ${predictions}`);
  }
  if (!Number.isFinite(totalUsd)) throw new RangeError(`businessCost: total cost is ${totalUsd}, expected a finite number`);
  const perPredictionUsd = totalUsd / predictions;
  return { predictions, totalUsd, perPredictionUsd, per1kPredictionsUsd: 1000 * perPredictionUsd, rowCostsUsd };
}

/** Throws unless `value` is a finite number; names the field so a config error is easy to find. */
export function requireFinite(where: string, field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new RangeError(`${where}: ${field} is ${value === undefined ? 'missing' : String(value)}, expected a finite number (USD)`);
  }
  return value;
}
