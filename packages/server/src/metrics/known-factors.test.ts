import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Monitor, ProjectConfig } from '@outlay/schema';
import { openDuckDbStore, type Store } from '@outlay/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiKeys } from '../api-keys.js';
import { createApp } from '../create-app.js';
import { adjustSeries } from './adjust-series.js';
import { MetricSeriesDocument } from './metric-series-document.js';

const DAY = 86_400_000;
const start = Date.UTC(2026, 0, 5); // a Monday

describe('adjustSeries with known factors', () => {
  // The series of golden/known-factors-wls.py: weekday effects, two known factors and a little noise.
  const golden = JSON.parse(readFileSync(new URL('./golden/known-factors-wls.json', import.meta.url), 'utf8')) as {
    intercept: number;
    weekday: number[];
    factors: { share: number; distance: number };
    residuals: number[];
    adjusted: number[];
  };
  const t = Array.from({ length: 28 }, (_, i) => i);
  const share = t.map((i) => 0.2 + (0.3 * ((i * 7) % 11)) / 10);
  const distance = t.map((i) => 800 + 50 * ((i * 5) % 9));
  const weights = t.map((i) => 100 + 10 * (i % 5));
  const values = t.map((i) => 0.1 + 0.3 * share[i]! + 0.0001 * distance[i]! + ([5, 6].includes(i % 7) ? 0.05 : 0) + 0.01 * Math.sin(1.3 * i));
  const starts = t.map((i) => start + i * DAY);

  it('gives the coefficients, residuals and adjusted series of statsmodels WLS', () => {
    const fit = adjustSeries(values, starts, weights, ['weekday'], values.length, { share, distance });
    expect(fit.applied).toBe(true);
    expect(fit.factors!.share).toBeCloseTo(golden.factors.share, 9);
    expect(fit.factors!.distance).toBeCloseTo(golden.factors.distance, 12);
    fit.dayOfWeek!.forEach((d, i) => expect(d).toBeCloseTo(golden.weekday[i]!, 9));
    fit.fitted!.forEach((f, i) => expect(values[i]! - f!).toBeCloseTo(golden.residuals[i]!, 9));
    fit.adjusted.forEach((a, i) => expect(a).toBeCloseTo(golden.adjusted[i]!, 9));
  });

  it('flattens a series a known factor explains exactly, and applies the fit to windows after the history', () => {
    const exact = share.map((s) => 0.1 + 0.3 * s);
    const fit = adjustSeries(exact, starts, weights, [], 20, { share });
    expect(fit.factors!.share).toBeCloseTo(0.3, 10);
    const mean = exact.slice(0, 20).reduce((a, b) => a + b, 0) / 20;
    for (const a of fit.adjusted) expect(a).toBeCloseTo(mean, 10);
  });

  it('says why it cannot fit a constant factor, and leaves the series raw', () => {
    const fit = adjustSeries(values, starts, undefined, [], values.length, { flat: values.map(() => 1) });
    expect(fit.applied).toBe(false);
    expect(fit.reason).toMatch(/cannot be fitted/);
    expect(fit.adjusted).toEqual(values);
  });
});

describe('the adjust forms in the project config', () => {
  it('accepts weekday, hour, known, a column and COLUMN=VALUE, and names a bad term', () => {
    expect(Monitor.parse({ name: 'm', model: 'fraud', metric: 'error_rate', adjust: ['weekday', 'known', 'distance', 'origin=ORD', 'hour_band=peak'] }).adjust).toEqual(['weekday', 'known', 'distance', 'origin=ORD', 'hour_band=peak']);
    const bad = Monitor.safeParse({ name: 'm', model: 'fraud', metric: 'error_rate', adjust: ['=ORD'] });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues[0]!.message).toMatch(/COLUMN=VALUE/);
    expect(ProjectConfig.safeParse({ models: [{ name: 'fraud', known_factors: ['weekday'] }] }).success).toBe(false);
    expect(ProjectConfig.parse({ models: [{ name: 'fraud', known_factors: ['tier=hard', 'distance'] }] }).models[0]!.known_factors).toEqual(['tier=hard', 'distance']);
  });
});

