import type { IngestResult, ModelStats, ModelSummary } from './api.js';
import { BatchQueue } from './batch-queue.js';
import { OutlayClientError } from './outlay-client-error.js';
import type { Label, Prediction } from './prediction.js';
import { parseRetryAfterMs, retryDelayMs } from './retry-delay.js';

export interface OutlayClientOptions {
  /** Base URL of the server, e.g. `http://127.0.0.1:8080`; a path prefix is kept. */
  url: string;
  /** API key, sent as `Authorization: Bearer <key>`. */
  key: string;
  /** Project to act on, sent as `X-Outlay-Project`; only an admin key may choose. */
  project?: string;
  /** Rows per request; a queue sends as soon as this many rows wait. */
  batchSize?: number;
  /** Rows waiting shorter than `batchSize` are sent at this interval. */
  flushIntervalMs?: number;
  /** Retries after the first attempt, on 408, 429, 5xx, network errors and timeouts. */
  maxRetries?: number;
  /** Rows waiting or in flight, predictions and labels together, beyond which `logPrediction`/`logLabel` throw. */
  maxQueue?: number;
  /** Compress request bodies (`Content-Encoding: gzip`): worth it on slow links, costs CPU on fast ones. */
  gzip?: boolean;
  /** First backoff ceiling; doubles per retry up to `maxRetryDelayMs`. */
  retryBaseDelayMs?: number;
  maxRetryDelayMs?: number;
  /** Per attempt. */
  timeoutMs?: number;
  /** Flush queued rows when Node's event loop empties (`beforeExit`). Not run on `process.exit()` or signals. */
  flushOnExit?: boolean;
  /** Called with every batch the queue lost (after retries), including batches nobody awaits. Default: `console.error`. */
  onError?: (error: OutlayClientError) => void;
  fetch?: typeof globalThis.fetch;
  /** Uniform on [0, 1), for the backoff jitter; inject a constant for deterministic tests. */
  random?: () => number;
}

/**
 * Cap on the JSON length of one queued batch, in UTF-16 units: even if every unit took 3 bytes in UTF-8,
 * the body stays under the server's 32 MiB limit (packages/schema/src/limits.ts).
 */
const maxBatchChars = 10 * 1024 * 1024;

/** The server answers 413 above this many rows per request (packages/schema/src/limits.ts). */
const maxRowsPerBatch = 10_000;

/**
 * Client for the Outlay HTTP API.
 *
 * `logPrediction`/`logLabel` queue rows and return at once; the client sends them in batches (at `batchSize`
 * rows or every `flushIntervalMs`), retrying with backoff when the server is busy or down. Queued batches
 * are sent with `?partial=true`: a malformed row is reported (through `onError` and `flush()`) without
 * losing the good rows of its batch. Call `close()` (or at least `flush()`) before the program ends.
 *
 * @example
 * const outlay = new OutlayClient({ url: 'http://127.0.0.1:8080', key: process.env.OUTLAY_KEY! });
 * outlay.logPrediction({ id: 'r1', model: 'fraud', timestamp: Date.now(), features: { amount: 12.5 }, prediction: 0, score: 0.03 });
 * await outlay.close();
 */
export class OutlayClient {
  private readonly baseUrl: string;
  private readonly key: string;
  private readonly project: string | undefined;
  private readonly maxRetries: number;
  private readonly maxQueue: number;
  private readonly gzip: boolean;
  private readonly retryBaseDelayMs: number;
  private readonly maxRetryDelayMs: number;
  private readonly timeoutMs: number;
  private readonly onError: (error: OutlayClientError) => void;
  private readonly fetchFn: typeof globalThis.fetch;
  private readonly random: () => number;
  private readonly predictions: BatchQueue;
  private readonly labels: BatchQueue;
  private readonly timer: ReturnType<typeof setInterval>;
  private readonly exitHook: (() => void) | undefined;
  private closing: Promise<void> | undefined;

