import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDuckDbStore, type Store } from '@outlay/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiKeys } from '../api-keys.js';
import { createApp } from '../create-app.js';
import { equalWidthEdges } from './routes.js';

const adminKey = 'test-admin-key-0123456789abcdef0123456789';
const dir = mkdtempSync(join(tmpdir(), 'outlay-dashboard-routes-'));
let store: Store;
let get: (url: string) => Promise<Response>;

beforeAll(async () => {
  store = await openDuckDbStore(join(dir, 'dashboard.duckdb'));
  await store.migrate();
  const { app } = createApp({ store, keys: new ApiKeys(store, adminKey) });
  get = async (url) => app.request(url, { headers: { authorization: `Bearer ${adminKey}`, 'x-outlay-project': 'demo' } });
  // amount 0..99 on 2026-01-01, amount 100..199 on 2026-01-02; country FR for even rows, DE for odd.
  const rows = Array.from({ length: 200 }, (_, i) => ({
    id: `p${i}`,
    model: 'fraud',
    timestamp: i < 100 ? '2026-01-01T12:00:00Z' : '2026-01-02T12:00:00Z',
    features: { amount: i, country: i % 2 === 0 ? 'FR' : 'DE' },
    prediction: i % 2,
    score: (i % 10) / 10,
  }));
  const res = await app.request('/v1/predictions', { method: 'POST', body: JSON.stringify(rows), headers: { authorization: `Bearer ${adminKey}`, 'x-outlay-project': 'demo', 'content-type': 'application/json' } });
  expect(res.status).toBe(200);
});

afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

interface NumericHistogram {
  kind: 'numeric';
  edges: number[];
  counts: number[];
  below: number;
  above: number;
  total: number;
}

describe('GET /v1/models/:model/histogram', () => {
  it('counts a window on the edges it is given, with what falls outside them', async () => {
    const res = await get('/v1/models/fraud/histogram?column=amount&from=2026-01-01&to=2026-01-02&bins=4&lo=0&hi=200');
    expect(res.status).toBe(200);
    const body = (await res.json()) as NumericHistogram;
    expect(body.edges).toEqual([0, 50, 100, 150, 200]);
    expect(body.counts).toEqual([50, 50, 0, 0]);
    expect(body.below + body.above).toBe(0);
    expect(body.total).toBe(100);
  });

  it("spreads the buckets over the window's own range when no edges are given", async () => {
    const body = (await (await get('/v1/models/fraud/histogram?column=amount&from=2026-01-02&to=2026-01-03&bins=3')).json()) as NumericHistogram;
    expect(body.edges[0]).toBe(100);
    expect(body.edges.at(-1)).toBe(199);
    expect(body.counts.reduce((a, b) => a + b, 0)).toBe(100);
  });

  it('returns the most frequent values of a categorical feature', async () => {
    const body = (await (await get('/v1/models/fraud/histogram?column=country')).json()) as { kind: string; values: { value: string; count: number }[] };
    expect(body.kind).toBe('categorical');
    expect(body.values.map((v) => [v.value, v.count]).sort()).toEqual([['DE', 100], ['FR', 100]]);
  });

  it('reads core columns such as the score', async () => {
    const body = (await (await get('/v1/models/fraud/histogram?column=score&source=core&bins=10&lo=0&hi=1')).json()) as NumericHistogram;
    expect(body.counts.reduce((a, b) => a + b, 0) + body.above).toBe(200);
  });

  it('names what is wrong: unknown feature (404), lo without hi (400)', async () => {
    expect((await get('/v1/models/fraud/histogram?column=nope')).status).toBe(404);
    const res = await get('/v1/models/fraud/histogram?column=amount&lo=1');
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain('lo and hi');
  });
});

describe('GET /v1/models/:model/volume', () => {
  it('counts predictions per hour and sizes the mean and peak over every hour of the window', async () => {
    const res = await get('/v1/models/fraud/volume?from=2026-01-01&to=2026-01-03');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { hours: { start: string; predictions: number }[]; total: number; mean_per_hour: number; peak_to_mean: number; predictions_per_month: number };
    // 100 rows at noon on each of the two days: two busy hours out of 48.
    expect(body.hours.map((h) => [h.start.slice(0, 13), h.predictions])).toEqual([['2026-01-01T12', 100], ['2026-01-02T12', 100]]);
    expect(body.total).toBe(200);
    expect(body.mean_per_hour).toBeCloseTo(200 / 48, 12);
    expect(body.peak_to_mean).toBeCloseTo(24, 12);
    expect(body.predictions_per_month).toBeCloseTo((200 / 48) * 730, 9);
  });

  it('refuses an empty window and an unknown model', async () => {
    expect((await get('/v1/models/fraud/volume?from=2026-01-02&to=2026-01-01')).status).toBe(400);
    expect((await get('/v1/models/nope/volume?from=2026-01-01&to=2026-01-02')).status).toBe(404);
  });
});

describe('equalWidthEdges', () => {
  it('gives bins + 1 edges ending exactly at hi, and one bucket for a single value', () => {
    expect(equalWidthEdges(0, 1, 4)).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(equalWidthEdges(5, 5, 10)).toHaveLength(2);
  });
});
