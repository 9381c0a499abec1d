import type { LeverResult } from './lever-result.js';
import { projectCost, type CostProjection, type ProjectionScenario } from './project-cost.js';

export interface SamplingRateDetails {
  current_rate: number;
  proposed_rate: number;
  current_cost_usd: number;
  proposed_cost_usd: number;
  current_predictions_per_month: number;
  proposed_predictions_per_month: number;
  current: CostProjection['scales'][number];
  proposed: CostProjection['scales'][number];
}

/**
 * Score fewer inputs (24 fps → 4 fps): the scenario's monthly cost at its own sampling rate and at
 * `proposedRate`, through `projectCost`, so instances that come whole and costs that move in steps are counted
 * as they are, not as a proportional cut.
 */
export function samplingRateLever(scenario: ProjectionScenario, proposedRate: number, scale = 1): LeverResult<SamplingRateDetails> {
  const currentRate = scenario.volume.samplingRate ?? 1;
  if (!(proposedRate > 0 && proposedRate <= 1)) throw new RangeError(`samplingRateLever: proposedRate must be in (0, 1], got ${proposedRate}`);
  const [current] = projectCost(scenario, [scale]).scales;
  const [proposed] = projectCost({ ...scenario, volume: { ...scenario.volume, samplingRate: proposedRate } }, [scale]).scales;
  return {
    lever: 'sampling_rate',
    saving_usd: current!.total_usd - proposed!.total_usd,
    per: 'month',
    assumptions: [
      `sampling ${proposedRate} of inputs instead of ${currentRate}`,
      'the same service time, peak-to-mean ratio and per-prediction bytes at the lower rate',
      'the effect on accuracy (missed events between samples) is not priced: measure it before deciding',
    ],
    details: {
      current_rate: currentRate,
      proposed_rate: proposedRate,
      current_cost_usd: current!.total_usd,
      proposed_cost_usd: proposed!.total_usd,
      current_predictions_per_month: current!.predictions_per_month,
      proposed_predictions_per_month: proposed!.predictions_per_month,
      current: current!,
      proposed: proposed!,
    },
  };
}
