import { createReadStream, existsSync, statSync } from 'node:fs';
import { extname } from 'node:path';
import { createInterface } from 'node:readline';
import { DuckDBInstance } from '@duckdb/node-api';
import { OutlayError } from '@outlay/schema';

export type FileFormat = 'parquet' | 'csv' | 'ndjson';

export function fileFormat(path: string): FileFormat {
  const ext = extname(path).toLowerCase();
  if (ext === '.parquet') return 'parquet';
  if (ext === '.csv' || ext === '.tsv') return 'csv';
  if (ext === '.ndjson' || ext === '.jsonl' || ext === '.json') return 'ndjson';
  throw new OutlayError('invalid_input', `${path}: unknown file type "${ext}"; expected .parquet, .csv, .tsv, .ndjson, .jsonl or .json`);
}

const sqlString = (text: string): string => `'${text.replaceAll("'", "''")}'`;

function assertFile(path: string): void {
  if (!existsSync(path) || !statSync(path).isFile()) throw new OutlayError('invalid_input', `${path}: no such file`);
}

/** Total rows where it is cheap to know (Parquet keeps it in its footer); null otherwise. */
export async function countRows(path: string): Promise<number | null> {
  assertFile(path);
  if (fileFormat(path) !== 'parquet') return null;
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const reader = await connection.runAndReadAll(`SELECT count(*)::DOUBLE FROM read_parquet(${sqlString(path)})`);
    return reader.getRowsJS()[0]![0] as number;
  } catch (error) {
    throw new OutlayError('invalid_input', `${path}: cannot read as parquet: ${(error as Error).message.split('\n')[0]}`, { cause: error });
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/**
 * Streams a file's rows as plain objects, `batchSize` at a time, never holding the whole file: Parquet and CSV
 * through DuckDB's readers, NDJSON line by line (so nested `features` objects stay as they are).
 */
export async function* readFileRows(path: string, batchSize: number): AsyncGenerator<Record<string, unknown>[]> {
  assertFile(path);
  const format = fileFormat(path);
  if (format === 'ndjson') {
    yield* readNdjson(path, batchSize);
    return;
  }
  const instance = await DuckDBInstance.create(':memory:', { threads: '2' });
  const connection = await instance.connect();
  try {
    const source = format === 'parquet' ? `read_parquet(${sqlString(path)})` : `read_csv(${sqlString(path)}, header = true)`;
    let result;
    try {
      result = await connection.stream(`SELECT * FROM ${source}`);
    } catch (error) {
      throw new OutlayError('invalid_input', `${path}: cannot read as ${format}: ${(error as Error).message.split('\n')[0]}`, { cause: error });
    }
    let batch: Record<string, unknown>[] = [];
    const chunks = result.yieldRowObjectJs();
    while (true) {
      let next: IteratorResult<Record<string, unknown>[]>;
      try {
        next = await chunks.next();
      } catch (error) {
        // DuckDB's readers name the line and column of a value they cannot convert.
        throw new OutlayError('invalid_input', `${path}: ${(error as Error).message.split('\n')[0]}`, { cause: error });
      }
      if (next.done) break;
      for (const row of next.value) {
        batch.push(row);
        if (batch.length >= batchSize) {
          yield batch;
          batch = [];
        }
      }
    }
    if (batch.length > 0) yield batch;
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

async function* readNdjson(path: string, batchSize: number): AsyncGenerator<Record<string, unknown>[]> {
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  let batch: Record<string, unknown>[] = [];
  let line = 0;
  for await (const text of lines) {
    line++;
    if (text.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      const hint = /\b(NaN|-?Infinity)\b/.test(text) ? 'NaN and Infinity are not JSON; write null' : (error as Error).message;
      throw new OutlayError('invalid_input', `${path}: line ${line}: not valid JSON (${hint})`);
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw new OutlayError('invalid_input', `${path}: line ${line}: expected a JSON object per line`);
    }
    batch.push(value as Record<string, unknown>);
    if (batch.length >= batchSize) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}
