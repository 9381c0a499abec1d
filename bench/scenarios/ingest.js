// Ingest over HTTP: batches of 1,000 predictions with 20 numeric features posted to `outlay serve` with
// the default embedded store, 4 requests in flight, from a separate load process. The same load against a
// sink (HTTP + JSON.parse only) is the baseline: the ceiling of this machine and of the load generator.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { freePort, startServer } from '../start-server.js';

export const name = 'ingest';

export const budget = [
  { metric: 'predictionsPerSecond', atLeast: 100_000, label: 'predictions/s sustained' },
  { metric: 'ackP99Ms', atMost: 100, label: 'p99 batch ack (ms)' },
];

const model = 'bench-model';
const project = 'bench';

/** @param {{repoRoot: string, args: string[], log: (line: string) => void}} opts */
export async function run({ repoRoot, args, log }) {
  const { values } = parseArgs({
    args,
    options: {
      seconds: { type: 'string', default: '20' },
      'baseline-seconds': { type: 'string', default: '5' },
      concurrency: { type: 'string', default: '4' },
      batch: { type: 'string', default: '1000' },
      features: { type: 'string', default: '20' },
      // Writes a V8 CPU profile of the server (open it in Chrome DevTools) to find where ingest time goes.
      'cpu-prof': { type: 'string' },
    },
  });
  const loadArgs = ['--concurrency', values.concurrency, '--batch', values.batch, '--features', values.features, '--model', model];
  const errors = [];
  const rows = [];

  if (Number(values['baseline-seconds']) > 0) {
    log(`ingest: baseline sink, ${values['baseline-seconds']} s`);
    const sink = await startServer([path.join(repoRoot, 'bench/ingest-sink.js')], { cwd: repoRoot });
    try {
      const cpuBefore = sink.cpuSeconds();
      const load = await runLoad(repoRoot, [...loadArgs, '--port', String(sink.port), '--key', 'unused', '--seconds', values['baseline-seconds']]);
      rows.push(describe('sink: HTTP + JSON.parse, no validation, no storage (baseline)', load, sink, cpuBefore));
    } finally {
      await sink.stop();
    }
  }

  const dataDir = await mkdtemp(path.join(tmpdir(), 'outlay-bench-ingest-'));
  const adminKey = `bench-admin-${randomBytes(16).toString('hex')}`;
  let server;
  let metrics;
  try {
    const nodeArgs = values['cpu-prof'] === undefined ? [] : ['--cpu-prof', '--cpu-prof-dir', path.resolve(values['cpu-prof'])];
    server = await startOutlay(repoRoot, dataDir, adminKey, nodeArgs);
    log(`ingest: outlay serve at ${server.url}, data ${dataDir}`);
    const created = await call(server.url, adminKey, 'POST', '/v1/keys', { project, role: 'ingest', name: 'bench' });
    if (typeof created.key !== 'string') throw new Error(`POST /v1/keys answered without a key: ${JSON.stringify(created)}`);

    log(`ingest: ${values.seconds} s of load, ${values.concurrency} requests in flight`);
    const cpuBefore = server.cpuSeconds();
    const load = await runLoad(repoRoot, [...loadArgs, '--port', String(server.port), '--key', created.key, '--seconds', values.seconds]);
    const serverRow = describe('outlay serve, embedded DuckDB', load, server, cpuBefore);
    if (load.errors > 0) errors.push(`${load.errors} failed requests; first: ${load.firstError}`);

    // The server may acknowledge before its writes land (it answers 429 when they fall behind), so wait
    // for the stored count to catch up and report how long that took.
    const ackedMs = performance.now();
    let stats;
    for (;;) {
      stats = await call(server.url, adminKey, 'GET', `/v1/models/${model}/stats`, undefined, project);
      if (stats.predictions >= load.acceptedRows || performance.now() - ackedMs > 60_000) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const catchUpMs = performance.now() - ackedMs;
    if (stats.predictions !== load.acceptedRows) {
      errors.push(`stored predictions ${stats.predictions} ≠ accepted ${load.acceptedRows} (after ${Math.round(catchUpMs)} ms)`);
    }
    rows.push(serverRow);
    metrics = {
      predictionsPerSecond: load.predictionsPerSecond,
      ackP99Ms: load.ackMs.p99,
      storedPredictions: stats.predictions,
      // Throughput counted until the rows were queryable, not just acknowledged.
      storedPerSecond: Math.round(stats.predictions / ((load.wallMs + catchUpMs) / 1000)),
      catchUpMs: Math.round(catchUpMs),
      bodyBytes: load.bodyBytes,
    };
  } catch (error) {
    if (server === undefined) throw error;
    throw new Error(`${error.message}\n--- server output (tail) ---\n${server.output().slice(-4000)}`, { cause: error });
  } finally {
    await server?.stop();
    await rm(dataDir, { recursive: true, force: true });
  }

  return {
    metrics,
    errors,
    tables: [
      {
        columns: ['server', 'predictions/s', 'ack p50 ms', 'p95', 'p99', 'max', 'batches', '429s', 'errors', 'peak RSS MiB', 'server cores busy', 'load cores busy'],
        rows,
      },
    ],
    notes: [
      `${values.batch} predictions × ${values.features} numeric features per batch (JSON array, ${Math.round(metrics.bodyBytes / 1024)} KiB), ` +
        `${values.concurrency} requests in flight, ${values.seconds} s (baseline ${values['baseline-seconds']} s), keep-alive node:http from a separate process.`,
      `predictions/s = accepted rows / wall time of the load. Rows queryable through /v1/models/${model}/stats: ` +
        `${count(metrics.storedPredictions)} (= accepted), ${count(metrics.catchUpMs)} ms after the last ack; ` +
        `${count(metrics.storedPerSecond)} predictions/s counted until then.`,
      'The load generator and the server share the machine\'s cores, as they would on a laptop; the sink row shows what that leaves.',
      'Peak RSS is VmHWM of the server process; cores busy is its CPU time (user + system, /proc/PID/stat) over the load\'s wall time.',
    ],
  };
}

function count(value) {
  return value.toLocaleString('en-US');
}

/** One table row; reads the server's CPU time and peak RSS right after the load, before anything else runs. */
function describe(label, load, server, cpuBeforeSeconds) {
  const cpuAfterSeconds = server.cpuSeconds();
  const peakRssBytes = server.peakRssBytes();
  const serverCoresBusy =
    cpuBeforeSeconds === null || cpuAfterSeconds === null ? 'n/a' : Math.round(((cpuAfterSeconds - cpuBeforeSeconds) / (load.wallMs / 1000)) * 100) / 100;
  return [
    label,
    load.predictionsPerSecond,
    load.ackMs.p50,
    load.ackMs.p95,
    load.ackMs.p99,
    load.ackMs.max,
    load.batches,
    load.status429,
    load.errors,
    peakRssBytes === null ? 'n/a' : Math.round(peakRssBytes / 1024 / 1024),
    serverCoresBusy,
    load.coresBusy,
  ];
}

async function startOutlay(repoRoot, dataDir, adminKey, nodeArgs) {
  const cli = path.join(repoRoot, 'packages/cli/bin/outlay.js');
  const env = { OUTLAY_ADMIN_KEY: adminKey };
  try {
    return await startServer([...nodeArgs, cli, 'serve', '--port', '0', '--data', dataDir, '--no-demo'], { cwd: repoRoot, env });
  } catch (error) {
    // A server that refuses `--port 0` (or prints 0) gets a port picked here instead.
    const port = await freePort();
    try {
      return await startServer([...nodeArgs, cli, 'serve', '--port', String(port), '--data', dataDir, '--no-demo'], { cwd: repoRoot, env });
    } catch (retryError) {
      throw new Error(`outlay serve did not start with --port 0 (${error.message})\nnor with --port ${port} (${retryError.message})`);
    }
  }
}

/** One JSON request to the server outside the measured load (keys, stats). */
async function call(baseUrl, key, method, urlPath, body, projectName) {
  const headers = { authorization: `Bearer ${key}` };
  if (projectName !== undefined) headers['x-outlay-project'] = projectName;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${baseUrl}${urlPath}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${urlPath}: HTTP ${response.status}: ${text.slice(0, 500)}`);
  return JSON.parse(text);
}

function runLoad(repoRoot, loadArgs) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(repoRoot, 'bench/load-ingest.js'), ...loadArgs], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`load-ingest exited ${code}: ${stderr.slice(-2000)}`));
      try {
        resolve(JSON.parse(stdout));
      } catch {
        reject(new Error(`load-ingest printed no report: ${stdout.slice(0, 500)} ${stderr.slice(-2000)}`));
      }
    });
  });
}
