import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { OutlayError } from '@outlay/schema';
import {
  classifyFailure,
  explainRateChange,
  kitagawaDecomposition,
  normalSf,
  rocAuc,
  type BadDataEvidence,
  type FailureEvidence,
  type FailureVerdict,
  type InteractionEvidence,
  type RateLeaf,
  type RcaResult,
  type RootCauseEvidence,
} from '@outlay/stats';
import { DEFAULT_SAMPLE_ROWS, driftReportOn, type DriftReport, type QualityFinding } from '../drift/compute-drift-report.js';
import { asDouble, openDriftSource, queryOrThrow, sqlName, sqlString, type DriftSource } from '../drift/open-drift-source.js';

export interface DiagnoseOptions {
  readonly reference: string;
  readonly current: string;
  readonly target: string;
  readonly prediction: string;
  readonly score?: string;
  /** An id column: never a feature or a dimension; repeated or shared ids become findings. */
  readonly id?: string;
  /** Columns that are not model inputs (a timestamp, a latency): left out of the detectors and dimensions. */
  readonly exclude?: readonly string[];
  /** Dimensions for the root-cause search; by default up to MAX_DIMENSIONS features (numbers binned by reference deciles). */
  readonly dimensions?: readonly string[];
  readonly sampleRows?: number;
  /** Prior weight per dimension for the root-cause search (e.g. from confirmed incidents); 1 each by default. */
  readonly priors?: Readonly<Record<string, number>>;
  /** Significance of a degradation (default 0.01). */
  readonly alpha?: number;
}

export type Task = 'classification' | 'regression';

export interface Diagnosis {
  readonly reference_rows: number;
  readonly current_rows: number;
  readonly task: Task;
  readonly detectors: {
    readonly performance: FailureEvidence['performance'] & {
      readonly reference_rows: number;
      readonly current_rows: number;
      /** Every metric measured (error rate or MAE; log loss with a score), with its one-sided p-value. */
      readonly metrics: readonly { readonly metric: string; readonly reference: number; readonly current: number; readonly p_value: number }[];
    };
    readonly data_quality: readonly QualityFinding[];
    readonly bad_data: readonly BadDataEvidence[];
    readonly support: FailureEvidence['support'];
    readonly drift: DriftReport;
    readonly calibration: FailureEvidence['calibration'];
    readonly discrimination: FailureEvidence['discrimination'];
  };
  readonly failure_types: readonly FailureVerdict[];
  readonly root_causes: readonly Readonly<Record<string, string>>[];
  readonly root_cause_search: (Omit<RcaResult, 'dimensions'> & { readonly dimensions: readonly string[] }) | null;
  readonly mix_share: number | null;
}

const MAX_DIMENSIONS = 6;
const MAX_CATEGORIES = 1000;
const BINS = 10;
const AUC_SAMPLE_ROWS = 200_000;
const BAD_DATA_FINDINGS = new Set<string>(['missing_increase', 'nan_increase', 'infinite_values', 'zero_increase', 'became_constant', 'type_change']);

/**
 * `outlay diagnose`: runs the detectors on a labelled reference and a labelled current file (drift and data
 * quality, the error with its significance, the rows outside the reference support, calibration and ranking
 * when there is a score), searches the slices that explain the error change, and names the failure type the
 * evidence points to (stats' classifyFailure). Every aggregate is DuckDB SQL over the files.
 */
export async function computeDiagnosis(options: DiagnoseOptions): Promise<Diagnosis> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const ref = await openDriftSource(connection, 'reference', options.reference);
    const cur = await openDriftSource(connection, 'current', options.current);
    const drift = await driftReportOn(connection, ref, cur, {
      reference: options.reference,
      current: options.current,
      target: options.target,
      prediction: options.prediction,
      ...(options.score === undefined ? {} : { score: options.score }),
      ...(options.id === undefined ? {} : { id: options.id }),
      ...(options.exclude === undefined ? {} : { exclude: options.exclude }),
      sampleRows: options.sampleRows ?? DEFAULT_SAMPLE_ROWS,
    });
    return await diagnose(connection, ref, cur, drift, options);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

