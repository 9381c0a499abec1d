/** One group's numerator and denominator in both periods. */
export interface RateGroup {
  readonly baselineNum: number;
  readonly baselineDen: number;
  readonly currentNum: number;
  readonly currentDen: number;
}

/**
 * Kitagawa's (1955, JASA 50:1168) symmetric shift-share split of the change of an aggregate rate R = Σn / Σd
 * across groups: Δ R = Σ_j (w1_j − w0_j)·(r0_j + r1_j)/2 [mix] + Σ_j (r1_j − r0_j)·(w0_j + w1_j)/2 [rate],
 * w the group's share of the denominator, r its rate; the two parts add up to Δ R exactly. A group absent from
 * one period borrows its rate from the other (it contributes mix only). Throws when a period's denominator is 0.
 */
export function kitagawaDecomposition(groups: readonly RateGroup[]): { mix: number; rate: number } {
  let d0 = 0;
  let d1 = 0;
  for (const g of groups) {
    d0 += g.baselineDen;
    d1 += g.currentDen;
  }
  if (!(d0 > 0) || !(d1 > 0)) throw new RangeError(`kitagawaDecomposition: the denominator sums to ${d0} (baseline) and ${d1} (current); both must be positive`);
  let mix = 0;
  let rate = 0;
  for (const g of groups) {
    if (g.baselineDen === 0 && g.currentDen === 0) continue;
    const w0 = g.baselineDen / d0;
    const w1 = g.currentDen / d1;
    const r0 = g.baselineDen > 0 ? g.baselineNum / g.baselineDen : g.currentNum / g.currentDen;
    const r1 = g.currentDen > 0 ? g.currentNum / g.currentDen : r0;
    mix += ((w1 - w0) * (r0 + r1)) / 2;
    rate += ((r1 - r0) * (w0 + w1)) / 2;
  }
  return { mix, rate };
}
