import type { DuckDBConnection, DuckDBVector } from '@duckdb/node-api';
import { OutlayError } from '@outlay/schema';
import { sqlName, type DriftSource } from './open-drift-source.js';

/** Row-aligned values of the selected columns: numbers (NaN where missing) or strings (null where missing). */
export interface DriftSample {
  readonly rows: number;
  readonly sampled: boolean;
  readonly numeric: ReadonlyMap<string, Float64Array>;
  readonly categorical: ReadonlyMap<string, (string | null)[]>;
}

/** Seed of the reservoir sample, so that two runs on the same files agree. */
const SAMPLE_SEED = 42;

/**
 * Pulls the selected columns of one side into typed arrays, in one scan: the whole file when it has at most
 * `maxRows` rows, otherwise a uniform reservoir sample of `maxRows` rows (DuckDB `USING SAMPLE reservoir(n
 * ROWS) REPEATABLE (42)`). Numeric columns arrive as DOUBLE vectors and are copied chunk by chunk, never row by
 * row.
 */
export async function pullDriftSample(
  connection: DuckDBConnection,
  source: DriftSource,
  numeric: readonly string[],
  categorical: readonly string[],
  maxRows: number,
): Promise<DriftSample> {
  const sampled = source.rows > maxRows;
  const capacity = sampled ? maxRows : source.rows;
  const select = [
    ...numeric.map((c) => `coalesce(${sqlName(c)}::DOUBLE, 'NaN'::DOUBLE)`),
    ...categorical.map((c) => `${sqlName(c)}::VARCHAR`),
  ];
  if (select.length === 0) return { rows: 0, sampled, numeric: new Map(), categorical: new Map() };
  const from = sampled ? `(SELECT * FROM ${source.relation} USING SAMPLE reservoir(${maxRows} ROWS) REPEATABLE (${SAMPLE_SEED}))` : source.relation;
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
      rows += n;
    }
  } catch (error) {
    throw new OutlayError('invalid_input', `${source.path}: ${(error instanceof Error ? error.message : String(error)).split('\n')[0]}`, { cause: error });
  }
  return {
    rows,
    sampled,
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
