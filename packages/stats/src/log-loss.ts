/**
 * Mean binary cross-entropy, −(1/n) Σ [y·ln p + (1−y)·ln(1−p)], of scores `p` (probability of class 1)
 * against labels `y` ∈ {0, 1}. Scores are clipped to [1e-15, 1 − 1e-15] as scikit-learn's `log_loss` does,
 * so one confident mistake costs ~34.5 instead of Infinity.
 */
export function logLoss(labels: ArrayLike<number>, scores: ArrayLike<number>): number {
  const n = labels.length;
  if (n === 0) throw new RangeError('logLoss: labels is empty; log loss needs at least one row');
  if (scores.length !== n) throw new RangeError(`logLoss: labels has ${n} rows but scores has ${scores.length}`);
  const eps = 1e-15;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const y = labels[i]!;
    const s = scores[i]!;
    if (y !== 0 && y !== 1) throw new RangeError(`logLoss: labels[${i}] is ${y}, expected 0 or 1`);
    if (!(s >= 0 && s <= 1)) throw new RangeError(`logLoss: scores[${i}] is ${s}, expected a probability in [0, 1]`);
    const p = Math.min(Math.max(s, eps), 1 - eps);
    sum -= y === 1 ? Math.log(p) : Math.log(1 - p);
  }
  return sum / n;
}
