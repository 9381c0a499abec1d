// The incidents page's calls: open, list, read and confirm incidents (POST/GET /v1/incidents…), and download a
// window of one (GET /v1/incidents/:id/export) with the key in a header, which a plain link cannot send.

import { ApiError, expectRecord, getJson, isRecord, postJson, type Access } from './api.ts';
import type { DayWindow } from './time-range.ts';
import { windowEndIso, windowStartIso } from './time-range.ts';

export type FailureType = 'bad_data' | 'wrong_y' | 'missing_features' | 'limited_representation' | 'extrapolation' | 'interpolation' | 'none';

/** A slice of the data: dimension → value, e.g. `{origin: "MSP", hour: "[8, 10)"}`. */
export type Slice = Record<string, string>;

export interface IncidentWindow {
  from: string;
  to: string;
}

export type IncidentTrigger = { kind: 'manual' } | { kind: 'monitor'; monitor_id: string; detail?: unknown };

export interface Confirmation {
  type: FailureType | null;
  cause: Slice | null;
  note: string | null;
  at: string;
}

export interface Explanation {
  rank: number;
  slice: Slice;
  explained_share: number;
  kind: 'rate' | 'mix' | 'volume';
  prior: number;
  posterior: number;
  evidence: Record<string, number>;
}

export interface FailureVerdict {
  type: FailureType;
  likelihood: number;
  evidence: string[];
  contradicting: string[];
}

export interface RootCauseSearch {
  change: { baseline: number; current: number; delta: number };
  decomposition: { mix: number | null; rate: number | null; dimension: string | null };
  root_causes: Slice[];
  root_cause_share: number;
  explanations: Explanation[];
  ruled_out: { slice: Slice; reason: string }[];
  dimensions: string[];
  note: string | null;
}

export interface Diagnosis {
  task: 'classification' | 'regression';
  failure_types: FailureVerdict[];
  root_causes: Slice[];
  mix_share: number | null;
  root_cause_search: RootCauseSearch | null;
  performance: {
    metric: string;
    reference: number;
    current: number;
    pValue: number;
    reference_rows: number;
    current_rows: number;
    metrics: { metric: string; reference: number; current: number; p_value: number }[];
  };
  data_quality: { column: string | null; finding: string; detail: string }[];
}

export type SampleRow = Record<string, unknown>;

export interface Incident {
  id: string;
  project: string;
  model: string;
  opened_at: string;
  trigger: IncidentTrigger;
  reference: IncidentWindow;
  current: IncidentWindow;
  rows: { reference: number; current: number; sampled: boolean };
  diagnosis: Diagnosis | null;
  reason: string | null;
  sample_rows: { worst: SampleRow[]; random: SampleRow[] };
  confirmed: Confirmation | null;
}

export interface IncidentSummary {
  id: string;
  model: string;
  opened_at: string;
  trigger: IncidentTrigger;
  current: IncidentWindow;
  failure_type: FailureType | null;
  likelihood: number | null;
  root_causes: Slice[];
  confirmed: Confirmation | null;
}

function bad(path: string, what: string): never {
  throw new ApiError(200, 'bad_response', `${path}: ${what}`);
}

function parseIncident(value: unknown, path: string): Incident {
  const body = expectRecord(value, path);
  if (typeof body.id !== 'string' || typeof body.model !== 'string') bad(path, 'the incident has no id or model');
  if (!isRecord(body.reference) || !isRecord(body.current)) bad(path, 'the incident has no windows');
  if (body.diagnosis !== null && !isRecord(body.diagnosis)) bad(path, 'field "diagnosis" is neither an object nor null');
  if (!isRecord(body.sample_rows)) bad(path, 'field "sample_rows" is missing');
  return body as unknown as Incident;
}

/** `GET /v1/incidents`: the project's incidents, newest first. */
export async function fetchIncidents(access: Access, signal?: AbortSignal): Promise<IncidentSummary[]> {
  const path = '/v1/incidents';
  const body = expectRecord(await getJson(path, access, signal), path);
  if (!Array.isArray(body.incidents)) bad(path, 'field "incidents" is not an array');
  return body.incidents as IncidentSummary[];
}

export async function fetchIncident(access: Access, id: string, signal?: AbortSignal): Promise<Incident> {
  const path = `/v1/incidents/${encodeURIComponent(id)}`;
  return parseIncident(await getJson(path, access, signal), path);
}

/** `POST /v1/incidents` (admin): exports both windows, runs the diagnosis (seconds), keeps the incident. */
export async function openIncident(access: Access, model: string, reference: DayWindow, current: DayWindow, signal?: AbortSignal): Promise<Incident> {
  const request = {
    model,
    reference_from: windowStartIso(reference),
    reference_to: windowEndIso(reference),
    current_from: windowStartIso(current),
    current_to: windowEndIso(current),
  };
  return parseIncident(await postJson('/v1/incidents', access, request, signal), '/v1/incidents');
}

