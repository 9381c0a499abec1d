import { existsSync, statSync } from 'node:fs';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { OutlayError } from '@outlay/schema';
import { explainChange, explainRateChange, type CountLeaf, type ExplainChangeOptions, type RateLeaf, type RcaResult } from '@outlay/stats';
import { queryOrThrow, sqlName, sqlString } from '../drift/open-drift-source.js';
import { fileFormat } from '../read-file-rows.js';

/** `count`, `sum:col` (fundamental); `mean:col`, `rate:num/den` (derived: Σnum / Σden). */
export type RcaMetric =
  | { readonly kind: 'count' }
  | { readonly kind: 'sum'; readonly column: string }
  | { readonly kind: 'mean'; readonly column: string }
  | { readonly kind: 'rate'; readonly numerator: string; readonly denominator: string };

export type RcaReportOptions =
  | { readonly mode: 'two-files'; readonly baseline: string; readonly current: string; readonly dimensions: readonly string[]; readonly metric: RcaMetric; readonly search: ExplainChangeOptions }
  | {
      readonly mode: 'time-series';
      readonly input: string;
      readonly time: string;
      /** The window to explain, compared with the time column after a cast to its type. */
      readonly at: string;
      readonly dimensions: readonly string[];
      readonly metric: RcaMetric;
      readonly search: ExplainChangeOptions;
    }
  | { readonly mode: 'forecast'; readonly input: string; readonly dimensions: readonly string[]; readonly actual: string; readonly expected: string; readonly search: ExplainChangeOptions };

/** Leaves the search takes by default: about 1.5 GB of leaves in JavaScript; more is refused with a message. */
export const DEFAULT_MAX_LEAVES = 5_000_000;

export type RcaReport = RcaResult & { readonly metric: string; readonly leaves: number };

/** Parses `--metric`; throws OutlayError('invalid_input') naming the flag. */
export function parseRcaMetric(text: string): RcaMetric {
  if (text === 'count') return { kind: 'count' };
  const [kind, rest] = [text.slice(0, text.indexOf(':')), text.slice(text.indexOf(':') + 1)];
  if ((kind === 'sum' || kind === 'mean') && rest !== '') return { kind, column: rest };
  if (kind === 'rate') {
    const [numerator, denominator, ...extra] = rest.split('/');
    if (numerator && denominator && extra.length === 0) return { kind, numerator, denominator };
  }
  throw new OutlayError('invalid_input', `--metric: expected count, sum:col, mean:col or rate:num/den, got "${text}"`);
}

const metricName = (m: RcaMetric): string => (m.kind === 'count' ? 'count' : m.kind === 'rate' ? `rate:${m.numerator}/${m.denominator}` : `${m.kind}:${m.column}`);

/**
 * Aggregates the file(s) per leaf in DuckDB (GROUP BY the dimensions; raw rows never reach JS) and explains the
 * change. In time-series mode the expected value of a leaf is its median over the windows (distinct values of
 * the time column) before `at`. A NULL attribute becomes the value "(null)". Bad input throws OutlayError('invalid_input') naming the
 * file and column.
 */
