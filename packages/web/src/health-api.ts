// The Model health page's calls: GET /v1/models/:model/metrics, GET /v1/config and GET /v1/models/:model/funnel.
// The web package talks HTTP only, so the shapes are declared here; optional fields (the label-free estimate,
// known factors) are read when the server sends them and reported as absent when it does not.

import { ApiError, expectRecord, getJson, isRecord, type Access } from './api.ts';
import type { DayWindow } from './time-range.ts';
import { windowEndIso, windowStartIso } from './time-range.ts';

export type MetricName = 'predictions' | 'label_coverage' | 'error_rate' | 'business_cost_per_1k' | 'mean_score' | 'latency_p95_ms' | 'mae';
export type MetricWindow = 'hour' | 'day' | 'week';
export type Smoothing = 'ewma' | 'kalman';

export const metricWindows: readonly MetricWindow[] = ['hour', 'day', 'week'];
export const smoothings: readonly Smoothing[] = ['ewma', 'kalman'];

export interface MetricPoint {
  start: string;
  n: number;
  labelled: number;
  value: number | null;
  lower: number | null;
  upper: number | null;
  smoothed: number | null;
  adjusted: number | null;
  control_lower: number | null;
  control_upper: number | null;
  alert: boolean;
  sampled: boolean;
  reason: string | null;
  detail: string | null;
  /** Label-free (CBPE) estimate and its band, when the server was asked for and computes one. */
  estimated: number | null;
  estimated_lower: number | null;
  estimated_upper: number | null;
  /** Why a window has no estimate, when the server says. */
  estimate_reason: string | null;
  /** Known factors' values in this window and what is left once they are regressed out, when sent. */
  factors: Record<string, number | null> | null;
  residual: number | null;
}

export interface MetricAdjustment {
  asked: string[];
  applied: boolean;
  reason: string;
  /** Known factors fitted beside the seasonality, with their coefficient (null when not fitted). */
  factors: { name: string; coefficient: number | null }[];
}

export interface MetricSmoothing {
  method: Smoothing;
  series: 'raw' | 'adjusted';
  status: 'ok' | 'insufficient_data';
  reason: string | null;
  reference_windows: number;
  target: number | null;
}

/** What the server said about the label-free estimate: its own document, or why the dashboard has none. */
export type EstimateInfo =
  | { status: 'sent'; method: string | null; reason: string | null }
  | { status: 'unsupported'; reason: string }
  | { status: 'pending' }
  | { status: 'not_asked' };

export interface MetricSeries {
  model: string;
  metric: MetricName;
  window: MetricWindow;
  from: string;
  to: string;
  min_sample: number;
  adjustment: MetricAdjustment | null;
  smoothing: MetricSmoothing | null;
  points: MetricPoint[];
  notes: string[];
  estimate: EstimateInfo;
  /** Known factors asked for that the server refused, with its message; null when none were refused. */
  factorsRefused: string | null;
}

export interface MetricQuery {
  metric: MetricName;
  window: MetricWindow;
  range: DayWindow;
  smooth: Smoothing | null;
  /** `weekday`, `hour`, and known factors (`COLUMN` or `COLUMN=VALUE`). */
  adjust: readonly string[];
  /** Ask for the label-free estimate (`estimate=cbpe`). */
  estimate?: boolean;
}

const seasonalities = new Set(['weekday', 'hour']);

function bad(path: string, what: string): never {
  throw new ApiError(200, 'bad_response', `${path}: ${what}`);
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

function parseFactors(value: unknown): Record<string, number | null> | null {
  if (!isRecord(value)) return null;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, num(v)]));
}

function parsePoint(value: unknown, path: string, index: number): MetricPoint {
  if (!isRecord(value) || typeof value.start !== 'string') bad(path, `points[${index}] has no start`);
  return {
    start: value.start,
    n: num(value.n) ?? 0,
    labelled: num(value.labelled) ?? 0,
    value: num(value.value),
    lower: num(value.lower),
    upper: num(value.upper),
    smoothed: num(value.smoothed),
    adjusted: num(value.adjusted),
    control_lower: num(value.control_lower),
    control_upper: num(value.control_upper),
    alert: value.alert === true,
    sampled: value.sampled === true,
    reason: str(value.reason),
    detail: str(value.detail),
    estimated: num(value.estimated),
    estimated_lower: num(value.estimated_lower),
    estimated_upper: num(value.estimated_upper),
    estimate_reason: str(value.estimate_reason),
    factors: parseFactors(value.factors),
    residual: num(value.residual),
  };
}

