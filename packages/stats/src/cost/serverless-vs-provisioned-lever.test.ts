import { describe, expect, it } from 'vitest';
import { serverlessVsProvisionedLever, type ServerlessVsProvisionedInput } from './serverless-vs-provisioned-lever.js';

// Hand-worked, 730 h a month (2,628,000 s):
// Serverless per request: $1e-6 + 2 GB × 0.5 s × $2e-5 per GB-second = $2.1e-5.
// Provisioned replica (200 ms, μ = 5/s): $0.20 × 730 = $146 a month.
// At 1 request/s (2,628,000 a month): serverless 2,628,000 × 2.1e-5 = $55.188; M/M/1 p99 = ln(100) / (5 − 1) =
//   1,151 ms ≤ 2,000 ms → 1 replica, $146. Saving from serverless = 146 − 55.188 = $90.812.
// Break-even: one replica's $146 / $2.1e-5 = 6,952,381 requests (2.6455/s); M/M/1 p99 = ln(100) / (5 − 2.6455) =
//   1,956 ms ≤ 2,000 ms, so one replica still serves it.
const input: ServerlessVsProvisionedInput = {
  requestsPerMonth: 2_628_000,
  serverless: { pricePerRequestUsd: 1e-6, pricePerGbSecondUsd: 2e-5, memoryGb: 2, durationMs: 500 },
  provisioned: { serviceMs: 200, p99Ms: 2_000, pricePerReplicaHourUsd: 0.2 },
};

describe('serverlessVsProvisionedLever', () => {
  it('prices both per month and finds the break-even volume', () => {
    const result = serverlessVsProvisionedLever(input);
    expect(result.details.serverless_cost_per_request_usd).toBeCloseTo(2.1e-5, 15);
    expect(result.details.serverless_per_month_usd).toBeCloseTo(55.188, 9);
    expect(result.details.provisioned_replicas).toBe(1);
    expect(result.details.provisioned_per_month_usd).toBeCloseTo(146, 9);
    expect(result.saving_usd).toBeCloseTo(90.812, 9);
    expect(result.details.break_even_requests_per_month).toBeCloseTo(146 / 2.1e-5, 3);
  });

  it('makes serverless lose above the break-even', () => {
    // 10M requests: 3.805/s, M/M/1 p99 = ln(100) / (5 − 3.805) = 3.85 s > 2 s → 2 replicas, $292, vs serverless $210.
    const result = serverlessVsProvisionedLever({ ...input, requestsPerMonth: 10_000_000 });
    expect(result.details.provisioned_replicas).toBe(2);
    expect(result.saving_usd).toBeCloseTo(292 - 210, 9);
  });

  it('names the field on impossible input', () => {
    expect(() => serverlessVsProvisionedLever({ ...input, serverless: { ...input.serverless, memoryGb: -1 } })).toThrow(/serverless.memoryGb must be a finite number ≥ 0/);
  });
});
