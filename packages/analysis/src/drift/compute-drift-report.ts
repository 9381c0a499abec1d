import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { OutlayError } from '@outlay/schema';
import {
  datasetDrift,
  judgeColumn,
  driftMethod,
  reconstructionDrift,
  reportedVerdict,
  type ColumnDrift,
  type ColumnKind,
  type DriftInput,
  type MultivariateColumn,
  type PValueCorrection,
  type ReconstructionDrift,
  type ReconstructionDriftOptions,
} from '@outlay/stats';
import { asDouble, intervalWidth, openDriftSource, queryOrThrow, sqlName, type DriftSource } from './open-drift-source.js';
import { computeConceptDrift, type ConceptDriftReport, type ConfidenceReport } from './compute-concept-drift.js';
import { pullDriftSample, type DriftSample } from './pull-drift-sample.js';
import {
  checkTimeColumn,
  chunkBounds,
  chunkCategoryCounts,
  chunkColumnDrift,
  chunkIndex,
  chunkKeySql,
  MIN_CHUNK_SAMPLE_ROWS,
  type ChunkColumn,
  type ChunkColumnDrift,
  type Chunking,
} from './compute-drift-chunks.js';

export type DriftRole = 'feature' | 'target' | 'prediction' | 'score' | 'interval';

export interface DriftReportOptions {
  readonly reference: string;
  readonly current: string;
  readonly target?: string;
  readonly prediction?: string;
  readonly score?: string;
  /** Class-probability columns of a multiclass model (one per class): entropy and margin are tested. */
  readonly scores?: readonly string[];
  /** A regressor's prediction interval, [low column, high column]: its width is compared as `interval_width`. */
  readonly interval?: readonly [string, string];
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
  /** An id column: duplicates within each side and ids present on both sides are data-quality findings. */
  readonly id?: string;
  /** Cut the current data into chunks and judge each against the reference (the whole-file verdicts stay). */
  readonly chunk?: Chunking;
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
  /** Share of current rows holding a category the reference never saw (all of them, not only the 20 shown). */
  readonly new_category_share: number | null;
  /** True when the method ran on a seeded sample rather than every row. */
  readonly sampled: boolean;
  readonly quality: ColumnQuality;
}

/** One chunk of the current data: where it lies, its per-column and multivariate verdicts. */
export interface DriftChunk {
  readonly index: number;
  /** Period chunks: the period's start (ISO, UTC); otherwise null. */
  readonly start: string | null;
  readonly first_row: number;
  readonly last_row: number;
  readonly rows: number;
  /** Rows of the chunk the verdicts saw (the seeded sample's share of it). */
  readonly sampled_rows: number;
  /** Fewer than MIN_CHUNK_SAMPLE_ROWS sampled rows: no verdicts. */
  readonly insufficient_data: boolean;
  readonly columns: readonly ChunkColumnDrift[];
  readonly drifted_columns: number;
  readonly multivariate: { readonly error: number; readonly sampling_error: number; readonly lower: number; readonly upper: number; readonly drift: boolean } | null;
  /** At least half the compared columns drift, or the reconstruction error leaves its bounds. */
  readonly drift: boolean;
}

/** Data-quality measures of one column, shares of each side's rows (exact, over every row). */
export interface ColumnQuality {
  readonly nan_share: { readonly reference: number; readonly current: number } | null;
  readonly infinite_share: { readonly reference: number; readonly current: number } | null;
  readonly zero_share: { readonly reference: number; readonly current: number } | null;
  /**
   * A side whose present values are all one value (and that has at least one). When only the current side is:
   * `reference_values`, the distinct values of the reference, and `reference_piece_values`, how many distinct
   * values a piece of the reference as large as the current data holds on average (cut in file order) — a day's
   * weekday is one value, and a week's pieces of a day hold one or two of its seven: no fault.
   */
  readonly constant: { readonly reference: boolean; readonly current: boolean; readonly reference_values?: number; readonly reference_piece_values?: number | null };
  /** DuckDB types when they differ between the files (e.g. a numeric column that now carries text). */
  readonly type_change: { readonly reference: string; readonly current: string } | null;
  /** Share of current rows whose text does not read as a number, when a numeric column became text. */
  readonly non_numeric_share: number | null;
}

