import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProjectConfig } from '@outlay/schema';
import { openDuckDbStore, type Store } from '@outlay/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiKeys } from '../api-keys.js';
import { createApp } from '../create-app.js';
import { MixVsRate } from './mix-vs-rate.js';

const adminKey = 'test-admin-key-mix-0123456789abcdef0123456';
const dir = mkdtempSync(join(tmpdir(), 'outlay-mix-'));
const day = (d: number) => Date.UTC(2026, 0, d);
let store: Store;
let call: (url: string) => Promise<{ status: number; body: any }>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * 1,000 labelled rows a day from three tiers: "hard", "easy" and a small "rare" one (4 %, erring on 25 %).
 * `mix` (pure mix change): hard errs on 40 % and easy on 10 % every day, but hard carries 20 % of the traffic on
 * the 5th–7th and 48 % on the 8th. `rate` (pure rate change): hard carries 20 % every day, erring on 40 % and then
 * on 70 % on the 8th.
 */
function rows(model: string, d: number, hardRows: number, hardErrors: number) {
  return Array.from({ length: 1000 }, (_, i) => {
    const tier = i < 40 ? 'rare' : i < 40 + hardRows ? 'hard' : 'easy';
    const k = tier === 'rare' ? i : tier === 'hard' ? i - 40 : i - 40 - hardRows;
    const wrong = tier === 'rare' ? k % 4 === 0 : tier === 'hard' ? k % 10 < hardErrors * 10 : k % 10 < 1;
    return { id: `${model}-${d}-${i}`, model, timestamp: day(d) + i * 60_000, features: { amount: i }, segments: { tier }, prediction: wrong ? 1 : 0, score: wrong ? 0.9 : 0.1 };
  });
}

beforeAll(async () => {
  store = await openDuckDbStore(join(dir, 'mix.duckdb'));
  await store.migrate();
  for (const d of [5, 6, 7, 8]) {
    for (const batch of [rows('mix', d, d === 8 ? 480 : 200, 0.4), rows('rate', d, 200, d === 8 ? 0.7 : 0.4)]) {
      await store.insertPredictions('acme', batch);
      await store.insertLabels('acme', batch.map((r) => ({ id: r.id, label: 0, timestamp: day(d + 1), source: 'ground_truth' as const })));
    }
  }
  await store.putConfig('acme', ProjectConfig.parse({ models: [{ name: 'mix', cost: { false_negative: 150, false_positive: 40 } }, { name: 'rate', cost: { false_negative: 150, false_positive: 40 } }] }));
  const { app } = createApp({ store, keys: new ApiKeys(store, adminKey) });
  call = async (url) => {
    const res = await app.request(url, { headers: { authorization: `Bearer ${adminKey}`, 'x-outlay-project': 'acme' } });
    return { status: res.status, body: await res.json() };
  };
});
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

