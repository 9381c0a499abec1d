import { existsSync, statSync } from 'node:fs';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { OutlayError } from '@outlay/schema';
import { binaryBusinessCost, businessCost, ewmaChart, fitLocalLevel, mixRateDecomposition, seasonalAdjustment, type MixRateDecomposition } from '@outlay/stats';
import { queryOrThrow, sqlName, sqlString } from '../drift/open-drift-source.js';
import { fileFormat } from '../read-file-rows.js';
import { annotatedBatches, type HealthAnnotation } from './annotated-batches.js';
import { DEFAULT_MIN_LABEL_COVERAGE, estimateWindowCosts, MIN_CALIBRATION_ROWS, type HealthEstimation, type WindowCostEstimate } from './estimate-window-costs.js';

export type HealthWindow = 'hour' | 'day' | 'week';
export type HealthSmoothing = 'ewma' | 'kalman';

import type { HealthCost } from './health-cost.js';

export type { HealthCost } from './health-cost.js';

export interface HealthReportOptions {
  readonly input: string;
  readonly time: string;
  readonly target: string;
  readonly prediction: string;
  readonly score?: string;
  readonly window: HealthWindow;
  readonly cost: HealthCost;
  readonly smoothing: HealthSmoothing;
  /** Windows (with labels) that set the EWMA's target and σ, and the Kalman alert level; default: the first half. */
  readonly referenceWindows?: number;
  readonly segments: readonly string[];
  readonly knownFactors: readonly string[];
  /** EWMA weight λ and limit width L (defaults 0.2 and 3). */
  readonly lambda?: number;
  readonly limitWidth?: number;
  /** Labelled file (--target and --score columns) that calibrates the CBPE estimates instead of the earlier windows. */
  readonly reference?: string;
  /** Windows with a smaller share of labelled rows get a CBPE estimate (with --score); default 0.5. */
  readonly minLabelCoverage?: number;
  /** Column naming each label's source; rows whose source is `annotation` form batches. */
  readonly labelSource?: string;
}

/** One window of `outlay health`; the estimate fields are present with --score on a binary task. */
export interface HealthWindowRow extends Partial<WindowCostEstimate> {
  start: string;
  start_ms: number;
  n: number;
  labelled: number;
  /** labelled / n. */
  label_coverage: number;
  /** Binary task only. */
  confusion: { tp: number; fp: number; fn: number; tn: number } | null;
  business_cost_per_1k: number | null;
  smoothed: number | null;
  adjusted: number | null;
  lower: number | null;
  upper: number | null;
  alert: boolean;
  /** `insufficient_data` for a window without labelled rows: it has no metric and is left out of the series. */
  status: 'ok' | 'insufficient_data';
  /** Why the window has no metric (status insufficient_data); null when it has one. */
  reason: string | null;
  mean_score?: number | null;
  factors?: Record<string, number | null>;
}

export interface HealthAlert {
  start: string;
  metric: 'business_cost_per_1k';
  series: 'adjusted' | 'raw';
  value: number;
  limit: number;
  direction: 'above' | 'below';
  reason: string;
}

export type HealthMixVsRate =
  | ({ status: 'ok'; baseline: { from: string; to: string; windows: number }; current: { from: string; to: string; windows: number } } & MixRateDecomposition)
  | { status: 'insufficient_data'; reason: string };