/** One readable data-quality problem, for people and for `outlay diagnose`. */
export interface QualityFinding {
  readonly column: string | null;
  readonly finding:
    | 'missing_increase'
    | 'nan_increase'
    | 'infinite_values'
    | 'zero_increase'
    | 'became_constant'
    | 'type_change'
    | 'out_of_range'
    | 'new_categories'
    | 'duplicate_ids'
    | 'shared_ids';
  readonly detail: string;
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
  /** With a score (or class probabilities): KS and Mann-Whitney on the score, or on entropy and margin. */
  readonly confidence: ConfidenceReport | null;
  /** With a target (or prediction) of at most 50 classes: per class, correlation and cluster-mix drift. */
  readonly concept_drift: ConceptDriftReport | null;
  /** With --chunk: how the current data was cut, and each chunk's verdicts. */
  readonly chunking: (Chunking & { readonly reference_chunks: number; readonly reference_cut: 'same' | 'equal' }) | null;
  readonly chunks: readonly DriftChunk[] | null;
  readonly data_quality: {
    /** With --id: repeated ids within each side, and ids found on both sides. */
    readonly ids: { readonly column: string; readonly reference_duplicates: number; readonly current_duplicates: number; readonly shared: number } | null;
    readonly findings: readonly QualityFinding[];
  };
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
  readonly typeChange: { readonly reference: string; readonly current: string } | null;
}

/**
 * `outlay drift`: reads both files with DuckDB in one in-memory instance and compares every selected column
 * (per-column tests from the stats registry, data quality shares) and the rows as a whole (PCA reconstruction
 * error). Counts, missing shares, ranges and category counts are exact, computed in SQL over every row; raw
 * numeric values (for the sample-based methods) and the multivariate model use at most `sampleRows` rows per
 * side.
 */
export async function computeDriftReport(options: DriftReportOptions): Promise<DriftReport> {
  checkMethod(options.method);
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const derived = options.interval ? [intervalWidth(options.interval)] : [];
    const reference = await openDriftSource(connection, 'reference', options.reference, derived);
    const current = await openDriftSource(connection, 'current', options.current, derived);
    return await driftReportOn(connection, reference, current, options);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/**
 * The drift report on two sides already open on `connection` (as `outlay diagnose` holds them, so that each
 * file is read once): everything computeDriftReport does after opening the files.
 */
export async function driftReportOn(connection: DuckDBConnection, reference: DriftSource, current: DriftSource, options: DriftReportOptions): Promise<DriftReport> {
  checkMethod(options.method);
  if (options.chunk) checkTimeColumn(options.chunk, [reference, current]);
  const { selected, skipped } = selectColumns(reference, current, options);
  return compare(connection, reference, current, selected, skipped, options, options.sampleRows ?? DEFAULT_SAMPLE_ROWS);
}

function checkMethod(method: string | undefined): void {
  if (method === undefined) return;
  try {
    driftMethod(method);
  } catch (error) {
    throw new OutlayError('invalid_input', `--method: ${(error as Error).message}`);
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
    ['--interval', options.interval ? 'interval_width' : undefined, 'interval'],
  ] as const) {
    if (column === undefined) continue;
    requireOnBoth(column, flag);
    roles.set(column, role);
  }
  for (const column of options.scores ?? []) {
    requireOnBoth(column, '--scores');
    roles.set(column, 'score');
  }
  options.columns?.forEach((c) => requireOnBoth(c, '--columns'));
  if (options.id !== undefined) requireOnBoth(options.id, '--id');
  options.exclude?.forEach((c) => {
    if (!reference.columns.has(c) && !current.columns.has(c)) throw new OutlayError('invalid_input', `--exclude: column "${c}" is in neither ${reference.path} nor ${current.path}`);
  });
  // Ids are unique by nature: they would always drift. They feed the duplicate checks instead.
  // The interval's bounds are model outputs, compared through their width, not as features.
  const excluded = new Set([...(options.exclude ?? []), ...(options.id === undefined ? [] : [options.id]), ...(options.interval ?? [])]);
  const names = options.columns
    ? [...new Set([...options.columns, ...roles.keys()])].filter((c) => c !== options.id)
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
    const currentKind = kindOf(currentType);
    if (currentKind === null) {
      throw new OutlayError('invalid_input', `${current.path}: column "${name}" is ${currentType} but ${referenceType} in ${reference.path}; expected numeric or categorical values on both sides`);
    }
    // A numeric column that now carries text (or the reverse) is compared as the reference kind and reported
    // as a type change: values that do not read as numbers count as missing and as non-numeric.
    const typeChange = currentKind !== kind ? { reference: referenceType, current: currentType } : null;
    selected.push({ name, kind, role: roles.get(name) ?? 'feature', typeChange });
  }
  if (selected.length === 0) throw new OutlayError('invalid_input', `${current.path}: no numeric or categorical column shared with ${reference.path}`);
  return { selected, skipped };
}

