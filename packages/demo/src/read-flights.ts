import type { DuckDBConnection } from '@duckdb/node-api';
import type { Flight } from './encode-flight.js';

/** The first month the demo scores; earlier rows (January) train the model. */
export const scoringStart = "TIMESTAMP '2001-02-01 00:00:00'";

/** `read_parquet` over the flights file with its row numbers; the path is quoted as an SQL string literal. */
export function flightsTable(parquetPath: string): string {
  return `read_parquet('${parquetPath.replaceAll("'", "''")}', file_row_number = true)`;
}

/**
 * Streams the flights matching `where` in file order (which is departure order), one DuckDB chunk
 * (≤ 2,048 rows) at a time, so that millions of rows never sit in memory together. Columns are cast in SQL
 * to INTEGER and DOUBLE so that they arrive as JS numbers, not BigInts. `date` is a TIMESTAMP without zone
 * (the departure airport's clock); epoch_ms reads it as UTC, so the stored hour of day is the local hour.
 */
export async function* readFlights(
  connection: DuckDBConnection,
  parquetPath: string,
  where: string,
  limit?: number,
): AsyncGenerator<Flight[]> {
  const sql = `
    SELECT file_row_number::INTEGER, epoch_ms(date)::DOUBLE, hour(date)::INTEGER, isodow(date)::INTEGER,
           distance::INTEGER, origin, destination, delay::INTEGER
    FROM ${flightsTable(parquetPath)}
    WHERE ${where}
    ORDER BY file_row_number
    ${limit === undefined ? '' : `LIMIT ${limit}`}`;
  const result = await connection.stream(sql);
  for (;;) {
    const chunk = await result.fetchChunk();
    if (chunk === null || chunk.rowCount === 0) return;
    const [row, departureMs, hour, weekday, distanceMiles, origin, destination, delayMinutes] = chunk.getColumns();
    const flights: Flight[] = new Array<Flight>(chunk.rowCount);
    for (let i = 0; i < chunk.rowCount; i++) {
      flights[i] = {
        row: row![i] as number,
        departureMs: departureMs![i] as number,
        hour: hour![i] as number,
        weekday: weekday![i] as number,
        distanceMiles: distanceMiles![i] as number,
        origin: origin![i] as string,
        destination: destination![i] as string,
        delayMinutes: delayMinutes![i] as number,
      };
    }
    yield flights;
  }
}
