import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { OutlayError } from '@outlay/schema';
import {
  chooseMethod,
  datasetDrift,
  detectColumnDrift,
  driftMethod,
  reconstructionDrift,
  type ColumnDrift,
  type ColumnKind,
  type DriftInput,
  type MultivariateColumn,
  type PValueCorrection,
  type ReconstructionDrift,
} from '@outlay/stats';
import { openDriftSource, queryOrThrow, sqlName, type DriftSource } from './open-drift-source.js';
import { pullDriftSample, type DriftSample } from './pull-drift-sample.js';

export type DriftRole = 'feature' | 'target' | 'prediction' | 'score';

export interface DriftReportOptions {
  readonly reference: string;
  readonly current: string;
  readonly target?: string;
  readonly prediction?: string;
  readonly score?: string;
  /** Only these columns (plus target, prediction and score); all shared columns when absent. */
  readonly columns?: readonly string[];
  readonly exclude?: readonly string[];
  /** A registry method forced on every column it applies to; Evidently's rule for the others. */
  readonly method?: string;
  /** Threshold for the forced method's columns, or for every column when no method is forced. */
  readonly threshold?: number;
  readonly correction?: PValueCorrection;
  /** Sample-based methods and the multivariate model see at most this many rows per side (a seeded hash sample). */
  readonly sampleRows?: number;
}

/** One column of `outlay drift --format json` (DESIGN.md contract, plus `role`, `sampled` and counts). */
export interface ColumnDriftReport {
  readonly column: string;
  readonly kind: ColumnKind;
  readonly role: DriftRole;
  readonly method: string;
  /** Non-finite statistics (chi-square on a category the reference never saw) are written as ±Number.MAX_VALUE. */
  readonly score: number | null;
  readonly p_value: number | null;
  readonly threshold: number;
  readonly drift: boolean;
  readonly missing: { readonly reference_share: number; readonly current_share: number };
  /** Share of current non-missing values outside [reference min, reference max]; null for categorical columns. */
  readonly out_of_range_share: number | null;
  /** The same outside the reference 0.1%–99.9% quantiles (from the reference sample). */
  readonly out_of_quantile_range_share: number | null;
  /** Up to 20 current values never seen in the reference, most frequent first. */
  readonly new_categories: readonly string[];
  readonly new_category_counts: readonly { readonly value: string; readonly count: number }[];
  /** True when the method ran on a seeded sample rather than every row. */
  readonly sampled: boolean;
}

export interface DriftReport {
  readonly reference_rows: number;
  readonly current_rows: number;
  readonly columns: readonly ColumnDriftReport[];
  readonly drifted_columns: number;
  readonly share_of_drifted_columns: number;
  readonly dataset_drift: boolean;
  readonly correction: PValueCorrection;
  readonly multivariate: (ReconstructionDrift & { readonly sampled: boolean; readonly columns: readonly string[] }) | null;
  /** Shared columns left out because drift is not defined for their type (dates, lists, structs). */
  readonly skipped_columns: readonly { readonly column: string; readonly type: string }[];
}

const NUMERIC_TYPE = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|REAL|DOUBLE|DECIMAL(\(.*\))?)$/;
const CATEGORICAL_TYPE = /^(VARCHAR|BOOLEAN|ENUM\(.*\))$/;
const NEW_CATEGORIES_SHOWN = 20;
export const DEFAULT_SAMPLE_ROWS = 100_000;

function kindOf(type: string): ColumnKind | null {
  if (NUMERIC_TYPE.test(type)) return 'numeric';
  if (CATEGORICAL_TYPE.test(type)) return 'categorical';
  return null;
}

interface SelectedColumn {
  readonly name: string;
  readonly kind: ColumnKind;
  readonly role: DriftRole;
}

/**
 * `outlay drift`: reads both files with DuckDB in one in-memory instance and compares every selected column
 * (per-column tests from the stats registry, data quality shares) and the rows as a whole (PCA reconstruction
 * error). Counts, missing shares, ranges and category counts are exact, computed in SQL over every row; raw
 * numeric values (for the sample-based methods) and the multivariate model use at most `sampleRows` rows per
 * side.
 */
