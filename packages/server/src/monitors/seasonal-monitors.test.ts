import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Monitor, ProjectConfig } from '@outlay/schema';
import { openDuckDbStore, type Store } from '@outlay/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticPredictions } from '../metrics/synthetic-predictions.js';
import { MonitorRunner } from './monitor-runner.js';

// The check on flights-like traffic: three airports, a weekly pattern (weekend delays are harder to
// predict: error 0.28 on Saturday and Sunday against 0.15 on weekdays), eight weeks of history ending on a
// Saturday; then one Sunday where one airport degrades (error 0.6).
const project = 'flights';
const DAY = 86_400_000;
const start = Date.UTC(2026, 0, 5); // a Monday
const historyDays = 55; // Monday 5 January … Saturday 28 February
const weekend = (ms: number) => [0, 6].includes(new Date(ms).getUTCDay());
const normal = (_: string, day: number) => (weekend(day) ? 0.28 : 0.15);

let store: Store;
let runner: MonitorRunner;

const monitors = {
  adjustedEwma: { id: 'adjusted-ewma', name: 'error, weekday-adjusted, EWMA', condition: { type: 'control_limits', smooth: 'ewma', reference_windows: 42 }, adjust: ['weekday'] },
  adjustedKalman: { id: 'adjusted-kalman', name: 'error, weekday-adjusted, Kalman', condition: { type: 'control_limits', smooth: 'kalman', reference_windows: 42 }, adjust: ['weekday'] },
  adjustedRelative: { id: 'adjusted-relative', name: 'error, weekday-adjusted, vs last week', condition: { type: 'relative', baseline_windows: 7, max_relative_change: 0.3, direction: 'increase' }, adjust: ['weekday'] },
  rawRelative: { id: 'raw-relative', name: 'error, raw, vs last week', condition: { type: 'relative', baseline_windows: 7, max_relative_change: 0.3, direction: 'increase' } },
  ordAdjustedEwma: { id: 'ord-ewma', name: 'ORD error, adjusted, EWMA', slice: { column: 'origin', value: 'ORD' }, condition: { type: 'control_limits', smooth: 'ewma', reference_windows: 42 }, adjust: ['weekday'] },
  atlAdjustedEwma: { id: 'atl-ewma', name: 'ATL error, adjusted, EWMA', slice: { column: 'origin', value: 'ATL' }, condition: { type: 'control_limits', smooth: 'ewma', reference_windows: 42 }, adjust: ['weekday'] },
};

async function insert(fromDay: number, days: number, errorRate: (origin: string, day: number) => number, seed: number) {
  const { predictions, labels } = syntheticPredictions({ model: 'delay', startMs: start + fromDay * DAY, days, rowsPerOriginPerDay: 150, origins: ['ORD', 'ATL', 'DEN'], errorRate, seed, idPrefix: `w${fromDay}-` });
  await store.insertPredictions(project, predictions);
  await store.insertLabels(project, labels);
}

const statusOf = async (id: string) => (await runner.evaluate(project, id)).evaluation;

beforeAll(async () => {
  store = await openDuckDbStore(join(mkdtempSync(join(tmpdir(), 'outlay-seasonal-')), 's.duckdb'));
  await store.migrate();
  await insert(0, historyDays, normal, 101);
  await store.putConfig(
    project,
    ProjectConfig.parse({ monitors: Object.values(monitors).map((m) => Monitor.parse({ model: 'delay', metric: 'error_rate', window: 'day', ...m })) }),
  );
  runner = new MonitorRunner(store, { log: () => undefined });
});

afterAll(() => store.close());

describe('monitors on a weekly pattern', () => {
  it('does not fire an adjusted monitor on a normal Saturday, where the raw one does', async () => {
    expect(new Date(start + (historyDays - 1) * DAY).getUTCDay()).toBe(6);
    for (const m of [monitors.adjustedEwma, monitors.adjustedKalman, monitors.adjustedRelative, monitors.ordAdjustedEwma]) {
      const evaluation = await statusOf(m.id);
      expect(evaluation.status, `${m.id}: ${evaluation.reason}`).toBe('ok');
    }
    const raw = await statusOf(monitors.rawRelative.id);
    expect(raw.status, raw.reason).toBe('breach');
  });

  it('fires the adjusted monitors on a degradation in one airport, and not the other airport\'s', async () => {
    await insert(historyDays, 1, (origin, day) => (origin === 'ORD' ? 0.6 : normal(origin, day)), 202);
    // The airport's own EWMA and the all-airport jump against last week fire the same day; the all-airport EWMA,
    // which sees a third of the jump, needs more days (the smoothing's detection delay).
    for (const m of [monitors.ordAdjustedEwma, monitors.adjustedRelative]) {
      const evaluation = await statusOf(m.id);
      expect(evaluation.status, `${m.id}: ${evaluation.reason}`).toBe('breach');
      expect(evaluation.window_start).toBe(new Date(start + historyDays * DAY).toISOString());
    }
    const atl = await statusOf(monitors.atlAdjustedEwma.id);
    expect(atl.status, atl.reason).toBe('ok');
  });
});
