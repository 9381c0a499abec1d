import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { marginalCostTrend, unitMetrics, variableCostOf, type UnitMetricsPeriodInput } from './unit-metrics.js';

// Hand-worked February: 10,000 predictions (a 7,500, b 2,500); compute $40 (variable, unattributed), annotation
// for b $20 of which half is variable, engineers $100 (fixed). Revenue a $300, b $100.
// total 160, variable 50, fixed 110; per prediction 0.005, per 1k 5, per customer 25, per revenue dollar 0.125;
// ARR 400 × 12 = 4,800, annualised variable 600 → 12.5%; margin 350 (0.875).
// Per customer: a gets 40 × 0.75 = 30 (margin 270), b 10 + 40 × 0.25 = 20 (margin 80).
const february: UnitMetricsPeriodInput = {
  period: '2026-02-01T00:00:00.000Z',
  predictions: 10_000,
  predictionsByCustomer: { a: 7500, b: 2500 },
  costs: [
    { category: 'variable.compute', customer: null, costUsd: 40, variableCostUsd: 40 },
    { category: 'variable.operations', customer: 'b', costUsd: 20, variableCostUsd: 10 },
    { category: 'fixed.development.developers', customer: null, costUsd: 100, variableCostUsd: 0 },
  ],
  revenueByCustomer: { a: 300, b: 100 },
};

describe('unitMetrics', () => {
  it('computes the unit economics of a period against a hand-worked example', () => {
    const [m] = unitMetrics([february], { periodsPerYear: 12 }).periods;
    expect(m).toMatchObject({
      predictions: 10_000,
      customers: 2,
      revenue_usd: 400,
      arr_usd: 4800,
      total_cost_usd: 160,
      variable_cost_usd: 50,
      fixed_cost_usd: 110,
      variable_cost_per_customer_usd: 25,
      variable_cost_per_revenue_usd: 0.125,
      contribution_margin_usd: 350,
      contribution_margin_ratio: 0.875,
    });
    expect(m!.variable_cost_per_prediction_usd).toBeCloseTo(0.005, 15);
    expect(m!.variable_cost_per_1k_predictions_usd).toBeCloseTo(5, 12);
    expect(m!.variable_cost_pct_of_arr).toBeCloseTo(12.5, 12);
    expect(m!.cost_centres).toEqual([
      { category: 'fixed.development.developers', cost_usd: 100, variable_cost_usd: 0, per_revenue_usd: 0.25 },
      { category: 'variable.compute', cost_usd: 40, variable_cost_usd: 40, per_revenue_usd: 0.1 },
      { category: 'variable.operations', cost_usd: 20, variable_cost_usd: 10, per_revenue_usd: 0.05 },
    ]);
    expect(m!.by_customer).toEqual([
      { customer: 'a', predictions: 7500, revenue_usd: 300, variable_cost_usd: 30, contribution_margin_usd: 270, variable_cost_per_prediction_usd: 0.004 },
      { customer: 'b', predictions: 2500, revenue_usd: 100, variable_cost_usd: 20, contribution_margin_usd: 80, variable_cost_per_prediction_usd: 0.008 },
    ]);
  });

  it('answers null, not NaN, where a ratio has no denominator', () => {
    const [m] = unitMetrics([{ period: '2026-03-01', predictions: 0, costs: [], revenueByCustomer: {} }], { periodsPerYear: 12 }).periods;
    expect(m!.variable_cost_per_prediction_usd).toBeNull();
    expect(m!.variable_cost_per_revenue_usd).toBeNull();
    expect(m!.variable_cost_pct_of_arr).toBeNull();
    expect(m!.variable_cost_per_customer_usd).toBeNull();
  });

  it('spreads unattributed cost evenly over customers when their volumes are unknown', () => {
    const [m] = unitMetrics([{ ...february, predictionsByCustomer: undefined }], { periodsPerYear: 12 }).periods;
    expect(m!.by_customer.map((c) => c.variable_cost_usd)).toEqual([20, 30]);
  });
});

describe('unitMetrics invariants', () => {
  it('shares out all variable cost over the customers, and margin is revenue less variable cost (property)', () => {
    const line = fc.record({
      category: fc.constantFrom('variable.compute', 'variable.operations', 'fixed.hardware', null),
      customer: fc.constantFrom('a', 'b', 'c', null),
      costUsd: fc.double({ min: 0, max: 1000, noNaN: true }),
      share: fc.double({ min: 0, max: 1, noNaN: true }),
    });
    fc.assert(fc.property(fc.array(line, { maxLength: 8 }), fc.dictionary(fc.constantFrom('a', 'b', 'd'), fc.integer({ min: 0, max: 1000 })), fc.dictionary(fc.constantFrom('a', 'c'), fc.double({ min: 1, max: 1000, noNaN: true }), { minKeys: 1 }), (lines, volumes, revenue) => {
      const [m] = unitMetrics([{
        period: '2026-01-01',
        predictions: Object.values(volumes).reduce((s, v) => s + v, 0),
        predictionsByCustomer: volumes,
        costs: lines.map((l) => ({ category: l.category, customer: l.customer, costUsd: l.costUsd, variableCostUsd: l.costUsd * l.share })),
        revenueByCustomer: revenue,
      }], { periodsPerYear: 12 }).periods;
      expect(m!.by_customer.reduce((s, c) => s + c.variable_cost_usd, 0)).toBeCloseTo(m!.variable_cost_usd, 6);
      expect(m!.contribution_margin_usd).toBeCloseTo(m!.revenue_usd - m!.variable_cost_usd, 9);
      expect(m!.cost_centres.reduce((s, c) => s + c.cost_usd, 0)).toBeCloseTo(m!.total_cost_usd, 6);
    }), { seed: 7, numRuns: 200 });
  });
});

describe('marginalCostTrend', () => {
  it('finds the volume elasticity of cost that doubles ×1.6 per doubling of volume: ln 1.6 / ln 2', () => {
    const t = marginalCostTrend([
      { period: '1', predictions: 100, variable_cost_usd: 10 },
      { period: '2', predictions: 200, variable_cost_usd: 16 },
      { period: '3', predictions: 400, variable_cost_usd: 25.6 },
    ]);
    expect(t.volume_elasticity).toBeCloseTo(Math.log(1.6) / Math.log(2), 12); // 0.678
    expect(t.unit_cost_with_volume).toBe('falls');
    expect(t.steps.map((s) => s.marginal_cost_per_prediction_usd)).toEqual([0.06, expect.closeTo(0.048, 12)]);
  });

  it('says rises when cost grows faster than volume, and nothing below three periods', () => {
    expect(marginalCostTrend([
      { period: '1', predictions: 100, variable_cost_usd: 10 },
      { period: '2', predictions: 200, variable_cost_usd: 40 },
      { period: '3', predictions: 400, variable_cost_usd: 160 },
    ]).volume_elasticity).toBeCloseTo(2, 12);
    expect(marginalCostTrend([{ period: '1', predictions: 100, variable_cost_usd: 10 }]).unit_cost_with_volume).toBeNull();
  });
});

describe('variableCostOf', () => {
  it('takes declared shares and the bucket default for the rest', () => {
    expect(variableCostOf({ category: 'variable.compute', declared_variable_effective_cost: 3, undeclared_share_effective_cost: 10 })).toBe(13);
    expect(variableCostOf({ category: 'fixed.hardware', declared_variable_effective_cost: 3, undeclared_share_effective_cost: 10 })).toBe(3);
    expect(variableCostOf({ category: null, declared_variable_effective_cost: 0, undeclared_share_effective_cost: 10 })).toBe(0);
  });
});
