import type { DuckDBConnection } from '@duckdb/node-api';
import { OutlayError } from '@outlay/schema';
import { detectColumnDrift, type ColumnKind, type DriftInput } from '@outlay/stats';
import { queryOrThrow, sqlName, sqlString, type DriftSource } from './open-drift-source.js';
import type { DriftSample } from './pull-drift-sample.js';

/** How the current data is cut into chunks (NannyML's chunkers): every N rows, K equal parts, or by period. */
export type Chunking =
  | { readonly by: 'size'; readonly rows: number }
  | { readonly by: 'count'; readonly chunks: number }
  | { readonly by: 'period'; readonly period: ChunkPeriod; readonly time: string };

export type ChunkPeriod = 'hour' | 'day' | 'week' | 'month';
const PERIODS: readonly ChunkPeriod[] = ['hour', 'day', 'week', 'month'];

/** Below this many sampled rows a chunk gets no verdict (`insufficient_data`) rather than a noisy one. */
export const MIN_CHUNK_SAMPLE_ROWS = 20;

/**
 * Parses `--chunk`: `size:N` (every N rows), `count:K` (K equal parts) or `period:day` (hour, day, week,
 * month; needs `--time`).
 */
export function parseChunking(text: string, time: string | undefined): Chunking {
  const [by, value = ''] = text.split(':', 2);
  const whole = Number(value);
  if (by === 'size' && Number.isInteger(whole) && whole >= 2) return { by: 'size', rows: whole };
  if (by === 'count' && Number.isInteger(whole) && whole >= 1) return { by: 'count', chunks: whole };
  if (by === 'period' && (PERIODS as readonly string[]).includes(value)) {
    if (time === undefined) throw new OutlayError('invalid_input', `--chunk ${text}: chunks by period need --time <column>`);
    return { by: 'period', period: value as ChunkPeriod, time };
  }
  throw new OutlayError('invalid_input', `--chunk: expected size:N (N ≥ 2), count:K (K ≥ 1) or period:${PERIODS.join('|')}, got "${text}"`);
}

/** SQL for a row's chunk key on one side, given the row-number column's name. */
export function chunkKeySql(chunking: Chunking, source: DriftSource): (rowNumber: string) => string {
  switch (chunking.by) {
    case 'size':
      return (rn) => `${rn} // ${chunking.rows}`;
    case 'count':
      return (rn) => `(${rn} * ${chunking.chunks}) // ${source.rows}`;
    case 'period':
      return () => `epoch_ms(date_trunc(${sqlString(chunking.period)}, TRY_CAST(${sqlName(chunking.time)} AS TIMESTAMP)))`;
  }
}

/** Checks that the time column exists on both sides and reads as a timestamp. */
export function checkTimeColumn(chunking: Chunking, sources: readonly DriftSource[]): void {
  if (chunking.by !== 'period') return;
  for (const source of sources) {
    const type = source.columns.get(chunking.time);
    if (type === undefined) throw new OutlayError('invalid_input', `${source.path}: column "${chunking.time}" (--time) not found; the file has: ${[...source.columns.keys()].join(', ')}`);
    if (!/^(DATE|TIMESTAMP.*|VARCHAR)$/.test(type)) throw new OutlayError('invalid_input', `${source.path}: column "${chunking.time}" (--time) is ${type}; expected a date or timestamp`);
  }
}

/**
 * Chunk index per sampled row: the position of its key among `known` keys (−1 where the key is missing or not
 * known); without `known`, among the sample's own distinct keys, ascending. Returns the keys used.
 */
export function chunkIndex(keys: Float64Array, known?: readonly number[]): { of: Int32Array; keys: number[] } {
  const distinct = known ? [...known] : [...new Set(Array.from(keys).filter((k) => Number.isFinite(k)))].sort((a, b) => a - b);
  const index = new Map(distinct.map((k, i) => [k, i]));
  return { of: Int32Array.from(keys, (k) => index.get(k) ?? -1), keys: distinct };
}

export interface ChunkBounds {
  readonly key: number;
  readonly rows: number;
  readonly firstRow: number;
  readonly lastRow: number;
}

