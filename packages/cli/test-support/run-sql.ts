import { DuckDBInstance } from '@duckdb/node-api';

/** Runs statements in a fresh in-memory DuckDB (to write test files); returns the last one's rows. */
export async function runSql(statements: string[]): Promise<unknown[][]> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    let rows: unknown[][] = [];
    for (const statement of statements) rows = (await connection.runAndReadAll(statement)).getRowsJS() as unknown[][];
    return rows;
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