async function diagnose(connection: DuckDBConnection, ref: DriftSource, cur: DriftSource, drift: DriftReport, options: DiagnoseOptions): Promise<Diagnosis> {
  const y = sqlName(options.target);
  const p = sqlName(options.prediction);
  const task = await detectTask(connection, ref, options);
  const binary = options.score !== undefined && task === 'classification' && (await isBinaryTarget(connection, options.target));
  // Classification: 1 when the prediction is not the label (compared as numbers when both read as numbers).
  const metrics: { name: string; sql: string; proportion: boolean }[] = [
    task === 'classification'
      ? { name: 'error rate', sql: `CASE WHEN ${y} IS NULL OR ${p} IS NULL THEN NULL ELSE coalesce(TRY_CAST(${y} AS DOUBLE) <> TRY_CAST(${p} AS DOUBLE), ${y}::VARCHAR <> ${p}::VARCHAR)::DOUBLE END`, proportion: true }
      : { name: 'mean absolute error', sql: `abs(TRY_CAST(${p} AS DOUBLE) - TRY_CAST(${y} AS DOUBLE))`, proportion: false },
  ];
  if (binary) {
    // Per-row log loss, the score clipped to [1e-15, 1 − 1e-15] as sklearn does.
    const s = `greatest(least(${asDouble(options.score!)}, 1 - 1e-15), 1e-15)`;
    const label = `TRY_CAST(${y} AS DOUBLE)`;
    metrics.push({ name: 'log loss', sql: `-(${label} * ln(${s}) + (1 - ${label}) * ln(1 - ${s}))`, proportion: false });
  }
  const columns = metrics.map((m, i) => `${m.sql} AS __m${i}`).join(', ');
  await connection.run(`CREATE TEMP VIEW ref_m AS SELECT *, ${columns} FROM ref`);
  await connection.run(`CREATE TEMP VIEW cur_m AS SELECT *, ${columns} FROM cur`);
  const measured: ((typeof metrics)[number] & { index: number } & Awaited<ReturnType<typeof compareMeans>>)[] = [];
  for (const [i, m] of metrics.entries()) measured.push({ ...m, index: i, ...(await compareMeans(connection, `__m${i}`, m.proportion)) });
  if (measured[0]!.n0 === 0) throw new OutlayError('invalid_input', `${ref.path}: no row has both "${options.target}" (--target) and "${options.prediction}" (--prediction)`);
  if (measured[0]!.n1 === 0) throw new OutlayError('invalid_input', `${cur.path}: no row has both "${options.target}" (--target) and "${options.prediction}" (--prediction)`);
  // The metric that got significantly worse by the largest share leads; without one, log loss when there is a score.
  const alpha = options.alpha ?? 0.01;
  const relative = (m: (typeof measured)[number]) => (m.reference > 0 ? (m.current - m.reference) / m.reference : 0);
  const worse = measured.filter((m) => m.pValue < alpha).sort((a, b) => relative(b) - relative(a));
  const lead = worse[0] ?? measured[measured.length - 1]!;
  await connection.run(`CREATE TEMP VIEW ref_e AS SELECT *, __m${lead.index} AS __err FROM ref_m`);
  await connection.run(`CREATE TEMP VIEW cur_e AS SELECT *, __m${lead.index} AS __err FROM cur_m`);
  const performance = { metric: lead.name, reference: lead.reference, current: lead.current, pValue: lead.pValue };
  const n0 = lead.n0;
  const n1 = lead.n1;

  const features = drift.columns.filter((c) => c.role === 'feature');
  const badData = await badDataEvidence(connection, drift.data_quality.findings.filter((f) => f.column !== null && BAD_DATA_FINDINGS.has(f.finding) && features.some((c) => c.column === f.column)), features);
  const support = await supportEvidence(connection, features, drift);
  const dimensions = await dimensionSql(connection, features, options.dimensions);
  const search = await rootCauseSearch(connection, dimensions, cur.path, options.priors);
  const rootCauses: RootCauseEvidence[] = (search?.root_causes ?? []).map((slice) => {
    const explanation = search!.explanations.find((e) => sameSlice(e.slice, slice));
    return {
      slice,
      explainedShare: explanation?.explained_share ?? 0,
      kind: explanation?.kind ?? 'rate',
      insideSupport: Object.entries(slice).every(([k, v]) => search!.referenceValues.get(k)?.has(v) ?? true),
    };
  });
  const interactions = search ? interactionsWithin(search, dimensions, rootCauses) : [];
  const mixShare = search ? mixShareOf(search, dimensions, new Set([...badData.map((b) => b.column), ...support.columns])) : null;
  const scoring = binary ? await scoreEvidence(connection, options.score!, options.target) : null;
  const target = drift.columns.find((c) => c.role === 'target');
  const prediction = drift.columns.find((c) => c.role === 'prediction');
  const evidence: FailureEvidence = {
    performance,
    mixShare,
    badData,
    support,
    drift: {
      featureShare: features.length === 0 ? 0 : features.filter((c) => c.drift).length / features.length,
      targetDrift: target ? target.drift : null,
      predictionDrift: prediction ? prediction.drift : null,
    },
    calibration: scoring?.calibration ?? null,
    discrimination: scoring?.discrimination ?? null,
    rootCauses,
    interactions,
  };
  const verdicts = classifyFailure(evidence, { alpha });
  const { referenceValues: _values, leaves: _leaves, ...searchReport } = search ?? { referenceValues: null, leaves: null };
  return {
    reference_rows: drift.reference_rows,
    current_rows: drift.current_rows,
    task,
    detectors: {
      performance: {
        ...performance,
        reference_rows: n0,
        current_rows: n1,
        metrics: measured.map((m) => ({ metric: m.name, reference: m.reference, current: m.current, p_value: m.pValue })),
      },
      data_quality: drift.data_quality.findings,
      bad_data: badData,
      support,
      drift,
      calibration: evidence.calibration,
      discrimination: evidence.discrimination,
    },
    failure_types: verdicts,
    root_causes: rootCauses.map((r) => r.slice),
    root_cause_search: search ? { ...(searchReport as Omit<RcaResult, 'dimensions'>), dimensions: dimensions.map((d) => d.name) } : null,
    mix_share: mixShare,
  };
}

