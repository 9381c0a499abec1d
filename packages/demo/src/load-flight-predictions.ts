import { DuckDBInstance } from '@duckdb/node-api';
import type { Label, Prediction } from '@outlay/schema';
import { OutlayError } from '@outlay/schema';
import { predictLogistic } from '@outlay/stats';
import type { Store, WriteResult } from '@outlay/store';
import type { Flight } from './encode-flight.js';
import { encodeFlight, flightFeatureCount } from './encode-flight.js';
import { flightsParquetPath } from './flights-parquet-path.js';
import { flightsTable, readFlights, scoringStart } from './read-flights.js';
import { toFlightRecords } from './to-flight-records.js';
import type { FlightDelayModel } from './train-flight-delay-model.js';
import { trainFlightDelayModel } from './train-flight-delay-model.js';

export interface LoadFlightPredictionsOptions {
  project: string;
  model: string;
  /** Score only the first `maxRows` flights from 1 February on (all ~2.49 million when absent). */
  maxRows?: number;
  /** Rows per insertPredictions/insertLabels call. Default 5,000. */
  batchSize?: number;
  onProgress?: (done: number, total: number) => void;
  parquetPath?: string;
}

export interface LoadFlightPredictionsResult {
  model: string;
  modelVersion: string;
  trainRows: number;
  trainDelayedShare: number;
  trainLogLoss: number;
  threshold: number;
  scoredRows: number;
  predictions: WriteResult;
  labels: WriteResult;
}

/**
 * Trains the delay model on January, scores February–June in departure order and writes each flight as a
 * prediction and its delay as a label. Deterministic: the same file gives the same ids, scores and
 * latencies, so a second load only reports duplicates.
 */
export async function loadFlightPredictions(store: Store, options: LoadFlightPredictionsOptions): Promise<LoadFlightPredictionsResult> {
  const { maxRows, batchSize = 5000 } = options;
  if (maxRows !== undefined && !(Number.isInteger(maxRows) && maxRows >= 0)) {
    throw new OutlayError('invalid_input', `loadDemo: maxRows is ${maxRows}, expected a whole number ≥ 0`, { details: { maxRows } });
  }
  if (!(Number.isInteger(batchSize) && batchSize >= 1)) {
    throw new OutlayError('invalid_input', `loadDemo: batchSize is ${batchSize}, expected a whole number ≥ 1`, { details: { batchSize } });
  }
  const parquetPath = options.parquetPath ?? flightsParquetPath();

  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const model = await trainFlightDelayModel(connection, parquetPath);
    const where = `date >= ${scoringStart}`;
    const count = await connection.runAndReadAll(`SELECT count(*)::INTEGER FROM ${flightsTable(parquetPath)} WHERE ${where}`);
    const available = count.getRows()[0]![0] as number;
    const total = maxRows === undefined ? available : Math.min(maxRows, available);

    const written = await scoreAndWrite(store, options, model, readFlights(connection, parquetPath, where, total), total, batchSize);
    return {
      model: options.model,
      modelVersion: model.version,
      trainRows: model.trainRows,
      trainDelayedShare: model.trainDelayedShare,
      trainLogLoss: model.coefficients.logLoss,
      threshold: model.threshold,
      ...written,
    };
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/**
 * Scores and writes batch by batch, waiting for each write. Keeping three batches in flight (so that the
 * DuckDB store's queue commits them together) measured no faster on 500,000 rows (26–33k rows/s either
 * way, 2 cores): the store's work is JS on this same thread, so the simpler loop stays.
 */
async function scoreAndWrite(
  store: Store,
  options: LoadFlightPredictionsOptions,
  model: FlightDelayModel,
  chunks: AsyncIterable<Flight[]>,
  total: number,
  batchSize: number,
): Promise<{ scoredRows: number; predictions: WriteResult; labels: WriteResult }> {
  const scoring = { model: options.model, modelVersion: model.version, threshold: model.threshold };
  const inputs = new Float64Array(flightFeatureCount(model.encoding));
  const predictions: WriteResult = { accepted: 0, duplicates: 0 };
  const labels: WriteResult = { accepted: 0, duplicates: 0 };
  let predictionBatch: Prediction[] = [];
  let labelBatch: Label[] = [];
  let scoredRows = 0;

  const flush = async (): Promise<void> => {
    if (predictionBatch.length === 0) return;
    const p = await store.insertPredictions(options.project, predictionBatch);
    const l = await store.insertLabels(options.project, labelBatch);
    predictions.accepted += p.accepted;
    predictions.duplicates += p.duplicates;
    labels.accepted += l.accepted;
    labels.duplicates += l.duplicates;
    scoredRows += predictionBatch.length;
    predictionBatch = [];
    labelBatch = [];
    options.onProgress?.(scoredRows, total);
  };

  for await (const chunk of chunks) {
    for (const flight of chunk) {
      const score = predictLogistic(model.coefficients, encodeFlight(model.encoding, flight, inputs));
      const records = toFlightRecords(flight, score, scoring);
      predictionBatch.push(records.prediction);
      labelBatch.push(records.label);
    }
    if (predictionBatch.length >= batchSize) await flush();
  }
  await flush();
  return { scoredRows, predictions, labels };
}
