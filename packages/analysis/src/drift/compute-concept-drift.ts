import type { DuckDBConnection } from '@duckdb/node-api';
import { OutlayError } from '@outlay/schema';
import { classProbabilityConfidence, conceptDriftByClass, driftMethod, isDrift, type ClassConceptDrift, type FeatureColumns } from '@outlay/stats';
import { queryOrThrow, sqlName, sqlString, type DriftSource } from './open-drift-source.js';
import { pullDriftSample } from './pull-drift-sample.js';

export interface ConceptDriftReportOptions {
  /** Numeric feature columns whose correlation structure and cluster mix are compared within each class. */
  readonly features: readonly string[];
  /** The class column: the target, or the prediction when there is no target. No concept drift section without it. */
  readonly classColumn?: string;
  readonly classRole?: 'target' | 'prediction';
  /** One score column (probability of the positive class), or one column per class probability. */
  readonly probabilityColumns?: readonly string[];
  /** At most this many rows per class and side feed the concept drift tests (a seeded hash sample); default 5,000. */
  readonly rowsPerClass?: number;
  /** At most this many rows per side feed the confidence tests; default 100,000. */
  readonly sampleRows?: number;
  /** Only the most frequent classes are compared; default 50. */
  readonly maxClasses?: number;
  /** Bootstrap resamples behind the correlation threshold; default 200. */
  readonly resamples?: number;
  /** Clusters fitted per reference class; default 4. */
  readonly clusters?: number;
  /** A class is compared when both sides have at least max(minRows, 2 × features) rows; default 30. */
  readonly minRows?: number;
}

export interface ConfidenceTest {
  readonly method: string;
  readonly score: number;
  readonly p_value: number | null;
  readonly threshold: number;
  readonly drift: boolean;
}

/** One confidence measure compared by KS and Mann–Whitney (from the drift registry, default thresholds). */
export interface ConfidenceMeasure {
  readonly measure: 'score' | 'entropy' | 'margin';
  readonly reference_mean: number;
  readonly current_mean: number;
  readonly tests: readonly ConfidenceTest[];
  readonly drift: boolean;
}

export interface ConfidenceReport {
  /** `score`: one probability column; `class_probabilities`: entropy (nats) and margin of several. */
  readonly kind: 'score' | 'class_probabilities';
  readonly columns: readonly string[];
  /** Rows compared (every probability present), after sampling. */
  readonly reference_rows: number;
  readonly current_rows: number;
  readonly sampled: boolean;
  readonly measures: readonly ConfidenceMeasure[];
  readonly drift: boolean;
}

export interface ClassConceptDriftReport extends ClassConceptDrift {
  /** Rows of the class with every feature present, in the whole file (before sampling). */
  readonly rows_in_file: { readonly reference: number; readonly current: number };
}

export interface ConceptDriftReport {
  readonly class_column: string;
  readonly class_role: 'target' | 'prediction';
  readonly features: readonly string[];
  readonly rows_per_class: number;
  readonly by_class: readonly ClassConceptDriftReport[];
  readonly drifted_classes: readonly string[];
  readonly insufficient_classes: readonly string[];
  /** Classes beyond the `maxClasses` most frequent, not compared. */
  readonly omitted_classes: number;
  readonly drift: boolean;
}

export interface ConceptDriftSections {
  readonly confidence: ConfidenceReport | null;
  readonly concept_drift: ConceptDriftReport | null;
}

export const DEFAULT_ROWS_PER_CLASS = 5_000;
const DEFAULT_CONFIDENCE_ROWS = 100_000;
const DEFAULT_MAX_CLASSES = 50;
const CONFIDENCE_METHODS = ['ks', 'mannw'] as const;
/** Seed of the per-class sample, the bootstrap and k-means, so that two runs on the same files agree. */
const SEED = 42;
const HASH_MODULUS = 1_000_003;
const PROBABILITY_SUM_TOLERANCE = 1e-3;