interface SideProfile {
  /** Non-missing (not NULL, not NaN) values per column. */
  readonly present: Map<string, number>;
  readonly nan: Map<string, number>;
  readonly infinite: Map<string, number>;
  readonly zero: Map<string, number>;
  /** Non-NULL values that do not read as numbers (numeric columns that arrive as text). */
  readonly nonNumeric: Map<string, number>;
  readonly min: Map<string, number | null>;
  readonly max: Map<string, number | null>;
  readonly outOfRange: Map<string, number>;
  readonly outOfQuantileRange: Map<string, number>;
}

/**
 * One aggregate query over a side: for each column its non-missing count (NULL and NaN are missing; ±Infinity
 * counts as present but not finite), NaN, infinite and zero counts, finite min and max, and, on the current
 * side, how many values fall outside the reference range and quantile range.
 */
async function profileSide(
  connection: DuckDBConnection,
  source: DriftSource,
  columns: readonly SelectedColumn[],
  ranges?: ReadonlyMap<string, { min: number | null; max: number | null; low: number | null; high: number | null }>,
): Promise<SideProfile> {
  const parts: string[] = [];
  // sum(bool::INT) rather than count(*) FILTER (…): DuckDB 1.x runs it about 6× faster over 20 columns.
  const countWhere = (condition: string) => `coalesce(sum((${condition})::INTEGER), 0)::DOUBLE`;
  for (const c of columns) {
    const q = sqlName(c.name);
    if (c.kind === 'categorical') {
      parts.push(`count(${q})::DOUBLE`);
      continue;
    }
    // NaN compares greater than every number in DuckDB, hence the explicit isnan guards.
    const x = asDouble(c.name);
    parts.push(
      `count(${x})::DOUBLE`,
      countWhere(`isnan(${x})`),
      countWhere(`isinf(${x})`),
      countWhere(`${x} = 0`),
      c.typeChange ? `(count(${q}) - count(${x}))::DOUBLE` : '0::DOUBLE',
      `min(CASE WHEN isfinite(${x}) THEN ${x} END)`,
      `max(CASE WHEN isfinite(${x}) THEN ${x} END)`,
    );
    const range = ranges?.get(c.name);
    if (range) {
      const outside = (low: number | null, high: number | null) =>
        low === null || high === null ? '0::DOUBLE' : countWhere(`NOT isnan(${x}) AND (${x} < ${literal(low)} OR ${x} > ${literal(high)})`);
      parts.push(outside(range.min, range.max), outside(range.low, range.high));
    }
  }
  const row = (await queryOrThrow(connection, source.path, `SELECT ${parts.join(', ')} FROM ${source.relation}`))[0]!;
  const profile: SideProfile = {
    present: new Map(),
    nan: new Map(),
    infinite: new Map(),
    zero: new Map(),
    nonNumeric: new Map(),
    min: new Map(),
    max: new Map(),
    outOfRange: new Map(),
    outOfQuantileRange: new Map(),
  };
  let k = 0;
  for (const c of columns) {
    if (c.kind === 'categorical') {
      profile.present.set(c.name, row[k++] as number);
      continue;
    }
    const notNull = row[k++] as number;
    const nan = row[k++] as number;
    profile.present.set(c.name, notNull - nan);
    profile.nan.set(c.name, nan);
    profile.infinite.set(c.name, row[k++] as number);
    profile.zero.set(c.name, row[k++] as number);
    profile.nonNumeric.set(c.name, row[k++] as number);
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
  // Chunked, both sides are sampled at the same rate, so a reference chunk and a current chunk of the same
  // size hold as many sampled rows and the thresholds from the reference chunks fit the current ones.
  const rate = Math.min(1, sampleRows / Math.max(reference.rows, current.rows));
  const sideRows = (source: DriftSource) => (options.chunk ? Math.max(10, Math.ceil(rate * source.rows)) : sampleRows);
  const key = (source: DriftSource) => (options.chunk ? chunkKeySql(options.chunk, source) : undefined);
  const referenceSample = await pullDriftSample(connection, reference, numeric, featureCategorical, sideRows(reference), key(reference));
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
  const currentSample = await pullDriftSample(connection, current, numeric, featureCategorical, sideRows(current), key(current));

  const shares = (referenceCount: number, currentCount: number) => ({ reference: referenceCount / reference.rows, current: currentCount / current.rows });
  const verdicts: ColumnDrift[] = [];
  const chunkColumns: ChunkColumn[] = [];
  const reports: Omit<ColumnDriftReport, 'method' | 'score' | 'p_value' | 'threshold' | 'drift'>[] = [];
  const compared: boolean[] = [];
  for (const column of selected) {
    const name = column.name;
    const referencePresent = referenceProfile.present.get(name)!;
    const currentPresent = currentProfile.present.get(name)!;
    let referenceInput: DriftInput;
    let currentInput: DriftInput;
    let distinctValues: number;
    let newCategories: { value: string; count: number }[] = [];
    let newCategoryRows = 0;
    let sampled = false;
    let constant: ColumnQuality['constant'] = { reference: false, current: false };
    if (column.kind === 'numeric') {
      const ref = sortedReference.get(name)!;
      referenceInput = { type: 'sample', values: ref };
      currentInput = { type: 'sample', values: finiteValues(currentSample.numeric.get(name)!) };
      distinctValues = distinctSorted(ref);
      sampled = referenceSample.sampled || currentSample.sampled;
      const isConstant = (profile: SideProfile) => profile.present.get(name)! > 0 && profile.min.get(name) !== null && profile.min.get(name) === profile.max.get(name);
      constant = { reference: isConstant(referenceProfile), current: isConstant(currentProfile) };
    } else {
      const ref = await categoryCounts(connection, reference, name);
      const cur = await categoryCounts(connection, current, name);
      referenceInput = { type: 'categories', counts: ref };
      currentInput = { type: 'categories', counts: cur };
      distinctValues = ref.size;
      constant = { reference: ref.size === 1, current: cur.size === 1 };
      newCategories = [...cur].filter(([value]) => !ref.has(value)).map(([value, count]) => ({ value, count }));
      newCategoryRows = newCategories.reduce((sum, c) => sum + c.count, 0);
      newCategories.sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : 1));
      newCategories = newCategories.slice(0, NEW_CATEGORIES_SHOWN);
    }
    if (constant.current && !constant.reference) {
      constant = { ...constant, reference_values: distinctValues, reference_piece_values: await meanPieceValues(connection, reference, name, currentPresent) };
    }
    const judged = judgeColumn({ kind: column.kind, reference: referenceInput, current: currentInput, referenceRows: referencePresent, currentRows: currentPresent, distinctValues }, options);
    verdicts.push(judged.verdict);
    compared.push(judged.compared);
    if (judged.compared) chunkColumns.push({ name, kind: column.kind, method: judged.verdict.method, threshold: judged.verdict.threshold, reference: referenceInput });
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
      new_category_share: column.kind === 'categorical' ? newCategoryRows / current.rows : null,
      sampled,
      quality: {
        nan_share: column.kind === 'numeric' ? shares(referenceProfile.nan.get(name)!, currentProfile.nan.get(name)!) : null,
        infinite_share: column.kind === 'numeric' ? shares(referenceProfile.infinite.get(name)!, currentProfile.infinite.get(name)!) : null,
        zero_share: column.kind === 'numeric' ? shares(referenceProfile.zero.get(name)!, currentProfile.zero.get(name)!) : null,
        constant,
        type_change: column.typeChange,
        non_numeric_share: column.typeChange && column.kind === 'numeric' ? currentProfile.nonNumeric.get(name)! / current.rows : null,
      },
    });
  }
  const ids = options.id === undefined ? null : await idChecks(connection, reference, current, options.id);
  const correction = options.correction ?? 'none';
  const dataset = datasetDrift(verdicts, 0.5, correction);
  const columns = dataset.columns.map((v, i): ColumnDriftReport => ({
    ...reports[i]!,
    ...reportedVerdict(v, compared[i]!),
  }));
  const whole = multivariate(selected, referenceSample, currentSample);
  const classColumn = await conceptClassColumn(connection, reference, selected, options);
  const concept = await computeConceptDrift(connection, reference, current, {
    features: selected.filter((c) => c.role === 'feature' && c.kind === 'numeric' && c.typeChange === null).map((c) => c.name),
    ...(classColumn ?? {}),
    probabilityColumns: options.scores ?? (options.score === undefined ? [] : [options.score]),
    sampleRows,
  });
  const chunked = options.chunk ? await chunk(connection, options.chunk, current, selected, chunkColumns, referenceSample, currentSample) : null;
  return {
    reference_rows: reference.rows,
    current_rows: current.rows,
    columns,
    drifted_columns: dataset.drifted_columns,
    share_of_drifted_columns: dataset.share_of_drifted_columns,
    dataset_drift: dataset.dataset_drift,
    correction,
    multivariate: whole,
    confidence: concept.confidence,
    concept_drift: concept.concept_drift,
    skipped_columns: skipped,
    chunking: chunked?.chunking ?? null,
    chunks: chunked?.chunks ?? null,
    data_quality: { ids, findings: qualityFindings(columns, ids) },
  };
}

