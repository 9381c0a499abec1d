import { z } from 'zod';
import { FiniteNumber, Name } from './prediction.js';

const Money = FiniteNumber;

/** What each outcome of a model costs the business (DESIGN.md: performance in money). */
export const CostMatrix = z.strictObject({
  false_negative: Money.default(0),
  false_positive: Money.default(0),
  true_positive: Money.default(0),
  true_negative: Money.default(0),
  /** A per-row amount column that scales the cost of a false negative (a missed fraud costs its amount). */
  amount_feature: z.string().optional(),
  /** Regressors: cost per unit of under- and over-prediction. */
  under_prediction_per_unit: Money.optional(),
  over_prediction_per_unit: Money.optional(),
});

export const ModelConfig = z.strictObject({
  name: Name,
  task: z.enum(['binary', 'multiclass', 'regression']).default('binary'),
  positive_class: z.union([z.string(), z.number(), z.boolean()]).optional(),
  cost: CostMatrix.optional(),
  known_factors: z.array(z.string()).default([]),
  segments: z.array(z.string()).default([]),
});

export const FunnelStage = z.strictObject({ name: Name, after: z.string().optional() });

export const PriceBookEntry = z.strictObject({
  vendor: z.string(),
  service: z.string().optional(),
  region: z.string().optional(),
  instance: z.string(),
  purchase_option: z.enum(['on_demand', 'spot', 'commit_1y', 'commit_3y']).default('on_demand'),
  price_per_hour_usd: Money.nonnegative(),
  effective_from: z.iso.date(),
  source: z.string().optional(),
});

export const Monitor = z.strictObject({
  name: Name,
  model: Name,
  metric: z.string(),
  window: z.enum(['hour', 'day', 'week']).default('day'),
  threshold: FiniteNumber.optional(),
  webhook: z.url().optional(),
});

export const ProjectConfig = z.strictObject({
  models: z.array(ModelConfig).default([]),
  funnel: z.array(FunnelStage).default([]),
  priors: z.record(z.string(), FiniteNumber.min(0)).default({}),
  monitors: z.array(Monitor).default([]),
  price_book: z.array(PriceBookEntry).default([]),
});
export type ProjectConfig = z.infer<typeof ProjectConfig>;
