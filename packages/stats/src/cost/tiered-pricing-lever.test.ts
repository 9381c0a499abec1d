import { describe, expect, it } from 'vitest';
import { tieredPricingLever, type TieredPricingInput } from './tiered-pricing-lever.js';

// Hand-worked: tiers up to 1,000 units at $0.01, up to 10,000 at $0.008, beyond at $0.005; flat $0.008; variable $0.003.
// Customer 500: 500 × 0.01 = $5. Customer 5,000: 10 + 4,000 × 0.008 = $42.
// Customer 20,000: 10 + 9,000 × 0.008 + 10,000 × 0.005 = 10 + 72 + 50 = $132. Tiered revenue $179.
// Units 25,500: variable $76.50; tiered contribution 179 − 76.50 = $102.50 (margin 57.3%).
// Flat: 25,500 × 0.008 = $204, contribution $127.50. Saving = 102.50 − 127.50 = −$25 (tiers earn less here).
const input: TieredPricingInput = {
  usagePerCustomer: [500, 5_000, 20_000],
  tiers: [
    { upTo: 1_000, pricePerUnitUsd: 0.01 },
    { upTo: 10_000, pricePerUnitUsd: 0.008 },
    { upTo: null, pricePerUnitUsd: 0.005 },
  ],
  flatPricePerUnitUsd: 0.008,
  variableCostPerUnitUsd: 0.003,
};

describe('tieredPricingLever', () => {
  it('charges each customer through the tiers and compares contribution with a flat price', () => {
    const result = tieredPricingLever(input);
    expect(result.details.per_customer.map((c) => c.tiered_revenue_usd)).toEqual([expect.closeTo(5, 9), expect.closeTo(42, 9), expect.closeTo(132, 9)]);
    expect(result.details.tiered_revenue_usd).toBeCloseTo(179, 9);
    expect(result.details.variable_cost_usd).toBeCloseTo(76.5, 9);
    expect(result.details.tiered_contribution_usd).toBeCloseTo(102.5, 9);
    expect(result.details.flat_contribution_usd).toBeCloseTo(127.5, 9);
    expect(result.details.tiered_margin).toBeCloseTo(102.5 / 179, 9);
    expect(result.saving_usd).toBeCloseTo(-25, 9);
  });

  it('refuses tiers that leave units unpriced', () => {
    expect(() => tieredPricingLever({ ...input, tiers: [{ upTo: 1_000, pricePerUnitUsd: 0.01 }] })).toThrow(/last tier must be open/);
  });
});