export async function computeDriftReport(options: DriftReportOptions): Promise<DriftReport> {
  const sampleRows = options.sampleRows ?? DEFAULT_SAMPLE_ROWS;
  if (options.method !== undefined) {
    try {
      driftMethod(options.method);
    } catch (error) {
      throw new OutlayError('invalid_input', `--method: ${(error as Error).message}`);
    }
  }
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const reference = await openDriftSource(connection, 'reference', options.reference);
    const current = await openDriftSource(connection, 'current', options.current);
    const { selected, skipped } = selectColumns(reference, current, options);
    return await compare(connection, reference, current, selected, skipped, options, sampleRows);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

function selectColumns(reference: DriftSource, current: DriftSource, options: DriftReportOptions): { selected: SelectedColumn[]; skipped: { column: string; type: string }[] } {
  const requireOnBoth = (column: string, flag: string) => {
    for (const source of [reference, current]) {
      if (!source.columns.has(column)) {
        throw new OutlayError('invalid_input', `${source.path}: column "${column}" (${flag}) not found; the file has: ${[...source.columns.keys()].join(', ')}`);
      }
    }
  };
  const roles = new Map<string, DriftRole>();
  for (const [flag, column, role] of [
    ['--target', options.target, 'target'],
    ['--prediction', options.prediction, 'prediction'],
    ['--score', options.score, 'score'],
  ] as const) {
    if (column === undefined) continue;
    requireOnBoth(column, flag);
    roles.set(column, role);
  }
  options.columns?.forEach((c) => requireOnBoth(c, '--columns'));
  options.exclude?.forEach((c) => {
    if (!reference.columns.has(c) && !current.columns.has(c)) throw new OutlayError('invalid_input', `--exclude: column "${c}" is in neither ${reference.path} nor ${current.path}`);
  });
  const excluded = new Set(options.exclude ?? []);
  const names = options.columns
    ? [...new Set([...options.columns, ...roles.keys()])]
    : [...reference.columns.keys()].filter((c) => current.columns.has(c) && !excluded.has(c));
  const selected: SelectedColumn[] = [];
  const skipped: { column: string; type: string }[] = [];
  for (const name of names) {
    const referenceType = reference.columns.get(name)!;
    const currentType = current.columns.get(name)!;
    const kind = kindOf(referenceType);
    if (kind === null) {
      if (options.columns?.includes(name) || roles.has(name)) {
        throw new OutlayError('invalid_input', `${reference.path}: column "${name}" is ${referenceType}; drift compares numeric and categorical (text, boolean) columns`);
      }
      skipped.push({ column: name, type: referenceType });
      continue;
    }
    if (kindOf(currentType) !== kind) {
      throw new OutlayError('invalid_input', `${current.path}: column "${name}" is ${currentType} but ${referenceType} in ${reference.path}; expected the same kind of values on both sides`);
    }
    selected.push({ name, kind, role: roles.get(name) ?? 'feature' });
  }
  if (selected.length === 0) throw new OutlayError('invalid_input', `${current.path}: no numeric or categorical column shared with ${reference.path}`);
  return { selected, skipped };
}

interface SideProfile {
  /** Non-missing (not NULL, not NaN) values per column. */
  readonly present: Map<string, number>;
  readonly min: Map<string, number | null>;
  readonly max: Map<string, number | null>;
  readonly outOfRange: Map<string, number>;
  readonly outOfQuantileRange: Map<string, number>;
}

/**
 * One aggregate query over a side: for each column its non-missing count (NULL and NaN are missing; ±Infinity
 * counts as present but not finite), finite min and max, and, on the current side, how many values fall
 * outside the reference range and quantile range.
 */
async function profileSide(
  connection: DuckDBConnection,
  source: DriftSource,
  columns: readonly SelectedColumn[],
  ranges?: ReadonlyMap<string, { min: number | null; max: number | null; low: number | null; high: number | null }>,
): Promise<SideProfile> {
  const parts: string[] = [];
  for (const c of columns) {
    const q = sqlName(c.name);
    if (c.kind === 'categorical') {
      parts.push(`count(${q})::DOUBLE`);
      continue;
    }
    // sum(bool::INT) rather than count(*) FILTER (…): DuckDB 1.x runs it about 6× faster over 20 columns.
    // NaN compares greater than every number in DuckDB, hence the explicit isnan guards.
    const x = `${q}::DOUBLE`;
    parts.push(
      `(count(${q}) - coalesce(sum(isnan(${x})::INTEGER), 0))::DOUBLE`,
      `min(CASE WHEN isfinite(${x}) THEN ${x} END)`,
      `max(CASE WHEN isfinite(${x}) THEN ${x} END)`,
    );
    const range = ranges?.get(c.name);
    if (range) {
      const outside = (low: number | null, high: number | null) =>
        low === null || high === null ? '0::DOUBLE' : `coalesce(sum((NOT isnan(${x}) AND (${x} < ${literal(low)} OR ${x} > ${literal(high)}))::INTEGER), 0)::DOUBLE`;
      parts.push(outside(range.min, range.max), outside(range.low, range.high));
    }
  }
  const row = (await queryOrThrow(connection, source.path, `SELECT ${parts.join(', ')} FROM ${source.relation}`))[0]!;
  const profile: SideProfile = { present: new Map(), min: new Map(), max: new Map(), outOfRange: new Map(), outOfQuantileRange: new Map() };
  let k = 0;
  for (const c of columns) {
    profile.present.set(c.name, row[k++] as number);
    if (c.kind === 'categorical') continue;
    profile.min.set(c.name, row[k++] as number | null);
    profile.max.set(c.name, row[k++] as number | null);
    if (ranges?.get(c.name)) {
      profile.outOfRange.set(c.name, row[k++] as number);
      profile.outOfQuantileRange.set(c.name, row[k++] as number);
    }
  }
  return profile;
}

const literal = (x: number): string => `'${x}'::DOUBLE`;

async function categoryCounts(connection: DuckDBConnection, source: DriftSource, column: string): Promise<Map<string, number>> {
  const rows = await queryOrThrow(connection, source.path, `SELECT ${sqlName(column)}::VARCHAR, count(*)::DOUBLE FROM ${source.relation} WHERE ${sqlName(column)} IS NOT NULL GROUP BY 1`);
  return new Map(rows.map(([value, count]) => [String(value), count as number]));
}

/** Finite values of a column of the sample, in sample order. */
function finiteValues(values: Float64Array): Float64Array {
  let n = 0;
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i]!)) n++;
  const out = new Float64Array(n);
  let k = 0;
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i]!)) out[k++] = values[i]!;
  return out;
}

