import { z } from 'zod';
import { FiniteNumber, Name } from './prediction.js';

const Money = FiniteNumber;

/**
 * What each outcome of a model costs the business (DESIGN.md: performance in money). The costs of the two
 * errors have no default: a matrix that leaves one out is refused where a cost is computed, never read as 0.
 */
export const CostMatrix = z.strictObject({
  false_negative: Money.optional(),
  false_positive: Money.optional(),
  true_positive: Money.default(0),
  true_negative: Money.default(0),
  /** A numeric feature added to the cost of each false negative (a missed fraud costs false_negative plus its amount). */
  amount_feature: z.string().optional(),
  /** Regressors: cost per unit of under- and over-prediction. */
  under_prediction_per_unit: Money.optional(),
  over_prediction_per_unit: Money.optional(),
});

/**
 * One term of a series adjustment: `weekday` or `hour` (seasonality), `known` (the model's `known_factors`),
 * `COLUMN` (a numeric feature or segment: its mean per window is the regressor) or `COLUMN=VALUE` (the share of
 * the window's rows with that value, e.g. `origin=ORD`).
 */
export const AdjustTerm = z
  .string()
  .trim()
  .regex(/^[^=\s,][^=,]*(=[^,]+)?$/, {
    message: 'expected weekday, hour, known, a numeric feature or segment name (e.g. distance), or COLUMN=VALUE for the share of a value (e.g. origin=ORD)',
  });

/** A declared known factor of a model: `COLUMN` (numeric, its mean per window) or `COLUMN=VALUE` (a share). */
export const KnownFactor = AdjustTerm.refine((t) => t !== 'weekday' && t !== 'hour' && t !== 'known', {
  message: 'a known factor is a column (e.g. distance) or COLUMN=VALUE (e.g. origin=ORD); weekday and hour go in adjust',
});

export const ModelConfig = z.strictObject({
  name: Name,
  task: z.enum(['binary', 'multiclass', 'regression']).default('binary'),
  positive_class: z.union([z.string(), z.number(), z.boolean()]).optional(),
  cost: CostMatrix.optional(),
  /** Factors `adjust=known` regresses out of the model's metric series. */
  known_factors: z.array(KnownFactor).default([]),
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

/** When a monitor breaches: a fixed threshold, a change relative to the windows before, or outside the smoothing's control limits. */
export const MonitorCondition = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('static'), op: z.enum(['>', '<']), value: FiniteNumber }),
  z.strictObject({
    type: z.literal('relative'),
    /** Windows before the evaluated one whose sample-weighted mean is the baseline. */
    baseline_windows: z.number().int().min(1).max(1000),
    /** |current − baseline| / |baseline| above this breaches (0.2 = 20 %). */
    max_relative_change: FiniteNumber.positive(),
    /** Which way of change breaches. */
    direction: z.enum(['increase', 'decrease', 'both']).default('both'),
  }),
  z.strictObject({
    type: z.literal('control_limits'),
    smooth: z.enum(['ewma', 'kalman']),
    /** Windows of history before the evaluated one (the reference that sets the target and σ). */
    reference_windows: z.number().int().min(2).max(1000).default(28),
  }),
]);
export type MonitorCondition = z.infer<typeof MonitorCondition>;

export const MonitorSlice = z.strictObject({ column: z.string().min(1), value: z.union([z.string(), FiniteNumber, z.boolean()]) });
export type MonitorSlice = z.infer<typeof MonitorSlice>;

/**
 * A condition on a metric of a model (optionally one slice), per window, evaluated by the server on a schedule
 * and on demand. `threshold` and `webhook` are the first, shorter form: `threshold` alone is a static `>`
 * condition and `webhook` one more entry of `webhooks`.
 */
export const Monitor = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/).optional(),
  name: Name,
  model: Name,
  metric: z.string(),
  window: z.enum(['hour', 'day', 'week']).default('day'),
  threshold: FiniteNumber.optional(),
  webhook: z.url().optional(),
  slice: MonitorSlice.optional(),
  condition: MonitorCondition.optional(),
  /** Seasonality and known factors regressed out of the series before the condition is checked (see AdjustTerm). */
  adjust: z.array(AdjustTerm).default([]),
  /** Fewer rows behind the window's value (labelled rows for label-based metrics): `insufficient_data`, never a breach. */
  min_sample: z.number().int().min(1).default(30),
  webhooks: z.array(z.url()).default([]),
  enabled: z.boolean().default(true),
});
export type Monitor = z.infer<typeof Monitor>;

export const ProjectConfig = z.strictObject({
  models: z.array(ModelConfig).default([]),
  funnel: z.array(FunnelStage).default([]),
  priors: z.record(z.string(), FiniteNumber.min(0)).default({}),
  monitors: z.array(Monitor).default([]),
  price_book: z.array(PriceBookEntry).default([]),
});
export type ProjectConfig = z.infer<typeof ProjectConfig>;
