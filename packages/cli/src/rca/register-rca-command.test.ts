import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RcaReport } from '@outlay/analysis';
import { runMain } from '../../test-support/run-main.js';
import { runSql } from '../../test-support/run-sql.js';

const dir = mkdtempSync(join(tmpdir(), 'outlay-rca-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string) => join(dir, name);

/** Runs `outlay rca …` through the real CLI entry (main.ts's exit-code rules). */
const run = (argv: string[]) => runMain(['rca', ...argv]);

async function json(argv: string[]): Promise<RcaReport> {
  const result = await run([...argv, '--format', 'json']);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as RcaReport;
}

const sql = runSql;

/**
 * Raw request rows, seeded: region (4) × device (3) × model (5); errors 2 % everywhere, except in the current
 * period where eu × mobile errs at 20 %.
 */
const requests = (n: number, spike: boolean) => `
  SELECT ['eu', 'us', 'apac', 'latam'][1 + (i % 4)] AS region, ['mobile', 'desktop', 'tablet'][1 + ((i // 4) % 3)] AS device,
    'v' || (1 + ((i // 12) % 5))::VARCHAR AS model, 1 AS requests, (i * 0.37) % 1 AS latency,
    CASE WHEN ((i * 7919) % 1000) < (CASE WHEN ${spike} AND i % 4 = 0 AND (i // 4) % 3 = 0 THEN 200 ELSE 20 END) THEN 1 ELSE 0 END AS errors
  FROM range(${n}) t(i)`;

beforeAll(async () => {
  await sql([
    `COPY (${requests(120_000, false)}) TO '${file('base.parquet')}' (FORMAT parquet)`,
    `COPY (${requests(120_000, true)}) TO '${file('cur.parquet')}' (FORMAT parquet)`,
    `COPY (${requests(120_000, true)}) TO '${file('cur.csv')}' (HEADER)`,
    `COPY (SELECT * FROM (${requests(10, false)}) WHERE false) TO '${file('empty.csv')}' (HEADER)`,
    `COPY (SELECT *, 0 AS nothing FROM (${requests(100, false)})) TO '${file('zero.parquet')}' (FORMAT parquet)`,
    // Five days of the same traffic, then day 6 with the eu × mobile spike.
    `COPY (SELECT DATE '2026-11-01' + ((row_number() OVER ()) % 5)::INTEGER AS day, * FROM (${requests(60_000, false)})
          UNION ALL SELECT DATE '2026-11-06', * FROM (${requests(12_000, true)})) TO '${file('daily.parquet')}' (FORMAT parquet)`,
  ]);
  // A case in the public benchmark format: a, b, real, predict; a2 × b* up 50 %.
  const lines = ['a,b,real,predict'];
  for (let a = 1; a <= 4; a++) for (let b = 1; b <= 5; b++) lines.push(`a${a},b${b},${(100 + a * b) * (a === 2 ? 1.5 : 1)},${100 + a * b}`);
  writeFileSync(file('case.csv'), `${lines.join('\n')}\n`);
});

describe('outlay rca', () => {
  it('finds the eu × mobile error spike in raw rows as a rate change, aggregated in DuckDB', async () => {
    const report = await json(['--baseline', file('base.parquet'), '--current', file('cur.csv'), '--dimensions', 'region,device,model', '--metric', 'rate:errors/requests']);
    expect(report.root_causes).toEqual([{ region: 'eu', device: 'mobile' }]);
    expect(report.leaves).toBe(60);
    expect(report.explanations[0]).toMatchObject({ rank: 1, slice: { region: 'eu', device: 'mobile' }, kind: 'rate' });
    expect(report.explanations[0]!.explained_share).toBeGreaterThan(0.9);
    expect(report.change.delta).toBeGreaterThan(0);
    expect(report.decomposition.mix! + report.decomposition.rate!).toBeCloseTo(report.change.delta, 12);
  });

  it('explains the count of errors with sum:errors as the same slice', async () => {
    const report = await json(['--baseline', file('base.parquet'), '--current', file('cur.parquet'), '--dimensions', 'region,device', '--metric', 'sum:errors']);
    expect(report.root_causes).toEqual([{ region: 'eu', device: 'mobile' }]);
    expect(report.decomposition).toEqual({ mix: null, rate: null, dimension: null });
  });

  it('reads a benchmark case with --input --actual real --expected predict', async () => {
    const report = await json(['--input', file('case.csv'), '--dimensions', 'a,b', '--actual', 'real', '--expected', 'predict']);
    expect(report.root_causes).toEqual([{ a: 'a2' }]);
    expect(report.explanations[0]!.explained_share).toBeCloseTo(1, 9);
  });

  it('explains one window of a daily series against the median of the earlier windows', async () => {
    const report = await json(['--input', file('daily.parquet'), '--time', 'day', '--at', '2026-11-06', '--dimensions', 'region,device', '--metric', 'rate:errors/requests']);
    expect(report.root_causes).toEqual([{ region: 'eu', device: 'mobile' }]);
    expect(report.explanations[0]!.kind).toBe('rate');
  });

  it('exits 2 when --at names no window or no earlier window exists', async () => {
    const none = await run(['--input', file('daily.parquet'), '--time', 'day', '--at', '2027-01-01', '--dimensions', 'region']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/daily\.parquet: no row has day = 2027-01-01 \(--at\)/);
    const first = await run(['--input', file('daily.parquet'), '--time', 'day', '--at', '2026-11-01', '--dimensions', 'region']);
    expect(first.code).toBe(2);
    expect(first.stderr).toMatch(/no window before day = 2026-11-01/);
    const missing = await run(['--input', file('daily.parquet'), '--time', 'hour', '--at', '1', '--dimensions', 'region']);
    expect(missing.stderr).toMatch(/no column "hour" \(--time\)/);
  });

  it('answers "no change" for identical files', async () => {
    const report = await json(['--baseline', file('base.parquet'), '--current', file('base.parquet'), '--dimensions', 'region,device', '--metric', 'mean:latency']);
    expect(report.root_causes).toEqual([]);
    expect(report.note).toBe('no change');
  });

  it('prints a readable text report', async () => {
    const result = await run(['--baseline', file('base.parquet'), '--current', file('cur.parquet'), '--dimensions', 'region,device', '--metric', 'rate:errors/requests']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/root causes \(\d+\.\d% of the change\): region=eu & device=mobile/);
    expect(result.stdout).toMatch(/along \w+: mix .*, rate .* \(Kitagawa\)/);
  });

  it.each([
    [['--dimensions', 'region,colour', '--metric', 'count'], /base\.parquet: no column "colour" \(--dimensions\)/],
    [['--dimensions', 'region', '--metric', 'rate:errors/visits'], /base\.parquet: no column "visits" \(--metric \(denominator\)\)/],
    [['--dimensions', 'region', '--metric', 'sum:region'], /column "region" \(--metric\) is VARCHAR, expected a number/],
    [['--dimensions', 'region', '--metric', 'median:latency'], /--metric: expected count, sum:col/],
  ])('exits 2 naming the file and column for %j', async (args, message) => {
    const result = await run(['--baseline', file('base.parquet'), '--current', file('cur.parquet'), ...args]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('exits 2 on an empty file', async () => {
    const result = await run(['--baseline', file('base.parquet'), '--current', file('empty.csv'), '--dimensions', 'region']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/empty\.csv: the file has no rows \(--current\)/);
  });

  it('takes priors from a project config: per dimension, per value, and the funnel\'s stages nearer the output likelier', async () => {
    // Two stages whose error counts rise alike: the data cannot tell them apart, the funnel order can.
    const lines = ['stage,region,real,predict'];
    for (const stage of ['detect', 'classify', 'extract']) for (const region of ['eu', 'us']) lines.push(`${stage},${region},150,100`);
    writeFileSync(file('stages.csv'), `${lines.join('\n')}\n`);
    writeFileSync(file('outlay.json'), JSON.stringify({ funnel: [{ name: 'detect' }, { name: 'classify' }, { name: 'extract' }], priors: { 'region:eu': 3 } }));
    const report = await json(['--input', file('stages.csv'), '--dimensions', 'stage,region', '--actual', 'real', '--expected', 'predict', '--config', file('outlay.json')]);
    const prior = (slice: Record<string, string>) => report.explanations.find((e) => JSON.stringify(e.slice) === JSON.stringify(slice))?.prior;
    expect(prior({ stage: 'extract' })! / prior({ stage: 'detect' })!).toBeCloseTo(2, 9);
    expect(prior({ region: 'eu' })! / prior({ region: 'us' })!).toBeCloseTo(3, 9);
    const bad = await run(['--input', file('stages.csv'), '--dimensions', 'stage', '--actual', 'real', '--expected', 'predict', '--config', file('stages.csv')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/stages\.csv \(--config\): /);
  });

  it('refuses more leaves than --max-leaves with a message that says what to do', async () => {
    const result = await run(['--baseline', file('base.parquet'), '--current', file('cur.parquet'), '--dimensions', 'region,device', '--max-leaves', '3']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/\d+ leaves \(distinct combinations of the dimensions\) exceed the 3 the search takes \(--max-leaves\); drop a high-cardinality dimension/);
  });

  it('exits 2 when the denominator is zero in every leaf', async () => {
    const result = await run(['--baseline', file('zero.parquet'), '--current', file('zero.parquet'), '--dimensions', 'region', '--metric', 'rate:errors/nothing']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/zero\.parquet.*: explainRateChange: the denominator is zero in every leaf/);
  });
});