/** Mean of a per-row measure on each side and the one-sided p-value that the current mean is higher. */
async function compareMeans(connection: DuckDBConnection, column: string, proportion: boolean): Promise<{ n0: number; n1: number; reference: number; current: number; pValue: number }> {
  const side = (relation: string) => `(SELECT [count(${column})::DOUBLE, coalesce(sum(${column}), 0)::DOUBLE, coalesce(sum(${column} * ${column}), 0)::DOUBLE] FROM ${relation})`;
  const [[r, c]] = (await queryOrThrow(connection, 'reference and current', `SELECT ${side('ref_m')}, ${side('cur_m')}`)) as [[number[], number[]]];
  const [n0, s0, q0] = r as [number, number, number];
  const [n1, s1, q1] = c as [number, number, number];
  if (n0 === 0 || n1 === 0) return { n0, n1, reference: 0, current: 0, pValue: 1 };
  const m0 = s0 / n0;
  const m1 = s1 / n1;
  const variance = (n: number, s: number, q: number) => Math.max(0, q / n - (s / n) ** 2);
  const pooled = (s0 + s1) / (n0 + n1);
  // Proportions: the pooled two-proportion z-test; other means: Welch's z (large samples).
  const se = proportion ? Math.sqrt(pooled * (1 - pooled) * (1 / n0 + 1 / n1)) : Math.sqrt(variance(n0, s0, q0) / n0 + variance(n1, s1, q1) / n1);
  const pValue = se > 0 ? normalSf((m1 - m0) / se) : m1 > m0 ? 0 : 1;
  return { n0, n1, reference: m0, current: m1, pValue };
}

async function isBinaryTarget(connection: DuckDBConnection, target: string): Promise<boolean> {
  const y = `TRY_CAST(${sqlName(target)} AS DOUBLE)`;
  const [[values]] = (await queryOrThrow(connection, 'reference', `SELECT list(DISTINCT ${y}) FILTER (WHERE ${y} IS NOT NULL) FROM ref`)) as [[number[] | null]];
  return values !== null && values.length === 2 && values.every((v) => v === 0 || v === 1);
}