/**
 * The `confidence` and `concept_drift` sections of `outlay drift`, on sources already opened on `connection`.
 * Confidence: KS and Mann–Whitney on the score, or on the entropy and margin of several class probabilities.
 * Concept drift: per class of `classColumn`, a seeded sample of at most `rowsPerClass` complete rows per side
 * (pulled in SQL), compared by correlation structure and cluster mix (stats' conceptDriftByClass).
 */
export async function computeConceptDrift(
  connection: DuckDBConnection,
  reference: DriftSource,
  current: DriftSource,
  options: ConceptDriftReportOptions,
): Promise<ConceptDriftSections> {
  for (const [name, value, min] of [
    ['rowsPerClass', options.rowsPerClass, 1],
    ['sampleRows', options.sampleRows, 1],
    ['maxClasses', options.maxClasses, 1],
    ['resamples', options.resamples, 1],
    ['clusters', options.clusters, 1],
    ['minRows', options.minRows, 3],
  ] as const) {
    if (value !== undefined && !(Number.isInteger(value) && value >= min)) throw new OutlayError('invalid_input', `${name} is ${value}; expected an integer ≥ ${min}`);
  }
  const probabilityColumns = options.probabilityColumns ?? [];
  for (const column of [...probabilityColumns, ...options.features, ...(options.classColumn === undefined ? [] : [options.classColumn])]) {
    for (const source of [reference, current]) {
      if (!source.columns.has(column)) throw new OutlayError('invalid_input', `${source.path}: column "${column}" not found; the file has: ${[...source.columns.keys()].join(', ')}`);
    }
  }
  const confidence = probabilityColumns.length === 0 ? null : await confidenceReport(connection, reference, current, probabilityColumns, options.sampleRows ?? DEFAULT_CONFIDENCE_ROWS);
  const excluded = new Set([...probabilityColumns, options.classColumn]);
  const features = options.features.filter((f) => !excluded.has(f));
  const conceptDrift =
    options.classColumn === undefined || features.length === 0 ? null : await conceptDriftReport(connection, reference, current, options.classColumn, features, options);
  return { confidence, concept_drift: conceptDrift };
}

async function confidenceReport(
  connection: DuckDBConnection,
  reference: DriftSource,
  current: DriftSource,
  columns: readonly string[],
  sampleRows: number,
): Promise<ConfidenceReport> {
  if (columns.length > 1) for (const source of [reference, current]) await checkProbabilities(connection, source, columns);
  // One query at a time: a DuckDB connection runs its queries in sequence.
  const sides: { source: DriftSource; rows: Float64Array[]; sampled: boolean }[] = [];
  for (const source of [reference, current]) {
    const sample = await pullDriftSample(connection, source, columns, [], sampleRows);
    const arrays = columns.map((c) => sample.numeric.get(c)!);
    const rows: Float64Array[] = [];
    for (let i = 0; i < sample.rows; i++) {
      const row = Float64Array.from(arrays, (a) => a[i]!);
      if (row.every(Number.isFinite)) rows.push(row);
    }
    if (rows.length === 0) throw new OutlayError('invalid_input', `${source.path}: no row has a value in every probability column (${columns.join(', ')})`);
    sides.push({ source, rows, sampled: sample.sampled });
  }
  const measuresBySide = sides.map(({ source, rows }): Map<ConfidenceMeasure['measure'], Float64Array> => {
    if (columns.length === 1) return new Map([['score', Float64Array.from(rows, (r) => r[0]!)]]);
    try {
      const c = classProbabilityConfidence(rows, { sumTolerance: PROBABILITY_SUM_TOLERANCE });
      return new Map([
        ['entropy', c.entropy],
        ['margin', c.margin],
      ]);
    } catch (error) {
      throw new OutlayError('invalid_input', `${source.path}: columns ${columns.join(', ')}: ${(error as Error).message}`, { cause: error });
    }
  });
  const measures = [...measuresBySide[0]!.keys()].map((measure): ConfidenceMeasure => {
    const ref = measuresBySide[0]!.get(measure)!;
    const cur = measuresBySide[1]!.get(measure)!;
    const tests = CONFIDENCE_METHODS.map((name): ConfidenceTest => {
      const method = driftMethod(name);
      const result = method.compute({ type: 'sample', values: ref }, { type: 'sample', values: cur });
      return { method: name, score: result.score, p_value: result.pValue, threshold: method.defaultThreshold, drift: isDrift(method, result, method.defaultThreshold) };
    });
    return { measure, reference_mean: mean(ref), current_mean: mean(cur), tests, drift: tests.some((t) => t.drift) };
  });
  return {
    kind: columns.length === 1 ? 'score' : 'class_probabilities',
    columns,
    reference_rows: sides[0]!.rows.length,
    current_rows: sides[1]!.rows.length,
    sampled: sides.some((s) => s.sampled),
    measures,
    drift: measures.some((m) => m.drift),
  };
}