/** Finite values of a column of the sample, ascending (for quantiles and the distinct count). */
function finiteSorted(values: Float64Array): Float64Array {
  return finiteValues(values).sort();
}

/** Linear-interpolation quantile of sorted values (Hyndman & Fan type 7, DuckDB quantile_cont, numpy default). */
function quantileSorted(sorted: Float64Array, p: number): number | null {
  if (sorted.length === 0) return null;
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

function distinctSorted(sorted: Float64Array): number {
  let distinct = sorted.length > 0 ? 1 : 0;
  for (let i = 1; i < sorted.length; i++) if (sorted[i] !== sorted[i - 1]) distinct++;
  return distinct;
}

const finite = (x: number): number => (Number.isFinite(x) ? x : Math.sign(x) * Number.MAX_VALUE);

async function compare(
  connection: DuckDBConnection,
  reference: DriftSource,
  current: DriftSource,
  selected: readonly SelectedColumn[],
  skipped: { column: string; type: string }[],
  options: DriftReportOptions,
  sampleRows: number,
): Promise<DriftReport> {
  const numeric = selected.filter((c) => c.kind === 'numeric').map((c) => c.name);
  const referenceProfile = await profileSide(connection, reference, selected);
  // Only the features feed the multivariate model; target, prediction and score are compared one by one.
  const featureCategorical = selected.filter((c) => c.kind === 'categorical' && c.role === 'feature').map((c) => c.name);
  const referenceSample = await pullDriftSample(connection, reference, numeric, featureCategorical, sampleRows);
  const sortedReference = new Map(numeric.map((c) => [c, finiteSorted(referenceSample.numeric.get(c)!)]));
  const ranges = new Map(
    numeric.map((c) => [
      c,
      {
        min: referenceProfile.min.get(c) ?? null,
        max: referenceProfile.max.get(c) ?? null,
        low: quantileSorted(sortedReference.get(c)!, 0.001),
        high: quantileSorted(sortedReference.get(c)!, 0.999),
      },
    ]),
  );
  const currentProfile = await profileSide(connection, current, selected, ranges);
  const currentSample = await pullDriftSample(connection, current, numeric, featureCategorical, sampleRows);

  const verdicts: ColumnDrift[] = [];
  const reports: Omit<ColumnDriftReport, 'method' | 'score' | 'p_value' | 'threshold' | 'drift'>[] = [];
  const noData: boolean[] = [];
  for (const column of selected) {
    const name = column.name;
    const referencePresent = referenceProfile.present.get(name)!;
    const currentPresent = currentProfile.present.get(name)!;
    let referenceInput: DriftInput;
    let currentInput: DriftInput;
    let distinctValues: number;
    let newCategories: { value: string; count: number }[] = [];
    let sampled = false;
    if (column.kind === 'numeric') {
      const ref = sortedReference.get(name)!;
      referenceInput = { type: 'sample', values: ref };
      currentInput = { type: 'sample', values: finiteValues(currentSample.numeric.get(name)!) };
      distinctValues = distinctSorted(ref);
      sampled = referenceSample.sampled || currentSample.sampled;
    } else {
      const ref = await categoryCounts(connection, reference, name);
      const cur = await categoryCounts(connection, current, name);
      referenceInput = { type: 'categories', counts: ref };
      currentInput = { type: 'categories', counts: cur };
      distinctValues = ref.size;
      newCategories = [...cur].filter(([value]) => !ref.has(value)).map(([value, count]) => ({ value, count }));
      newCategories.sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : 1));
      newCategories = newCategories.slice(0, NEW_CATEGORIES_SHOWN);
    }
    const referenceN = referenceInput.type === 'sample' ? referenceInput.values.length : referencePresent;
    const currentN = currentInput.type === 'sample' ? currentInput.values.length : currentPresent;
    const forced = options.method !== undefined && appliesTo(options.method, column.kind, referenceInput) ? options.method : undefined;
    const method = forced ?? (referenceN > 0 && distinctValues > 0 ? chooseMethod({ kind: column.kind, referenceRows: referencePresent, distinctValues }) : 'none');
    const threshold = options.method === undefined || forced !== undefined ? options.threshold : undefined;
    if (referenceN === 0 || currentN === 0) {
      // Nothing to compare on one side: the column drifts when it is empty on one side only.
      noData.push(true);
      verdicts.push({ method, score: 0, p_value: null, threshold: threshold ?? NaN, drift: referenceN !== currentN });
    } else {
      noData.push(false);
      verdicts.push(detectColumnDrift({ kind: column.kind, reference: referenceInput, current: currentInput, method, ...(threshold === undefined ? {} : { threshold }) }));
    }
    const referenceRange = ranges.get(name);
    reports.push({
      column: name,
      kind: column.kind,
      role: column.role,
      missing: { reference_share: (reference.rows - referencePresent) / reference.rows, current_share: (current.rows - currentPresent) / current.rows },
      out_of_range_share: column.kind === 'numeric' ? (currentPresent > 0 && referenceRange ? currentProfile.outOfRange.get(name)! / currentPresent : 0) : null,
      out_of_quantile_range_share: column.kind === 'numeric' ? (currentPresent > 0 && referenceRange ? currentProfile.outOfQuantileRange.get(name)! / currentPresent : 0) : null,
      new_categories: newCategories.map((c) => c.value),
      new_category_counts: newCategories,
      sampled,
    });
  }
  const correction = options.correction ?? 'none';
  const dataset = datasetDrift(verdicts, 0.5, correction);
  const columns = dataset.columns.map((v, i): ColumnDriftReport => ({
    ...reports[i]!,
    method: v.method,
    score: noData[i] ? null : finite(v.score),
    p_value: v.p_value,
    threshold: Number.isFinite(v.threshold) ? v.threshold : driftMethodThreshold(v.method),
    drift: v.drift,
  }));
  return {
    reference_rows: reference.rows,
    current_rows: current.rows,
    columns,
    drifted_columns: dataset.drifted_columns,
    share_of_drifted_columns: dataset.share_of_drifted_columns,
    dataset_drift: dataset.dataset_drift,
    correction,
    multivariate: multivariate(selected, referenceSample, currentSample),
    skipped_columns: skipped,
  };
}

