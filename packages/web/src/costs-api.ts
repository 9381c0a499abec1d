// The Costs page's and the Overview's money calls: the cost ledger, unit economics, savings, a model's metric
// series, incidents and the config's cost matrices. Each answer is checked field by field (as api.ts does), so a
// server that answers with another shape fails loudly with the field it got wrong, never as NaN on screen.

import { ApiError, expectRecord, getJson, isRecord, type Access } from './api.ts';

/** Sums the ledger keeps for a period or a group. */
export interface CostSums {
  billed_cost: number;
  effective_cost: number;
  variable_cost: number;
  fixed_cost: number;
  records: number;
}

export interface CostGroup extends CostSums {
  name: string;
}

export interface CostSummaryPeriod extends CostSums {
  period: string;
  by_category: CostGroup[];
  by_model: CostGroup[];
  by_customer: CostGroup[];
}

/** `GET /v1/costs/summary`. */
export interface CostSummary {
  project: string;
  period: 'day' | 'month';
  totals: CostSums;
  by_category: CostGroup[];
  by_model: CostGroup[];
  by_customer: CostGroup[];
  by_provider: CostGroup[];
  periods: CostSummaryPeriod[];
}

export interface CostCentre {
  category: string;
  cost_usd: number;
  variable_cost_usd: number;
  per_revenue_usd: number | null;
}

export interface ModelAllocation {
  model: string;
  instance_hours: number;
  utilisation: number;
  capacity_cost_usd: number;
  used_cost_usd: number;
  idle_cost_usd: number;
  predictions: number;
  cost_per_1k_predictions_usd: number | null;
}

export interface UnitMetricsPeriod {
  period: string;
  predictions: number;
  customers: number;
  revenue_usd: number;
  arr_usd: number;
  total_cost_usd: number;
  variable_cost_usd: number;
  variable_cost_per_1k_predictions_usd: number | null;
  variable_cost_per_customer_usd: number | null;
  variable_cost_per_revenue_usd: number | null;
  /** Annualised variable cost over ARR, in percent (4.87 means 4.87 %). */
  variable_cost_pct_of_arr: number | null;
  contribution_margin_usd: number;
  contribution_margin_ratio: number | null;
  cost_centres: CostCentre[];
  allocation: { models: ModelAllocation[]; idle_cost_usd: number; warnings: string[] };
}

export type IdleShare = 'proportional' | 'even' | 'none';

/** `GET /v1/costs/unit-metrics`. */
export interface UnitMetrics {
  idle_share: IdleShare;
  periods: UnitMetricsPeriod[];
  marginal_cost_trend: { volume_elasticity: number | null; unit_cost_with_volume: 'falls' | 'flat' | 'rises' | null };
}

export interface CostOpportunity {
  rank: number;
  kind: string;
  model: string | null;
  title: string;
  saving_usd: number;
  cost_usd: number;
  assumptions: string[];
}

/** `GET /v1/costs/opportunities`. */
export interface CostOpportunities {
  from: string;
  to: string;
  total_saving_usd: number;
  opportunities: CostOpportunity[];
  notes: string[];
}

export type MetricName = 'predictions' | 'error_rate' | 'business_cost_per_1k';

export interface MetricPoint {
  start: string;
  n: number;
  labelled: number;
  value: number | null;
}

/** `GET /v1/models/:model/metrics`, the fields the Overview reads. */
export interface MetricSeries {
  metric: MetricName;
  from: string;
  to: string;
  points: MetricPoint[];
}

export interface IncidentSummary {
  id: string;
  model: string;
  opened_at: string;
  confirmed: boolean;
}

/** What the project config says about a model's money: its task and which cost matrix entries are set. */
export interface ModelCostConfig {
  name: string;
  task: string;
  /** The server can price this model's errors: both error costs its task needs are set. */
  priced: boolean;
}

// Field checks: each names the path and the field, and says what was expected.

function fail(path: string, key: string, value: unknown, expected: string): never {
  throw new ApiError(200, 'bad_response', `${path}: field "${key}" is ${JSON.stringify(value)}, expected ${expected}.`);
}

function num(record: Record<string, unknown>, key: string, path: string): number {
  const value = record[key];
  if (typeof value !== 'number' || !Number.isFinite(value)) fail(path, key, value, 'a number');
  return value;
}

function numOrNull(record: Record<string, unknown>, key: string, path: string): number | null {
  const value = record[key];
  if (value === null) return null;
  if (typeof value !== 'number' || !Number.isFinite(value)) fail(path, key, value, 'a number or null');
  return value;
}

function str(record: Record<string, unknown>, key: string, path: string): string {
  const value = record[key];
  if (typeof value !== 'string') fail(path, key, value, 'a string');
  return value;
}

function list(record: Record<string, unknown>, key: string, path: string): unknown[] {
  const value = record[key];
  if (!Array.isArray(value)) fail(path, key, value, 'an array');
  return value;
}

