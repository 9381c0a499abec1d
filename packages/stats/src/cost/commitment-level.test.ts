import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { forecastGolden } from '../../golden/cost/forecast-golden.js';
import { commitmentLevel, expectedCost } from './commitment-level.js';
import { holtWinters, holtWintersForecast } from './holt-winters.js';

function bruteForce(demand: number[], pod: number, pc: number): { level: number; cost: number } {
  let best = { level: 0, cost: expectedCost(demand, 0, pod, pc) };
  for (let c = 1; c <= Math.ceil(Math.max(...demand)) + 1; c++) {
    const cost = expectedCost(demand, c, pod, pc);
    if (cost < best.cost - 1e-9 * Math.abs(best.cost)) best = { level: c, cost };
  }
  return best;
}

describe('commitmentLevel', () => {
  it('finds the brute-force minimum of the expected cost', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 40, noNaN: true }), { minLength: 1, maxLength: 200 }),
        fc.double({ min: 0.5, max: 10, noNaN: true }),
        fc.double({ min: 0.05, max: 1.2, noNaN: true }),
        (demand, pod, share) => {
          const result = commitmentLevel({ demand, onDemandPricePerHourUsd: pod, commitPricePerHourUsd: pod * share });
          const best = bruteForce(demand, pod, pod * share);
          return Math.abs(result.details.expected_cost_usd - best.cost) <= 1e-9 * Math.max(1, best.cost) && result.details.level === best.level;
        },
      ),
      { numRuns: 300 },
    );
  });

  it('commits to the newsvendor quantile: at 40% off, up to demand exceeded 40% of the time', () => {
    // Demand 1..10 instances, one hour each: P(d > c) = (10 − c)/10 ≤ 0.6 first at c = 4.
    const demand = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    const result = commitmentLevel({ demand, onDemandPricePerHourUsd: 1, commitPricePerHourUsd: 0.6 });
    expect(result.details.level).toBe(4);
    // 10 hours × 4 × 0.6 = 24, plus on demand Σ max(0, d − 4) = 1 + … + 6 = 21 → 45; all on demand 55.
    expect(result.details.expected_cost_usd).toBeCloseTo(45, 12);
    expect(result.saving_usd).toBeCloseTo(10, 12);
    expect(result.details.critical_ratio).toBeCloseTo(0.4, 12);
  });

  it('buys commitments from a seasonal forecast of traffic', () => {
    // Holt-Winters forecast of the golden traffic series (requests a day) four weeks ahead, at 2,000 requests a
    // day per instance: weekdays need ~13 instances, weekends ~9; a 1-year commitment at 63% of on-demand
    // (GCP a2-highgpu-1g's ratio in the default catalogue) covers the weekend floor and more.
    const traffic = forecastGolden.cases.find((c) => c.name === 'traffic' && c.seasonal === 'mul')!;
    const model = holtWinters(traffic.y, { seasonLength: 7, seasonality: 'multiplicative' });
    const demand = holtWintersForecast(model, 28).map((requests) => requests / 2_000);
    const result = commitmentLevel({ demand, onDemandPricePerHourUsd: 1, commitPricePerHourUsd: 0.63 });
    expect(result.details.level).toBe(bruteForce(demand, 1, 0.63).level);
    expect(result.details.level).toBeGreaterThanOrEqual(Math.floor(Math.min(...demand)));
    expect(result.saving_usd).toBeGreaterThan(0);
  });

  it('commits nothing when the commitment costs as much as on demand', () => {
    expect(commitmentLevel({ demand: [5, 5, 5], onDemandPricePerHourUsd: 1, commitPricePerHourUsd: 1 }).details.level).toBe(0);
    expect(() => commitmentLevel({ demand: [], onDemandPricePerHourUsd: 1, commitPricePerHourUsd: 0.5 })).toThrow(/demand is empty/);
    expect(() => commitmentLevel({ demand: [1, -2], onDemandPricePerHourUsd: 1, commitPricePerHourUsd: 0.5 })).toThrow(/demand\[1\]/);
  });
});
