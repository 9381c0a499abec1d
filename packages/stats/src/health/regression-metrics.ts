export interface RegressionMetrics {
  rows: number;
  /** Mean absolute error, (1/n) Σ |y − ŷ|. */
  mae: number;
  /** Root mean squared error, √((1/n) Σ (y − ŷ)²). */
  rmse: number;
  /**
   * Mean absolute percentage error as a fraction, (1/n) Σ |y − ŷ| / max(|y|, ε) with ε = 2.220446e-16,
   * scikit-learn's `mean_absolute_percentage_error` convention (so a zero actual gives a huge, finite term).
   */
  mape: number;
}

/** MAE, RMSE and MAPE of `predicted` against `actual`. */
export function regressionMetrics(actual: ArrayLike<number>, predicted: ArrayLike<number>): RegressionMetrics {
  const n = actual.length;
  if (n === 0) throw new RangeError('regressionMetrics: actual is empty');
  if (predicted.length !== n) throw new RangeError(`regressionMetrics: actual has ${n} rows but predicted has ${predicted.length}`);
  let absolute = 0;
  let squared = 0;
  let percentage = 0;
  for (let i = 0; i < n; i++) {
    const y = actual[i]!;
    const yHat = predicted[i]!;
    if (!Number.isFinite(y)) throw new RangeError(`regressionMetrics: actual[${i}] is ${y}, expected a finite number`);
    if (!Number.isFinite(yHat)) throw new RangeError(`regressionMetrics: predicted[${i}] is ${yHat}, expected a finite number`);
    const error = Math.abs(y - yHat);
    absolute += error;
    squared += error * error;
    percentage += error / Math.max(Math.abs(y), Number.EPSILON);
  }
  return { rows: n, mae: absolute / n, rmse: Math.sqrt(squared / n), mape: percentage / n };
}
