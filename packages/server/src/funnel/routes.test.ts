import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProjectConfig } from '@outlay/schema';
import { openDuckDbStore, type Store } from '@outlay/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiKeys } from '../api-keys.js';
import { createApp } from '../create-app.js';
import type { FunnelReport } from './compute-funnel.js';

const adminKey = 'test-admin-key-0123456789abcdef0123456789';
const dir = mkdtempSync(join(tmpdir(), 'outlay-funnel-'));
const day = (d: number) => Date.UTC(2026, 0, d);
let store: Store;
let call: (url: string) => Promise<Response>;

// A document pipeline over three days: ingest (always), detect (90%), classify (80%, then 40% on day 7), and
// extract recorded as words ("ok"/"failed", 50%). Each stage only sees what passed the one before.
beforeAll(async () => {
  store = await openDuckDbStore(join(dir, 'funnel.duckdb'));
  await store.migrate();
  for (const d of [5, 6, 7]) {
    const rows = Array.from({ length: 1000 }, (_, i) => {
      const detect = i % 10 < 9;
      const classify = detect && (d === 7 ? i % 10 < 4 : i % 10 < 8);
      const stage: Record<string, boolean | string> = { ingest: true, detect };
      if (detect) stage.classify = classify;
      if (classify) stage.extract = i % 20 < 10 ? 'ok' : 'failed';
      return { id: `d${d}-${i}`, model: 'docs', timestamp: day(d) + i * 60_000, features: {}, prediction: 1, stage };
    });
    await store.insertPredictions('acme', rows);
  }
  const { app } = createApp({ store, keys: new ApiKeys(store, adminKey) });
  call = async (url) => app.request(url, { headers: { authorization: `Bearer ${adminKey}`, 'x-outlay-project': 'acme' } });
});
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('GET /v1/models/:model/funnel', () => {
  it('counts each stage per day and puts the drop of the last day on the stage that caused it', async () => {
    const res = await call('/v1/models/docs/funnel?window=day');
    const funnel = (await res.json()) as FunnelReport;
    expect(res.status, JSON.stringify(funnel)).toBe(200);
    expect(funnel.stages).toEqual(['ingest', 'detect', 'classify', 'extract']);
    expect(funnel.windows.map((w) => w.start)).toEqual(['2026-01-05T00:00:00.000Z', '2026-01-06T00:00:00.000Z', '2026-01-07T00:00:00.000Z']);
    const first = funnel.windows[0]!.stages;
    expect(first.map((s) => [s.input, s.output])).toEqual([[1000, 1000], [1000, 900], [900, 800], [800, 400]]);
    expect(funnel.windows[2]!.stages[2]).toMatchObject({ input: 900, output: 400 });
    expect(funnel.windows[0]!.end_to_end).toBeCloseTo(0.4, 12);
    expect(funnel.windows[2]!.end_to_end).toBeCloseTo(0.2, 12);
    const shares = Object.fromEntries(funnel.latest_change!.stages.map((s) => [s.stage, s.share_of_change]));
    expect(shares.classify).toBeCloseTo(1, 12);
    expect(shares.detect).toBeCloseTo(0, 12);
    expect(funnel.windows[0]!.stages[3]!.lower).toBeLessThan(0.5);
  });

  it('follows the order the project config declares, and answers 400 for an unknown stage', async () => {
    await store.putConfig('acme', ProjectConfig.parse({ funnel: [{ name: 'detect' }, { name: 'classify', after: 'detect' }] }));
    const funnel = (await (await call('/v1/models/docs/funnel')).json()) as FunnelReport;
    expect(funnel.stages).toEqual(['detect', 'classify']);
    const bad = await call('/v1/models/docs/funnel?stages=detect,ocr');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(/no outcomes for ocr; it carries: ingest, detect, classify, extract/);
    expect((await call('/v1/models/nope/funnel')).status).toBe(404);
  });
});