  constructor(options: OutlayClientOptions) {
    if (typeof options.url !== 'string' || !/^https?:\/\//.test(options.url)) {
      throw new OutlayClientError('invalid_options', `url: expected an http(s) URL, got ${JSON.stringify(options.url)}`);
    }
    if (typeof options.key !== 'string' || options.key === '') {
      throw new OutlayClientError('invalid_options', 'key: expected a non-empty API key');
    }
    this.baseUrl = options.url.replace(/\/+$/, '');
    this.key = options.key;
    this.project = options.project;
    const batchSize = positiveInteger('batchSize', options.batchSize ?? 1000);
    if (batchSize > maxRowsPerBatch) {
      throw new OutlayClientError('invalid_options', `batchSize: the server takes at most ${maxRowsPerBatch} rows per request, got ${batchSize}`);
    }
    const flushIntervalMs = positiveInteger('flushIntervalMs', options.flushIntervalMs ?? 1000);
    this.maxRetries = nonNegativeInteger('maxRetries', options.maxRetries ?? 8);
    this.maxQueue = positiveInteger('maxQueue', options.maxQueue ?? 100_000);
    this.gzip = options.gzip ?? false;
    this.retryBaseDelayMs = nonNegativeInteger('retryBaseDelayMs', options.retryBaseDelayMs ?? 200);
    this.maxRetryDelayMs = nonNegativeInteger('maxRetryDelayMs', options.maxRetryDelayMs ?? 30_000);
    this.timeoutMs = positiveInteger('timeoutMs', options.timeoutMs ?? 30_000);
    this.onError = options.onError ?? ((error) => console.error(`outlay client: ${error.message}`));
    this.fetchFn = options.fetch ?? globalThis.fetch.bind(globalThis);
    this.random = options.random ?? Math.random;

    const queueOptions = { batchSize, maxBatchChars, onError: (error: unknown) => this.onError(asClientError(error)) };
    this.predictions = new BatchQueue({ ...queueOptions, send: (rows) => this.sendQueued('/v1/predictions', rows) });
    this.labels = new BatchQueue({ ...queueOptions, send: (rows) => this.sendQueued('/v1/labels', rows) });

    this.timer = setInterval(() => {
      this.predictions.drain();
      this.labels.drain();
    }, flushIntervalMs);
    // A monitoring client must never be the reason a program does not exit.
    this.timer.unref?.();

    if ((options.flushOnExit ?? true) && typeof process !== 'undefined' && typeof process.on === 'function') {
      this.exitHook = () => {
        // Node emits beforeExit again once this flush's requests are done; with nothing pending it exits.
        // Lost batches were already given to onError, so the rejection carries nothing new.
        if (this.pendingRows > 0) this.flush().catch(() => undefined);
      };
      process.on('beforeExit', this.exitHook);
    }
  }

  /** Rows queued or in flight, predictions and labels together. */
  get pendingRows(): number {
    return this.predictions.pendingRows + this.labels.pendingRows;
  }

  /**
   * Queues a prediction. Throws `OutlayClientError` with code `queue_full` when `maxQueue` rows are already
   * waiting (the server is down or slower than the producer), `closed` after `close()`. Throwing rather than
   * returning `false` so that a dropped row cannot go unnoticed; catch it where dropping is acceptable.
   */
  logPrediction(prediction: Prediction): void {
    this.enqueue(this.predictions, prediction);
  }

  /** Queues a label; throws like `logPrediction`. */
  logLabel(label: Label): void {
    this.enqueue(this.labels, label);
  }

  /**
   * Sends everything queued so far and resolves when the server has answered all of it. Rejects with the
   * first `OutlayClientError` among those rows (rejected rows: code `invalid_input`, `details.rejected`).
   */
  async flush(): Promise<void> {
    const results = await Promise.allSettled([this.predictions.flush(), this.labels.flush()]);
    for (const result of results) if (result.status === 'rejected') throw asClientError(result.reason);
  }

  /** Stops the timer, refuses new rows and flushes. Safe to call more than once. */
  close(): Promise<void> {
    if (this.closing === undefined) {
      clearInterval(this.timer);
      if (this.exitHook !== undefined) process.off('beforeExit', this.exitHook);
      this.closing = this.flush();
    }
    return this.closing;
  }

  /** Sends one batch now, bypassing the queue, and returns the server's answer. With `partial`, good rows are kept and bad ones returned in `rejected`. */
  postPredictions(rows: Prediction[], options: { partial?: boolean } = {}): Promise<IngestResult> {
    return this.postJson('/v1/predictions', JSON.stringify(rows), options.partial ?? false);
  }

  /** Like `postPredictions`, for labels. */
  postLabels(rows: Label[], options: { partial?: boolean } = {}): Promise<IngestResult> {
    return this.postJson('/v1/labels', JSON.stringify(rows), options.partial ?? false);
  }

  async models(): Promise<ModelSummary[]> {
    const body = await this.request<{ models: ModelSummary[] }>('GET', '/v1/models', undefined);
    return body.models;
  }

  modelStats(model: string): Promise<ModelStats> {
    return this.request<ModelStats>('GET', `/v1/models/${encodeURIComponent(model)}/stats`, undefined);
  }

  private enqueue(queue: BatchQueue, row: Prediction | Label): void {
    if (this.closing !== undefined) throw new OutlayClientError('closed', 'the client is closed; create a new one');
    if (this.pendingRows >= this.maxQueue) {
      throw new OutlayClientError(
        'queue_full',
        `${this.pendingRows} rows are waiting for the server (maxQueue ${this.maxQueue}); the row was not queued`,
      );
    }
    // Serialise now: the caller may reuse or mutate the object after logging it.
    queue.push(JSON.stringify(row));
  }

