// The settings page's calls: the project config (GET/PUT /v1/config), API keys, monitors and alerts. A refused
// write is a FieldApiError (api.ts) carrying the server's per-field errors, so a form can show a message next to
// the field it names.

import { ApiError, expectRecord, FieldApiError, getJson, isRecord, requestJson, type Access } from './api.ts';

export { FieldApiError, type FieldError } from './api.ts';

/** The server's message for a field path (exact, or the first error under it), else null. */
export function fieldMessage(error: unknown, path: string): string | null {
  if (!(error instanceof FieldApiError)) return null;
  const found = error.fieldErrors.find((e) => e.path === path) ?? error.fieldErrors.find((e) => e.path.startsWith(`${path}.`));
  return found ? found.message : null;
}

// ----- Project config -----

export interface CostMatrix {
  false_negative?: number;
  false_positive?: number;
  true_positive?: number;
  true_negative?: number;
  amount_feature?: string;
  under_prediction_per_unit?: number;
  over_prediction_per_unit?: number;
}

export interface ModelConfig {
  name: string;
  task: 'binary' | 'multiclass' | 'regression';
  positive_class?: string | number | boolean;
  cost?: CostMatrix;
  known_factors: string[];
  segments: string[];
}

export interface FunnelStage {
  name: string;
  after?: string;
}

export type MonitorCondition =
  | { type: 'static'; op: '>' | '<'; value: number }
  | { type: 'relative'; baseline_windows: number; max_relative_change: number; direction: 'increase' | 'decrease' | 'both' }
  | { type: 'control_limits'; smooth: 'ewma' | 'kalman'; reference_windows: number };

export interface Monitor {
  id: string;
  name: string;
  model: string;
  metric: string;
  window: 'hour' | 'day' | 'week';
  threshold?: number;
  webhook?: string;
  slice?: { column: string; value: string | number | boolean };
  condition?: MonitorCondition;
  /** Terms regressed out first: `weekday`, `hour`, `known` (the model's known factors), `COLUMN` or `COLUMN=VALUE`. */
  adjust: string[];
  min_sample: number;
  webhooks: string[];
  enabled: boolean;
}

/** A monitor as sent: the id is the path's (or generated). */
export type MonitorInput = Omit<Monitor, 'id'>;

export interface ProjectConfig {
  models: ModelConfig[];
  funnel: FunnelStage[];
  priors: Record<string, number>;
  monitors: (Omit<Monitor, 'id'> & { id?: string })[];
  /** Not edited here; sent back as it came. */
  price_book: unknown[];
}

function bad(path: string, what: string): never {
  throw new ApiError(200, 'bad_response', `${path}: ${what}`);
}

function parseConfig(value: unknown, path: string): ProjectConfig {
  const body = expectRecord(value, path);
  if (!Array.isArray(body.models)) bad(path, 'field "models" is not an array');
  if (!Array.isArray(body.funnel)) bad(path, 'field "funnel" is not an array');
  if (!isRecord(body.priors)) bad(path, 'field "priors" is not an object');
  if (!Array.isArray(body.monitors)) bad(path, 'field "monitors" is not an array');
  return body as unknown as ProjectConfig;
}

/** `GET /v1/config`: the project's config (defaults filled in by the server). */
export async function fetchConfig(access: Access, signal?: AbortSignal): Promise<ProjectConfig> {
  return parseConfig(await getJson('/v1/config', access, signal), '/v1/config');
}

/**
 * Changes the config the way `change` says and writes it back (`PUT /v1/config` replaces the whole document):
 * read just before the write, so an edit of one section keeps what changed elsewhere since the page loaded.
 */
export async function updateConfig(access: Access, change: (config: ProjectConfig) => ProjectConfig): Promise<ProjectConfig> {
  const current = await fetchConfig(access);
  return parseConfig(await requestJson('PUT', '/v1/config', access, change(current)), '/v1/config');
}

// ----- Keys -----

export interface KeyInfo {
  id: string;
  project: string;
  role: string;
  name: string | null;
  prefix: string;
  created_at: string;
  revoked_at: string | null;
}

export type CreatedKey = KeyInfo & { key: string };

/** `GET /v1/keys?project=`: the project's keys, never their secrets (admin). */
export async function fetchKeys(access: Access, project: string, signal?: AbortSignal): Promise<KeyInfo[]> {
  const path = `/v1/keys?${new URLSearchParams({ project })}`;
  const body = expectRecord(await getJson(path, access, signal), path);
  if (!Array.isArray(body.keys)) bad(path, 'field "keys" is not an array');
  return body.keys as KeyInfo[];
}

