/** One segment's rows and the sum of the metric over them, in two periods. The rate is total / rows. */
export interface SegmentPeriods {
  segment: string;
  baseline: { rows: number; total: number };
  current: { rows: number; total: number };
}

export interface SegmentContribution {
  segment: string;
  baselineShare: number;
  currentShare: number;
  /** Rates; a segment absent from a period takes the other period's rate (see below), marked by `absentIn`. */
  baselineRate: number;
  currentRate: number;
  absentIn: 'baseline' | 'current' | null;
  /** (w₁ − w₀)·(r₀ + r₁)/2 */
  mix: number;
  /** (r₁ − r₀)·(w₀ + w₁)/2 */
  rate: number;
}

export interface MixRateDecomposition {
  baselineRate: number;
  currentRate: number;
  /** currentRate − baselineRate = mix + rate */
  change: number;
  mix: number;
  rate: number;
  segments: SegmentContribution[];
}

/**
 * Splits the change of an aggregate rate R = Σ wₖrₖ (wₖ a segment's share of rows, rₖ its rate) between a
 * baseline and a current period into a mix part (segments' shares moved) and a rate part (segments'
 * own rates moved), per segment. Symmetric shift-share form (Kitagawa 1955, "Components of a difference
 * between two rates", JASA 50, eq. 5; Das Gupta 1993): ΔR = Σ (w₁−w₀)(r₀+r₁)/2 + Σ (r₁−r₀)(w₀+w₁)/2, which
 * sums to the change exactly and does not depend on which period is called the baseline.
 *
 * A segment with no rows in one period has no rate there; it takes its rate from the other period, so its
 * appearance or disappearance counts entirely as mix.
 *
 * @example mixRateDecomposition([{ segment: 'JFK', baseline: { rows: 900, total: 45 }, current: { rows: 1800, total: 90 } }, …])
 */
export function mixRateDecomposition(segments: readonly SegmentPeriods[]): MixRateDecomposition {
  const where = 'mixRateDecomposition';
  if (segments.length === 0) throw new RangeError(`${where}: segments is empty`);
  let baselineRows = 0;
  let currentRows = 0;
  const seen = new Set<string>();
  for (const s of segments) {
    if (seen.has(s.segment)) throw new RangeError(`${where}: segment ${s.segment} appears twice`);
    seen.add(s.segment);
    for (const period of ['baseline', 'current'] as const) {
      const { rows, total } = s[period];
      if (!(rows >= 0 && Number.isFinite(rows))) throw new RangeError(`${where}: segment ${s.segment} has ${rows} ${period} rows, expected a non-negative number`);
      if (!Number.isFinite(total)) throw new RangeError(`${where}: segment ${s.segment} has ${period} total ${total}, expected a finite number`);
      if (rows === 0 && total !== 0) throw new RangeError(`${where}: segment ${s.segment} has ${period} total ${total} over 0 rows`);
    }
    if (s.baseline.rows === 0 && s.current.rows === 0) throw new RangeError(`${where}: segment ${s.segment} has no rows in either period`);
    baselineRows += s.baseline.rows;
    currentRows += s.current.rows;
  }
  if (baselineRows === 0) throw new RangeError(`${where}: the baseline period has no rows`);
  if (currentRows === 0) throw new RangeError(`${where}: the current period has no rows`);

  let baselineRate = 0;
  let currentRate = 0;
  let mix = 0;
  let rate = 0;
  const contributions: SegmentContribution[] = segments.map((s) => {
    const w0 = s.baseline.rows / baselineRows;
    const w1 = s.current.rows / currentRows;
    const absentIn = s.baseline.rows === 0 ? 'baseline' : s.current.rows === 0 ? 'current' : null;
    const r0 = absentIn === 'baseline' ? s.current.total / s.current.rows : s.baseline.total / s.baseline.rows;
    const r1 = absentIn === 'current' ? r0 : s.current.total / s.current.rows;
    const segmentMix = ((w1 - w0) * (r0 + r1)) / 2;
    const segmentRate = ((r1 - r0) * (w0 + w1)) / 2;
    baselineRate += w0 * r0;
    currentRate += w1 * r1;
    mix += segmentMix;
    rate += segmentRate;
    return { segment: s.segment, baselineShare: w0, currentShare: w1, baselineRate: r0, currentRate: r1, absentIn, mix: segmentMix, rate: segmentRate };
  });
  return { baselineRate, currentRate, change: currentRate - baselineRate, mix, rate, segments: contributions };
}
