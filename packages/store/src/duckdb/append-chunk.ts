import { BOOLEAN, DOUBLE, DuckDBDataChunk, VARCHAR, type DuckDBAppender, type DuckDBConnection, type DuckDBType } from '@duckdb/node-api';
import type { ValueType } from '../store.js';

/** A column to fill: its value type and how to read it from a row. */
export interface ChunkColumn<Row> {
  type: ValueType;
  read: (row: Row) => unknown;
}

const duckType = (type: ValueType): DuckDBType => (type === 'number' ? DOUBLE : type === 'string' ? VARCHAR : BOOLEAN);

// DuckDB's vector size: a data chunk holds at most this many rows.
const chunkRows = 2048;

/**
 * Opens an appender on a table, lets `fill` append to it, and flushes. On failure the appender's pending rows
 * are dropped: left alone, they would be flushed again when the appender is garbage collected, inside whatever
 * transaction is open then, and abort it (the replay test caught this).
 */
export async function appendWith(
  connection: DuckDBConnection,
  table: { name: string; schema?: string; catalog?: string },
  fill: (appender: DuckDBAppender) => void,
): Promise<void> {
  const appender = await connection.createAppender(table.name, table.schema ?? null, table.catalog ?? null);
  try {
    fill(appender);
    appender.flushSync();
    appender.closeSync();
  } catch (error) {
    appender.clear();
    try {
      appender.closeSync();
    } catch {
      // Closing after a failed append reports the same failure again; the first error is the one to throw.
    }
    throw error;
  }
}

/**
 * Appends rows to a table column by column through DuckDB data chunks. Writing typed vectors directly is
 * several times faster than appending value by value; a value of the wrong type is written as NULL.
 */
export async function appendChunks<Row>(
  connection: DuckDBConnection,
  table: { name: string; schema?: string; catalog?: string },
  columns: ChunkColumn<Row>[],
  rows: readonly Row[],
): Promise<void> {
  if (rows.length === 0) return;
  const types = columns.map((c) => duckType(c.type));
  await appendWith(connection, table, (appender) => {
    for (let start = 0; start < rows.length; start += chunkRows) {
      const count = Math.min(chunkRows, rows.length - start);
      const chunk = DuckDBDataChunk.create(types, count);
      columns.forEach((column, c) => {
        if (column.type === 'number') {
          // DOUBLE vectors are a Float64Array; a fresh chunk is all valid, so only a missing value needs a call.
          const vector = chunk.getColumnVector(c) as unknown as { items: Float64Array; setItem(i: number, v: null): void; flush(): void };
          for (let i = 0; i < count; i++) {
            const value = column.read(rows[start + i]!);
            if (typeof value === 'number') vector.items[i] = value;
            else vector.setItem(i, null);
          }
          vector.flush();
          return;
        }
        const vector = chunk.getColumnVector(c) as { setItem(i: number, v: unknown): void; flush(): void };
        const expected = column.type === 'string' ? 'string' : 'boolean';
        for (let i = 0; i < count; i++) {
          const value = column.read(rows[start + i]!);
          vector.setItem(i, typeof value === expected ? value : null);
        }
        vector.flush();
      });
      appender.appendDataChunk(chunk);
    }
  });
}
