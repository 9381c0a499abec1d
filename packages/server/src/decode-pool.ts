import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { OutlayError, type ErrorCode } from '@outlay/schema';
import { decodeBody, type DecodeRequest, type Decoded } from './decode-body.js';

interface Pending {
  worker: Worker;
  resolve: (decoded: Decoded) => void;
  reject: (error: unknown) => void;
}

const workerFile = fileURLToPath(new URL('./decode-worker.js', import.meta.url));

/**
 * Decodes ingest bodies on worker threads, so parsing and validating one batch overlaps with writing another
 * (measured: JSON parsing, validation and column building were a third of the server's main thread at load).
 * With no workers, or when running from TypeScript sources (tests), it decodes inline.
 */
export class DecodePool {
  private readonly workers: Worker[] = [];
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private turn = 0;

  constructor(size: number) {
    if (!existsSync(workerFile)) return;
    for (let i = 0; i < size; i++) this.workers.push(this.spawn());
  }

  get threads(): number {
    return this.workers.length;
  }

  decode(request: DecodeRequest): Promise<Decoded> {
    if (this.workers.length === 0) {
      try {
        return Promise.resolve(decodeBody(request));
      } catch (error) {
        return Promise.reject(error);
      }
    }
    const worker = this.workers[this.turn++ % this.workers.length]!;
    const id = this.nextId++;
    // The body is copied into a buffer of its own, which then moves to the worker without a second copy.
    const body = new Uint8Array(request.body);
    return new Promise<Decoded>((resolve, reject) => {
      this.pending.set(id, { worker, resolve, reject });
      worker.postMessage({ id, request: { ...request, body } }, [body.buffer]);
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.splice(0).map((w) => w.terminate()));
  }

  private spawn(): Worker {
    const worker = new Worker(workerFile);
    worker.unref();
    worker.on('message', (message: { id: number; decoded?: Decoded; error?: { code: ErrorCode; message: string; details: unknown; internal: boolean } }) => {
      const waiting = this.pending.get(message.id);
      if (!waiting) return;
      this.pending.delete(message.id);
      if (message.decoded) waiting.resolve(message.decoded);
      else if (message.error!.internal) waiting.reject(new Error(message.error!.message));
      else waiting.reject(new OutlayError(message.error!.code, message.error!.message, { details: message.error!.details }));
    });
    worker.on('error', (error) => {
      // A crashed worker fails what it held and is replaced; the requests get a 500 and clients retry.
      for (const [id, waiting] of this.pending) {
        if (waiting.worker !== worker) continue;
        waiting.reject(error);
        this.pending.delete(id);
      }
      const index = this.workers.indexOf(worker);
      if (index >= 0) this.workers[index] = this.spawn();
    });
    return worker;
  }
}