// More classes than this and the target is a number to regress on, not classes to look inside.
const MAX_CONCEPT_CLASSES = 50;

/** The target (else the prediction) when it is categorical or takes at most MAX_CONCEPT_CLASSES values. */
async function conceptClassColumn(
  connection: DuckDBConnection,
  reference: DriftSource,
  selected: readonly SelectedColumn[],
  options: DriftReportOptions,
): Promise<{ classColumn: string; classRole: 'target' | 'prediction' } | null> {
  for (const [column, role] of [[options.target, 'target'], [options.prediction, 'prediction']] as const) {
    if (column === undefined) continue;
    const info = selected.find((c) => c.name === column);
    if (!info) continue;
    if (info.kind === 'numeric') {
      const [[distinct]] = (await queryOrThrow(connection, reference.path, `SELECT count(DISTINCT ${sqlName(column)})::DOUBLE FROM ${reference.relation}`)) as [[number]];
      if (distinct > MAX_CONCEPT_CLASSES) continue;
    }
    return { classColumn: column, classRole: role };
  }
  return null;
}

/** Repeated ids within each side, and ids present on both sides (rows counted twice across the two sets). */
async function idChecks(connection: DuckDBConnection, reference: DriftSource, current: DriftSource, id: string): Promise<DriftReport['data_quality']['ids']> {
  const q = sqlName(id);
  const duplicates = async (source: DriftSource) =>
    (await queryOrThrow(connection, source.path, `SELECT (count(${q}) - count(DISTINCT ${q}))::DOUBLE FROM ${source.relation}`))[0]![0] as number;
  const [shared] = await queryOrThrow(
    connection,
    `${reference.path} and ${current.path}`,
    `SELECT count(*)::DOUBLE FROM (SELECT DISTINCT ${q}::VARCHAR AS id FROM ${reference.relation}) r JOIN (SELECT DISTINCT ${q}::VARCHAR AS id FROM ${current.relation}) c USING (id)`,
  );
  return { column: id, reference_duplicates: await duplicates(reference), current_duplicates: await duplicates(current), shared: shared![0] as number };
}