export async function computeRcaReport(options: RcaReportOptions & { readonly maxLeaves?: number }): Promise<RcaReport> {
  const maxLeaves = options.maxLeaves ?? DEFAULT_MAX_LEAVES;
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    if (options.mode === 'forecast') {
      await openRcaSource(connection, 'input', options.input, 'src', [...options.dimensions], [options.actual, options.expected], ['--actual', '--expected']);
      const keys = options.dimensions.map((_, j) => `k${j}`);
      const { columns, attributes } = await readLeaves(
        connection,
        options.input,
        keys,
        `SELECT ${dimensionSelect(options.dimensions)}, sum(${sqlName(options.expected)})::DOUBLE AS n0, 1 AS d0, sum(${sqlName(options.actual)})::DOUBLE AS n1, 1 AS d1 FROM src GROUP BY ALL`,
        maxLeaves,
      );
      const leaves: CountLeaf[] = attributes.map((a, i) => ({ attributes: a, baseline: num(columns[0]![i]), current: num(columns[2]![i]) }));
      return { ...explain(() => explainChange(options.dimensions, leaves, options.search), options.input), metric: `${options.actual} vs ${options.expected}`, leaves: leaves.length };
    }
    const { dimensions, metric } = options;
    const metricColumns = metric.kind === 'count' ? [] : metric.kind === 'rate' ? [metric.numerator, metric.denominator] : [metric.column];
    const flags = metric.kind === 'rate' ? ['--metric (numerator)', '--metric (denominator)'] : ['--metric'];
    const [numSql, denSql] =
      metric.kind === 'count'
        ? ['count(*)', '1']
        : metric.kind === 'sum'
          ? [`sum(${sqlName(metric.column)})`, '1']
          : metric.kind === 'mean'
            ? [`sum(${sqlName(metric.column)})`, `count(${sqlName(metric.column)})`]
            : [`sum(${sqlName(metric.numerator)})`, `sum(${sqlName(metric.denominator)})`];
    const keys = dimensions.map((_, j) => `k${j}`);
    const aggregate = (relation: string, extra = '') =>
      `SELECT ${extra}${dimensionSelect(dimensions)}, coalesce(${numSql}, 0)::DOUBLE AS n, coalesce(${denSql}, 0)::DOUBLE AS d FROM ${relation} GROUP BY ALL`;
    let label: string;
    let ctes: string;
    if (options.mode === 'two-files') {
      await openRcaSource(connection, 'baseline', options.baseline, 'base', [...dimensions], metricColumns, flags);
      await openRcaSource(connection, 'current', options.current, 'cur', [...dimensions], metricColumns, flags);
      label = `${options.baseline} → ${options.current}`;
      ctes = `b AS (${aggregate('base')}), c AS (${aggregate('cur')})`;
    } else {
      const types = await openRcaSource(connection, 'input', options.input, 'src', [...dimensions, options.time], metricColumns, flags, ['--time']);
      const at = `CAST(${sqlString(options.at)} AS ${types.get(options.time)!})`;
      const t = sqlName(options.time);
      const windows = await queryOrThrow(connection, options.input, `SELECT count(DISTINCT ${t}) FILTER (WHERE ${t} < ${at})::DOUBLE, count(*) FILTER (WHERE ${t} = ${at})::DOUBLE FROM src`);
      if (windows[0]![1] === 0) throw new OutlayError('invalid_input', `${options.input}: no row has ${options.time} = ${options.at} (--at)`);
      if (windows[0]![0] === 0) throw new OutlayError('invalid_input', `${options.input}: no window before ${options.time} = ${options.at} (--at): the expected value needs at least one`);
      label = `${options.input} at ${options.time} = ${options.at}`;
      // Expected = per-leaf median over the earlier windows (a leaf absent from a window counts 0 there).
      ctes = `per AS (${aggregate(`src WHERE ${t} <= ${at}`, `${t} AS w, `)}),
        prev AS (SELECT DISTINCT w FROM per WHERE w < ${at}),
        ks AS (SELECT DISTINCT ${keys.join(', ')} FROM per),
        filled AS (SELECT ks.*, coalesce(per.n, 0) AS n, coalesce(per.d, 0) AS d FROM ks CROSS JOIN prev LEFT JOIN per ON per.w = prev.w AND ${keys.map((k) => `per.${k} = ks.${k}`).join(' AND ')}),
        b AS (SELECT ${keys.join(', ')}, median(n) AS n, median(d) AS d FROM filled GROUP BY ALL),
        c AS (SELECT ${keys.join(', ')}, n, d FROM per WHERE w = ${at})`;
    }
    const { columns, attributes } = await readLeaves(
      connection,
      label,
      keys,
      `WITH ${ctes}
       SELECT ${keys.map((k) => `coalesce(b.${k}, c.${k}) AS ${k}`).join(', ')}, coalesce(b.n, 0) AS n0, coalesce(b.d, 0) AS d0,
         coalesce(c.n, 0) AS n1, coalesce(c.d, 0) AS d1
       FROM b FULL OUTER JOIN c USING (${keys.join(', ')})`,
      maxLeaves,
    );
    const [n0, d0, n1, d1] = [columns[0]!, columns[1]!, columns[2]!, columns[3]!];
    if (metric.kind === 'count' || metric.kind === 'sum') {
      const leaves: CountLeaf[] = attributes.map((a, i) => ({ attributes: a, baseline: num(n0[i]), current: num(n1[i]) }));
      // Counts are Poisson: judge slices by their own variance rather than one relative σ for every leaf.
      const noise = metric.kind === 'count' ? 'poisson' : 'empirical';
      return { ...explain(() => explainChange(dimensions, leaves, { ...options.search, noise }), label), metric: metricName(metric), leaves: leaves.length };
    }
    const leaves: RateLeaf[] = attributes.map((a, i) => ({ attributes: a, baselineNum: num(n0[i]), baselineDen: num(d0[i]), currentNum: num(n1[i]), currentDen: num(d1[i]) }));
    return { ...explain(() => explainRateChange(dimensions, leaves, options.search), label), metric: metricName(metric), leaves: leaves.length };
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** Opens a file as a view or temporary table and checks it has rows and the needed columns. */
async function openRcaSource(
  connection: DuckDBConnection,
  flag: string,
  path: string,
  relation: string,
  dimensions: string[],
  columns: string[],
  columnFlags: string[],
  extraFlags: string[] = [],
): Promise<Map<string, string>> {
  if (!existsSync(path) || !statSync(path).isFile()) throw new OutlayError('invalid_input', `${path}: no such file (--${flag})`);
  const format = fileFormat(path);
  const reader =
    format === 'parquet' ? `read_parquet(${sqlString(path)})` : format === 'csv' ? `read_csv(${sqlString(path)}, header = true)` : `read_json_auto(${sqlString(path)}, format = 'newline_delimited')`;
  try {
    await connection.run(format === 'parquet' ? `CREATE VIEW ${relation} AS SELECT * FROM ${reader}` : `CREATE TEMP TABLE ${relation} AS SELECT * FROM ${reader}`);
  } catch (error) {
    throw new OutlayError('invalid_input', `${path}: cannot read as ${format} (--${flag}): ${firstLine(error)}`, { cause: error });
  }
  const described = await queryOrThrow(connection, path, `SELECT column_name, column_type FROM (DESCRIBE ${relation})`);
  const types = new Map(described.map(([name, type]) => [String(name), String(type)]));
  const known = [...types.keys()].join(', ');
  dimensions.forEach((d, j) => {
    const what = j >= dimensions.length - extraFlags.length ? extraFlags[j - (dimensions.length - extraFlags.length)]! : '--dimensions';
    if (!types.has(d)) throw new OutlayError('invalid_input', `${path}: no column "${d}" (${what}); the file has ${known}`);
  });
  columns.forEach((c, i) => {
    const type = types.get(c);
    if (type === undefined) throw new OutlayError('invalid_input', `${path}: no column "${c}" (${columnFlags[i] ?? '--metric'}); the file has ${known}`);
    if (!NUMERIC_TYPE.test(type)) throw new OutlayError('invalid_input', `${path}: column "${c}" (${columnFlags[i] ?? '--metric'}) is ${type}, expected a number`);
  });
  const counted = await queryOrThrow(connection, path, `SELECT count(*)::DOUBLE FROM ${relation}`);
  if (counted[0]![0] === 0) throw new OutlayError('invalid_input', `${path}: the file has no rows (--${flag})`);
  return types;
}

const NUMERIC_TYPE = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|REAL|DOUBLE|DECIMAL(\(.*\))?)$/;

