import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProjectConfig, type Label, type Prediction } from '@outlay/schema';
import { openClickHouseStore, openDuckDbStore, type Store } from '@outlay/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clickHouseTestUrl, clickHouseUnavailable, dropDatabases, freshDatabaseName } from '../../../store/test-support/clickhouse-test-server.js';
import { ApiKeys } from '../api-keys.js';
import { createApp } from '../create-app.js';
import { MetricSeriesDocument } from './metric-series-document.js';
import { syntheticPredictions } from './synthetic-predictions.js';

const adminKey = 'test-admin-key-metrics-0123456789abcdef0123';
const project = 'acme';
const DAY = 86_400_000;
const start = Date.UTC(2026, 0, 5); // a Monday

// The same numbers from both store adapters: DuckDB always, ClickHouse when a server is reachable (required in CI).
const chUnavailable = await clickHouseUnavailable().catch((error: unknown) => `ClickHouse at ${clickHouseTestUrl} is not reachable: ${String(error)}`);
if (chUnavailable && process.env.CI === 'true') throw new Error(`${chUnavailable}; the metrics API is tested on ClickHouse in CI`);
const chDatabases: string[] = [];
afterAll(() => (chUnavailable ? undefined : dropDatabases(clickHouseTestUrl, chDatabases)));

metricsSuite('duckdb', () => openDuckDbStore(join(mkdtempSync(join(tmpdir(), 'outlay-metrics-')), 'm.duckdb')));
if (chUnavailable) describe.skip(`metrics on clickhouse (skipped: ${chUnavailable})`, () => undefined);
else {
  metricsSuite('clickhouse', () => {
    const database = freshDatabaseName();
    chDatabases.push(database);
    return openClickHouseStore(`${clickHouseTestUrl}/${database}`);
  });
}