async function mixVsRate(model: string, query: string): Promise<MixVsRate> {
  const res = await call(`/v1/models/${model}/slices?by=tier&window=day&from=2026-01-05&to=2026-01-09&${query}`);
  expect(res.status, JSON.stringify(res.body).slice(0, 400)).toBe(200);
  return MixVsRate.parse(res.body.mix_vs_rate);
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

describe('GET /v1/models/:model/slices: mix_vs_rate', () => {
  it('reports more traffic from a hard segment at the same rates as mix, with a rate part of 0', async () => {
    const m = await mixVsRate('mix', 'metric=error_rate');
    expect(m.reason).toBeNull();
    expect(m.before).toMatchObject({ from: '2026-01-05T00:00:00.000Z', to: '2026-01-08T00:00:00.000Z', rows: 3000 });
    expect(m.after).toMatchObject({ from: '2026-01-08T00:00:00.000Z', to: '2026-01-09T00:00:00.000Z', rows: 1000 });
    expect(m.change).toBeCloseTo(m.after!.value! - m.before!.value!, 12);
    expect(m.change!).toBeGreaterThan(0.08);
    expect(m.mix).toBeCloseTo(m.change!, 12);
    expect(m.rate).toBeCloseTo(0, 12);
    const hard = m.segments.find((s) => s.value === 'hard')!;
    expect(hard).toMatchObject({ rate_before: 0.4, rate_after: 0.4, rows_before: 600, rows_after: 480 });
    expect(hard.share_before).toBeCloseTo(0.2, 12);
    expect(hard.share_after).toBeCloseTo(0.48, 12);
    expect(sum(m.segments.map((s) => s.mix_part + s.rate_part))).toBeCloseTo(m.change!, 12);
  });

  it('reports a segment erring more at the same share as rate, with a mix part of 0', async () => {
    const m = await mixVsRate('rate', 'metric=business_cost_per_1k');
    expect(m.mix).toBeCloseTo(0, 9);
    expect(m.rate).toBeCloseTo(m.change!, 9);
    // 200 hard rows a day, 30 % more of them false positives at $40: +$2,400 per 1,000 predictions.
    expect(m.change).toBeCloseTo(0.3 * 200 * 40, 6);
    const hard = m.segments.find((s) => s.value === 'hard')!;
    expect(hard.rate_part).toBeCloseTo(m.change!, 9);
    expect(hard.rate_before).toBeCloseTo(0.4 * 40_000, 9);
    expect(hard.rate_after).toBeCloseTo(0.7 * 40_000, 9);
  });

  it('gives the same split from the windows it summed as from the same periods asked outright', async () => {
    for (const metric of ['error_rate', 'business_cost_per_1k', 'label_coverage', 'mean_score']) {
      const summed = await mixVsRate('mix', `metric=${metric}`);
      const res = await call(`/v1/models/mix/slices?by=tier&window=day&metric=${metric}&compare_from=${summed.before!.from}&compare_to=${summed.before!.to}&from=${summed.after!.from}&to=${summed.after!.to}`);
      expect(res.status).toBe(200);
      const asked = MixVsRate.parse(res.body.mix_vs_rate);
      // Sums in another order: equal to rounding.
      const near = (value: unknown): unknown =>
        typeof value === 'number' ? expect.closeTo(value, 9) : Array.isArray(value) ? value.map(near) : value !== null && typeof value === 'object' ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, near(v)])) : value;
      expect(asked, metric).toEqual(near(summed));
    }
  });

  it('covers every value: the top ones by name and an (other) bucket, so the parts add up to the change', async () => {
    const m = await mixVsRate('mix', 'metric=error_rate&top=1');
    expect(m.segments.map((s) => s.value)).toEqual(['easy', '(other)']);
    expect(sum(m.segments.map((s) => s.mix_part))).toBeCloseTo(m.mix!, 12);
    expect(sum(m.segments.map((s) => s.rate_part))).toBeCloseTo(m.rate!, 12);
    expect(m.mix! + m.rate!).toBeCloseTo(m.change!, 12);
    const other = m.segments[1]!;
    expect(other.rows_before).toBe(3 * (40 + 200));
    expect(other.rows_after).toBe(40 + 480);
  });

  it('compares compare_from/compare_to with from/to when given, and says why it cannot split a count', async () => {
    const res = await call('/v1/models/mix/slices?by=tier&metric=label_coverage&window=day&from=2026-01-06&to=2026-01-08&compare_from=2026-01-05&compare_to=2026-01-06');
    expect(res.status).toBe(200);
    const m = MixVsRate.parse(res.body.mix_vs_rate);
    expect(m.before).toMatchObject({ from: '2026-01-05T00:00:00.000Z', to: '2026-01-06T00:00:00.000Z', rows: 1000, value: 1 });
    expect(m.after).toMatchObject({ from: '2026-01-06T00:00:00.000Z', to: '2026-01-08T00:00:00.000Z', rows: 2000, value: 1 });
    expect(m.change).toBe(0);
    const count = await mixVsRate('mix', 'metric=predictions');
    expect(count.change).toBeNull();
    expect(count.reason).toMatch(/count, not a rate/);
    expect((await call('/v1/models/mix/slices?by=tier&compare_from=2026-01-05')).status).toBe(400);
  });
});
