import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HealthReport } from '@outlay/analysis';
import { runMain } from '../../test-support/run-main.js';
import { runSql } from '../../test-support/run-sql.js';

const dir = mkdtempSync(join(tmpdir(), 'outlay-health-annotation-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string) => join(dir, name);

async function json(argv: string[]): Promise<HealthReport> {
  const result = await runMain(['health', ...argv, '--format', 'json']);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as HealthReport;
}

/**
 * 10 days × 500 rows from 2026-03-02; every 5th row is labelled by an annotator (source "annotation"), the
 * rest by ground truth. Predictions are wrong with probability 5 %, and on the last day with the probability
 * `lastDay` gives.
 */
const batches = (lastDay: string) => `
  WITH r AS (SELECT i, i // 500 AS day, (hash(i, 5) % 1000000) / 1e6 AS u1, (hash(i, 55) % 1000000) / 1e6 AS u2 FROM range(5000) t(i))
  SELECT DATE '2026-03-02' + day::INTEGER AS day, (u1 < 0.3)::INTEGER AS y,
    CASE WHEN u2 < (CASE WHEN day = 9 THEN ${lastDay} ELSE 0.05 END) THEN 1 - (u1 < 0.3)::INTEGER ELSE (u1 < 0.3)::INTEGER END AS p,
    CASE WHEN i % 5 = 0 THEN ' Annotation' ELSE 'ground_truth' END AS source
  FROM r`;
/**
 * 10 days × 200 annotated rows; `hard` rows are wrong on 3 of every 10 (30 %), `easy` rows on 1 of every 20
 * (5 %), on every day. Hard rows are 10 % of days 0–8 and 60 % of day 9: the last batch errs more only
 * because it holds more hard cases.
 */
const moreHardCases = `
  WITH r AS (SELECT i, i // 200 AS day, i % 200 AS j, CASE WHEN i // 200 < 9 THEN 20 ELSE 120 END AS hard FROM range(2000) t(i)),
  s AS (SELECT *, CASE WHEN j < hard THEN 'hard' ELSE 'easy' END AS kind, CASE WHEN j < hard THEN j ELSE j - hard END AS k FROM r)
  SELECT DATE '2026-03-02' + day::INTEGER AS day, kind, 0 AS y, CASE WHEN (kind = 'hard' AND k % 10 < 3) OR (kind = 'easy' AND k % 20 = 0) THEN 1 ELSE 0 END AS p,
    'annotation' AS source
  FROM s`;
const args = ['--time', 'day', '--target', 'y', '--prediction', 'p', '--cost-fn', '10', '--cost-fp', '1'];

beforeAll(async () => {
  await runSql([
    // Annotated rows 25 % wrong on the last day, the others never: the day's error rate stays near 5 %.
    `COPY (${batches('CASE WHEN i % 5 = 0 THEN 0.25 ELSE 0 END')}) TO '${file('annotators-see-it.csv')}' (HEADER)`,
    `COPY (${batches('CASE WHEN i % 5 = 1 THEN 0.25 ELSE 0.05 END')}) TO '${file('annotators-miss-it.csv')}' (HEADER)`,
    `COPY (SELECT *, CASE WHEN i % 5 = 0 THEN 'annotation' END AS source FROM (SELECT DATE '2026-03-02' + (i // 100)::INTEGER AS day, i,
            (hash(i) % 100)::DOUBLE AS sold, (hash(i) % 100)::DOUBLE + CASE WHEN i % 2 = 0 THEN 2 ELSE -1 END AS forecast FROM range(1000) t(i)))
          TO '${file('demand.csv')}' (HEADER)`,
    `COPY (${moreHardCases}) TO '${file('more-hard-cases.csv')}' (HEADER)`,
  ]);
});

describe('outlay health: annotated batches (--label-source)', () => {
  it('flags the latest annotated batch as worse than the earlier ones when its error rate jumps', async () => {
    const report = await json(['--input', file('annotators-see-it.csv'), ...args, '--label-source', 'source']);
    const a = report.annotation!;
    expect(a.source_column).toBe('source');
    expect(a.batches).toHaveLength(10);
    expect(a.batches.every((b) => b.n === 100)).toBe(true);
    const t = a.latest_batch_worse;
    expect(t).toMatchObject({ metric: 'error_rate', worse: true, insufficient_data: false, reason: null, method: 'two-proportion-z' });
    expect(t.latest).toMatchObject({ start: '2026-03-11T00:00:00Z', n: 100 });
    expect(t.earlier).toMatchObject({ batches: 9, n: 900 });
    expect(t.latest!.value).toBe(a.batches[9]!.error_rate);
    expect(t.difference!).toBeGreaterThan(0.1);
    expect(t.p_value!).toBeLessThan(0.001);
    expect(a.latest_batch_costlier).toMatchObject({ metric: 'mean_cost_usd', worse: true });
  });

  it('does not flag the annotated batch when only ground-truth rows got worse, and exits 1 on a worse batch with --fail-on-alert', async () => {
    const report = await json(['--input', file('annotators-miss-it.csv'), ...args, '--label-source', 'source']);
    expect(report.annotation!.latest_batch_worse.worse).toBe(false);
    expect(report.annotation!.latest_batch_worse.p_value!).toBeGreaterThan(0.05);
    // The windows' cost alone raises no alert: exit 1 comes from the annotated batch.
    expect((await runMain(['health', '--input', file('annotators-see-it.csv'), ...args, '--fail-on-alert'])).code).toBe(0);
    const failing = await runMain(['health', '--input', file('annotators-see-it.csv'), ...args, '--label-source', 'source', '--fail-on-alert']);
    expect(failing.code).toBe(1);
    expect(failing.stdout).toMatch(/latest batch \(2026-03-11T00:00:00Z, n 100\) error_rate .* WORSE/);
  });

  it('does not call a batch worse that only holds more hard cases once compared within --segments (Cochran–Mantel–Haenszel)', async () => {
    const report = await json(['--input', file('more-hard-cases.csv'), ...args, '--label-source', 'source', '--segments', 'kind']);
    const a = report.annotation!;
    expect(a.latest_batch_worse.worse).toBe(true);
    expect(a.latest_batch_worse_adjusted).toMatchObject({ by: ['kind'], method: 'cochran-mantel-haenszel', strata: 2, strata_used: 2, worse: false, insufficient_data: false });
    expect(a.latest_batch_worse_adjusted!.common_odds_ratio).toBeCloseTo(1, 12);
    const text = await runMain(['health', '--input', file('more-hard-cases.csv'), ...args, '--label-source', 'source', '--segments', 'kind']);
    expect(text.stdout).toMatch(/within kind \(2 strata, Cochran–Mantel–Haenszel\): common odds ratio 1.000/);
  });

  it('tests the mean row cost of a regressor by permutation', async () => {
    const report = await json(['--input', file('demand.csv'), '--time', 'day', '--target', 'sold', '--prediction', 'forecast', '--cost-under', '5', '--cost-over', '1', '--label-source', 'source']);
    const t = report.annotation!.latest_batch_worse;
    expect(t).toMatchObject({ metric: 'mean_cost_usd', method: 'permutation-monte-carlo', worse: false });
    expect(t.latest!.value).toBeCloseTo(3.5, 12);
    expect(report.annotation!.latest_batch_costlier).toBeNull();
  });

  it('says insufficient_data with a reason when no label comes from an annotator', async () => {
    const report = await json(['--input', file('annotators-see-it.csv'), ...args, '--label-source', 'p']);
    expect(report.annotation!.batches).toEqual([]);
    expect(report.annotation!.latest_batch_worse).toMatchObject({ insufficient_data: true, worse: false, p_value: null });
    expect(report.annotation!.latest_batch_worse.reason).toMatch(/no annotated batches \(no labelled row has source "annotation" in column "p"\)/);
  });

  it('exits 2 naming the file when the --label-source column does not exist', async () => {
    const result = await runMain(['health', '--input', file('annotators-see-it.csv'), ...args, '--label-source', 'origin']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/annotators-see-it\.csv: no column "origin" \(--label-source\)/);
  });
});
