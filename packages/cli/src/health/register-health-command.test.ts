import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HealthReport } from '@outlay/analysis';
import { runMain } from '../../test-support/run-main.js';
import { runSql } from '../../test-support/run-sql.js';

const dir = mkdtempSync(join(tmpdir(), 'outlay-health-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string) => join(dir, name);

/** Runs `outlay health …` through the real CLI entry (main.ts's exit-code rules). */
const run = (argv: string[]) => runMain(['health', ...argv]);

async function json(argv: string[]): Promise<HealthReport> {
  const result = await run([...argv, '--format', 'json']);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as HealthReport;
}

const sql = runSql;

const ROWS_PER_DAY = 2000;
/**
 * 60 days × 2,000 predictions from Monday 2026-01-05, seeded by hash(i, 42) (deterministic, thread-safe):
 * 30 % positives, 10 % of rows unlabelled, a wrong prediction with probability 5 % on weekdays and 9 % on
 * weekends, plus 3 points from day 45 on. With cost FN 10, FP 1 the cost per 1k is 3,700 × error rate:
 * 185 on weekdays, 333 on weekends, +111 after the step.
 */
const series = `
  WITH r AS (SELECT i, i // ${ROWS_PER_DAY} AS day, (hash(i, 42) % 1000000) / 1e6 AS u1, (hash(i, 4242) % 1000000) / 1e6 AS u2,
    (hash(i, 424242) % 1000000) / 1e6 AS u3 FROM range(${60 * ROWS_PER_DAY}) t(i)),
  e AS (SELECT *, TIMESTAMP '2026-01-05' + to_days(day::INTEGER) + to_seconds((i % ${ROWS_PER_DAY}) * 40) AS ts, (u1 < 0.3)::INTEGER AS truth,
    0.05 + CASE WHEN dayofweek(DATE '2026-01-05' + day::INTEGER) IN (0, 6) THEN 0.04 ELSE 0 END + CASE WHEN day >= 45 THEN 0.03 ELSE 0 END AS err FROM r)
  SELECT ts, CASE WHEN u3 < 0.1 THEN NULL ELSE truth END AS y, CASE WHEN u2 < err THEN 1 - truth ELSE truth END AS p, u1 AS score,
    ['a', 'b', 'c'][1 + i % 3] AS region
  FROM e`;

/**
 * A pure mix shift: 20 days × 1,000 rows; segment B (errs on every 5th row: 200 per 1k) goes from 20 % of the
 * traffic in days 0–9 to 60 % in days 10–19; A errs on every 50th row (20 per 1k). Exact rates, no noise:
 * the cost per 1k goes 56 → 128, all of it mix.
 */
const mixShift = `
  WITH r AS (SELECT i, i // 1000 AS day, i % 1000 AS j, CASE WHEN i // 1000 < 10 THEN 200 ELSE 600 END AS nb FROM range(20000) t(i)),
  s AS (SELECT *, CASE WHEN j < nb THEN 'B' ELSE 'A' END AS segment, CASE WHEN j < nb THEN j ELSE j - nb END AS k FROM r)
  SELECT DATE '2026-03-02' + day::INTEGER AS day, segment, 0 AS y, CASE WHEN (segment = 'B' AND k % 5 = 0) OR (segment = 'A' AND k % 50 = 0) THEN 1 ELSE 0 END AS p
  FROM s`;

beforeAll(async () => {
  await sql([
    `COPY (${series}) TO '${file('daily.parquet')}' (FORMAT parquet)`,
    `COPY (${series}) TO '${file('daily.csv')}' (HEADER)`,
    `COPY (${mixShift}) TO '${file('mix.csv')}' (HEADER)`,
    `COPY (SELECT * FROM (${mixShift}) WHERE false) TO '${file('empty.csv')}' (HEADER)`,
    `COPY (SELECT day, segment, CASE WHEN p = 1 THEN 2 ELSE 0 END AS y, p FROM (${mixShift})) TO '${file('three-classes.csv')}' (HEADER)`,
    `COPY (SELECT day, (hash(i) % 100)::DOUBLE AS sold, (hash(i) % 100)::DOUBLE + CASE WHEN i % 2 = 0 THEN 2 ELSE -1 END AS forecast
          FROM (SELECT DATE '2026-03-02' + (i // 100)::INTEGER AS day, i FROM range(1000) t(i))) TO '${file('demand.parquet')}' (FORMAT parquet)`,
  ]);
  writeFileSync(file('blank.csv'), '');
});

const stepArgs = ['--time', 'ts', '--target', 'y', '--prediction', 'p', '--cost-fn', '10', '--cost-fp', '1'];
const day = (report: HealthReport, start: string) => report.windows.findIndex((w) => w.start === start);

describe('outlay health', () => {
  it('alerts from day 45 on, not before, on a weekly pattern with a step in the error rate (EWMA on the adjusted series)', async () => {
    const report = await json(['--input', file('daily.parquet'), ...stepArgs, '--segments', 'region']);
    expect(report.windows).toHaveLength(60);
    expect(report.windows[0]).toMatchObject({ start: '2026-01-05T00:00:00Z', n: ROWS_PER_DAY });
    expect(report.windows[0]!.labelled).toBeGreaterThan(1700);
    expect(report.windows[0]!.labelled).toBeLessThan(1900);
    expect(report.adjustment).toMatchObject({ applied: true, day_of_week: true, hour_of_day: false });
    expect(report.smoothing).toMatchObject({ method: 'ewma', series: 'adjusted', reference_windows: 30, reference_source: 'first-half' });
    // The raw series shows the weekend pattern (333 vs 185); the adjusted one does not.
    const weekdays = report.windows.slice(0, 42).filter((_, i) => i % 7 < 5);
    const weekends = report.windows.slice(0, 42).filter((_, i) => i % 7 >= 5);
    const mean = (ws: typeof weekdays, key: 'business_cost_per_1k' | 'adjusted') => ws.reduce((s, w) => s + w[key]!, 0) / ws.length;
    expect(mean(weekends, 'business_cost_per_1k') - mean(weekdays, 'business_cost_per_1k')).toBeGreaterThan(100);
    expect(Math.abs(mean(weekends, 'adjusted') - mean(weekdays, 'adjusted'))).toBeLessThan(40);
    const alerted = report.windows.flatMap((w, i) => (w.alert ? [i] : []));
    expect(alerted.length).toBeGreaterThan(0);
    expect(Math.min(...alerted)).toBeGreaterThanOrEqual(45);
    expect(Math.min(...alerted)).toBeLessThanOrEqual(47);
    expect(report.alerts.map((a) => a.start)).toEqual(alerted.map((i) => report.windows[i]!.start));
    expect(report.alerts[0]).toMatchObject({ metric: 'business_cost_per_1k', series: 'adjusted', direction: 'above' });
    expect(report.alerts[0]!.value).toBeGreaterThan(report.alerts[0]!.limit);
    expect(report.mix_vs_rate.region).toMatchObject({ status: 'ok' });
  });

  it('regresses out a declared known factor and takes the reference from --reference-windows', async () => {
    const report = await json(['--input', file('daily.csv'), ...stepArgs, '--known-factors', 'score', '--reference-windows', '10']);
    expect(report.adjustment.applied).toBe(true);
    expect(report.adjustment.factors).toHaveProperty('score');
    expect(report.smoothing).toMatchObject({ reference_windows: 10, reference_source: '--reference-windows' });
    expect(day(report, '2026-03-05T00:00:00Z')).toBe(59);
    expect(report.windows.slice(0, 45).some((w) => w.alert)).toBe(false);
    expect(report.windows.slice(45).some((w) => w.alert)).toBe(true);
  });

  it('alerts at or after day 45 and not before with the Kalman filter', async () => {
    const report = await json(['--input', file('daily.parquet'), ...stepArgs, '--smoothing', 'kalman']);
    expect(report.smoothing.kalman).not.toBeNull();
    const alerted = report.windows.flatMap((w, i) => (w.alert ? [i] : []));
    expect(alerted.length).toBeGreaterThan(0);
    expect(Math.min(...alerted)).toBeGreaterThanOrEqual(45);
    for (const w of report.windows) expect(w.lower!).toBeLessThanOrEqual(w.upper!);
  });

  it('reports a pure mix shift as mix, not rate', async () => {
    const report = await json(['--input', file('mix.csv'), '--time', 'day', '--target', 'y', '--prediction', 'p', '--cost-fn', '10', '--cost-fp', '1', '--segments', 'segment']);
    const m = report.mix_vs_rate.segment!;
    if (m.status !== 'ok') throw new Error(m.reason);
    expect(m.baselineRate).toBeCloseTo(56, 9);
    expect(m.currentRate).toBeCloseTo(128, 9);
    expect(m.mix).toBeCloseTo(m.change, 9);
    expect(m.rate).toBeCloseTo(0, 9);
    expect(m.segments.map((s) => [s.segment, s.baselineShare, s.currentShare])).toEqual([['A', 0.8, 0.4], ['B', 0.2, 0.6]]);
    expect(m.baseline).toEqual({ from: '2026-03-02T00:00:00Z', to: '2026-03-11T00:00:00Z', windows: 10 });
  });

  it('prices a regressor with asymmetric under/over costs per window', async () => {
    // Half the rows over-predict by 2 (cost 1 per unit), half under-predict by 1 (cost 5 per unit): 3.5 USD a row.
    const report = await json(['--input', file('demand.parquet'), '--time', 'day', '--target', 'sold', '--prediction', 'forecast', '--cost-under', '5', '--cost-over', '1']);
    expect(report.task).toBe('regression');
    expect(report.windows).toHaveLength(10);
    for (const w of report.windows) expect(w.business_cost_per_1k).toBeCloseTo(3500, 9);
    expect(report.adjustment.applied).toBe(false);
  });

  it('prints a table in text format and exits 1 on an alert with --fail-on-alert', async () => {
    const result = await run(['--input', file('daily.parquet'), ...stepArgs, '--fail-on-alert']);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/start\s+n\s+labelled\s+cost\/1k\s+adjusted\s+smoothed\s+lower\s+upper\s+alert/);
    expect(result.stdout).toContain('2026-03-05T00:00:00Z');
    expect(result.stdout).toContain('ALERT');
  });

  it.each([
    ['a missing column', 'mix.csv', ['--prediction', 'pred'], /mix\.csv: no column "pred" \(--prediction\)/],
    ['a header-only file', 'empty.csv', ['--prediction', 'p'], /empty\.csv: the file has no rows/],
    ['an empty file', 'blank.csv', ['--prediction', 'p'], /blank\.csv: /],
    ['a non-binary target', 'three-classes.csv', ['--prediction', 'p'], /three-classes\.csv: column "y" \(--target\) has \d+ values other than 0 and 1/],
  ])('exits 2 naming the file and column on %s', async (_what, name, extra, message) => {
    const result = await run(['--input', file(name), '--time', 'day', '--target', 'y', ...extra, '--cost-fn', '10', '--cost-fp', '1']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stdout).toBe('');
  });

  it('exits 2 when a binary task has no cost of a false negative', async () => {
    const result = await run(['--input', file('mix.csv'), '--time', 'day', '--target', 'y', '--prediction', 'p', '--cost-fp', '1']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--cost-fn');
  });
});
