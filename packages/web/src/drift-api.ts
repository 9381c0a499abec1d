// The drift page's calls: GET /v1/models/:model/drift and GET /v1/models/:model/histogram.

import { ApiError, expectRecord, getJson, type Access } from './api.ts';
import type { DayWindow } from './time-range.ts';
import { windowEndIso, windowStartIso } from './time-range.ts';

export interface ColumnDrift {
  column: string;
  source: 'feature' | 'core';
  kind: 'numeric' | 'categorical';
  method: string;
  score: number | null;
  p_value: number | null;
  threshold: number;
  drift: boolean;
  missing: { reference_share: number; current_share: number };
  out_of_range_share: number | null;
  new_categories: string[];
}

export interface MultivariateDrift {
  method: string;
  reference_error: number;
  current_error: number;
  lower: number;
  upper: number;
  drift: boolean;
  columns: string[];
}

export interface WindowDrift {
  reference_rows: number;
  current_rows: number;
  columns: ColumnDrift[];
  drifted_columns: number;
  share_of_drifted_columns: number;
  dataset_drift: boolean;
  multivariate: MultivariateDrift | null;
}

export type Histogram =
  | { kind: 'numeric'; edges: number[]; counts: number[]; below: number; above: number; missing: number; total: number }
  | { kind: 'categorical'; values: { value: string; count: number }[]; other: number; missing: number; total: number };

function bad(path: string, what: string): never {
  throw new ApiError(200, 'bad_response', `${path}: ${what}`);
}

/** `GET /v1/models/:model/drift` between two day windows. */
export async function fetchDrift(access: Access, model: string, reference: DayWindow, current: DayWindow, signal?: AbortSignal): Promise<WindowDrift> {
  const query = new URLSearchParams({
    reference_from: windowStartIso(reference),
    reference_to: windowEndIso(reference),
    current_from: windowStartIso(current),
    current_to: windowEndIso(current),
  });
  const path = `/v1/models/${encodeURIComponent(model)}/drift?${query}`;
  const body = expectRecord(await getJson(path, access, signal), path);
  if (!Array.isArray(body.columns)) bad(path, 'field "columns" is not an array');
  if (typeof body.reference_rows !== 'number' || typeof body.current_rows !== 'number') bad(path, 'row counts are missing');
  return body as unknown as WindowDrift;
}

export interface HistogramRequest {
  column: string;
  source: 'feature' | 'core';
  window: DayWindow;
  bins?: number;
  range?: { lo: number; hi: number };
}

/** `GET /v1/models/:model/histogram`: one column's distribution in one window. */
export async function fetchHistogram(access: Access, model: string, request: HistogramRequest, signal?: AbortSignal): Promise<Histogram> {
  const query = new URLSearchParams({
    column: request.column,
    source: request.source,
    from: windowStartIso(request.window),
    to: windowEndIso(request.window),
    bins: String(request.bins ?? 30),
  });
  if (request.range) {
    query.set('lo', String(request.range.lo));
    query.set('hi', String(request.range.hi));
  }
  const path = `/v1/models/${encodeURIComponent(model)}/histogram?${query}`;
  const body = expectRecord(await getJson(path, access, signal), path);
  if (body.kind === 'numeric' && Array.isArray(body.edges) && Array.isArray(body.counts)) return body as unknown as Histogram;
  if (body.kind === 'categorical' && Array.isArray(body.values)) return body as unknown as Histogram;
  return bad(path, 'expected a numeric or categorical histogram');
}

/** Reference and current distributions of one column on shared buckets, so the two can be drawn together. */
export async function fetchDistributions(
  access: Access,
  model: string,
  column: { column: string; source: 'feature' | 'core'; kind: 'numeric' | 'categorical' },
  reference: DayWindow,
  current: DayWindow,
  signal?: AbortSignal,
): Promise<{ reference: Histogram; current: Histogram }> {
  const base = { column: column.column, source: column.source };
  if (column.kind === 'categorical') {
    const [ref, cur] = await Promise.all([
      fetchHistogram(access, model, { ...base, window: reference }, signal),
      fetchHistogram(access, model, { ...base, window: current }, signal),
    ]);
    return { reference: ref, current: cur };
  }
  // One bucket per window first, for its range; then both windows on the union of the two ranges.
  const [refRange, curRange] = await Promise.all([
    fetchHistogram(access, model, { ...base, window: reference, bins: 1 }, signal),
    fetchHistogram(access, model, { ...base, window: current, bins: 1 }, signal),
  ]);
  const ends = [refRange, curRange].flatMap((h) => (h.kind === 'numeric' && h.total > h.missing ? [h.edges[0]!, h.edges.at(-1)!] : []));
  const lo = ends.length === 0 ? 0 : Math.min(...ends);
  const hi = ends.length === 0 ? 1 : Math.max(...ends);
  // Whole-number ends a short way apart (an hour, a count, a 0/1 flag): one bucket per value, not 30 with gaps.
  const perValue = Number.isInteger(lo) && Number.isInteger(hi) && hi - lo < 60;
  const range = perValue ? { lo, hi: hi + 1 } : { lo, hi };
  const bins = perValue ? hi - lo + 1 : 30;
  const [ref, cur] = await Promise.all([
    fetchHistogram(access, model, { ...base, window: reference, range, bins }, signal),
    fetchHistogram(access, model, { ...base, window: current, range, bins }, signal),
  ]);
  return { reference: ref, current: cur };
}
