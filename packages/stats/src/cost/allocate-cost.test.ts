import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocateCost, computeSecondsFromLatency, type Deployment, type ModelUsage } from './allocate-cost.js';

// Hand-worked: 2 replicas × 10 h × $1.50 = $30 for 2 × 10 × 3600 = 72,000 replica-seconds. c1 used 9,000 s
// (1,000 predictions), c2 27,000 s (3,000): 36,000 s, utilisation 0.5, used $15, idle $15. Used cost by share of
// compute: c1 9/36 × 15 = 3.75, c2 11.25. Idle even: 7.50 each; in proportion: 3.75 and 11.25.
const deployments: Deployment[] = [{ model: 'fraud', instance: 'g5.xlarge', replicas: 2, hours: 10, pricePerHourUsd: 1.5 }];
const usage: ModelUsage[] = [
  { model: 'fraud', customer: 'c1', predictions: 1000, computeSeconds: 9000 },
  { model: 'fraud', customer: 'c2', predictions: 3000, computeSeconds: 27000 },
];

describe('allocateCost', () => {
  it('splits capacity cost into used cost per customer and an idle line', () => {
    const a = allocateCost({ usage, deployments, idleShare: 'none' });
    expect(a.models).toHaveLength(1);
    const m = a.models[0]!;
    expect(m.capacity_cost_usd).toBeCloseTo(30, 12);
    expect(m.capacity_seconds).toBe(72000);
    expect(m.utilisation).toBeCloseTo(0.5, 12);
    expect(m.used_cost_usd).toBeCloseTo(15, 12);
    expect(m.idle_cost_usd).toBeCloseTo(15, 12);
    expect(m.cost_per_prediction_usd).toBeCloseTo(30 / 4000, 12);
    expect(m.cost_per_1k_predictions_usd).toBeCloseTo(7.5, 12);
    expect(a.customers.map((c) => [c.customer, c.used_cost_usd, c.idle_cost_usd])).toEqual([
      ['c1', 3.75, 0],
      ['c2', 11.25, 0],
    ]);
    expect(a.idle).toEqual({ cost_usd: 15, by_model: { fraud: 15 } });
    expect(a.warnings).toEqual([]);
  });

  it('shares idle capacity evenly or in proportion to compute, and the customers then carry the whole cost', () => {
    const even = allocateCost({ usage, deployments, idleShare: 'even' });
    expect(even.customers.map((c) => c.cost_usd)).toEqual([11.25, 18.75]);
    expect(even.customers[0]!.cost_per_prediction_usd).toBeCloseTo(0.01125, 12);
    const proportional = allocateCost({ usage, deployments, idleShare: 'proportional' });
    expect(proportional.customers.map((c) => c.cost_usd)).toEqual([7.5, 22.5]);
    for (const a of [even, proportional]) expect(a.customers.reduce((s, c) => s + c.cost_usd, 0)).toBeCloseTo(30, 12);
    // The idle line stays whatever the customers are passed.
    expect(even.idle.cost_usd).toBe(15);
  });

  it('counts concurrency into capacity and caps utilisation at 1 with a warning when usage exceeds it', () => {
    const concurrent = allocateCost({ usage, deployments: [{ ...deployments[0]!, concurrencyPerReplica: 4 }] });
    expect(concurrent.models[0]!.utilisation).toBeCloseTo(36000 / 288000, 12);
    const over = allocateCost({ usage, deployments: [{ ...deployments[0]!, hours: 4 }] }); // 28,800 s < 36,000 s
    expect(over.models[0]!.utilisation).toBe(1);
    expect(over.models[0]!.idle_cost_usd).toBe(0);
    expect(over.models[0]!.overcommitted).toBe(true);
    expect(over.customers.map((c) => c.cost_usd)).toEqual([3, 9]);
    expect(over.warnings[0]).toMatch(/36000 compute-seconds against 28800/);
  });

  it('never prices usage without a deployment at $0 silently, and calls a deployment without usage idle', () => {
    const a = allocateCost({ usage: [...usage, { model: 'churn', customer: null, predictions: 5, computeSeconds: 1 }], deployments: [...deployments, { model: 'ranker', replicas: 1, hours: 2, pricePerHourUsd: 3 }] });
    expect(a.models.map((m) => m.model)).toEqual(['fraud', 'ranker']);
    expect(a.models[1]!.idle_cost_usd).toBe(6);
    expect(a.warnings).toEqual([
      'model "churn" logged 5 predictions but has no deployment: its serving cost is not allocated (declare its instances)',
      'model "ranker" has deployments but logged no predictions in the period: all its capacity is idle',
    ]);
    expect(a.totals.idle_cost_usd).toBeCloseTo(21, 12);
  });

  it('always charges customers plus the idle line exactly the capacity cost (property)', () => {
    const customerUsage = fc.array(fc.record({ predictions: fc.integer({ min: 0, max: 10_000 }), computeSeconds: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 100_000, noNaN: true })) }), { minLength: 1, maxLength: 6 });
    fc.assert(fc.property(customerUsage, fc.integer({ min: 1, max: 8 }), fc.double({ min: 0.1, max: 100, noNaN: true }), fc.constantFrom('none', 'even', 'proportional' as const), (groups, replicas, hours, idleShare) => {
      const a = allocateCost({
        usage: groups.map((g, i) => ({ model: 'm', customer: `c${i}`, ...g })),
        deployments: [{ model: 'm', replicas, hours, pricePerHourUsd: 2 }],
        idleShare,
      });
      const charged = a.customers.reduce((s, c) => s + c.cost_usd, 0);
      const capacity = replicas * hours * 2;
      const anyUse = groups.some((g) => g.computeSeconds > 0 || g.predictions > 0);
      const expected = idleShare === 'none' || !anyUse ? a.totals.used_cost_usd : capacity;
      expect(charged).toBeCloseTo(expected, 6);
      expect(a.totals.used_cost_usd + a.totals.idle_cost_usd).toBeCloseTo(capacity, 9);
      for (const c of a.customers) expect(c.cost_usd).toBeGreaterThanOrEqual(0);
    }), { seed: 42, numRuns: 200 });
  });

  it('refuses impossible input', () => {
    expect(() => allocateCost({ usage, deployments: [{ ...deployments[0]!, replicas: -1 }] })).toThrow(/replicas/);
    expect(() => allocateCost({ usage: [{ ...usage[0]!, computeSeconds: Number.NaN }], deployments })).toThrow(/computeSeconds/);
  });
});

describe('computeSecondsFromLatency', () => {
  it('counts rows without a latency at the mean of those with one', () => {
    expect(computeSecondsFromLatency({ predictions: 4, latencySumMs: 300, latencyCount: 3 })).toBeCloseTo(0.4, 12);
    expect(computeSecondsFromLatency({ predictions: 4, latencySumMs: 0, latencyCount: 0 })).toBe(0);
  });
});
