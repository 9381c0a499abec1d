import type { Label, OutlayClient, Prediction } from '@outlay/client';
import { SingleBar } from 'cli-progress';
import { OutlayError } from '@outlay/schema';
import { countRows, readFileRows } from '@outlay/analysis';
import { toPrediction, type ColumnMapping } from './to-prediction.js';

export interface IngestFileOptions extends Omit<ColumnMapping, 'model'> {
  model: string | undefined;
  batchSize: number;
  concurrency: number;
  progress: boolean;
}

export interface IngestFileResult {
  file: string;
  rows: number;
  accepted: number;
  duplicates: number;
  rejected: number;
  labels: { accepted: number; duplicates: number } | null;
  seconds: number;
}

/**
 * Streams a file to the server in batches with a bounded number of requests in flight; the client retries
 * 429 and 5xx. Memory stays at about `concurrency` batches whatever the file's size.
 */
export async function ingestFile(client: OutlayClient, file: string, options: IngestFileOptions): Promise<IngestFileResult> {
  const started = performance.now();
  const total = await countRows(file);
  const bar = options.progress ? new SingleBar({ format: 'ingest [{bar}] {percentage}% | {value}/{total} rows | {eta_formatted} left', hideCursor: true }) : null;
  bar?.start(total ?? 0, 0);
  const result: IngestFileResult = { file, rows: 0, accepted: 0, duplicates: 0, rejected: 0, labels: null, seconds: 0 };
  const inFlight = new Set<Promise<void>>();
  let failure: unknown = null;
  const mapping: ColumnMapping = { ...options, model: options.model ?? '' };

  const send = async (predictions: Prediction[], labels: Label[], firstRow: number) => {
    const stored = await client.postPredictions(predictions).catch((error: unknown) => {
      throw atFileRow(error, file, firstRow);
    });
    result.accepted += stored.accepted;
    result.duplicates += stored.duplicates;
    result.rejected += stored.rejected.length;
    if (labels.length > 0) {
      const labelled = await client.postLabels(labels);
      result.labels ??= { accepted: 0, duplicates: 0 };
      result.labels.accepted += labelled.accepted;
      result.labels.duplicates += labelled.duplicates;
    }
    if (bar) {
      if (total === null) bar.setTotal(result.rows);
      bar.update(result.accepted + result.duplicates + result.rejected);
    }
  };

  try {
    for await (const rows of readFileRows(file, options.batchSize)) {
      const firstRow = result.rows;
      const predictions: Prediction[] = [];
      const labels: Label[] = [];
      for (const row of rows) {
        const mapped = toPrediction(row, result.rows++, mapping);
        predictions.push(mapped.prediction);
        if (mapped.label) labels.push(mapped.label);
      }
      const task: Promise<void> = send(predictions, labels, firstRow).catch((error: unknown) => {
        failure ??= error;
      }).finally(() => inFlight.delete(task));
      inFlight.add(task);
      if (inFlight.size >= options.concurrency) await Promise.race(inFlight);
      if (failure) break;
    }
    await Promise.all(inFlight);
  } finally {
    bar?.stop();
  }
  if (failure) throw failure;
  result.seconds = (performance.now() - started) / 1000;
  return result;
}

/** Re-states a server's row error in terms of the file: which row (1-based, after the header) and which column. */
function atFileRow(error: unknown, file: string, firstRow: number): unknown {
  const details = (error as { code?: string; details?: { rejected?: { index: number; errors: { path: string; message: string }[] }[] } }).details;
  const first = details?.rejected?.[0];
  if ((error as { code?: string }).code !== 'invalid_input' || !first) return error;
  const count = details.rejected!.length;
  const reason = first.errors.map((e) => `column ${e.path}: ${e.message}`).join('; ');
  return new OutlayError('invalid_input', `${file}: row ${firstRow + first.index + 1}: ${reason}${count > 1 ? ` (and ${count - 1} more rows in that batch)` : ''}; nothing of that batch was stored`, { details });
}
