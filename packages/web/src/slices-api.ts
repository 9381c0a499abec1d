// The Slices & mix page's calls: GET /v1/models/:model/columns and GET /v1/models/:model/slices.

import { ApiError, expectRecord, getJson, isRecord, type Access } from './api.ts';
import type { MetricName, MetricWindow } from './health-api.ts';
import type { DayWindow } from './time-range.ts';
import { windowEndIso, windowStartIso } from './time-range.ts';

export interface ModelColumn {
  source: 'feature' | 'segment' | 'stage' | 'score' | (string & {});
  name: string;
  type: string;
}

/** `GET /v1/models/:model/columns`: the features, segments, stages and scores the model's rows carried. */
export async function fetchModelColumns(access: Access, model: string, signal?: AbortSignal): Promise<ModelColumn[]> {
  const path = `/v1/models/${encodeURIComponent(model)}/columns`;
  const body = expectRecord(await getJson(path, access, signal), path);
  if (!Array.isArray(body.columns)) throw new ApiError(200, 'bad_response', `${path}: field "columns" is not an array`);
  return body.columns.filter(isRecord).flatMap((c) =>
    typeof c.name === 'string' && typeof c.source === 'string' ? [{ source: c.source, name: c.name, type: typeof c.type === 'string' ? c.type : 'string' }] : [],
  );
}

export interface SlicePoint {
  start: string;
  n: number;
  /** The value's share of the window's traffic; null when the window has no traffic. */
  share: number | null;
  value: number | null;
  lower: number | null;
  upper: number | null;
  reason: string | null;
}

export interface SliceSegment {
  value: string | number | boolean;
  rows: number;
  points: SlicePoint[];
}

export interface MixPart {
  value: string;
  share_before: number | null;
  share_after: number | null;
  rate_before: number | null;
  rate_after: number | null;
  mix_part: number | null;
  rate_part: number | null;
}

/** The change of the metric between the windows before and the latest one, split into mix and rate. */
export interface MixVsRate {
  before: number | null;
  after: number | null;
  change: number | null;
  mix: number | null;
  rate: number | null;
  /** Which windows were compared, when the server says. */
  baseline: string | null;
  current: string | null;
  status: string | null;
  reason: string | null;
  by_value: MixPart[];
}

export interface Slices {
  model: string;
  by: string;
  metric: MetricName;
  window: MetricWindow;
  from: string;
  to: string;
  segments: SliceSegment[];
  /** null when the server sent no decomposition (an older server). */
  mix_vs_rate: MixVsRate | null;
}

export interface SliceQuery {
  by: string;
  metric: MetricName;
  window: MetricWindow;
  range: DayWindow;
  top: number;
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** The first of `keys` that holds a finite number. */
function firstNumber(record: Record<string, unknown>, keys: readonly string[]): number | null {
  for (const key of keys) {
    const value = num(record[key]);
    if (value !== null) return value;
  }
  return null;
}

/** A period `{from, to}` as "from – to" (dates), or a string as sent. */
function periodText(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (isRecord(value) && typeof value.from === 'string' && typeof value.to === 'string') {
    const to = Date.parse(value.to);
    // `to` is exclusive: a period that ends at midnight is written up to the day before.
    const last = Number.isNaN(to) ? value.to.slice(0, 10) : new Date(to - 1).toISOString().slice(0, 10);
    const first = value.from.slice(0, 10);
    return first === last ? first : `${first} – ${last}`;
  }
  return null;
}

/**
 * Reads `mix_vs_rate` of a /slices answer: periods `before` and `after` as `{from, to, rows, value}` (or plain
 * numbers), `change`, `mix`, `rate` (at the top or under `totals`), and the parts per value under `segments`
 * or `by_value`.
 */
export function parseMixVsRate(value: unknown): MixVsRate | null {
  if (!isRecord(value)) return null;
  const totals = isRecord(value.totals) ? { ...value, ...value.totals } : value;
  const list = Array.isArray(value.segments) ? value.segments : Array.isArray(value.by_value) ? value.by_value : [];
  const parts = list.filter(isRecord);
  const periodValue = (period: unknown) => (isRecord(period) ? num(period.value) : null);
  const before = periodValue(totals.before) ?? firstNumber(totals, ['before', 'rate_before', 'baseline_rate', 'baselineRate']);
  const after = periodValue(totals.after) ?? firstNumber(totals, ['after', 'rate_after', 'current_rate', 'currentRate']);
  const change = firstNumber(totals, ['change', 'delta']) ?? (before !== null && after !== null ? after - before : null);
  return {
    before,
    after,
    change,
    mix: firstNumber(totals, ['mix', 'mix_part', 'mix_total']),
    rate: firstNumber(totals, ['rate', 'rate_part', 'rate_total']),
    baseline: periodText(isRecord(value.before) ? value.before : value.baseline),
    current: periodText(isRecord(value.after) ? value.after : value.current),
    status: str(value.status),
    reason: str(value.reason),
    by_value: parts.map((p) => ({
      value: String(p.value ?? p.segment ?? ''),
      share_before: num(p.share_before),
      share_after: num(p.share_after),
      rate_before: num(p.rate_before),
      rate_after: num(p.rate_after),
      mix_part: num(p.mix_part ?? p.mix),
      rate_part: num(p.rate_part ?? p.rate),
    })),
  };
}

function parsePoint(value: unknown): SlicePoint | null {
  if (!isRecord(value) || typeof value.start !== 'string') return null;
  return { start: value.start, n: num(value.n) ?? 0, share: num(value.share), value: num(value.value), lower: num(value.lower), upper: num(value.upper), reason: str(value.reason) };
}

/** Parses a /slices document: every segment with its points, and the decomposition when the server sends it. */
export function parseSlices(body: unknown, path: string): Slices {
  const record = expectRecord(body, path);
  if (!Array.isArray(record.segments)) throw new ApiError(200, 'bad_response', `${path}: field "segments" is not an array`);
  const segments = record.segments.filter(isRecord).flatMap((s): SliceSegment[] => {
    const value = s.value;
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') return [];
    const points = Array.isArray(s.points) ? s.points.map(parsePoint).filter((p): p is SlicePoint => p !== null) : [];
    return [{ value, rows: num(s.rows) ?? 0, points }];
  });
  return {
    model: str(record.model) ?? '',
    by: str(record.by) ?? '',
    metric: (str(record.metric) ?? 'error_rate') as MetricName,
    window: (str(record.window) ?? 'day') as MetricWindow,
    from: str(record.from) ?? '',
    to: str(record.to) ?? '',
    segments,
    mix_vs_rate: parseMixVsRate(record.mix_vs_rate),
  };
}

/** The request path of a slices query, parameters in a fixed order (so a test can ask the API the same thing). */
export function slicesPath(model: string, query: SliceQuery): string {
  const params = new URLSearchParams({ by: query.by, metric: query.metric, window: query.window, from: windowStartIso(query.range), to: windowEndIso(query.range), top: String(query.top) });
  return `/v1/models/${encodeURIComponent(model)}/slices?${params}`;
}

/** `GET /v1/models/:model/slices`. */
export async function fetchSlices(access: Access, model: string, query: SliceQuery, signal?: AbortSignal): Promise<Slices> {
  const path = slicesPath(model, query);
  return parseSlices(await getJson(path, access, signal), path);
}
