import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CostBucketName, PurchaseOptionName } from '@outlay/schema';
import { costBuckets, purchaseOptions } from '@outlay/stats';
import { openDuckDbStore, type Store } from '@outlay/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiKeys } from '../api-keys.js';
import { createApp } from '../create-app.js';

const adminKey = 'test-admin-key-0123456789abcdef0123456789';
const dir = mkdtempSync(join(tmpdir(), 'outlay-cost-routes-'));
let store: Store;
let call: (method: string, url: string, body?: unknown) => Promise<Response>;

beforeAll(async () => {
  store = await openDuckDbStore(join(dir, 'cost.duckdb'));
  await store.migrate();
  const { app } = createApp({ store, keys: new ApiKeys(store, adminKey) });
  call = async (method, url, body) =>
    app.request(url, {
      method,
      body: body === undefined ? null : typeof body === 'string' ? body : JSON.stringify(body),
      headers: { authorization: `Bearer ${adminKey}`, 'x-outlay-project': 'demo', 'content-type': 'application/json' },
    });
});

afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** One instance at $1/h for 730 h, plus $0.001 per prediction: $730 + $1,000 at a million predictions. */
const simple = (extra: Record<string, unknown> = {}) => ({
  scenarios: [
    {
      name: 'simple',
      volume: { predictions_per_month: 1_000_000, peak_to_mean: 1 },
      serving: { service_ms: 10, p99_ms: 200, price_per_hour_usd: 1, min_instances: 1 },
      costs: [{ name: 'annotation', bucket: 'variable.operations', driver: 'predictions', per_unit_usd: 0.001 }],
    },
  ],
  scales: [1, 10],
  ...extra,
});

interface Projection {
  scenarios: { scales: { total_usd: number; per_prediction_usd: number; marginal_per_prediction_usd: number | null }[]; levers: { lever: string; saving_usd_per_month: number; details: Record<string, unknown> }[] }[];
}

describe('POST /v1/cost/project', () => {
  it('projects a scenario file the way `outlay cost project` reads it', async () => {
    const res = await call('POST', '/v1/cost/project', simple());
    expect(res.status).toBe(200);
    const body = (await res.json()) as Projection;
    const [one, ten] = body.scenarios[0]!.scales;
    expect(one!.total_usd).toBeCloseTo(730 + 1000, 6);
    expect(one!.per_prediction_usd).toBeCloseTo(1730 / 1e6, 12);
    // 10 M predictions a month is 3.8/s at 10 ms each: still one instance, so the margin is annotation alone.
    expect(ten!.marginal_per_prediction_usd).toBeCloseTo(0.001, 9);
  });

  it('resolves serving prices from the default catalogue in the example file', async () => {
    const example = JSON.parse(readFileSync(new URL('../../../../docs/examples/cost-scenario.json', import.meta.url), 'utf8')) as object;
    const res = await call('POST', '/v1/cost/project', example);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Projection & { scenarios: { serving_price: { price_per_hour_usd: number } }[] };
    expect(body.scenarios).toHaveLength(2);
    expect(body.scenarios[1]!.serving_price.price_per_hour_usd).toBe(0.62);
    expect(body.scenarios[0]!.scales).toHaveLength(4);
  });

  it('prices the levers with hand-checked savings', async () => {
    const res = await call('POST', '/v1/cost/project', {
      ...simple(),
      levers: {
        // Half the predictions: $500 less annotation, the one instance stays.
        sampling_rate: 0.5,
        // 50 of 100 training hours on spot at 70% off with no interruptions: 50 × $2 × 0.7 = $70.
        spot: { share: 0.5, training_hours_per_month: 100, on_demand_price_per_hour_usd: 2, spot_discount: 0.7, interruptions_per_hour: 0, checkpoint_interval_hours: 1, checkpoint_write_hours: 0, restart_hours: 0 },
        // One instance all day, committed at 40% off: 730 × $1 × 0.4 = $292.
        commitment: { commit_discount: 0.4 },
      },
    });
    expect(res.status).toBe(200);
    const levers = ((await res.json()) as Projection).scenarios[0]!.levers;
    const saving = (name: string) => levers.find((l) => l.lever === name)!.saving_usd_per_month;
    expect(saving('sampling_rate')).toBeCloseTo(500, 6);
    expect(saving('spot_share')).toBeCloseTo(70, 6);
    expect(saving('commitment_level')).toBeCloseTo(292, 6);
    expect(levers.find((l) => l.lever === 'commitment_level')!.details.level).toBe(1);
  });

  it('reports a lever it cannot price on that lever and still projects the scenario', async () => {
    const res = await call('POST', '/v1/cost/project', {
      ...simple(),
      levers: { sampling_rate: 0.5, precision: { chosen: 'fp16', parameter_count: 4e9, overhead_gb: 1, memory_gb: 8, measured_service_ms: { fp32: 10, fp16: 6 } } },
    });
    // fp32 needs 17 GB on an 8 GB instance: the baseline itself cannot serve.
    expect(res.status).toBe(200);
    const scenario = ((await res.json()) as Projection).scenarios[0]!;
    expect(scenario.scales[0]!.total_usd).toBeCloseTo(1730, 6);
    const precision = scenario.levers.find((l) => l.lever === 'precision') as { saving_usd_per_month: number; error?: string };
    expect(precision.saving_usd_per_month).toBe(0);
    expect(precision.error).toMatch(/baseline fp32 fits no instance/);
    expect(scenario.levers.find((l) => l.lever === 'sampling_rate')!.saving_usd_per_month).toBeCloseTo(500, 6);
  });

  it('refuses a scenario with a missing field, naming it', async () => {
    const res = await call('POST', '/v1/cost/project', { scenarios: [{ name: 'x', volume: { peak_to_mean: 1 }, serving: { service_ms: 1, p99_ms: 10, price_per_hour_usd: 1 } }] });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('invalid_input');
    expect(body.error.message).toContain('scenarios[0].volume.predictions_per_month');
  });

  it('keeps the schema package’s buckets and purchase options equal to the stats package’s', () => {
    expect(CostBucketName.options).toEqual([...costBuckets]);
    expect(PurchaseOptionName.options).toEqual([...purchaseOptions]);
  });
});

describe('GET /v1/cost/capacity', () => {
  it('plans replicas as `outlay cost capacity` does', async () => {
    const res = await call('GET', '/v1/cost/capacity?qps=40&service_ms=100&p99_ms=500');
    expect(res.status).toBe(200);
    expect(((await res.json()) as { replicas: number }).replicas).toBe(6);
  });

  it('answers 400, not a number, for an objective no replica count meets', async () => {
    const res = await call('GET', '/v1/cost/capacity?qps=40&service_ms=100&p99_ms=100');
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/no replica count meets/);
  });
});