function records(record: Record<string, unknown>, key: string, path: string): { item: Record<string, unknown>; path: string }[] {
  return list(record, key, path).map((item, index) => {
    const itemPath = `${path} ${key}[${index}]`;
    return { item: expectRecord(item, itemPath), path: itemPath };
  });
}

function strings(record: Record<string, unknown>, key: string, path: string): string[] {
  return list(record, key, path).map((item, index) => {
    if (typeof item !== 'string') fail(path, `${key}[${index}]`, item, 'a string');
    return item;
  });
}

function parseSums(record: Record<string, unknown>, path: string): CostSums {
  return {
    billed_cost: num(record, 'billed_cost', path),
    effective_cost: num(record, 'effective_cost', path),
    variable_cost: num(record, 'variable_cost', path),
    fixed_cost: num(record, 'fixed_cost', path),
    records: num(record, 'records', path),
  };
}

function parseGroups(record: Record<string, unknown>, key: string, path: string): CostGroup[] {
  return records(record, key, path).map(({ item, path: p }) => ({ name: str(item, 'name', p), ...parseSums(item, p) }));
}

function periodQuery(query: Record<string, string | undefined>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value !== undefined) params.set(name, value);
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

/** `GET /v1/costs/summary`: the ledger over every period (or `from`–`to`), by taxonomy bucket, model, customer, provider. */
export async function fetchCostSummary(access: Access, query: { from?: string; to?: string } = {}, signal?: AbortSignal): Promise<CostSummary> {
  const path = `/v1/costs/summary${periodQuery({ ...query, period: 'month' })}`;
  const body = expectRecord(await getJson(path, access, signal), path);
  const period = str(body, 'period', path);
  if (period !== 'day' && period !== 'month') fail(path, 'period', period, '"day" or "month"');
  return {
    project: str(body, 'project', path),
    period,
    totals: parseSums(expectRecord(body.totals, `${path} totals`), `${path} totals`),
    by_category: parseGroups(body, 'by_category', path),
    by_model: parseGroups(body, 'by_model', path),
    by_customer: parseGroups(body, 'by_customer', path),
    by_provider: parseGroups(body, 'by_provider', path),
    periods: records(body, 'periods', path).map(({ item, path: p }) => ({
      period: str(item, 'period', p),
      ...parseSums(item, p),
      by_category: parseGroups(item, 'by_category', p),
      by_model: parseGroups(item, 'by_model', p),
      by_customer: parseGroups(item, 'by_customer', p),
    })),
  };
}

function parseAllocation(record: Record<string, unknown>, path: string): UnitMetricsPeriod['allocation'] {
  const idle = expectRecord(record.idle, `${path} idle`);
  return {
    models: records(record, 'models', path).map(({ item, path: p }) => ({
      model: str(item, 'model', p),
      instance_hours: num(item, 'instance_hours', p),
      utilisation: num(item, 'utilisation', p),
      capacity_cost_usd: num(item, 'capacity_cost_usd', p),
      used_cost_usd: num(item, 'used_cost_usd', p),
      idle_cost_usd: num(item, 'idle_cost_usd', p),
      predictions: num(item, 'predictions', p),
      cost_per_1k_predictions_usd: numOrNull(item, 'cost_per_1k_predictions_usd', p),
    })),
    idle_cost_usd: num(idle, 'cost_usd', `${path} idle`),
    warnings: strings(record, 'warnings', path),
  };
}

/**
 * `GET /v1/costs/unit-metrics` by month. `top_customers=0`: the pages here read the per-period totals, not the
 * customer list, which can hold thousands of rows.
 */
