import type { LeverResult } from './lever-result.js';

export interface SpotTrainingInput {
  /** Instance-hours of useful work the job needs (its on-demand duration × instances). */
  workHours: number;
  onDemandPricePerHourUsd: number;
  /** Spot discount off on-demand, 0 ≤ d < 1 (0.7 = 70% cheaper). */
  spotDiscount: number;
  /** Mean interruptions per instance-hour on spot. */
  interruptionsPerHour: number;
  /** Useful work between checkpoints. */
  checkpointIntervalHours: number;
  /** Time to write one checkpoint. */
  checkpointWriteHours: number;
  /** Time to get a replacement instance and reload the last checkpoint after an interruption. */
  restartHours: number;
}

export interface SpotTrainingDetails {
  expected_spot_hours: number;
  expected_interruptions: number;
  on_demand_cost_usd: number;
  spot_cost_usd: number;
  /** Share of spot hours that are checkpoints, lost work and restarts. */
  overhead_share: number;
  /** Young's (1974) interval √(2 × write time / interruption rate), the first-order best; null without interruptions. */
  optimal_checkpoint_interval_hours: number | null;
}

/**
 * Training on spot instances with checkpoints. First-order model (Young 1974; Daly 2006): the job writes a
 * checkpoint after every τ hours of work (each write c hours), interruptions arrive at rate λ over the elapsed
 * time, and each one loses on average half an interval of work plus the restart r. The expected elapsed time
 * T solves T = W(1 + c/τ) + λT(τ/2 + r), so T = W(1 + c/τ) / (1 − λ(τ/2 + r)); when λ(τ/2 + r) ≥ 1 the job
 * never finishes and this throws. saving_usd = W × on-demand price − T × on-demand price × (1 − discount).
 */
export function spotTraining(input: SpotTrainingInput): LeverResult<SpotTrainingDetails> {
  const { workHours: w, onDemandPricePerHourUsd: price, spotDiscount: d, interruptionsPerHour: lambda, checkpointIntervalHours: tau, checkpointWriteHours: c, restartHours: r } = input;
  for (const [name, v] of Object.entries(input)) {
    if (!(Number.isFinite(v) && v >= 0)) throw new RangeError(`spotTraining: ${name} must be a finite number ≥ 0, got ${v}`);
  }
  if (!(w > 0)) throw new RangeError(`spotTraining: workHours must be > 0, got ${w}`);
  if (!(tau > 0)) throw new RangeError(`spotTraining: checkpointIntervalHours must be > 0, got ${tau}`);
  if (!(d < 1)) throw new RangeError(`spotTraining: spotDiscount must be below 1, got ${d}`);
  const lostPerInterruption = tau / 2 + r;
  if (lambda * lostPerInterruption >= 1) {
    throw new RangeError(
      `spotTraining: at ${lambda} interruptions an hour, each losing ${tau / 2} h of work plus a ${r} h restart, the job never finishes; checkpoint more often`,
    );
  }
  const t = (w * (1 + c / tau)) / (1 - lambda * lostPerInterruption);
  const onDemand = w * price;
  const spot = t * price * (1 - d);
  return {
    lever: 'spot_training',
    saving_usd: onDemand - spot,
    per: 'job',
    assumptions: [
      `${w} instance-hours of work at $${price}/h on demand; spot ${d * 100}% cheaper`,
      `interruptions arrive at random (Poisson) at ${lambda} an hour; each loses half a ${tau} h checkpoint interval on average plus a ${r} h restart`,
      `each checkpoint takes ${c} h to write`,
      'first-order model: no interruptions during restarts or checkpoint writes are counted separately; spot capacity is always available again after an interruption',
    ],
    details: {
      expected_spot_hours: t,
      expected_interruptions: lambda * t,
      on_demand_cost_usd: onDemand,
      spot_cost_usd: spot,
      overhead_share: (t - w) / t,
      optimal_checkpoint_interval_hours: lambda > 0 ? Math.sqrt((2 * c) / lambda) : null,
    },
  };
}
