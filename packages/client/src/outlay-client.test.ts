import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { OutlayClient, type OutlayClientOptions } from './outlay-client.js';
import { OutlayClientError } from './outlay-client-error.js';
import type { Prediction } from './prediction.js';

// A real HTTP peer on 127.0.0.1 that records every request and answers from a script (then with a
// well-formed ingest result), so the client's actual HTTP behaviour is what gets tested.

interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  /** Decoded body (gunzipped when sent with Content-Encoding: gzip). */
  body: string;
  atMs: number;
}

type Reply = { status: number; headers?: Record<string, string>; body?: unknown } | 'drop-connection';

interface Peer {
  url: string;
  requests: RecordedRequest[];
  close: () => Promise<void>;
}

const openPeers: Peer[] = [];
const openClients: OutlayClient[] = [];

afterEach(async () => {
  await Promise.allSettled(openClients.splice(0).map((client) => client.close()));
  await Promise.all(openPeers.splice(0).map((peer) => peer.close()));
});

async function startPeer(replies: Reply[] = []): Promise<Peer> {
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const body = (req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw).toString('utf8');
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body, atMs: performance.now() });
      const reply = replies.shift() ?? { status: 200 };
      if (reply === 'drop-connection') {
        req.socket.destroy();
        return;
      }
      res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
      res.end(JSON.stringify(reply.body ?? ingestResult(body)));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const peer: Peer = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  openPeers.push(peer);
  return peer;
}

function ingestResult(body: string): unknown {
  const received = body === '' ? 0 : (JSON.parse(body) as unknown[]).length;
  return { received, accepted: received, duplicates: 0, rejected: [] };
}

function client(peer: Peer, options: Partial<OutlayClientOptions> = {}): OutlayClient {
  const created = new OutlayClient({
    url: peer.url,
    key: 'test-key',
    flushIntervalMs: 60_000,
    flushOnExit: false,
    random: () => 0,
    onError: (error) => {
      throw new Error(`unexpected onError: ${error.message}`);
    },
    ...options,
  });
  openClients.push(created);
  return created;
}

function prediction(i: number): Prediction {
  return { id: `p${i}`, model: 'fraud', timestamp: '2024-03-01T10:00:00Z', features: { amount: i, country: 'DE' }, prediction: 1, score: 0.5 };
}

function rowsOf(request: RecordedRequest | undefined): { id: string }[] {
  if (request === undefined) throw new Error('no such request');
  return JSON.parse(request.body) as { id: string }[];
}

async function waitFor(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

async function rejectionOf(promise: Promise<unknown>): Promise<OutlayClientError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof OutlayClientError) return error;
    throw error;
  }
  throw new Error('expected the promise to reject');
}

describe('OutlayClient batching', () => {
  it('sends queued rows in batches of batchSize, in order, with the key and project', async () => {
    const peer = await startPeer();
    const outlay = client(peer, { batchSize: 3, project: 'shop' });
    for (let i = 0; i < 7; i += 1) outlay.logPrediction(prediction(i));
    await outlay.flush();

    expect(peer.requests.map((request) => rowsOf(request).map((row) => row.id))).toEqual([
      ['p0', 'p1', 'p2'],
      ['p3', 'p4', 'p5'],
      ['p6'],
    ]);
    const first = peer.requests[0];
    expect(first?.method).toBe('POST');
    expect(first?.url).toBe('/v1/predictions?partial=true');
    expect(first?.headers.authorization).toBe('Bearer test-key');
    expect(first?.headers['x-outlay-project']).toBe('shop');
    expect(first?.headers['content-type']).toBe('application/json');
    expect(outlay.pendingRows).toBe(0);
  });

  it('sends a full batch without waiting for a flush', async () => {
    const peer = await startPeer();
    const outlay = client(peer, { batchSize: 2 });
    outlay.logPrediction(prediction(0));
    outlay.logPrediction(prediction(1));
    outlay.logPrediction(prediction(2));
    await waitFor(() => peer.requests.length === 1);
    expect(rowsOf(peer.requests[0]).map((row) => row.id)).toEqual(['p0', 'p1']);
    // The third row waits for a full batch or the timer, not behind the first batch.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(peer.requests).toHaveLength(1);
  });

  it('sends rows waiting shorter than a batch at the flush interval', async () => {
    const peer = await startPeer();
    const outlay = client(peer, { flushIntervalMs: 20 });
    outlay.logLabel({ id: 'p0', label: 1, timestamp: 1_709_287_200_000, source: 'annotation' });
    await waitFor(() => peer.requests.length === 1);
    expect(peer.requests[0]?.url).toBe('/v1/labels?partial=true');
    expect(JSON.parse(peer.requests[0]?.body ?? '')).toEqual([{ id: 'p0', label: 1, timestamp: 1_709_287_200_000, source: 'annotation' }]);
  });

  it('sends what was queued at logging time, not a later mutation of the object', async () => {
    const peer = await startPeer();
    const outlay = client(peer);
    const row = prediction(0);
    outlay.logPrediction(row);
    row.prediction = 0;
    await outlay.flush();
    expect(JSON.parse(peer.requests[0]?.body ?? '')[0].prediction).toBe(1);
  });
});

