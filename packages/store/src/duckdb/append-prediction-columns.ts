import { BOOLEAN, DOUBLE, DuckDBDataChunk, TIMESTAMP, VARCHAR, type DuckDBAppender, type DuckDBType } from '@duckdb/node-api';
import type { BatchColumn, PredictionColumns } from '@outlay/schema';

/** Where a table column's values come from in a batch. */
export type ColumnFill =
  | { kind: 'ids' }
  | { kind: 'timestamp'; from: 'prediction' | 'received' }
  | { kind: 'timestamp_ms' }
  /** A column the batch never fills (the label columns: a label arrives later, or is adopted after the append). */
  | { kind: 'null'; type: 'VARCHAR' | 'DOUBLE' | 'TIMESTAMP' }
  | { kind: 'column'; type: BatchColumn['type']; pick: (batch: PredictionColumns) => BatchColumn | undefined };

const nullTypes = { VARCHAR, DOUBLE, TIMESTAMP } as const;

const duckType = (fill: ColumnFill): DuckDBType =>
  fill.kind === 'null' ? nullTypes[fill.type]
    : fill.kind === 'ids' ? VARCHAR
      : fill.kind === 'timestamp' ? TIMESTAMP
        : fill.kind === 'timestamp_ms' ? DOUBLE
          : fill.type === 'number' ? DOUBLE : fill.type === 'string' ? VARCHAR : BOOLEAN;

// DuckDB's vector size: a data chunk holds at most this many rows.
const chunkRows = 2048;

interface NumberVector { items: Float64Array; setItem(i: number, v: null): void; flush(): void }
interface TimestampVector { items: BigInt64Array; setItem(i: number, v: null): void; flush(): void }
interface AnyVector { setItem(i: number, v: unknown): void; flush(): void }

/**
 * Appends the selected rows of a column batch (all, or those `keep` marks) to an open appender, writing typed
 * vectors directly from the batch's typed arrays.
 */
export function appendPredictionColumns(
  appender: DuckDBAppender,
  layout: ColumnFill[],
  batch: PredictionColumns,
  keep: Uint8Array | null,
  receivedMs: number,
): void {
  const rows: number[] = [];
  for (let i = 0; i < batch.length; i++) if (!keep || keep[i]) rows.push(i);
  const types = layout.map(duckType);
  const sources = layout.map((fill) => (fill.kind === 'column' ? fill.pick(batch) : undefined));
  const receivedMicros = BigInt(Math.round(receivedMs * 1000));
  for (let start = 0; start < rows.length; start += chunkRows) {
    const count = Math.min(chunkRows, rows.length - start);
    const chunk = DuckDBDataChunk.create(types, count);
    layout.forEach((fill, c) => {
      const vector = chunk.getColumnVector(c);
      if (fill.kind === 'ids') {
        const v = vector as unknown as AnyVector;
        for (let i = 0; i < count; i++) v.setItem(i, batch.ids[rows[start + i]!]);
        v.flush();
      } else if (fill.kind === 'timestamp') {
        const v = vector as unknown as TimestampVector;
        for (let i = 0; i < count; i++) {
          v.items[i] = fill.from === 'received' ? receivedMicros : BigInt(Math.round(batch.timestampMs[rows[start + i]!]! * 1000));
        }
        v.flush();
      } else if (fill.kind === 'null') {
        const v = vector as unknown as AnyVector;
        for (let i = 0; i < count; i++) v.setItem(i, null);
        v.flush();
      } else if (fill.kind === 'timestamp_ms') {
        const v = vector as unknown as NumberVector;
        for (let i = 0; i < count; i++) v.items[i] = batch.timestampMs[rows[start + i]!]!;
        v.flush();
      } else {
        fillColumn(vector as unknown as AnyVector, sources[c], fill.type, rows, start, count);
      }
    });
    appender.appendDataChunk(chunk);
  }
}

function fillColumn(vector: AnyVector, source: BatchColumn | undefined, type: BatchColumn['type'], rows: number[], start: number, count: number): void {
  if (!source) {
    for (let i = 0; i < count; i++) vector.setItem(i, null);
  } else if (type === 'number') {
    // DOUBLE vectors are a Float64Array and a fresh chunk is all valid: only a missing value needs a call.
    const v = vector as unknown as NumberVector;
    const { numbers, present } = source;
    for (let i = 0; i < count; i++) {
      const r = rows[start + i]!;
      if (present[r]) v.items[i] = numbers![r]!;
      else v.setItem(i, null);
    }
  } else if (type === 'string') {
    const { strings, present } = source;
    for (let i = 0; i < count; i++) {
      const r = rows[start + i]!;
      vector.setItem(i, present[r] ? strings![r] : null);
    }
  } else {
    const { numbers, present } = source;
    for (let i = 0; i < count; i++) {
      const r = rows[start + i]!;
      vector.setItem(i, present[r] ? numbers![r] === 1 : null);
    }
  }
  vector.flush();
}
