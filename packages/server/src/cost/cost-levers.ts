import {
  capacityPlan,
  commitmentExpectedCost,
  commitmentLevel,
  quantisationLever,
  samplingRateLever,
  spotTraining,
  type Precision,
  type ProjectionScenario,
} from '@outlay/stats';
import { z } from 'zod';

const share = z.number().finite().min(0).max(1);
const positive = z.number().finite().positive();
const nonNegative = z.number().finite().nonnegative();
const PrecisionName = z.enum(['fp32', 'fp16', 'int8']);

/** The levers the Scale & scenarios page turns, each optional; each is priced against the scenario at scale 1. */
export const CostLeversInput = z.strictObject({
  /** Share of inputs scored instead of the scenario's own rate (24 fps → 4 fps is 1/6). */
  sampling_rate: z.number().finite().gt(0).max(1).optional(),
  /** Serve at another precision; service times must be measured on the scenario's serving instance. */
  precision: z
    .strictObject({
      chosen: PrecisionName,
      baseline: PrecisionName.default('fp32'),
      parameter_count: positive,
      overhead_gb: nonNegative,
      memory_gb: positive,
      measured_service_ms: z.strictObject({ fp32: positive.optional(), fp16: positive.optional(), int8: positive.optional() }),
    })
    .optional(),
  /** Move a share of the month's training work to spot instances, with checkpoints. */
  spot: z
    .strictObject({
      share,
      training_hours_per_month: positive,
      on_demand_price_per_hour_usd: nonNegative,
      spot_discount: z.number().finite().min(0).lt(1),
      interruptions_per_hour: nonNegative,
      checkpoint_interval_hours: positive,
      checkpoint_write_hours: nonNegative,
      restart_hours: nonNegative,
    })
    .optional(),
  /** Commit to a number of serving instances at a discount; the optimal level when `level` is absent. */
  commitment: z
    .strictObject({
      commit_discount: z.number().finite().min(0).lt(1),
      level: z.number().int().min(0).optional(),
    })
    .optional(),
});
export type CostLeversInput = z.infer<typeof CostLeversInput>;

/** One lever's answer: the monthly saving (negative: it costs more) and what it rests on. */
export interface LeverSaving {
  lever: 'sampling_rate' | 'precision' | 'spot_share' | 'commitment_level';
  saving_usd_per_month: number;
  /** Monthly cost of what the lever acts on, before and after. */
  before_usd: number;
  after_usd: number;
  assumptions: string[];
  details: Record<string, unknown>;
  /** Why the lever could not be priced (impossible input); the saving is then 0. The projection still stands. */
  error?: string;
}