describe('GET /v1/models/:model/metrics?adjust=… with known factors', () => {
  const adminKey = 'test-admin-key-factors-0123456789abcdef0123';
  const dir = mkdtempSync(join(tmpdir(), 'outlay-factors-'));
  let store: Store;
  let call: (method: string, url: string, body?: unknown) => Promise<{ status: number; body: any }>; // eslint-disable-line @typescript-eslint/no-explicit-any
  // 21 days of 500 labelled rows; "hard" rows err on 40 %, "easy" ones on 10 %, and the share of hard rows moves
  // from day to day: the error rate is 0.1 + 0.3 × share of hard rows, exactly.
  const hardRows = (d: number) => 50 + 20 * ((d * 7 + 9) % 10);
  const days = 21;
  const range = `from=${new Date(start).toISOString()}&to=${new Date(start + days * DAY).toISOString()}`;

  beforeAll(async () => {
    store = await openDuckDbStore(join(dir, 'factors.duckdb'));
    await store.migrate();
    for (let d = 0; d < days; d++) {
      const hard = hardRows(d);
      const rows = Array.from({ length: 500 }, (_, i) => {
        const isHard = i < hard;
        const k = isHard ? i : i - hard;
        const wrong = k % 10 < (isHard ? 4 : 1);
        return { id: `d${d}-${i}`, model: 'fraud', timestamp: start + d * DAY + i * 60_000, features: { hardness: isHard ? 1 : 0, amount: 10 + (i % 7) }, segments: { tier: isHard ? 'hard' : 'easy' }, prediction: wrong ? 1 : 0, score: wrong ? 0.8 : 0.2 };
      });
      await store.insertPredictions('acme', rows);
      await store.insertLabels('acme', rows.map((r) => ({ id: r.id, label: 0, timestamp: r.timestamp + 1000, source: 'ground_truth' as const })));
    }
    await store.putConfig('acme', ProjectConfig.parse({ models: [{ name: 'fraud', cost: { false_negative: 100, false_positive: 10 }, known_factors: ['tier=hard'] }] }));
    const { app } = createApp({ store, keys: new ApiKeys(store, adminKey) });
    call = async (method, url, body) => {
      const res = await app.request(url, {
        method,
        headers: { authorization: `Bearer ${adminKey}`, 'x-outlay-project': 'acme', 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: res.status, body: await res.json() };
    };
  });
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function series(adjust: string): Promise<MetricSeriesDocument> {
    const res = await call('GET', `/v1/models/fraud/metrics?metric=error_rate&window=day&${range}&adjust=${encodeURIComponent(adjust)}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return MetricSeriesDocument.parse(res.body);
  }

  function expectFlat(doc: MetricSeriesDocument, name: string, coefficient: number): void {
    expect(doc.adjustment!.applied, doc.adjustment!.reason).toBe(true);
    expect(doc.adjustment!.factors.find((f) => f.name === name)!.coefficient).toBeCloseTo(coefficient, 9);
    const adjusted = doc.points.map((p) => p.adjusted!);
    for (const a of adjusted) expect(a).toBeCloseTo(adjusted[0]!, 9);
    for (const p of doc.points) expect(p.residual).toBeCloseTo(0, 9);
    // The raw series does move: the adjustment took something out.
    expect(Math.max(...doc.points.map((p) => p.value!)) - Math.min(...doc.points.map((p) => p.value!))).toBeGreaterThan(0.1);
  }

  it('regresses out the share of a segment value (tier=hard): the adjusted series is flat', async () => {
    const doc = await series('tier=hard');
    expectFlat(doc, 'tier=hard', 0.3);
    expect(doc.adjustment!.factors).toEqual([{ name: 'tier=hard', column: 'tier', value: 'hard', kind: 'share', coefficient: expect.any(Number) }]);
    doc.points.forEach((p, d) => {
      expect(p.factors).toEqual({ 'tier=hard': hardRows(d) / 500 });
      expect(p.value).toBeCloseTo(0.1 + (0.3 * hardRows(d)) / 500, 12);
    });
  });

  it('regresses out the mean of a numeric feature (hardness), with weekday, and the known factors of the config', async () => {
    expectFlat(await series('hardness'), 'hardness', 0.3);
    const both = await series('weekday,tier=hard');
    expectFlat(both, 'tier=hard', 0.3);
    expect(both.adjustment!.asked).toEqual(['weekday', 'tier=hard']);
    const known = await series('known');
    expectFlat(known, 'tier=hard', 0.3);
    expect(known.adjustment!.asked).toEqual(['known']);
  });

  it('answers 400 naming an unknown column, a string column without a value, or known without known_factors', async () => {
    const unknown = await call('GET', `/v1/models/fraud/metrics?metric=error_rate&${range}&adjust=weekday,colour`);
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toMatch(/no segment or feature "colour"/);
    const text = await call('GET', `/v1/models/fraud/metrics?metric=error_rate&${range}&adjust=tier`);
    expect(text.status).toBe(400);
    expect(text.body.error.message).toMatch(/tier=VALUE/);
    const bad = await call('GET', `/v1/models/fraud/metrics?metric=error_rate&${range}&adjust=${encodeURIComponent('=hard')}`);
    expect(bad.status).toBe(400);
    await store.putConfig('acme', ProjectConfig.parse({ models: [{ name: 'fraud', cost: { false_negative: 100, false_positive: 10 } }] }));
    const noKnown = await call('GET', `/v1/models/fraud/metrics?metric=error_rate&${range}&adjust=known`);
    expect(noKnown.status).toBe(400);
    expect(noKnown.body.error.message).toMatch(/known_factors/);
    await store.putConfig('acme', ProjectConfig.parse({ models: [{ name: 'fraud', cost: { false_negative: 100, false_positive: 10 }, known_factors: ['tier=hard'] }] }));
  });

  it('lets a monitor adjust for a known factor: the raw rate breaches, the adjusted one does not', async () => {
    const last = 0.1 + (0.3 * hardRows(days - 1)) / 500;
    const history = Array.from({ length: days - 1 }, (_, d) => 0.1 + (0.3 * hardRows(d)) / 500);
    const level = history.reduce((a, b) => a + b, 0) / history.length;
    expect(last).toBeGreaterThan(level + 0.03);
    const limit = (last + level) / 2;
    const condition = { type: 'static', op: '>', value: limit };
    const raw = await call('POST', '/v1/monitors', { id: 'raw', name: 'raw', model: 'fraud', metric: 'error_rate', condition });
    const adjusted = await call('POST', '/v1/monitors', { id: 'adjusted', name: 'adjusted', model: 'fraud', metric: 'error_rate', condition, adjust: ['tier=hard'] });
    expect(raw.status, JSON.stringify(raw.body)).toBe(200);
    expect(adjusted.status, JSON.stringify(adjusted.body)).toBe(200);
    const rawCheck = await call('POST', '/v1/monitors/raw/evaluate');
    expect(rawCheck.body.evaluation).toMatchObject({ status: 'breach' });
    const adjustedCheck = await call('POST', '/v1/monitors/adjusted/evaluate');
    expect(adjustedCheck.body.evaluation.status, JSON.stringify(adjustedCheck.body)).toBe('ok');
    expect(adjustedCheck.body.evaluation.value).toBeCloseTo(level, 9);
    const typo = await call('POST', '/v1/monitors', { name: 'typo', model: 'fraud', metric: 'error_rate', condition, adjust: ['tier=hard,x'] });
    expect(typo.status).toBe(400);
  });
});
