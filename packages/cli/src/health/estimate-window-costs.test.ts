import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HealthReport } from '@outlay/analysis';
import { runMain } from '../../test-support/run-main.js';
import { runSql } from '../../test-support/run-sql.js';

const dir = mkdtempSync(join(tmpdir(), 'outlay-health-cbpe-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string) => join(dir, name);

async function json(argv: string[]): Promise<HealthReport> {
  const result = await runMain(['health', ...argv, '--format', 'json']);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as HealthReport;
}

/**
 * 20 days × 1,000 predictions from 2026-02-02, seeded by hash(i, ·): score u uniform, prediction u ≥ 0.5, and
 * an overconfident model: P(y = 1) = u². With FN 10, FP 1 the expected cost per 1k is
 * 1000·(∫₀^½ 10u² du + ∫½¹ (1 − u²) du) = 625; read naively as probabilities the scores would say 1,375.
 * `truth` has every label; `late` keeps days 0–14, a 10 % sample of days 15–17 and nothing of days 18–19.
 */
const population = `
  WITH r AS (SELECT i, i // 1000 AS day, (hash(i, 7) % 1000000) / 1e6 AS u1, (hash(i, 77) % 1000000) / 1e6 AS u2,
    (hash(i, 777) % 1000000) / 1e6 AS u3 FROM range(20000) t(i))
  SELECT TIMESTAMP '2026-02-02' + to_days(day::INTEGER) + to_seconds((i % 1000) * 60) AS ts, day, u3, u1 AS score,
    (u1 >= 0.5)::INTEGER AS p, (u2 < u1 * u1)::INTEGER AS y
  FROM r`;
const args = ['--time', 'ts', '--target', 'y', '--prediction', 'p', '--cost-fn', '10', '--cost-fp', '1'];

let truthPer1k: number[] = [];

beforeAll(async () => {
  await runSql([
    `COPY (SELECT ts, score, p, y FROM (${population})) TO '${file('truth.parquet')}' (FORMAT parquet)`,
    `COPY (SELECT ts, score, p, CASE WHEN day < 15 OR (day < 18 AND u3 < 0.1) THEN y END AS y FROM (${population})) TO '${file('late.parquet')}' (FORMAT parquet)`,
    `COPY (SELECT ts, score, p, CASE WHEN day >= 5 AND day < 15 THEN y END AS y FROM (${population})) TO '${file('unlabelled-start.csv')}' (HEADER)`,
    `COPY (SELECT ts, score, p, y FROM (${population}) WHERE day < 5) TO '${file('reference.csv')}' (HEADER)`,
  ]);
  const truth = await json(['--input', file('truth.parquet'), ...args]);
  truthPer1k = truth.windows.map((w) => w.business_cost_per_1k!);
});

describe('outlay health: labels arrive late (CBPE)', () => {
  it('reports label coverage and estimates the cost of windows with few or no labels, the truth inside the band', async () => {
    const report = await json(['--input', file('late.parquet'), ...args, '--score', 'score']);
    expect(report.windows).toHaveLength(20);
    expect(report.windows.slice(0, 15).every((w) => w.label_coverage === 1)).toBe(true);
    for (const w of report.windows.slice(15, 18)) {
      expect(w.label_coverage).toBeGreaterThan(0.07);
      expect(w.label_coverage).toBeLessThan(0.13);
    }
    expect(report.windows.slice(18).map((w) => w.label_coverage)).toEqual([0, 0]);
    expect(report.estimation).toMatchObject({ status: 'ok', method: 'cbpe', calibration: 'isotonic', reference: 'earlier-windows', band: 'poisson-binomial', windows_estimated: 5 });
    // A 95 % band: with these seeds 4 of the 5 windows hold the realised cost (day 17 is 2.4 SE off), none beyond 3 SE.
    let inside = 0;
    report.windows.slice(15).forEach((w, k) => {
      expect(w.estimate_status).toBe('ok');
      expect(w.estimate_rows).toBe(1000);
      const truth = truthPer1k[15 + k]!;
      const standardError = (w.estimate_upper! - w.estimate_lower!) / (2 * 1.959964);
      if (truth >= w.estimate_lower! && truth <= w.estimate_upper!) inside++;
      expect(Math.abs(truth - w.estimated_business_cost_per_1k!)).toBeLessThan(3 * standardError);
      // Calibrated, not the naive 1,375 the raw scores would give.
      expect(Math.abs(w.estimated_business_cost_per_1k! - 625)).toBeLessThan(60);
    });
    expect(inside).toBeGreaterThanOrEqual(4);
    for (const w of report.windows.slice(0, 15)) {
      expect(w).toMatchObject({ estimate_status: 'not_needed', estimated_business_cost_per_1k: null });
      expect(w.estimate_reason).toMatch(/label coverage 1 ≥ --min-label-coverage 0.5/);
    }
    // No labels: the window says why it has no realised cost, and points at the estimate.
    expect(report.windows[19]).toMatchObject({ status: 'insufficient_data', business_cost_per_1k: null });
    expect(report.windows[19]!.reason).toMatch(/estimated_business_cost_per_1k/);
  });

  it('checks the estimate against the labels of every labelled window, calibrated on the earlier windows only', async () => {
    const report = await json(['--input', file('late.parquet'), ...args, '--score', 'score']);
    expect(report.windows[0]!.estimate_vs_realised).toBeNull();
    const checked = report.windows.filter((w) => w.estimate_vs_realised !== null && w.estimate_vs_realised !== undefined);
    expect(checked).toHaveLength(17);
    expect(report.estimation!.windows_checked).toBe(17);
    expect(report.estimation!.checked_within_band).toBeGreaterThanOrEqual(14);
    for (const w of checked) {
      expect(w.estimate_vs_realised!.realised_per_1k).toBeCloseTo(w.business_cost_per_1k!, 9);
      expect(w.estimate_vs_realised!.rows).toBe(w.labelled);
    }
  });

  it('says insufficient_data with a reason when a window has neither labels nor a calibration, and --reference fixes it', async () => {
    const noScore = await json(['--input', file('late.parquet'), ...args]);
    expect(noScore.windows[19]).toMatchObject({ status: 'insufficient_data', business_cost_per_1k: null, reason: 'no labelled rows in this window: no realised cost' });
    expect(noScore.windows[19]).not.toHaveProperty('estimated_business_cost_per_1k');
    expect(noScore).not.toHaveProperty('estimation');

    const first = await json(['--input', file('unlabelled-start.csv'), ...args, '--score', 'score']);
    expect(first.windows[0]).toMatchObject({ status: 'insufficient_data', estimate_status: 'insufficient_data', estimated_business_cost_per_1k: null });
    expect(first.windows[0]!.estimate_reason).toMatch(/no calibration: the earlier windows have 0 labelled row\(s\)/);
    expect(first.windows[0]!.reason).toMatch(/no labelled rows in this window, and no estimate/);
    expect(first.windows[16]!.estimate_status).toBe('ok');

    const withReference = await json(['--input', file('unlabelled-start.csv'), ...args, '--score', 'score', '--reference', file('reference.csv')]);
    expect(withReference.estimation).toMatchObject({ reference: 'file', reference_rows: 5000 });
    for (const w of withReference.windows.slice(0, 5)) {
      expect(w.estimate_status).toBe('ok');
      expect(Math.abs(w.estimated_business_cost_per_1k! - 625)).toBeLessThan(60);
    }
  });

  it('estimates partly labelled windows below --min-label-coverage and prints them in text format', async () => {
    const report = await json(['--input', file('late.parquet'), ...args, '--score', 'score', '--min-label-coverage', '0.05']);
    expect(report.windows.filter((w) => w.estimate_status === 'ok').map((w) => w.start)).toEqual(['2026-02-20T00:00:00Z', '2026-02-21T00:00:00Z']);
    const text = await runMain(['health', '--input', file('late.parquet'), ...args, '--score', 'score']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/estimates \(CBPE, 95 % band\) for windows with label coverage < 0.5:/);
    expect(text.stdout).toContain('2026-02-21T00:00:00Z');
  });

  it.each([
    ['--reference without --score', ['--reference', 'reference.csv'], /--reference: calibrates the CBPE estimates and needs --score/],
    ['a coverage above 1', ['--score', 'score', '--min-label-coverage', '2'], /--min-label-coverage: expected a share in \[0, 1\], got "2"/],
    ['a reference without the score column', ['--score', 'score', '--reference', 'truth-no-score.csv'], /truth-no-score\.csv: no column "score" \(--score, in --reference\)/],
  ])('exits 2 on %s', async (_what, extra, message) => {
    await runSql([`COPY (SELECT ts, y FROM (${population}) WHERE day < 2) TO '${file('truth-no-score.csv')}' (HEADER)`]);
    const fixed = extra.map((a) => (a.endsWith('.csv') ? file(a) : a));
    const result = await runMain(['health', '--input', file('late.parquet'), ...args, ...fixed]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stdout).toBe('');
  });
});
