// GET /v1/models/:model/volume: a model's predictions per hour, which size a cost scenario from real traffic.

import { ApiError, expectRecord, getJson, type Access } from './api.ts';
import { windowEndIso, windowStartIso, type DayWindow } from './time-range.ts';

export interface Volume {
  hours: { start: string; predictions: number }[];
  total: number;
  mean_per_hour: number;
  peak_per_hour: number;
  peak_to_mean: number | null;
  predictions_per_month: number;
}

export async function fetchVolume(access: Access, model: string, window: DayWindow, signal?: AbortSignal): Promise<Volume> {
  const query = new URLSearchParams({ from: windowStartIso(window), to: windowEndIso(window) });
  const path = `/v1/models/${encodeURIComponent(model)}/volume?${query}`;
  const body = expectRecord(await getJson(path, access, signal), path);
  if (!Array.isArray(body.hours) || typeof body.total !== 'number') throw new ApiError(200, 'bad_response', `${path}: expected hours and a total`);
  return body as unknown as Volume;
}

/**
 * The scenario JSON with its first scenario's volume set from measured traffic (predictions a month, and the
 * busiest hour over the mean as peak-to-mean, at least 1). Null when the text is not a scenario file.
 */
export function withMeasuredVolume(scenarioText: string, volume: Volume): string | null {
  let file: unknown;
  try {
    file = JSON.parse(scenarioText);
  } catch {
    return null;
  }
  const scenarios = (file as { scenarios?: unknown }).scenarios;
  if (!Array.isArray(scenarios) || typeof scenarios[0] !== 'object' || scenarios[0] === null) return null;
  const first = scenarios[0] as { volume?: Record<string, unknown> };
  first.volume = {
    ...first.volume,
    predictions_per_month: Math.max(1, Math.round(volume.predictions_per_month)),
    peak_to_mean: Math.max(1, Math.round((volume.peak_to_mean ?? 1) * 100) / 100),
  };
  return JSON.stringify(file, null, 2);
}
