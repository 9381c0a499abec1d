import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@clickhouse/client';
import type { Label, Prediction } from '@outlay/schema';
import { startServer, type RunningServer } from '@outlay/server';
import { openClickHouseStore } from '@outlay/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clickHouseServerMissing, startClickHouseCluster, type ClickHouseCluster } from '../../store/test-support/start-clickhouse-cluster.js';
import { runMain } from '../test-support/run-main.js';
import { createKey, spawnOutlay, stopAllOutlays, type SpawnedServer } from '../test-support/spawn-outlay.js';

// In CI a missing server binary is a failure; elsewhere the suite is skipped and says why.
const missing = clickHouseServerMissing();
if (missing && process.env.CI === 'true') throw new Error(`${missing}. The sharded ClickHouse test is required in CI: apt-get install -y clickhouse-server.`);

const project = 'acme';
const model = 'fraud';
const week = 7 * 86_400_000;
const start = Date.UTC(2026, 0, 5);
const total = 20_000;
const countries = ['FR', 'DE', 'US', 'JP', 'BR'];
const regions = ['eu', 'us', 'apac'];

/** Seeded rows over two weeks; in the second week `amount` moves up and `country` gains a category. */
function prediction(i: number): Prediction {
  const second = i >= total / 2;
  const jitter = ((i * 2654435761) >>> 0) / 2 ** 32;
  return {
    id: `p${i}`,
    model,
    timestamp: start + Math.floor((i / total) * 2 * week),
    features: {
      amount: Math.round((jitter * 1000 + (second ? 150 : 0)) * 100) / 100,
      country: second && i % 10 === 0 ? 'NZ' : countries[i % countries.length]!,
      vip: i % 7 === 0,
      batch: Math.floor(i / 500),
    },
    prediction: jitter > 0.7 ? 1 : 0,
    score: Math.round(jitter * 1e6) / 1e6,
    segments: { region: regions[i % regions.length]! },
    latency_ms: 5 + (i % 37),
  };
}

/** Labels agree with the prediction 3 times in 4, except in the second week in Japan, where the model is always wrong. */
const label = (i: number): Label => {
  const p = prediction(i);
  const predicted = Number(p.prediction);
  const wrong = (i >= total / 2 && p.features.country === 'JP') || i % 4 === 0;
  return { id: `p${i}`, label: wrong ? 1 - predicted : predicted, timestamp: start + 2 * week, source: 'ground_truth' };
};
const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, k) => from + k);
const chunks = <T,>(items: T[], size: number): T[][] => Array.from({ length: Math.ceil(items.length / size) }, (_, k) => items.slice(k * size, (k + 1) * size));

async function post(url: string, key: string, path: string, body: unknown): Promise<{ accepted: number; duplicates: number }> {
  for (let attempt = 0; ; attempt++) {
    const res = await fetch(`${url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    // 429 asks to retry later: the batch was not acknowledged, so sending it again is what a client does.
    if (res.status === 429 && attempt < 50) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      continue;
    }
    if (res.status !== 200) throw new Error(`${path} at ${url}: ${res.status} ${await res.text()}`);
    return (await res.json()) as { accepted: number; duplicates: number };
  }
}

async function get(url: string, key: string, path: string): Promise<unknown> {
  const res = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${key}` } });
  if (res.status !== 200) throw new Error(`${path} at ${url}: ${res.status} ${await res.text()}`);
  return res.json();
}

/** Equal, with numbers equal to 9 significant digits: sums over shards add in another order than one file. */
function expectClose(actual: unknown, expected: unknown, path = '$'): void {
  if (typeof expected === 'number' && typeof actual === 'number') {
    if (Number.isNaN(expected)) return void expect(actual, path).toBeNaN();
    expect(Math.abs(actual - expected), `${path}: ${actual} vs ${expected}`).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(expected)));
  } else if (Array.isArray(expected)) {
    expect(Array.isArray(actual) && actual.length, path).toBe(expected.length);
    expected.forEach((e, i) => expectClose((actual as unknown[])[i], e, `${path}[${i}]`));
  } else if (expected !== null && typeof expected === 'object') {
    expect(Object.keys(actual as object).sort(), path).toEqual(Object.keys(expected).sort());
    for (const [k, e] of Object.entries(expected)) expectClose((actual as Record<string, unknown>)[k], e, `${path}.${k}`);
  } else {
    expect(actual, path).toEqual(expected);
  }
}

interface WindowDriftAnswer {
  columns: { column: string; drift: boolean }[];
  multivariate: { drift: boolean; columns: string[]; components: number; reference_error: number; current_error: number; lower: number; upper: number };
}