export interface HealthReport {
  input: string;
  task: 'binary' | 'regression';
  window: HealthWindow;
  windows: HealthWindowRow[];
  alerts: HealthAlert[];
  mix_vs_rate: Record<string, HealthMixVsRate>;
  smoothing: {
    method: HealthSmoothing;
    /** The series smoothed and tested: the adjusted one when an adjustment was fitted, else the raw one. */
    series: 'adjusted' | 'raw';
    status: 'ok' | 'insufficient_data';
    reason: string | null;
    reference_windows: number;
    reference_source: 'first-half' | '--reference-windows';
    target: number | null;
    sigma_per_row: number | null;
    sigma_between_windows: number | null;
    sigma_within_rows: number | null;
    lambda: number | null;
    limit_width: number | null;
    kalman: { irregular_variance: number; level_variance: number; confidence: number } | null;
  };
  adjustment: { applied: boolean; reason: string; hour_of_day: boolean; day_of_week: boolean; factors: Record<string, number> | null; intercept: number | null };
  /** With --score: how the cost of windows with few labels was estimated (CBPE). */
  estimation?: HealthEstimation;
  /** With --label-source: the annotated batches and whether the latest is worse than the earlier ones. */
  annotation?: HealthAnnotation;
  notes: string[];
}

// Kalman band coverage matching the EWMA's 3σ limits (two-sided normal, 99.73 %).
const KALMAN_CONFIDENCE = 0.9973;

/**
 * `outlay health` on a file: aggregates per time window in DuckDB (GROUP BY time_bucket; raw rows never reach
 * JS), computes the business cost per 1,000 labelled predictions, regresses out seasonality and known factors,
 * smooths with an EWMA chart or a local-level Kalman filter, flags windows outside the limits, and splits the
 * change between the first and last halves of the windows into mix and rate per segment dimension.
 * Bad input throws OutlayError('invalid_input') naming the file and column.
 */
export async function computeHealthReport(options: HealthReportOptions): Promise<HealthReport> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    await openHealthSource(connection, options);
    if (options.reference !== undefined) await openReference(connection, options);
    return await analyse(connection, options);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

const NUMERIC_TYPE = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|REAL|DOUBLE|DECIMAL(\(.*\))?)$/;

async function openHealthSource(connection: DuckDBConnection, options: HealthReportOptions): Promise<void> {
  const path = options.input;
  if (!existsSync(path) || !statSync(path).isFile()) throw new OutlayError('invalid_input', `${path}: no such file (--input)`);
  const format = fileFormat(path);
  const reader =
    format === 'parquet' ? `read_parquet(${sqlString(path)})` : format === 'csv' ? `read_csv(${sqlString(path)}, header = true)` : `read_json_auto(${sqlString(path)}, format = 'newline_delimited')`;
  try {
    await connection.run(format === 'parquet' ? `CREATE VIEW src AS SELECT * FROM ${reader}` : `CREATE TEMP TABLE src AS SELECT * FROM ${reader}`);
  } catch (error) {
    throw new OutlayError('invalid_input', `${path}: cannot read as ${format} (--input): ${firstLine(error)}`, { cause: error });
  }
  const described = await queryOrThrow(connection, path, `SELECT column_name, column_type FROM (DESCRIBE src)`);
  const types = new Map(described.map(([name, type]) => [String(name), String(type)]));
  const known = [...types.keys()].join(', ');
  const need = (column: string, flag: string): string => {
    const type = types.get(column);
    if (type === undefined) throw new OutlayError('invalid_input', `${path}: no column "${column}" (${flag}); the file has ${known}`);
    return type;
  };
  const numeric = (column: string, flag: string, allowBoolean: boolean): void => {
    const type = need(column, flag);
    if (!(NUMERIC_TYPE.test(type) || (allowBoolean && type === 'BOOLEAN'))) {
      throw new OutlayError('invalid_input', `${path}: column "${column}" (${flag}) is ${type}, expected ${allowBoolean ? '0/1 or a boolean' : 'a number'}`);
    }
  };
  const counted = await queryOrThrow(connection, path, `SELECT count(*)::DOUBLE FROM src`);
  if (counted[0]![0] === 0) throw new OutlayError('invalid_input', `${path}: the file has no rows (--input)`);
  need(options.time, '--time');
  const binary = options.cost.task === 'binary';
  numeric(options.target, '--target', binary);
  numeric(options.prediction, '--prediction', binary);
  if (options.score !== undefined) numeric(options.score, '--score', false);
  for (const s of options.segments) need(s, '--segments');
  for (const f of options.knownFactors) numeric(f, '--known-factors', false);
  if (options.labelSource !== undefined) need(options.labelSource, '--label-source');

  const t = sqlName(options.time);
  const checks = await queryOrThrow(
    connection,
    path,
    `SELECT count(*) FILTER (WHERE ${t} IS NULL)::DOUBLE, count(*) FILTER (WHERE ${t} IS NOT NULL AND try_cast(${t} AS TIMESTAMP) IS NULL)::DOUBLE,
       any_value(${t}::VARCHAR) FILTER (WHERE ${t} IS NOT NULL AND try_cast(${t} AS TIMESTAMP) IS NULL) FROM src`,
  );
  const [nullTimes, badTimes, badTimeExample] = checks[0]!;
  if ((nullTimes as number) > 0) throw new OutlayError('invalid_input', `${path}: column "${options.time}" (--time) is empty on ${nullTimes} rows; every prediction needs a time`);
  if ((badTimes as number) > 0) throw new OutlayError('invalid_input', `${path}: column "${options.time}" (--time) has ${badTimes} values that are not timestamps, e.g. "${String(badTimeExample)}"`);
  if (binary) {
    for (const [column, flag] of [[options.target, '--target'], [options.prediction, '--prediction']] as const) {
      const c = sqlName(column);
      const bad = await queryOrThrow(connection, path, `SELECT count(*)::DOUBLE, any_value(${c}::VARCHAR) FROM src WHERE ${c} IS NOT NULL AND ${c}::DOUBLE NOT IN (0, 1)`);
      if ((bad[0]![0] as number) > 0) {
        throw new OutlayError('invalid_input', `${path}: column "${column}" (${flag}) has ${bad[0]![0]} values other than 0 and 1, e.g. ${String(bad[0]![1])}; a binary task needs 0/1 (or use --task regression)`);
      }
    }
  }
}