export async function fetchUnitMetrics(access: Access, idleShare: IdleShare, signal?: AbortSignal): Promise<UnitMetrics> {
  const path = `/v1/costs/unit-metrics${periodQuery({ period: 'month', idle_share: idleShare, top_customers: '0' })}`;
  const body = expectRecord(await getJson(path, access, signal), path);
  const trendPath = `${path} marginal_cost_trend`;
  const trend = expectRecord(body.marginal_cost_trend, trendPath);
  const direction = trend.unit_cost_with_volume;
  if (direction !== null && direction !== 'falls' && direction !== 'flat' && direction !== 'rises') fail(trendPath, 'unit_cost_with_volume', direction, '"falls", "flat", "rises" or null');
  const share = str(body, 'idle_share', path);
  if (share !== 'proportional' && share !== 'even' && share !== 'none') fail(path, 'idle_share', share, 'proportional, even or none');
  return {
    idle_share: share,
    marginal_cost_trend: { volume_elasticity: numOrNull(trend, 'volume_elasticity', trendPath), unit_cost_with_volume: direction },
    periods: records(body, 'periods', path).map(({ item, path: p }) => ({
      period: str(item, 'period', p),
      predictions: num(item, 'predictions', p),
      customers: num(item, 'customers', p),
      revenue_usd: num(item, 'revenue_usd', p),
      arr_usd: num(item, 'arr_usd', p),
      total_cost_usd: num(item, 'total_cost_usd', p),
      variable_cost_usd: num(item, 'variable_cost_usd', p),
      variable_cost_per_1k_predictions_usd: numOrNull(item, 'variable_cost_per_1k_predictions_usd', p),
      variable_cost_per_customer_usd: numOrNull(item, 'variable_cost_per_customer_usd', p),
      variable_cost_per_revenue_usd: numOrNull(item, 'variable_cost_per_revenue_usd', p),
      variable_cost_pct_of_arr: numOrNull(item, 'variable_cost_pct_of_arr', p),
      contribution_margin_usd: num(item, 'contribution_margin_usd', p),
      contribution_margin_ratio: numOrNull(item, 'contribution_margin_ratio', p),
      cost_centres: records(item, 'cost_centres', p).map(({ item: c, path: cp }) => ({
        category: str(c, 'category', cp),
        cost_usd: num(c, 'cost_usd', cp),
        variable_cost_usd: num(c, 'variable_cost_usd', cp),
        per_revenue_usd: numOrNull(c, 'per_revenue_usd', cp),
      })),
      allocation: parseAllocation(expectRecord(item.allocation, `${p} allocation`), `${p} allocation`),
    })),
  };
}

/** `GET /v1/costs/opportunities`: ranked savings over the latest month with ledger rows. */
export async function fetchCostOpportunities(access: Access, signal?: AbortSignal): Promise<CostOpportunities> {
  const path = '/v1/costs/opportunities';
  const body = expectRecord(await getJson(path, access, signal), path);
  return {
    from: str(body, 'from', path),
    to: str(body, 'to', path),
    total_saving_usd: num(body, 'total_saving_usd', path),
    notes: strings(body, 'notes', path),
    opportunities: records(body, 'opportunities', path).map(({ item, path: p }) => ({
      rank: num(item, 'rank', p),
      kind: str(item, 'kind', p),
      model: item.model === null ? null : str(item, 'model', p),
      title: str(item, 'title', p),
      saving_usd: num(item, 'saving_usd', p),
      cost_usd: num(item, 'cost_usd', p),
      assumptions: strings(item, 'assumptions', p),
    })),
  };
}

/** `GET /v1/models/:model/metrics` by day between two instants (ISO, `to` exclusive). */
export async function fetchDailyMetric(access: Access, model: string, metric: MetricName, fromIso: string, toIso: string, signal?: AbortSignal): Promise<MetricSeries> {
  const query = new URLSearchParams({ metric, window: 'day', from: fromIso, to: toIso });
  const path = `/v1/models/${encodeURIComponent(model)}/metrics?${query}`;
  const body = expectRecord(await getJson(path, access, signal), path);
  const answered = str(body, 'metric', path);
  if (answered !== metric) fail(path, 'metric', answered, `"${metric}"`);
  return {
    metric,
    from: str(body, 'from', path),
    to: str(body, 'to', path),
    points: records(body, 'points', path).map(({ item, path: p }) => ({
      start: str(item, 'start', p),
      n: num(item, 'n', p),
      labelled: num(item, 'labelled', p),
      value: numOrNull(item, 'value', p),
    })),
  };
}

/** `GET /v1/incidents`: newest first; an incident is open until someone confirms its cause. */
export async function fetchIncidents(access: Access, signal?: AbortSignal): Promise<IncidentSummary[]> {
  const path = '/v1/incidents';
  const body = expectRecord(await getJson(path, access, signal), path);
  return records(body, 'incidents', path).map(({ item, path: p }) => ({
    id: str(item, 'id', p),
    model: str(item, 'model', p),
    opened_at: str(item, 'opened_at', p),
    confirmed: item.confirmed !== null && item.confirmed !== undefined,
  }));
}

/** `GET /v1/config`, reduced to each model's task and whether its errors are priced. */
export async function fetchModelCostConfigs(access: Access, signal?: AbortSignal): Promise<ModelCostConfig[]> {
  const path = '/v1/config';
  const body = expectRecord(await getJson(path, access, signal), path);
  return records(body, 'models', path).map(({ item, path: p }) => {
    const task = typeof item.task === 'string' ? item.task : 'binary';
    const cost = isRecord(item.cost) ? item.cost : {};
    const set = (key: string) => typeof cost[key] === 'number';
    // The server prices a binary classifier's two errors and a regressor's under- and over-prediction; a multiclass
    // model has no per-class matrix yet.
    const priced =
      task === 'regression' ? set('under_prediction_per_unit') && set('over_prediction_per_unit') : task === 'binary' && set('false_negative') && set('false_positive');
    return { name: str(item, 'name', p), task, priced };
  });
}
