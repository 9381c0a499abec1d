import type { DuckDBConnection } from '@duckdb/node-api';
import { OutlayError } from '@outlay/schema';
import { latestBatchWorse, latestBatchWorseStratified, type AnnotatedBatch, type BatchStratum, type LatestBatchWorse } from '@outlay/stats';
import type { HealthCost } from './health-cost.js';
import { queryOrThrow } from '../drift/open-drift-source.js';

/** `latestBatchWorse` in the CLI's snake_case, with the metric it tested. */
export interface HealthBatchTest {
  metric: 'error_rate' | 'mean_cost_usd';
  latest: { start: string; n: number; value: number } | null;
  earlier: { batches: number; n: number; value: number } | null;
  difference: number | null;
  p_value: number | null;
  method: LatestBatchWorse['method'];
  worse: boolean;
  insufficient_data: boolean;
  reason: string | null;
}

export interface HealthAnnotation {
  source_column: string;
  /** Windows with at least one labelled row whose source is `annotation`, in time order. */
  batches: { start: string; n: number; errors: number | null; error_rate: number | null; business_cost_per_1k: number }[];
  /** Binary: the error rate (two-proportion z or Fisher's exact, one-sided); regression: the mean row cost (permutation test). */
  latest_batch_worse: HealthBatchTest;
  /** Binary only: the mean business cost per row of the latest batch against the earlier ones (permutation test). */
  latest_batch_costlier: HealthBatchTest | null;
  /**
   * With --segments: the error rate compared within strata (every combination of the segment values), so that
   * a batch holding more hard cases is not called worse (Cochran–Mantel–Haenszel, one-sided).
   */
  latest_batch_worse_adjusted?: {
    by: string[];
    method: 'cochran-mantel-haenszel';
    strata: number;
    strata_used: number;
    common_odds_ratio: number | null;
    statistic: number | null;
    p_value: number | null;
    worse: boolean;
    insufficient_data: boolean;
    reason: string | null;
  };
  alpha: number;
}

const ALPHA = 0.05;

/**
 * Rows whose --label-source is `annotation` (case and surrounding spaces ignored) form one batch per window;
 * the latest batch is tested against the earlier ones pooled. Counts come from DuckDB; row costs are rebuilt
 * from the confusion counts for a binary task and read (annotated rows only) for a regression.
 */
