import { z } from 'zod';
import { FiniteNumber, Timestamp } from './prediction.js';

/** DESIGN.md's cost taxonomy. */
export const CostCategory = z.enum([
  'variable.compute',
  'variable.bandwidth',
  'variable.operations',
  'fixed.hardware',
  'fixed.development.training',
  'fixed.development.developers',
]);
export type CostCategory = z.infer<typeof CostCategory>;

/** A FOCUS 1.0 row (the columns Outlay reads) plus Outlay's `x_` extensions. */
export const CostRecord = z.looseObject({
  ChargePeriodStart: Timestamp,
  ChargePeriodEnd: Timestamp,
  BilledCost: FiniteNumber,
  EffectiveCost: FiniteNumber.optional(),
  BillingCurrency: z.string().length(3).default('USD'),
  ProviderName: z.string().optional(),
  ServiceName: z.string().optional(),
  ResourceId: z.string().optional(),
  SkuId: z.string().optional(),
  PricingCategory: z.string().optional(),
  ChargeCategory: z.string().optional(),
  Tags: z.record(z.string(), z.string()).optional(),
  x_category: CostCategory.optional(),
  x_model: z.string().optional(),
  x_customer: z.string().optional(),
  x_variable_share: FiniteNumber.min(0).max(1).optional(),
});
export type CostRecord = z.infer<typeof CostRecord>;

export const RevenueRecord = z.strictObject({
  period_start: Timestamp,
  period_end: Timestamp,
  customer: z.string().min(1),
  amount: FiniteNumber,
  currency: z.string().length(3).default('USD'),
});
export type RevenueRecord = z.infer<typeof RevenueRecord>;

const Month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'expected a month YYYY-MM');
const IsoDate = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'expected a date YYYY-MM-DD');
const Usd = FiniteNumber.min(0, 'expected an amount ≥ 0');
const Attribution = {
  model: z.string().min(1).optional(),
  customer: z.string().min(1).optional(),
  variable_share: FiniteNumber.min(0).max(1).optional(),
};

/**
 * A cost entered by hand, turned into monthly cost records: an expense (people, annotation, tools) of
 * `amount_usd` each month from `start_month` to `end_month`; a capital asset amortised over `life_months` from
 * `in_service` with a salvage value, service and breakage; or a serving deployment of `replicas` instances
 * for whole months at a given price or the price book's price then in force.
 */
export const CostEntry = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('expense'),
    name: z.string().min(1),
    category: CostCategory,
    amount_usd: Usd,
    start_month: Month,
    /** Inclusive; default `start_month` (a one-off). */
    end_month: Month.optional(),
    vendor: z.string().min(1).optional(),
    ...Attribution,
  }),
  z.strictObject({
    kind: z.literal('asset'),
    name: z.string().min(1),
    category: CostCategory.default('fixed.hardware'),
    cost_usd: Usd,
    salvage_usd: Usd.default(0),
    life_months: z.number().int('expected a whole number of months').min(1, 'expected a life of at least 1 month'),
    in_service: IsoDate,
    method: z.enum(['straight-line', 'declining-balance']).default('straight-line'),
    service_per_month_usd: Usd.default(0),
    breakage_per_month_usd: Usd.default(0),
    vendor: z.string().min(1).optional(),
    ...Attribution,
  }),
  z.strictObject({
    kind: z.literal('deployment'),
    name: z.string().min(1).optional(),
    model: z.string().min(1),
    instance: z.string().min(1),
    replicas: z.number().int('expected a whole number of replicas').min(1),
    start_month: Month,
    end_month: Month.optional(),
    /** Given, or looked up in the price book by vendor, service, region, instance and purchase option. */
    price_per_hour_usd: Usd.optional(),
    vendor: z.string().min(1).optional(),
    service: z.string().min(1).optional(),
    region: z.string().min(1).optional(),
    purchase_option: z.enum(['on_demand', 'spot', 'commit_1y', 'commit_3y']).default('on_demand'),
    customer: z.string().min(1).optional(),
  }),
]);
export type CostEntry = z.infer<typeof CostEntry>;
