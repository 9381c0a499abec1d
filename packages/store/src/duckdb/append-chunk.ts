import { BOOLEAN, DOUBLE, DuckDBDataChunk, VARCHAR, type DuckDBConnection, type DuckDBType } from '@duckdb/node-api';
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
  const appender = await connection.createAppender(table.name, table.schema ?? null, table.catalog ?? null);
  try {
    for (let start = 0; start < rows.length; start += chunkRows) {
      const count = Math.min(chunkRows, rows.length - start);
      const chunk = DuckDBDataChunk.create(types, count);
      columns.forEach((column, c) => {
        const vector = chunk.getColumnVector(c) as { setItem(i: number, v: unknown): void; flush(): void };
        const expected = column.type === 'number' ? 'number' : column.type === 'string' ? 'string' : 'boolean';
        for (let i = 0; i < count; i++) {
          const value = column.read(rows[start + i]!);
          vector.setItem(i, typeof value === expected ? value : null);
        }
        vector.flush();
      });
      appender.appendDataChunk(chunk);
    }
    appender.flushSync();
  } finally {
    appender.closeSync();
  }
}