const suite = missing ? describe.skip : describe;
suite(`outlay serve on a two-shard ClickHouse cluster${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let cluster: ClickHouseCluster;
  const servers: SpawnedServer[] = [];
  let reference: RunningServer;
  let dir: string;
  const database = 'outlay_serve_cluster';
  const adminKey = randomBytes(24).toString('hex');
  /** The store URL entering the cluster through shard `i`'s server. */
  const storeUrl = (i: number): string => {
    const nodes = cluster.httpUrls.map((u) => u.replace(/^http:\/\//, '')).join(',');
    return `clickhouse://${cluster.httpUrls[i]!.replace(/^http:\/\//, '')}/${database}?cluster=${cluster.name}&nodes=${nodes}`;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'outlay-serve-cluster-'));
    cluster = await startClickHouseCluster({ shards: 2, name: 'outlay_test' });
    // The schema is made once, by `outlay migrate`, on every node; a second run through the other shard finds it.
    const first = await runMain(['migrate', '--store', storeUrl(0), '--format', 'json']);
    expect(first.stderr).toBe('');
    expect(JSON.parse(first.stdout)).toMatchObject({ kind: 'clickhouse', applied: 1 });
    expect(JSON.parse((await runMain(['migrate', '--store', storeUrl(1), '--format', 'json'])).stdout)).toMatchObject({ applied: 0 });
    const [a, b] = await Promise.all([0, 1].map((i) => spawnOutlay(join(dir, `serve-${i}`), ['--no-demo', '--store', storeUrl(i)], adminKey)));
    servers.push(a!, b!);
    reference = await startServer({ port: 0, host: '127.0.0.1', dataDir: join(dir, 'duckdb'), adminKey, demo: false, log: () => undefined });
  }, 60_000);

  afterAll(async () => {
    await stopAllOutlays();
    await reference?.close();
    await cluster?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 30_000);

  it('counts every acknowledged prediction once across two servers and answers stats, metrics, drift and root causes as one DuckDB server does', async () => {
    expect(servers[0]!.output()).toContain(`store: clickhouse ${storeUrl(0)}`);
    // A key made through one server works on the other: keys live in the shared store.
    const ingest = await createKey(servers[0]!, project, 'ingest');
    const read = await createKey(servers[1]!, project, 'read');

    // Ids 0..11,999 through the first server and 8,000..19,999 through the second, both at once: the 4,000 shared
    // ids stand for a client's retries that reached the other server.
    const routes = [chunks(range(0, 12_000), 500), chunks(range(8_000, total), 500)];
    const acknowledged = new Set<string>();
    let accepted = 0;
    let duplicates = 0;
    const writer = async (s: number, lane: number, lanes: number) => {
      for (let k = lane; k < routes[s]!.length; k += lanes) {
        const ids = routes[s]![k]!;
        const result = await post(servers[s]!.url, ingest, '/v1/predictions', ids.map(prediction));
        accepted += result.accepted;
        duplicates += result.duplicates;
        for (const i of ids) acknowledged.add(`p${i}`);
      }
    };
    await Promise.all([0, 1].flatMap((s) => [0, 1, 2].map((lane) => writer(s, lane, 3))));
    expect(accepted + duplicates).toBe(24_000);
    // Within one server a duplicate is caught exactly; two servers racing on one id may both store it (FINAL
    // reads count it once), so accepted can exceed the distinct ids, never fall short of them.
    expect(accepted).toBeGreaterThanOrEqual(total);
    expect(acknowledged.size).toBe(total);

    // Late labels for every third prediction, split over the servers, with 600 sent to both.
    const labelled = range(0, total).filter((i) => i % 3 === 0);
    await Promise.all([
      post(servers[0]!.url, ingest, '/v1/labels', labelled.slice(0, 4000).map(label)),
      post(servers[1]!.url, ingest, '/v1/labels', labelled.slice(3400).map(label)),
    ]);

    for (const batch of chunks(range(0, total), 2000)) await post(reference.url, adminKey, `/v1/predictions?project=${project}`, batch.map(prediction));
    await post(reference.url, adminKey, `/v1/labels?project=${project}`, labelled.map(label));

    // Every acknowledged id is stored and read exactly once, and the rows really are on both shards.
    const store = await openClickHouseStore(storeUrl(1).split('?')[0]!, { cluster: { name: cluster.name, nodes: cluster.httpUrls } });
    const seen = new Map<string, number>();
    try {
      await store.migrate();
      for await (const batch of store.scanPredictions({ project, model, batchSize: 5000 })) for (const p of batch) seen.set(p.id, (seen.get(p.id) ?? 0) + 1);
    } finally {
      await store.close();
    }
    expect(seen.size).toBe(total);
    expect([...seen.values()].every((n) => n === 1)).toBe(true);
    expect([...acknowledged].every((id) => seen.has(id))).toBe(true);
    const perShard = await Promise.all(cluster.httpUrls.map(async (url) => {
      const client = createClient({ url });
      try {
        const tables = await (await client.query({ query: `SELECT name FROM system.tables WHERE database = '${database}' AND match(name, '^pred_[0-9a-f]+_local$')`, format: 'JSONEachRow' })).json<{ name: string }>();
        expect(tables).toHaveLength(1);
        const [row] = await (await client.query({ query: `SELECT uniqExact(id) AS n FROM ${database}.${tables[0]!.name}`, format: 'JSONEachRow' })).json<{ n: string }>();
        return Number(row!.n);
      } finally {
        await client.close();
      }
    }));
    expect(perShard.every((n) => n > total / 4)).toBe(true);
    expect(perShard[0]! + perShard[1]!).toBe(total);

    // The API answers the same through either server as the single DuckDB server.
    const stats = await get(reference.url, adminKey, `/v1/models/${model}/stats?project=${project}`);
    expect(stats).toEqual({ predictions: total, labels: labelled.length, first_timestamp: new Date(start).toISOString(), last_timestamp: new Date(start + Math.floor(((total - 1) / total) * 2 * week)).toISOString() });
    const drift = `/v1/models/${model}/drift?reference_from=${start}&reference_to=${start + week}&current_from=${start + week}&current_to=${start + 2 * week}`;
    const { multivariate: expectedMultivariate, ...expected } = (await get(reference.url, adminKey, `${drift}&project=${project}`)) as WindowDriftAnswer;
    // The data were made to drift: the test would not notice a store that answers "no drift" everywhere.
    expect(expected.columns.find((c) => c.column === 'amount')?.drift).toBe(true);
    expect(expected.columns.find((c) => c.column === 'vip')?.drift).toBe(false);
    // The dashboard's metric routes: predictions per hour, and histograms of a feature, the score and the label.
    const metricPaths = [
      `/v1/models/${model}/volume?from=${start}&to=${start + 2 * week}`,
      `/v1/models/${model}/histogram?column=amount&from=${start + week}&to=${start + 2 * week}`,
      `/v1/models/${model}/histogram?column=country`,
      `/v1/models/${model}/histogram?column=score&source=core&bins=50`,
      `/v1/models/${model}/histogram?column=label&source=core&from=${start}&to=${start + week}`,
    ];
    const expectedMetrics = await Promise.all(metricPaths.map((path) => get(reference.url, adminKey, `${path}&project=${project}`)));
    for (const server of servers) {
      expectClose(await Promise.all(metricPaths.map((path) => get(server.url, read, path))), expectedMetrics);
      expect(await get(server.url, read, `/v1/models/${model}/stats`)).toEqual(stats);
      const { multivariate, ...answer } = (await get(server.url, read, drift)) as WindowDriftAnswer;
      expectClose(answer, expected);
      // The PCA model reads the sample in row order (its thresholds come from chunks by position), and DuckDB's
      // sample comes in storage order, which depends on how the batches were committed; ClickHouse's is ordered
      // by (time, id). So the multivariate answer agrees in its verdict and within a stated tolerance only.
      expect(multivariate.drift).toBe(expectedMultivariate.drift);
      expect(multivariate.columns).toEqual(expectedMultivariate.columns);
      expect(multivariate.components).toBe(expectedMultivariate.components);
      expect(multivariate.reference_error).toBeCloseTo(expectedMultivariate.reference_error, 9);
      // Measured: 48.41 vs 48.48 (0.15%); the thresholds (lower, upper) move more, 0.792–0.809 vs 0.764–0.836.
      expect(Math.abs(multivariate.current_error / expectedMultivariate.current_error - 1)).toBeLessThan(0.01);
    }

    // Root causes and the failure type: an incident on the two weeks, opened through the cluster and on DuckDB.
    const windows = { model, reference_from: new Date(start).toISOString(), reference_to: new Date(start + week).toISOString(), current_from: new Date(start + week).toISOString(), current_to: new Date(start + 2 * week).toISOString() };
    const open = async (url: string, key: string, path: string) => {
      const res = await fetch(`${url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(windows) });
      expect(res.status).toBe(200);
      return (await res.json()) as { rows: unknown; diagnosis: { root_causes: unknown[]; failure_types: { type: string; likelihood: number }[] } };
    };
    const single = await open(reference.url, adminKey, `/v1/incidents?project=${project}`);
    expect(single.diagnosis.root_causes, JSON.stringify(single.diagnosis)).toContainEqual({ country: 'JP' });
    const sharded = await open(servers[0]!.url, adminKey, `/v1/incidents?project=${project}`);
    expect(sharded.rows).toEqual(single.rows);
    expect(sharded.diagnosis.root_causes).toEqual(single.diagnosis.root_causes);
    expect(sharded.diagnosis.failure_types.map((f) => f.type)).toEqual(single.diagnosis.failure_types.map((f) => f.type));
    expectClose(sharded.diagnosis.failure_types, single.diagnosis.failure_types);
  }, 120_000);
});
