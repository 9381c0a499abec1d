/** One stage of a funnel in one period: rows that reached it and rows that passed it. */
export interface FunnelStageCounts {
  readonly stage: string;
  readonly input: number;
  readonly output: number;
}

export interface FunnelStageChange {
  readonly stage: string;
  readonly before: number | null;
  readonly after: number | null;
  /** Share of the change of ln(end-to-end rate) that this stage's pass rate accounts for (null: not defined). */
  readonly share_of_change: number | null;
}

export interface FunnelDecomposition {
  /** End-to-end rate: the last stage's output over the first stage's input. */
  readonly before: number | null;
  readonly after: number | null;
  readonly stages: readonly FunnelStageChange[];
  /**
   * When every stage feeds the next (its input is the previous output), ln R = Σ ln pass_i exactly and the
   * shares add up to 1; otherwise (rows enter or leave between stages) `residual_share` holds the rest.
   */
  readonly residual_share: number | null;
}

const rate = (c: FunnelStageCounts): number | null => (c.input > 0 ? c.output / c.input : null);

/**
 * Splits the change of a funnel's end-to-end rate between two periods into its stages: the end-to-end rate is
 * the product of the stage pass rates, so the change of its logarithm is the sum of the changes of theirs, and
 * each stage's share is its term over the total (DESIGN.md: an output metric broken into its input metrics).
 * Stages with a zero rate on either side have no logarithm: their share is null and the others are not scaled.
 *
 * @example funnelDecomposition([{stage:'detect',input:100,output:90}, …], [{stage:'detect',input:100,output:60}, …])
 */
export function funnelDecomposition(before: readonly FunnelStageCounts[], after: readonly FunnelStageCounts[]): FunnelDecomposition {
  if (before.length === 0) throw new RangeError('funnelDecomposition: no stages');
  if (before.length !== after.length || before.some((s, i) => s.stage !== after[i]!.stage)) {
    throw new RangeError('funnelDecomposition: the two periods must list the same stages in the same order');
  }
  for (const side of [before, after]) {
    for (const s of side) {
      if (!(s.input >= 0 && s.output >= 0 && s.output <= s.input)) throw new RangeError(`funnelDecomposition: stage ${s.stage} has output ${s.output} of input ${s.input}; expected 0 ≤ output ≤ input`);
    }
  }
  const endToEnd = (side: readonly FunnelStageCounts[]) => (side[0]!.input > 0 ? side[side.length - 1]!.output / side[0]!.input : null);
  const r0 = endToEnd(before);
  const r1 = endToEnd(after);
  const total = r0 !== null && r1 !== null && r0 > 0 && r1 > 0 ? Math.log(r1 / r0) : null;
  let explained = 0;
  const stages = before.map((b, i): FunnelStageChange => {
    const p0 = rate(b);
    const p1 = rate(after[i]!);
    const term = p0 !== null && p1 !== null && p0 > 0 && p1 > 0 ? Math.log(p1 / p0) : null;
    if (term !== null) explained += term;
    return { stage: b.stage, before: p0, after: p1, share_of_change: total !== null && total !== 0 && term !== null ? term / total + 0 : null }; // + 0: no -0 in JSON
  });
  return { before: r0, after: r1, stages, residual_share: total !== null && total !== 0 ? (total - explained) / total + 0 : null };
}
