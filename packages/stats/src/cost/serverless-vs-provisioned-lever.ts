import { capacityPlan } from './capacity-plan.js';
import type { LeverResult } from './lever-result.js';

export interface ServerlessVsProvisionedInput {
  requestsPerMonth: number;
  serverless: {
    pricePerRequestUsd: number;
    pricePerGbSecondUsd: number;
    memoryGb: number;
    /** Billed duration of one request, ms. */
    durationMs: number;
  };
  provisioned: {
    /** Service time per request measured on one replica. */
    serviceMs: number;
    p99Ms: number;
    peakToMean?: number;
    pricePerReplicaHourUsd: number;
  };
  hoursPerMonth?: number;
}

export interface ServerlessVsProvisionedDetails {
  requests_per_month: number;
  serverless_cost_per_request_usd: number;
  serverless_per_month_usd: number;
  provisioned_replicas: number;
  provisioned_per_month_usd: number;
  /** Requests a month at which serverless first costs as much as provisioned; null when it never does (below 1,000,000 replicas). */
  break_even_requests_per_month: number | null;
}

/**
 * Serverless vs provisioned serving, per month. Serverless: requests × (price per request + memory × duration ×
 * price per GB-second). Provisioned: `capacityPlan` replicas (Erlang C, at the peak) × price per hour × hours.
 * saving_usd = provisioned − serverless: positive when moving to serverless saves. The break-even is the fewest
 * requests R with serverless(R) ≥ provisioned(R); provisioned cost is a staircase k(R) × P, so it is the first
 * c = 1, 2, … whose R_c = c × P / (serverless cost per request) needs no more than c replicas: any earlier
 * crossing R with k(R) = j would make R_j ≤ R pass the same test at j < c.
 */
export function serverlessVsProvisionedLever(input: ServerlessVsProvisionedInput): LeverResult<ServerlessVsProvisionedDetails> {
  const hours = input.hoursPerMonth ?? 730;
  const s = input.serverless;
  const p = input.provisioned;
  const numbers = {
    requestsPerMonth: input.requestsPerMonth,
    hoursPerMonth: hours,
    'serverless.pricePerRequestUsd': s.pricePerRequestUsd,
    'serverless.pricePerGbSecondUsd': s.pricePerGbSecondUsd,
    'serverless.memoryGb': s.memoryGb,
    'serverless.durationMs': s.durationMs,
    'provisioned.pricePerReplicaHourUsd': p.pricePerReplicaHourUsd,
  };
  for (const [name, v] of Object.entries(numbers)) {
    if (!(Number.isFinite(v) && v >= 0)) throw new RangeError(`serverlessVsProvisionedLever: ${name} must be a finite number ≥ 0, got ${v}`);
  }
  if (!(hours > 0)) throw new RangeError(`serverlessVsProvisionedLever: hoursPerMonth must be > 0, got ${hours}`);
  const perRequest = s.pricePerRequestUsd + s.memoryGb * (s.durationMs / 1000) * s.pricePerGbSecondUsd;
  const perReplicaMonth = p.pricePerReplicaHourUsd * hours;
  const replicasFor = (requests: number) => {
    try {
      return capacityPlan({ qps: requests / (hours * 3600), serviceMs: p.serviceMs, p99Ms: p.p99Ms, peakToMean: p.peakToMean ?? 1, maxReplicas: 1_000_000 }).replicas;
    } catch (error) {
      if (error instanceof RangeError) throw new RangeError(`serverlessVsProvisionedLever: provisioned: ${error.message}`, { cause: error });
      throw error;
    }
  };
  const replicas = replicasFor(input.requestsPerMonth);
  const serverless = input.requestsPerMonth * perRequest;
  const provisioned = replicas * perReplicaMonth;
  let breakEven: number | null = null;
  if (perRequest > 0) {
    for (let c = 1; c <= 1_000_000; c++) {
      const requests = (c * perReplicaMonth) / perRequest;
      if (replicasFor(requests) <= c) {
        breakEven = requests;
        break;
      }
    }
  }
  return {
    lever: 'serverless_vs_provisioned',
    saving_usd: provisioned - serverless,
    per: 'month',
    assumptions: [
      `${input.requestsPerMonth} requests a month spread over ${hours} hours with a ${p.peakToMean ?? 1}× peak; provisioned replicas sized for the peak at p99 ${p.p99Ms} ms (M/M/c)`,
      `serverless bills ${s.memoryGb} GB × ${s.durationMs} ms per request; cold starts and their latency are not priced`,
      'positive saving: serverless is cheaper than provisioned at this volume',
    ],
    details: {
      requests_per_month: input.requestsPerMonth,
      serverless_cost_per_request_usd: perRequest,
      serverless_per_month_usd: serverless,
      provisioned_replicas: replicas,
      provisioned_per_month_usd: provisioned,
      break_even_requests_per_month: breakEven,
    },
  };
}