/** The --reference file as `reference_scored (y, s)`, checked like the input. */
async function openReference(connection: DuckDBConnection, options: HealthReportOptions): Promise<void> {
  const path = options.reference!;
  if (options.score === undefined) throw new OutlayError('invalid_input', '--reference: calibrates the CBPE estimates and needs --score');
  if (options.cost.task !== 'binary') throw new OutlayError('invalid_input', '--reference: CBPE estimates binary classifiers; this is --task regression');
  if (!existsSync(path) || !statSync(path).isFile()) throw new OutlayError('invalid_input', `${path}: no such file (--reference)`);
  const format = fileFormat(path);
  const reader =
    format === 'parquet' ? `read_parquet(${sqlString(path)})` : format === 'csv' ? `read_csv(${sqlString(path)}, header = true)` : `read_json_auto(${sqlString(path)}, format = 'newline_delimited')`;
  try {
    await connection.run(`CREATE TEMP TABLE reference_src AS SELECT * FROM ${reader}`);
  } catch (error) {
    throw new OutlayError('invalid_input', `${path}: cannot read as ${format} (--reference): ${firstLine(error)}`, { cause: error });
  }
  const described = await queryOrThrow(connection, path, `SELECT column_name, column_type FROM (DESCRIBE reference_src)`);
  const types = new Map(described.map(([name, type]) => [String(name), String(type)]));
  for (const [column, flag, allowBoolean] of [[options.target, '--target', true], [options.score, '--score', false]] as const) {
    const type = types.get(column);
    if (type === undefined) throw new OutlayError('invalid_input', `${path}: no column "${column}" (${flag}, in --reference); the file has ${[...types.keys()].join(', ')}`);
    if (!(NUMERIC_TYPE.test(type) || (allowBoolean && type === 'BOOLEAN'))) {
      throw new OutlayError('invalid_input', `${path}: column "${column}" (${flag}, in --reference) is ${type}, expected ${allowBoolean ? '0/1 or a boolean' : 'a number'}`);
    }
  }
  const y = sqlName(options.target);
  const bad = await queryOrThrow(connection, path, `SELECT count(*)::DOUBLE, any_value(${y}::VARCHAR) FROM reference_src WHERE ${y} IS NOT NULL AND ${y}::DOUBLE NOT IN (0, 1)`);
  if ((bad[0]![0] as number) > 0) throw new OutlayError('invalid_input', `${path}: column "${options.target}" (--target, in --reference) has ${bad[0]![0]} values other than 0 and 1, e.g. ${String(bad[0]![1])}`);
  await connection.run(`CREATE TEMP VIEW reference_scored AS SELECT ${y}::DOUBLE AS y, ${sqlName(options.score)}::DOUBLE AS s FROM reference_src`);
}

