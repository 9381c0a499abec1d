import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { IngestResult, ModelList, ModelStats, limits } from '@outlay/schema';
import { openDuckDbStore, type DuckDbStoreOptions, type Store } from '@outlay/store';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiKeys } from './api-keys.js';
import { createApp } from './create-app.js';

const adminKey = 'test-admin-key-0123456789abcdef0123456789';
const dir = mkdtempSync(join(tmpdir(), 'outlay-app-'));
let n = 0;

async function setup(storeOptions: DuckDbStoreOptions = {}, appOptions: { maxInflightBatches?: number } = {}) {
  const path = join(dir, `app-${n++}.duckdb`);
  const store = await openDuckDbStore(path, storeOptions);
  await store.migrate();
  const { app, routes } = createApp({ store, keys: new ApiKeys(store, adminKey), ...appOptions });
  const call = (method: string, url: string, key: string | null, body?: string | Buffer, headers: Record<string, string> = {}) =>
    app.request(url, { method, body, headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...headers } });
  const createKey = async (project: string, role: string) => {
    const res = await call('POST', '/v1/keys', adminKey, JSON.stringify({ project, role }), { 'content-type': 'application/json' });
    expect(res.status).toBe(200);
    return ((await res.json()) as { key: string; id: string });
  };
  return { store, app, routes, call, createKey, path };
}

const prediction = (i: number, extra: Record<string, unknown> = {}) => ({
  id: `p${i}`,
  model: 'fraud',
  timestamp: '2026-01-05T10:00:00Z',
  features: { amount: i, country: 'FR' },
  prediction: i % 2,
  score: 0.5,
  ...extra,
});
const batch = (count: number, from = 0) => Array.from({ length: count }, (_, i) => prediction(from + i));

