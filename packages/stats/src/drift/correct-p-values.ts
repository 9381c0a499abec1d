/** How to adjust p-values for testing many columns at once. */
export type PValueCorrection = 'none' | 'bonferroni' | 'benjamini-hochberg';

/**
 * Adjusted p-values, as statsmodels.stats.multitest.multipletests(p, method='bonferroni' | 'fdr_bh') returns
 * them: Bonferroni min(1, m·p) controls the family-wise error rate; Benjamini & Hochberg (1995, JRSS B 57)
 * min over j ≥ i of m·p₍ⱼ₎/j (p sorted ascending), capped at 1, controls the false discovery rate.
 * Compare the adjusted values with the unadjusted threshold.
 */
export function correctPValues(pValues: readonly number[], correction: PValueCorrection): number[] {
  pValues.forEach((p, i) => {
    if (!(p >= 0 && p <= 1)) throw new RangeError(`correctPValues: pValues[${i}] is ${p}, expected a probability`);
  });
  const m = pValues.length;
  if (correction === 'none') return [...pValues];
  if (correction === 'bonferroni') return pValues.map((p) => Math.min(1, p * m));
  const order = pValues.map((_, i) => i).sort((a, b) => pValues[a]! - pValues[b]!);
  const adjusted = new Array<number>(m);
  let running = 1;
  for (let rank = m; rank >= 1; rank--) {
    const i = order[rank - 1]!;
    running = Math.min(running, (pValues[i]! * m) / rank);
    adjusted[i] = running;
  }
  return adjusted;
}
