import { capacityPlan } from './capacity-plan.js';
import type { LeverResult } from './lever-result.js';

export interface PeakThrottlingInput {
  /** Mean requests per second in each hour of a representative period (e.g. 24 values for a day). */
  hourlyQps: readonly number[];
  /** Requests above this rate are delayed or shed. */
  capQps: number;
  serviceMs: number;
  p99Ms: number;
  pricePerReplicaHourUsd: number;
  /** What one delayed or shed request costs the business. */
  costPerThrottledRequestUsd: number;
  hoursPerMonth?: number;
}

export interface PeakThrottlingDetails {
  peak_qps: number;
  capped_peak_qps: number;
  replicas_full: number;
  replicas_capped: number;
  serving_saving_usd: number;
  throttled_requests_per_month: number;
  throttled_cost_usd: number;
}

/**
 * Throttle the peak: replicas for the capped peak instead of the full one (`capacityPlan`, Erlang C at each
 * hour's mean rate as the design rate), minus the cost of the requests above the cap, Σ_h max(0, qps_h − cap) ×
 * 3,600, scaled from the profile's hours to the month.
 */
export function peakThrottlingLever(input: PeakThrottlingInput): LeverResult<PeakThrottlingDetails> {
  const hours = input.hoursPerMonth ?? 730;
  if (input.hourlyQps.length === 0) throw new RangeError('peakThrottlingLever: hourlyQps is empty');
  input.hourlyQps.forEach((q, i) => {
    if (!(Number.isFinite(q) && q >= 0)) throw new RangeError(`peakThrottlingLever: hourlyQps[${i}] must be a finite number ≥ 0, got ${q}`);
  });
  const numbers = { capQps: input.capQps, pricePerReplicaHourUsd: input.pricePerReplicaHourUsd, costPerThrottledRequestUsd: input.costPerThrottledRequestUsd, hoursPerMonth: hours };
  for (const [name, v] of Object.entries(numbers)) {
    if (!(Number.isFinite(v) && v >= 0)) throw new RangeError(`peakThrottlingLever: ${name} must be a finite number ≥ 0, got ${v}`);
  }
  const peak = Math.max(...input.hourlyQps);
  const capped = Math.min(peak, input.capQps);
  const replicas = (qps: number) => {
    try {
      return capacityPlan({ qps, serviceMs: input.serviceMs, p99Ms: input.p99Ms, maxReplicas: 1_000_000 }).replicas;
    } catch (error) {
      if (error instanceof RangeError) throw new RangeError(`peakThrottlingLever: ${error.message}`, { cause: error });
      throw error;
    }
  };
  const full = replicas(peak);
  const cappedReplicas = replicas(capped);
  const servingSaving = (full - cappedReplicas) * input.pricePerReplicaHourUsd * hours;
  const throttledPerProfile = input.hourlyQps.reduce((sum, q) => sum + Math.max(0, q - input.capQps) * 3600, 0);
  const throttled = (throttledPerProfile * hours) / input.hourlyQps.length;
  const throttledCost = throttled * input.costPerThrottledRequestUsd;
  return {
    lever: 'peak_throttling',
    saving_usd: servingSaving - throttledCost,
    per: 'month',
    assumptions: [
      `the ${input.hourlyQps.length}-hour profile repeats over ${hours} hours a month; each hour's mean rate is its design rate (no burst within the hour beyond Poisson)`,
      `requests above ${input.capQps}/s are delayed or shed at ${input.costPerThrottledRequestUsd} USD each`,
      `replicas sized for p99 ${input.p99Ms} ms at ${input.serviceMs} ms per request (M/M/c)`,
    ],
    details: {
      peak_qps: peak,
      capped_peak_qps: capped,
      replicas_full: full,
      replicas_capped: cappedReplicas,
      serving_saving_usd: servingSaving,
      throttled_requests_per_month: throttled,
      throttled_cost_usd: throttledCost,
    },
  };
}
