import type { Label, Prediction } from '@outlay/client';

export interface ColumnMapping {
  model: string;
  idColumn: string;
  timestampColumn: string;
  segments: Set<string>;
  exclude: Set<string>;
  /** Prefix for ids made from the row number when the file has no id column (stable, so a rerun resumes). */
  idPrefix: string;
}

const core = new Set(['id', 'model', 'model_version', 'timestamp', 'prediction', 'score', 'scores', 'interval', 'latency_ms', 'customer', 'features', 'segments', 'stage', 'label', 'label_timestamp', 'label_source']);

/** A JSON-safe value: bigints become numbers, dates ISO strings. */
function plain(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Date) return value.toISOString();
  return value;
}

/** A time as the API takes it: ISO with a zone, or epoch ms; a zone-less time is read as UTC. */
export function toTimestamp(value: unknown): string | number | unknown {
  const v = plain(value);
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(v)) return `${v.replace(' ', 'T')}Z`;
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v)) return `${v}T00:00:00Z`;
  return v;
}

/**
 * Turns a file row into a prediction (and a label when the row has a `label`). Rows already in the API's shape
 * (with a `features` object) pass through; flat rows put every other column into features, or into segments
 * when named with `--segments`.
 */
export function toPrediction(row: Record<string, unknown>, rowNumber: number, mapping: ColumnMapping): { prediction: Prediction; label?: Label } {
  const id = row[mapping.idColumn] ?? `${mapping.idPrefix}${rowNumber}`;
  const out: Record<string, unknown> = {
    id: typeof id === 'string' ? id : String(plain(id)),
    model: row.model ?? mapping.model,
    timestamp: toTimestamp(row[mapping.timestampColumn]),
    prediction: plain(row.prediction),
  };
  for (const name of ['model_version', 'score', 'scores', 'interval', 'latency_ms', 'customer', 'stage'] as const) {
    if (row[name] !== undefined && row[name] !== null) out[name] = plain(row[name]);
  }
  if (row.features !== undefined) {
    out.features = row.features;
    if (row.segments !== undefined) out.segments = row.segments;
  } else {
    const features: Record<string, unknown> = {};
    const segments: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(row)) {
      if (core.has(name) || name === mapping.idColumn || name === mapping.timestampColumn || mapping.exclude.has(name)) continue;
      (mapping.segments.has(name) ? segments : features)[name] = plain(value);
    }
    out.features = features;
    if (Object.keys(segments).length > 0) out.segments = segments;
  }
  const result: { prediction: Prediction; label?: Label } = { prediction: out as unknown as Prediction };
  if (row.label !== undefined && row.label !== null) {
    result.label = {
      id: out.id as string,
      label: plain(row.label) as Label['label'],
      timestamp: toTimestamp(row.label_timestamp ?? row[mapping.timestampColumn]) as Label['timestamp'],
      source: (row.label_source as Label['source'] | undefined) ?? 'ground_truth',
    };
  }
  return result;
}
