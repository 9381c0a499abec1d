import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openClickHouseStore, openDuckDbStore, type Store } from '@outlay/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiKeys } from '../api-keys.js';
import { createApp } from '../create-app.js';
import { CostOpportunities } from './cost-opportunities.js';
import { CostSummary } from './cost-summary.js';
import { CostUnitMetrics } from './cost-unit-metrics.js';

const adminKey = 'test-admin-key-0123456789abcdef0123456789';
const dir = mkdtempSync(join(tmpdir(), 'outlay-costs-'));
const feb = Date.UTC(2026, 1, 1);

// February 2026 of a fraud model, worked by hand:
// - 400 predictions, one an hour from 1 Feb, 100 ms each: c1 the first 100, c2 the next 300 (10 s and 30 s).
// - serving: 3 replicas × 672 h × $0.50 = $1,008 (3 records, 7,257,600 replica-seconds);
// - annotation for c2 $600, half variable → $300 variable; engineers $10,000; a GPU server of $12,600, salvage
//   $600 over 24 months → $500 + $40 service + $10 breakage = $550.
// Total 12,158; variable 1,308; fixed 10,850. Revenue c1 $1,000, c2 $3,000.
// Serving split by compute (idle shared in proportion): c1 1,008 × 10/40 = 252, c2 756 (+300 annotation = 1,056).
const entries = [
  { kind: 'deployment', model: 'fraud', instance: 'box', replicas: 3, start_month: '2026-02', price_per_hour_usd: 0.5 },
  { kind: 'expense', name: 'labelling', category: 'variable.operations', amount_usd: 600, start_month: '2026-02', customer: 'c2', variable_share: 0.5 },
  { kind: 'expense', name: 'engineers', category: 'fixed.development.developers', amount_usd: 10_000, start_month: '2026-02' },
  { kind: 'asset', name: 'GPU server', cost_usd: 12_600, salvage_usd: 600, life_months: 24, in_service: '2026-02-10', service_per_month_usd: 40, breakage_per_month_usd: 10 },
];