function driftMethodThreshold(name: string): number {
  return name === 'none' ? 0 : driftMethod(name).defaultThreshold;
}

/** Whether a registry method can run on this column's kind and input form. */
function appliesTo(name: string, kind: ColumnKind, input: DriftInput): boolean {
  const method = driftMethod(name);
  return method.kinds.includes(kind) && method.inputs.includes(input.type);
}

/** PCA reconstruction drift over the feature columns that have values; null when too few rows (< 10). */
function multivariate(selected: readonly SelectedColumn[], reference: DriftSample, current: DriftSample): DriftReport['multivariate'] {
  const columns: MultivariateColumn[] = [];
  for (const c of selected) {
    if (c.role !== 'feature') continue;
    if (c.kind === 'numeric') {
      const ref = reference.numeric.get(c.name)!;
      if (ref.some((x) => Number.isFinite(x))) columns.push({ kind: 'numeric', name: c.name, reference: ref, current: current.numeric.get(c.name)! });
    } else {
      const ref = reference.categorical.get(c.name)!;
      if (ref.some((x) => x !== null)) columns.push({ kind: 'categorical', name: c.name, reference: ref, current: current.categorical.get(c.name)! });
    }
  }
  if (columns.length === 0 || reference.rows < 10 || current.rows === 0) return null;
  const result = reconstructionDrift(columns);
  return { ...result, sampled: reference.sampled || current.sampled, columns: columns.map((c) => c.name) };
}