/** `POST /v1/keys`: a new key; its secret is in this answer only. */
export async function createKey(access: Access, request: { project: string; role: string; name?: string }): Promise<CreatedKey> {
  const body = expectRecord(await requestJson('POST', '/v1/keys', access, request), '/v1/keys');
  if (typeof body.key !== 'string' || typeof body.id !== 'string') bad('/v1/keys', 'no key in the answer');
  return body as unknown as CreatedKey;
}

/** `DELETE /v1/keys/:id`. */
export async function revokeKey(access: Access, id: string): Promise<void> {
  await requestJson('DELETE', `/v1/keys/${encodeURIComponent(id)}`, access);
}

// ----- Monitors and alerts -----

export interface Evaluation {
  evaluated_at: string;
  status: 'breach' | 'ok' | 'insufficient_data' | 'error';
  window_start: string | null;
  value: number | null;
  limit: number | null;
  reason: string;
}

export interface Delivery {
  id?: string;
  event: 'firing' | 'resolved';
  url: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  http_status: number | null;
  error: string | null;
  at: string;
}

export interface Alert {
  monitor_id: string;
  monitor_name: string;
  model: string;
  metric: string;
  status: 'ok' | 'firing' | 'resolved';
  since: string | null;
  window_start: string | null;
  resolved_at: string | null;
  last_evaluation: Evaluation;
  notifications: Delivery[];
}

/** Metrics a monitor can watch (as GET /v1/models/:model/metrics computes them). */
export const monitorMetrics = ['predictions', 'label_coverage', 'error_rate', 'business_cost_per_1k', 'mean_score', 'latency_p95_ms', 'mae'] as const;

export async function fetchMonitors(access: Access, signal?: AbortSignal): Promise<Monitor[]> {
  const body = expectRecord(await getJson('/v1/monitors', access, signal), '/v1/monitors');
  if (!Array.isArray(body.monitors)) bad('/v1/monitors', 'field "monitors" is not an array');
  return body.monitors as Monitor[];
}

export async function fetchMonitor(access: Access, id: string, signal?: AbortSignal): Promise<Monitor> {
  const path = `/v1/monitors/${encodeURIComponent(id)}`;
  return expectRecord(await getJson(path, access, signal), path) as unknown as Monitor;
}

/** Turns a monitor on or off, reading it just before so an edit made since the page loaded is kept. */
export async function setMonitorEnabled(access: Access, id: string, enabled: boolean): Promise<Monitor> {
  const current = await fetchMonitor(access, id);
  return replaceMonitor(access, id, { ...monitorInput(current), enabled });
}

export async function createMonitor(access: Access, monitor: MonitorInput): Promise<Monitor> {
  return expectRecord(await requestJson('POST', '/v1/monitors', access, monitor), '/v1/monitors') as unknown as Monitor;
}

export async function replaceMonitor(access: Access, id: string, monitor: MonitorInput): Promise<Monitor> {
  const path = `/v1/monitors/${encodeURIComponent(id)}`;
  return expectRecord(await requestJson('PUT', path, access, monitor), path) as unknown as Monitor;
}

export async function deleteMonitor(access: Access, id: string): Promise<void> {
  await requestJson('DELETE', `/v1/monitors/${encodeURIComponent(id)}`, access);
}

/** `POST /v1/monitors/:id/evaluate`: the monitor's latest window judged now, and the alert after it. */
export async function evaluateMonitor(access: Access, id: string): Promise<{ monitor_id: string; evaluation: Evaluation; alert: Alert }> {
  const path = `/v1/monitors/${encodeURIComponent(id)}/evaluate`;
  const body = expectRecord(await requestJson('POST', path, access), path);
  if (!isRecord(body.evaluation)) bad(path, 'no evaluation in the answer');
  return body as unknown as { monitor_id: string; evaluation: Evaluation; alert: Alert };
}

export async function fetchAlerts(access: Access, signal?: AbortSignal): Promise<Alert[]> {
  const body = expectRecord(await getJson('/v1/alerts', access, signal), '/v1/alerts');
  if (!Array.isArray(body.alerts)) bad('/v1/alerts', 'field "alerts" is not an array');
  return body.alerts as Alert[];
}

/** A monitor without its id, as PUT /v1/monitors/:id takes it. */
export function monitorInput(monitor: Monitor): MonitorInput {
  const { id: _id, ...rest } = monitor;
  return rest;
}