/** `POST /v1/incidents/:id/confirm` (admin): the cause a person confirmed, which raises its prior next time. */
export async function confirmIncident(access: Access, id: string, confirmation: { type: FailureType | null; cause: Slice | null; note: string | null }): Promise<Incident> {
  const path = `/v1/incidents/${encodeURIComponent(id)}/confirm`;
  return parseIncident(await postJson(path, access, confirmation), path);
}

export interface ExportRequest {
  window: 'current' | 'reference';
  format: 'csv' | 'parquet';
  slice: boolean;
}

export interface DownloadedExport {
  fileName: string;
  rows: number | null;
  /** The slice the rows were narrowed to; null when the whole window was exported. */
  slice: Slice | null;
  bytes: number;
}

function exportPath(id: string, request: ExportRequest): string {
  const query = new URLSearchParams({ window: request.window, format: request.format, slice: String(request.slice) });
  return `/v1/incidents/${encodeURIComponent(id)}/export?${query}`;
}

function fileNameOf(disposition: string | null, fallback: string): string {
  const match = /filename="([^"]+)"/.exec(disposition ?? '');
  return match?.[1] ?? fallback;
}

function parseSliceHeader(text: string | null): Slice | null {
  if (text === null || text === 'none') return null;
  try {
    const value: unknown = JSON.parse(text);
    return isRecord(value) ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, String(v)])) : null;
  } catch {
    return null;
  }
}

/**
 * Fetches a window of the incident with the key in the Authorization header and hands it to the browser as a
 * download (a Blob URL clicked through a temporary `<a download>`): a plain link could not send the key.
 */
export async function downloadExport(access: Access, id: string, request: ExportRequest): Promise<DownloadedExport> {
  const path = exportPath(id, request);
  const headers: Record<string, string> = { Authorization: `Bearer ${access.apiKey}` };
  if (access.project !== null) headers['X-Outlay-Project'] = access.project;
  let response: Response;
  try {
    response = await fetch(path, { headers });
  } catch (cause) {
    throw new ApiError(0, 'network', 'Could not reach the Outlay server. Is it running?', { cause });
  }
  if (!response.ok) {
    const text = await response.text().catch(() => '');
    let message = `The server answered ${response.status} ${response.statusText}`.trim();
    try {
      const body: unknown = JSON.parse(text);
      if (isRecord(body) && isRecord(body.error) && typeof body.error.message === 'string') message = body.error.message;
    } catch {
      // Not JSON: keep the status line.
    }
    throw new ApiError(response.status, `http_${response.status}`, message);
  }
  const blob = await response.blob();
  const fileName = fileNameOf(response.headers.get('content-disposition'), `incident-${id}-${request.window}.${request.format}`);
  const rowsHeader = response.headers.get('x-outlay-rows');
  const url = URL.createObjectURL(blob);
  try {
    const link = document.createElement('a');
    link.href = url;
    link.download = fileName;
    link.style.display = 'none';
    document.body.append(link);
    link.click();
    link.remove();
  } finally {
    // The click has started the download; the URL can go once the browser has read it.
    setTimeout(() => URL.revokeObjectURL(url), 30_000);
  }
  return {
    fileName,
    rows: rowsHeader === null || !Number.isFinite(Number(rowsHeader)) ? null : Number(rowsHeader),
    slice: parseSliceHeader(response.headers.get('x-outlay-slice')),
    bytes: blob.size,
  };
}

const failureTypeTitles: Record<FailureType, string> = {
  bad_data: 'Bad data',
  wrong_y: 'Wrong y (labels changed)',
  missing_features: 'Missing features',
  limited_representation: 'Limited representation',
  extrapolation: 'Extrapolation',
  interpolation: 'Interpolation',
  none: 'Nothing wrong',
};

/** `extrapolation` → `Extrapolation`; an unknown type as sent. */
export function failureTypeTitle(type: string): string {
  return (failureTypeTitles as Record<string, string>)[type] ?? type;
}

export const failureTypes = Object.keys(failureTypeTitles) as FailureType[];

/** `{origin: "MSP", hour: "[8, 10)"}` → `origin = MSP, hour = [8, 10)`. */
export function formatSlice(slice: Slice | null | undefined): string {
  if (!slice) return '—';
  const parts = Object.entries(slice).map(([k, v]) => `${k} = ${v}`);
  return parts.length === 0 ? 'everything' : parts.join(', ');
}
