/**
 * Area under the ROC curve of `scores` for binary `labels` (1 = positive), as the Mann–Whitney statistic
 * (Hanley & McNeil 1982): AUC = (R₊ − n₊(n₊+1)/2) / (n₊·n₋), R₊ the sum of the positives' ranks with tied
 * scores given their mid-rank. A tie between a positive and a negative counts ½, which equals the trapezoidal
 * area scikit-learn's `roc_auc_score` computes. O(n log n).
 */
export function rocAuc(labels: ArrayLike<number>, scores: ArrayLike<number>): number {
  const n = labels.length;
  if (n === 0) throw new RangeError('rocAuc: labels is empty');
  if (scores.length !== n) throw new RangeError(`rocAuc: labels has ${n} rows but scores has ${scores.length}`);
  let positives = 0;
  for (let i = 0; i < n; i++) {
    const y = labels[i]!;
    if (y !== 0 && y !== 1) throw new RangeError(`rocAuc: labels[${i}] is ${y}, expected 0 or 1`);
    if (!Number.isFinite(scores[i]!)) throw new RangeError(`rocAuc: scores[${i}] is ${scores[i]}, expected a finite number`);
    positives += y;
  }
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) {
    throw new RangeError(`rocAuc: needs both classes, got ${positives} positive and ${negatives} negative rows`);
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
  let rankSumPositives = 0;
  for (let start = 0; start < n; ) {
    let end = start + 1;
    while (end < n && scores[order[end]!]! === scores[order[start]!]!) end++;
    const midRank = (start + 1 + end) / 2; // ranks start+1 … end share their mean
    for (let k = start; k < end; k++) if (labels[order[k]!] === 1) rankSumPositives += midRank;
    start = end;
  }
  return (rankSumPositives - (positives * (positives + 1)) / 2) / (positives * negatives);
}
