import { parentPort } from 'node:worker_threads';
import { OutlayError } from '@outlay/schema';
import { decodeBody, transferables, type DecodeRequest } from './decode-body.js';

/** Worker thread entry: decodes ingest bodies sent by the DecodePool. */
parentPort!.on('message', ({ id, request }: { id: number; request: DecodeRequest }) => {
  try {
    const decoded = decodeBody(request);
    parentPort!.postMessage({ id, decoded }, transferables(decoded));
  } catch (error) {
    const e = error instanceof OutlayError ? error : new OutlayError('internal', (error as Error).message ?? String(error));
    parentPort!.postMessage({ id, error: { code: e.code, message: e.message, details: e.details, internal: !(error instanceof OutlayError) } });
  }
});
