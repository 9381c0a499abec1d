/** Per-row confidence of a classifier, from its class probabilities. */
export interface ClassProbabilityConfidence {
  /** Number of classes K. */
  readonly classes: number;
  /** Shannon entropy −Σ p ln p in nats, in [0, ln K]; 0 is a certain prediction. */
  readonly entropy: Float64Array;
  /** Entropy divided by ln K, in [0, 1]; 1 is the uniform distribution. */
  readonly normalizedEntropy: Float64Array;
  /** Top-1 minus top-2 probability, in [0, 1]; 0 is a tie between the two likeliest classes. */
  readonly margin: Float64Array;
}

export interface ClassProbabilityConfidenceOptions {
  /** How far a row's sum may stray from 1 (rounded probabilities in a CSV); default 1e-3. */
  readonly sumTolerance?: number;
}

/**
 * Entropy and margin of each row of class probabilities (K ≥ 2 columns). Rows must sum to 1 within
 * `sumTolerance`; each row is divided by its sum before use, so rounding never pushes a value out of range.
 *
 * @example classProbabilityConfidence([[0.7, 0.2, 0.1]]).margin[0] // 0.5
 */
export function classProbabilityConfidence(
  scores: ArrayLike<ArrayLike<number>>,
  options: ClassProbabilityConfidenceOptions = {},
): ClassProbabilityConfidence {
  const tolerance = options.sumTolerance ?? 1e-3;
  if (!(tolerance >= 0)) throw new RangeError(`classProbabilityConfidence: sumTolerance is ${tolerance}, expected ≥ 0`);
  const n = scores.length;
  if (n === 0) throw new RangeError('classProbabilityConfidence: no rows');
  const k = scores[0]!.length;
  if (k < 2) throw new RangeError(`classProbabilityConfidence: rows have ${k} probabilities; entropy and margin need at least 2 classes`);
  const logK = Math.log(k);
  const entropy = new Float64Array(n);
  const normalizedEntropy = new Float64Array(n);
  const margin = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const row = scores[i]!;
    if (row.length !== k) throw new RangeError(`classProbabilityConfidence: row ${i} has ${row.length} probabilities, row 0 has ${k}`);
    let sum = 0;
    for (let c = 0; c < k; c++) {
      const p = row[c]!;
      if (!(p >= 0 && p <= 1 + tolerance)) throw new RangeError(`classProbabilityConfidence: row ${i} class ${c} is ${p}; expected a probability in [0, 1]`);
      sum += p;
    }
    if (Math.abs(sum - 1) > tolerance) throw new RangeError(`classProbabilityConfidence: row ${i} sums to ${sum}; expected 1 (± ${tolerance})`);
    let h = 0;
    let top1 = 0;
    let top2 = 0;
    for (let c = 0; c < k; c++) {
      const p = row[c]! / sum;
      if (p > 0) h -= p * Math.log(p); // 0 · ln 0 = 0
      if (p > top1) {
        top2 = top1;
        top1 = p;
      } else if (p > top2) top2 = p;
    }
    // Rounding can land a hair outside the bounds (uniform rows); clamp to the documented range.
    entropy[i] = Math.min(Math.max(h, 0), logK);
    normalizedEntropy[i] = entropy[i]! / logK;
    margin[i] = Math.min(Math.max(top1 - top2, 0), 1);
  }
  return { classes: k, entropy, normalizedEntropy, margin };
}
