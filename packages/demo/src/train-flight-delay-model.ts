import type { DuckDBConnection } from '@duckdb/node-api';
import type { LogisticRegressionModel } from '@outlay/stats';
import { fitLogisticRegression, maxF1Threshold, predictLogistic } from '@outlay/stats';
import type { Flight, FlightEncoding } from './encode-flight.js';
import { encodeFlight, flightFeatureCount } from './encode-flight.js';
import { flightsTable, readFlights, scoringStart } from './read-flights.js';
import { delayedAfterMinutes } from './to-flight-records.js';

export interface FlightDelayModel {
  version: string;
  encoding: FlightEncoding;
  coefficients: LogisticRegressionModel;
  /** Predict "delayed" when score ≥ threshold: the F1-maximising threshold on the training rows. */
  threshold: number;
  trainRows: number;
  /** Share of training flights delayed more than 15 minutes (the base rate the model must beat). */
  trainDelayedShare: number;
}

export interface TrainFlightDelayModelOptions {
  /** Airports per side with their own column. Default 20. */
  topAirports?: number;
  /** Train on every n-th January row (by file row): 1 in 4 is ~127,000 rows, plenty for 66 coefficients. */
  sampleEvery?: number;
  /** Ridge penalty (sklearn's 1/C). Default 1, which barely moves coefficients fitted on 10⁵ rows. */
  l2?: number;
}

/**
 * Fits the demo's delay model, "v1-jan": logistic regression of P(delay > 15 min) on January 2001 flights.
 * Airport vocabularies and distance scaling come from SQL aggregates over all of January; the fit reads
 * a deterministic sample of January rows.
 */
export async function trainFlightDelayModel(
  connection: DuckDBConnection,
  parquetPath: string,
  options: TrainFlightDelayModelOptions = {},
): Promise<FlightDelayModel> {
  const topAirports = options.topAirports ?? 20;
  const sampleEvery = options.sampleEvery ?? 4;
  const table = flightsTable(parquetPath);
  const january = `date < ${scoringStart}`;

  // Ties in airport counts break by code, so the vocabulary is the same on every run.
  const topOf = async (column: 'origin' | 'destination'): Promise<string[]> => {
    const reader = await connection.runAndReadAll(
      `SELECT ${column} FROM ${table} WHERE ${january} GROUP BY ${column} ORDER BY count(*) DESC, ${column} LIMIT ${topAirports}`,
    );
    return reader.getRows().map((r) => String(r[0]));
  };
  const scale = await connection.runAndReadAll(
    `SELECT avg(ln(distance)), stddev_pop(ln(distance)) FROM ${table} WHERE ${january}`,
  );
  const [logDistanceMean, logDistanceSd] = scale.getRows()[0]! as [number, number];
  const encoding: FlightEncoding = {
    origins: await topOf('origin'),
    destinations: await topOf('destination'),
    logDistanceMean,
    logDistanceSd,
  };

  const nCols = flightFeatureCount(encoding);
  const flights: Flight[] = [];
  for await (const chunk of readFlights(connection, parquetPath, `${january} AND file_row_number % ${sampleEvery} = 0`)) {
    for (const flight of chunk) flights.push(flight);
  }
  const nRows = flights.length;
  const values = new Float64Array(nRows * nCols);
  const y = new Uint8Array(nRows);
  let delayed = 0;
  for (let i = 0; i < nRows; i++) {
    const flight = flights[i]!;
    encodeFlight(encoding, flight, values.subarray(i * nCols, (i + 1) * nCols));
    y[i] = flight.delayMinutes > delayedAfterMinutes ? 1 : 0;
    delayed += y[i]!;
  }

  const coefficients = fitLogisticRegression({ values, nRows, nCols }, y, { l2: options.l2 ?? 1 });
  const scores = new Float64Array(nRows);
  for (let i = 0; i < nRows; i++) scores[i] = predictLogistic(coefficients, values.subarray(i * nCols, (i + 1) * nCols));
  // At 0.5 a model of a ~20% event flags almost nothing, and every dashboard of errors would show only
  // false negatives; the F1-best threshold trades them against false alarms.
  const { threshold } = maxF1Threshold(y, scores);

  return { version: 'v1-jan', encoding, coefficients, threshold, trainRows: nRows, trainDelayedShare: delayed / nRows };
}
