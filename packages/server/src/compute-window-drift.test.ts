import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { detectColumnDrift, mulberry32, mulberry32Normal } from '@outlay/stats';
import { openDuckDbStore, type Store } from '@outlay/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiKeys } from './api-keys.js';
import { createApp } from './create-app.js';
import type { WindowDrift } from './compute-window-drift.js';

const adminKey = 'test-admin-key-0123456789abcdef0123456789';
const dir = mkdtempSync(join(tmpdir(), 'outlay-window-drift-'));
const day = (d: number) => Date.UTC(2026, 0, d);
let store: Store;
let call: (url: string) => Promise<Response>;

// Three days of a fraud model: the 7th like the 5th; on the 6th amounts shift up by one standard deviation and a
// new country appears. The 5th and 7th are drawn from one distribution with different seeds.
const amounts = new Map<number, number[]>();
beforeAll(async () => {
  store = await openDuckDbStore(join(dir, 'drift.duckdb'));
  await store.migrate();
  for (const [d, seed, shift] of [[5, 1, 0], [6, 2, 1], [7, 3, 0]] as const) {
    const normal = mulberry32Normal(seed);
    const uniform = mulberry32(seed + 100);
    const rows = Array.from({ length: 3000 }, (_, i) => {
      const amount = 100 + 20 * (normal() + shift);
      const country = d === 6 && i % 5 === 0 ? 'BR' : uniform() < 0.6 ? 'FR' : 'DE';
      return { id: `d${d}-${i}`, model: 'fraud', timestamp: day(d) + i * 20_000, features: { amount, country }, prediction: Number(amount > 120), score: Math.min(1, amount / 200) };
    });
    amounts.set(d, rows.map((r) => r.features.amount));
    await store.insertPredictions('acme', rows);
  }
  const { app } = createApp({ store, keys: new ApiKeys(store, adminKey) });
  call = async (url) => app.request(url, { headers: { authorization: `Bearer ${adminKey}`, 'x-outlay-project': 'acme' } });
});
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const window = (reference: number, current: number, extra = '') =>
  `/v1/models/fraud/drift?reference_from=${new Date(day(reference)).toISOString()}&reference_to=${new Date(day(reference + 1)).toISOString()}` +
  `&current_from=${day(current)}&current_to=${day(current + 1)}${extra}`;

async function drift(url: string): Promise<WindowDrift> {
  const res = await call(url);
  const body = await res.json();
  expect(res.status, JSON.stringify(body)).toBe(200);
  return body as WindowDrift;
}

describe('GET /v1/models/:model/drift', () => {
  it('finds no drift between two days drawn from one distribution', async () => {
    const report = await drift(window(5, 7));
    expect(report.reference_rows).toBe(3000);
    expect(report.current_rows).toBe(3000);
    expect(report.columns.map((c) => c.column)).toEqual(['amount', 'country', 'prediction', 'score']);
    expect(report.columns.filter((c) => c.drift)).toEqual([]);
    expect(report.dataset_drift).toBe(false);
    expect(report.multivariate!.drift).toBe(false);
  });

  it('flags the shifted feature and the new category, with the statistic a direct computation gives', async () => {
    const report = await drift(window(5, 6));
    const column = (name: string) => report.columns.find((c) => c.column === name)!;
    expect(column('amount')).toMatchObject({ kind: 'numeric', method: 'wasserstein', drift: true, sampled: false });
    // All 3,000 rows fit the sample: the score is exactly the Wasserstein distance of the two days' amounts.
    const expected = detectColumnDrift({
      kind: 'numeric',
      method: 'wasserstein',
      reference: { type: 'sample', values: Float64Array.from(amounts.get(5)!) },
      current: { type: 'sample', values: Float64Array.from(amounts.get(6)!) },
    });
    expect(column('amount').score).toBeCloseTo(expected.score, 12);
    const [min, max] = [Math.min(...amounts.get(5)!), Math.max(...amounts.get(5)!)];
    const outside = amounts.get(6)!.filter((x) => x < min || x > max).length;
    expect(outside).toBeGreaterThan(0);
    expect(column('amount').out_of_range_share).toBe(outside / 3000);
    expect(column('country')).toMatchObject({ kind: 'categorical', method: 'jensenshannon', drift: true, new_categories: ['BR'], new_category_counts: [{ value: 'BR', count: 600 }] });
    expect(report.dataset_drift).toBe(true);
  });

  it('samples large windows deterministically and says so', async () => {
    const first = await drift(window(5, 6, '&sample_rows=500'));
    expect(first.columns.find((c) => c.column === 'amount')!.sampled).toBe(true);
    expect(first.multivariate!.sampled).toBe(true);
    expect(await drift(window(5, 6, '&sample_rows=500'))).toEqual(first);
  });

  it('takes a column list, a forced method and a correction', async () => {
    const report = await drift(window(5, 6, '&columns=amount&method=psi&correction=bonferroni'));
    expect(report.columns.map((c) => c.column)).toEqual(['amount', 'prediction', 'score']);
    expect(report.columns.every((c) => c.method === 'psi')).toBe(true);
    expect(report.correction).toBe('bonferroni');
  });

  it('answers 400 naming the problem for a missing window, an empty window, an unknown feature or method', async () => {
    const cases: [string, RegExp][] = [
      ['/v1/models/fraud/drift?reference_from=2026-01-05', /reference_to/],
      [window(5, 9), /current window .* holds no predictions/],
      [window(5, 6, '&columns=nope'), /no feature "nope"; it has: amount, country/],
      [window(5, 6, '&method=magic'), /method: /],
      [window(5, 6, '&sample_rows=3'), /sample_rows/],
    ];
    for (const [url, message] of cases) {
      const res = await call(url);
      expect(res.status, url).toBe(400);
      expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(message);
    }
    expect((await call(window(5, 6).replace('/fraud/', '/nope/'))).status).toBe(404);
  });
});
