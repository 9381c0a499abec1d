import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProjectConfig } from '@outlay/schema';
import { openDuckDbStore, type Store } from '@outlay/store';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ApiKeys } from '../api-keys.js';
import { createApp } from '../create-app.js';
import { startServer } from '../start-server.js';
import { syntheticPredictions } from '../metrics/synthetic-predictions.js';
import { AlertState } from './alert-state.js';
import { MonitorRunner } from './monitor-runner.js';
import { MonitorScheduler } from './monitor-scheduler.js';

const adminKey = 'test-admin-key-monitors-0123456789abcdef012';
const project = 'acme';
const DAY = 86_400_000;
const start = Date.UTC(2026, 0, 5);
const dir = mkdtempSync(join(tmpdir(), 'outlay-monitors-'));
let files = 0;

/** A webhook receiver on 127.0.0.1: records JSON bodies, or with `hang` never answers. */
async function receiver(mode: 'ok' | 'hang' = 'ok'): Promise<{ url: string; bodies: unknown[]; server: Server }> {
  const bodies: unknown[] = [];
  const server = createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (p: Buffer) => parts.push(p));
    req.on('end', () => {
      bodies.push(JSON.parse(Buffer.concat(parts).toString('utf8')));
      if (mode === 'ok') res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, bodies, server };
}
const servers: Server[] = [];