// A share "rises" when it grows by at least this many points and at least doubles: sudden, not seasonal wobble.
const RISE_POINTS = 0.01;
const ZERO_RISE_POINTS = 0.05;
const OUT_OF_RANGE_FINDING = 0.01;
const NEW_CATEGORY_FINDING = 0.001;

/**
 * A column that moves slowly at the current data's scale: pieces of the reference that size hold few of its
 * values (at most 1.5 on average, or a third of them), as a weekday does over days. One value in the current data
 * is then what its calendar says, not a broken feed.
 */
function slowMoving(constant: ColumnQuality['constant']): boolean {
  const pieces = constant.reference_piece_values;
  if (pieces == null || constant.reference_values === undefined) return false;
  return pieces <= Math.max(1.5, constant.reference_values / 3);
}

/** How many distinct values a piece of `size` present rows of the reference holds on average, cut in file order. */
async function meanPieceValues(connection: DuckDBConnection, reference: DriftSource, column: string, size: number): Promise<number | null> {
  const q = sqlName(column);
  const [row] = await queryOrThrow(
    connection,
    reference.path,
    `SELECT avg(d)::DOUBLE FROM (
       SELECT n // ${Math.max(1, Math.round(size))} AS piece, count(DISTINCT v) AS d
       FROM (SELECT ${q} AS v, row_number() OVER (ORDER BY ${reference.numbered.rowNumber}) - 1 AS n FROM ${reference.numbered.from} WHERE ${q} IS NOT NULL)
       GROUP BY piece HAVING count(*) * 2 >= ${Math.max(1, Math.round(size))})`,
  );
  return (row?.[0] as number | null) ?? null;
}

