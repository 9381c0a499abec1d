import { describe, expect, it } from 'vitest';
import { peakThrottlingLever, type PeakThrottlingInput } from './peak-throttling-lever.js';

// Hand-worked: a day of 22 hours at 2/s and 2 hours at 10/s, 100 ms per request (μ = 10/s), p99 2,000 ms.
// Full peak 10/s: one replica is unstable (λ = μ), so at least 2 (Erlang C: 2 meet it, p99 567 ms).
// Capped at 5/s: M/M/1 p99 = ln(100) / (10 − 5) = 921 ms → 1 replica. Saving 1 × $1 × 730 = $730.
// Throttled: 2 h × (10 − 5)/s × 3,600 = 36,000 a day; × 730/24 = 1,095,000 a month × $0.0005 = $547.50.
// Saving = 730 − 547.50 = $182.50 a month.
const input: PeakThrottlingInput = {
  hourlyQps: [...Array<number>(22).fill(2), 10, 10],
  capQps: 5,
  serviceMs: 100,
  p99Ms: 2_000,
  pricePerReplicaHourUsd: 1,
  costPerThrottledRequestUsd: 0.0005,
};

describe('peakThrottlingLever', () => {
  it('buys replicas for the capped peak and pays for the throttled requests', () => {
    const result = peakThrottlingLever(input);
    expect(result.details.replicas_full).toBe(2);
    expect(result.details.replicas_capped).toBe(1);
    expect(result.details.throttled_requests_per_month).toBeCloseTo(1_095_000, 6);
    expect(result.details.throttled_cost_usd).toBeCloseTo(547.5, 9);
    expect(result.saving_usd).toBeCloseTo(182.5, 9);
  });

  it('loses when throttled requests are dear', () => {
    // 1,095,000 × $0.001 = $1,095 > $730 → −$365.
    expect(peakThrottlingLever({ ...input, costPerThrottledRequestUsd: 0.001 }).saving_usd).toBeCloseTo(-365, 9);
  });

  it('saves nothing with a cap above the peak', () => {
    expect(peakThrottlingLever({ ...input, capQps: 20 }).saving_usd).toBe(0);
  });
});