/** Regression when target and prediction are numbers and the target takes more than 10 values; otherwise classification. */
async function detectTask(connection: DuckDBConnection, ref: DriftSource, options: DiagnoseOptions): Promise<Task> {
  const numeric = (type: string | undefined) => type !== undefined && /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|U\w*INT|FLOAT|REAL|DOUBLE|DECIMAL.*)$/.test(type);
  if (!numeric(ref.columns.get(options.target)) || !numeric(ref.columns.get(options.prediction))) return 'classification';
  const [[distinct]] = (await queryOrThrow(connection, ref.path, `SELECT count(DISTINCT ${sqlName(options.target)})::DOUBLE FROM ref`)) as [[number]];
  return distinct > 10 ? 'regression' : 'classification';
}

/** For each bad-data finding, the share of current rows it touches and the error there ÷ the error elsewhere. */
async function badDataEvidence(connection: DuckDBConnection, findings: readonly QualityFinding[], features: DriftReport['columns']): Promise<BadDataEvidence[]> {
  const out: BadDataEvidence[] = [];
  for (const f of findings) {
    const column = f.column!;
    const q = sqlName(column);
    const x = asDouble(column);
    const numeric = features.find((c) => c.column === column)?.kind === 'numeric';
    const condition: string | null = {
      missing_increase: numeric ? `(${q} IS NULL OR isnan(${x}) OR ${x} IS NULL)` : `${q} IS NULL`,
      nan_increase: `isnan(${x})`,
      infinite_values: `isinf(${x})`,
      zero_increase: `${x} = 0`,
      type_change: `(${q} IS NOT NULL AND ${x} IS NULL)`,
      became_constant: null,
    }[f.finding as BadDataEvidence['finding']];
    let affectedShare: number | null = null;
    let errorLift: number | null = null;
    if (condition !== null) {
      const [[affected, total, errAffected, errOther]] = (await queryOrThrow(
        connection,
        column,
        `SELECT count(*) FILTER (WHERE ${condition})::DOUBLE, count(*)::DOUBLE, avg(__err) FILTER (WHERE ${condition}), avg(__err) FILTER (WHERE NOT coalesce(${condition}, false)) FROM cur_e`,
      )) as [[number, number, number | null, number | null]];
      affectedShare = total > 0 ? affected / total : null;
      errorLift = errAffected !== null && errOther !== null && errOther > 0 ? errAffected / errOther : null;
    }
    out.push({ column, finding: f.finding as BadDataEvidence['finding'], detail: f.detail, affectedShare, errorLift });
  }
  return out;
}

/** Current rows with a value outside the reference range or a category the reference never saw, and their error. */
async function supportEvidence(connection: DuckDBConnection, features: DriftReport['columns'], drift: DriftReport): Promise<FailureEvidence['support']> {
  const parts: string[] = [];
  const columns: string[] = [];
  for (const c of features) {
    const q = sqlName(c.column);
    if (c.kind === 'numeric' && (c.out_of_range_share ?? 0) > 0) {
      const x = asDouble(c.column);
      parts.push(`(isfinite(${x}) AND (${x} < (SELECT min(${x}) FILTER (WHERE isfinite(${x})) FROM ref) OR ${x} > (SELECT max(${x}) FILTER (WHERE isfinite(${x})) FROM ref)))`);
      columns.push(c.column);
    } else if (c.kind === 'categorical' && c.new_categories.length > 0) {
      parts.push(`(${q} IS NOT NULL AND ${q}::VARCHAR NOT IN (SELECT DISTINCT ${q}::VARCHAR FROM ref WHERE ${q} IS NOT NULL))`);
      columns.push(c.column);
    }
  }
  const multivariateDrift = drift.multivariate?.drift ?? false;
  if (parts.length === 0) {
    const [[errInside]] = (await queryOrThrow(connection, 'current', 'SELECT avg(__err) FROM cur_e')) as [[number | null]];
    return { outsideShare: 0, errorOutside: null, errorInside: errInside, columns, multivariateDrift };
  }
  const outside = parts.join(' OR ');
  const [[n, total, errOut, errIn]] = (await queryOrThrow(
    connection,
    'current',
    `SELECT count(*) FILTER (WHERE ${outside})::DOUBLE, count(*)::DOUBLE, avg(__err) FILTER (WHERE ${outside}), avg(__err) FILTER (WHERE NOT coalesce(${outside}, false)) FROM cur_e`,
  )) as [[number, number, number | null, number | null]];
  return { outsideShare: total > 0 ? n / total : 0, errorOutside: errOut, errorInside: errIn, columns, multivariateDrift };
}

