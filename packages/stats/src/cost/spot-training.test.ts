import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../mulberry32.js';
import { spotTraining, type SpotTrainingInput } from './spot-training.js';

// Worked by hand: W = 100 h, τ = 1 h, c = 0.05 h, λ = 0.05/h, r = 0.1 h.
//   T = 100 × (1 + 0.05/1) / (1 − 0.05 × (0.5 + 0.1)) = 105 / 0.97 = 108.247… h
//   on demand 100 × $32 = 3,200; spot 108.247… × 32 × (1 − 0.7) = 1,039.175…; saving 2,160.824…
const job: SpotTrainingInput = {
  workHours: 100,
  onDemandPricePerHourUsd: 32,
  spotDiscount: 0.7,
  interruptionsPerHour: 0.05,
  checkpointIntervalHours: 1,
  checkpointWriteHours: 0.05,
  restartHours: 0.1,
};

/** Simulates the job: Poisson interruptions over elapsed time, work lost back to the last checkpoint. */
function simulateHours(input: SpotTrainingInput, seed: number, runs: number): number {
  const random = mulberry32(seed);
  const exponential = () => -Math.log(1 - random()) / input.interruptionsPerHour;
  let total = 0;
  for (let run = 0; run < runs; run++) {
    let done = 0;
    let elapsed = 0;
    let untilInterruption = exponential();
    while (done < input.workHours - 1e-12) {
      const work = Math.min(input.checkpointIntervalHours, input.workHours - done);
      const segment = work + input.checkpointWriteHours;
      if (untilInterruption >= segment) {
        elapsed += segment;
        untilInterruption -= segment;
        done += work;
      } else {
        elapsed += untilInterruption + input.restartHours;
        untilInterruption = exponential();
      }
    }
    total += elapsed;
  }
  return total / runs;
}

describe('spotTraining', () => {
  it('prices a checkpointed spot job as worked by hand', () => {
    const result = spotTraining(job);
    expect(result.details.expected_spot_hours).toBeCloseTo(105 / 0.97, 12);
    expect(result.details.on_demand_cost_usd).toBe(3_200);
    expect(result.details.spot_cost_usd).toBeCloseTo((105 / 0.97) * 32 * 0.3, 9);
    expect(result.saving_usd).toBeCloseTo(3_200 - (105 / 0.97) * 32 * 0.3, 9);
    // Young: √(2 × 0.05 / 0.05) = √2 h.
    expect(result.details.optimal_checkpoint_interval_hours).toBeCloseTo(Math.SQRT2, 12);
  });

  it('agrees with a simulation of the job within 1%', () => {
    const simulated = simulateHours(job, 20261128, 4000);
    expect(Math.abs(simulated - spotTraining(job).details.expected_spot_hours) / simulated).toBeLessThan(0.01);
  });

  it('is the plain discount without interruptions or checkpoints', () => {
    const result = spotTraining({ ...job, interruptionsPerHour: 0, checkpointWriteHours: 0, restartHours: 0 });
    expect(result.saving_usd).toBeCloseTo(3_200 * 0.7, 9);
    expect(result.details.optimal_checkpoint_interval_hours).toBeNull();
  });

  it('refuses a job that would never finish', () => {
    expect(() => spotTraining({ ...job, interruptionsPerHour: 2, checkpointIntervalHours: 1 })).toThrow(/never finishes; checkpoint more often/);
    expect(() => spotTraining({ ...job, spotDiscount: 1 })).toThrow(/spotDiscount/);
  });
});
