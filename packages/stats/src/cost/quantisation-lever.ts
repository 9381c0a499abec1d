import { capacityPlan } from './capacity-plan.js';
import type { LeverResult } from './lever-result.js';

export type Precision = 'fp32' | 'fp16' | 'int8';

export const bytesPerParameter: Record<Precision, number> = { fp32: 4, fp16: 2, int8: 1 };

export interface QuantisationInstance {
  name: string;
  /** Accelerator (or host) memory available to one replica, GB (1e9 bytes). */
  memoryGb: number;
  pricePerHourUsd: number;
  /** Replicas one instance holds (e.g. GPUs per instance); 1 unless given. */
  replicasPerInstance?: number;
  /** Service time per request measured on this instance at each precision; a precision not measured is not considered. */
  measuredServiceMs: Partial<Record<Precision, number>>;
}

export interface QuantisationInput {
  parameterCount: number;
  /** Memory beyond the weights: activations, runtime, caches, GB. */
  overheadGb: number;
  qps: number;
  peakToMean?: number;
  p99Ms: number;
  instances: QuantisationInstance[];
  /** The precision served today; fp32 unless given. */
  baseline?: Precision;
  hoursPerMonth?: number;
}

export interface PrecisionOption {
  precision: Precision;
  memory_gb: number;
  /** The cheapest instance that fits and meets the objective, or null with the reasons for each instance. */
  chosen: { instance: string; service_ms: number; replicas: number; instances: number; cost_per_month_usd: number } | null;
  rejected: { instance: string; reason: string }[];
}

export interface QuantisationDetails {
  baseline: PrecisionOption;
  best: PrecisionOption;
  options: PrecisionOption[];
}

/**
 * Quantisation: memory at fp32/fp16/int8 (parameters × 4/2/1 bytes + overhead) decides which instances can hold
 * a replica; the service time measured on each instance at each precision (never assumed: a smaller model is not
 * always faster) decides the replicas by `capacityPlan` (Erlang C, for the peak). For each precision the cheapest
 * instance wins; the saving is the baseline's monthly cost minus the cheapest precision's.
 */
export function quantisationLever(input: QuantisationInput): LeverResult<QuantisationDetails> {
  const hours = input.hoursPerMonth ?? 730;
  const baselinePrecision = input.baseline ?? 'fp32';
  if (!(Number.isFinite(input.parameterCount) && input.parameterCount > 0)) throw new RangeError(`quantisationLever: parameterCount must be > 0, got ${input.parameterCount}`);
  if (!(Number.isFinite(input.overheadGb) && input.overheadGb >= 0)) throw new RangeError(`quantisationLever: overheadGb must be ≥ 0, got ${input.overheadGb}`);
  if (input.instances.length === 0) throw new RangeError('quantisationLever: give at least one instance');
  const options = (['fp32', 'fp16', 'int8'] as const).map((precision): PrecisionOption => {
    const memory = (input.parameterCount * bytesPerParameter[precision]) / 1e9 + input.overheadGb;
    const rejected: { instance: string; reason: string }[] = [];
    let chosen: PrecisionOption['chosen'] = null;
    for (const instance of input.instances) {
      const serviceMs = instance.measuredServiceMs[precision];
      if (instance.memoryGb < memory) {
        rejected.push({ instance: instance.name, reason: `needs ${round(memory)} GB, has ${instance.memoryGb} GB` });
        continue;
      }
      if (serviceMs === undefined) {
        rejected.push({ instance: instance.name, reason: `no measured service time at ${precision}` });
        continue;
      }
      let replicas: number;
      try {
        replicas = capacityPlan({ qps: input.qps, serviceMs, p99Ms: input.p99Ms, peakToMean: input.peakToMean ?? 1, maxReplicas: 1_000_000 }).replicas;
      } catch (error) {
        if (!(error instanceof RangeError)) throw error;
        rejected.push({ instance: instance.name, reason: error.message });
        continue;
      }
      const count = Math.ceil(replicas / (instance.replicasPerInstance ?? 1));
      const cost = count * instance.pricePerHourUsd * hours;
      if (chosen === null || cost < chosen.cost_per_month_usd) chosen = { instance: instance.name, service_ms: serviceMs, replicas, instances: count, cost_per_month_usd: cost };
    }
    return { precision, memory_gb: memory, chosen, rejected };
  });
  const baseline = options.find((o) => o.precision === baselinePrecision)!;
  if (baseline.chosen === null) {
    throw new RangeError(`quantisationLever: the baseline ${baselinePrecision} fits no instance: ${baseline.rejected.map((r) => `${r.instance}: ${r.reason}`).join('; ')}`);
  }
  const best = options.reduce((a, b) => (b.chosen !== null && b.chosen.cost_per_month_usd < a.chosen!.cost_per_month_usd ? b : a), baseline);
  return {
    lever: 'quantisation',
    saving_usd: baseline.chosen.cost_per_month_usd - best.chosen!.cost_per_month_usd,
    per: 'month',
    assumptions: [
      `${input.parameterCount} parameters at 4/2/1 bytes (fp32/fp16/int8) plus ${input.overheadGb} GB overhead per replica`,
      'service times as measured on each instance; a precision without a measurement is not considered',
      `${input.qps} requests/s with a ${input.peakToMean ?? 1}× peak, p99 objective ${input.p99Ms} ms (M/M/c)`,
      'accuracy loss from quantisation is not priced: check it on held-out data',
    ],
    details: { baseline, best, options },
  };
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