async function until(check: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function openStore(path = join(dir, `s-${files++}.duckdb`)): Promise<{ store: Store; path: string }> {
  const store = await openDuckDbStore(path);
  await store.migrate();
  return { store, path };
}

/** Days of fraud traffic, day i wrong with errorByDay[i]; one origin, 100 labelled rows a day. */
async function traffic(store: Store, fromDay: number, errorByDay: number[], rows = 100): Promise<void> {
  const { predictions, labels } = syntheticPredictions({
    model: 'fraud',
    startMs: start + fromDay * DAY,
    days: errorByDay.length,
    rowsPerOriginPerDay: rows,
    origins: ['ORD'],
    errorRate: (_, day) => errorByDay[Math.round((day - start) / DAY) - fromDay]!,
    seed: 11 + fromDay,
    idPrefix: `d${fromDay}-`,
  });
  await store.insertPredictions(project, predictions);
  await store.insertLabels(project, labels);
}

afterAll(async () => {
  for (const s of servers) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

describe('monitors over HTTP', () => {
  let store: Store;
  let call: (method: string, url: string, body?: unknown) => Promise<{ status: number; body: any }>; // eslint-disable-line @typescript-eslint/no-explicit-any
  beforeAll(async () => {
    ({ store } = await openStore());
    const { app } = createApp({ store, keys: new ApiKeys(store, adminKey) });
    call = async (method, url, body) => {
      const res = await app.request(url, {
        method,
        headers: { authorization: `Bearer ${adminKey}`, 'x-outlay-project': project, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: res.status, body: await res.json() };
    };
    await traffic(store, 0, [0.1, 0.1, 0.4]);
    await store.putConfig(project, ProjectConfig.parse({ models: [{ name: 'fraud', cost: { false_negative: 100 } }] }));
  });
  afterAll(() => store.close());

  it('creates, lists, reads, replaces and deletes monitors, kept in the project config', async () => {
    const created = await call('POST', '/v1/monitors', { name: 'fraud errors', model: 'fraud', metric: 'error_rate', condition: { type: 'static', op: '>', value: 0.25 } });
    expect(created.status).toBe(200);
    const id = created.body.id as string;
    expect(id).toMatch(/^[a-f0-9]{12}$/);
    expect(created.body).toMatchObject({ window: 'day', min_sample: 30, enabled: true, webhooks: [], adjust: [] });
    expect((await call('GET', '/v1/monitors')).body.monitors.map((m: { id: string }) => m.id)).toEqual([id]);
    expect((await call('GET', `/v1/monitors/${id}`)).body.name).toBe('fraud errors');
    expect((await call('GET', '/v1/config')).body.monitors[0]).toMatchObject({ id, metric: 'error_rate' });

    const replaced = await call('PUT', `/v1/monitors/${id}`, { name: 'fraud errors (hourly)', model: 'fraud', metric: 'error_rate', window: 'hour', condition: { type: 'static', op: '>', value: 0.3 } });
    expect(replaced.status).toBe(200);
    expect((await call('GET', `/v1/monitors/${id}`)).body).toMatchObject({ window: 'hour', name: 'fraud errors (hourly)' });

    const named = await call('POST', '/v1/monitors', { id: 'named', name: 'n', model: 'fraud', metric: 'predictions', threshold: 10 });
    expect(named.status).toBe(200);
    expect((await call('POST', '/v1/monitors', { id: 'named', name: 'n', model: 'fraud', metric: 'predictions', threshold: 10 })).status).toBe(409);

    expect((await call('DELETE', `/v1/monitors/${id}`)).body).toEqual({ deleted: true });
    expect((await call('DELETE', '/v1/monitors/named')).status).toBe(200);
    expect((await call('GET', `/v1/monitors/${id}`)).status).toBe(404);
    expect((await call('PUT', `/v1/monitors/${id}`, { name: 'x', model: 'fraud', metric: 'error_rate', threshold: 1 })).status).toBe(404);
    expect((await call('GET', '/v1/monitors')).body.monitors).toEqual([]);
  });

  it('refuses an unknown metric, a monitor without a condition, and a cost monitor on a matrix with a missing outcome', async () => {
    const unknown = await call('POST', '/v1/monitors', { name: 'x', model: 'fraud', metric: 'accuracy', threshold: 1 });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toMatch(/unknown metric "accuracy"/);
    expect((await call('POST', '/v1/monitors', { name: 'x', model: 'fraud', metric: 'error_rate' })).body.error.message).toMatch(/needs a condition/);
    const cost = await call('POST', '/v1/monitors', { name: 'x', model: 'fraud', metric: 'business_cost_per_1k', threshold: 1 });
    expect(cost.status).toBe(400);
    expect(cost.body.error.message).toMatch(/has no false_positive/);
    const badCondition = await call('POST', '/v1/monitors', { name: 'x', model: 'fraud', metric: 'error_rate', condition: { type: 'relative', baseline_windows: 0, max_relative_change: 0.1 } });
    expect(badCondition.status).toBe(400);
    expect(badCondition.body.error.message).toMatch(/condition\.baseline_windows/);
  });

  it('fires once across two evaluations and resolves once, with a Slack-compatible payload', async () => {
    const hook = await receiver();
    const { body: monitor } = await call('POST', '/v1/monitors', { name: 'errors up', model: 'fraud', metric: 'error_rate', condition: { type: 'static', op: '>', value: 0.25 }, webhooks: [hook.url] });
    const first = await call('POST', `/v1/monitors/${monitor.id}/evaluate`);
    expect(first.status).toBe(200);
    expect(first.body.evaluation).toMatchObject({ status: 'breach', window_start: new Date(start + 2 * DAY).toISOString(), limit: 0.25 });
    expect(first.body.alert.status).toBe('firing');
    const second = await call('POST', `/v1/monitors/${monitor.id}/evaluate`);
    expect(second.body.alert.status).toBe('firing');
    await until(() => hook.bodies.length >= 1);
    await new Promise((r) => setTimeout(r, 100));
    expect(hook.bodies).toHaveLength(1);
    const payload = hook.bodies[0] as { text: string; blocks: unknown[]; outlay: { event: string; monitor: { id: string }; evaluation: { value: number } } };
    expect(payload.text).toMatch(/FIRING: errors up/);
    expect(payload.blocks).toHaveLength(1);
    expect(payload.outlay).toMatchObject({ event: 'firing', project, monitor: { id: monitor.id } });

    await traffic(store, 3, [0.05]);
    expect((await call('POST', `/v1/monitors/${monitor.id}/evaluate`)).body.alert.status).toBe('resolved');
    expect((await call('POST', `/v1/monitors/${monitor.id}/evaluate`)).body.alert.status).toBe('resolved');
    await until(() => hook.bodies.length >= 2);
    await new Promise((r) => setTimeout(r, 100));
    expect(hook.bodies.map((b) => (b as { outlay: { event: string } }).outlay.event)).toEqual(['firing', 'resolved']);

    const alerts = await call('GET', '/v1/alerts');
    const alert = AlertState.parse(alerts.body.alerts.find((a: { monitor_id: string }) => a.monitor_id === monitor.id));
    expect(alert.notifications.map((n) => [n.event, n.status])).toEqual([['firing', 'delivered'], ['resolved', 'delivered']]);
    expect((await call('GET', '/v1/alerts?status=firing')).body.alerts).toEqual([]);
    expect((await call('GET', '/v1/alerts?status=loud')).status).toBe(400);
  });

  it('records insufficient data, not a firing alert, when the window has too few labels', async () => {
    const { body: monitor } = await call('POST', '/v1/monitors', { name: 'strict', model: 'fraud', metric: 'error_rate', threshold: 0.01, min_sample: 1000 });
    const run = await call('POST', `/v1/monitors/${monitor.id}/evaluate`);
    expect(run.body.evaluation).toMatchObject({ status: 'insufficient_data', value: null });
    expect(run.body.evaluation.reason).toMatch(/fewer than min_sample 1000/);
    expect(run.body.alert.status).toBe('ok');
  });

  it('records an error, not a crash, for a monitor of an unknown model', async () => {
    const { body: monitor } = await call('POST', '/v1/monitors', { name: 'ghost', model: 'nope', metric: 'error_rate', threshold: 0.1 });
    const run = await call('POST', `/v1/monitors/${monitor.id}/evaluate`);
    expect(run.status).toBe(200);
    expect(run.body.evaluation).toMatchObject({ status: 'error' });
    expect(run.body.evaluation.reason).toMatch(/no model "nope"/);
    expect((await call('POST', '/v1/monitors/missing/evaluate')).status).toBe(404);
  });
});

describe('the monitor runner', () => {
  let store: Store;
  let path: string;
  afterEach(async () => {
    await store.close().catch(() => undefined);
  });

  async function withMonitor(webhooks: string[], id = 'm1', extra: Record<string, unknown> = {}) {
    const config = (await store.getConfig(project)) ?? ProjectConfig.parse({});
    config.monitors.push(ProjectConfig.shape.monitors.unwrap().element.parse({ id, name: id, model: 'fraud', metric: 'error_rate', threshold: 0.25, webhooks, ...extra }));
    await store.putConfig(project, config);
  }

  it('marks a timing-out webhook failed after bounded retries without holding up other webhooks or monitors', async () => {
    ({ store } = await openStore());
    await traffic(store, 0, [0.1, 0.4]);
    const dead = await receiver('hang');
    const alive = await receiver();
    await withMonitor([dead.url, alive.url], 'm1');
    await withMonitor([alive.url], 'm2');
    const log: string[] = [];
    const runner = new MonitorRunner(store, { log: (l) => log.push(l), webhook: { timeoutMs: 1000, attempts: 2, backoffMs: 50 } });
    const started = Date.now();
    const first = await runner.evaluate(project, 'm1');
    const second = await runner.evaluate(project, 'm2');
    // Neither evaluation waits for the dead webhook (2 × 1 s), and the live one is served meanwhile.
    expect(Date.now() - started).toBeLessThan(1000);
    expect([first.alert.status, second.alert.status]).toEqual(['firing', 'firing']);
    await until(() => alive.bodies.length === 2, 1000);
    await runner.idle();
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(2000);
    expect(elapsed).toBeLessThan(6000);
    expect(dead.bodies).toHaveLength(2);
    const m1 = (await runner.alerts(project)).find((a) => a.monitor_id === 'm1')!;
    const byUrl = Object.fromEntries(m1.notifications.map((n) => [n.url, n]));
    expect(byUrl[dead.url]).toMatchObject({ status: 'failed', attempts: 2, http_status: null, error: 'timed out after 1000 ms' });
    expect(byUrl[alive.url]).toMatchObject({ status: 'delivered', attempts: 1, http_status: 200 });
    expect(log.some((l) => l.includes('failed after 2 attempt(s)'))).toBe(true);
  });

  it('keeps the alert state across a restart: a firing alert does not notify again', async () => {
    ({ store, path } = await openStore());
    await traffic(store, 0, [0.1, 0.4]);
    const hook = await receiver();
    await withMonitor([hook.url]);
    const before = new MonitorRunner(store, { log: () => undefined });
    expect((await before.evaluate(project, 'm1')).alert.status).toBe('firing');
    await before.idle();
    await store.close();

    store = await openDuckDbStore(path);
    await store.migrate();
    const after = new MonitorRunner(store, { log: () => undefined });
    const [kept] = await after.alerts(project);
    expect(kept).toMatchObject({ monitor_id: 'm1', status: 'firing', window_start: new Date(start + DAY).toISOString() });
    expect(kept!.notifications).toMatchObject([{ event: 'firing', status: 'delivered' }]);
    expect((await after.evaluate(project, 'm1')).alert.status).toBe('firing');
    await after.idle();
    expect(hook.bodies).toHaveLength(1);
  });

  it('evaluates on a schedule, logs a failing monitor and goes on', async () => {
    ({ store } = await openStore());
    await traffic(store, 0, [0.1, 0.4]);
    const hook = await receiver();
    await withMonitor([hook.url], 'good');
    await withMonitor([], 'broken', { model: 'nope' });
    await withMonitor([hook.url], 'off', { enabled: false });
    await store.createKey({ id: 'k1', project, role: 'read', name: null, prefix: 'olk_k1', hash: '00', created_at: new Date().toISOString(), revoked_at: null });
    const log: string[] = [];
    const runner = new MonitorRunner(store, { log: (l) => log.push(l) });
    const scheduler = new MonitorScheduler(runner, 30, (l) => log.push(l));
    scheduler.start();
    await until(async () => (await runner.alerts(project)).length === 2 && log.filter((l) => l.includes('evaluations failed')).length >= 2);
    await scheduler.stop();
    await runner.idle();
    const alerts = Object.fromEntries((await runner.alerts(project)).map((a) => [a.monitor_id, a]));
    expect(alerts.good!.status).toBe('firing');
    expect(alerts.broken!.last_evaluation.status).toBe('error');
    expect(alerts.off).toBeUndefined();
    expect(hook.bodies).toHaveLength(1);
    expect(log.some((l) => l.includes('monitor acme/broken: evaluation failed'))).toBe(true);
  });
});

describe('the server', () => {
  it('evaluates monitors on its schedule and stops the scheduler on close', async () => {
    const data = mkdtempSync(join(tmpdir(), 'outlay-monitors-server-'));
    const server = await startServer({ port: 0, host: '127.0.0.1', dataDir: data, adminKey, demo: false, decodeThreads: 0, monitorIntervalMs: 50, log: () => undefined });
    try {
      const { predictions, labels } = syntheticPredictions({ model: 'fraud', startMs: start, days: 1, rowsPerOriginPerDay: 100, origins: ['ORD'], errorRate: () => 0.5, seed: 3 });
      await server.store.insertPredictions(project, predictions);
      await server.store.insertLabels(project, labels);
      const hook = await receiver();
      const res = await fetch(`${server.url}/v1/monitors`, {
        method: 'POST',
        headers: { authorization: `Bearer ${adminKey}`, 'x-outlay-project': project, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'scheduled', model: 'fraud', metric: 'error_rate', threshold: 0.3, webhooks: [hook.url] }),
      });
      expect(res.status).toBe(200);
      await until(() => hook.bodies.length === 1);
      const openapi = (await (await fetch(`${server.url}/openapi.json`, { headers: { authorization: `Bearer ${adminKey}` } })).json()) as { paths: Record<string, unknown> };
      expect(Object.keys(openapi.paths)).toEqual(expect.arrayContaining(['/v1/monitors', '/v1/alerts', '/v1/models/{model}/metrics']));
    } finally {
      await server.close();
    }
  });
});
