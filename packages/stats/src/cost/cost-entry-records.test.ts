import { describe, expect, it } from 'vitest';
import { costEntryRecords } from './cost-entry-records.js';
import { defaultPriceCatalogue } from './default-price-catalogue.js';

describe('costEntryRecords', () => {
  it('repeats an expense in every month of its range, attributed as declared', () => {
    const records = costEntryRecords({ kind: 'expense', name: 'labelling vendor', category: 'variable.operations', amount_usd: 900, start_month: '2025-12', end_month: '2026-02', customer: 'acme', variable_share: 0.6 });
    expect(records.map((r) => [r.ChargePeriodStart, r.ChargePeriodEnd, r.BilledCost])).toEqual([
      ['2025-12-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', 900],
      ['2026-01-01T00:00:00.000Z', '2026-02-01T00:00:00.000Z', 900],
      ['2026-02-01T00:00:00.000Z', '2026-03-01T00:00:00.000Z', 900],
    ]);
    expect(records[0]).toMatchObject({ x_category: 'variable.operations', x_customer: 'acme', x_variable_share: 0.6, ServiceName: 'labelling vendor', ProviderName: 'manual' });
  });

  it('amortises an asset month by month: $12,600 − $600 salvage over 24 months is $500 a month plus service', () => {
    const records = costEntryRecords({
      kind: 'asset', name: 'GPU server', category: 'fixed.hardware', cost_usd: 12_600, salvage_usd: 600, life_months: 24, in_service: '2026-01-20',
      method: 'straight-line', service_per_month_usd: 40, breakage_per_month_usd: 10,
    });
    expect(records).toHaveLength(24);
    expect(records[0]!.ChargePeriodStart).toBe('2026-01-01T00:00:00.000Z');
    expect(records[23]!.ChargePeriodStart).toBe('2027-12-01T00:00:00.000Z');
    for (const r of records) expect(r.BilledCost).toBeCloseTo(550, 9);
    expect(records[23]!.Tags['outlay:book_value_usd']).toBe('600');
  });

  it('refuses a life of zero and an end before the start, naming the field', () => {
    expect(() => costEntryRecords({ kind: 'asset', name: 'x', category: 'fixed.hardware', cost_usd: 1, salvage_usd: 0, life_months: 0, in_service: '2026-01-01', method: 'straight-line', service_per_month_usd: 0, breakage_per_month_usd: 0 }))
      .toThrow(/life must be a whole number/);
    expect(() => costEntryRecords({ kind: 'expense', name: 'x', category: 'variable.operations', amount_usd: 1, start_month: '2026-03', end_month: '2026-02' })).toThrow(/end_month/);
  });

  it('prices a deployment per replica and month from the price book, and never at $0 when the price is missing', () => {
    // July 2026 has 744 hours; g5.xlarge on demand is $1.006 from 2026-06-17 in the catalogue, so March has no
    // price in force; February has 672 hours.
    const key = { vendor: 'aws', service: 'AmazonEC2', region: 'us-east-1', instance: 'g5.xlarge', purchase_option: 'on_demand' as const };
    const records = costEntryRecords({ kind: 'deployment', model: 'fraud', replicas: 2, start_month: '2026-07', end_month: '2026-07', ...key }, defaultPriceCatalogue);
    expect(records).toHaveLength(2);
    expect(records[0]!.BilledCost).toBeCloseTo(744 * 1.006, 9);
    expect(records.map((r) => r.ResourceId)).toEqual(['fraud/g5.xlarge/1', 'fraud/g5.xlarge/2']);
    expect(records[0]).toMatchObject({ x_category: 'variable.compute', x_model: 'fraud', SkuId: 'g5.xlarge', PricingCategory: 'Standard' });
    expect(() => costEntryRecords({ kind: 'deployment', model: 'fraud', replicas: 1, start_month: '2026-03', ...key }, defaultPriceCatalogue)).toThrow(/price_per_hour_usd: no price .* first price is effective from 2026-06-17/);
    const given = costEntryRecords({ kind: 'deployment', model: 'fraud', instance: 'box', replicas: 1, start_month: '2026-02', price_per_hour_usd: 0.5, purchase_option: 'spot' });
    expect(given[0]!.BilledCost).toBeCloseTo(672 * 0.5, 9);
    expect(given[0]!.PricingCategory).toBe('Dynamic');
  });
});
