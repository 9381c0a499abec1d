import { spotTraining } from './spot-training.js';

/** A model's serving over a period: its declared capacity and its traffic hour by hour. */
export interface ServingUsage {
  model: string;
  /** Replicas declared (provisioned the whole period). */
  replicas: number;
  pricePerReplicaHourUsd: number;
  /** Predictions in each hour of the period, zeros included: its length is the period's hours. */
  hourlyPredictions: number[];
  /** Mean time one replica spends per prediction. */
  meanServiceSeconds: number;
  /** Requests one replica serves at once (default 1). */
  concurrencyPerReplica?: number;
}

/** Ledger sums the opportunities read; every field optional, an absent one yields no opportunity. */
export interface CostOpportunityInput {
  serving?: ServingUsage[];
  /** Busy share a replica may run at (default 0.7): the headroom every replica count below keeps. */
  targetUtilisation?: number;
  /** Training compute bought on demand (not spot, not committed) in the period. */
  onDemandTrainingCostUsd?: number;
  /** Spot discount off on-demand for training (default: the catalogue's GCP a2-highgpu-1g, 1 − 1.293355 / 3.673385). */
  spotDiscount?: number;
  /** Variable compute cost of serving and the share of predictions repeating the previous input of their stream. */
  redundant?: { variableComputeCostUsd: number; duplicateShare: number; predictions: number };
  /** Storage (logs, features, predictions) in the period, how many months are kept and how many must stay hot. */
  storage?: { costUsd: number; retainedMonths: number; hotMonths: number };
}

export type CostOpportunityKind = 'idle_capacity' | 'peak_to_mean' | 'spot_training' | 'redundant_predictions' | 'retention';

export interface CostOpportunity {
  rank: number;
  kind: CostOpportunityKind;
  /** The model it is about, or null for the whole ledger. */
  model: string | null;
  title: string;
  /** What the opportunity saves over the period of the data. */
  saving_usd: number;
  /** The cost it acts on. */
  cost_usd: number;
  data: Record<string, number | string | null>;
  assumptions: string[];
}

// AWS S3 list prices, us-east-1, first 50 TB: Standard $0.023 per GB-month, Glacier Deep Archive $0.00099
// (https://aws.amazon.com/s3/pricing/; long-standing list prices, not re-read when this was written: check them).
// Archive, then delete: never disable logs.
const hotStorageUsdPerGbMonth = 0.023;
const archiveStorageUsdPerGbMonth = 0.00099;
// Defaults for spot training, from the default catalogue (GCP a2-highgpu-1g on-demand 3.673385, spot 1.293355).
const catalogueSpotDiscount = 1 - 1.293355 / 3.673385;

/**
 * Ranked savings from usage and ledger summaries, each with the data behind it and the assumptions it rests on:
 * - idle capacity: replicas above what the busiest hour needs at the target utilisation, for the whole period;
 * - peak-to-mean: replicas held for the peak in hours that needed fewer (hourly autoscaling: Σ (peak − need_h));
 * - spot-eligible training: on-demand training compute moved to spot with checkpoints (`spotTraining`);
 * - redundant predictions: the duplicate share of the variable compute cost (served from a cache instead);
 * - retention: storage older than the hot window moved to an archive tier.
 * Replicas needed in an hour: ⌈predictions × service seconds / (3600 × concurrency × target utilisation)⌉, at least 1.
 */
