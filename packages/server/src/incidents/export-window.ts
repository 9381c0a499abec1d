import { DuckDBInstance } from '@duckdb/node-api';
import { OutlayError } from '@outlay/schema';
import type { ColumnRef, Selection, Store } from '@outlay/store';

/** A stored window written to a file: what diagnose reads, and what a user downloads to reproduce a slice. */
export interface ExportedWindow {
  readonly path: string;
  /** Rows written (a deterministic sample when the window held more than `maxRows`). */
  readonly rows: number;
  /** Rows in the window. */
  readonly total: number;
  /** File columns of the model's outputs, for diagnose. */
  readonly columns: { readonly prediction: string; readonly score: string | null; readonly label: string | null };
}

const sqlString = (text: string): string => `'${text.replaceAll("'", "''")}'`;
const sqlName = (name: string): string => `"${name.replaceAll('"', '""')}"`;

/**
 * Writes a window of a model to Parquet or CSV: id, timestamp, the prediction (number or class), score, label,
 * latency, every feature under its own name and every segment as `segment_<name>`. The rows are the store's
 * deterministic sample (a hash of the id) of at most `maxRows`: the same rows on every call.
 */
export async function exportWindow(
  store: Store,
  selection: Selection,
  path: string,
  options: { maxRows: number; format?: 'parquet' | 'csv' },
): Promise<ExportedWindow> {
  const info = await store.modelColumns(selection.project, selection.model);
  const [counts] = await store.aggregate({
    ...selection,
    measures: (['prediction', 'prediction_class', 'score', 'label', 'label_class'] as const).map((name) => ({ op: 'count_non_null' as const, column: { source: 'core' as const, name } })),
  });
  const [predictionNum, predictionClass, score, labelNum, labelClass] = (counts?.values ?? []).map((v) => v ?? 0) as number[];
  const prediction = (predictionClass ?? 0) > (predictionNum ?? 0) ? 'prediction_class' : 'prediction';
  const label = (labelClass ?? 0) > (labelNum ?? 0) ? 'label_class' : 'label';
  const columns: { name: string; ref: ColumnRef }[] = [
    { name: 'id', ref: { source: 'core', name: 'id' } },
    { name: 'timestamp_ms', ref: { source: 'core', name: 'timestamp_ms' } },
    { name: 'prediction', ref: { source: 'core', name: prediction } },
    ...((score ?? 0) > 0 ? [{ name: 'score', ref: { source: 'core', name: 'score' } } as const] : []),
    ...((labelNum ?? 0) + (labelClass ?? 0) > 0 ? [{ name: 'label', ref: { source: 'core', name: label } } as const] : []),
    { name: 'latency_ms', ref: { source: 'core', name: 'latency_ms' } },
  ];
  const taken = new Set(columns.map((c) => c.name));
  for (const c of info) {
    if (c.source !== 'feature' && c.source !== 'segment') continue;
    const name = c.source === 'segment' ? `segment_${c.name}` : c.name;
    // A name seen with two types keeps its first (numbers come first in the catalog order of a typical model).
    if (taken.has(name)) continue;
    taken.add(name);
    columns.push({ name, ref: { source: c.source, name: c.name, type: c.type } });
  }
  const sample = await store.sampleColumns({ ...selection, columns: columns.map((c) => c.ref), maxRows: options.maxRows });
  if (sample.rows === 0) throw new OutlayError('invalid_input', `model "${selection.model}" has no predictions in [${String(selection.from)}, ${String(selection.to)})`);
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const types = columns.map((_, j) => {
      const first = sample.values[j]!.find((v) => v !== null);
      return typeof first === 'number' ? 'DOUBLE' : typeof first === 'boolean' ? 'BOOLEAN' : 'VARCHAR';
    });
    await connection.run(`CREATE TABLE w (${columns.map((c, j) => `${sqlName(c.name)} ${types[j]}`).join(', ')})`);
    const appender = await connection.createAppender('w');
    for (let r = 0; r < sample.rows; r++) {
      columns.forEach((_, j) => {
        const value = sample.values[j]![r] ?? null;
        if (value === null) appender.appendNull();
        else if (types[j] === 'DOUBLE') appender.appendDouble(Number(value));
        else if (types[j] === 'BOOLEAN') appender.appendBoolean(Boolean(value));
        else appender.appendVarchar(String(value));
      });
      appender.endRow();
    }
    appender.closeSync();
    const format = options.format ?? 'parquet';
    await connection.run(`COPY w TO ${sqlString(path)} (FORMAT ${format === 'csv' ? 'csv, HEADER' : 'parquet'})`);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
  return { path, rows: sample.rows, total: sample.total, columns: { prediction: 'prediction', score: (score ?? 0) > 0 ? 'score' : null, label: columns.some((c) => c.name === 'label') ? 'label' : null } };
}