/** Throws invalid_input naming the first row (1-based, in file order) whose class probabilities are not a distribution. */
async function checkProbabilities(connection: DuckDBConnection, source: DriftSource, columns: readonly string[]): Promise<void> {
  const values = columns.map((c) => `${sqlName(c)}::DOUBLE`);
  const sum = values.join(' + ');
  const sql = `SELECT ${source.numbered.rowNumber} + 1, ${sum} FROM ${source.numbered.from}
    WHERE ${values.map((v) => `${v} IS NOT NULL`).join(' AND ')}
      AND (abs(${sum} - 1) > ${PROBABILITY_SUM_TOLERANCE} OR NOT (${values.map((v) => `${v} BETWEEN 0 AND 1`).join(' AND ')}))
    ORDER BY 1 LIMIT 1`;
  const bad = await queryOrThrow(connection, source.path, sql);
  if (bad.length > 0) {
    throw new OutlayError('invalid_input', `${source.path}: row ${Number(bad[0]![0])}: columns ${columns.join(', ')} sum to ${Number((bad[0]![1] as number).toPrecision(6))}; expected class probabilities in [0, 1] summing to 1 (± ${PROBABILITY_SUM_TOLERANCE})`);
  }
}

function mean(values: Float64Array): number {
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

async function conceptDriftReport(
  connection: DuckDBConnection,
  reference: DriftSource,
  current: DriftSource,
  classColumn: string,
  features: readonly string[],
  options: ConceptDriftReportOptions,
): Promise<ConceptDriftReport> {
  const rowsPerClass = options.rowsPerClass ?? DEFAULT_ROWS_PER_CLASS;
  const maxClasses = options.maxClasses ?? DEFAULT_MAX_CLASSES;
  const cls = `${sqlName(classColumn)}::VARCHAR`;
  // A row takes part when its class and every feature are present and finite (isfinite(NULL) is NULL).
  const complete = [`${sqlName(classColumn)} IS NOT NULL`, ...features.map((f) => `isfinite(${sqlName(f)}::DOUBLE)`)].join(' AND ');
  // Only the most frequent classes come back to JavaScript: a numeric target passed by mistake has a "class" per row.
  const countClasses = async (source: DriftSource) => {
    const sql = `SELECT ${cls}, count(*)::DOUBLE FROM ${source.relation} WHERE ${complete} GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT ${2 * maxClasses}`;
    const rows = await queryOrThrow(connection, source.path, sql);
    return new Map(rows.map(([value, count]) => [String(value), count as number]));
  };
  const referenceCounts = await countClasses(reference);
  const currentCounts = await countClasses(current);
  const distinct = await queryOrThrow(
    connection,
    current.path,
    `SELECT count(*)::DOUBLE FROM (SELECT ${cls} FROM ${reference.relation} WHERE ${complete} UNION SELECT ${cls} FROM ${current.relation} WHERE ${complete})`,
  );
  const all = [...new Set([...referenceCounts.keys(), ...currentCounts.keys()])];
  const total = (c: string) => (referenceCounts.get(c) ?? 0) + (currentCounts.get(c) ?? 0);
  all.sort((a, b) => total(b) - total(a) || (a < b ? -1 : a > b ? 1 : 0));
  const classes = all.slice(0, maxClasses);
  const referenceSample = await pullClassSample(connection, reference, cls, complete, features, classes, referenceCounts, rowsPerClass);
  const currentSample = await pullClassSample(connection, current, cls, complete, features, classes, currentCounts, rowsPerClass);
  const result = conceptDriftByClass(referenceSample, currentSample, {
    features,
    ...(options.minRows === undefined ? {} : { minRows: options.minRows }),
    correlation: { seed: SEED, ...(options.resamples === undefined ? {} : { resamples: options.resamples }) },
    clusters: { seed: SEED, ...(options.clusters === undefined ? {} : { k: options.clusters }) },
  });
  return {
    class_column: classColumn,
    class_role: options.classRole ?? 'target',
    features,
    rows_per_class: rowsPerClass,
    by_class: result.by_class.map((entry) => ({
      ...entry,
      // A current cluster the reference never filled makes chi-square infinite; JSON has no Infinity.
      clusters: entry.clusters && { ...entry.clusters, statistic: Number.isFinite(entry.clusters.statistic) ? entry.clusters.statistic : Number.MAX_VALUE },
      rows_in_file: { reference: referenceCounts.get(entry.class) ?? 0, current: currentCounts.get(entry.class) ?? 0 },
    })),
    drifted_classes: result.drifted_classes,
    insufficient_classes: result.insufficient_classes,
    omitted_classes: (distinct[0]![0] as number) - classes.length,
    drift: result.drift,
  };
}

/**
 * At most `rowsPerClass` complete rows of each class, the same rows on every run: rows are ranked within their
 * class by a hash of their row number (plus a seed) and the first `rowsPerClass` kept. Large classes are thinned
 * first by a hash cut that keeps about 1.3 × rowsPerClass of them, so the window sorts little.
 */
async function pullClassSample(
  connection: DuckDBConnection,
  source: DriftSource,
  cls: string,
  complete: string,
  features: readonly string[],
  classes: readonly string[],
  counts: ReadonlyMap<string, number>,
  rowsPerClass: number,
): Promise<Map<string, FeatureColumns>> {
  const present = classes.filter((c) => counts.has(c));
  if (present.length === 0) return new Map();
  const hash = `hash(${source.numbered.rowNumber} + ${SEED})`;
  const cuts = present
    .filter((c) => counts.get(c)! > 1.3 * rowsPerClass)
    .map((c) => `WHEN ${sqlString(c)} THEN ${Math.ceil(((1.3 * rowsPerClass) / counts.get(c)!) * HASH_MODULUS)}`);
  const thin = cuts.length === 0 ? '' : ` AND ${hash} % ${HASH_MODULUS} < CASE ${cls} ${cuts.join(' ')} ELSE ${HASH_MODULUS} END`;
  const sql = `SELECT class, ${features.map((_, j) => `f${j}`).join(', ')} FROM (
      SELECT ${cls} AS class, ${features.map((f, j) => `${sqlName(f)}::DOUBLE AS f${j}`).join(', ')}, ${hash} AS h, ${source.numbered.rowNumber} AS n
      FROM ${source.numbered.from}
      WHERE ${complete} AND ${cls} IN (${present.map(sqlString).join(', ')})${thin}
    ) QUALIFY row_number() OVER (PARTITION BY class ORDER BY h, n) <= ${rowsPerClass}
    ORDER BY class, h, n`;
  const rows = await queryOrThrow(connection, source.path, sql);
  const out = new Map<string, FeatureColumns>();
  for (let start = 0; start < rows.length; ) {
    const name = String(rows[start]![0]);
    let end = start;
    while (end < rows.length && String(rows[end]![0]) === name) end++;
    out.set(name, new Map(features.map((f, j) => [f, Float64Array.from({ length: end - start }, (_, i) => rows[start + i]![j + 1] as number)])));
    start = end;
  }
  return out;
}
