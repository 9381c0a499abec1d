import type { LeverResult } from './lever-result.js';

export interface CommitmentLevelInput {
  /**
   * Instances needed in each hour of the commitment's term, e.g. a Holt-Winters forecast turned into instances,
   * or several forecast paths (samples of the uncertainty) laid end to end: every value weighs the same.
   */
  demand: readonly number[];
  onDemandPricePerHourUsd: number;
  /** Effective price per committed instance-hour, paid whether it is used or not. */
  commitPricePerHourUsd: number;
}

export interface CommitmentLevelDetails {
  /** Instances to commit to (whole instances). */
  level: number;
  expected_cost_usd: number;
  on_demand_only_cost_usd: number;
  /** Share of committed hours used. */
  commitment_utilisation: number;
  /** The newsvendor critical ratio 1 − commit / on-demand: commit up to this quantile of demand. */
  critical_ratio: number;
}

/**
 * The commitment level that minimises the expected cost Σ_t [c × commit price + max(0, d_t − c) × on-demand
 * price] over whole instances c ≥ 0. The cost is convex in c, and each extra committed instance saves
 * (on-demand price × P(d > c) − commit price) per hour, so the optimum is the smallest c with
 * P(d > c) ≤ commit / on-demand (the newsvendor quantile); with fractional demand the step's saving is
 * on-demand price × Σ_t clamp(d_t − c, 0, 1), which the walk evaluates exactly.
 */
export function commitmentLevel(input: CommitmentLevelInput): LeverResult<CommitmentLevelDetails> {
  const { demand, onDemandPricePerHourUsd: pod, commitPricePerHourUsd: pc } = input;
  if (demand.length === 0) throw new RangeError('commitmentLevel: demand is empty');
  demand.forEach((v, i) => {
    if (!(Number.isFinite(v) && v >= 0)) throw new RangeError(`commitmentLevel: demand[${i}] must be a finite number ≥ 0, got ${v}`);
  });
  if (!(Number.isFinite(pod) && pod > 0)) throw new RangeError(`commitmentLevel: onDemandPricePerHourUsd must be > 0, got ${pod}`);
  if (!(Number.isFinite(pc) && pc >= 0)) throw new RangeError(`commitmentLevel: commitPricePerHourUsd must be ≥ 0, got ${pc}`);
  const n = demand.length;
  // Going from c to c + 1 committed instances saves on-demand price × Σ_t clamp(d_t − c, 0, 1) and costs n × the
  // commit price; the first term falls as c grows (convexity), so walk up while the step still saves.
  const step = (c: number) => {
    let covered = 0;
    for (const d of demand) covered += Math.min(1, Math.max(0, d - c));
    return pod * covered - n * pc;
  };
  let c = 0;
  while (step(c) > 0) c++;
  const cost = expectedCost(demand, c, pod, pc);
  const onDemandOnly = demand.reduce((s, v) => s + v, 0) * pod;
  const usedCommitted = demand.reduce((s, v) => s + Math.min(v, c), 0);
  return {
    lever: 'commitment_level',
    saving_usd: onDemandOnly - cost,
    per: `${n} hours of demand`,
    assumptions: [
      `demand as given, ${n} hourly values (a forecast or forecast samples); every value equally likely`,
      `commitment at $${pc} per instance-hour paid for every hour; on demand at $${pod} for the rest`,
      'whole instances; the commitment cannot be resized during the term',
    ],
    details: {
      level: c,
      expected_cost_usd: cost,
      on_demand_only_cost_usd: onDemandOnly,
      commitment_utilisation: c === 0 ? 0 : usedCommitted / (c * n),
      critical_ratio: Math.max(0, 1 - pc / pod),
    },
  };
}

/** Σ_t [c × commit price + max(0, d_t − c) × on-demand price]. */
export function expectedCost(demand: readonly number[], level: number, onDemandPricePerHourUsd: number, commitPricePerHourUsd: number): number {
  let cost = 0;
  for (const d of demand) cost += level * commitPricePerHourUsd + Math.max(0, d - level) * onDemandPricePerHourUsd;
  return cost;
}
