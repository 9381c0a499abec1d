import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProjectConfig, type Label, type Prediction } from '@outlay/schema';
import { mulberry32 } from '@outlay/stats';
import { openDuckDbStore, type Store } from '@outlay/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiKeys } from '../api-keys.js';
import { createApp } from '../create-app.js';
import { MetricSeriesDocument } from './metric-series-document.js';

const DAY = 86_400_000;
const start = Date.UTC(2026, 0, 5);
const days = 60;
const labelledDays = 50;
const rowsPerDay = 400;
const adminKey = 'test-admin-key-cbpe-0123456789abcdef012345';
const dir = mkdtempSync(join(tmpdir(), 'outlay-cbpe-'));
let store: Store;
let call: (url: string) => Promise<{ status: number; body: any }>; // eslint-disable-line @typescript-eslint/no-explicit-any
const range = `from=${new Date(start).toISOString()}&to=${new Date(start + days * DAY).toISOString()}`;

// Calibrated scores: y ~ Bernoulli(score), prediction = score ≥ 0.5. Labels arrive for the first 50 days only;
// the last 10 days' scores crowd around 0.5 (a harder mix of inputs), so their errors rise with no label to show it.
beforeAll(async () => {
  store = await openDuckDbStore(join(dir, 'cbpe.duckdb'));
  await store.migrate();
  const random = mulberry32(11);
  const predictions: Prediction[] = [];
  const labels: Label[] = [];
  for (let d = 0; d < days; d++) {
    for (let i = 0; i < rowsPerDay; i++) {
      const id = `p${d}-${i}`;
      const score = d < labelledDays ? random() : 0.25 + 0.5 * random();
      const y = random() < score ? 1 : 0;
      const timestamp = new Date(start + d * DAY + Math.floor(random() * DAY)).toISOString();
      predictions.push({ id, model: 'fraud', timestamp, score, prediction: score >= 0.5 ? 1 : 0, features: { x: random() } });
      if (d < labelledDays) labels.push({ id, label: y, timestamp, source: 'ground_truth' });
      if (d < 3) {
        // A model without scores, and one with labels on only 150 rows.
        predictions.push({ id: `n${id}`, model: 'noscore', timestamp, prediction: score >= 0.5 ? 1 : 0, features: {} });
        labels.push({ id: `n${id}`, label: y, timestamp, source: 'ground_truth' });
        predictions.push({ id: `f${id}`, model: 'few', timestamp, score, prediction: score >= 0.5 ? 1 : 0, features: {} });
        if (d === 0 && i < 150) labels.push({ id: `f${id}`, label: y, timestamp, source: 'ground_truth' });
      }
    }
  }
  await store.insertPredictions('acme', predictions);
  await store.insertLabels('acme', labels);
  await store.putConfig('acme', ProjectConfig.parse({ models: [{ name: 'fraud', cost: { false_negative: 150, false_positive: 40 } }, { name: 'few', cost: { false_negative: 150, false_positive: 40 } }] }));
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

async function series(query: string): Promise<MetricSeriesDocument> {
  const res = await call(`/v1/models/${query}`);
  expect(res.status, JSON.stringify(res.body).slice(0, 500)).toBe(200);
  return MetricSeriesDocument.parse(res.body);
}

describe('GET /v1/models/:model/metrics?estimate=cbpe', () => {
  for (const metric of ['error_rate', 'business_cost_per_1k'] as const) {
    it(`estimates ${metric} in every window, its band covering the realised value in about 95 % of the labelled ones`, async () => {
      const doc = await series(`fraud/metrics?metric=${metric}&window=day&${range}&estimate=cbpe`);
      expect(doc.estimate).toMatchObject({ method: 'cbpe', reference_from: new Date(start).toISOString(), reference_to: new Date(start + labelledDays * DAY).toISOString(), reference_labelled: labelledDays * rowsPerDay, reason: null });
      expect(doc.estimate!.calibration!.rows).toBe(labelledDays * rowsPerDay);
      expect(doc.estimate!.calibration!.knots.length).toBeGreaterThan(1);
      const labelled = doc.points.slice(0, labelledDays);
      const covered = labelled.filter((p) => p.value! >= p.estimated_lower! && p.value! <= p.estimated_upper!).length;
      expect(covered).toBeGreaterThanOrEqual(44);
      for (const p of labelled) {
        expect(p.estimated_n).toBe(rowsPerDay);
        expect(p.estimated_lower!).toBeLessThan(p.estimated!);
        expect(p.estimated_upper!).toBeGreaterThan(p.estimated!);
      }
      // Labels removed for the recent windows: no realised value, the estimate is still there (and higher).
      const recent = doc.points.slice(labelledDays);
      const earlier = labelled.reduce((s, p) => s + p.estimated!, 0) / labelled.length;
      for (const p of recent) {
        expect(p.value).toBeNull();
        expect(p.reason).toBe('insufficient_data');
        expect(p.estimated).not.toBeNull();
        expect(p.estimate_reason).toBeNull();
        expect(p.estimated!).toBeGreaterThan(earlier);
      }
      // Expected error of the shifted scores: E[min(s, 1 − s)] for s ~ U(0.25, 0.75) = 0.375 (cost: 0.375·(150+40)/2·1000).
      const recentMean = recent.reduce((s, p) => s + p.estimated!, 0) / recent.length;
      const expected = metric === 'error_rate' ? 0.375 : 0.1875 * 150_000 + 0.1875 * 40_000;
      expect(Math.abs(recentMean / expected - 1)).toBeLessThan(0.03);
    });
  }

  it('fits on an explicit reference window', async () => {
    const from = new Date(start + 10 * DAY).toISOString();
    const to = new Date(start + 20 * DAY).toISOString();
    const doc = await series(`fraud/metrics?metric=error_rate&window=day&${range}&estimate=cbpe&estimate_reference_from=${from}&estimate_reference_to=${to}`);
    expect(doc.estimate).toMatchObject({ reference_from: from, reference_to: to, reference_labelled: 10 * rowsPerDay, reason: null });
    expect(doc.points.every((p) => p.estimated !== null)).toBe(true);
  });

  it('says why there is no estimate: no scores, too few labelled rows in the reference — never NaN', async () => {
    const noScore = await series(`noscore/metrics?metric=error_rate&window=day&${range}&estimate=cbpe`);
    expect(noScore.estimate!.calibration).toBeNull();
    expect(noScore.estimate!.reason).toMatch(/no labelled row with a score/);
    expect(noScore.points.every((p) => p.estimated === null && p.estimate_reason !== null)).toBe(true);
    const few = await series(`few/metrics?metric=business_cost_per_1k&window=day&${range}&estimate=cbpe&min_sample=10`);
    expect(few.estimate!.reference_labelled).toBe(150);
    expect(few.estimate!.reason).toMatch(/150 labelled rows with a score, fewer than 200/);
    expect(JSON.stringify(few)).not.toMatch(/NaN/);
  });

  it('answers 400 for a metric it cannot estimate or a half-given reference', async () => {
    expect((await call(`/v1/models/fraud/metrics?metric=mean_score&${range}&estimate=cbpe`)).status).toBe(400);
    expect((await call(`/v1/models/fraud/metrics?metric=error_rate&${range}&estimate=cbpe&estimate_reference_from=2026-01-05`)).status).toBe(400);
    expect((await call(`/v1/models/fraud/metrics?metric=error_rate&${range}&estimate=magic`)).status).toBe(400);
  });
});
