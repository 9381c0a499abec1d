import type { LeverResult } from './lever-result.js';

export interface UsagePriceTier {
  /** Cumulative upper bound of the tier in units; null for the last, open tier. */
  upTo: number | null;
  pricePerUnitUsd: number;
}

export interface TieredPricingInput {
  /** Units each customer uses in a month. */
  usagePerCustomer: readonly number[];
  /** Graduated tiers: each unit is charged at the price of the tier it falls in. */
  tiers: readonly UsagePriceTier[];
  flatPricePerUnitUsd: number;
  variableCostPerUnitUsd: number;
}

export interface TieredPricingDetails {
  units: number;
  variable_cost_usd: number;
  tiered_revenue_usd: number;
  flat_revenue_usd: number;
  tiered_contribution_usd: number;
  flat_contribution_usd: number;
  /** Contribution margin as a share of revenue (null without revenue). */
  tiered_margin: number | null;
  flat_margin: number | null;
  per_customer: { usage: number; tiered_revenue_usd: number; flat_revenue_usd: number }[];
}

/**
 * Tiered vs flat pricing: each customer's monthly usage charged through graduated tiers, against the same usage
 * at a flat price per unit; the contribution is revenue minus the variable cost of the units. saving_usd is the
 * contribution under tiers minus under the flat price (positive: tiers earn more).
 */
export function tieredPricingLever(input: TieredPricingInput): LeverResult<TieredPricingDetails> {
  if (input.usagePerCustomer.length === 0) throw new RangeError('tieredPricingLever: usagePerCustomer is empty');
  input.usagePerCustomer.forEach((u, i) => {
    if (!(Number.isFinite(u) && u >= 0)) throw new RangeError(`tieredPricingLever: usagePerCustomer[${i}] must be a finite number ≥ 0, got ${u}`);
  });
  if (input.tiers.length === 0) throw new RangeError('tieredPricingLever: give at least one tier');
  let previous = 0;
  input.tiers.forEach((t, i) => {
    if (!(Number.isFinite(t.pricePerUnitUsd) && t.pricePerUnitUsd >= 0)) throw new RangeError(`tieredPricingLever: tiers[${i}].pricePerUnitUsd must be a finite number ≥ 0, got ${t.pricePerUnitUsd}`);
    if (t.upTo === null ? i !== input.tiers.length - 1 : !(t.upTo > previous)) {
      throw new RangeError(`tieredPricingLever: tiers[${i}].upTo must rise above ${previous}, and only the last tier may be open (null)`);
    }
    previous = t.upTo ?? previous;
  });
  if (input.tiers.at(-1)!.upTo !== null) throw new RangeError('tieredPricingLever: the last tier must be open (upTo null) so every unit has a price');
  for (const [name, v] of Object.entries({ flatPricePerUnitUsd: input.flatPricePerUnitUsd, variableCostPerUnitUsd: input.variableCostPerUnitUsd })) {
    if (!(Number.isFinite(v) && v >= 0)) throw new RangeError(`tieredPricingLever: ${name} must be a finite number ≥ 0, got ${v}`);
  }
  const charge = (usage: number) => {
    let revenue = 0;
    let from = 0;
    for (const tier of input.tiers) {
      const upTo = tier.upTo ?? Number.POSITIVE_INFINITY;
      if (usage <= from) break;
      revenue += (Math.min(usage, upTo) - from) * tier.pricePerUnitUsd;
      from = upTo;
    }
    return revenue;
  };
  const perCustomer = input.usagePerCustomer.map((usage) => ({ usage, tiered_revenue_usd: charge(usage), flat_revenue_usd: usage * input.flatPricePerUnitUsd }));
  const units = input.usagePerCustomer.reduce((a, b) => a + b, 0);
  const variable = units * input.variableCostPerUnitUsd;
  const tiered = perCustomer.reduce((a, c) => a + c.tiered_revenue_usd, 0);
  const flat = units * input.flatPricePerUnitUsd;
  return {
    lever: 'tiered_pricing',
    saving_usd: tiered - variable - (flat - variable),
    per: 'month',
    assumptions: [
      `${input.usagePerCustomer.length} customers using ${units} units a month, the same under either price (demand does not respond to price)`,
      `variable cost ${input.variableCostPerUnitUsd} USD per unit; fixed costs are the same either way and left out`,
      'positive saving: tiers earn more contribution than the flat price',
    ],
    details: {
      units,
      variable_cost_usd: variable,
      tiered_revenue_usd: tiered,
      flat_revenue_usd: flat,
      tiered_contribution_usd: tiered - variable,
      flat_contribution_usd: flat - variable,
      tiered_margin: tiered > 0 ? (tiered - variable) / tiered : null,
      flat_margin: flat > 0 ? (flat - variable) / flat : null,
      per_customer: perCustomer,
    },
  };
}