describe('OutlayClient retries', () => {
  it('waits for Retry-After on 429 and then delivers the same batch', async () => {
    const peer = await startPeer([{ status: 429, headers: { 'retry-after': '1' }, body: { error: { code: 'busy', message: 'writes behind' } } }]);
    const outlay = client(peer);
    outlay.logPrediction(prediction(0));
    await outlay.flush();

    expect(peer.requests).toHaveLength(2);
    const [first, second] = peer.requests;
    // random is 0, so without honouring Retry-After the retry would come at once.
    expect((second?.atMs ?? 0) - (first?.atMs ?? 0)).toBeGreaterThanOrEqual(990);
    expect(second?.body).toBe(first?.body);
  });

  it('retries 503 with backoff and returns the answer of the attempt that succeeded', async () => {
    const peer = await startPeer([{ status: 503 }, { status: 503 }]);
    const outlay = client(peer);
    const result = await outlay.postPredictions([prediction(0), prediction(1)]);
    expect(peer.requests).toHaveLength(3);
    expect(peer.requests[0]?.url).toBe('/v1/predictions');
    expect(result).toEqual({ received: 2, accepted: 2, duplicates: 0, rejected: [] });
  });

  it('retries after a dropped connection', async () => {
    const peer = await startPeer(['drop-connection']);
    const outlay = client(peer);
    const result = await outlay.postLabels([{ id: 'p0', label: 'fraud', timestamp: '2024-03-01T10:00:00+01:00' }]);
    expect(peer.requests).toHaveLength(2);
    expect(result.accepted).toBe(1);
  });

  it('gives up after maxRetries and reports the last status', async () => {
    const busy: Reply = { status: 503, body: { error: { code: 'unavailable', message: 'store is down' } } };
    const peer = await startPeer([busy, busy, busy, busy]);
    const outlay = client(peer, { maxRetries: 2 });
    const error = await rejectionOf(outlay.postPredictions([prediction(0)]));
    expect(peer.requests).toHaveLength(3);
    expect(error).toMatchObject({ status: 503, code: 'unavailable', attempts: 3 });
    expect(error.message).toContain('store is down');
  });

  it('does not retry 400 and hands over the rejected rows', async () => {
    const details = { rejected: [{ index: 0, id: 'p0', errors: [{ path: 'score', message: 'expected ≤ 1' }] }] };
    const peer = await startPeer([{ status: 400, body: { error: { code: 'invalid_input', message: '1 row is invalid', details } } }]);
    const outlay = client(peer);
    const error = await rejectionOf(outlay.postPredictions([{ ...prediction(0), score: 2 }]));
    expect(peer.requests).toHaveLength(1);
    expect(error).toMatchObject({ status: 400, code: 'invalid_input', details, attempts: 1 });
  });

  it.each([
    [401, 'unauthorized'],
    [403, 'forbidden'],
    [413, 'payload_too_large'],
  ])('does not retry %i', async (status, code) => {
    const peer = await startPeer([{ status, body: { error: { code, message: 'no' } } }]);
    const outlay = client(peer);
    const error = await rejectionOf(outlay.modelStats('fraud'));
    expect(peer.requests).toHaveLength(1);
    expect(error).toMatchObject({ status, code });
  });
});

describe('OutlayClient bodies and reads', () => {
  it('gzips the body when asked, and the server decodes the same rows', async () => {
    const peer = await startPeer();
    const outlay = client(peer, { gzip: true });
    const rows = [prediction(0), prediction(1)];
    await outlay.postPredictions(rows, { partial: true });
    expect(peer.requests[0]?.headers['content-encoding']).toBe('gzip');
    expect(peer.requests[0]?.url).toBe('/v1/predictions?partial=true');
    expect(JSON.parse(peer.requests[0]?.body ?? '')).toEqual(rows);
  });

  it('reads models and model stats, escaping the model name', async () => {
    const stats = { predictions: 3, labels: 1, first_timestamp: '2024-03-01T10:00:00.000Z', last_timestamp: '2024-03-01T11:00:00.000Z' };
    const peer = await startPeer([{ status: 200, body: { models: [{ model: 'a/b', ...stats }] } }, { status: 200, body: stats }]);
    const outlay = client(peer);
    expect(await outlay.models()).toEqual([{ model: 'a/b', ...stats }]);
    expect(await outlay.modelStats('a/b')).toEqual(stats);
    expect(peer.requests.map((request) => `${request.method} ${request.url}`)).toEqual(['GET /v1/models', 'GET /v1/models/a%2Fb/stats']);
  });
});