/** The cost API on one store: DuckDB always, ClickHouse when a server answers (the SQL under it differs). */
function costRoutesSuite(name: string, open: () => Promise<Store>): void {
  let store: Store;
  let call: (url: string, init?: RequestInit) => Promise<Response>;

  async function get<T>(url: string): Promise<T> {
    const res = await call(url);
    const body = await res.json();
    expect(res.status, JSON.stringify(body)).toBe(200);
    return body as T;
  }

  describe(`cost routes on ${name}`, () => {
    beforeAll(async () => {
      store = await open();
      await store.insertPredictions('acme', Array.from({ length: 400 }, (_, i) => ({
        id: `p${i}`, model: 'fraud', timestamp: feb + i * 3_600_000, features: { amount: i }, prediction: 0, latency_ms: 100, customer: i < 100 ? 'c1' : 'c2',
      })));
      await store.insertRevenue('acme', [
        { period_start: feb, period_end: Date.UTC(2026, 2, 1), customer: 'c1', amount: 1000, currency: 'USD' },
        { period_start: feb, period_end: Date.UTC(2026, 2, 1), customer: 'c2', amount: 3000, currency: 'USD' },
      ]);
      const { app } = createApp({ store, keys: new ApiKeys(store, adminKey) });
      call = async (url, init = {}) => app.request(url, { ...init, headers: { authorization: `Bearer ${adminKey}`, 'x-outlay-project': 'acme', 'content-type': 'application/json', ...init.headers } });
      const res = await call('/v1/cost-entries', { method: 'POST', body: JSON.stringify(entries) });
      expect(res.status, await res.clone().text()).toBe(200);
      // 3 replica records + 1 + 1 + 24 amortisation months.
      expect(await res.json()).toMatchObject({ received: 4, accepted: 4, records: 29, rejected: [] });
    });
    afterAll(async () => {
      await store.close();
    });

    describe('POST /v1/cost-entries', () => {
      it('refuses a batch with a bad entry, naming the entry and the field, and writes nothing', async () => {
        const before = await store.costTotals('acme');
        const bad = [entries[1], { ...entries[3], life_months: 0 }];
        const res = await call('/v1/cost-entries', { method: 'POST', body: JSON.stringify(bad) });
        expect(res.status).toBe(400);
        const body = (await res.json()) as { error: { message: string } };
        expect(body.error.message).toMatch(/entry 1, life_months: expected a life of at least 1 month/);
        expect(await store.costTotals('acme')).toEqual(before);
      });

      it('writes the good entries with ?partial=true and reports the bad ones', async () => {
        const res = await call('/v1/cost-entries?partial=true', { method: 'POST', headers: { 'x-outlay-project': 'globex' }, body: JSON.stringify([entries[2], { ...entries[1], end_month: '2025-01' }]) });
        expect(res.status).toBe(200);
        expect(await res.json()).toEqual({ received: 2, accepted: 1, records: 1, cost_usd: 10_000, rejected: [{ index: 1, field: 'end_month', message: '2025-01 is before start_month 2026-02' }] });
      });
    });

    describe('GET /v1/costs/summary', () => {
      it('sums the ledger by taxonomy bucket, model and customer, per month', async () => {
        const s = CostSummary.parse(await get('/v1/costs/summary?from=2026-02-01T00:00:00Z&to=2026-03-01T00:00:00Z&period=month'));
        expect(s.totals.effective_cost).toBeCloseTo(12_158, 9);
        expect(s.totals.variable_cost).toBeCloseTo(1308, 9);
        expect(s.totals.fixed_cost).toBeCloseTo(10_850, 9);
        expect(s.by_category.map((g) => [g.name, g.effective_cost])).toEqual([
          ['fixed.development.developers', 10_000],
          ['variable.compute', 1008],
          ['variable.operations', 600],
          ['fixed.hardware', expect.closeTo(550, 9)],
        ]);
        expect(s.by_model.map((g) => g.name)).toEqual(['unattributed', 'fraud']);
        expect(s.by_customer.find((g) => g.name === 'c2')!.variable_cost).toBe(300);
        expect(s.periods.map((p) => p.period)).toEqual(['2026-02-01T00:00:00.000Z']);
      });

      it('refuses a bad period or time, naming the field', async () => {
        expect((await call('/v1/costs/summary?period=year')).status).toBe(400);
        const res = await call('/v1/costs/summary?from=yesterday');
        expect(res.status).toBe(400);
        expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/^from: /);
      });
    });

    describe('GET /v1/costs/unit-metrics', () => {
      it('reports unit economics with serving cost allocated to customers by compute', async () => {
        const u = CostUnitMetrics.parse(await get('/v1/costs/unit-metrics?from=2026-02-01T00:00:00Z&to=2026-03-01T00:00:00Z'));
        const [p] = u.periods;
        expect(p!.predictions).toBe(400);
        expect(p!.variable_cost_usd).toBeCloseTo(1308, 9);
        expect(p!.variable_cost_per_prediction_usd).toBeCloseTo(3.27, 9);
        expect(p!.variable_cost_per_1k_predictions_usd).toBeCloseTo(3270, 6);
        expect(p!.variable_cost_per_revenue_usd).toBeCloseTo(0.327, 9);
        expect(p!.variable_cost_pct_of_arr).toBeCloseTo(32.7, 9);
        expect(p!.arr_usd).toBe(48_000);
        expect(p!.contribution_margin_usd).toBeCloseTo(2692, 9);
        expect(p!.by_customer.map((c) => [c.customer, c.variable_cost_usd])).toEqual([['c2', expect.closeTo(1056, 9)], ['c1', expect.closeTo(252, 9)]]);
        const model = p!.allocation.models[0]!;
        expect(model.model).toBe('fraud');
        expect(model.utilisation).toBeCloseTo(40 / (3 * 672 * 3600), 12);
        expect(p!.cost_centres.find((c) => c.category === 'variable.compute')!.per_revenue_usd).toBeCloseTo(0.252, 12);
      });

      it('keeps idle capacity off the customers with idle_share=none', async () => {
        const u = CostUnitMetrics.parse(await get('/v1/costs/unit-metrics?from=2026-02-01T00:00:00Z&to=2026-03-01T00:00:00Z&idle_share=none'));
        const alloc = u.periods[0]!.allocation;
        expect(alloc.idle.cost_usd).toBeCloseTo(1008 * (1 - 40 / (3 * 672 * 3600)), 9);
      });
    });

    describe('the OpenAPI document', () => {
      it('lists the cost routes', async () => {
        const doc = (await get<{ paths: Record<string, unknown> }>('/openapi.json'));
        expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/v1/costs/summary', '/v1/costs/unit-metrics', '/v1/costs/opportunities', '/v1/cost-entries']));
      });
    });

    describe('GET /v1/costs/opportunities', () => {
      it('ranks idle replicas and redundant predictions with their savings', async () => {
        const o = CostOpportunities.parse(await get('/v1/costs/opportunities?duplicate_share=0.1'));
        expect(o.from).toBe('2026-02-01T00:00:00.000Z');
        expect(o.to).toBe('2026-03-01T00:00:00.000Z');
        // One replica serves the busiest hour; 2 × 672 h × $0.50 are idle. 10% of $1,008 of compute is redundant.
        expect(o.opportunities.map((x) => [x.kind, x.saving_usd])).toEqual([
          ['idle_capacity', expect.closeTo(672, 9)],
          ['redundant_predictions', expect.closeTo(100.8, 9)],
        ]);
        expect(o.opportunities[0]!.data).toMatchObject({ replicas: 3, replicas_for_peak: 1, hours: 672 });
      });
    });
  });
}

afterAll(() => rmSync(dir, { recursive: true, force: true }));
costRoutesSuite('DuckDB', async () => {
  const store = await openDuckDbStore(join(dir, 'costs.duckdb'));
  await store.migrate();
  return store;
});

const clickHouseUrl = (process.env.OUTLAY_TEST_CLICKHOUSE_URL ?? 'http://127.0.0.1:8123').replace(/\/+$/, '');
const clickHouseUp = await fetch(`${clickHouseUrl}/ping`).then((r) => r.ok, () => false);
const database = `outlay_test_costs_${process.pid}_${Date.now().toString(36)}`;
if (clickHouseUp) {
  afterAll(async () => {
    await fetch(`${clickHouseUrl}/`, { method: 'POST', body: `DROP DATABASE IF EXISTS ${database}` });
  });
  costRoutesSuite('ClickHouse', async () => {
    const store = await openClickHouseStore(`${clickHouseUrl}/${database}`);
    await store.migrate();
    return store;
  });
} else {
  describe.skip(`cost routes on ClickHouse (skipped: no server at ${clickHouseUrl})`, () => {
    it('needs a ClickHouse server', () => undefined);
  });
}
