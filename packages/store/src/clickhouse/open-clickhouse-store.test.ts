import { createClient } from '@clickhouse/client';
import { afterAll, describe, expect, it } from 'vitest';
import type { Prediction } from '@outlay/schema';
import { clickHouseTestUrl, clickHouseUnavailable, dropDatabases, freshDatabaseName } from '../../test-support/clickhouse-test-server.js';
import { storeContract } from '../store.contract.js';
import { modelTableName } from './clickhouse-catalog.js';
import { openClickHouseStore, type ClickHouseStoreOptions } from './open-clickhouse-store.js';

// In CI a missing server is a failure; elsewhere the suite is skipped and says why.
const unavailable = await clickHouseUnavailable().catch((error: unknown) => `ClickHouse at ${clickHouseTestUrl} is not reachable: ${String(error)}`);
if (unavailable && process.env.CI === 'true') throw new Error(`${unavailable}. The ClickHouse store tests are required in CI: start clickhouse-server (see .ci/run).`);

const databases: string[] = [];
afterAll(() => dropDatabases(clickHouseTestUrl, databases));

async function freshStore(options: ClickHouseStoreOptions = {}) {
  const database = freshDatabaseName();
  databases.push(database);
  const store = await openClickHouseStore(`${clickHouseTestUrl}/${database}`, options);
  await store.migrate();
  return { store, database };
}

const day = Date.UTC(2026, 0, 5);
const hour = 3_600_000;
const prediction = (i: number, extra: Partial<Prediction> = {}): Prediction => ({
  id: `p${i}`, model: 'fraud', timestamp: day + i * hour, features: { amount: i * 10, country: i % 2 ? 'FR' : 'DE' }, prediction: i % 2, score: (i % 10) / 10, ...extra,
});
const rows = (n: number, from = 0) => Array.from({ length: n }, (_, i) => prediction(from + i));

