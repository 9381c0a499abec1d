import type { LeverResult } from './lever-result.js';

export interface LogRetentionTier {
  name: string;
  /** Days a log stays in this tier before moving to the next (after the last: deleted). */
  days: number;
  pricePerGbMonthUsd: number;
}

export interface LogRetentionInput {
  bytesPerPrediction: number;
  predictionsPerDay: number;
  /** Hot first, then colder tiers (archive). */
  tiers: readonly LogRetentionTier[];
}

export interface LogRetentionDetails {
  gb_per_day: number;
  retention_days: number;
  tiers: { name: string; days: number; stored_gb: number; cost_per_month_usd: number }[];
  tiered_per_month_usd: number;
  all_hot_per_month_usd: number;
}

/**
 * Log retention in tiers: in steady state a tier holding logs for d days stores GB/day × d, billed at its price per
 * GB-month; after the last tier the logs are deleted. The baseline keeps everything in the first (hot) tier for the
 * total retention. A total retention of zero (logs disabled) is refused: never disable logs.
 */
export function logRetentionLever(input: LogRetentionInput): LeverResult<LogRetentionDetails> {
  for (const [name, v] of Object.entries({ bytesPerPrediction: input.bytesPerPrediction, predictionsPerDay: input.predictionsPerDay })) {
    if (!(Number.isFinite(v) && v >= 0)) throw new RangeError(`logRetentionLever: ${name} must be a finite number ≥ 0, got ${v}`);
  }
  input.tiers.forEach((t, i) => {
    if (!(Number.isFinite(t.days) && t.days >= 0)) throw new RangeError(`logRetentionLever: tiers[${i}].days must be a finite number ≥ 0, got ${t.days}`);
    if (!(Number.isFinite(t.pricePerGbMonthUsd) && t.pricePerGbMonthUsd >= 0)) {
      throw new RangeError(`logRetentionLever: tiers[${i}].pricePerGbMonthUsd must be a finite number ≥ 0, got ${t.pricePerGbMonthUsd}`);
    }
  });
  const retention = input.tiers.reduce((sum, t) => sum + t.days, 0);
  if (input.tiers.length === 0 || retention === 0) {
    throw new RangeError('logRetentionLever: a total retention of 0 days disables logs: never disable logs; archive them in a cheaper tier instead');
  }
  const gbPerDay = (input.bytesPerPrediction * input.predictionsPerDay) / 1e9;
  const tiers = input.tiers.map((t) => ({ name: t.name, days: t.days, stored_gb: gbPerDay * t.days, cost_per_month_usd: gbPerDay * t.days * t.pricePerGbMonthUsd }));
  const tiered = tiers.reduce((sum, t) => sum + t.cost_per_month_usd, 0);
  const hot = input.tiers[0]!;
  const allHot = gbPerDay * retention * hot.pricePerGbMonthUsd;
  return {
    lever: 'log_retention',
    saving_usd: allHot - tiered,
    per: 'month',
    assumptions: [
      `${input.predictionsPerDay} predictions a day at ${input.bytesPerPrediction} bytes each, steady state (stored volume = GB/day × days in the tier)`,
      `kept ${input.tiers.map((t) => `${t.days} days ${t.name}`).join(', then ')}, then deleted; the baseline keeps all ${retention} days in ${hot.name}`,
      'transition, retrieval and minimum-duration charges of archive tiers are not priced',
    ],
    details: { gb_per_day: gbPerDay, retention_days: retention, tiers, tiered_per_month_usd: tiered, all_hot_per_month_usd: allHot },
  };
}