/** Exact row count and first/last row number of every chunk of a side, in key order. */
export async function chunkBounds(connection: DuckDBConnection, source: DriftSource, chunking: Chunking): Promise<ChunkBounds[]> {
  const rn = source.numbered.rowNumber;
  const key = chunkKeySql(chunking, source)(rn);
  const rows = await queryOrThrow(
    connection,
    source.path,
    `SELECT (${key})::DOUBLE AS k, count(*)::DOUBLE, min(${rn})::DOUBLE, max(${rn})::DOUBLE FROM ${source.numbered.from} WHERE (${key}) IS NOT NULL GROUP BY 1 ORDER BY 1`,
  );
  return (rows as [number, number, number, number][]).map(([k, n, first, last]) => ({ key: k, rows: n, firstRow: first, lastRow: last }));
}

/**
 * Exact category counts of a column per chunk of a side (the sample is too thin for many categories: a
 * Jensen-Shannon distance on a few thousand rows over hundreds of airports is biased upwards).
 */
export async function chunkCategoryCounts(connection: DuckDBConnection, source: DriftSource, chunking: Chunking, column: string, keys: readonly number[]): Promise<Map<string, number>[]> {
  const key = chunkKeySql(chunking, source)(source.numbered.rowNumber);
  const rows = await queryOrThrow(
    connection,
    source.path,
    `SELECT (${key})::DOUBLE, ${sqlName(column)}::VARCHAR, count(*)::DOUBLE FROM ${source.numbered.from} WHERE ${sqlName(column)} IS NOT NULL AND (${key}) IS NOT NULL GROUP BY ALL`,
  );
  const index = new Map(keys.map((k, i) => [k, i]));
  const counts = keys.map(() => new Map<string, number>());
  for (const [k, value, n] of rows as [number, string, number][]) counts[index.get(k)!]?.set(value, n);
  return counts;
}

/** One column's verdict inside one chunk. */
export interface ChunkColumnDrift {
  readonly column: string;
  readonly method: string;
  readonly score: number;
  readonly p_value: number | null;
  readonly drift: boolean;
}

export interface ChunkColumn {
  readonly name: string;
  readonly kind: ColumnKind;
  readonly method: string;
  readonly threshold: number;
  readonly reference: DriftInput;
}

/**
 * Per-column drift of each chunk of the current sample against the whole reference, with each column's
 * whole-run method and threshold. Columns the sample does not hold (categorical target or prediction) are
 * left out; a chunk with fewer than MIN_CHUNK_SAMPLE_ROWS sampled rows gets no verdicts.
 */
export function chunkColumnDrift(
  columns: readonly ChunkColumn[],
  current: DriftSample,
  chunkOf: Int32Array,
  chunks: number,
  /** Exact counts per chunk of the categorical columns, by column name. */
  categoryCounts: ReadonlyMap<string, readonly Map<string, number>[]>,
): (ChunkColumnDrift[] | null)[] {
  const members: number[][] = Array.from({ length: chunks }, () => []);
  chunkOf.forEach((c, row) => {
    if (c >= 0) members[c]!.push(row);
  });
  return members.map((rows, chunk) => {
    if (rows.length < MIN_CHUNK_SAMPLE_ROWS) return null;
    const out: ChunkColumnDrift[] = [];
    for (const column of columns) {
      const counts = categoryCounts.get(column.name)?.[chunk];
      const input = column.kind === 'categorical' ? (counts && counts.size > 0 ? { type: 'categories' as const, counts } : null) : numericInput(column, current, rows);
      if (input === null || column.method === 'none') continue;
      const verdict = detectColumnDrift({ kind: column.kind, reference: column.reference, current: input, method: column.method, threshold: column.threshold });
      const score = Number.isFinite(verdict.score) ? verdict.score : Math.sign(verdict.score) * Number.MAX_VALUE;
      out.push({ column: column.name, method: verdict.method, score, p_value: verdict.p_value, drift: verdict.drift });
    }
    return out;
  });
}

function numericInput(column: ChunkColumn, sample: DriftSample, rows: readonly number[]): DriftInput | null {
  const values = sample.numeric.get(column.name);
  if (!values) return null;
  const finite = rows.map((r) => values[r]!).filter((x) => Number.isFinite(x));
  return finite.length === 0 ? null : { type: 'sample', values: Float64Array.from(finite) };
}