interface Dimension {
  readonly name: string;
  /** SQL giving the row's attribute value (text) on either side. */
  readonly sql: string;
}

const compact = (x: number): string => (Number.isInteger(x) ? String(x) : Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 1 ? x.toFixed(2) : x.toPrecision(3));

/**
 * The dimensions of the root-cause search: categorical features with at most MAX_CATEGORIES values in the
 * reference as they are, numeric features binned at the reference deciles (`[a, b)`, with `below range`,
 * `above range` and `(missing)` for what falls outside).
 */
async function dimensionSql(connection: DuckDBConnection, features: DriftReport['columns'], chosen: readonly string[] | undefined): Promise<Dimension[]> {
  const candidates = chosen
    ? chosen.map((name) => {
      const feature = features.find((c) => c.column === name);
      if (!feature) throw new OutlayError('invalid_input', `--dimensions: "${name}" is not a compared feature column; features: ${features.map((c) => c.column).join(', ')}`);
      return feature;
    })
    : features;
  const out: Dimension[] = [];
  for (const c of candidates) {
    if (out.length >= MAX_DIMENSIONS && !chosen) break;
    const q = sqlName(c.column);
    if (c.kind === 'categorical') {
      const [[distinct]] = (await queryOrThrow(connection, 'reference', `SELECT count(DISTINCT ${q})::DOUBLE FROM ref`)) as [[number]];
      if (distinct > MAX_CATEGORIES && !chosen) continue;
      out.push({ name: c.column, sql: `coalesce(${q}::VARCHAR, '(missing)')` });
      continue;
    }
    const x = asDouble(c.column);
    const qs = Array.from({ length: BINS - 1 }, (_, i) => (i + 1) / BINS);
    const [[edges, min, max]] = (await queryOrThrow(
      connection,
      'reference',
      `SELECT quantile_disc(${x}, [${qs.join(', ')}]) FILTER (WHERE isfinite(${x})), min(${x}) FILTER (WHERE isfinite(${x})), max(${x}) FILTER (WHERE isfinite(${x})) FROM ref`,
    )) as [[number[] | null, number | null, number | null]];
    if (edges === null || min === null || max === null) continue;
    const cuts = [...new Set([min, ...edges.filter((e) => e > min && e <= max)])].sort((a, b) => a - b);
    const cases = cuts.map((low, i) => {
      const high = cuts[i + 1];
      return high === undefined ? `WHEN ${x} <= ${sqlString(String(max))}::DOUBLE THEN '[${compact(low)}, ${compact(max)}]'` : `WHEN ${x} < ${sqlString(String(high))}::DOUBLE THEN '[${compact(low)}, ${compact(high)})'`;
    });
    out.push({
      name: c.column,
      sql: `CASE WHEN ${x} IS NULL OR isnan(${x}) THEN '(missing)' WHEN ${x} < ${sqlString(String(min))}::DOUBLE THEN 'below range' WHEN ${x} > ${sqlString(String(max))}::DOUBLE THEN 'above range' ${cases.join(' ')} END`,
    });
  }
  return out;
}

/** The ripple-effect search on the error rate (Σ error / rows) per leaf of the dimensions, reference → current. */
type RootCauseSearch = RcaResult & { referenceValues: Map<string, Set<string>>; leaves: RateLeaf[] };

