// DuckDB (the baseline, embedded) vs ClickHouse: ingest of seeded predictions through the store (4 batches of
// 5,000 in flight, a label for every 10th prediction), then the metric query (count, mean score, mean and p95
// latency per day over everything loaded) and the drift query (the server's GET /v1/models/:model/drift:
// first 7 days vs last 7 days, every feature). ClickHouse loads first, for at most --seconds; DuckDB then loads
// the same rows, so both answer over the same data.
//
//   node bench/run.js clickhouse --rows 10000000 --seconds 300 --url http://127.0.0.1:8123
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

export const name = 'clickhouse';

// DESIGN.md's dashboard budget (p95 ≤ 200 ms for 30-day panels over 10,000,000 predictions), applied to the
// ClickHouse metric query over everything loaded.
export const budget = [
  { metric: 'clickhouseMetricMs', atMost: 200, label: 'ClickHouse metric query per day, median (ms)' },
];

const project = 'bench';
const model = 'bench-model';
const day = 86_400_000;
const start = Date.UTC(2026, 0, 1);
const numericFeatures = 10;

/** Seeded generator (mulberry32). */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Rows [from, to) of a load of `target` rows spread over 30 days; after the first week `f0` shifts and `c0` gains a value. */
function batch(from, to, target) {
  const next = random(from + 1);
  const rows = [];
  for (let i = from; i < to; i++) {
    const timestamp = start + Math.floor((i * 30 * day) / target);
    // After the reference week, so the drift query sees a shift however many rows the time allowed.
    const late = timestamp >= start + 7 * day;
    const features = {};
    for (let f = 0; f < numericFeatures; f++) features[`f${f}`] = Math.round((next() * 100 + (late && f === 0 ? 20 : 0)) * 1000) / 1000;
    features.c0 = late && next() < 0.1 ? 'new' : `k${Math.floor(next() * 10)}`;
    features.c1 = `v${Math.floor(next() * 50)}`;
    const score = Math.round(next() * 1e6) / 1e6;
    rows.push({
      id: `r${i}`,
      model,
      timestamp,
      features,
      prediction: score > 0.5 ? 1 : 0,
      score,
      segments: { region: `r${i % 5}` },
      latency_ms: Math.round(5 + next() * 45),
    });
  }
  const labels = rows.filter((_, k) => (from + k) % 10 === 0).map((r) => ({ id: r.id, label: r.prediction ^ (r.score > 0.9 ? 1 : 0), timestamp: r.timestamp + day, source: 'ground_truth' }));
  return { rows, labels };
}

