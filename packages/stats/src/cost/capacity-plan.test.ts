import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { capacityPlan } from './capacity-plan.js';
import { mmcSojournQuantile } from './mmc-queue.js';

// From packages/stats/golden/cost/erlang-golden.py: the fewest c whose integrated-CDF p99 meets the objective.
const golden: [qps: number, serviceMs: number, p99Ms: number, replicas: number][] = [
  [40, 100, 500, 6],
  [40, 100, 470, 7],
  [1000, 50, 300, 52],
  [5, 200, 2000, 2],
  [120, 100, 465, 17],
];

describe('capacityPlan', () => {
  it.each(golden)('plans the golden replica count for %d qps at %d ms service and a %d ms p99', (qps, serviceMs, p99Ms, replicas) => {
    expect(capacityPlan({ qps, serviceMs, p99Ms }).replicas).toBe(replicas);
  });

  it('reports the queue at the planned size: 40 qps × 100 ms on 6 replicas', () => {
    const plan = capacityPlan({ qps: 40, serviceMs: 100, p99Ms: 500, pricePerReplicaHourUsd: 1.5 });
    expect(plan.utilization).toBeCloseTo(4 / 6, 15);
    expect(plan.probability_of_waiting).toBeCloseTo(0.28476084538375973, 12);
    expect(plan.p99_latency_ms).toBeCloseTo(485.4013107823603, 6);
    // W_q = C/(cμ − λ) = 0.28476…/(60 − 40) s.
    expect(plan.mean_wait_ms).toBeCloseTo((0.28476084538375973 / 20) * 1000, 9);
    expect(plan.cost_per_hour_usd).toBe(9);
  });

  it('provisions for the peak and prices the gap to the mean', () => {
    const plan = capacityPlan({ qps: 40, serviceMs: 100, p99Ms: 500, peakToMean: 3, pricePerReplicaHourUsd: 2 });
    expect(plan.design_qps).toBe(120);
    expect(plan.replicas).toBe(capacityPlan({ qps: 120, serviceMs: 100, p99Ms: 500 }).replicas);
    expect(plan.replicas_for_mean).toBe(6);
    expect(plan.peak_gap_replicas).toBe(plan.replicas - 6);
    expect(plan.peak_gap_cost_per_hour_usd).toBe((plan.replicas - 6) * 2);
    expect(plan.utilization_at_mean).toBeCloseTo(40 / (plan.replicas * 10), 15);
  });

  it('returns the fewest replicas: one fewer misses the objective', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.1, max: 5000, noNaN: true }), fc.double({ min: 1, max: 1000, noNaN: true }), fc.double({ min: 1.05, max: 20, noNaN: true }), (qps, serviceMs, slack) => {
        const p99Ms = -Math.log(0.01) * serviceMs * slack;
        const plan = capacityPlan({ qps, serviceMs, p99Ms });
        const lambda = qps;
        const mu = 1000 / serviceMs;
        const fewer = plan.replicas - 1;
        const fewerFails = fewer < 1 || lambda >= fewer * mu || mmcSojournQuantile({ servers: fewer, arrivalRate: lambda, serviceRate: mu }, 0.99) * 1000 > p99Ms;
        return plan.p99_latency_ms <= p99Ms && plan.utilization < 1 && fewerFails;
      }),
      { numRuns: 200 },
    );
  });

  it('never raises the p99 when replicas are added, and keeps utilisation below 1', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.1, max: 2000, noNaN: true }), fc.double({ min: 1, max: 500, noNaN: true }), fc.integer({ min: 0, max: 50 }), (qps, serviceMs, extra) => {
        const mu = 1000 / serviceMs;
        const c = Math.floor(qps / mu) + 1 + extra;
        const p99 = mmcSojournQuantile({ servers: c, arrivalRate: qps, serviceRate: mu }, 0.99);
        const p99More = mmcSojournQuantile({ servers: c + 1, arrivalRate: qps, serviceRate: mu }, 0.99);
        return p99More <= p99 * (1 + 1e-12) && qps / (c * mu) < 1;
      }),
      { numRuns: 300 },
    );
  });

  it('refuses an objective below the service time’s own p99, which no replica count can meet', () => {
    // −ln(0.01) × 100 ms = 460.5 ms.
    expect(() => capacityPlan({ qps: 40, serviceMs: 100, p99Ms: 460 })).toThrow(/no replica count meets a p99 latency of 460 ms.*460\.5 ms/);
    expect(() => capacityPlan({ qps: 40, serviceMs: 100, p99Ms: 100 })).toThrow(RangeError);
    // Just above the floor it is met, with many replicas.
    expect(capacityPlan({ qps: 40, serviceMs: 100, p99Ms: 461 }).replicas).toBeGreaterThan(7);
  });

  it('throws when the objective needs more than maxReplicas', () => {
    expect(() => capacityPlan({ qps: 40, serviceMs: 100, p99Ms: 500, maxReplicas: 5 })).toThrow(/more than maxReplicas = 5/);
  });

  it('throws on impossible input', () => {
    expect(() => capacityPlan({ qps: -1, serviceMs: 100, p99Ms: 500 })).toThrow(/qps/);
    expect(() => capacityPlan({ qps: 1, serviceMs: 0, p99Ms: 500 })).toThrow(/serviceMs/);
    expect(() => capacityPlan({ qps: 1, serviceMs: 100, p99Ms: 500, quantile: 1 })).toThrow(/quantile/);
    expect(() => capacityPlan({ qps: 1, serviceMs: 100, p99Ms: 500, peakToMean: 0.5 })).toThrow(/peakToMean/);
  });
});