  private async sendQueued(path: string, rows: string[]): Promise<void> {
    const result = await this.postJson(path, `[${rows.join(',')}]`, true);
    if (result.rejected !== undefined && result.rejected.length > 0) {
      const first = result.rejected[0];
      const firstError = first?.errors[0];
      const where = first === undefined ? '' : `; first: row ${first.index} (id ${JSON.stringify(first.id)})`;
      const what = firstError === undefined ? '' : ` ${firstError.path}: ${firstError.message}`;
      throw new OutlayClientError(
        'invalid_input',
        `POST ${path}: the server rejected ${result.rejected.length} of ${rows.length} rows${where}${what}`,
        { status: 200, details: { rejected: result.rejected }, attempts: 1 },
      );
    }
  }

  private postJson(path: string, json: string, partial: boolean): Promise<IngestResult> {
    return this.request<IngestResult>('POST', partial ? `${path}?partial=true` : path, json);
  }

  private async request<T>(method: 'GET' | 'POST', path: string, json: string | undefined): Promise<T> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.key}`, accept: 'application/json' };
    if (this.project !== undefined) headers['x-outlay-project'] = this.project;
    let body: string | Uint8Array | undefined = json;
    if (json !== undefined) {
      headers['content-type'] = 'application/json';
      if (this.gzip) {
        body = await gzipText(json);
        headers['content-encoding'] = 'gzip';
      }
    }
    const what = `${method} ${path}`;
    for (let attempt = 0; ; attempt += 1) {
      const attempts = attempt + 1;
      let response: Response;
      try {
        response = await this.fetchFn(`${this.baseUrl}${path}`, {
          method,
          headers,
          ...(body === undefined ? {} : { body }),
          signal: AbortSignal.timeout(this.timeoutMs),
        });
      } catch (cause) {
        const timedOut = cause instanceof Error && cause.name === 'TimeoutError';
        const error = new OutlayClientError(
          timedOut ? 'timeout' : 'network_error',
          timedOut ? `${what}: no answer within ${this.timeoutMs} ms` : `${what}: ${describeCause(cause)}`,
          { attempts, cause },
        );
        if (attempt >= this.maxRetries) throw error;
        await sleep(this.delayMs(attempt, undefined));
        continue;
      }
      if (response.ok) return (await readJson(response, what, attempts)) as T;
      const error = await errorFromResponse(response, what, attempts);
      if (!isRetryable(response.status) || attempt >= this.maxRetries) throw error;
      await sleep(this.delayMs(attempt, parseRetryAfterMs(response.headers.get('retry-after'), Date.now())));
    }
  }

  private delayMs(attempt: number, retryAfterMs: number | undefined): number {
    return retryDelayMs({
      attempt,
      baseDelayMs: this.retryBaseDelayMs,
      maxDelayMs: this.maxRetryDelayMs,
      random: this.random,
      retryAfterMs,
    });
  }
}

/** 408 and 429 say "later", 5xx "something broke on the way"; every other 4xx would fail the same way again. */
function isRetryable(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

async function readJson(response: Response, what: string, attempts: number): Promise<unknown> {
  const text = await response.text();
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new OutlayClientError('invalid_response', `${what}: expected JSON from the server, got ${JSON.stringify(text.slice(0, 200))}`, {
      status: response.status,
      attempts,
      cause,
    });
  }
}

async function errorFromResponse(response: Response, what: string, attempts: number): Promise<OutlayClientError> {
  // Reading the body also frees the connection for the retry.
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Not JSON (a proxy's HTML page, say): the raw text goes into the message below.
  }
  const error = (parsed as { error?: { code?: unknown; message?: unknown; details?: unknown } } | undefined)?.error;
  const code = typeof error?.code === 'string' ? error.code : `http_${response.status}`;
  const message = typeof error?.message === 'string' ? error.message : text.slice(0, 200) || response.statusText;
  return new OutlayClientError(code, `${what}: HTTP ${response.status} ${code}: ${message}`, {
    status: response.status,
    details: error?.details,
    attempts,
  });
}

async function gzipText(text: string): Promise<Uint8Array> {
  // CompressionStream rather than node:zlib: the client also runs in browsers, Deno and Bun.
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

function sleep(delayMs: number): Promise<void> {
  // Not unref'ed, unlike the flush timer: a retry in progress is data the program asked to deliver.
  return new Promise((resolve) => setTimeout(resolve, delayMs));
}

function describeCause(cause: unknown): string {
  if (!(cause instanceof Error)) return String(cause);
  // fetch reports "fetch failed" and puts the reason (ECONNREFUSED, ECONNRESET…) in cause.
  const inner = cause.cause instanceof Error ? `: ${cause.cause.message}` : '';
  return `${cause.message}${inner}`;
}

function asClientError(error: unknown): OutlayClientError {
  if (error instanceof OutlayClientError) return error;
  return new OutlayClientError('network_error', describeCause(error), { cause: error });
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) throw new OutlayClientError('invalid_options', `${name}: expected a positive integer, got ${value}`);
  return value;
}

function nonNegativeInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 0) throw new OutlayClientError('invalid_options', `${name}: expected a non-negative integer, got ${value}`);
  return value;
}
