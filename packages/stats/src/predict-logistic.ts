/** The parameters of a fitted logistic regression: P(y = 1 | x) = σ(intercept + weights · x). */
export interface LogisticCoefficients {
  weights: Float64Array;
  intercept: number;
}

/**
 * Probability of class 1 for one row: σ(intercept + weights · row), with σ(t) = 1 / (1 + e^(−t)).
 * @example predictLogistic(fitLogisticRegression(x, y), Float64Array.of(0.3, 1)) // → 0.71
 */
export function predictLogistic(model: LogisticCoefficients, row: ArrayLike<number>): number {
  if (row.length !== model.weights.length) {
    throw new RangeError(`predictLogistic: row has ${row.length} values, the model has ${model.weights.length} weights`);
  }
  let eta = model.intercept;
  for (let j = 0; j < row.length; j++) eta += model.weights[j]! * row[j]!;
  return sigmoid(eta);
}

/** The logistic function, written so that neither branch overflows `Math.exp`. */
export function sigmoid(t: number): number {
  if (t >= 0) return 1 / (1 + Math.exp(-t));
  const e = Math.exp(t);
  return e / (1 + e);
}
