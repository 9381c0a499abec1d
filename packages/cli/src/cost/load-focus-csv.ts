import { existsSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';
import { OutlayError } from '@outlay/schema';
import type { FocusTable } from './parse-focus-rows.js';

/**
 * Reads a FOCUS CSV as text cells with DuckDB's CSV reader (dialect sniffing, quoting, large files), in file
 * order. Every column is read as VARCHAR so that TypeScript decides, row by row, what a bad value is and can name
 * the row and column; DuckDB's typed reader would fail the whole file or silently turn a value into NULL.
 */
export async function loadFocusCsv(file: string): Promise<FocusTable> {
  if (!existsSync(file)) throw new OutlayError('invalid_input', `${file}: no such file`);
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    // insertion order is preserved by default, so row i of the result is data row i of the file.
    const reader = await connection.runAndReadAll(
      `SELECT * FROM read_csv('${file.replaceAll("'", "''")}', header = true, all_varchar = true, auto_detect = true)`,
    );
    const columns = reader.columnNames();
    const rows = reader.getRows().map((row) => row.map((cell) => (cell === null ? null : String(cell))));
    return { columns, rows };
  } catch (error) {
    throw new OutlayError('invalid_input', `${file}: not a readable CSV file (${(error as Error).message.split('\n')[0]})`, { cause: error });
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
