import type { DuckDBConnection, DuckDBVector } from '@duckdb/node-api';
import { OutlayError } from '@outlay/schema';
import { asDouble, sqlName, type DriftSource } from './open-drift-source.js';

/** Row-aligned values of the selected columns: numbers (NaN where missing) or strings (null where missing). */
export interface DriftSample {
  readonly rows: number;
  readonly sampled: boolean;
  /** With a chunk key: each sampled row's key (NaN when the key is NULL). */
  readonly chunkKeys?: Float64Array;
  readonly numeric: ReadonlyMap<string, Float64Array>;
  readonly categorical: ReadonlyMap<string, (string | null)[]>;
}

/** Seed of the sample, so that two runs on the same files agree. */
const SAMPLE_SEED = 42;
// The sample keeps a row when a hash of its row number falls below a cut on this modulus (a prime).
const HASH_MODULUS = 1_000_003;

/**
 * Pulls the selected columns of one side into typed arrays, in one scan: the whole file when it has at most
 * `maxRows` rows, otherwise a uniform sample of about 98% of `maxRows` rows (at most `maxRows`), keeping a row
 * when a hash of its row number (plus a seed) falls below a cut. Unlike `USING SAMPLE reservoir(…) REPEATABLE`,
 * which DuckDB runs on one thread, this scans in parallel and still gives the same rows on every run
 * (measured on 1M × 22 Parquet: 430 ms → 100 ms per side). Numeric columns arrive as DOUBLE vectors and are
 * copied chunk by chunk, never row by row.
 */
export async function pullDriftSample(
  connection: DuckDBConnection,
  source: DriftSource,
  numeric: readonly string[],
  categorical: readonly string[],
  maxRows: number,
  /** SQL for a numeric chunk key per row, given the name of the row-number column. */
  chunkKey?: (rowNumber: string) => string,
): Promise<DriftSample> {
  const sampled = source.rows > maxRows;
  const capacity = sampled ? maxRows : source.rows;
  const select = [
    ...numeric.map((c) => `coalesce(${asDouble(c)}, 'NaN'::DOUBLE)`),
    ...categorical.map((c) => `${sqlName(c)}::VARCHAR`),
  ];
  if (select.length === 0) return { rows: 0, sampled, numeric: new Map(), categorical: new Map() };
  if (chunkKey) select.push(`coalesce((${chunkKey(source.numbered.rowNumber)})::DOUBLE, 'NaN'::DOUBLE)`);
  const cut = Math.floor(((0.98 * maxRows) / source.rows) * HASH_MODULUS);
  const from = sampled
    ? `${source.numbered.from} WHERE hash(${source.numbered.rowNumber} + ${SAMPLE_SEED}) % ${HASH_MODULUS} < ${cut} LIMIT ${capacity}`
    : chunkKey
      ? source.numbered.from
      : source.relation;
  const keys = chunkKey ? new Float64Array(capacity) : undefined;
  const numbers = numeric.map(() => new Float64Array(capacity));
  const strings = categorical.map(() => new Array<string | null>(capacity));
  let rows = 0;
  try {
    const result = await connection.run(`SELECT ${select.join(', ')} FROM ${from}`);
    for (;;) {
      const chunk = await result.fetchChunk();
      if (!chunk || chunk.rowCount === 0) break;
      const n = chunk.rowCount;
      if (rows + n > capacity) throw new Error(`more rows than the ${capacity} counted`);
      numbers.forEach((target, j) => copyDoubles(chunk.getColumnVector(j), n, target, rows));
      strings.forEach((target, j) => {
        const vector = chunk.getColumnVector(numeric.length + j);
        for (let i = 0; i < n; i++) target[rows + i] = vector.getItem(i) as string | null;
      });
      if (keys) copyDoubles(chunk.getColumnVector(select.length - 1), n, keys, rows);
      rows += n;
    }
  } catch (error) {
    throw new OutlayError('invalid_input', `${source.path}: ${(error instanceof Error ? error.message : String(error)).split('\n')[0]}`, { cause: error });
  }
  return {
    rows,
    sampled,
    ...(keys ? { chunkKeys: keys.subarray(0, rows) } : {}),
    numeric: new Map(numeric.map((c, j) => [c, numbers[j]!.subarray(0, rows)])),
    categorical: new Map(categorical.map((c, j) => [c, strings[j]!.slice(0, rows)])),
  };
}

/**
 * Copies a DOUBLE vector with no NULLs (the query coalesces them to NaN). DuckDBDoubleVector keeps its values in
 * a Float64Array it does not expose in its types; use it when present (one memcpy per 2,048 rows), else getItem.
 */
function copyDoubles(vector: DuckDBVector, n: number, target: Float64Array, offset: number): void {
  const items = (vector as unknown as { items?: unknown }).items;
  if (items instanceof Float64Array && items.length >= n) {
    target.set(items.subarray(0, n), offset);
    return;
  }
  for (let i = 0; i < n; i++) target[offset + i] = vector.getItem(i) as number;
}
