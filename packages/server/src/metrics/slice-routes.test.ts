import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDuckDbStore, type Store } from '@outlay/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiKeys } from '../api-keys.js';
import { createApp } from '../create-app.js';
import { computeMetricSeries } from './compute-metric-series.js';
import { groupedBySlice } from './slice-routes.js';

const adminKey = 'test-admin-key-0123456789abcdef0123456789';
const dir = mkdtempSync(join(tmpdir(), 'outlay-slices-'));
const day = (d: number) => Date.UTC(2026, 0, d);
let store: Store;
let call: (url: string) => Promise<Response>;

interface SlicesAnswer {
  segments: { value: string; rows: number; points: { start: string; n: number; share: number | null; value: number | null }[] }[];
}

// A pure change of mix: "hard" errs on 40% of its rows and "easy" on 10% on both days, but "hard" carries 20%
// of the traffic on the 5th and 50% on the 6th, so the model's overall error rate rises from 16% to 25%.
beforeAll(async () => {
  store = await openDuckDbStore(join(dir, 'slices.duckdb'));
  await store.migrate();
  for (const [d, hardShare] of [[5, 0.2], [6, 0.5]] as const) {
    const rows = Array.from({ length: 1000 }, (_, i) => {
      const hard = i < hardShare * 1000;
      const k = hard ? i : i - hardShare * 1000;
      const wrong = hard ? k % 10 < 4 : k % 10 < 1;
      return { id: `d${d}-${i}`, model: 'fraud', timestamp: day(d) + i * 60_000, features: { amount: i }, segments: { tier: hard ? 'hard' : 'easy' }, prediction: wrong ? 1 : 0, label: 0 };
    });
    await store.insertPredictions('acme', rows.map(({ label: _label, ...p }) => p));
    await store.insertLabels('acme', rows.map((r) => ({ id: r.id, label: r.label, timestamp: day(d + 1), source: 'ground_truth' as const })));
  }
  const { app } = createApp({ store, keys: new ApiKeys(store, adminKey) });
  call = async (url) => app.request(url, { headers: { authorization: `Bearer ${adminKey}`, 'x-outlay-project': 'acme' } });
});
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('GET /v1/models/:model/slices', () => {
  it('shows each segment\u2019s share of traffic beside its error rate: the mix moved, the rates did not', async () => {
    const res = await call('/v1/models/fraud/slices?by=tier&metric=error_rate&window=day&from=2026-01-05&to=2026-01-07');
    const answer = (await res.json()) as SlicesAnswer;
    expect(res.status, JSON.stringify(answer)).toBe(200);
    const tier = (name: string) => answer.segments.find((s) => s.value === name)!;
    expect(tier('hard').points.map((p) => p.share)).toEqual([0.2, 0.5]);
    expect(tier('easy').points.map((p) => p.share)).toEqual([0.8, 0.5]);
    expect(tier('hard').points.map((p) => p.value)).toEqual([0.4, 0.4]);
    expect(tier('easy').points.map((p) => p.value)).toEqual([0.1, 0.1]);
    expect(answer.segments.map((s) => s.value)).toEqual(['easy', 'hard']);
  });

  it('answers 400 for a column the model does not have, and 404 for an unknown model', async () => {
    const bad = await call('/v1/models/fraud/slices?by=colour');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(/no segment or feature "colour"; it has amount, tier|no segment or feature "colour"; it has tier, amount/);
    expect((await call('/v1/models/nope/slices?by=tier')).status).toBe(404);
  });

  it('answers every value from one grouped query, exactly as one query per value would', async () => {
    const tier = { source: 'segment', name: 'tier', type: 'string' } as const;
    let queries = 0;
    const counting = { aggregate: (q: Parameters<Store['aggregate']>[0]) => (queries++, store.aggregate(q)) } as unknown as Store;
    const config = { models: [{ name: 'fraud', task: 'binary' as const, cost: { false_negative: 100, false_positive: 10, true_positive: 0, true_negative: 0 }, known_factors: [], segments: [] }], funnel: [], priors: {}, monitors: [], price_book: [] };
    for (const metric of ['error_rate', 'business_cost_per_1k', 'label_coverage', 'predictions'] as const) {
      queries = 0;
      const grouped = groupedBySlice(counting, tier, ['hard', 'easy']);
      const request = (value: string) => ({ project: 'acme', model: 'fraud', metric, window: 'day' as const, fromMs: day(5), toMs: day(7), slice: { column: 'tier', value }, minSample: 10, config });
      for (const value of ['hard', 'easy']) {
        const one = await computeMetricSeries(store, request(value));
        const batched = await computeMetricSeries(store, { ...request(value), aggregate: grouped });
        expect(batched.windows, `${metric} ${value}`).toEqual(one.windows);
      }
      expect(queries, metric).toBe(1);
    }
  });
});
