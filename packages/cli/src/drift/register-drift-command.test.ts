import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeDriftPlots, type DriftReport, escapeHtml } from '@outlay/analysis';
import { runMain } from '../../test-support/run-main.js';
import { runSql } from '../../test-support/run-sql.js';

const dir = mkdtempSync(join(tmpdir(), 'outlay-drift-'));
const flights = join(process.cwd(), 'node_modules/vega-datasets/data/flights-3m.parquet');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `outlay drift …` through the real CLI entry (main.ts's exit-code rules). */
const run = (argv: string[]) => runMain(['drift', ...argv]);

async function json(argv: string[]): Promise<DriftReport> {
  const result = await run([...argv, '--format', 'json']);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as DriftReport;
}

const sql = runSql;

const normal = 'sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random())';
/** Seeded rows: a, c, kind and label keep their distribution; b shifts by `shift`; colour gains a new value `purple`. */
const rows = (n: number, shift: number, drifted: boolean) => `
  SELECT ${normal} AS a, ${normal} + ${shift} AS b, CASE WHEN i % 50 = 0 THEN NULL ELSE random() END AS c,
    ['x', 'y', 'z'][1 + (i % 3)] AS kind,
    ${drifted ? "CASE WHEN i % 10 < 5 THEN 'purple' WHEN i % 10 < 8 THEN 'red' ELSE 'blue' END" : "CASE WHEN i % 10 < 6 THEN 'red' ELSE 'blue' END"} AS colour,
    (i % 2)::INTEGER AS label
  FROM range(${n}) t(i)`;

const file = (name: string) => join(dir, name);

beforeAll(async () => {
  const copy = (select: string, name: string, format = 'parquet') =>
    `COPY (${select}) TO '${file(name)}' (FORMAT ${format}${format === 'csv' ? ', HEADER' : ''})`;
  await sql([
    `SELECT setseed(0.1)`,
    `CREATE TABLE reference AS ${rows(3000, 0, false)}`,
    `SELECT setseed(0.2)`,
    `CREATE TABLE same AS ${rows(3000, 0, false)}`,
    `SELECT setseed(0.3)`,
    `CREATE TABLE drifted AS ${rows(3000, 1.5, true)}`,
    copy('SELECT * FROM reference', 'reference.parquet'),
    copy('SELECT * FROM same', 'same.parquet'),
    copy('SELECT * FROM drifted', 'drifted.parquet'),
    copy('SELECT * FROM reference', 'reference.csv', 'csv'),
    copy('SELECT * FROM drifted', 'drifted.csv', 'csv'),
    copy('SELECT * FROM reference LIMIT 0', 'empty.parquet'),
    `COPY (SELECT a, b, colour AS "<img src=x onerror=alert(1)>" FROM reference) TO '${file('injection-ref.parquet')}' (FORMAT parquet)`,
    `COPY (SELECT a, b, CASE WHEN colour = 'purple' THEN '<img src=x onerror=alert(1)>' ELSE colour END AS "<img src=x onerror=alert(1)>" FROM drifted) TO '${file('injection-cur.parquet')}' (FORMAT parquet)`,
    `COPY (SELECT a, c, kind, colour, label FROM drifted) TO '${file('no-b.parquet')}' (FORMAT parquet)`,
    `COPY (SELECT a, DATE '2026-01-01' + (i % 30)::INTEGER AS b FROM (SELECT a, rowid AS i FROM drifted)) TO '${file('b-date.parquet')}' (FORMAT parquet)`,
    // A pipeline gone wrong: a zeroed in 30% of rows, b arriving as text with 'N/A', c with NaN and Infinity,
    // kind stuck on one value, and ids repeated and reused from the reference.
    `COPY (SELECT row_number() OVER () AS id, * FROM reference) TO '${file('reference-ids.parquet')}' (FORMAT parquet)`,
    `COPY (SELECT (row_number() OVER ()) % 2990 + 2000 AS id,
        CASE WHEN rowid % 10 < 3 THEN 0 ELSE a END AS a,
        CASE WHEN rowid % 20 = 0 THEN 'N/A' ELSE b::VARCHAR END AS b,
        CASE WHEN rowid % 25 = 0 THEN 'NaN'::DOUBLE WHEN rowid % 40 = 1 THEN 'Infinity'::DOUBLE ELSE c END AS c,
        'x' AS kind, colour, label
      FROM same) TO '${file('broken.parquet')}' (FORMAT parquet)`,
    `COPY (SELECT a, b, a - 1 AS low, a + 1 AS high FROM reference) TO '${file('interval-ref.parquet')}' (FORMAT parquet)`,
    `COPY (SELECT a, b, a - 1 - 0.5 * random() AS low, a + 1 + 0.5 * random() AS high FROM same) TO '${file('interval-cur.csv')}' (FORMAT csv, HEADER)`,
    // Three classes; in the current file class "x" loses the a~b correlation, "y" and "z" keep theirs.
    `CREATE TABLE classes AS SELECT ['x', 'y', 'z'][1 + (i % 3)] AS kind, ${normal} AS a, ${normal} AS noise, i FROM range(3000) t(i)`,
    `COPY (SELECT kind, a, a + 0.3 * noise AS b, CASE kind WHEN 'x' THEN 0.7 WHEN 'y' THEN 0.2 ELSE 0.1 END AS p_x, CASE kind WHEN 'y' THEN 0.7 ELSE 0.15 END AS p_y,
        1 - (CASE kind WHEN 'x' THEN 0.7 WHEN 'y' THEN 0.2 ELSE 0.1 END) - (CASE kind WHEN 'y' THEN 0.7 ELSE 0.15 END) AS p_z FROM classes) TO '${file('classes-ref.parquet')}' (FORMAT parquet)`,
    `COPY (SELECT kind, a, CASE WHEN kind = 'x' THEN -a + 0.3 * noise ELSE a + 0.3 * noise END AS b, 0.34 AS p_x, 0.33 AS p_y, 0.33 AS p_z FROM classes) TO '${file('classes-cur.parquet')}' (FORMAT parquet)`,
    `COPY (SELECT * FROM same UNION ALL SELECT * FROM drifted) TO '${file('same-then-drifted.parquet')}' (FORMAT parquet)`,
    `COPY (SELECT TIMESTAMP '2026-03-01' + INTERVAL 1 DAY * (rowid // 125) AS at, * FROM reference) TO '${file('reference-timed.csv')}' (FORMAT csv, HEADER)`,
    `COPY (SELECT TIMESTAMP '2026-04-01' + INTERVAL 1 DAY * (i // 1000) AS at, * EXCLUDE (i) FROM (SELECT *, rowid AS i FROM same UNION ALL SELECT *, rowid + 3000 FROM drifted)) TO '${file('current-timed.csv')}' (FORMAT csv, HEADER)`,
    `COPY (SELECT * FROM read_parquet('${flights}') WHERE month(date) = 1) TO '${file('january.parquet')}' (FORMAT parquet)`,
    `COPY (SELECT * FROM read_parquet('${flights}') WHERE month(date) = 6) TO '${file('june.parquet')}' (FORMAT parquet)`,
    `COPY (SELECT * FROM read_parquet('${file('january.parquet')}') WHERE hash(date, delay, origin, destination) % 2 = 0) TO '${file('january-a.parquet')}' (FORMAT parquet)`,
    `COPY (SELECT * FROM read_parquet('${file('january.parquet')}') WHERE hash(date, delay, origin, destination) % 2 = 1) TO '${file('january-b.parquet')}' (FORMAT parquet)`,
  ]);
  writeFileSync(file('garbage.parquet'), 'this is not parquet\n');
}, 120_000);

describe('outlay drift', () => {
  it('prints every field of the DESIGN.md contract', async () => {
    const report = await json(['--reference', file('reference.parquet'), '--current', file('drifted.parquet'), '--target', 'label']);
    expect(Object.keys(report)).toEqual(expect.arrayContaining(['reference_rows', 'current_rows', 'columns', 'drifted_columns', 'dataset_drift', 'multivariate']));
    expect(report.reference_rows).toBe(3000);
    expect(report.current_rows).toBe(3000);
    expect(report.columns.map((c) => c.column)).toEqual(['a', 'b', 'c', 'kind', 'colour', 'label']);
    for (const c of report.columns) {
      expect(Object.keys(c)).toEqual(expect.arrayContaining(['column', 'kind', 'method', 'score', 'p_value', 'threshold', 'drift', 'missing', 'out_of_range_share', 'new_categories']));
      expect(Object.keys(c.missing).sort()).toEqual(['current_share', 'reference_share']);
      expect(typeof c.score).toBe('number');
      expect(Array.isArray(c.new_categories)).toBe(true);
    }
    expect(report.columns.find((c) => c.column === 'label')!.role).toBe('target');
    expect(Object.keys(report.multivariate!)).toEqual(expect.arrayContaining(['method', 'reference_error', 'current_error', 'lower', 'upper', 'drift']));
    expect(report.multivariate!.method).toBe('pca_reconstruction');
  });

  it('flags exactly the shifted numeric column and the changed categorical column', async () => {
    const report = await json(['--reference', file('reference.parquet'), '--current', file('drifted.parquet')]);
    const drifted = report.columns.filter((c) => c.drift).map((c) => c.column);
    expect(drifted).toEqual(['b', 'colour']);
    expect(report.drifted_columns).toBe(2);
    expect(report.dataset_drift).toBe(false);
    const b = report.columns.find((c) => c.column === 'b')!;
    expect(b).toMatchObject({ kind: 'numeric', method: 'wasserstein', p_value: null, threshold: 0.1 });
    expect(b.score!).toBeGreaterThan(1);
    const colour = report.columns.find((c) => c.column === 'colour')!;
    expect(colour).toMatchObject({ kind: 'categorical', method: 'jensenshannon', new_categories: ['purple'], new_category_counts: [{ value: 'purple', count: 1500 }] });
    // label has two values: categorical rule even though it is an integer column.
    expect(report.columns.find((c) => c.column === 'label')!.method).toBe('jensenshannon');
  });

  it('measures the share of current values outside the reference range and the missing shares', async () => {
    const report = await json(['--reference', file('reference.parquet'), '--current', file('drifted.parquet')]);
    const b = report.columns.find((c) => c.column === 'b')!;
    const a = report.columns.find((c) => c.column === 'a')!;
    const c = report.columns.find((col) => col.column === 'c')!;
    // The reference: one SQL statement over the files, independent of the command's queries.
    const [[expected]] = (await sql([
      `SELECT avg(CASE WHEN c.b < r.lo OR c.b > r.hi THEN 1 ELSE 0 END)
       FROM read_parquet('${file('drifted.parquet')}') c, (SELECT min(b) lo, max(b) hi FROM read_parquet('${file('reference.parquet')}')) r`,
    ])) as [[number]];
    expect(b.out_of_range_share).toBeCloseTo(expected, 12);
    // b shifted by 1.5 standard deviations: some current values lie above the reference maximum; a did not move.
    expect(b.out_of_range_share!).toBeGreaterThan(0.002);
    expect(a.out_of_range_share!).toBeLessThan(b.out_of_range_share!);
    expect(c.missing).toEqual({ reference_share: 0.02, current_share: 0.02 });
    expect(report.columns.find((col) => col.column === 'kind')!.out_of_range_share).toBeNull();
  });

  it('finds no drift anywhere between identical files, nor between two samples of one distribution', async () => {
    for (const current of ['reference.parquet', 'same.parquet']) {
      const report = await json(['--reference', file('reference.parquet'), '--current', file(current)]);
      expect(report.columns.filter((c) => c.drift)).toEqual([]);
      expect(report.dataset_drift).toBe(false);
      expect(report.multivariate!.drift).toBe(false);
      expect(report.columns.every((c) => c.new_categories.length === 0)).toBe(true);
    }
    const identical = await json(['--reference', file('reference.parquet'), '--current', file('reference.parquet')]);
    expect(identical.columns.every((c) => c.score === 0 && (c.out_of_range_share ?? 0) === 0)).toBe(true);
    expect(identical.multivariate!.current_error).toBeCloseTo(identical.multivariate!.reference_error, 12);
  });

  it('reads CSV like Parquet', async () => {
    const fromParquet = await json(['--reference', file('reference.parquet'), '--current', file('drifted.parquet')]);
    const fromCsv = await json(['--reference', file('reference.csv'), '--current', file('drifted.csv')]);
    expect(fromCsv.columns.map((c) => [c.column, c.kind, c.drift])).toEqual(fromParquet.columns.map((c) => [c.column, c.kind, c.drift]));
    fromCsv.columns.forEach((c, i) => expect(c.score!).toBeCloseTo(fromParquet.columns[i]!.score!, 6));
  });

  it('forces a method, applies a threshold and a correction, and exits 1 on dataset drift with --fail-on-drift', async () => {
    const psi = await json(['--reference', file('reference.parquet'), '--current', file('drifted.parquet'), '--method', 'psi', '--threshold', '0.2']);
    expect(psi.columns.every((c) => c.method === 'psi' && c.threshold === 0.2)).toBe(true);
    const ks = await json(['--reference', file('reference.parquet'), '--current', file('drifted.parquet'), '--method', 'ks', '--correction', 'bonferroni', '--columns', 'a,b,kind']);
    expect(ks.columns.map((c) => c.method)).toEqual(['ks', 'ks', 'jensenshannon']);
    expect(ks.dataset_drift).toBe(false);
    const failing = await run(['--reference', file('reference.parquet'), '--current', file('drifted.parquet'), '--columns', 'b,colour', '--fail-on-drift']);
    expect(failing.code).toBe(1);
    expect(failing.stdout).toMatch(/DATASET DRIFT/);
    expect(failing.stdout).toMatch(/^b\s+numeric\s+wasserstein/m);
  });

  it('reads NDJSON, tests small samples with chi-square, and writes an infinite statistic as Number.MAX_VALUE', async () => {
    const line = (i: number, colours: string[]) => JSON.stringify({ x: (i * 7) % 13, colour: colours[i % colours.length] });
    writeFileSync(file('small-ref.ndjson'), Array.from({ length: 60 }, (_, i) => line(i, ['red', 'blue', 'green'])).join('\n'));
    writeFileSync(file('small-cur.ndjson'), Array.from({ length: 60 }, (_, i) => line(i, ['red', 'blue', 'green', 'violet'])).join('\n'));
    const report = await json(['--reference', file('small-ref.ndjson'), '--current', file('small-cur.ndjson')]);
    const x = report.columns.find((c) => c.column === 'x')!;
    expect(x).toMatchObject({ kind: 'numeric', method: 'ks', score: 0, p_value: 1, drift: false, sampled: false });
    const colour = report.columns.find((c) => c.column === 'colour')!;
    // 'violet' was never seen in the reference: chi-square is infinite, p = 0; JSON carries the largest double.
    expect(colour).toMatchObject({ method: 'chisquare', score: Number.MAX_VALUE, p_value: 0, drift: true, new_categories: ['violet'] });
    const text = await run(['--reference', file('small-ref.ndjson'), '--current', file('small-cur.ndjson')]);
    expect(text.stdout).toMatch(/^colour\s+categorical\s+chisquare\s+inf\s/m);
  });

  it('writes an HTML report to --output, prints only its path, and escapes names and values', async () => {
    const output = file('report.html');
    const result = await run(['--reference', file('injection-ref.parquet'), '--current', file('injection-cur.parquet'), '--format', 'html', '--output', output]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`${output}\n`);
    expect(existsSync(output)).toBe(true);
    const html = readFileSync(output, 'utf8');
    expect(html.startsWith('<!doctype html>')).toBe(true);
    for (const name of ['a', 'b']) expect(html).toContain(`<h3>${name}</h3>`);
    expect(html).toContain(`<h3>${escapeHtml('<img src=x onerror=alert(1)>')}</h3>`);
    expect(html).not.toMatch(/<img/i);
    expect(html.match(/<svg[\s>]/g)).toHaveLength(3);
    const rejected = await run(['--reference', file('reference.parquet'), '--current', file('drifted.parquet'), '--output', output]);
    expect(rejected.code).toBe(2);
    expect(rejected.stderr).toMatch(/--output: only with --format html/);
  });

  it('counts every non-missing row of both files in the histogram and category plots', async () => {
    const plots = await computeDriftPlots(file('reference.parquet'), file('drifted.parquet'), [
      { column: 'c', kind: 'numeric' },
      { column: 'colour', kind: 'categorical' },
    ]);
    const c = plots.get('c')!;
    if (c.kind !== 'histogram') throw new Error('expected a histogram for c');
    // c is NULL on every 50th row: 2,940 of 3,000 rows have a value on each side.
    for (const side of [c.reference, c.current]) {
      expect(side.counts).toHaveLength(30);
      expect(side.counts.reduce((a, b) => a + b, 0) + side.under + side.over).toBe(2940);
      expect(side.total).toBe(2940);
    }
    expect(c.reference.under + c.reference.over).toBeLessThanOrEqual(6);
    const colour = plots.get('colour')!;
    if (colour.kind !== 'categories') throw new Error('expected categories for colour');
    // Reference: red 60%, blue 40%; drifted: purple 50%, red 30%, blue 20%.
    expect(colour.categories).toEqual([
      { value: 'red', reference_share: 0.6, current_share: 0.3 },
      { value: 'purple', reference_share: 0, current_share: 0.5 },
      { value: 'blue', reference_share: 0.4, current_share: 0.2 },
    ]);
    expect(colour.distinct).toBe(3);
  });

  it('reports what a broken pipeline does to the data: zeros, text in a numeric column, NaN, Infinity, a constant, repeated ids', async () => {
    const report = await json(['--reference', file('reference-ids.parquet'), '--current', file('broken.parquet'), '--id', 'id']);
    expect(report.columns.map((c) => c.column)).toEqual(['a', 'b', 'c', 'kind', 'colour', 'label']);
    const column = (name: string) => report.columns.find((c) => c.column === name)!;
    expect(column('a').quality.zero_share).toEqual({ reference: 0, current: 0.3 });
    expect(column('b').quality.type_change).toEqual({ reference: 'DOUBLE', current: 'VARCHAR' });
    expect(column('b').quality.non_numeric_share).toBeCloseTo(0.05, 10);
    expect(column('b').missing.current_share).toBeCloseTo(0.05, 10);
    expect(column('b').kind).toBe('numeric');
    expect(column('c').quality.nan_share!.current).toBeCloseTo(120 / 3000, 10);
    expect(column('c').quality.infinite_share).toEqual({ reference: 0, current: 75 / 3000 });
    expect(column('kind').quality.constant).toEqual({ reference: false, current: true, reference_values: 3, reference_piece_values: 3 });
    expect(column('colour').quality.constant).toEqual({ reference: false, current: false });
    expect(report.data_quality.ids).toEqual({ column: 'id', reference_duplicates: 0, current_duplicates: 10, shared: 1001 });
    const findings = report.data_quality.findings.map((f) => `${f.column}:${f.finding}`);
    expect(findings).toEqual(
      expect.arrayContaining(['a:zero_increase', 'b:type_change', 'b:missing_increase', 'c:nan_increase', 'c:infinite_values', 'kind:became_constant', 'id:duplicate_ids', 'id:shared_ids']),
    );
    expect(findings.filter((f) => f.startsWith('colour:') || f.startsWith('label:'))).toEqual([]);
    const text = await run(['--reference', file('reference-ids.parquet'), '--current', file('broken.parquet'), '--id', 'id']);
    expect(text.stdout).toMatch(/b: type change: DOUBLE in the reference, VARCHAR in the current data; 5\.0% of current rows do not read as numbers/);
  });

  it('has no data-quality findings between two samples of one distribution', async () => {
    const report = await json(['--reference', file('reference.parquet'), '--current', file('same.parquet')]);
    expect(report.data_quality).toEqual({ ids: null, findings: [] });
  });

  it('judges the current data chunk by chunk: healthy chunks pass, drifted chunks drift', async () => {
    const report = await json(['--reference', file('reference.parquet'), '--current', file('same-then-drifted.parquet'), '--chunk', 'count:6']);
    expect(report.chunking).toMatchObject({ by: 'count', chunks: 6, reference_cut: 'same', reference_chunks: 6 });
    expect(report.chunks!.map((c) => c.rows)).toEqual([1000, 1000, 1000, 1000, 1000, 1000]);
    expect(report.chunks!.map((c) => [c.first_row, c.last_row])).toEqual([[0, 999], [1000, 1999], [2000, 2999], [3000, 3999], [4000, 4999], [5000, 5999]]);
    expect(report.chunks!.map((c) => c.drift)).toEqual([false, false, false, true, true, true]);
    for (const c of report.chunks!.slice(3)) {
      expect(c.columns.filter((v) => v.drift).map((v) => v.column).sort()).toEqual(['b', 'colour']);
      expect(c.multivariate!.sampling_error).toBeGreaterThan(0);
    }
    // The whole-file verdicts are those of a run without --chunk.
    const plain = await json(['--reference', file('reference.parquet'), '--current', file('same-then-drifted.parquet')]);
    expect(report.columns).toEqual(plain.columns);
    expect(plain.chunks).toBeNull();

    const bySize = await json(['--reference', file('reference.parquet'), '--current', file('same-then-drifted.parquet'), '--chunk', 'size:4000']);
    expect(bySize.chunks!.map((c) => c.rows)).toEqual([4000, 2000]);
    expect(bySize.chunking!.reference_cut).toBe('equal');
  });

  it('cuts by period on a time column, from CSV', async () => {
    const report = await json(['--reference', file('reference-timed.csv'), '--current', file('current-timed.csv'), '--chunk', 'period:day', '--time', 'at']);
    expect(report.columns.map((c) => c.column)).not.toContain('at');
    expect(report.chunking).toMatchObject({ by: 'period', period: 'day', time: 'at', reference_cut: 'same', reference_chunks: 24 });
    expect(report.chunks!.map((c) => c.start)).toEqual(['2026-04-01', '2026-04-02', '2026-04-03', '2026-04-04', '2026-04-05', '2026-04-06'].map((d) => `${d}T00:00:00.000Z`));
    expect(report.chunks!.map((c) => c.drift)).toEqual([false, false, false, true, true, true]);
    const text = await run(['--reference', file('reference-timed.csv'), '--current', file('current-timed.csv'), '--chunk', 'period:day', '--time', 'at']);
    expect(text.stdout).toMatch(/2026-04-06T00:00:00\.000Z: 1000 rows, 2 of 6 columns drift.*DRIFT/);
  });

  it("compares a regressor's interval width, not its bounds as features", async () => {
    const report = await json(['--reference', file('interval-ref.parquet'), '--current', file('interval-cur.csv'), '--interval', 'low,high']);
    expect(report.columns.map((c) => [c.column, c.role])).toEqual([['a', 'feature'], ['b', 'feature'], ['interval_width', 'interval']]);
    const width = report.columns.find((c) => c.column === 'interval_width')!;
    expect(width.drift).toBe(true);
    expect(width.out_of_range_share).toBeGreaterThan(0.99);
    expect(report.multivariate!.columns).toEqual(['a', 'b']);
    const html = await run(['--reference', file('interval-ref.parquet'), '--current', file('interval-cur.csv'), '--interval', 'low,high', '--format', 'html', '--output', file('interval.html')]);
    expect(html.code).toBe(0);
    expect(readFileSync(file('interval.html'), 'utf8')).toContain('interval_width');
  });

  it('finds concept drift inside the class whose correlation flipped, and a confidence drop in the class probabilities', async () => {
    const report = await json(['--reference', file('classes-ref.parquet'), '--current', file('classes-cur.parquet'), '--target', 'kind', '--scores', 'p_x,p_y,p_z']);
    expect(report.columns.filter((c) => c.role === 'score').map((c) => c.column)).toEqual(['p_x', 'p_y', 'p_z']);
    expect(report.concept_drift!.class_column).toBe('kind');
    expect(report.concept_drift!.drifted_classes).toEqual(['x']);
    expect(report.confidence!.kind).toBe('class_probabilities');
    const entropy = report.confidence!.measures.find((m) => m.measure === 'entropy')!;
    expect(entropy.drift).toBe(true);
    expect(entropy.current_mean).toBeGreaterThan(entropy.reference_mean);
    const text = await run(['--reference', file('classes-ref.parquet'), '--current', file('classes-cur.parquet'), '--target', 'kind', '--scores', 'p_x,p_y,p_z']);
    expect(text.stdout).toMatch(/concept drift within classes of kind \(target\): DRIFT in x/);
    const html = await run(['--reference', file('classes-ref.parquet'), '--current', file('classes-cur.parquet'), '--target', 'kind', '--scores', 'p_x,p_y,p_z', '--format', 'html', '--output', file('classes.html')]);
    expect(html.code).toBe(0);
    const page = readFileSync(file('classes.html'), 'utf8');
    expect(page).toContain('<h2>Concept drift');
    expect(page).toContain('1 drifted');
    expect(page).toContain('<h2>Confidence');
    expect(page).toMatch(/a~b [\d.-]+→[\d.-]+/);
  });

  it('rejects bad input with exit code 2 and one line naming the file and column', async () => {
    const cases: [string[], RegExp][] = [
      [['--reference', file('reference.parquet'), '--current', file('no-b.parquet'), '--columns', 'a,b'], /no-b\.parquet: column "b" \(--columns\) not found/],
      [['--reference', file('reference.parquet'), '--current', file('drifted.parquet'), '--target', 'y'], /reference\.parquet: column "y" \(--target\) not found/],
      [['--reference', file('reference.parquet'), '--current', file('b-date.parquet')], /b-date\.parquet: column "b" is DATE but DOUBLE/],
      [['--reference', file('reference.parquet'), '--current', file('drifted.parquet'), '--interval', 'a'], /--interval: expected two columns/],
      [['--reference', file('interval-ref.parquet'), '--current', file('drifted.parquet'), '--interval', 'low,high'], /drifted\.parquet: column "low" \(--interval\) not found/],
      [['--reference', file('reference.parquet'), '--current', file('drifted.parquet'), '--chunk', 'weekly'], /--chunk: expected size:N/],
      [['--reference', file('reference.parquet'), '--current', file('drifted.parquet'), '--chunk', 'period:day'], /--chunk period:day: chunks by period need --time/],
      [['--reference', file('reference.parquet'), '--current', file('drifted.parquet'), '--chunk', 'period:day', '--time', 'a'], /column "a" \(--time\) is DOUBLE; expected a date/],
      [['--reference', file('reference.parquet'), '--current', file('drifted.parquet'), '--id', 'nope'], /reference\.parquet: column "nope" \(--id\) not found/],
      [['--reference', file('empty.parquet'), '--current', file('drifted.parquet')], /empty\.parquet: the file has no rows/],
      [['--reference', file('reference.parquet'), '--current', file('garbage.parquet')], /garbage\.parquet: cannot read as parquet/],
      [['--reference', file('missing.parquet'), '--current', file('drifted.parquet')], /missing\.parquet: no such file/],
      [['--reference', file('reference.parquet'), '--current', file('drifted.parquet'), '--threshold', 'abc'], /--threshold/],
    ];
    for (const [argv, message] of cases) {
      const result = await run(argv);
      expect(result.code, argv.join(' ')).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(message);
      expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    }
  });

  it('runs on real flights, January against June, and finds no drift between two halves of January', async () => {
    const months = await json(['--reference', file('january.parquet'), '--current', file('june.parquet')]);
    expect(months.columns.map((c) => c.column)).toEqual(['delay', 'distance', 'origin', 'destination']);
    expect(months.skipped_columns).toEqual([{ column: 'date', type: 'TIMESTAMP' }]);
    expect(months.reference_rows).toBe(508239);
    expect(months.columns.every((c) => c.sampled || c.kind === 'categorical')).toBe(true);
    expect(typeof months.multivariate!.drift).toBe('boolean');
    const halves = await json(['--reference', file('january-a.parquet'), '--current', file('january-b.parquet')]);
    expect(halves.columns.filter((c) => c.drift)).toEqual([]);
    expect(halves.dataset_drift).toBe(false);
  }, 60_000);
});