const BUCKET: Record<HealthWindow, string> = { hour: "INTERVAL '1 hour'", day: "INTERVAL '1 day'", week: "INTERVAL '1 week'" };

async function analyse(connection: DuckDBConnection, options: HealthReportOptions): Promise<HealthReport> {
  const path = options.input;
  const notes: string[] = [];
  const y = sqlName(options.target);
  const p = sqlName(options.prediction);
  const num = (x: number): string => `(${String(x)})::DOUBLE`;
  // One row's cost in USD, for rows with both a target and a prediction.
  const costSql =
    options.cost.task === 'binary'
      ? `CASE WHEN y = 1 AND p = 1 THEN -${num(options.cost.matrix.truePositiveValueUsd)} WHEN y = 0 AND p = 1 THEN ${num(options.cost.matrix.falsePositiveUsd)}
              WHEN y = 1 AND p = 0 THEN ${num(options.cost.matrix.falseNegativeUsd)} ELSE -${num(options.cost.matrix.trueNegativeValueUsd)} END`
      : `CASE WHEN y > p THEN ${num(options.cost.rates.underPredictionUsdPerUnit)} * (y - p) ELSE ${num(options.cost.rates.overPredictionUsdPerUnit)} * (p - y) END`;
  const extra = [
    ...(options.score === undefined ? [] : [`${sqlName(options.score)}::DOUBLE AS s`]),
    ...options.knownFactors.map((f, j) => `${sqlName(f)}::DOUBLE AS f${j}`),
    ...options.segments.map((s, j) => `coalesce(${sqlName(s)}::VARCHAR, '(null)') AS g${j}`),
    ...(options.labelSource === undefined ? [] : [`${sqlName(options.labelSource)}::VARCHAR AS src_label`]),
  ];
  await connection.run(`CREATE TEMP VIEW scored AS
    WITH r AS (
      SELECT time_bucket(${BUCKET[options.window]}, try_cast(${sqlName(options.time)} AS TIMESTAMP)) AS w, ${y}::DOUBLE AS y, ${p}::DOUBLE AS p
        ${extra.map((e) => `, ${e}`).join('')}
      FROM src)
    SELECT *, (y IS NOT NULL AND p IS NOT NULL) AS lab, CASE WHEN y IS NOT NULL AND p IS NOT NULL THEN ${costSql} END AS c FROM r`);

  const perWindow = await queryOrThrow(
    connection,
    path,
    `SELECT epoch_ms(w)::DOUBLE, strftime(w, '%Y-%m-%dT%H:%M:%SZ'), count(*)::DOUBLE, count(*) FILTER (WHERE lab)::DOUBLE,
       count(*) FILTER (WHERE lab AND y = 1 AND p = 1)::DOUBLE, count(*) FILTER (WHERE lab AND y = 0 AND p = 1)::DOUBLE,
       count(*) FILTER (WHERE lab AND y = 1 AND p = 0)::DOUBLE, count(*) FILTER (WHERE lab AND y = 0 AND p = 0)::DOUBLE,
       coalesce(sum(c), 0)::DOUBLE, coalesce(sum(c * c), 0)::DOUBLE
       ${options.score === undefined ? '' : ', avg(s)::DOUBLE'} ${options.knownFactors.map((_, j) => `, avg(f${j})::DOUBLE`).join('')}
     FROM scored GROUP BY w ORDER BY w`,
  );
  const binary = options.cost.task === 'binary';
  const windows: HealthWindowRow[] = [];
  const sums: { cost: number; squares: number }[] = [];
  for (const row of perWindow) {
    const [startMs, start, n, labelled, tp, fp, fn, tn, cost, squares] = row.slice(0, 10) as [number, string, number, number, number, number, number, number, number, number];
    let column = 10;
    const window: HealthWindowRow = {
      start,
      start_ms: startMs,
      n,
      labelled,
      label_coverage: labelled / n,
      confusion: binary ? { tp, fp, fn, tn } : null,
      business_cost_per_1k: labelled === 0 ? null : per1k(options.cost, labelled, cost, { tp, fp, fn, tn }),
      smoothed: null,
      adjusted: null,
      lower: null,
      upper: null,
      alert: false,
      status: labelled === 0 ? 'insufficient_data' : 'ok',
      reason: labelled === 0 ? 'no labelled rows in this window: no realised cost' : null,
    };
    if (options.score !== undefined) window.mean_score = nullableNumber(row[column++]);
    if (options.knownFactors.length > 0) window.factors = Object.fromEntries(options.knownFactors.map((f) => [f, nullableNumber(row[column++])]));
    windows.push(window);
    sums.push({ cost, squares });
  }
  const empty = windows.filter((w) => w.labelled === 0).length;
  if (empty > 0) notes.push(`${empty} window(s) have no labelled rows: no metric there (status insufficient_data), left out of the series`);
  notes.push('windows with no rows at all do not appear (the series has a gap there)');

  const series = windows.flatMap((w, i) => (w.labelled > 0 ? [i] : []));
  const raw = series.map((i) => windows[i]!.business_cost_per_1k!);
  const sizes = series.map((i) => windows[i]!.labelled);

  // Adjustment: seasonal dummies whose every level is seen at least twice, plus declared factors.
  const adjustment = adjust(options, windows, series, raw, sizes, notes);
  const values = adjustment.values;
  series.forEach((i, k) => (windows[i]!.adjusted = values[k]!));
  const seriesName: 'adjusted' | 'raw' = adjustment.report.applied ? 'adjusted' : 'raw';

  // Reference: target and σ of the in-control period.
  const referenceSource = options.referenceWindows === undefined ? 'first-half' : '--reference-windows';
  const referenceCount = options.referenceWindows ?? Math.floor(series.length / 2);
  const smoothing: HealthReport['smoothing'] = {
    method: options.smoothing,
    series: seriesName,
    status: 'ok',
    reason: null,
    reference_windows: referenceCount,
    reference_source: referenceSource,
    target: null,
    sigma_per_row: null,
    sigma_between_windows: null,
    sigma_within_rows: null,
    lambda: null,
    limit_width: null,
    kalman: null,
  };
  const alerts: HealthAlert[] = [];
  if (options.referenceWindows !== undefined && options.referenceWindows > series.length) {
    throw new OutlayError('invalid_input', `--reference-windows: ${options.referenceWindows} reference windows asked but ${path} has ${series.length} windows with labels`);
  }
  if (referenceCount < 2 || series.length < 3) {
    smoothing.status = 'insufficient_data';
    smoothing.reason = `${series.length} window(s) with labels: smoothing needs at least 3, and 2 reference windows`;
  } else {
    let weight = 0;
    let weighted = 0;
    let rawCost = 0;
    let rawSquares = 0;
    for (let k = 0; k < referenceCount; k++) {
      weight += sizes[k]!;
      weighted += sizes[k]! * values[k]!;
      rawCost += sums[series[k]!]!.cost;
      rawSquares += sums[series[k]!]!.squares;
    }
    const target = weighted / weight;
    // σ of one row, two ways: from the windows' spread (Σnᵢ(xᵢ−μ)²/(K−1), which includes day-to-day
    // over-dispersion) and from the rows' own cost variance; the larger keeps the limits honest.
    let between = 0;
    for (let k = 0; k < referenceCount; k++) between += (sizes[k]! * (values[k]! - target) ** 2) / (referenceCount - 1);
    const meanCost = rawCost / weight;
    const within = 1000 * Math.sqrt(Math.max(0, rawSquares / weight - meanCost * meanCost));
    const sigma = Math.max(Math.sqrt(between), within);
    Object.assign(smoothing, { target, sigma_between_windows: Math.sqrt(between), sigma_within_rows: within, sigma_per_row: sigma });
    if (!(sigma > 0)) {
      smoothing.status = 'insufficient_data';
      smoothing.reason = 'the reference windows have no variation (every row costs the same): no limits can be set';
    } else if (options.smoothing === 'ewma') {
      const lambda = options.lambda ?? 0.2;
      const limitWidth = options.limitWidth ?? 3;
      Object.assign(smoothing, { lambda, limit_width: limitWidth });
      const points = stats(path, () => ewmaChart(values, { target, sigma, sampleSizes: sizes, lambda, limitWidth }));
      points.forEach((point, k) => {
        const w = windows[series[k]!]!;
        Object.assign(w, { smoothed: point.smoothed, lower: point.lower, upper: point.upper, alert: point.alert });
        if (point.alert) {
          const above = point.smoothed > point.upper;
          const limit = above ? point.upper : point.lower;
          alerts.push({
            start: w.start,
            metric: 'business_cost_per_1k',
            series: seriesName,
            value: point.smoothed,
            limit,
            direction: above ? 'above' : 'below',
            reason: `EWMA of the ${seriesName} cost per 1k (${round(point.smoothed)}) is ${above ? 'above the upper' : 'below the lower'} control limit ${round(limit)} (target ${round(target)}, λ=${lambda}, L=${limitWidth})`,
          });
        }
      });
    } else {
      const fit = stats(path, () => fitLocalLevel(values, { sampleSizes: sizes, target, confidence: KALMAN_CONFIDENCE }));
      smoothing.kalman = { irregular_variance: fit.used.irregularVariance, level_variance: fit.used.levelVariance, confidence: KALMAN_CONFIDENCE };
      series.forEach((i, k) => {
        const w = windows[i]!;
        const alert = fit.alert![k]!;
        Object.assign(w, { smoothed: fit.filtered[k]!, lower: fit.lower[k]!, upper: fit.upper[k]!, alert });
        if (alert) {
          const above = fit.lower[k]! > target;
          alerts.push({
            start: w.start,
            metric: 'business_cost_per_1k',
            series: seriesName,
            value: fit.filtered[k]!,
            limit: target,
            direction: above ? 'above' : 'below',
            reason: `Kalman level of the ${seriesName} cost per 1k (${round(fit.filtered[k]!)}, band ${round(fit.lower[k]!)}–${round(fit.upper[k]!)}) excludes the reference level ${round(target)}`,
          });
        }
      });
    }
  }

  const mixVsRate = await splitMixAndRate(connection, options, windows);
  const report: HealthReport = { input: path, task: options.cost.task, window: options.window, windows, alerts, mix_vs_rate: mixVsRate, smoothing, adjustment: adjustment.report, notes };
  if (options.score !== undefined) report.estimation = await estimate(connection, options, windows, notes);
  if (options.labelSource !== undefined) report.annotation = await annotatedBatches(connection, { path, column: options.labelSource, cost: options.cost, segments: options.segments });
  return report;
}