function metricsSuite(adapter: string, open: () => Promise<Store>): void {
  let store: Store;
  let call: (url: string) => Promise<Response>;
  let predictions: Prediction[];
  let labels: Label[];

  beforeAll(async () => {
    store = await open();
    await store.migrate();
    const { app } = createApp({ store, keys: new ApiKeys(store, adminKey) });
    call = async (url) => app.request(url, { headers: { authorization: `Bearer ${adminKey}`, 'x-outlay-project': project } });
    const traffic = syntheticPredictions({
      model: 'fraud',
      startMs: start,
      days: 10,
      rowsPerOriginPerDay: 60,
      origins: ['ORD', 'ATL'],
      errorRate: (origin, day) => (origin === 'ATL' ? 0.3 : day === start + 9 * DAY ? 0.9 : 0.1),
      labelShare: 0.7,
      seed: 7,
    });
    // Day 10: five predictions, three labelled — too few for min_sample 30.
    const small = syntheticPredictions({ model: 'fraud', startMs: start + 10 * DAY, days: 1, rowsPerOriginPerDay: 5, origins: ['ORD'], errorRate: () => 0.2, labelShare: 0.6, seed: 8, idPrefix: 's' });
    predictions = [...traffic.predictions, ...small.predictions];
    labels = [...traffic.labels, ...small.labels];
    await store.insertPredictions(project, predictions);
    await store.insertLabels(project, labels);
    const regression = Array.from({ length: 200 }, (_, i) => ({ id: `r${i}`, model: 'demand', timestamp: new Date(start + (i % 4) * DAY + i * 1000).toISOString(), prediction: 10 + (i % 7), features: {} }));
    await store.insertPredictions(project, regression);
    await store.insertLabels(project, regression.map((r, i) => ({ id: r.id, label: 10 + ((i * 3) % 11), timestamp: r.timestamp, source: 'ground_truth' as const })));
    await store.putConfig(
      project,
      ProjectConfig.parse({
        models: [
          { name: 'fraud', task: 'binary', cost: { false_negative: 500, false_positive: 50, true_positive: 5 } },
          { name: 'demand', task: 'regression', cost: { under_prediction_per_unit: 4, over_prediction_per_unit: 1 } },
          { name: 'partial', cost: { false_negative: 500 } },
        ],
      }),
    );
  });

  afterAll(async () => {
    await store.close();
  });

  async function series(query: string): Promise<MetricSeriesDocument> {
    const res = await call(`/v1/models/fraud/metrics?${query}`);
    const body = await res.json();
    expect(res.status, JSON.stringify(body)).toBe(200);
    return MetricSeriesDocument.parse(body);
  }

  /** Direct computation on the inserted rows of one day (optionally one origin). */
  function day(index: number, origin?: string) {
    const from = start + index * DAY;
    const rows = predictions.filter((p) => Date.parse(p.timestamp as string) >= from && Date.parse(p.timestamp as string) < from + DAY && (!origin || p.segments!.origin === origin));
    const labelOf = new Map(labels.map((l) => [l.id, l.label as number]));
    const labelled = rows.filter((p) => labelOf.has(p.id));
    const count = (y: number, p: number) => labelled.filter((r) => labelOf.get(r.id) === y && r.prediction === p).length;
    const [tp, fp, fn, tn] = [count(1, 1), count(0, 1), count(1, 0), count(0, 0)];
    const latencies = rows.map((r) => r.latency_ms!).sort((a, b) => a - b);
    const h = (latencies.length - 1) * 0.95;
    const p95 = latencies[Math.floor(h)]! + (h - Math.floor(h)) * (latencies[Math.ceil(h)]! - latencies[Math.floor(h)]!);
    return { n: rows.length, labelled: labelled.length, tp, fp, fn, tn, meanScore: rows.reduce((s, r) => s + r.score!, 0) / rows.length, p95 };
  }

  // Wilson 1927, written out independently of @outlay/stats: centre (x + z²/2)/(n + z²) ± z√(x(n−x)/n + z²/4)/(n + z²).
  function wilson(x: number, n: number) {
    const z = 1.959963984540054;
    const centre = (x + (z * z) / 2) / (n + z * z);
    const half = (z * Math.sqrt((x * (n - x)) / n + (z * z) / 4)) / (n + z * z);
    return [centre - half, centre + half];
  }

  describe(`GET /v1/models/:model/metrics on ${adapter}`, () => {
    const range = `from=${new Date(start).toISOString()}&to=${new Date(start + 11 * DAY).toISOString()}`;

    it('counts predictions and label coverage per day as the rows say, with Wilson bands', async () => {
      const counts = await series(`metric=predictions&window=day&${range}`);
      expect(counts.points).toHaveLength(11);
      const coverage = await series(`metric=label_coverage&window=day&${range}`);
      for (let i = 0; i < 10; i++) {
        const d = day(i);
        expect(counts.points[i]).toMatchObject({ start: new Date(start + i * DAY).toISOString(), n: d.n, labelled: d.labelled, value: d.n });
        expect(coverage.points[i]!.value).toBeCloseTo(d.labelled / d.n, 12);
        const [lower, upper] = wilson(d.labelled, d.n);
        expect(coverage.points[i]!.lower).toBeCloseTo(lower!, 10);
        expect(coverage.points[i]!.upper).toBeCloseTo(upper!, 10);
      }
    });

    it('computes the error rate and the business cost per 1,000 from the confusion counts', async () => {
      const errors = await series(`metric=error_rate&${range}`);
      const cost = await series(`metric=business_cost_per_1k&${range}`);
      for (let i = 0; i < 10; i++) {
        const d = day(i);
        expect(errors.points[i]!.value).toBeCloseTo((d.fp + d.fn) / d.labelled, 12);
        const [lower, upper] = wilson(d.fp + d.fn, d.labelled);
        expect(errors.points[i]!.lower).toBeCloseTo(lower!, 10);
        expect(errors.points[i]!.upper).toBeCloseTo(upper!, 10);
        expect(cost.points[i]!.value).toBeCloseTo((1000 * (500 * d.fn + 50 * d.fp - 5 * d.tp)) / d.labelled, 8);
        expect(cost.points[i]!.lower!).toBeLessThan(cost.points[i]!.value!);
      }
    });

    it('adds each false negative\'s amount to its cost when the matrix names an amount feature', async () => {
      const config = (await store.getConfig(project))!;
      const withAmount = ProjectConfig.parse({ ...config, models: config.models.map((m) => (m.name === 'fraud' ? { ...m, cost: { ...m.cost, amount_feature: 'distance' } } : m)) });
      await store.putConfig(project, withAmount);
      try {
        const cost = await series(`metric=business_cost_per_1k&${range}`);
        const labelOf = new Map(labels.map((l) => [l.id, l.label as number]));
        for (let i = 0; i < 10; i++) {
          const d = day(i);
          const from = start + i * DAY;
          const fnAmount = predictions
            .filter((p) => Date.parse(p.timestamp as string) >= from && Date.parse(p.timestamp as string) < from + DAY && labelOf.get(p.id) === 1 && p.prediction === 0)
            .reduce((s, p) => s + (p.features!.distance as number), 0);
          expect(fnAmount).toBeGreaterThan(0);
          expect(cost.points[i]!.value).toBeCloseTo((1000 * (500 * d.fn + 50 * d.fp - 5 * d.tp + fnAmount)) / d.labelled, 6);
        }
        await store.putConfig(project, ProjectConfig.parse({ ...config, models: config.models.map((m) => (m.name === 'fraud' ? { ...m, cost: { ...m.cost, amount_feature: 'nope' } } : m)) }));
        const bad = await call(`/v1/models/fraud/metrics?metric=business_cost_per_1k&${range}`);
        expect(bad.status).toBe(400);
        expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(/amount_feature is "nope"/);
      } finally {
        await store.putConfig(project, config);
      }
    });

    it('slices by a segment', async () => {
      const errors = await series(`metric=error_rate&slice=origin:ORD&${range}`);
      const d = day(9, 'ORD');
      expect(errors.points[9]).toMatchObject({ n: d.n, labelled: d.labelled });
      expect(errors.points[9]!.value).toBeCloseTo((d.fp + d.fn) / d.labelled, 12);
      expect(errors.slice).toEqual({ column: 'origin', value: 'ORD' });
    });

    it('computes the mean score and the p95 latency in the store', async () => {
      const score = await series(`metric=mean_score&${range}`);
      const latency = await series(`metric=latency_p95_ms&${range}`);
      for (let i = 0; i < 10; i++) {
        const d = day(i);
        expect(score.points[i]!.value).toBeCloseTo(d.meanScore, 10);
        expect(latency.points[i]!.value).toBeCloseTo(d.p95, 8);
      }
    });

    it('computes the MAE and a regressor\'s cost from its labelled rows', async () => {
      const res = await call(`/v1/models/demand/metrics?metric=mae&min_sample=10&${range}`);
      const mae = MetricSeriesDocument.parse(await res.json());
      const cost = MetricSeriesDocument.parse(await (await call(`/v1/models/demand/metrics?metric=business_cost_per_1k&min_sample=10&${range}`)).json());
      for (let d = 0; d < 4; d++) {
        const rows = Array.from({ length: 200 }, (_, i) => i).filter((i) => i % 4 === d);
        const errors = rows.map((i) => 10 + ((i * 3) % 11) - (10 + (i % 7)));
        expect(mae.points[d]!.value).toBeCloseTo(errors.reduce((s, e) => s + Math.abs(e), 0) / rows.length, 10);
        expect(cost.points[d]!.value).toBeCloseTo((1000 * errors.reduce((s, e) => s + (e > 0 ? 4 * e : -e), 0)) / rows.length, 8);
        expect(mae.points[d]!.sampled).toBe(false);
      }
    });

    it('gives null and insufficient_data, never NaN, for a window with too few labels', async () => {
      const errors = await series(`metric=error_rate&${range}`);
      const small = errors.points[10]!;
      expect(small).toMatchObject({ n: 5, value: null, lower: null, upper: null, reason: 'insufficient_data' });
      expect(small.detail).toMatch(/fewer than min_sample 30/);
      const lenient = await series(`metric=error_rate&min_sample=1&${range}`);
      expect(lenient.points[10]!.value).not.toBeNull();
    });

    it('fills a gap with an empty window', async () => {
      const counts = await series(`metric=predictions&from=${new Date(start + 10 * DAY).toISOString()}&to=${new Date(start + 13 * DAY).toISOString()}`);
      expect(counts.points.map((p) => p.n)).toEqual([5, 0, 0]);
      const errors = await series(`metric=error_rate&from=${new Date(start + 11 * DAY).toISOString()}&to=${new Date(start + 12 * DAY).toISOString()}`);
      expect(errors.points[0]).toMatchObject({ value: null, reason: 'insufficient_data', detail: 'no predictions in this window' });
    });

    it('smooths with an EWMA chart or a Kalman filter and adjusts for the weekday', async () => {
      for (const smooth of ['ewma', 'kalman']) {
        const doc = await series(`metric=error_rate&smooth=${smooth}&${range}`);
        expect(doc.smoothing).toMatchObject({ method: smooth, status: 'ok', reference_windows: 5 });
        for (const p of doc.points.slice(0, 10)) {
          expect(Number.isFinite(p.smoothed)).toBe(true);
          expect(p.control_lower!).toBeLessThan(p.control_upper!);
        }
        // Day 9 (ORD at 90 % errors) is out of control.
        expect(doc.points[9]!.alert).toBe(true);
      }
      const hourly = await series(`metric=predictions&window=hour&adjust=hour&from=${new Date(start).toISOString()}&to=${new Date(start + 10 * DAY).toISOString()}`);
      expect(hourly.adjustment).toMatchObject({ asked: ['hour'], applied: true });
      expect(hourly.points.every((p) => p.adjusted !== null)).toBe(true);
    });

    it('refuses an unknown metric, an unknown model, a bad slice and a cost matrix with a missing outcome', async () => {
      const unknownMetric = await call(`/v1/models/fraud/metrics?metric=accuracy&${range}`);
      expect(unknownMetric.status).toBe(400);
      expect(((await unknownMetric.json()) as { error: { message: string } }).error.message).toMatch(/metric/);
      const backwards = await call('/v1/models/fraud/metrics?metric=error_rate&from=2026-02-01&to=2026-01-01');
      expect(backwards.status).toBe(400);
      expect(((await backwards.json()) as { error: { message: string } }).error.message).toMatch(/must be before to/);
      expect((await call(`/v1/models/fraud/metrics?metric=error_rate&color=red`)).status).toBe(400);
      const unknownModel = await call(`/v1/models/nope/metrics?metric=error_rate`);
      expect(unknownModel.status).toBe(404);
      const badSlice = await call(`/v1/models/fraud/metrics?metric=error_rate&slice=airport:ORD&${range}`);
      expect(badSlice.status).toBe(400);
      expect(((await badSlice.json()) as { error: { message: string } }).error.message).toMatch(/no segment or feature "airport"; it has .*origin/);

      await store.insertPredictions(project, [{ id: 'x1', model: 'partial', timestamp: new Date(start).toISOString(), prediction: 1, features: {} }]);
      const missing = await call(`/v1/models/partial/metrics?metric=business_cost_per_1k&${range}`);
      expect(missing.status).toBe(400);
      const body = (await missing.json()) as { error: { message: string; details: { missing: string[] } } };
      expect(body.error.message).toMatch(/models\[name=partial\]\.cost has no false_positive/);
      expect(body.error.details.missing).toEqual(['false_positive']);
      const noMatrix = await call(`/v1/models/demand/metrics?metric=error_rate&${range}`);
      expect(noMatrix.status).toBe(400);
    });
  });
}