function parseEstimate(value: unknown, asked: boolean): EstimateInfo {
  if (!asked) return { status: 'not_asked' };
  if (isRecord(value)) return { status: 'sent', method: str(value.method), reason: str(value.reason) };
  return { status: 'unsupported', reason: 'the server answered without an `estimate` document' };
}

/** Parses a `/metrics` document; the fields the dashboard draws are checked, optional ones default to null. */
export function parseMetricSeries(body: unknown, path: string, askedEstimate: boolean): MetricSeries {
  const record = expectRecord(body, path);
  if (!Array.isArray(record.points)) bad(path, 'field "points" is not an array');
  const adjustment = isRecord(record.adjustment)
    ? {
        asked: Array.isArray(record.adjustment.asked) ? record.adjustment.asked.filter((a): a is string => typeof a === 'string') : [],
        applied: record.adjustment.applied === true,
        reason: str(record.adjustment.reason) ?? '',
        factors: Array.isArray(record.adjustment.factors)
          ? record.adjustment.factors.filter(isRecord).flatMap((f) => (typeof f.name === 'string' ? [{ name: f.name, coefficient: num(f.coefficient) }] : []))
          : [],
      }
    : null;
  const smoothing = isRecord(record.smoothing)
    ? {
        method: record.smoothing.method === 'kalman' ? ('kalman' as const) : ('ewma' as const),
        series: record.smoothing.series === 'adjusted' ? ('adjusted' as const) : ('raw' as const),
        status: record.smoothing.status === 'ok' ? ('ok' as const) : ('insufficient_data' as const),
        reason: str(record.smoothing.reason),
        reference_windows: num(record.smoothing.reference_windows) ?? 0,
        target: num(record.smoothing.target),
      }
    : null;
  return {
    model: str(record.model) ?? '',
    metric: (str(record.metric) ?? 'predictions') as MetricName,
    window: (str(record.window) ?? 'day') as MetricWindow,
    from: str(record.from) ?? '',
    to: str(record.to) ?? '',
    min_sample: num(record.min_sample) ?? 30,
    adjustment,
    smoothing,
    points: record.points.map((p: unknown, i) => parsePoint(p, path, i)),
    notes: Array.isArray(record.notes) ? record.notes.filter((n): n is string => typeof n === 'string') : [],
    estimate: parseEstimate(record.estimate, askedEstimate),
    factorsRefused: null,
  };
}

/** The request path of a metric series, parameters in a fixed order (so a test can ask the API the same thing). */
export function metricsPath(model: string, query: MetricQuery, options: { estimate: boolean; adjust: readonly string[] }): string {
  const params = new URLSearchParams({ metric: query.metric, window: query.window, from: windowStartIso(query.range), to: windowEndIso(query.range) });
  if (query.smooth !== null) params.set('smooth', query.smooth);
  if (options.adjust.length > 0) params.set('adjust', options.adjust.join(','));
  if (options.estimate) params.set('estimate', 'cbpe');
  return `/v1/models/${encodeURIComponent(model)}/metrics?${params}`;
}

/** Whether a 400 is the server refusing a query parameter it does not know or a value of it (an older server). */
export function refusesParameter(error: unknown, parameter: string): boolean {
  if (!(error instanceof ApiError) || error.status !== 400) return false;
  return error.message.includes(`"${parameter}"`) || error.message.startsWith(`${parameter}:`) || error.message.includes(`${parameter}: expected`);
}

const parameterCache = new Map<string, Promise<Set<string> | null>>();

/**
 * The query parameters `/metrics` takes, from the server's `GET /openapi.json` (once per key and project), so
 * an option an older server lacks is not asked for (and no 400 lands in the console); null when unknown.
 */
export function metricsParameters(access: Access): Promise<Set<string> | null> {
  const key = `${access.apiKey}\u0000${access.project ?? ''}`;
  let cached = parameterCache.get(key);
  if (cached === undefined) {
    cached = getJson('/openapi.json', access).then(
      (body) => {
        const paths = isRecord(body) && isRecord(body.paths) ? body.paths : {};
        const route = paths['/v1/models/{model}/metrics'];
        const get = isRecord(route) && isRecord(route.get) ? route.get : null;
        if (get === null || !Array.isArray(get.parameters)) return null;
        return new Set(get.parameters.flatMap((p: unknown) => (isRecord(p) && typeof p.name === 'string' ? [p.name] : [])));
      },
      () => {
        parameterCache.delete(key);
        return null;
      },
    );
    parameterCache.set(key, cached);
  }
  return cached;
}