export function findCostOpportunities(input: CostOpportunityInput): CostOpportunity[] {
  const target = input.targetUtilisation ?? 0.7;
  if (!(target > 0 && target <= 1)) throw new RangeError(`findCostOpportunities: targetUtilisation must lie in (0, 1], got ${target}`);
  const found: Omit<CostOpportunity, 'rank'>[] = [];

  for (const s of input.serving ?? []) {
    const concurrency = s.concurrencyPerReplica ?? 1;
    for (const [name, v] of [['replicas', s.replicas], ['pricePerReplicaHourUsd', s.pricePerReplicaHourUsd], ['meanServiceSeconds', s.meanServiceSeconds], ['concurrencyPerReplica', concurrency]] as const) {
      if (!(Number.isFinite(v) && v >= 0)) throw new RangeError(`findCostOpportunities: serving ${s.model}: ${name} must be a finite number ≥ 0, got ${v}`);
    }
    const hours = s.hourlyPredictions.length;
    if (hours === 0 || concurrency === 0) continue;
    const needed = s.hourlyPredictions.map((n) => Math.max(1, Math.ceil((n * s.meanServiceSeconds) / (3600 * concurrency * target) - 1e-9)));
    const peakNeed = Math.max(...needed);
    const peakCount = Math.max(...s.hourlyPredictions);
    const meanCount = s.hourlyPredictions.reduce((a, b) => a + b, 0) / hours;
    const provisioned = s.replicas * hours * s.pricePerReplicaHourUsd;
    const common = {
      replicas: s.replicas,
      hours,
      price_per_replica_hour_usd: s.pricePerReplicaHourUsd,
      mean_service_ms: s.meanServiceSeconds * 1000,
      peak_hour_predictions: peakCount,
      mean_hour_predictions: meanCount,
      replicas_for_peak: peakNeed,
    };
    const assumption = `a replica runs at most ${target * 100}% busy (${concurrency} request${concurrency === 1 ? '' : 's'} at once); replicas needed in an hour = ⌈predictions × service time / (3600 s × concurrency × ${target})⌉, at least 1`;
    if (s.replicas > peakNeed) {
      const spare = s.replicas - peakNeed;
      found.push({
        kind: 'idle_capacity',
        model: s.model,
        title: `${s.model}: ${count(spare)} of ${count(s.replicas)} replicas are idle even in the busiest hour`,
        saving_usd: spare * hours * s.pricePerReplicaHourUsd,
        cost_usd: provisioned,
        data: { ...common, utilisation: (meanCount * s.meanServiceSeconds) / (3600 * concurrency * s.replicas) },
        assumptions: [assumption, 'the busiest hour of the period is the peak to provision for'],
      });
    }
    const held = Math.min(s.replicas, peakNeed);
    const autoscaledHours = needed.reduce((a, n) => a + Math.min(n, held), 0);
    const gapHours = held * hours - autoscaledHours;
    if (gapHours > 0) {
      found.push({
        kind: 'peak_to_mean',
        model: s.model,
        title: `${s.model}: traffic peaks at ${(peakCount / Math.max(meanCount, Number.MIN_VALUE)).toFixed(1)}× its mean; scaling replicas hour by hour frees ${count(gapHours)} replica-hours`,
        saving_usd: gapHours * s.pricePerReplicaHourUsd,
        cost_usd: held * hours * s.pricePerReplicaHourUsd,
        data: { ...common, peak_to_mean: meanCount > 0 ? peakCount / meanCount : null, replica_hours_at_peak: held * hours, replica_hours_autoscaled: autoscaledHours },
        assumptions: [assumption, 'an autoscaler follows hourly demand with no lag and no minimum above 1; cold starts are not costed'],
      });
    }
  }

  if (input.onDemandTrainingCostUsd !== undefined && input.onDemandTrainingCostUsd > 0) {
    const discount = input.spotDiscount ?? catalogueSpotDiscount;
    // Per unit of work the saving share does not depend on the job's length: one hour at the whole cost stands for it.
    const lever = spotTraining({
      workHours: 1,
      onDemandPricePerHourUsd: input.onDemandTrainingCostUsd,
      spotDiscount: discount,
      interruptionsPerHour: 0.05,
      checkpointIntervalHours: 1,
      checkpointWriteHours: 0.05,
      restartHours: 0.1,
    });
    found.push({
      kind: 'spot_training',
      model: null,
      title: `training compute bought on demand could run on spot instances with checkpoints`,
      saving_usd: lever.saving_usd,
      cost_usd: input.onDemandTrainingCostUsd,
      data: { on_demand_training_cost_usd: input.onDemandTrainingCostUsd, spot_discount: discount, overhead_share: lever.details.overhead_share },
      assumptions: [
        input.spotDiscount === undefined ? `spot discount ${(discount * 100).toFixed(1)}%: GCP a2-highgpu-1g spot vs on-demand in the default catalogue` : `spot discount ${(discount * 100).toFixed(1)}% (given)`,
        'one interruption per 20 instance-hours, a checkpoint every hour taking 3 minutes, 6 minutes to restart (Young 1974 model)',
        'the jobs can checkpoint and resume',
      ],
    });
  }

  if (input.redundant && input.redundant.duplicateShare > 0 && input.redundant.variableComputeCostUsd > 0) {
    const { variableComputeCostUsd: cost, duplicateShare: share, predictions } = input.redundant;
    if (!(share <= 1)) throw new RangeError(`findCostOpportunities: duplicateShare must lie in [0, 1], got ${share}`);
    found.push({
      kind: 'redundant_predictions',
      model: null,
      title: `${(share * 100).toFixed(1)}% of predictions repeat a near-identical previous input: serve them from a cache or skip them`,
      saving_usd: cost * share,
      cost_usd: cost,
      data: { duplicate_share: share, predictions, redundant_predictions: Math.round(predictions * share) },
      assumptions: ['variable compute cost is proportional to predictions', 'a cache hit costs nothing next to a prediction'],
    });
  }

  if (input.storage && input.storage.costUsd > 0) {
    const { costUsd, retainedMonths, hotMonths } = input.storage;
    if (!(retainedMonths >= hotMonths && hotMonths >= 0 && retainedMonths > 0)) {
      throw new RangeError(`findCostOpportunities: storage needs retainedMonths ≥ hotMonths ≥ 0 and retainedMonths > 0, got ${retainedMonths} and ${hotMonths}`);
    }
    // Data accumulating evenly over the retained months: the share older than the hot window.
    const archivable = (retainedMonths - hotMonths) / retainedMonths;
    const ratio = archiveStorageUsdPerGbMonth / hotStorageUsdPerGbMonth;
    found.push({
      kind: 'retention',
      model: null,
      title: `${(archivable * 100).toFixed(0)}% of stored data is older than ${hotMonths} month${hotMonths === 1 ? '' : 's'}: archive it, then delete it at the end of retention`,
      saving_usd: costUsd * archivable * (1 - ratio),
      cost_usd: costUsd,
      data: { retained_months: retainedMonths, hot_months: hotMonths, archivable_share: archivable, archive_to_hot_price_ratio: ratio },
      assumptions: [
        'stored data accumulates evenly over the retained months',
        `archive tier at ${archiveStorageUsdPerGbMonth} vs hot at ${hotStorageUsdPerGbMonth} USD per GB-month (AWS S3 Glacier Deep Archive vs Standard, us-east-1)`,
        'archived data is rarely read back (retrieval is not costed)',
      ],
    });
  }

  return found
    .filter((o) => o.saving_usd > 0)
    .sort((a, b) => b.saving_usd - a.saving_usd || a.kind.localeCompare(b.kind))
    .map((o, i) => ({ rank: i + 1, ...o }));
}

/** A count for a title: whole when it is, else two decimals (replicas averaged over a period can be fractional). */
const count = (x: number): string => (Number.isInteger(x) ? String(x) : x.toFixed(2));
