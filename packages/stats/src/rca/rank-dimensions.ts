/** One dimension's Adtributor scores. */
export interface DimensionRank {
  readonly dimension: string;
  /** Σ Jensen–Shannon surprise of the chosen values. */
  readonly surprise: number;
  /** Σ explanatory power (share of the change) of the chosen values. */
  readonly explanatory_power: number;
  /** The values Adtributor keeps, most surprising first. */
  readonly values: readonly { readonly value: string; readonly surprise: number; readonly explanatory_power: number }[];
}

export interface RankDimensionsOptions {
  /** A value needs at least this explanatory power to be kept (Adtributor's T_EEP, default 0.1). */
  readonly minValuePower?: number;
  /** Values are added until their explanatory power reaches this (Adtributor's T_EP, default 0.67). */
  readonly targetPower?: number;
}

/**
 * Adtributor's dimension ranking (Bhagwan et al., NSDI 2014, §3): per value j, explanatory power
 * EP_j = (v_j − f_j) / (V − F) and surprise S_j = ½ [p log(2p/(p+q)) + q log(2q/(p+q))] with p = f_j/F,
 * q = v_j/V (one term of the Jensen–Shannon divergence); per dimension, the most surprising values with
 * EP_j ≥ minValuePower are kept until their EP reaches targetPower, and dimensions are ranked by the surprise
 * of what they kept. Expected and actual sums per value come in `byDimension`.
 */
export function rankDimensions(
  byDimension: ReadonlyMap<string, ReadonlyMap<string, { readonly expected: number; readonly actual: number }>>,
  options: RankDimensionsOptions = {},
): DimensionRank[] {
  const minValuePower = options.minValuePower ?? 0.1;
  const targetPower = options.targetPower ?? 0.67;
  const ranks: DimensionRank[] = [];
  for (const [dimension, values] of byDimension) {
    let F = 0;
    let V = 0;
    for (const { expected, actual } of values.values()) {
      F += expected;
      V += actual;
    }
    const change = V - F;
    const scored = [...values].map(([value, { expected, actual }]) => ({
      value,
      surprise: jsTerm(F > 0 ? expected / F : 0, V > 0 ? actual / V : 0),
      explanatory_power: change === 0 ? 0 : (actual - expected) / change,
    }));
    scored.sort((a, b) => b.surprise - a.surprise || a.value.localeCompare(b.value));
    const kept: typeof scored = [];
    let power = 0;
    for (const s of scored) {
      if (power >= targetPower) break;
      if (s.explanatory_power < minValuePower) continue;
      kept.push(s);
      power += s.explanatory_power;
    }
    ranks.push({ dimension, surprise: kept.reduce((t, s) => t + s.surprise, 0), explanatory_power: power, values: kept });
  }
  return ranks.sort((a, b) => b.surprise - a.surprise || a.dimension.localeCompare(b.dimension));
}

function jsTerm(p: number, q: number): number {
  const m = (p + q) / 2;
  const part = (x: number) => (x > 0 ? x * Math.log(x / m) : 0);
  return 0.5 * (part(p) + part(q));
}