/** CBPE per window (binary task with --score): fills the estimate fields and says why a window has none. */
async function estimate(connection: DuckDBConnection, options: HealthReportOptions, windows: HealthWindowRow[], notes: string[]): Promise<HealthEstimation> {
  const minLabelCoverage = options.minLabelCoverage ?? DEFAULT_MIN_LABEL_COVERAGE;
  if (options.cost.task !== 'binary') {
    for (const w of windows) if (w.labelled === 0) w.reason = 'no labelled rows in this window, and CBPE cannot estimate a regressor';
    return {
      status: 'not_applicable',
      reason: 'CBPE estimates binary classifiers from calibrated probabilities; this is --task regression',
      method: 'cbpe',
      calibration: 'isotonic',
      reference: options.reference === undefined ? 'earlier-windows' : 'file',
      reference_file: options.reference ?? null,
      reference_rows: null,
      band: 'poisson-binomial',
      confidence: 0.95,
      min_label_coverage: minLabelCoverage,
      min_calibration_rows: MIN_CALIBRATION_ROWS,
      windows_estimated: 0,
      windows_checked: 0,
      checked_within_band: 0,
    };
  }
  const result = await estimateWindowCosts(connection, { path: options.input, matrix: options.cost.matrix, minLabelCoverage, referenceFile: options.reference ?? null }, windows);
  windows.forEach((w, i) => {
    const e = result.perWindow[i]!;
    Object.assign(w, e);
    if (w.labelled === 0) {
      w.reason = e.estimate_status === 'ok' ? 'no labelled rows in this window: see estimated_business_cost_per_1k (CBPE)' : `no labelled rows in this window, and no estimate: ${e.estimate_reason}`;
    }
  });
  notes.push(...result.notes);
  return result.estimation;
}