/** Loads rows [0, limit) of a `target`-row load, until done or `deadlineMs`; the rows loaded are always a prefix. */
async function load(store, { target, limit, batchRows, concurrency, deadlineMs, log, label }) {
  let next = 0;
  let done = 0;
  let lastLog = performance.now();
  const startedMs = performance.now();
  const worker = async () => {
    while (next < limit && performance.now() < deadlineMs) {
      const from = next;
      const to = Math.min(limit, from + batchRows);
      next = to;
      const { rows, labels } = batch(from, to, target);
      for (;;) {
        try {
          await store.insertPredictions(project, rows);
          break;
        } catch (error) {
          if (error.code !== 'busy') throw error;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }
      if (labels.length) await store.insertLabels(project, labels);
      done += rows.length;
      if (performance.now() - lastLog > 15_000) {
        lastLog = performance.now();
        log(`${label}: ${done.toLocaleString('en-US')} rows, ${Math.round(done / ((lastLog - startedMs) / 1000)).toLocaleString('en-US')} rows/s`);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - startedMs) / 1000;
  return { rows: done, seconds };
}

async function timed(runs, fn) {
  const ms = [];
  let result;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    result = await fn();
    ms.push(performance.now() - t);
  }
  const sorted = [...ms].sort((a, b) => a - b);
  return { first: ms[0], median: sorted[Math.floor(sorted.length / 2)], result };
}

async function queries(store, computeWindowDrift, rows, target, runs) {
  const lastMs = start + Math.floor(((rows - 1) * 30 * day) / target);
  const metric = await timed(runs, () => store.aggregate({
    project, model, window: 'day',
    measures: [{ op: 'count' }, { op: 'mean', column: { source: 'core', name: 'score' } }, { op: 'mean', column: { source: 'core', name: 'latency_ms' } }, { op: 'quantile', column: { source: 'core', name: 'latency_ms' }, q: 0.95 }],
  }));
  const drift = await timed(runs, () => computeWindowDrift(store, {
    project, model,
    reference: { from: start, to: start + 7 * day },
    current: { from: lastMs + 1 - 7 * day, to: lastMs + 1 },
  }));
  const stats = await timed(runs, () => store.modelStats(project, model));
  return { metric, drift, stats };
}

/** @param {{repoRoot: string, args: string[], log: (line: string) => void}} opts */
export async function run({ repoRoot, args, log }) {
  const { values } = parseArgs({
    args,
    options: {
      rows: { type: 'string', default: '10000000' },
      seconds: { type: 'string', default: '300' },
      url: { type: 'string', default: 'http://127.0.0.1:8123' },
      batch: { type: 'string', default: '5000' },
      concurrency: { type: 'string', default: '4' },
      runs: { type: 'string', default: '3' },
      keep: { type: 'boolean', default: false },
    },
  });
  const target = Number(values.rows);
  const seconds = Number(values.seconds);
  const runs = Number(values.runs);
  const batchRows = Number(values.batch);
  const concurrency = Number(values.concurrency);
  const { openClickHouseStore, openDuckDbStore } = await import(pathToFileURL(path.join(repoRoot, 'packages/store/dist/index.js')).href);
  const { computeWindowDrift } = await import(pathToFileURL(path.join(repoRoot, 'packages/server/dist/compute-window-drift.js')).href);
  const database = `outlay_bench_${Date.now().toString(36)}`;
  const dir = await mkdtemp(path.join(os.tmpdir(), 'outlay-bench-clickhouse-'));
  const errors = [];
  const notes = [];
  const table = [];
  const metrics = {};
  const loadBefore = os.loadavg();

  const clickhouse = await openClickHouseStore(`${values.url.replace(/\/+$/, '')}/${database}`);
  let loaded = 0;
  let chAnswers;
  try {
    await clickhouse.migrate();
    log(`clickhouse: loading up to ${target.toLocaleString('en-US')} rows for at most ${seconds} s into ${values.url}/${database}`);
    const ch = await load(clickhouse, { target, limit: target, batchRows, concurrency, deadlineMs: performance.now() + seconds * 1000, log, label: 'clickhouse' });
    loaded = ch.rows;
    log(`clickhouse: ${ch.rows} rows in ${ch.seconds.toFixed(1)} s; queries`);
    const q = await queries(clickhouse, computeWindowDrift, loaded, target, runs);
    if (q.stats.result.predictions !== loaded) errors.push(`ClickHouse counts ${q.stats.result.predictions} predictions, loaded ${loaded}`);
    metrics.clickhouseRowsPerSecond = ch.rows / ch.seconds;
    metrics.clickhouseMetricMs = q.metric.median;
    metrics.clickhouseDriftMs = q.drift.median;
    table.push(['ClickHouse (FINAL reads, the default)', ch.rows, ch.seconds, Math.round(ch.rows / ch.seconds), q.metric.first, q.metric.median, q.drift.first, q.drift.median, q.stats.median]);
    chAnswers = q;
  } finally {
    await clickhouse.close();
  }
  // The same data read without FINAL (`?final=0`): what deduplicating at read time costs.
  const unmerged = await openClickHouseStore(`${values.url.replace(/\/+$/, '')}/${database}`, { finalReads: false });
  try {
    await unmerged.migrate();
    log('clickhouse: queries without FINAL');
    const q = await queries(unmerged, computeWindowDrift, loaded, target, runs);
    metrics.clickhouseNoFinalMetricMs = q.metric.median;
    metrics.clickhouseNoFinalDriftMs = q.drift.median;
    table.push(['ClickHouse, final=0 (one writer per model)', loaded, null, null, q.metric.first, q.metric.median, q.drift.first, q.drift.median, q.stats.median]);
  } finally {
    await unmerged.close();
  }

  const duck = await openDuckDbStore(path.join(dir, 'bench.duckdb'));
  try {
    await duck.migrate();
    log(`duckdb: loading the same ${loaded.toLocaleString('en-US')} rows`);
    const dd = await load(duck, { target, limit: loaded, batchRows, concurrency, deadlineMs: Number.POSITIVE_INFINITY, log, label: 'duckdb' });
    if (dd.rows !== loaded) errors.push(`DuckDB loaded ${dd.rows}, expected ${loaded}`);
    log(`duckdb: ${dd.rows} rows in ${dd.seconds.toFixed(1)} s; queries`);
    const q = await queries(duck, computeWindowDrift, loaded, target, runs);
    metrics.duckdbRowsPerSecond = dd.rows / dd.seconds;
    metrics.duckdbMetricMs = q.metric.median;
    metrics.duckdbDriftMs = q.drift.median;
    table.push(['DuckDB (baseline)', dd.rows, dd.seconds, Math.round(dd.rows / dd.seconds), q.metric.first, q.metric.median, q.drift.first, q.drift.median, q.stats.median]);
    // Same data, same answers: counts per day exactly, the drift verdicts per column.
    const days = (rows) => rows.map((r) => `${r.window}:${r.values[0]}`).join(',');
    if (days(q.metric.result) !== days(chAnswers.metric.result)) errors.push('per-day counts differ between DuckDB and ClickHouse');
    const verdicts = (d) => d.columns.map((c) => `${c.column}:${c.drift}`).join(',');
    if (verdicts(q.drift.result) !== verdicts(chAnswers.drift.result)) notes.push(`drift verdicts differ: DuckDB ${verdicts(q.drift.result)} vs ClickHouse ${verdicts(chAnswers.drift.result)}`);
    else notes.push(`drift verdicts agree on every column (drifted: ${q.drift.result.columns.filter((c) => c.drift).map((c) => c.column).join(', ') || 'none'})`);
  } finally {
    await duck.close();
    await rm(dir, { recursive: true, force: true });
  }
  if (!values.keep) await fetch(`${values.url.replace(/\/+$/, '')}/`, { method: 'POST', body: `DROP DATABASE IF EXISTS ${database}` });

  notes.push(
    `${loaded.toLocaleString('en-US')} of --rows ${target.toLocaleString('en-US')} predictions loaded (ClickHouse stops at --seconds ${seconds}; DuckDB then loads the same rows); ` +
      `${numericFeatures} numeric + 2 categorical features, a segment, a label for every 10th prediction, timestamps over ${Math.round((30 * loaded) / target)} of 30 days.`,
    `ingest through the store in-process (no HTTP), ${concurrency} batches of ${batchRows.toLocaleString('en-US')} in flight; rows/s counts predictions, the labels are extra writes.`,
    'metric: per day count, mean score, mean latency and exact p95 latency over every row; drift: computeWindowDrift (GET /v1/models/:model/drift) on the first vs the last 7 days, every feature, default 20,000-row samples; ' +
      `times: first run and median of ${runs}.`,
    `ClickHouse: ${values.url}, single node, FINAL reads (the default), the server shared with other work on this machine; load average before: ${loadBefore.map((x) => x.toFixed(2)).join(', ')}.`,
  );
  return {
    metrics,
    errors,
    notes,
    tables: [{ columns: ['store', 'predictions', 'load s', 'predictions/s', 'metric first ms', 'metric median ms', 'drift first ms', 'drift median ms', 'stats median ms'], rows: table.map((r) => r.map((v) => (typeof v === 'number' && !Number.isInteger(v) ? Math.round(v * 10) / 10 : v))) }],
  };
}