const rises = (share: { reference: number; current: number }, points: number) => share.current - share.reference >= points && share.current >= 2 * share.reference;
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

/**
 * The report's data-quality measures read as findings, one line each: the evidence `outlay diagnose` counts for
 * bad data (sudden missing values, NaN, zeros, type changes) and extrapolation (out of range, new categories).
 */
function qualityFindings(columns: readonly ColumnDriftReport[], ids: DriftReport['data_quality']['ids']): QualityFinding[] {
  const findings: QualityFinding[] = [];
  const add = (column: string | null, finding: QualityFinding['finding'], detail: string) => findings.push({ column, finding, detail });
  for (const c of columns) {
    const q = c.quality;
    const missing = { reference: c.missing.reference_share, current: c.missing.current_share };
    if (q.type_change) {
      const unreadable = q.non_numeric_share === null ? '' : `; ${pct(q.non_numeric_share)} of current rows do not read as numbers`;
      add(c.column, 'type_change', `${q.type_change.reference} in the reference, ${q.type_change.current} in the current data${unreadable}`);
    }
    if (rises(missing, RISE_POINTS)) add(c.column, 'missing_increase', `missing ${pct(missing.reference)} → ${pct(missing.current)}`);
    if (q.nan_share && rises(q.nan_share, RISE_POINTS)) add(c.column, 'nan_increase', `NaN ${pct(q.nan_share.reference)} → ${pct(q.nan_share.current)}`);
    if (q.infinite_share && q.infinite_share.current > 0 && q.infinite_share.reference === 0) add(c.column, 'infinite_values', `±Infinity in ${pct(q.infinite_share.current)} of current rows, none in the reference`);
    if (q.zero_share && rises(q.zero_share, ZERO_RISE_POINTS)) add(c.column, 'zero_increase', `zeros ${pct(q.zero_share.reference)} → ${pct(q.zero_share.current)}`);
    if (q.constant.current && !q.constant.reference && !slowMoving(q.constant)) {
      const pieces = q.constant.reference_piece_values;
      add(c.column, 'became_constant', `one value in every current row that has one; varied in the reference${pieces == null ? '' : ` (${pieces.toFixed(1)} of its ${q.constant.reference_values} values in a piece this size)`}`);
    }
    if (c.out_of_range_share !== null && c.out_of_range_share >= OUT_OF_RANGE_FINDING) add(c.column, 'out_of_range', `${pct(c.out_of_range_share)} of current values outside the reference range`);
    if (c.new_category_share !== null && c.new_category_share >= NEW_CATEGORY_FINDING) {
      add(c.column, 'new_categories', `${pct(c.new_category_share)} of current rows in categories the reference never saw: ${c.new_category_counts.slice(0, 5).map((n) => `${n.value} (${n.count})`).join(', ')}`);
    }
  }
  if (ids) {
    if (ids.reference_duplicates + ids.current_duplicates > 0) add(ids.column, 'duplicate_ids', `${ids.reference_duplicates} repeated ids in the reference, ${ids.current_duplicates} in the current data`);
    if (ids.shared > 0) add(ids.column, 'shared_ids', `${ids.shared} ids appear in both the reference and the current data`);
  }
  return findings;
}