/**
 * `GET /v1/models/:model/metrics`. The label-free estimate and known factors are newer than the rest of the
 * API: when the server refuses them (400 naming the parameter), the series is asked again without them and
 * says so, so the page shows the metric and names what this server cannot do.
 */
export async function fetchMetricSeries(access: Access, model: string, query: MetricQuery, signal?: AbortSignal): Promise<MetricSeries> {
  let estimate = query.estimate === true;
  let adjust = [...query.adjust];
  let estimateRefused: string | null = null;
  if (estimate) {
    const parameters = await metricsParameters(access);
    if (parameters !== null && !parameters.has('estimate')) {
      estimate = false;
      estimateRefused = 'its API description, /openapi.json, lists no `estimate` parameter on /metrics';
    }
  }
  let factorsRefused: string | null = null;
  for (;;) {
    const path = metricsPath(model, query, { estimate, adjust });
    try {
      const series = parseMetricSeries(await getJson(path, access, signal), path, estimate);
      if (estimateRefused !== null) series.estimate = { status: 'unsupported', reason: estimateRefused };
      series.factorsRefused = factorsRefused;
      return series;
    } catch (error) {
      if (estimate && refusesParameter(error, 'estimate')) {
        estimate = false;
        estimateRefused = (error as ApiError).message;
        continue;
      }
      const factors = adjust.filter((a) => !seasonalities.has(a));
      if (factors.length > 0 && refusesParameter(error, 'adjust')) {
        adjust = adjust.filter((a) => seasonalities.has(a));
        factorsRefused = (error as ApiError).message;
        continue;
      }
      throw error;
    }
  }
}

export interface ProjectModelConfig {
  name: string;
  task: string;
  cost: Record<string, unknown> | null;
  known_factors: string[];
  segments: string[];
}

export interface ProjectConfigSummary {
  models: ProjectModelConfig[];
  funnel: { name: string; after: string | null }[];
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : []);

/** `GET /v1/config`: the parts the health and slices pages read (cost matrix, known factors, segments, funnel). */
export async function fetchProjectConfig(access: Access, signal?: AbortSignal): Promise<ProjectConfigSummary> {
  const path = '/v1/config';
  const body = expectRecord(await getJson(path, access, signal), path);
  const models = Array.isArray(body.models) ? body.models.filter(isRecord) : [];
  const funnel = Array.isArray(body.funnel) ? body.funnel.filter(isRecord) : [];
  return {
    models: models.map((m) => ({
      name: str(m.name) ?? '',
      task: str(m.task) ?? 'binary',
      cost: isRecord(m.cost) ? m.cost : null,
      known_factors: strings(m.known_factors),
      segments: strings(m.segments),
    })),
    funnel: funnel.map((s) => ({ name: str(s.name) ?? '', after: str(s.after) })).filter((s) => s.name !== ''),
  };
}

export interface FunnelStageWindow {
  stage: string;
  input: number;
  output: number;
  pass_rate: number | null;
  lower: number | null;
  upper: number | null;
}

export interface FunnelReport {
  stages: string[];
  windows: { start: string; stages: FunnelStageWindow[]; end_to_end: number | null }[];
  latest_change: {
    before: number | null;
    after: number | null;
    stages: { stage: string; before: number | null; after: number | null; share_of_change: number | null }[];
    residual_share: number | null;
  } | null;
}

/** `GET /v1/models/:model/funnel` over the chosen range. */
export async function fetchFunnel(access: Access, model: string, window: MetricWindow, range: DayWindow, signal?: AbortSignal): Promise<FunnelReport> {
  const params = new URLSearchParams({ window, from: windowStartIso(range), to: windowEndIso(range) });
  const path = `/v1/models/${encodeURIComponent(model)}/funnel?${params}`;
  const body = expectRecord(await getJson(path, access, signal), path);
  if (!Array.isArray(body.stages) || !Array.isArray(body.windows)) bad(path, 'expected "stages" and "windows" arrays');
  return body as unknown as FunnelReport;
}