// From packages/stats/golden/cost/erlang-golden.py: the union bound with scipy's gamma.ppf for the fill time and
// the integrated sojourn CDF; the script's simulation of the real batched system stays under the bound.
const goldenBatched: [qps: number, size: number, batchServiceMs: number, p99Ms: number, replicas: number, boundMs: number, fillMs: number][] = [
  [400, 8, 100, 600, 7, 596.965429726532, 39.1491870282441],
  [1000, 32, 250, 1500, 10, 1439.2936106505074, 47.20932647393722],
  [50, 4, 150, 1200, 3, 1128.473524733186, 185.47584178511087],
];

describe('capacityPlan with batching', () => {
  it.each(goldenBatched)('plans %d qps in batches of %i (%d ms each) for a %d ms p99 as the golden bound does', (qps, size, batchServiceMs, p99Ms, replicas, boundMs, fillMs) => {
    const plan = capacityPlan({ qps, serviceMs: 20, p99Ms, batch: { size, serviceMs: batchServiceMs } });
    expect(plan.replicas).toBe(replicas);
    expect(plan.latency_method).toBe('upper-bound');
    expect(plan.latency_at_quantile_ms).toBeCloseTo(boundMs, 6);
    expect(plan.batch!.fill_ms_at_quantile).toBeCloseTo(fillMs, 6);
    expect(plan.utilization).toBeCloseTo(qps / size / (replicas * (1000 / batchServiceMs)), 12);
  });

  it('is the unbatched plan for batches of one', () => {
    const plain = capacityPlan({ qps: 40, serviceMs: 100, p99Ms: 500 });
    expect(capacityPlan({ qps: 40, serviceMs: 100, p99Ms: 500, batch: { size: 1, serviceMs: 100 } })).toEqual(plain);
  });

  it('refuses an objective the batches cannot fill and serve in time', () => {
    // b = 4 at 50 qps: the fill bound is 185.5 ms and the service bound −ln(0.005) × 150 = 794.7 ms.
    expect(() => capacityPlan({ qps: 50, serviceMs: 20, p99Ms: 900, batch: { size: 4, serviceMs: 150 } })).toThrow(/no replica count meets a p99 latency of 900 ms with batches of 4/);
    expect(() => capacityPlan({ qps: 50, serviceMs: 20, p99Ms: 900, batch: { size: 0, serviceMs: 150 } })).toThrow(/batch size/);
  });
});