if (unavailable) {
  describe.skip(`clickhouse store (skipped: ${unavailable}; set OUTLAY_TEST_CLICKHOUSE_URL or start clickhouse-server)`, () => {
    it('needs a ClickHouse server', () => undefined);
  });
} else {
  storeContract('clickhouse', async () => (await freshStore()).store);

  describe('clickhouse store', () => {
    it('migrates once and keeps rows and the catalog across a reopen', async () => {
      const { store, database } = await freshStore();
      await store.insertPredictions('acme', [{ id: 'a', model: 'm', timestamp: 0, features: { x: 1 }, prediction: 1 }]);
      await store.close();
      const again = await openClickHouseStore(`clickhouse://${clickHouseTestUrl.replace(/^https?:\/\//, '')}/${database}`);
      expect(await again.migrate()).toBe(0);
      await again.insertPredictions('acme', [{ id: 'b', model: 'm', timestamp: 1, features: { x: 2, y: 'new' }, prediction: 0 }]);
      expect((await again.modelStats('acme', 'm'))!.predictions).toBe(2);
      expect(await again.modelColumns('acme', 'm')).toHaveLength(2);
      await again.close();
    });

    it('counts a retried batch once, also when the retry races the first attempt', async () => {
      const { store } = await freshStore();
      const batch = rows(500);
      const [first, second] = await Promise.all([store.insertPredictions('acme', batch), store.insertPredictions('acme', batch)]);
      expect(first.accepted + second.accepted).toBe(500);
      expect(first.duplicates + second.duplicates).toBe(500);
      expect(await store.insertPredictions('acme', batch)).toEqual({ accepted: 0, duplicates: 500 });
      const [total] = await store.aggregate({ project: 'acme', model: 'fraud', measures: [{ op: 'count' }, { op: 'sum', column: { source: 'feature', name: 'amount' } }] });
      expect(total!.values).toEqual([500, (499 * 500 / 2) * 10]);
      await store.close();
    });

    it('counts a row once when two processes both stored it (ReplacingMergeTree, read with FINAL)', async () => {
      // Two store instances stand for two Outlay servers: each checks for stored ids in its own process, so when
      // both write the same batch before either records its ids, both may accept it.
      const { store, database } = await freshStore();
      const other = await openClickHouseStore(`${clickHouseTestUrl}/${database}`);
      await other.migrate();
      await store.insertPredictions('acme', rows(1));
      const batch = rows(200, 1);
      const results = await Promise.all([store.insertPredictions('acme', batch), other.insertPredictions('acme', batch)]);
      expect(results.reduce((sum, r) => sum + r.accepted, 0)).toBeGreaterThanOrEqual(200);
      expect((await store.modelStats('acme', 'fraud'))!.predictions).toBe(201);
      // Whatever the race left, a merge keeps one copy per (ts_ms, id) ...
      const table = `${database}.${modelTableName('acme', 'fraud')}`;
      const admin = createClient({ url: clickHouseTestUrl });
      await admin.command({ query: `OPTIMIZE TABLE ${table} FINAL` });
      const unmerged = await openClickHouseStore(`${clickHouseTestUrl}/${database}`, { finalReads: false });
      await unmerged.migrate();
      expect((await unmerged.modelStats('acme', 'fraud'))!.predictions).toBe(201);
      // ... and before the merge, FINAL reads count a copy once (a copy made here on purpose, as a crash between
      // a batch's rows and its ids would leave for the retry to write again).
      await admin.command({ query: `INSERT INTO ${table} SELECT * FROM ${table}` });
      await admin.close();
      expect((await unmerged.modelStats('acme', 'fraud'))!.predictions).toBe(402);
      expect((await store.modelStats('acme', 'fraud'))!.predictions).toBe(201);
      const [sum] = await store.aggregate({ project: 'acme', model: 'fraud', measures: [{ op: 'sum', column: { source: 'feature', name: 'amount' } }] });
      expect(sum!.values).toEqual([(200 * 201 / 2) * 10]);
      await Promise.all([other.close(), unmerged.close(), store.close()]);
    });

    it('applies a late correction and ignores an older label that arrives after it', async () => {
      const { store } = await freshStore();
      await store.insertPredictions('acme', rows(3));
      await store.insertLabels('acme', [{ id: 'p0', label: 'fraud', timestamp: day + 5 * hour, source: 'annotation' }]);
      await store.insertLabels('acme', [{ id: 'p0', label: 1, timestamp: day + 9 * hour, source: 'ground_truth' }]);
      await store.insertLabels('acme', [{ id: 'p0', label: 0, timestamp: day + 7 * hour, source: 'ground_truth' }]);
      // Same timestamp: the later arrival wins.
      await store.insertLabels('acme', [{ id: 'p1', label: 1, timestamp: day, source: 'ground_truth' }, { id: 'p1', label: 0, timestamp: day, source: 'ground_truth' }]);
      const scanned = [];
      for await (const batch of store.scanPredictions({ project: 'acme', model: 'fraud' })) scanned.push(...batch);
      expect(scanned.map((p) => [p.id, p.label?.label, p.label?.source])).toEqual([['p0', 1, 'ground_truth'], ['p1', 0, 'ground_truth'], ['p2', undefined, undefined]]);
      const byClass = await store.aggregate({ project: 'acme', model: 'fraud', groupBy: [{ source: 'core', name: 'label_class' }], measures: [{ op: 'count' }] });
      expect(byClass.map((r) => r.group[0])).toEqual([null]);
      expect((await store.modelStats('acme', 'fraud'))!.labels).toBe(2);
      await store.close();
    });

    it('gives type 7 quantiles exactly, and t-digest ones within 2% of the range', async () => {
      // Stated tolerance: quantileTDigest (the bounded-memory option) is approximate; on 2,000 evenly spread
      // values it stays within 2% of the range of the exact answer. The default is exact and matches DuckDB.
      const { store, database } = await freshStore();
      await store.insertPredictions('acme', Array.from({ length: 2000 }, (_, i) => prediction(i, { features: { amount: (i * 7919) % 2000 } })));
      const qs = [0, 0.1, 0.25, 0.5, 0.9, 0.99, 1];
      const exact = qs.map((q) => q * 1999);
      expect(await store.quantiles({ project: 'acme', model: 'fraud', column: { source: 'feature', name: 'amount' }, qs })).toEqual(exact);
      const approx = await openClickHouseStore(`${clickHouseTestUrl}/${database}`, { quantiles: 'tdigest' });
      await approx.migrate();
      const got = await approx.quantiles({ project: 'acme', model: 'fraud', column: { source: 'feature', name: 'amount' }, qs });
      got.forEach((v, i) => expect(Math.abs(v! - exact[i]!)).toBeLessThanOrEqual(0.02 * 1999));
      const [row] = await store.aggregate({ project: 'acme', model: 'fraud', measures: [{ op: 'quantile', column: { source: 'feature', name: 'amount' }, q: 0.333 }] });
      expect(row!.values[0]).toBeCloseTo(0.333 * 1999, 9);
      await Promise.all([approx.close(), store.close()]);
    });

    it('answers 429-style busy when writes fall behind its bound', async () => {
      const { store } = await freshStore({ maxPendingRows: 1500 });
      const batch = (k: number) => Array.from({ length: 1000 }, (_, i) => ({ id: `${k}-${i}`, model: 'm', timestamp: i, features: { x: i }, prediction: 1 }));
      const results = await Promise.allSettled([store.insertPredictions('acme', batch(1)), store.insertPredictions('acme', batch(2))]);
      expect(results[0]!.status).toBe('fulfilled');
      expect(results[1]).toMatchObject({ status: 'rejected', reason: { code: 'busy', status: 429 } });
      await store.close();
    });

    it('refuses to open on a server that does not answer, naming it', async () => {
      await expect(openClickHouseStore('clickhouse://127.0.0.1:1/outlay', { requestTimeoutMs: 2_000 }))
        .rejects.toMatchObject({ code: 'unavailable', message: expect.stringContaining('http://127.0.0.1:1') });
      await expect(openClickHouseStore('clickhouse://127.0.0.1:8123/bad-name')).rejects.toMatchObject({ code: 'invalid_input' });
    });

    it('keeps quotes and backslashes in values and names intact', async () => {
      const { store } = await freshStore();
      const odd = "it's a \\ 'quote'";
      await store.insertPredictions(odd, [{ id: odd, model: odd, timestamp: day, features: { [odd]: odd }, prediction: odd }]);
      await store.insertLabels(odd, [{ id: odd, label: odd, timestamp: day, source: 'ground_truth' }]);
      const [row] = await store.aggregate({ project: odd, model: odd, measures: [{ op: 'count' }], where: [{ column: { source: 'feature', name: odd }, op: '=', value: odd }] });
      expect(row!.values).toEqual([1]);
      expect((await store.modelStats(odd, odd))!.labels).toBe(1);
      await store.close();
    });

    it('joins labels the same whether it narrows them to a short window\'s ids or reads them all', async () => {
      const { store } = await freshStore();
      await store.insertPredictions('acme', rows(200));
      // Every prediction labelled, the even ones corrected later: a 10-hour window holds fewer rows than there
      // are labels (narrowed join), the whole range more (full join).
      await store.insertLabels('acme', Array.from({ length: 200 }, (_, i) => ({ id: `p${i}`, label: 0, timestamp: day + i * hour, source: 'ground_truth' as const })));
      await store.insertLabels('acme', Array.from({ length: 100 }, (_, k) => ({ id: `p${2 * k}`, label: 1, timestamp: day + (2 * k + 1) * hour, source: 'ground_truth' as const })));
      const labelSum = async (from: number, to: number) => (await store.aggregate({
        project: 'acme', model: 'fraud', from, to, labelled: 'only', measures: [{ op: 'count' }, { op: 'sum', column: { source: 'core', name: 'label' } }],
      }))[0]!.values;
      expect(await labelSum(day + 50 * hour, day + 60 * hour)).toEqual([10, 5]);
      expect(await labelSum(day, day + 200 * hour)).toEqual([200, 100]);
      const sample = await store.sampleColumns({ project: 'acme', model: 'fraud', from: day + 50 * hour, to: day + 54 * hour, columns: [{ source: 'core', name: 'label' }], maxRows: 100 });
      expect(sample.values[0]).toEqual([1, 0, 1, 0]);
      await store.close();
    });
  });
}