/**
 * The chunked half of the report: the current data cut by `chunking`, each chunk's columns tested against the
 * whole reference, and its reconstruction error against thresholds from the reference cut the same way (or,
 * when the reference falls into fewer than two such chunks, into ten equal ones).
 */
async function chunk(
  connection: DuckDBConnection,
  chunking: Chunking,
  current: DriftSource,
  selected: readonly SelectedColumn[],
  columns: readonly ChunkColumn[],
  referenceSample: DriftSample,
  currentSample: DriftSample,
): Promise<{ chunking: NonNullable<DriftReport['chunking']>; chunks: DriftChunk[] }> {
  const bounds = await chunkBounds(connection, current, chunking);
  const referenceCut = chunkIndex(referenceSample.chunkKeys!);
  const sameCut = referenceCut.keys.length >= 2;
  const currentCut = chunkIndex(currentSample.chunkKeys!, bounds.map((b) => b.key));
  const model = multivariate(selected, referenceSample, currentSample, {
    ...(sameCut ? { referenceChunkOf: referenceCut.of } : {}),
    currentChunkOf: currentCut.of,
  });
  const categoryCounts = new Map<string, Map<string, number>[]>();
  for (const c of columns) {
    if (c.kind === 'categorical') categoryCounts.set(c.name, await chunkCategoryCounts(connection, current, chunking, c.name, currentCut.keys));
  }
  const verdicts = chunkColumnDrift(columns, currentSample, currentCut.of, bounds.length, categoryCounts);
  const sampledRows = new Array<number>(bounds.length).fill(0);
  for (const c of currentCut.of) if (c >= 0) sampledRows[c]!++;
  const chunks = bounds.map((b, i): DriftChunk => {
    const insufficient = sampledRows[i]! < MIN_CHUNK_SAMPLE_ROWS;
    const m = model?.current_chunks?.[i];
    const mv = insufficient || !model || !m || m.error === null ? null : { error: m.error, sampling_error: m.sampling_error!, lower: model.lower, upper: model.upper, drift: m.drift };
    const cols = verdicts[i] ?? [];
    const drifted = cols.filter((c) => c.drift).length;
    return {
      index: i,
      start: chunking.by === 'period' ? new Date(b.key).toISOString() : null,
      first_row: b.firstRow,
      last_row: b.lastRow,
      rows: b.rows,
      sampled_rows: sampledRows[i]!,
      insufficient_data: insufficient,
      columns: cols,
      drifted_columns: drifted,
      multivariate: mv,
      drift: !insufficient && ((cols.length > 0 && drifted >= 0.5 * cols.length) || (mv?.drift ?? false)),
    };
  });
  return { chunking: { ...chunking, reference_chunks: sameCut ? referenceCut.keys.length : 10, reference_cut: sameCut ? 'same' : 'equal' }, chunks };
}

/** PCA reconstruction drift over the feature columns that have values; null when too few rows (< 10). */
function multivariate(selected: readonly SelectedColumn[], reference: DriftSample, current: DriftSample, chunks: ReconstructionDriftOptions = {}): DriftReport['multivariate'] {
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
  const result = reconstructionDrift(columns, chunks);
  return { ...result, sampled: reference.sampled || current.sampled, columns: columns.map((c) => c.name) };
}