function per1k(cost: HealthCost, labelled: number, totalUsd: number, confusion: { tp: number; fp: number; fn: number; tn: number }): number {
  if (cost.task === 'regression') return businessCost(labelled, totalUsd).per1kPredictionsUsd;
  const { tp, fp, fn, tn } = confusion;
  return binaryBusinessCost({ confusion: { truePositives: tp, falsePositives: fp, falseNegatives: fn, trueNegatives: tn } }, cost.matrix).per1kPredictionsUsd;
}

function adjust(
  options: HealthReportOptions,
  windows: HealthWindowRow[],
  series: number[],
  raw: number[],
  sizes: number[],
  notes: string[],
): { values: number[]; report: HealthReport['adjustment'] } {
  const starts = series.map((i) => windows[i]!.start_ms);
  const levelsSeenTwice = (code: (ms: number) => number): boolean => {
    const counts = new Map<number, number>();
    for (const ms of starts) counts.set(code(ms), (counts.get(code(ms)) ?? 0) + 1);
    return counts.size > 1 && [...counts.values()].every((c) => c >= 2);
  };
  const hourOfDay = options.window === 'hour' && levelsSeenTwice((ms) => new Date(ms).getUTCHours());
  const dayOfWeek = options.window !== 'week' && levelsSeenTwice((ms) => new Date(ms).getUTCDay());
  const factors: Record<string, number[]> = {};
  for (const f of options.knownFactors) {
    factors[f] = series.map((i) => {
      const v = windows[i]!.factors![f];
      if (v === null || v === undefined) throw new OutlayError('invalid_input', `${options.input}: column "${f}" (--known-factors) is empty in the window starting ${windows[i]!.start}`);
      return v;
    });
  }
  const coefficients = 1 + (hourOfDay ? 23 : 0) + (dayOfWeek ? 6 : 0) + options.knownFactors.length;
  const none = { hour_of_day: false, day_of_week: false, factors: null, intercept: null };
  if (!hourOfDay && !dayOfWeek && options.knownFactors.length === 0) {
    return { values: raw, report: { applied: false, reason: 'nothing to adjust for: the series does not cover each hour/weekday twice and no --known-factors were given; adjusted = raw', ...none } };
  }
  if (series.length < 2 * coefficients) {
    const reason = `${series.length} windows with labels are too few for ${coefficients} coefficients (need ${2 * coefficients}); adjusted = raw`;
    notes.push(`adjustment skipped: ${reason}`);
    return { values: raw, report: { applied: false, reason, ...none } };
  }
  const fit = stats(options.input, () => seasonalAdjustment({ values: raw, windowStartMs: starts, hourOfDay, dayOfWeek, factors, weights: sizes }));
  const parts = [hourOfDay ? 'hour of day' : null, dayOfWeek ? 'day of week' : null, ...options.knownFactors].filter((x) => x !== null);
  return {
    values: Array.from(fit.adjusted),
    report: {
      applied: true,
      reason: `weighted least squares (weights = labelled rows) on ${parts.join(', ')}; adjusted = raw − (fitted − mean fitted)`,
      hour_of_day: hourOfDay,
      day_of_week: dayOfWeek,
      factors: fit.factors,
      intercept: fit.intercept,
    },
  };
}