const dimensionSelect = (dimensions: readonly string[]) => dimensions.map((d, j) => `coalesce(${sqlName(d)}::VARCHAR, '(null)') AS k${j}`).join(', ');

/** Stats throws RangeError on impossible input (a denominator that is zero everywhere): bad input for the CLI. */
function explain(run: () => RcaResult, files: string): RcaResult {
  try {
    return run();
  } catch (error) {
    if (error instanceof RangeError) throw new OutlayError('invalid_input', `${files}: ${error.message}`, { cause: error });
    throw error;
  }
}

/**
 * Reads the leaves with each dimension as an integer code into a dictionary of its values, so that each
 * distinct value crosses from DuckDB once instead of once per leaf (864k leaves × 6 dimensions of strings cost
 * ~0.5 s of UTF-8 decoding). Returns the numeric columns (n0, d0, n1, d1) and the leaves' attributes.
 */
async function readLeaves(connection: DuckDBConnection, label: string, keys: string[], leavesSql: string, maxLeaves: number): Promise<{ columns: unknown[][]; attributes: string[][] }> {
  try {
    await connection.run(`CREATE OR REPLACE TEMP TABLE rca_leaves AS ${leavesSql}`);
    const [[leaves]] = (await connection.runAndReadAll('SELECT count(*)::DOUBLE FROM rca_leaves')).getRowsJS() as [[number]];
    if (leaves > maxLeaves) {
      throw new OutlayError(
        'invalid_input',
        `${label}: ${leaves} leaves (distinct combinations of the dimensions) exceed the ${maxLeaves} the search takes (--max-leaves); drop a high-cardinality dimension or bucket it`,
      );
    }
    const dictionaries: string[][] = [];
    for (const k of keys) {
      await connection.run(`CREATE OR REPLACE TEMP TABLE rca_dict_${k} AS SELECT ${k}, (row_number() OVER (ORDER BY ${k}) - 1)::INTEGER AS code FROM (SELECT DISTINCT ${k} FROM rca_leaves)`);
      dictionaries.push(((await connection.runAndReadAll(`SELECT ${k} FROM rca_dict_${k} ORDER BY code`)).getColumnsJS()[0] ?? []) as string[]);
    }
    const columns = (await connection.runAndReadAll(
      `SELECT ${keys.map((k) => `rca_dict_${k}.code`).join(', ')}, n0, d0, n1, d1 FROM rca_leaves ${keys.map((k) => `JOIN rca_dict_${k} USING (${k})`).join(' ')}`,
    )).getColumnsJS() as unknown[][];
    const n = columns[0]?.length ?? 0;
    const attributes: string[][] = new Array(n);
    for (let i = 0; i < n; i++) {
      const a: string[] = new Array(keys.length);
      for (let j = 0; j < keys.length; j++) a[j] = dictionaries[j]![columns[j]![i] as number]!;
      attributes[i] = a;
    }
    return { columns: columns.slice(keys.length), attributes };
  } catch (error) {
    if (error instanceof OutlayError) throw error;
    throw new OutlayError('invalid_input', `${label}: ${firstLine(error)}`, { cause: error });
  }
}

function num(x: unknown): number {
  return x === null || x === undefined ? 0 : Number(x);
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
}
