import { Monitor } from '@outlay/schema';
import { describe, expect, it } from 'vitest';
import type { MetricWindow } from '../metrics/compute-metric-series.js';
import { checkCondition } from './check-condition.js';

const DAY = 86_400_000;
const windows = (values: (number | null)[], sample = 100): MetricWindow[] =>
  values.map((value, t) => ({
    start: new Date(Date.UTC(2026, 0, 5) + t * DAY).toISOString(),
    startMs: Date.UTC(2026, 0, 5) + t * DAY,
    n: sample,
    labelled: sample,
    sample: t === 1 ? 3 * sample : sample,
    value,
    lower: null,
    upper: null,
    rowSd: null,
    sampled: false,
    reason: value === null ? 'insufficient_data' : null,
    detail: value === null ? '5 labelled rows, fewer than min_sample 30' : null,
  }));
const monitor = (condition: unknown, metric = 'error_rate') => Monitor.parse({ name: 'm', model: 'fraud', metric, condition });

describe('checkCondition', () => {
  it('compares with a static threshold in the direction it says', () => {
    expect(checkCondition(windows([0.1, 0.3]), monitor({ type: 'static', op: '>', value: 0.25 }))).toMatchObject({ status: 'breach', value: 0.3, limit: 0.25 });
    expect(checkCondition(windows([0.1, 0.3]), monitor({ type: 'static', op: '<', value: 0.25 })).status).toBe('ok');
  });

  it('compares with the sample-weighted mean of the baseline windows', () => {
    // Baseline over the last 2 windows before: (3·100·0.2 + 100·0.1) / 400 = 0.175; +20 % → 0.21.
    const check = checkCondition(windows([0.5, 0.2, 0.1, 0.22]), monitor({ type: 'relative', baseline_windows: 2, max_relative_change: 0.2, direction: 'increase' }));
    expect(check.limit).toBeCloseTo(0.21, 12);
    expect(check.status).toBe('breach');
    expect(check.reason).toMatch(/baseline of 0\.175 over 2 windows \(\+25\.7 %, allowed \+20\.0 %\)/);
    expect(checkCondition(windows([0.5, 0.2, 0.1, 0.22]), monitor({ type: 'relative', baseline_windows: 2, max_relative_change: 0.2, direction: 'decrease' })).status).toBe('ok');
  });

  it('is insufficient_data, never a breach, when the latest window has too few rows', () => {
    const check = checkCondition(windows([0.1, 0.2, null]), monitor({ type: 'static', op: '>', value: 0 }));
    expect(check).toMatchObject({ status: 'insufficient_data', value: null, reason: '5 labelled rows, fewer than min_sample 30' });
  });
});