/** Kitagawa split of the change in cost per 1k between the first and the last half of the windows (the middle one of an odd count is left out). */
async function splitMixAndRate(connection: DuckDBConnection, options: HealthReportOptions, windows: HealthWindowRow[]): Promise<Record<string, HealthMixVsRate>> {
  const out: Record<string, HealthMixVsRate> = {};
  if (options.segments.length === 0) return out;
  const half = Math.floor(windows.length / 2);
  if (half === 0) {
    for (const s of options.segments) out[s] = { status: 'insufficient_data', reason: 'one window: no baseline to compare with' };
    return out;
  }
  const baselineEnd = windows[half]!.start_ms;
  const currentStart = windows[windows.length - half]!.start_ms;
  const rows = await queryOrThrow(
    connection,
    options.input,
    `SELECT ${options.segments.map((_, j) => `g${j}`).join(', ')},
       count(*) FILTER (WHERE lab AND epoch_ms(w) < ${baselineEnd})::DOUBLE, coalesce(sum(c) FILTER (WHERE epoch_ms(w) < ${baselineEnd}), 0)::DOUBLE,
       count(*) FILTER (WHERE lab AND epoch_ms(w) >= ${currentStart})::DOUBLE, coalesce(sum(c) FILTER (WHERE epoch_ms(w) >= ${currentStart}), 0)::DOUBLE
     FROM scored GROUP BY GROUPING SETS (${options.segments.map((_, j) => `(g${j})`).join(', ')})`,
  );
  const d = options.segments.length;
  options.segments.forEach((segment, j) => {
    const periods = rows
      .filter((r) => r[j] !== null && r.slice(0, d).every((v, k) => k === j || v === null))
      .map((r) => ({ segment: String(r[j]), baseline: { rows: r[d] as number, total: 1000 * (r[d + 1] as number) }, current: { rows: r[d + 2] as number, total: 1000 * (r[d + 3] as number) } }))
      .filter((s) => s.baseline.rows > 0 || s.current.rows > 0)
      .sort((a, b) => (a.segment < b.segment ? -1 : a.segment > b.segment ? 1 : 0));
    const baselineRows = periods.reduce((sum, s) => sum + s.baseline.rows, 0);
    const currentRows = periods.reduce((sum, s) => sum + s.current.rows, 0);
    if (baselineRows === 0 || currentRows === 0) {
      out[segment] = { status: 'insufficient_data', reason: `no labelled rows in the ${baselineRows === 0 ? 'baseline' : 'current'} half` };
      return;
    }
    out[segment] = {
      status: 'ok',
      baseline: { from: windows[0]!.start, to: windows[half - 1]!.start, windows: half },
      current: { from: windows[windows.length - half]!.start, to: windows[windows.length - 1]!.start, windows: half },
      ...stats(options.input, () => mixRateDecomposition(periods)),
    };
  });
  return out;
}

/** Stats throws RangeError on impossible input: bad input for the CLI, named by file. */
function stats<T>(path: string, run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof RangeError) throw new OutlayError('invalid_input', `${path}: ${error.message}`, { cause: error });
    throw error;
  }
}

const round = (x: number): string => x.toFixed(2);

function nullableNumber(x: unknown): number | null {
  return x === null || x === undefined ? null : Number(x);
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
}
