import { z } from 'zod';

// The scenario JSON of `outlay cost project` and of `POST /v1/cost/project`: one contract for the CLI and the
// server. The bucket and purchase-option lists repeat the ones in @outlay/stats (schema depends on nothing of
// ours); the server's cost route test checks that they stay equal.

const positive = z.number().finite().positive();
const nonNegative = z.number().finite().nonnegative();
const wholePositive = z.number().int().min(1);

export const CostBucketName = z.enum([
  'variable.compute',
  'variable.bandwidth',
  'variable.operations',
  'fixed.hardware',
  'fixed.development.training',
  'fixed.development.developers',
]);
export type CostBucketName = z.infer<typeof CostBucketName>;

export const PurchaseOptionName = z.enum(['on_demand', 'spot', 'commit_1y', 'commit_3y']);
export type PurchaseOptionName = z.infer<typeof PurchaseOptionName>;

const growth = z.strictObject({ at_base: nonNegative, exponent: nonNegative });

const PriceKeyInput = z.strictObject({
  vendor: z.string().min(1),
  service: z.string().min(1),
  region: z.string().min(1),
  instance: z.string().min(1),
  purchase_option: PurchaseOptionName.default('on_demand'),
});

const CostLineInput = z
  .strictObject({
    name: z.string().min(1),
    bucket: CostBucketName,
    driver: z.enum(['predictions', 'customers', 'models', 'none']),
    per_unit_usd: nonNegative.optional(),
    step: z.strictObject({ units_per_step: positive, cost_per_step_usd: nonNegative }).optional(),
    power: z.strictObject({ cost_at_base_usd: nonNegative, exponent: positive }).optional(),
    monthly_usd: nonNegative.optional(),
  })
  .refine((line) => [line.per_unit_usd, line.step, line.power, line.monthly_usd].filter((r) => r !== undefined).length === 1, {
    message: 'expected exactly one of per_unit_usd, step, power, monthly_usd',
  });

/** One scenario: volume, serving, bandwidth, storage, variety and cost lines, at scale 1. */
export const CostScenario = z.strictObject({
  name: z.string().min(1),
  hours_per_month: positive.optional(),
  volume: z.strictObject({
    predictions_per_month: positive,
    peak_to_mean: z.number().finite().min(1),
    sampling_rate: z.number().finite().gt(0).max(1).optional(),
  }),
  serving: z
    .strictObject({
      service_ms: positive,
      p99_ms: positive,
      price_per_hour_usd: nonNegative.optional(),
      instance: PriceKeyInput.optional(),
      replicas_per_instance: wholePositive.optional(),
      min_instances: wholePositive.optional(),
    })
    .refine((s) => (s.price_per_hour_usd === undefined) !== (s.instance === undefined), {
      message: 'expected either price_per_hour_usd or instance (a price-book key), not both or neither',
    }),
  bandwidth: z
    .strictObject({
      bytes_per_prediction: nonNegative,
      tiers: z.array(z.strictObject({ up_to_gb: positive.nullable(), price_per_gb_usd: nonNegative })).min(1),
    })
    .optional(),
  storage: z
    .strictObject({ bytes_per_prediction: nonNegative, price_per_gb_month_usd: nonNegative, retained_months: nonNegative, bucket: CostBucketName.optional() })
    .optional(),
  variety: z.strictObject({ customers: growth.optional(), models: growth.optional() }).optional(),
  costs: z.array(CostLineInput).default([]),
});
export type CostScenario = z.infer<typeof CostScenario>;

/** A scale: a volume multiple, or volume, velocity and variety knobs. */
export const CostScale = z.union([positive, z.strictObject({ volume: positive, velocity: positive.optional(), variety: positive.optional() })]);
export type CostScale = z.infer<typeof CostScale>;

const PriceBookInput = z.strictObject({
  vendor: z.string().min(1),
  service: z.string().min(1),
  region: z.string().min(1),
  instance: z.string().min(1),
  purchase_option: PurchaseOptionName.default('on_demand'),
  price_per_hour_usd: nonNegative.nullable(),
  effective_from: z.iso.date(),
  source: z.string().optional(),
});

export const CostScenarioFile = z.strictObject({
  /** Prices on this date (YYYY-MM-DD); today unless given. */
  price_date: z.iso.date().optional(),
  /** Use the default catalogue of instance prices under the file's own price_book; true unless given. */
  use_default_catalogue: z.boolean().default(true),
  price_book: z.array(PriceBookInput).default([]),
  scales: z.array(CostScale).min(1).optional(),
  scenarios: z.array(CostScenario).min(1),
});
export type CostScenarioFile = z.infer<typeof CostScenarioFile>;