/** Prices each lever given in `input` against `scenario` at scale 1, through the stats package's levers. */
export function costLevers(scenario: ProjectionScenario, input: CostLeversInput): LeverSaving[] {
  const hours = scenario.hoursPerMonth ?? 730;
  const meanQps = (scenario.volume.predictionsPerMonth * (scenario.volume.samplingRate ?? 1)) / (hours * 3600);
  const perInstance = scenario.serving.replicasPerInstance ?? 1;
  const minInstances = scenario.serving.minInstances ?? 1;
  const price = scenario.serving.instancePricePerHourUsd;
  const savings: LeverSaving[] = [];
  const { sampling_rate: samplingRate, precision, spot, commitment } = input;

  if (samplingRate !== undefined) priced(savings, 'sampling_rate', () => {
    const result = samplingRateLever(scenario, samplingRate);
    savings.push({
      lever: 'sampling_rate',
      saving_usd_per_month: result.saving_usd,
      before_usd: result.details.current_cost_usd,
      after_usd: result.details.proposed_cost_usd,
      assumptions: result.assumptions,
      details: { current_rate: result.details.current_rate, proposed_rate: result.details.proposed_rate },
    });
  });

  if (precision !== undefined) priced(savings, 'precision', () => {
    const p = precision;
    const result = quantisationLever({
      parameterCount: p.parameter_count,
      overheadGb: p.overhead_gb,
      qps: meanQps,
      peakToMean: scenario.volume.peakToMean,
      p99Ms: scenario.serving.p99Ms,
      baseline: p.baseline,
      hoursPerMonth: hours,
      instances: [{ name: 'serving instance', memoryGb: p.memory_gb, pricePerHourUsd: price, replicasPerInstance: perInstance, measuredServiceMs: p.measured_service_ms }],
    });
    const option = (precision: Precision) => result.details.options.find((o) => o.precision === precision)!;
    const baseline = option(p.baseline);
    const chosen = option(p.chosen);
    const before = baseline.chosen!.cost_per_month_usd;
    const after = chosen.chosen?.cost_per_month_usd ?? null;
    savings.push({
      lever: 'precision',
      saving_usd_per_month: after === null ? 0 : before - after,
      before_usd: before,
      after_usd: after ?? before,
      assumptions: after === null ? [...result.assumptions, `${p.chosen} cannot serve: ${chosen.rejected.map((r) => r.reason).join('; ')}`] : result.assumptions,
      details: {
        baseline: p.baseline,
        chosen: p.chosen,
        feasible: after !== null,
        best: result.details.best.precision,
        best_saving_usd_per_month: result.saving_usd,
        options: result.details.options,
      },
    });
  });

  if (spot !== undefined) priced(savings, 'spot_share', () => {
    const s = spot;
    const work = s.share * s.training_hours_per_month;
    const onDemandAll = s.training_hours_per_month * s.on_demand_price_per_hour_usd;
    if (work === 0) {
      savings.push({ lever: 'spot_share', saving_usd_per_month: 0, before_usd: onDemandAll, after_usd: onDemandAll, assumptions: ['no training work on spot'], details: { share: 0 } });
    } else {
      const result = spotTraining({
        workHours: work,
        onDemandPricePerHourUsd: s.on_demand_price_per_hour_usd,
        spotDiscount: s.spot_discount,
        interruptionsPerHour: s.interruptions_per_hour,
        checkpointIntervalHours: s.checkpoint_interval_hours,
        checkpointWriteHours: s.checkpoint_write_hours,
        restartHours: s.restart_hours,
      });
      savings.push({
        lever: 'spot_share',
        saving_usd_per_month: result.saving_usd,
        before_usd: onDemandAll,
        after_usd: onDemandAll - result.saving_usd,
        assumptions: [`${s.share * 100}% of ${s.training_hours_per_month} training instance-hours a month moved to spot`, ...result.assumptions],
        details: { share: s.share, ...result.details },
      });
    }
  });

  if (commitment !== undefined) priced(savings, 'commitment_level', () => {
    const c = commitment;
    const demand = dailyInstanceDemand(scenario, meanQps, perInstance, minInstances);
    const commitPrice = price * (1 - c.commit_discount);
    const optimal = price > 0 ? commitmentLevel({ demand: demand.instances, onDemandPricePerHourUsd: price, commitPricePerHourUsd: commitPrice }) : null;
    const level = c.level ?? optimal?.details.level ?? 0;
    const days = hours / 24;
    const onDemandOnly = demand.instances.reduce((sum, v) => sum + v, 0) * price * days;
    const committed = commitmentExpectedCost(demand.instances, level, price, commitPrice) * days;
    savings.push({
      lever: 'commitment_level',
      saving_usd_per_month: onDemandOnly - committed,
      before_usd: onDemandOnly,
      after_usd: committed,
      assumptions: [
        `a day of ${demand.peakHours} peak hour(s) at ${scenario.volume.peakToMean}× the mean traffic and the other hours at the level that keeps the mean (the scenario gives only the mean and the peak)`,
        `committed instances at ${c.commit_discount * 100}% off the on-demand $${price}/h, paid every hour; on demand for the rest`,
        ...(optimal === null ? [] : optimal.assumptions.slice(2)),
      ],
      details: {
        level,
        optimal_level: optimal?.details.level ?? 0,
        optimal_saving_usd_per_month: optimal === null ? 0 : optimal.saving_usd * days,
        hourly_instances: demand.instances,
      },
    });
  });
  return savings;
}

/** Runs one lever; impossible input for it (a RangeError from stats) is reported on the lever, not thrown. */
function priced(savings: LeverSaving[], lever: LeverSaving['lever'], compute: () => void): void {
  try {
    compute();
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    savings.push({ lever, saving_usd_per_month: 0, before_usd: 0, after_usd: 0, assumptions: [], details: {}, error: error.message });
  }
}

/**
 * Instances needed in each hour of a day whose traffic has k = ⌊12 / peak-to-mean⌋ hours (at least one) at the
 * scenario's peak and the rest at the level that keeps its mean; k ≤ 12 / p keeps the off-peak level above half
 * the mean's complement, never below zero.
 */
function dailyInstanceDemand(scenario: ProjectionScenario, meanQps: number, perInstance: number, minInstances: number): { instances: number[]; peakHours: number } {
  const peak = scenario.volume.peakToMean;
  const peakHours = Math.max(1, Math.floor(12 / peak));
  const offPeak = (24 - peakHours * peak) / (24 - peakHours);
  const instancesAt = (qps: number) => {
    const replicas = qps === 0 ? 0 : capacityPlan({ qps, serviceMs: scenario.serving.serviceMs, p99Ms: scenario.serving.p99Ms, maxReplicas: 10_000_000 }).replicas;
    return Math.max(minInstances, Math.ceil(replicas / perInstance));
  };
  const atPeak = instancesAt(meanQps * peak);
  const atOffPeak = instancesAt(meanQps * Math.max(0, offPeak));
  return { instances: Array.from({ length: 24 }, (_, h) => (h < peakHours ? atPeak : atOffPeak)), peakHours };
}

