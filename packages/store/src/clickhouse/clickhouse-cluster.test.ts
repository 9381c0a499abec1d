import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@clickhouse/client';
import type { Label, Prediction } from '@outlay/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clickHouseServerMissing, startClickHouseCluster, type ClickHouseCluster } from '../../test-support/start-clickhouse-cluster.js';
import { openDuckDbStore } from '../duckdb/open-duckdb-store.js';
import { storeContract } from '../store.contract.js';
import type { AggregateQuery, Store } from '../store.js';
import { modelTableName } from './clickhouse-catalog.js';
import { openClickHouseStore, type ClickHouseStore } from './open-clickhouse-store.js';

// In CI a missing server binary is a failure; elsewhere the suite is skipped and says why.
const missing = clickHouseServerMissing();
if (missing && process.env.CI === 'true') throw new Error(`${missing}. The sharded ClickHouse test is required in CI: apt-get install -y clickhouse-server.`);

const day = Date.UTC(2026, 0, 5);
const minute = 60_000;
const regions = ['eu', 'us', 'apac'];
const prediction = (i: number): Prediction => ({
  id: `p${i}`,
  model: 'fraud',
  timestamp: day + i * 7 * minute,
  features: { amount: (i * 7919) % 1000, country: ['FR', 'DE', 'US', 'JP'][i % 4]!, vip: i % 5 === 0 },
  prediction: i % 3 === 0 ? 1 : 0,
  score: ((i * 37) % 100) / 100,
  segments: { region: regions[i % 3]! },
  latency_ms: 5 + (i % 40),
});
const label = (i: number, value: number, hours: number): Label => ({ id: `p${i}`, label: value, timestamp: day + hours * 3_600_000, source: 'ground_truth' });
const batches = (from: number, to: number, size: number): Prediction[][] => {
  const out: Prediction[][] = [];
  for (let start = from; start < to; start += size) out.push(Array.from({ length: Math.min(size, to - start) }, (_, k) => prediction(start + k)));
  return out;
};