describe('the HTTP API', () => {
  let ctx: Awaited<ReturnType<typeof setup>>;
  let store: Store;
  beforeEach(async () => {
    ctx = await setup();
    store = ctx.store;
  });
  afterEach(async () => {
    await store.close();
  });

  it('needs a key on every route but /healthz', async () => {
    expect((await ctx.call('GET', '/healthz', null)).status).toBe(200);
    const guarded = ctx.routes.filter((r) => r.role !== null);
    expect(guarded.length).toBeGreaterThan(10);
    for (const route of guarded) {
      const res = await ctx.call(route.method.toUpperCase(), route.path.replace(/:[a-z]+/g, 'x'), null);
      expect(res.status, `${route.method} ${route.path}`).toBe(401);
      expect(await res.json()).toMatchObject({ error: { code: 'unauthorized' } });
      const bad = await ctx.call(route.method.toUpperCase(), route.path.replace(/:[a-z]+/g, 'x'), 'olk_000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
      expect(bad.status, `${route.method} ${route.path}`).toBe(401);
    }
  });

  it('ingests a JSON array, NDJSON and gzip, idempotently by id', async () => {
    const { key } = await ctx.createKey('acme', 'ingest');
    const first = await ctx.call('POST', '/v1/predictions', key, JSON.stringify(batch(3)));
    expect(IngestResult.parse(await first.json())).toEqual({ received: 3, accepted: 3, duplicates: 0, rejected: [] });
    const ndjson = batch(4).map((r) => JSON.stringify(r)).join('\n');
    const second = await ctx.call('POST', '/v1/predictions', key, ndjson, { 'content-type': 'application/x-ndjson' });
    expect(await second.json()).toEqual({ received: 4, accepted: 1, duplicates: 3, rejected: [] });
    const zipped = await ctx.call('POST', '/v1/predictions', key, gzipSync(ndjson), { 'content-type': 'application/x-ndjson', 'content-encoding': 'gzip' });
    expect(await zipped.json()).toEqual({ received: 4, accepted: 0, duplicates: 4, rejected: [] });
    expect((await store.modelStats('acme', 'fraud'))!.predictions).toBe(4);
  });

  it('rejects a batch with one bad row, naming row, field and expectation, and writes nothing', async () => {
    const { key } = await ctx.createKey('acme', 'ingest');
    const rows = [prediction(0), prediction(1, { score: 1.5 }), prediction(2, { features: { amount: 'x'.repeat(limits.maxStringLength + 1) } }), prediction(3, { timestamp: 'yesterday' })];
    const res = await ctx.call('POST', '/v1/predictions', key, JSON.stringify(rows));
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; message: string; details: { rejected: { index: number; id: string; errors: { path: string; message: string }[] }[] } } };
    expect(body.error.code).toBe('invalid_input');
    expect(body.error.message).toMatch(/row 1 \(id p1\): score: .*1/);
    expect(body.error.details.rejected.map((r) => [r.index, r.id, r.errors[0]!.path])).toEqual([
      [1, 'p1', 'score'],
      [2, 'p2', 'features.amount'],
      [3, 'p3', 'timestamp'],
    ]);
    expect(body.error.details.rejected[2]!.errors[0]!.message).toMatch(/ISO 8601/);
    expect(await store.modelStats('acme', 'fraud')).toBeNull();
  });

  it('with ?partial=true writes the good rows and returns the rejected ones', async () => {
    const { key } = await ctx.createKey('acme', 'ingest');
    const rows = [prediction(0), { ...prediction(1), features: { amount: null, nested: { no: 1 } } }, prediction(2)];
    const res = await ctx.call('POST', '/v1/predictions?partial=true', key, JSON.stringify(rows));
    expect(res.status).toBe(200);
    const body = IngestResult.parse(await res.json());
    expect(body).toMatchObject({ received: 3, accepted: 2, duplicates: 0 });
    expect(body.rejected).toEqual([{ index: 1, id: 'p1', errors: [{ path: 'features.nested', message: expect.any(String) }] }]);
  });

  it('refuses NaN and Infinity with a message that says so', async () => {
    const { key } = await ctx.createKey('acme', 'ingest');
    const ndjson = `${JSON.stringify(prediction(0))}\n{"id":"p1","model":"fraud","timestamp":0,"features":{"x":NaN},"prediction":1}\n`;
    const res = await ctx.call('POST', '/v1/predictions', key, ndjson, { 'content-type': 'application/x-ndjson' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/line 2 .*NaN and Infinity are not JSON/);
    expect(await store.modelStats('acme', 'fraud')).toBeNull();
  });

  it('enforces the body, batch, feature-count and unknown-field limits', async () => {
    const { key } = await ctx.createKey('acme', 'ingest');
    const huge = await ctx.call('POST', '/v1/predictions', key, 'x'.repeat(limits.maxBodyBytes + 1));
    expect(huge.status).toBe(413);
    const bomb = await ctx.call('POST', '/v1/predictions', key, gzipSync(Buffer.alloc(limits.maxBodyBytes + 1, 32)), { 'content-encoding': 'gzip' });
    expect(bomb.status).toBe(413);
    const many = await ctx.call('POST', '/v1/predictions', key, JSON.stringify(batch(limits.maxRowsPerBatch + 1)));
    expect(many.status).toBe(413);
    expect(((await many.json()) as { error: { message: string } }).error.message).toMatch(/at most 10000 rows/);
    const features = Object.fromEntries(Array.from({ length: limits.maxFeaturesPerRow + 1 }, (_, i) => [`f${i}`, i]));
    const wide = await ctx.call('POST', '/v1/predictions', key, JSON.stringify([prediction(0, { features })]));
    expect(wide.status).toBe(400);
    const unknown = await ctx.call('POST', '/v1/predictions', key, JSON.stringify([prediction(0, { colour: 'red' })]));
    expect(((await unknown.json()) as { error: { message: string } }).error.message).toMatch(/colour/);
    const brotli = await ctx.call('POST', '/v1/predictions', key, '[]', { 'content-encoding': 'br' });
    expect(brotli.status).toBe(415);
  });

  it('keeps projects apart: a key of one project never reads or writes another', async () => {
    const acmeIngest = await ctx.createKey('acme', 'ingest');
    const acmeRead = await ctx.createKey('acme', 'read');
    const globexRead = await ctx.createKey('globex', 'read');
    await ctx.call('POST', '/v1/predictions', acmeIngest.key, JSON.stringify(batch(2)));
    const own = ModelList.parse(await (await ctx.call('GET', '/v1/models', acmeRead.key)).json());
    expect(own.models.map((m) => [m.model, m.predictions])).toEqual([['fraud', 2]]);
    expect(ModelList.parse(await (await ctx.call('GET', '/v1/models', globexRead.key)).json()).models).toEqual([]);
    expect((await ctx.call('GET', '/v1/models/fraud/stats', globexRead.key)).status).toBe(404);
    expect((await ctx.call('GET', '/v1/models', globexRead.key, undefined, { 'x-outlay-project': 'acme' })).status).toBe(403);
    expect((await ctx.call('POST', '/v1/predictions', acmeIngest.key, '[]', { 'x-outlay-project': 'globex' })).status).toBe(403);
    // Roles: ingest cannot read, read cannot write, neither can manage keys.
    expect((await ctx.call('GET', '/v1/models', acmeIngest.key)).status).toBe(403);
    expect((await ctx.call('POST', '/v1/predictions', acmeRead.key, '[]')).status).toBe(403);
    expect((await ctx.call('GET', '/v1/keys', acmeRead.key)).status).toBe(403);
    // A project admin manages its own project only; the global admin names the project it acts on.
    const acmeAdmin = await ctx.createKey('acme', 'admin');
    const cross = await ctx.call('POST', '/v1/keys', acmeAdmin.key, JSON.stringify({ project: 'globex', role: 'read' }));
    expect(cross.status).toBe(403);
    expect((await ctx.call('GET', '/v1/models', adminKey)).status).toBe(400);
    expect(ModelStats.parse(await (await ctx.call('GET', '/v1/models/fraud/stats', adminKey, undefined, { 'x-outlay-project': 'acme' })).json()).predictions).toBe(2);
  });

  it('stores keys only as hashes and refuses a revoked key', async () => {
    const { key, id } = await ctx.createKey('acme', 'read');
    const stored = await store.findKey(id);
    const secret = key.split('_')[2]!;
    expect(stored!.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(stored)).not.toContain(secret);
    expect((await ctx.call('GET', '/v1/whoami', key)).status).toBe(200);
    const listed = await (await ctx.call('GET', '/v1/keys?project=acme', adminKey)).text();
    expect(listed).not.toContain(secret);
    expect(listed).not.toContain(stored!.hash);
    expect((await ctx.call('DELETE', `/v1/keys/${id}`, adminKey)).status).toBe(200);
    expect((await ctx.call('GET', '/v1/whoami', key)).status).toBe(401);
    await store.close();
    expect(readFileSync(ctx.path).includes(Buffer.from(secret))).toBe(false);
    ctx = await setup();
    store = ctx.store;
  });

  it('joins late labels and reports them in the model stats', async () => {
    const { key } = await ctx.createKey('acme', 'ingest');
    const read = await ctx.createKey('acme', 'read');
    await ctx.call('POST', '/v1/predictions', key, JSON.stringify(batch(5)));
    const labels = [{ id: 'p0', label: 1, timestamp: '2026-01-06T00:00:00Z' }, { id: 'p1', label: 0, timestamp: '2026-01-06T00:00:00Z', source: 'annotation' }];
    expect(await (await ctx.call('POST', '/v1/labels', key, JSON.stringify(labels))).json()).toEqual({ received: 2, accepted: 2, duplicates: 0, rejected: [] });
    const stats = ModelStats.parse(await (await ctx.call('GET', '/v1/models/fraud/stats', read.key)).json());
    expect(stats).toEqual({ predictions: 5, labels: 2, first_timestamp: '2026-01-05T10:00:00.000Z', last_timestamp: '2026-01-05T10:00:00.000Z' });
  });

  it('exposes Prometheus metrics and an OpenAPI document built from the route table', async () => {
    const { key } = await ctx.createKey('acme', 'ingest');
    await ctx.call('POST', '/v1/predictions', key, JSON.stringify(batch(3)));
    await ctx.call('POST', '/v1/predictions', key, JSON.stringify([prediction(9, { score: 2 })]));
    const metrics = await (await ctx.call('GET', '/metrics', adminKey)).text();
    expect(metrics).toMatch(/outlay_ingested_rows_total\{kind="prediction"\} 3/);
    expect(metrics).toMatch(/outlay_rejected_rows_total\{kind="prediction"\} 1/);
    expect(metrics).toMatch(/outlay_batch_duration_seconds_count\{kind="prediction"\} 1/);
    const doc = (await (await ctx.call('GET', '/openapi.json', key)).json()) as { openapi: string; paths: Record<string, Record<string, { requestBody?: unknown }>> };
    expect(doc.openapi).toBe('3.1.0');
    for (const route of ctx.routes) expect(doc.paths[route.path.replace(/:([a-z]+)/g, '{$1}')]?.[route.method], route.path).toBeDefined();
    expect(JSON.stringify(doc.paths['/v1/predictions']!.post!.requestBody)).toContain('latency_ms');
  });

  it('answers 429 with Retry-After when writes fall behind, and accepts again afterwards', async () => {
    await store.close();
    ctx = await setup({ maxPendingRows: 1000 });
    store = ctx.store;
    const { key } = await ctx.createKey('acme', 'ingest');
    const responses = await Promise.all(Array.from({ length: 20 }, (_, b) => ctx.call('POST', '/v1/predictions', key, JSON.stringify(batch(1000, b * 1000)))));
    const busy = responses.filter((r) => r.status === 429);
    expect(busy.length).toBeGreaterThan(0);
    expect(busy[0]!.headers.get('retry-after')).toBe('1');
    const ok = responses.filter((r) => r.status === 200).length;
    expect((await store.modelStats('acme', 'fraud'))!.predictions).toBe(ok * 1000);
    expect((await ctx.call('POST', '/v1/predictions', key, JSON.stringify(batch(1, 99_000)))).status).toBe(200);
  });
});

rmSync(dir, { recursive: true, force: true, maxRetries: 0 });
