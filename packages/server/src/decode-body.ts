import { gunzipSync } from 'node:zlib';
import {
  CostRecord,
  Label,
  OutlayError,
  Prediction,
  RevenueRecord,
  isValidPrediction,
  limits,
  toPredictionColumns,
  type PredictionColumns,
  type RejectedRow,
} from '@outlay/schema';
import { parseRows } from './read-body.js';
import { validateRows } from './validate-rows.js';

export type IngestKind = 'prediction' | 'label' | 'cost_record' | 'revenue';

export interface DecodeRequest {
  kind: IngestKind;
  /** The body as received (still gzip-compressed when `contentEncoding` says so). */
  body: Uint8Array;
  contentType: string | null;
  contentEncoding: string | null;
  /** Model for prediction rows that name none (`?model=`). */
  model?: string;
}

/** Valid rows (predictions as column batches, the rest as objects) and the rejected ones with their reasons. */
export interface Decoded {
  received: number;
  rejected: RejectedRow[];
  columns: PredictionColumns[] | null;
  rows: unknown[] | null;
}

const schemas = { label: Label, cost_record: CostRecord, revenue: RevenueRecord } as const;

/**
 * Everything between the bytes of an ingest request and rows ready to store: gunzip (bounded, so a small bomb is
 * refused), JSON or NDJSON parsing, the batch-size limit, validation, and for predictions the column batches.
 * CPU-bound and free of shared state, so the server runs it in a worker thread.
 */
export function decodeBody(request: DecodeRequest): Decoded {
  let bytes = request.body;
  if ((request.contentEncoding ?? '').toLowerCase() === 'gzip') {
    try {
      bytes = gunzipSync(bytes, { maxOutputLength: limits.maxBodyBytes });
    } catch (error) {
      if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
        throw new OutlayError('payload_too_large', `request body exceeds ${limits.maxBodyBytes} bytes once gunzipped; split it into smaller batches`, {
          details: { max_bytes: limits.maxBodyBytes },
        });
      }
      throw new OutlayError('invalid_input', `could not gunzip the request body: ${(error as Error).message}`);
    }
  }
  const rows = parseRows(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), request.contentType);
  if (rows.length > limits.maxRowsPerBatch) {
    throw new OutlayError('payload_too_large', `a batch holds at most ${limits.maxRowsPerBatch} rows, got ${rows.length}; split it`, {
      details: { max_rows: limits.maxRowsPerBatch, rows: rows.length },
    });
  }
  if (request.kind === 'prediction') {
    const model = request.model;
    const fill = model ? (row: Record<string, unknown>) => { row.model ??= model; } : undefined;
    const { valid, rejected } = validateRows(Prediction, rows, fill, isValidPrediction);
    return { received: rows.length, rejected, columns: toPredictionColumns(valid), rows: null };
  }
  const { valid, rejected } = validateRows(schemas[request.kind], rows);
  return { received: rows.length, rejected, columns: null, rows: valid };
}

/** The buffers of a decoded batch, to move them to another thread instead of copying. */
export function transferables(decoded: Decoded): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  for (const batch of decoded.columns ?? []) {
    buffers.add(batch.timestampMs.buffer as ArrayBuffer);
    for (const column of [...Object.values(batch.fixed), ...batch.dynamic]) {
      buffers.add(column.present.buffer as ArrayBuffer);
      if (column.numbers) buffers.add(column.numbers.buffer as ArrayBuffer);
    }
  }
  return [...buffers];
}
