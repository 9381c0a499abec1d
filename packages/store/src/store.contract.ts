import type { Prediction } from '@outlay/schema';
import { describe, expect, it, beforeEach, afterEach } from 'vitest';
import type { Filter, Store } from './store.js';

/**
 * The behaviour every store adapter must have, run against each (as hono runs one router suite against every
 * router). `open` returns a fresh, migrated, empty store.
 */
export function storeContract(name: string, open: () => Promise<Store>): void {
  describe(`store contract: ${name}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await store.close();
    });

    const day = Date.UTC(2026, 0, 5); // a Monday
    const hour = 3_600_000;
    const prediction = (i: number, extra: Partial<Prediction> = {}): Prediction => ({
      id: `p${i}`,
      model: 'fraud',
      timestamp: day + i * hour,
      features: { amount: i * 10, country: i % 2 ? 'FR' : 'DE', vip: i % 3 === 0 },
      prediction: i % 2,
      score: (i % 10) / 10,
      segments: { region: i < 12 ? 'eu' : 'us' },
      latency_ms: 5 + i,
      ...extra,
    });
    const rows = (n: number, from = 0) => Array.from({ length: n }, (_, i) => prediction(from + i));

    it('stores a batch and counts it in the model stats', async () => {
      expect(await store.insertPredictions('acme', rows(24))).toEqual({ accepted: 24, duplicates: 0 });
      expect(await store.modelStats('acme', 'fraud')).toEqual({
        predictions: 24,
        labels: 0,
        first_timestamp: new Date(day).toISOString(),
        last_timestamp: new Date(day + 23 * hour).toISOString(),
      });
      expect(await store.listModels('acme')).toHaveLength(1);
    });

    it('never duplicates a retried batch or a repeated id', async () => {
      await store.insertPredictions('acme', rows(10));
      expect(await store.insertPredictions('acme', rows(10))).toEqual({ accepted: 0, duplicates: 10 });
      expect(await store.insertPredictions('acme', [...rows(2, 10), prediction(10), prediction(3)])).toEqual({ accepted: 2, duplicates: 2 });
      expect((await store.modelStats('acme', 'fraud'))!.predictions).toBe(12);
    });

    it('keeps projects apart', async () => {
      await store.insertPredictions('acme', rows(5));
      await store.insertPredictions('globex', rows(3));
      expect((await store.modelStats('acme', 'fraud'))!.predictions).toBe(5);
      expect((await store.modelStats('globex', 'fraud'))!.predictions).toBe(3);
      expect(await store.modelStats('initech', 'fraud')).toBeNull();
    });

    it('grows the feature set and keeps a type change as a second column', async () => {
      await store.insertPredictions('acme', rows(4));
      await store.insertPredictions('acme', [prediction(4, { features: { amount: 'n/a', device: 'ios' } })]);
      const columns = await store.modelColumns('acme', 'fraud');
      expect(columns).toEqual(expect.arrayContaining([
        { source: 'feature', name: 'amount', type: 'number' },
        { source: 'feature', name: 'amount', type: 'string' },
        { source: 'feature', name: 'device', type: 'string' },
        { source: 'segment', name: 'region', type: 'string' },
      ]));
      const byType = await store.aggregate({
        project: 'acme', model: 'fraud',
        measures: [{ op: 'count_non_null', column: { source: 'feature', name: 'amount', type: 'number' } },
                   { op: 'count_non_null', column: { source: 'feature', name: 'amount', type: 'string' } }],
      });
      expect(byType[0]!.values).toEqual([4, 1]);
    });

    it('joins late labels by id and lets a correction replace the earlier label', async () => {
      await store.insertPredictions('acme', rows(6));
      await store.insertLabels('acme', [
        { id: 'p0', label: 1, timestamp: day + 10 * hour, source: 'ground_truth' },
        { id: 'p1', label: 0, timestamp: day + 10 * hour, source: 'ground_truth' },
      ]);
      expect(await store.insertLabels('acme', [{ id: 'p0', label: 1, timestamp: day + 10 * hour, source: 'ground_truth' }])).toEqual({ accepted: 0, duplicates: 1 });
      await store.insertLabels('acme', [{ id: 'p0', label: 0, timestamp: day + 20 * hour, source: 'annotation' }]);
      // An older label arriving late does not overwrite a newer one.
      await store.insertLabels('acme', [{ id: 'p1', label: 1, timestamp: day + 5 * hour, source: 'ground_truth' }]);
      expect((await store.modelStats('acme', 'fraud'))!.labels).toBe(2);
      const labelled = await store.aggregate({
        project: 'acme', model: 'fraud', labelled: 'only', groupBy: [{ source: 'core', name: 'label' }],
        measures: [{ op: 'count' }],
      });
      expect(labelled.map((r) => [r.group[0], r.values[0]]).sort()).toEqual([[0, 2]]);
      const scanned = [];
      for await (const batch of store.scanPredictions({ project: 'acme', model: 'fraud', labelled: 'only' })) scanned.push(...batch);
      expect(scanned.map((p) => [p.id, p.label?.label, p.label?.source])).toEqual([['p0', 0, 'annotation'], ['p1', 0, 'ground_truth']]);
    });

    it('gives a prediction the label that arrived before it, by the fast path, the repeat path and in another model', async () => {
      await store.insertLabels('acme', [
        { id: 'p0', label: 1, timestamp: day, source: 'ground_truth' },
        { id: 'p1', label: 0, timestamp: day, source: 'ground_truth' },
        { id: 'q0', label: 1, timestamp: day, source: 'annotation' },
      ]);
      await store.insertPredictions('acme', rows(1));
      // p0 again (a repeat) with p1 (new): the batch takes the careful path.
      await store.insertPredictions('acme', rows(2));
      await store.insertPredictions('acme', [{ ...prediction(0), id: 'q0', model: 'churn' }]);
      // A label for an id no model has yet counts nowhere.
      await store.insertLabels('acme', [{ id: 'p9', label: 1, timestamp: day, source: 'ground_truth' }]);
      expect((await store.modelStats('acme', 'fraud'))!.labels).toBe(2);
      expect((await store.modelStats('acme', 'churn'))!.labels).toBe(1);
      const byLabel = await store.aggregate({
        project: 'acme', model: 'fraud', labelled: 'only', groupBy: [{ source: 'core', name: 'label' }], measures: [{ op: 'count' }],
      });
      expect(byLabel.map((r) => [r.group[0], r.values[0]]).sort()).toEqual([[0, 1], [1, 1]]);
      const [churn] = await store.sampleColumns({ project: 'acme', model: 'churn', columns: [{ source: 'core', name: 'label_source' }], maxRows: 10 }).then((s) => s.values);
      expect(churn).toEqual(['annotation']);
      // A label for another project's id is not this project's.
      await store.insertLabels('globex', [{ id: 'p2', label: 1, timestamp: day, source: 'ground_truth' }]);
      await store.insertPredictions('acme', rows(3));
      expect((await store.modelStats('acme', 'fraud'))!.labels).toBe(2);
    });

    it('counts, sums and means per window and per slice in SQL', async () => {
      await store.insertPredictions('acme', rows(48));
      const perDay = await store.aggregate({
        project: 'acme', model: 'fraud', window: 'day',
        measures: [{ op: 'count' }, { op: 'sum', column: { source: 'core', name: 'latency_ms' } }],
      });
      const latency = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => 5 + from + i).reduce((a, b) => a + b, 0);
      expect(perDay).toEqual([
        { window: new Date(day).toISOString(), group: [], values: [24, latency(0, 24)] },
        { window: new Date(day + 24 * hour).toISOString(), group: [], values: [24, latency(24, 48)] },
      ]);
      const perWeek = await store.aggregate({ project: 'acme', model: 'fraud', window: 'week', measures: [{ op: 'count' }] });
      expect(perWeek).toEqual([{ window: new Date(day).toISOString(), group: [], values: [48] }]);
      const perRegion = await store.aggregate({
        project: 'acme', model: 'fraud', groupBy: [{ source: 'segment', name: 'region' }],
        measures: [{ op: 'count' }, { op: 'mean', column: { source: 'feature', name: 'amount' } }],
        from: day, to: day + 24 * hour,
      });
      expect(perRegion).toEqual([
        { window: null, group: ['eu'], values: [12, 55] },
        { window: null, group: ['us'], values: [12, 175] },
      ]);
      const vip = await store.aggregate({
        project: 'acme', model: 'fraud', measures: [{ op: 'count' }],
        where: [{ column: { source: 'feature', name: 'vip' }, op: '=', value: true }],
      });
      expect(vip[0]!.values).toEqual([16]);
    });

    it('computes histograms and quantiles that match a direct computation', async () => {
      const batch = rows(101);
      await store.insertPredictions('acme', batch);
      const hist = await store.histogram({ project: 'acme', model: 'fraud', column: { source: 'feature', name: 'amount' }, edges: [0, 250, 500, 1000] });
      expect(hist).toEqual({ kind: 'numeric', edges: [0, 250, 500, 1000], counts: [25, 25, 51], below: 0, above: 0, missing: 0, total: 101 });
      const auto = await store.histogram({ project: 'acme', model: 'fraud', column: { source: 'core', name: 'latency_ms' }, bins: 4 });
      expect(auto.kind === 'numeric' && auto.counts).toEqual([25, 25, 25, 26]);
      const cat = await store.histogram({ project: 'acme', model: 'fraud', column: { source: 'feature', name: 'country' } });
      expect(cat).toEqual({ kind: 'categorical', values: [{ value: 'DE', count: 51 }, { value: 'FR', count: 50 }], other: 0, missing: 0, total: 101 });
      // Linear interpolation between order statistics (type 7, numpy's default): amounts are 0, 10, …, 1000.
      expect(await store.quantiles({ project: 'acme', model: 'fraud', column: { source: 'feature', name: 'amount' }, qs: [0, 0.25, 0.5, 0.99, 1] }))
        .toEqual([0, 250, 500, 990, 1000]);
    });

    it('counts per bucket of a numeric column in one query, beside other groups, with numpy\'s closed last bucket', async () => {
      await store.insertPredictions('acme', [...rows(24), prediction(24, { features: { country: 'FR' } })]);
      const amount = { source: 'feature', name: 'amount' } as const;
      // Four buckets 50 wide from 0: the last is [150, 200], 200 included.
      const buckets = await store.aggregate({
        project: 'acme', model: 'fraud', bucket: { column: amount, from: 0, width: 50, count: 4 },
        groupBy: [{ source: 'core', name: 'prediction' }], measures: [{ op: 'count' }, { op: 'sum', column: amount }],
      });
      const counts = new Map<string, number>();
      for (const r of buckets) counts.set(`${r.bucket}`, (counts.get(`${r.bucket}`) ?? 0) + r.values[0]!);
      // Amounts 0, 10, …, 230: [0, 50) holds 5, [50, 100) 5, [100, 150) 5, [150, 200] 6, above 3; one row has none.
      expect(Object.fromEntries(counts)).toEqual({ 1: 5, 2: 5, 3: 5, 4: 6, 5: 3, null: 1 });
      const bucket2 = buckets.filter((r) => r.bucket === 2);
      expect(bucket2.map((r) => [r.group[0], r.values[0], r.values[1]]).sort()).toEqual([[0, 2, 60 + 80], [1, 3, 50 + 70 + 90]]);
      await expect(store.aggregate({ project: 'acme', model: 'fraud', bucket: { column: amount, from: 0, width: 0, count: 4 }, measures: [{ op: 'count' }] })).rejects.toThrow(/positive width/);
    });

    it('samples columns row-aligned: every row when few, the same subset on every call when many', async () => {
      await store.insertPredictions('acme', rows(200));
      const columns = [{ source: 'feature' as const, name: 'amount' }, { source: 'feature' as const, name: 'country' }, { source: 'core' as const, name: 'score' as const }];
      const all = await store.sampleColumns({ project: 'acme', model: 'fraud', columns, maxRows: 1000, to: day + 100 * hour });
      expect(all.rows).toBe(100);
      expect(all.total).toBe(100);
      expect([...(all.values[0] as number[])].sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i * 10));
      all.values[0]!.forEach((amount, r) => {
        const i = (amount as number) / 10;
        expect(all.values[1]![r]).toBe(i % 2 ? 'FR' : 'DE');
        expect(all.values[2]![r]).toBeCloseTo((i % 10) / 10, 12);
      });
      const some = await store.sampleColumns({ project: 'acme', model: 'fraud', columns, maxRows: 50 });
      expect(some.total).toBe(200);
      expect(some.rows).toBeGreaterThan(20);
      expect(some.rows).toBeLessThanOrEqual(50);
      expect(await store.sampleColumns({ project: 'acme', model: 'fraud', columns, maxRows: 50 })).toEqual(some);
      const keyed = await store.sampleColumns({ project: 'acme', model: 'fraud', columns: [{ source: 'core', name: 'id' }, { source: 'core', name: 'timestamp_ms' }], maxRows: 1000, to: day + 3 * hour });
      expect(keyed.values[0]!.map((id, r) => [id, keyed.values[1]![r]]).sort()).toEqual([['p0', day], ['p1', day + hour], ['p2', day + 2 * hour]]);
    });

    it('filters with every operator, a missing value differing from every value', async () => {
      await store.insertPredictions('acme', [...rows(6), prediction(6, { features: { amount: null, country: 'FR', vip: false } })]);
      const count = async (where: Filter[]) => (await store.aggregate({ project: 'acme', model: 'fraud', measures: [{ op: 'count' }], where }))[0]!.values[0];
      const amount = { source: 'feature' as const, name: 'amount' };
      expect(await count([{ column: amount, op: '!=', value: 10 }])).toBe(6);
      expect(await count([{ column: amount, op: 'is_null' }])).toBe(1);
      expect(await count([{ column: amount, op: 'not_null' }])).toBe(6);
      expect(await count([{ column: amount, op: 'in', value: [0, 20, 999] }])).toBe(2);
      expect(await count([{ column: amount, op: '>=', value: 20 }, { column: amount, op: '<', value: 50 }])).toBe(3);
      expect(await count([{ column: { source: 'feature', name: 'country' }, op: '=', value: 'FR' }])).toBe(4);
      expect(await count([{ column: { source: 'feature', name: 'vip' }, op: 'in', value: [true] }])).toBe(2);
    });

    it('answers null, not zero, for measures over no values', async () => {
      await store.insertPredictions('acme', rows(3));
      const score = { source: 'core' as const, name: 'score' as const };
      const [row] = await store.aggregate({
        project: 'acme', model: 'fraud', from: day + 100 * hour,
        measures: [{ op: 'count' }, { op: 'count_non_null', column: score }, { op: 'sum', column: score }, { op: 'mean', column: score },
          { op: 'min', column: score }, { op: 'max', column: score }, { op: 'stddev', column: score }, { op: 'quantile', column: score, q: 0.5 }],
      });
      expect(row!.values).toEqual([0, 0, null, null, null, null, null, null]);
      expect(await store.quantiles({ project: 'acme', model: 'fraud', column: score, qs: [0.5], from: day + 100 * hour })).toEqual([null]);
    });

    it('refuses a column the model does not have, naming it', async () => {
      await store.insertPredictions('acme', rows(2));
      await expect(store.aggregate({ project: 'acme', model: 'fraud', measures: [{ op: 'sum', column: { source: 'feature', name: 'nope' } }] }))
        .rejects.toThrow(/no feature "nope"/);
      await expect(store.aggregate({ project: 'acme', model: 'other', measures: [{ op: 'count' }] })).rejects.toThrow(/no model "other"/);
    });

    it('scans a selection in time order, in batches, with features back as a map', async () => {
      await store.insertPredictions('acme', rows(25).reverse());
      const seen: string[] = [];
      let batches = 0;
      for await (const batch of store.scanPredictions({ project: 'acme', model: 'fraud', batchSize: 10, from: day + hour })) {
        batches++;
        seen.push(...batch.map((p) => p.id));
      }
      expect(batches).toBe(3);
      expect(seen).toEqual(Array.from({ length: 24 }, (_, i) => `p${i + 1}`));
      const [first] = await (async () => { for await (const b of store.scanPredictions({ project: 'acme', model: 'fraud', limit: 1 })) return b; return []; })();
      expect(first).toMatchObject({ id: 'p0', features: { amount: 0, country: 'DE', vip: true }, segments: { region: 'eu' }, prediction: 0, score: 0 });
    });

    it('stores keys, revokes them, and keeps config and meta', async () => {
      const key = { id: 'k1', project: 'acme', role: 'ingest' as const, name: 'ci', prefix: 'olk_k1', hash: 'h', created_at: new Date(day).toISOString(), revoked_at: null };
      await store.createKey(key);
      expect(await store.findKey('k1')).toEqual(key);
      expect(await store.revokeKey('k1')).toBe(true);
      expect(await store.revokeKey('k1')).toBe(false);
      expect((await store.findKey('k1'))!.revoked_at).not.toBeNull();
      expect(await store.listKeys('other')).toEqual([]);
      expect(await store.getConfig('acme')).toBeNull();
      await store.putConfig('acme', { models: [], funnel: [], priors: { region: 2 }, monitors: [], price_book: [] });
      expect((await store.getConfig('acme'))!.priors).toEqual({ region: 2 });
      await store.setMeta('demo_loaded', 'yes');
      expect(await store.getMeta('demo_loaded')).toBe('yes');
    });

    it('totals cost records and revenue per project', async () => {
      await store.insertCostRecords('acme', [
        { ChargePeriodStart: day, ChargePeriodEnd: day + hour, BilledCost: 10, EffectiveCost: 8, BillingCurrency: 'USD', ProviderName: 'AWS' },
        { ChargePeriodStart: day, ChargePeriodEnd: day + hour, BilledCost: 5, BillingCurrency: 'USD' },
      ]);
      await store.insertRevenue('acme', [{ period_start: day, period_end: day + 24 * hour, customer: 'c1', amount: 100, currency: 'USD' }]);
      expect(await store.costTotals('acme')).toEqual({ rows: 2, billed_cost: 15, effective_cost: 13 });
      expect(await store.revenueTotals('acme')).toEqual({ rows: 1, amount: 100 });
      expect(await store.costTotals('globex')).toEqual({ rows: 0, billed_cost: 0, effective_cost: 0 });
    });

    it('sums the cost ledger per month and day by bucket, model and customer, and revenue per customer', async () => {
      const jan = Date.UTC(2026, 0, 31, 23);
      const feb = Date.UTC(2026, 1, 1, 1);
      await store.insertCostRecords('acme', [
        { ChargePeriodStart: jan, ChargePeriodEnd: jan + hour, BillingCurrency: 'USD', BilledCost: 10, EffectiveCost: 8, x_category: 'variable.compute', x_model: 'fraud', ProviderName: 'AWS', ServiceName: 'EC2', PricingCategory: 'Standard' },
        { ChargePeriodStart: jan, ChargePeriodEnd: jan + hour, BillingCurrency: 'USD', BilledCost: 2, x_category: 'variable.compute', x_model: 'fraud', ProviderName: 'AWS', ServiceName: 'EC2', PricingCategory: 'Standard', x_variable_share: 0.5 },
        { ChargePeriodStart: feb, ChargePeriodEnd: feb + hour, BillingCurrency: 'USD', BilledCost: 300, x_category: 'variable.operations', x_customer: 'c1', x_variable_share: 0.25 },
        { ChargePeriodStart: feb + 24 * hour, ChargePeriodEnd: feb + 25 * hour, BillingCurrency: 'USD', BilledCost: 100, x_category: 'variable.operations', x_customer: 'c1' },
        { ChargePeriodStart: Date.UTC(2026, 2, 1), ChargePeriodEnd: Date.UTC(2026, 3, 1), BillingCurrency: 'USD', BilledCost: 7 },
      ]);
      await store.insertCostRecords('globex', [{ ChargePeriodStart: jan, ChargePeriodEnd: jan + hour, BillingCurrency: 'USD', BilledCost: 99 }]);
      await store.insertRevenue('acme', [
        { period_start: Date.UTC(2026, 1, 1), period_end: Date.UTC(2026, 2, 1), customer: 'c2', amount: 50, currency: 'USD' },
        { period_start: Date.UTC(2026, 1, 1), period_end: Date.UTC(2026, 2, 1), customer: 'c1', amount: 1000, currency: 'USD' },
        { period_start: Date.UTC(2026, 1, 15), period_end: Date.UTC(2026, 2, 1), customer: 'c1', amount: 20, currency: 'USD' },
        { period_start: Date.UTC(2026, 2, 1), period_end: Date.UTC(2026, 3, 1), customer: 'c1', amount: 900, currency: 'USD' },
      ]);
      const months = await store.costLedger({ project: 'acme', period: 'month', to: Date.UTC(2026, 2, 1) });
      expect(months).toEqual([
        {
          period: '2026-01-01T00:00:00.000Z', category: 'variable.compute', model: 'fraud', customer: null, provider: 'AWS', service: 'EC2',
          pricing_category: 'Standard', records: 2, resource_seconds: 7200, billed_cost: 12, effective_cost: 10, declared_variable_effective_cost: 1, undeclared_share_effective_cost: 8,
        },
        {
          period: '2026-02-01T00:00:00.000Z', category: 'variable.operations', model: null, customer: 'c1', provider: null, service: null,
          pricing_category: null, records: 2, resource_seconds: 7200, billed_cost: 400, effective_cost: 400, declared_variable_effective_cost: 75, undeclared_share_effective_cost: 100,
        },
      ]);
      // Per day a record is spread over the days it covers: March's $7 is $7/31 on each of its days.
      const days = await store.costLedger({ project: 'acme', period: 'day', from: '2026-02-01T00:00:00Z', to: '2026-03-03T00:00:00Z' });
      expect(days.map((r) => [r.period, r.effective_cost])).toEqual([
        ['2026-02-01T00:00:00.000Z', 300],
        ['2026-02-02T00:00:00.000Z', 100],
        ['2026-03-01T00:00:00.000Z', expect.closeTo(7 / 31, 9)],
        ['2026-03-02T00:00:00.000Z', expect.closeTo(7 / 31, 9)],
      ]);
      expect(days[2]!.resource_seconds).toBeCloseTo(86_400, 6);
      // A record straddling midnight is split by the hours on each side; one that began before the range still counts in it.
      const straddle = await store.costLedger({ project: 'acme', period: 'day', from: Date.UTC(2026, 0, 31, 23, 30), to: Date.UTC(2026, 1, 1) });
      expect(straddle.map((r) => [r.period, r.effective_cost])).toEqual([['2026-01-31T00:00:00.000Z', 10]]);
      const march = await store.revenueLedger({ project: 'acme', period: 'day', from: Date.UTC(2026, 2, 10), to: Date.UTC(2026, 2, 11) });
      expect(march).toEqual([{ period: '2026-03-10T00:00:00.000Z', customer: 'c1', amount: expect.closeTo(900 / 31, 9) }]);
      expect(await store.revenueLedger({ project: 'acme', period: 'month', from: Date.UTC(2026, 1, 1), to: Date.UTC(2026, 2, 1) })).toEqual([
        { period: '2026-02-01T00:00:00.000Z', customer: 'c1', amount: 1020 },
        { period: '2026-02-01T00:00:00.000Z', customer: 'c2', amount: 50 },
      ]);
      expect(await store.costLedger({ project: 'initech', period: 'month' })).toEqual([]);
      await expect(store.costLedger({ project: 'acme', period: 'month', from: 'not a date' })).rejects.toThrow(/from/);
    });
  });
}