const suite = missing ? describe.skip : describe;
suite(`clickhouse store on a two-shard cluster${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let cluster: ClickHouseCluster;
  let first: ClickHouseStore;
  let second: ClickHouseStore;
  let reference: Store;
  const dir = mkdtempSync(join(tmpdir(), 'outlay-cluster-ref-'));
  const database = 'outlay_cluster_test';

  beforeAll(async () => {
    cluster = await startClickHouseCluster({ shards: 2, name: 'outlay_test' });
    const options = { cluster: { name: cluster.name, nodes: cluster.httpUrls } };
    // Two stores, each entering the cluster through a different shard's server, as two Outlay servers would.
    first = await openClickHouseStore(`${cluster.httpUrls[0]}/${database}`, options);
    second = await openClickHouseStore(`${cluster.httpUrls[1]}/${database}`, options);
    expect(await first.migrate()).toBe(1);
    expect(await second.migrate()).toBe(0);
    reference = await openDuckDbStore(join(dir, 'reference.duckdb'));
    await reference.migrate();
  }, 60_000);

  afterAll(async () => {
    await Promise.all([first?.close(), second?.close(), reference?.close()]);
    await cluster?.stop();
    rmSync(dir, { recursive: true, force: true });
  }, 30_000);

  // The whole contract on the Distributed layout too, each case in a fresh database entered through shard 2.
  let contractCase = 0;
  storeContract('clickhouse, two shards', async () => {
    const store = await openClickHouseStore(`${cluster.httpUrls[1]}/contract_${contractCase++}`, { cluster: { name: cluster.name, nodes: cluster.httpUrls } });
    await store.migrate();
    return store;
  });

  it('counts every acknowledged prediction once while two writers share ids, and answers as one node does', async () => {
    // 0..2999 through the first server, 2000..4999 through the second, interleaved: the 1,000 shared ids stand
    // for retries that reached the other server. Ids and labels shard by id, so copies land on one shard.
    const one = batches(0, 3000, 250);
    const two = batches(2000, 5000, 250);
    const writes: Promise<{ accepted: number; duplicates: number }>[] = [];
    for (let k = 0; k < one.length; k++) writes.push(first.insertPredictions('acme', one[k]!), second.insertPredictions('acme', two[k]!));
    const results = await Promise.all(writes);
    expect(results.reduce((sum, r) => sum + r.accepted + r.duplicates, 0)).toBe(6000);
    expect(results.reduce((sum, r) => sum + r.accepted, 0)).toBeGreaterThanOrEqual(5000);
    await second.insertLabels('acme', Array.from({ length: 600 }, (_, i) => label(i * 7, i % 2, 200)));
    // Corrections through the other server, and an older label that must not win.
    await first.insertLabels('acme', Array.from({ length: 100 }, (_, i) => label(i * 7, 1, 300)));
    await first.insertLabels('acme', Array.from({ length: 100 }, (_, i) => label(i * 7 + 700, 0, 100)));
    for (const b of batches(0, 5000, 1000)) await reference.insertPredictions('acme', b);
    await reference.insertLabels('acme', Array.from({ length: 600 }, (_, i) => label(i * 7, i % 2, 200)));
    await reference.insertLabels('acme', Array.from({ length: 100 }, (_, i) => label(i * 7, 1, 300)));
    await reference.insertLabels('acme', Array.from({ length: 100 }, (_, i) => label(i * 7 + 700, 0, 100)));

    // Every server sees every row once.
    for (const store of [first, second]) expect(await store.modelStats('acme', 'fraud')).toEqual(await reference.modelStats('acme', 'fraud'));
    // The rows really are spread over both shards.
    const table = `${modelTableName('acme', 'fraud')}_local`;
    const perShard = await Promise.all(cluster.httpUrls.map(async (url) => {
      const client = createClient({ url });
      const rows = await (await client.query({ query: `SELECT uniqExact(id) AS n FROM ${database}.${table}`, format: 'JSONEachRow' })).json<{ n: string }>();
      await client.close();
      return Number(rows[0]!.n);
    }));
    expect(perShard.every((n) => n > 1000)).toBe(true);
    expect(perShard[0]! + perShard[1]!).toBe(5000);

    const queries: AggregateQuery[] = [
      { project: 'acme', model: 'fraud', window: 'day', measures: [{ op: 'count' }, { op: 'sum', column: { source: 'core', name: 'latency_ms' } }, { op: 'mean', column: { source: 'core', name: 'score' } }] },
      { project: 'acme', model: 'fraud', groupBy: [{ source: 'segment', name: 'region' }, { source: 'feature', name: 'vip' }], measures: [{ op: 'count' }, { op: 'max', column: { source: 'feature', name: 'amount' } }, { op: 'quantile', column: { source: 'feature', name: 'amount' }, q: 0.9 }] },
      { project: 'acme', model: 'fraud', labelled: 'only', groupBy: [{ source: 'core', name: 'label' }, { source: 'core', name: 'prediction' }], measures: [{ op: 'count' }] },
      { project: 'acme', model: 'fraud', labelled: 'without', window: 'week', measures: [{ op: 'count' }], where: [{ column: { source: 'feature', name: 'country' }, op: 'in', value: ['FR', 'JP'] }] },
    ];
    const expected = await Promise.all(queries.map((q) => reference.aggregate(q)));
    for (const store of [first, second]) {
      const got = await Promise.all(queries.map((q) => store.aggregate(q)));
      got.forEach((rows, i) => {
        expect(rows.map((r) => r.group)).toEqual(expected[i]!.map((r) => r.group));
        rows.forEach((row, j) => {
          expect(row.window).toBe(expected[i]![j]!.window);
          row.values.forEach((v, k) => expect(v).toBeCloseTo(expected[i]![j]!.values[k]!, 9));
        });
      });
      const histogram = { project: 'acme', model: 'fraud', column: { source: 'feature' as const, name: 'amount' }, bins: 10 };
      expect(await store.histogram(histogram)).toEqual(await reference.histogram(histogram));
      const categorical = { project: 'acme', model: 'fraud', column: { source: 'feature' as const, name: 'country' }, labelled: 'only' as const };
      expect(await store.histogram(categorical)).toEqual(await reference.histogram(categorical));
      const quantiles = { project: 'acme', model: 'fraud', column: { source: 'core' as const, name: 'score' as const }, qs: [0.05, 0.5, 0.95] };
      const want = await reference.quantiles(quantiles);
      (await store.quantiles(quantiles)).forEach((q, i) => expect(q).toBeCloseTo(want[i]!, 12));
    }
    const scanned: string[] = [];
    for await (const batch of second.scanPredictions({ project: 'acme', model: 'fraud', batchSize: 1000, labelled: 'only' })) scanned.push(...batch.map((p) => `${p.id}:${String(p.label?.label)}`));
    const want: string[] = [];
    for await (const batch of reference.scanPredictions({ project: 'acme', model: 'fraud', batchSize: 1000, labelled: 'only' })) want.push(...batch.map((p) => `${p.id}:${String(p.label?.label)}`));
    expect(scanned).toEqual(want);
  }, 60_000);
});

suite(`clickhouse store on one shard of two replicas${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let cluster: ClickHouseCluster;
  const database = 'outlay_replica_test';

  beforeAll(async () => {
    cluster = await startClickHouseCluster({ shards: 1, replicas: 2, name: 'outlay_replicas' });
  }, 60_000);
  afterAll(async () => {
    await cluster?.stop();
  }, 30_000);

  it('writes every acknowledged prediction to both replicas, and reads the same through either', async () => {
    const options = { cluster: { name: cluster.name, nodes: cluster.httpUrls } };
    const store = await openClickHouseStore(`${cluster.httpUrls[0]}/${database}`, options);
    try {
      await store.migrate();
      for (const batch of batches(0, 2000, 500)) await store.insertPredictions('acme', batch);
      // A retry of a batch already written: counted once on both replicas.
      expect(await store.insertPredictions('acme', batches(0, 500, 500)[0]!)).toEqual({ accepted: 0, duplicates: 500 });
      const table = `${modelTableName('acme', 'fraud')}_local`;
      const perReplica = await Promise.all(cluster.httpUrls.map(async (url) => {
        const client = createClient({ url });
        const rows = await (await client.query({ query: `SELECT uniqExact(id) AS n FROM ${database}.${table}`, format: 'JSONEachRow' })).json<{ n: string }>();
        await client.close();
        return Number(rows[0]!.n);
      }));
      // internal_replication false: the Distributed table itself writes each row to every replica of its shard.
      expect(perReplica).toEqual([2000, 2000]);
      const other = await openClickHouseStore(`${cluster.httpUrls[1]}/${database}`, options);
      try {
        expect((await other.modelStats('acme', 'fraud'))!.predictions).toBe(2000);
      } finally {
        await other.close();
      }
    } finally {
      await store.close();
    }
  }, 60_000);
});
