import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import type { Store } from '@outlay/store';
import { ApiKeys } from './api-keys.js';
import { createApp } from './create-app.js';
import { incidentOnFire } from './incidents/incident-on-fire.js';
import { MonitorRunner } from './monitors/monitor-runner.js';
import { MonitorScheduler } from './monitors/monitor-scheduler.js';
import { DecodePool } from './decode-pool.js';
import { resolveStore } from './open-store.js';

export interface ServerOptions {
  port: number;
  host: string;
  /** Folder of the embedded store (`outlay.duckdb`, unless `store` names another) and of `admin.key`. */
  dataDir: string;
  /** From OUTLAY_STORE or --store: a ClickHouse URL (see `resolveStore`); absent, the DuckDB file in `dataDir`. */
  store?: string;
  /** From OUTLAY_ADMIN_KEY: an admin key for deployments, never stored. */
  adminKey?: string;
  webRoot?: string;
  /** Load the flights demo into project `demo` on the first start. */
  demo: boolean;
  demoRows?: number;
  /** Worker threads decoding ingest bodies (default 1; 0 decodes on the main thread). */
  decodeThreads?: number;
  version?: string;
  log: (line: string) => void;
  /** How often the server evaluates every enabled monitor (default 60,000 ms; 0: never on this server). */
  monitorIntervalMs?: number;
}

export interface RunningServer {
  url: string;
  port: number;
  store: Store;
  /** Resolves when the demo (if any) finished loading. */
  demoLoaded: Promise<void>;
  close(): Promise<void>;
}

/** Opens the store, makes sure an admin key exists, serves the API and dashboard, and loads the demo once. */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const resolved = resolveStore({ url: options.store, dataDir: options.dataDir });
  // admin.key lives in dataDir whichever store holds the data.
  mkdirSync(options.dataDir, { recursive: true });
  const store = await resolved.open();
  await store.migrate();
  options.log(`store: ${resolved.kind} ${resolved.location}`);
  const keys = new ApiKeys(store, options.adminKey);
  await ensureAdminKey(store, keys, options);
  const decoder = new DecodePool(options.decodeThreads ?? 1);
  const { app } = createApp({ store, keys, decoder, webRoot: options.webRoot, version: options.version, log: options.log });
  // 0: this server leaves monitors to another (several servers on one ClickHouse cluster).
  const interval = options.monitorIntervalMs ?? 60_000;
  const monitors = interval === 0 ? null : new MonitorScheduler(new MonitorRunner(store, { log: options.log, onFire: incidentOnFire(store, options.log) }), interval, options.log);

  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, port: options.port, hostname: options.host }, () => resolve(s));
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${options.host === '0.0.0.0' ? '127.0.0.1' : options.host}:${port}`;
  options.log(`listening on ${url}`);
  monitors?.start();

  let stopping = false;
  const demoLoaded = options.demo ? loadDemoOnce(store, options, () => stopping) : Promise.resolve();
  let closing: Promise<void> | null = null;
  return {
    url,
    port,
    store,
    demoLoaded,
    close: () =>
      (closing ??= (async () => {
        stopping = true;
        await monitors?.stop();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        // Closing the store makes a demo load still running fail at its next write; it resumes on the next start.
        await store.close();
        await decoder.close();
        await demoLoaded;
      })()),
  };
}

async function ensureAdminKey(store: Store, keys: ApiKeys, options: ServerOptions): Promise<void> {
  if (options.adminKey) return;
  const active = (await store.listKeys('*')).filter((k) => k.role === 'admin' && k.revoked_at === null);
  const file = join(options.dataDir, 'admin.key');
  if (active.length > 0) {
    options.log(existsSync(file) ? `admin key: in ${file}` : 'admin key: created on first start (set OUTLAY_ADMIN_KEY to use your own)');
    return;
  }
  const { key } = await keys.create('*', 'admin', 'created on first start');
  writeFileSync(file, `${key}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  options.log(`created an admin key (shown once, also written to ${file}, mode 0600):\n  ${key}`);
}

async function loadDemoOnce(store: Store, options: ServerOptions, stopping: () => boolean): Promise<void> {
  if ((await store.getMeta('demo_loaded')) !== null) return;
  const { loadDemo } = await import('@outlay/demo');
  options.log('loading the demo (real US flights, Jan–Jun 2001, as a delay model\'s predictions) into project "demo"…');
  const started = Date.now();
  let lastShown = 0;
  try {
    const result = await loadDemo(store, {
      maxRows: options.demoRows,
      onProgress: (done: number, total: number) => {
        const now = Date.now();
        if (now - lastShown > 5000 || done === total) {
          lastShown = now;
          options.log(`demo: ${done.toLocaleString('en-US')} / ${total.toLocaleString('en-US')} predictions`);
        }
      },
    });
    await store.setMeta('demo_loaded', new Date().toISOString());
    options.log(`demo loaded in ${((Date.now() - started) / 1000).toFixed(1)} s: ${JSON.stringify(result)}`);
  } catch (error) {
    if (stopping()) options.log('demo load stopped by the shutdown; it resumes on the next start (rows already in are kept once)');
    else options.log(`demo load failed (the server keeps running; restart to retry): ${error instanceof Error ? error.message : String(error)}`);
  }
}
