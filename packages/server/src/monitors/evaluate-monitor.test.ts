import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Monitor } from '@outlay/schema';
import { openDuckDbStore, type Store } from '@outlay/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticPredictions } from '../metrics/synthetic-predictions.js';
import { evaluateMonitor } from './evaluate-monitor.js';

const DAY = 86_400_000;
const start = Date.UTC(2026, 0, 5);
const dir = mkdtempSync(join(tmpdir(), 'outlay-evaluate-'));
let store: Store;
const monitor = Monitor.parse({ id: 'errors', name: 'error rate above 90%', model: 'delay', metric: 'error_rate', window: 'day', threshold: 0.9, min_sample: 30 });
const stubDay = start + 14 * DAY;

// Two weeks of 100 labelled rows a day, then a day with three: the traffic stopped just after midnight.
beforeAll(async () => {
  store = await openDuckDbStore(join(dir, 'e.duckdb'));
  await store.migrate();
  const full = syntheticPredictions({ model: 'delay', startMs: start, days: 14, rowsPerOriginPerDay: 100, origins: ['ORD'], errorRate: () => 0.2, seed: 3 });
  const stub = syntheticPredictions({ model: 'delay', startMs: stubDay, days: 1, rowsPerOriginPerDay: 3, origins: ['ORD'], errorRate: () => 0.2, seed: 4, idPrefix: 'stub-' });
  for (const part of [full, stub]) {
    await store.insertPredictions('acme', part.predictions);
    await store.insertLabels('acme', part.labels);
  }
});
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('evaluateMonitor at the end of a model\'s traffic', () => {
  it('judges the window before a finished window too thin to judge, and says so', async () => {
    const check = await evaluateMonitor(store, 'acme', monitor, null, stubDay + 2 * DAY);
    expect(check.status, JSON.stringify(check)).toBe('ok');
    expect(check.window_start).toBe(new Date(stubDay - DAY).toISOString());
    expect(check.reason).toMatch(/the last window, 2026-01-19T00:00:00.000Z, is over and too thin to judge \(3 labelled rows, fewer than min_sample 30\)/);
  });

  it('never passes over a window still in progress: it waits for rows', async () => {
    const check = await evaluateMonitor(store, 'acme', monitor, null, stubDay + 3_600_000);
    expect(check).toMatchObject({ status: 'insufficient_data', window_start: new Date(stubDay).toISOString() });
  });
});
