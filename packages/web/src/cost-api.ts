// The Scale & scenarios page's calls: POST /v1/cost/project and GET /v1/cost/capacity.

import { ApiError, expectRecord, getJson, postJson, type Access } from './api.ts';

export interface ProjectedScale {
  scale: { volume: number; velocity: number; variety: number };
  predictions_per_month: number;
  replicas: number;
  instances: number;
  total_usd: number;
  variable_usd: number;
  fixed_usd: number;
  per_prediction_usd: number;
  marginal_per_prediction_usd: number | null;
  by_bucket: Record<string, number>;
}

export interface LeverSaving {
  lever: 'sampling_rate' | 'precision' | 'spot_share' | 'commitment_level';
  saving_usd_per_month: number;
  before_usd: number;
  after_usd: number;
  assumptions: string[];
  details: Record<string, unknown>;
  /** Why the server could not price this lever (e.g. the baseline precision does not fit the instance). */
  error?: string;
}

export interface ScenarioProjection {
  scenario: string;
  scales: ProjectedScale[];
  marginal_rises_then_falls: boolean;
  serving_price: { price_per_hour_usd: number; source: string };
  levers: LeverSaving[];
}

export interface CostProjectionAnswer {
  price_date: string;
  scenarios: ScenarioProjection[];
}

export interface CapacityAnswer {
  replicas: number;
  utilization: number;
  p99_latency_ms: number;
  mean_latency_ms: number;
  probability_of_waiting: number;
  design_qps: number;
}

/** `POST /v1/cost/project` with a scenario file (as `outlay cost project` reads) and the levers to price. */
export async function postCostProjection(access: Access, request: unknown, signal?: AbortSignal): Promise<CostProjectionAnswer> {
  const path = '/v1/cost/project';
  const body = expectRecord(await postJson(path, access, request, signal), path);
  if (!Array.isArray(body.scenarios) || body.scenarios.length === 0) throw new ApiError(200, 'bad_response', `${path}: no scenarios in the answer`);
  return body as unknown as CostProjectionAnswer;
}

/** `GET /v1/cost/capacity`: replicas for a traffic level at a latency objective. */
export async function fetchCapacity(access: Access, input: { qps: number; serviceMs: number; p99Ms: number }, signal?: AbortSignal): Promise<CapacityAnswer> {
  const query = new URLSearchParams({ qps: String(input.qps), service_ms: String(input.serviceMs), p99_ms: String(input.p99Ms) });
  const path = `/v1/cost/capacity?${query}`;
  const body = expectRecord(await getJson(path, access, signal), path);
  if (typeof body.replicas !== 'number') throw new ApiError(200, 'bad_response', `${path}: no replica count in the answer`);
  return body as unknown as CapacityAnswer;
}
