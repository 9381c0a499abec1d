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