async function rootCauseSearch(
  connection: DuckDBConnection,
  dimensions: readonly Dimension[],
  currentPath: string,
  priors: Readonly<Record<string, number>> = {},
): Promise<RootCauseSearch | null> {
  if (dimensions.length === 0) return null;
  const select = dimensions.map((d, j) => `${d.sql} AS k${j}`).join(', ');
  const keys = dimensions.map((_, j) => `k${j}`).join(', ');
  const rows = (await queryOrThrow(
    connection,
    currentPath,
    `WITH r AS (SELECT ${select}, sum(__err)::DOUBLE AS n, count(__err)::DOUBLE AS d FROM ref_e GROUP BY ALL),
          c AS (SELECT ${select}, sum(__err)::DOUBLE AS n, count(__err)::DOUBLE AS d FROM cur_e GROUP BY ALL)
     SELECT ${dimensions.map((_, j) => `coalesce(r.k${j}, c.k${j})`).join(', ')}, coalesce(r.n, 0), coalesce(r.d, 0), coalesce(c.n, 0), coalesce(c.d, 0)
     FROM r FULL JOIN c USING (${keys})`,
  )) as unknown[][];
  const k = dimensions.length;
  const leaves: RateLeaf[] = rows.map((row) => ({
    attributes: row.slice(0, k).map(String),
    baselineNum: row[k] as number,
    baselineDen: row[k + 1] as number,
    currentNum: row[k + 2] as number,
    currentDen: row[k + 3] as number,
  }));
  const referenceValues = new Map(dimensions.map((d) => [d.name, new Set<string>()]));
  for (const leaf of leaves) if (leaf.baselineDen > 0) leaf.attributes.forEach((v, j) => referenceValues.get(dimensions[j]!.name)!.add(v));
  // Numeric bins outside the reference range are outside the support even though the bin label exists.
  for (const values of referenceValues.values()) {
    values.delete('below range');
    values.delete('above range');
  }
  try {
    // Keys are a dimension (`region`) or a dimension's value (`region:eu`); others name columns not searched.
    const known = Object.fromEntries(Object.entries(priors).filter(([key]) => dimensions.some((x) => x.name === key.split(':')[0])));
    return { ...explainRateChange(dimensions.map((d) => d.name), leaves, { priors: known }), referenceValues, leaves };
  } catch (error) {
    if (error instanceof RangeError) return null;
    throw error;
  }
}

/** Calibration in the large and ROC AUC, when the target is binary (0/1 or true/false) and there is a score. */
async function scoreEvidence(connection: DuckDBConnection, score: string, target: string): Promise<{ calibration: FailureEvidence['calibration']; discrimination: FailureEvidence['discrimination'] } | null> {
  const s = asDouble(score);
  const y = `TRY_CAST(${sqlName(target)} AS DOUBLE)`;
  const side = async (relation: string) => {
    const [[n, gap, gapSquares]] = (await queryOrThrow(connection, relation, `SELECT count(*)::DOUBLE, avg(${s} - ${y}), avg((${s} - ${y}) * (${s} - ${y})) FROM ${relation} WHERE ${s} IS NOT NULL AND ${y} IS NOT NULL AND isfinite(${s})`)) as [[number, number | null, number | null]];
    const sample = (await queryOrThrow(connection, relation, `SELECT ${y}, ${s} FROM ${relation} WHERE ${s} IS NOT NULL AND ${y} IS NOT NULL AND isfinite(${s}) USING SAMPLE ${AUC_SAMPLE_ROWS} ROWS (reservoir, 42)`)) as [number, number][];
    const labels = Float64Array.from(sample, (r) => r[0]);
    const scores = Float64Array.from(sample, (r) => r[1]);
    let auc: number | null = null;
    try {
      auc = labels.length > 0 ? rocAuc(labels, scores) : null;
    } catch {
      auc = null; // one class only on this side: AUC undefined
    }
    return { n, gap: gap ?? 0, variance: Math.max(0, (gapSquares ?? 0) - (gap ?? 0) ** 2), auc };
  };
  const r = await side('ref');
  const c = await side('cur');
  if (r.n === 0 || c.n === 0) return null;
  const se = Math.sqrt(r.variance / r.n + c.variance / c.n);
  const z = se > 0 ? Math.abs(c.gap - r.gap) / se : 0;
  return {
    calibration: { referenceGap: r.gap, currentGap: c.gap, pValue: Math.min(1, 2 * normalSf(z)) },
    discrimination: r.auc !== null && c.auc !== null ? { referenceAuc: r.auc, currentAuc: c.auc } : null,
  };
}