export async function annotatedBatches(
  connection: DuckDBConnection,
  input: { path: string; column: string; cost: HealthCost; segments: readonly string[] },
): Promise<HealthAnnotation> {
  const annotated = `lab AND lower(trim(src_label)) = 'annotation'`;
  const rows = await queryOrThrow(
    connection,
    input.path,
    `SELECT epoch_ms(w)::DOUBLE, strftime(w, '%Y-%m-%dT%H:%M:%SZ'), count(*)::DOUBLE,
       count(*) FILTER (WHERE y = 1 AND p = 1)::DOUBLE, count(*) FILTER (WHERE y = 0 AND p = 1)::DOUBLE,
       count(*) FILTER (WHERE y = 1 AND p = 0)::DOUBLE, count(*) FILTER (WHERE y = 0 AND p = 0)::DOUBLE, sum(c)::DOUBLE
     FROM scored WHERE ${annotated} GROUP BY w ORDER BY w`,
  );
  const binary = input.cost.task === 'binary';
  const batches: HealthAnnotation['batches'] = [];
  const counted: AnnotatedBatch[] = [];
  const costed: { start: string; costs: number[] }[] = [];
  const byStart = new Map<number, number[]>();
  if (!binary) {
    const costs = await queryOrThrow(connection, input.path, `SELECT epoch_ms(w)::DOUBLE, c FROM scored WHERE ${annotated} ORDER BY w`);
    for (const [ms, c] of costs as [number, number][]) {
      let list = byStart.get(ms);
      if (list === undefined) byStart.set(ms, (list = []));
      list.push(c);
    }
  }
  for (const r of rows) {
    const [ms, start, n, tp, fp, fn, tn, cost] = r as [number, string, number, number, number, number, number, number];
    const errors = binary ? fp + fn : null;
    batches.push({ start, n, errors, error_rate: errors === null ? null : errors / n, business_cost_per_1k: (1000 * cost) / n });
    if (binary) {
      const m = (input.cost as Extract<HealthCost, { task: 'binary' }>).matrix;
      counted.push({ start, n, errors: fp + fn });
      costed.push({
        start,
        costs: [
          ...repeat(-m.truePositiveValueUsd, tp),
          ...repeat(m.falsePositiveUsd, fp),
          ...repeat(m.falseNegativeUsd, fn),
          ...repeat(-m.trueNegativeValueUsd, tn),
        ],
      });
    } else {
      costed.push({ start, costs: byStart.get(ms) ?? [] });
    }
  }
  const test = (metric: HealthBatchTest['metric'], run: () => LatestBatchWorse): HealthBatchTest => {
    let result: LatestBatchWorse;
    try {
      result = run();
    } catch (error) {
      if (error instanceof RangeError) throw new OutlayError('invalid_input', `${input.path}: --label-source ${input.column}: ${error.message}`, { cause: error });
      throw error;
    }
    const { pValue, insufficientData, ...rest } = result;
    return { metric, ...rest, p_value: pValue, insufficient_data: insufficientData };
  };
  const noBatch = batches.length === 0 ? ` (no labelled row has source "annotation" in column "${input.column}")` : '';
  const withReason = (t: HealthBatchTest): HealthBatchTest => (t.reason !== null && noBatch !== '' ? { ...t, reason: `${t.reason}${noBatch}` } : t);
  const report: HealthAnnotation = {
    source_column: input.column,
    batches,
    latest_batch_worse: withReason(binary ? test('error_rate', () => latestBatchWorse(counted, { alpha: ALPHA })) : test('mean_cost_usd', () => latestBatchWorse(costed, { alpha: ALPHA }))),
    latest_batch_costlier: binary ? withReason(test('mean_cost_usd', () => latestBatchWorse(costed, { alpha: ALPHA }))) : null,
    alpha: ALPHA,
  };
  if (input.segments.length > 0) report.latest_batch_worse_adjusted = await adjusted(connection, input, annotated, rows.length === 0 ? null : (rows[rows.length - 1]![0] as number));
  return report;
}

async function adjusted(
  connection: DuckDBConnection,
  input: { path: string; cost: HealthCost; segments: readonly string[] },
  annotated: string,
  latestMs: number | null,
): Promise<NonNullable<HealthAnnotation['latest_batch_worse_adjusted']>> {
  const by = [...input.segments];
  const empty = { by, method: 'cochran-mantel-haenszel' as const, strata: 0, strata_used: 0, common_odds_ratio: null, statistic: null, p_value: null, worse: false, insufficient_data: true };
  if (input.cost.task !== 'binary') return { ...empty, reason: 'the within-strata test compares error counts of a binary task' };
  if (latestMs === null) return { ...empty, reason: 'no annotated batches' };
  const stratum = input.segments.length === 1 ? 'g0' : `concat_ws(' | ', ${input.segments.map((_, j) => `g${j}`).join(', ')})`;
  const rows = await queryOrThrow(
    connection,
    input.path,
    `SELECT ${stratum} AS stratum, count(*) FILTER (WHERE epoch_ms(w) = ${latestMs})::DOUBLE, count(*) FILTER (WHERE epoch_ms(w) = ${latestMs} AND y <> p)::DOUBLE,
       count(*) FILTER (WHERE epoch_ms(w) < ${latestMs})::DOUBLE, count(*) FILTER (WHERE epoch_ms(w) < ${latestMs} AND y <> p)::DOUBLE
     FROM scored WHERE ${annotated} GROUP BY stratum ORDER BY stratum`,
  );
  const strata: BatchStratum[] = (rows as [string, number, number, number, number][]).map(([name, nL, xL, nE, xE]) => ({
    stratum: name,
    latest: { n: nL, errors: xL },
    earlier: { n: nE, errors: xE },
  }));
  const result = latestBatchWorseStratified(strata, ALPHA);
  return {
    by,
    method: result.method,
    strata: strata.length,
    strata_used: result.strataUsed,
    common_odds_ratio: result.commonOddsRatio,
    statistic: result.statistic,
    p_value: result.pValue,
    worse: result.worse,
    insufficient_data: result.insufficientData,
    reason: result.reason,
  };
}

function repeat(value: number, times: number): number[] {
  return new Array<number>(times).fill(value);
}
