import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mulberry32 } from '@outlay/stats';
import { openDuckDbStore, type Store } from '@outlay/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiKeys } from '../api-keys.js';
import { createApp } from '../create-app.js';
import type { Incident } from './incidents.js';
import { sliceFilter } from './incidents.js';

const adminKey = 'test-admin-key-0123456789abcdef0123456789';
const dir = mkdtempSync(join(tmpdir(), 'outlay-incidents-'));
const day = (d: number) => Date.UTC(2026, 0, d);
let store: Store;
let call: (method: string, url: string, body?: unknown) => Promise<Response>;

// A fraud model over three regions. Day 5 is healthy (labels drawn from the score); on day 6 the model is wrong
// about Asia: its labels are the opposite of the prediction there.
beforeAll(async () => {
  store = await openDuckDbStore(join(dir, 'incidents.duckdb'));
  await store.migrate();
  for (const d of [5, 6]) {
    const random = mulberry32(d);
    const rows = Array.from({ length: 3000 }, (_, i) => {
      const region = ['eu', 'us', 'asia'][i % 3]!;
      const score = 0.1 + 0.8 * random();
      const prediction = Number(score >= 0.5);
      const label = d === 6 && region === 'asia' ? 1 - prediction : Number(random() < score);
      return { row: { id: `d${d}-${i}`, model: 'fraud', timestamp: day(d) + i * 20_000, features: { amount: Math.round(1000 * random()), region }, prediction, score }, label };
    });
    await store.insertPredictions('acme', rows.map((r) => r.row));
    await store.insertLabels('acme', rows.map((r) => ({ id: r.row.id, label: r.label, timestamp: day(d) + 86_400_000, source: 'ground_truth' as const })));
  }
  const { app } = createApp({ store, keys: new ApiKeys(store, adminKey) });
  call = async (method, url, body) =>
    app.request(url, {
      method,
      headers: { authorization: `Bearer ${adminKey}`, 'x-outlay-project': 'acme', 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
});
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const windows = { model: 'fraud', reference_from: '2026-01-05', reference_to: '2026-01-06', current_from: '2026-01-06', current_to: '2026-01-07' };

describe('incidents', () => {
  let incident: Incident;

  it('opens an incident with the diagnosis, the root cause and failing rows from the stored windows', async () => {
    const res = await call('POST', '/v1/incidents', windows);
    incident = (await res.json()) as Incident;
    expect(res.status, JSON.stringify(incident)).toBe(200);
    expect(incident.rows).toEqual({ reference: 3000, current: 3000, sampled: false });
    expect(incident.diagnosis!.performance.current).toBeGreaterThan(incident.diagnosis!.performance.reference);
    expect(incident.diagnosis!.root_causes).toContainEqual({ region: 'asia' });
    expect(incident.diagnosis!.failure_types[0]!.type).not.toBe('none');
    expect(incident.sample_rows.worst).toHaveLength(10);
    for (const r of [...incident.sample_rows.worst, ...incident.sample_rows.random]) expect(r.label).not.toBe(r.prediction);
    expect(incident.sample_rows.worst.filter((r) => r.region === 'asia').length).toBeGreaterThanOrEqual(5);
    expect(incident.sample_rows.random.length).toBe(10);
  });

  it('lists and shows it, and exports the root cause slice as CSV', async () => {
    const list = (await (await call('GET', '/v1/incidents')).json()) as { incidents: { id: string; root_causes: unknown[] }[] };
    expect(list.incidents.map((i) => i.id)).toEqual([incident.id]);
    expect((await call('GET', `/v1/incidents/${incident.id}`)).status).toBe(200);
    const csv = await call('GET', `/v1/incidents/${incident.id}/export?format=csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('x-outlay-slice')).toBe(JSON.stringify({ region: 'asia' }));
    const lines = (await csv.text()).trim().split('\n');
    expect(lines[0]).toMatch(/^id,timestamp_ms,prediction,score,label,latency_ms,/);
    expect(lines).toHaveLength(1001);
    const parquet = await call('GET', `/v1/incidents/${incident.id}/export?window=reference&slice=false`);
    expect(parquet.headers.get('x-outlay-rows')).toBe('3000');
    expect(Buffer.from(await parquet.arrayBuffer()).subarray(0, 4).toString()).toBe('PAR1');
  });

  it('records a confirmed cause, which raises its dimension\u2019s prior in the next incident', async () => {
    const confirmed = await call('POST', `/v1/incidents/${incident.id}/confirm`, { type: 'interpolation', cause: { region: 'asia' }, note: 'new fraud ring in Asia' });
    expect(((await confirmed.json()) as Incident).confirmed).toMatchObject({ type: 'interpolation', cause: { region: 'asia' } });
    const next = (await (await call('POST', '/v1/incidents', windows)).json()) as Incident;
    const regionPriors = next.diagnosis!.root_cause_search!.explanations.filter((e) => Object.keys(e.slice).join() === 'region').map((e) => e.prior);
    expect(regionPriors.length).toBeGreaterThan(0);
    expect(Math.min(...regionPriors)).toBeGreaterThan(incident.diagnosis!.root_cause_search!.explanations.find((e) => Object.keys(e.slice).join() === 'region')!.prior);
  });

  it('opens an incident by itself when a monitor fires', async () => {
    const created = await call('POST', '/v1/monitors', { name: 'errors', model: 'fraud', metric: 'error_rate', window: 'day', condition: { type: 'static', op: '>', value: 0.45 } });
    expect(created.status).toBe(200);
    const { id } = (await created.json()) as { id: string };
    const run = (await (await call('POST', `/v1/monitors/${id}/evaluate`)).json()) as { alert: { status: string } };
    expect(run.alert.status).toBe('firing');
    type Listed = { trigger: { kind: string; monitor_id?: string }; failure_type: string | null; current: { from: string } };
    let opened: Listed | undefined;
    for (let i = 0; i < 100 && !opened; i++) {
      const list = (await (await call('GET', '/v1/incidents')).json()) as { incidents: Listed[] };
      opened = list.incidents.find((x) => x.trigger.kind === 'monitor');
      if (!opened) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(opened).toMatchObject({ trigger: { kind: 'monitor', monitor_id: id }, current: { from: '2026-01-06T00:00:00.000Z' } });
    expect(opened!.failure_type).not.toBeNull();
  });

  it('ranks the worst failing rows by business cost when the model has a cost matrix', async () => {
    await call('PUT', '/v1/config', { models: [{ name: 'fraud', cost: { false_negative: 100, false_positive: 1, amount_feature: 'amount' } }] });
    const priced = (await (await call('POST', '/v1/incidents', windows)).json()) as Incident;
    const worst = priced.sample_rows.worst;
    // Every shown row is a missed fraud (label 1, predicted 0), the costliest first by 100 + amount.
    expect(worst.every((r) => r.label === 1 && r.prediction === 0)).toBe(true);
    const amounts = worst.map((r) => r.amount as number);
    expect(amounts).toEqual([...amounts].sort((a, b) => b - a));
    await call('PUT', '/v1/config', {});
  });

  it('answers 400 or 404 with a message for bad requests', async () => {
    expect((await call('POST', '/v1/incidents', { ...windows, model: 'nope' })).status).toBe(404);
    const bad = await call('POST', '/v1/incidents', { model: 'fraud' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(/reference_from/);
    expect((await call('GET', '/v1/incidents/nope')).status).toBe(404);
    expect((await call('POST', `/v1/incidents/${incident.id}/confirm`, { type: 'gremlins' })).status).toBe(400);
    const empty = (await (await call('POST', '/v1/incidents', { ...windows, current_from: '2026-02-01', current_to: '2026-02-02' })).json()) as Incident;
    expect(empty.diagnosis).toBeNull();
    expect(empty.reason).toMatch(/no predictions/);
  });
});

describe('sliceFilter', () => {
  it('reads categories and bins back as SQL, and gives up on values that are not filters', () => {
    expect(sliceFilter({ region: "o'hare" })).toBe(`"region"::VARCHAR = 'o''hare'`);
    expect(sliceFilter({ distance: '[564, 692)' })).toBe('TRY_CAST("distance" AS DOUBLE) >= 564 AND TRY_CAST("distance" AS DOUBLE) < 692');
    expect(sliceFilter({ distance: 'below range' })).toBeNull();
  });
});