// Inside a root cause, sub-slices that hold this much of its change on at most MINORITY of its rows make an interaction.
const CONCENTRATED = 0.7;
const MINORITY = 0.6;

/**
 * For each single-attribute root cause inside the support where the error rose, the search run again on the
 * slice's own leaves over the other dimensions: when a few sub-slices hold most of the slice's change on a
 * minority of its rows, the failure is an interaction (one airport's evenings), not the whole slice.
 */
function interactionsWithin(search: RootCauseSearch, dimensions: readonly Dimension[], rootCauses: readonly RootCauseEvidence[]): InteractionEvidence[] {
  const out: InteractionEvidence[] = [];
  for (const cause of rootCauses) {
    const keys = Object.keys(cause.slice);
    if (keys.length !== 1 || !cause.insideSupport || cause.kind !== 'rate' || dimensions.length < 2) continue;
    const j = dimensions.findIndex((d) => d.name === keys[0]);
    const value = cause.slice[keys[0]!]!;
    const others = dimensions.map((d) => d.name).filter((_, k) => k !== j);
    const inside = search.leaves
      .filter((l) => l.attributes[j] === value)
      .map((l) => ({ ...l, attributes: l.attributes.filter((_, k) => k !== j) }));
    let sub: RcaResult;
    try {
      sub = explainRateChange(others, inside);
    } catch (error) {
      if (error instanceof RangeError) continue;
      throw error;
    }
    if (sub.root_causes.length === 0 || sub.root_cause_share < CONCENTRATED) continue;
    const rows = (slice: Readonly<Record<string, string>>) =>
      inside.filter((l) => Object.entries(slice).every(([k, v]) => l.attributes[others.indexOf(k)] === v)).reduce((n, l) => n + l.currentDen, 0);
    const total = inside.reduce((n, l) => n + l.currentDen, 0);
    const within = total > 0 ? sub.root_causes.reduce((n, slice) => n + rows(slice), 0) / total : 1;
    if (within > MINORITY) continue;
    out.push({ slice: { ...cause.slice, ...sub.root_causes[0]! }, explainedShare: cause.explainedShare * sub.root_cause_share, rowShareWithin: within });
  }
  return out;
}

/**
 * The largest share of the error change that a change of segment mix explains (Kitagawa), over the dimensions
 * whose segments all exist in the reference and carry no data-quality finding: rows that moved into a
 * "below range" bin because a pipeline zeroed them did not change the mix, the data did.
 */
function mixShareOf(search: RootCauseSearch, dimensions: readonly Dimension[], suspect: ReadonlySet<string>): number | null {
  const delta = search.change.delta;
  if (delta === 0) return null;
  let best: number | null = null;
  dimensions.forEach((dimension, j) => {
    if (suspect.has(dimension.name)) return;
    const groups = new Map<string, { baselineNum: number; baselineDen: number; currentNum: number; currentDen: number }>();
    for (const leaf of search.leaves) {
      const g = groups.get(leaf.attributes[j]!) ?? { baselineNum: 0, baselineDen: 0, currentNum: 0, currentDen: 0 };
      g.baselineNum += leaf.baselineNum;
      g.baselineDen += leaf.baselineDen;
      g.currentNum += leaf.currentNum;
      g.currentDen += leaf.currentDen;
      groups.set(leaf.attributes[j]!, g);
    }
    // A segment the reference never had is new traffic, not a re-weighting of known segments.
    if ([...groups.values()].some((g) => g.baselineDen === 0 && g.currentDen > 0)) return;
    const { mix } = kitagawaDecomposition([...groups.values()]);
    const share = Math.max(0, Math.min(1, mix / delta));
    best = best === null ? share : Math.max(best, share);
  });
  return best;
}

function sameSlice(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => a[k] === b[k]);
}
