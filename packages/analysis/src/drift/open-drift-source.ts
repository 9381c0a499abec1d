import { existsSync, statSync } from 'node:fs';
import type { DuckDBConnection } from '@duckdb/node-api';
import { OutlayError } from '@outlay/schema';
import { fileFormat } from '../read-file-rows.js';

export type DriftSide = 'reference' | 'current';

/** A column computed from others when a side is opened. */
export interface DerivedColumn {
  readonly name: string;
  readonly sql: string;
  readonly reads: readonly string[];
  /** The option that asked for it, for messages. */
  readonly flag: string;
}

/** An interval's width as a derived column: `high − low`, read as numbers. */
export const intervalWidth = ([low, high]: readonly [string, string]): DerivedColumn => ({
  name: 'interval_width',
  sql: `(TRY_CAST(${sqlName(high)} AS DOUBLE) - TRY_CAST(${sqlName(low)} AS DOUBLE))`,
  reads: [low, high],
  flag: '--interval',
});

/** A file opened as a DuckDB relation named `ref` or `cur`, with its columns and DuckDB types. */
export interface DriftSource {
  readonly side: DriftSide;
  readonly path: string;
  readonly relation: 'ref' | 'cur';
  readonly columns: ReadonlyMap<string, string>;
  readonly rows: number;
  /** The relation with a stable row number, and that number's column: what a deterministic sample hashes. */
  readonly numbered: { from: string; rowNumber: string };
}

export const sqlString = (text: string): string => `'${text.replaceAll("'", "''")}'`;
export const sqlName = (name: string): string => `"${name.replaceAll('"', '""')}"`;
/** A numeric column as DOUBLE; TRY_CAST so that a column that arrives as text reads what it can (NULL otherwise). */
export const asDouble = (name: string): string => `TRY_CAST(${sqlName(name)} AS DOUBLE)`;

/**
 * Opens one side: Parquet as a view (DuckDB reads only the columns each query needs), CSV and NDJSON
 * materialised once as a temporary table (so the text is parsed once, and its conversion errors surface here,
 * naming the line and column). Throws OutlayError('invalid_input') naming the file on a missing, unreadable or
 * empty file.
 */
export async function openDriftSource(
  connection: DuckDBConnection,
  side: DriftSide,
  path: string,
  /** Computed columns added to the file's own (e.g. an interval's width), with the file columns they read. */
  derived: readonly DerivedColumn[] = [],
): Promise<DriftSource> {
  if (!existsSync(path) || !statSync(path).isFile()) throw new OutlayError('invalid_input', `${path}: no such file (--${side})`);
  const format = fileFormat(path);
  const relation = side === 'reference' ? 'ref' : 'cur';
  const reader =
    format === 'parquet'
      ? `read_parquet(${sqlString(path)})`
      : format === 'csv'
        ? `read_csv(${sqlString(path)}, header = true)`
        : `read_json_auto(${sqlString(path)}, format = 'newline_delimited')`;
  const extra = derived.map((d) => `, ${d.sql} AS ${sqlName(d.name)}`).join('');
  try {
    if (derived.length > 0) {
      const own = new Set((await connection.runAndReadAll(`SELECT column_name FROM (DESCRIBE SELECT * FROM ${reader})`)).getRowsJS().map(([name]) => String(name)));
      for (const d of derived) {
        if (own.has(d.name)) throw new OutlayError('invalid_input', `${path}: already has a column "${d.name}" (${d.flag} would add it)`);
        const absent = d.reads.filter((c) => !own.has(c));
        if (absent.length > 0) throw new OutlayError('invalid_input', `${path}: column "${absent[0]}" (${d.flag}) not found; the file has: ${[...own].join(', ')}`);
      }
    }
    await connection.run(format === 'parquet' ? `CREATE VIEW ${relation} AS SELECT *${extra} FROM ${reader}` : `CREATE TEMP TABLE ${relation} AS SELECT *${extra} FROM ${reader}`);
  } catch (error) {
    if (error instanceof OutlayError) throw error;
    throw new OutlayError('invalid_input', `${path}: cannot read as ${format}: ${firstLine(error)}`, { cause: error });
  }
  const described = await connection.runAndReadAll(`SELECT column_name, column_type FROM (DESCRIBE ${relation})`);
  const columns = new Map(described.getRowsJS().map(([name, type]) => [String(name), String(type)]));
  const counted = await queryOrThrow(connection, path, `SELECT count(*)::DOUBLE FROM ${relation}`);
  const rows = counted[0]![0] as number;
  if (rows === 0) throw new OutlayError('invalid_input', `${path}: the file has no rows (--${side}); drift needs at least one row per side`);
  const numbered = format === 'parquet'
    ? { from: extra === '' ? `read_parquet(${sqlString(path)}, file_row_number = true)` : `(SELECT *${extra} FROM read_parquet(${sqlString(path)}, file_row_number = true))`, rowNumber: 'file_row_number' }
    : { from: relation, rowNumber: 'rowid' };
  return { side, path, relation, columns, rows, numbered };
}

/** Runs a query over a source and maps DuckDB's conversion errors to invalid_input naming the file. */
export async function queryOrThrow(connection: DuckDBConnection, path: string, sql: string): Promise<unknown[][]> {
  try {
    return (await connection.runAndReadAll(sql)).getRowsJS() as unknown[][];
  } catch (error) {
    throw new OutlayError('invalid_input', `${path}: ${firstLine(error)}`, { cause: error });
  }
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
}