describe('OutlayClient lifecycle', () => {
  it('flushes queued rows on close and refuses rows afterwards', async () => {
    const peer = await startPeer();
    const outlay = client(peer);
    outlay.logPrediction(prediction(0));
    outlay.logLabel({ id: 'p0', label: 0, timestamp: '2024-03-01T12:00:00Z' });
    expect(peer.requests).toHaveLength(0);
    await outlay.close();
    expect(peer.requests.map((request) => request.url).sort()).toEqual(['/v1/labels?partial=true', '/v1/predictions?partial=true']);
    expect(() => outlay.logPrediction(prediction(1))).toThrow(expect.objectContaining({ code: 'closed' }));
  });

  it('throws queue_full once maxQueue rows wait, and accepts rows again after a flush', async () => {
    const peer = await startPeer();
    const outlay = client(peer, { maxQueue: 3 });
    outlay.logPrediction(prediction(0));
    outlay.logPrediction(prediction(1));
    outlay.logLabel({ id: 'p0', label: 1, timestamp: '2024-03-01T12:00:00Z' });
    expect(() => outlay.logPrediction(prediction(3))).toThrow(expect.objectContaining({ code: 'queue_full', status: null }));
    await outlay.flush();
    outlay.logPrediction(prediction(3));
    expect(outlay.pendingRows).toBe(1);
  });

  it('counts rows in flight against maxQueue until the server answers', async () => {
    const peer = await startPeer([{ status: 503 }]);
    const outlay = client(peer, { maxQueue: 2, batchSize: 2, retryBaseDelayMs: 200, random: () => 0.99 });
    outlay.logPrediction(prediction(0));
    outlay.logPrediction(prediction(1));
    await waitFor(() => peer.requests.length === 1);
    expect(() => outlay.logPrediction(prediction(2))).toThrow(expect.objectContaining({ code: 'queue_full' }));
    await outlay.flush();
    expect(peer.requests).toHaveLength(2);
  });

  it('reports rows the server rejected from a queued batch through onError and flush, keeping the rest', async () => {
    const rejected = [{ index: 1, id: 'p1', errors: [{ path: 'timestamp', message: 'expected ISO 8601 with a zone' }] }];
    const peer = await startPeer([{ status: 200, body: { received: 2, accepted: 1, duplicates: 0, rejected } }]);
    const seen: OutlayClientError[] = [];
    const outlay = client(peer, { onError: (error) => seen.push(error) });
    outlay.logPrediction(prediction(0));
    outlay.logPrediction({ ...prediction(1), timestamp: '2024-03-01 10:00' });
    const error = await rejectionOf(outlay.flush());
    expect(error).toMatchObject({ code: 'invalid_input', details: { rejected } });
    expect(error.message).toContain('row 1 (id "p1") timestamp: expected ISO 8601 with a zone');
    expect(seen).toEqual([error]);
    // The failed batch is answered: a second flush has nothing left to wait for.
    await outlay.flush();
  });

  it('flushes when Node is about to exit, and leaves the hook when asked not to', async () => {
    const peer = await startPeer();
    const listenersBefore = process.listenerCount('beforeExit');
    client(peer);
    expect(process.listenerCount('beforeExit')).toBe(listenersBefore);

    const outlay = client(peer, { flushOnExit: true });
    expect(process.listenerCount('beforeExit')).toBe(listenersBefore + 1);
    outlay.logPrediction(prediction(0));
    // What Node does when the event loop empties.
    process.emit('beforeExit', 0);
    await waitFor(() => peer.requests.length === 1);
    await outlay.close();
    expect(process.listenerCount('beforeExit')).toBe(listenersBefore);
  });

  it('refuses options that would make it misbehave, naming the option', () => {
    expect(() => new OutlayClient({ url: 'localhost:8080', key: 'k' })).toThrow(/url/);
    expect(() => new OutlayClient({ url: 'http://x', key: 'k', batchSize: 0, flushOnExit: false })).toThrow(/batchSize/);
    expect(() => new OutlayClient({ url: 'http://x', key: 'k', batchSize: 20_000, flushOnExit: false })).toThrow(/at most 10000 rows/);
  });
});
