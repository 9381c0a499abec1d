import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import type { ColumnKind } from '@outlay/stats';
import { asDouble, openDriftSource, queryOrThrow, sqlName, type DerivedColumn, type DriftSource } from './open-drift-source.js';

/** Equal-width bins of the histograms, between the reference 0.1% and 99.9% quantiles. */
export const HISTOGRAM_BINS = 30;
/** Categories shown per categorical column, by their larger share on either side. */
export const TOP_CATEGORIES = 15;

/** Counts per side of a numeric column on shared bins; NULL and NaN are left out (they are the missing share). */
export interface HistogramPlot {
  readonly kind: 'histogram';
  /** Edges of the equal-width bins: `bins + 1` numbers from the reference 0.1% quantile to the 99.9% one. */
  readonly edges: readonly number[];
  readonly reference: SideHistogram;
  readonly current: SideHistogram;
}

export interface SideHistogram {
  /** One count per bin; a value equal to the top edge falls in the last bin. */
  readonly counts: readonly number[];
  /** Values below the first edge (including -Infinity) and above the last (including +Infinity). */
  readonly under: number;
  readonly over: number;
  /** Every non-missing value: `sum(counts) + under + over`. */
  readonly total: number;
}

/** Shares of the non-missing values of the top categories, on each side. */
export interface CategoriesPlot {
  readonly kind: 'categories';
  readonly categories: readonly { readonly value: string; readonly reference_share: number; readonly current_share: number }[];
  /** Share of the categories not shown. */
  readonly other: { readonly reference_share: number; readonly current_share: number };
  /** Distinct values over both sides. */
  readonly distinct: number;
}

export type DriftPlot = HistogramPlot | CategoriesPlot;

/**
 * Distribution plots for the HTML report, computed in SQL over every row of both files in a small DuckDB
 * instance of their own (the report's instance is closed by then): shared histogram bins for numeric columns,
 * top-category shares for categorical ones. Columns whose reference has no finite value get no plot.
 */
export async function computeDriftPlots(
  reference: string,
  current: string,
  columns: readonly { readonly column: string; readonly kind: ColumnKind }[],
  derived: readonly DerivedColumn[] = [],
): Promise<Map<string, DriftPlot>> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const ref = await openDriftSource(connection, 'reference', reference, derived);
    const cur = await openDriftSource(connection, 'current', current, derived);
    const plots = new Map<string, DriftPlot>();
    const numeric = columns.filter((c) => c.kind === 'numeric').map((c) => c.column);
    const bounds = await histogramBounds(connection, ref, cur, numeric);
    for (const { column, kind } of columns) {
      const plot = kind === 'numeric' ? await histogram(connection, ref, cur, column, bounds.get(column)!) : await categories(connection, ref, cur, column);
      if (plot) plots.set(column, plot);
    }
    return plots;
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

interface Bounds {
  readonly low: number | null;
  readonly high: number | null;
}

/**
 * The reference 0.1% and 99.9% quantiles of every numeric column in one scan. When they coincide (a nearly
 * constant column) the finite range of both sides is used instead, and when that is a point too, a unit
 * interval around it.
 */
async function histogramBounds(connection: DuckDBConnection, ref: DriftSource, cur: DriftSource, columns: readonly string[]): Promise<Map<string, Bounds>> {
  const bounds = new Map<string, Bounds>();
  if (columns.length === 0) return bounds;
  const finite = (c: string) => `CASE WHEN isfinite(${asDouble(c)}) THEN ${asDouble(c)} END`;
  const quantiles = columns.map((c) => `quantile_cont(${finite(c)}, [0.001, 0.999])`).join(', ');
  const [qrow] = await queryOrThrow(connection, ref.path, `SELECT ${quantiles} FROM ${ref.relation}`);
  const ranges = columns.map((c) => `min(${finite(c)}), max(${finite(c)})`).join(', ');
  const rangeOf = async (source: DriftSource) => (await queryOrThrow(connection, source.path, `SELECT ${ranges} FROM ${source.relation}`))[0]!;
  let refRange: unknown[] | undefined;
  let curRange: unknown[] | undefined;
  for (const [j, column] of columns.entries()) {
    const q = qrow![j] as (number | null)[] | null;
    const low = q?.[0] ?? null;
    const high = q?.[1] ?? null;
    if (low === null || high === null) {
      bounds.set(column, { low: null, high: null });
    } else if (high > low) {
      bounds.set(column, { low, high });
    } else {
      refRange ??= await rangeOf(ref);
      curRange ??= await rangeOf(cur);
      const values = [refRange[2 * j], refRange[2 * j + 1], curRange[2 * j], curRange[2 * j + 1]].filter((x): x is number => typeof x === 'number');
      const min = Math.min(...values);
      const max = Math.max(...values);
      bounds.set(column, max > min ? { low: min, high: max } : { low: min - 0.5, high: min + 0.5 });
    }
  }
  return bounds;
}

async function histogram(connection: DuckDBConnection, ref: DriftSource, cur: DriftSource, column: string, bounds: Bounds): Promise<HistogramPlot | null> {
  const { low, high } = bounds;
  if (low === null || high === null) return null;
  const x = asDouble(column);
  const lo = `'${low}'::DOUBLE`;
  const hi = `'${high}'::DOUBLE`;
  // Bucket -1 is below the range, HISTOGRAM_BINS above; the top edge itself belongs to the last bin.
  const bucket = `CASE WHEN x < ${lo} THEN -1 WHEN x > ${hi} THEN ${HISTOGRAM_BINS} ELSE least(floor((x - ${lo}) / (${hi} - ${lo}) * ${HISTOGRAM_BINS})::INTEGER, ${HISTOGRAM_BINS - 1}) END`;
  const rows = await queryOrThrow(
    connection,
    `${ref.path} and ${cur.path}`,
    `SELECT side, ${bucket} AS bucket, count(*)::DOUBLE
     FROM (SELECT 0 AS side, ${x} AS x FROM ${ref.relation} UNION ALL SELECT 1, ${x} FROM ${cur.relation})
     WHERE x IS NOT NULL AND NOT isnan(x)
     GROUP BY ALL`,
  );
  const sides = [0, 1].map(() => ({ counts: new Array<number>(HISTOGRAM_BINS).fill(0), under: 0, over: 0, total: 0 }));
  for (const [side, b, n] of rows as [number, number, number][]) {
    const target = sides[side]!;
    if (b < 0) target.under += n;
    else if (b >= HISTOGRAM_BINS) target.over += n;
    else target.counts[b] = n;
    target.total += n;
  }
  const edges = Array.from({ length: HISTOGRAM_BINS + 1 }, (_, i) => (i === HISTOGRAM_BINS ? high : low + ((high - low) * i) / HISTOGRAM_BINS));
  return { kind: 'histogram', edges, reference: sides[0]!, current: sides[1]! };
}

async function categories(connection: DuckDBConnection, ref: DriftSource, cur: DriftSource, column: string): Promise<CategoriesPlot | null> {
  const v = `${sqlName(column)}::VARCHAR`;
  const counts = (source: DriftSource) => `SELECT ${v} AS v, count(*)::DOUBLE AS n FROM ${source.relation} WHERE ${sqlName(column)} IS NOT NULL GROUP BY 1`;
  // Ranked by the larger share on either side, so that a category new in the current data shows up.
  const rows = await queryOrThrow(
    connection,
    `${ref.path} and ${cur.path}`,
    `WITH r AS (${counts(ref)}), c AS (${counts(cur)}),
       totals AS (SELECT (SELECT sum(n) FROM r) AS rn, (SELECT sum(n) FROM c) AS cn),
       shares AS (
         SELECT coalesce(r.v, c.v) AS v,
           coalesce(r.n, 0) / nullif(totals.rn, 0) AS rs, coalesce(c.n, 0) / nullif(totals.cn, 0) AS cs
         FROM r FULL JOIN c ON r.v = c.v, totals)
     SELECT v, coalesce(rs, 0), coalesce(cs, 0), count(*) OVER ()::DOUBLE, (SELECT coalesce(rn, 0) > 0 FROM totals), (SELECT coalesce(cn, 0) > 0 FROM totals)
     FROM shares
     ORDER BY greatest(coalesce(rs, 0), coalesce(cs, 0)) DESC, v
     LIMIT ${TOP_CATEGORIES}`,
  );
  if (rows.length === 0) return null;
  const typed = rows as [string, number, number, number, boolean, boolean][];
  const shown = typed.map(([value, rs, cs]) => ({ value, reference_share: rs, current_share: cs }));
  const [, , , distinct, referenceHasValues, currentHasValues] = typed[0]!;
  // A side with no values at all has no "other" share either.
  const rest = (side: 'reference_share' | 'current_share', hasValues: boolean) => (hasValues ? Math.max(0, 1 - shown.reduce((sum, c) => sum + c[side], 0)) : 0);
  return {
    kind: 'categories',
    categories: shown,
    other: { reference_share: rest('reference_share', referenceHasValues), current_share: rest('current_share', currentHasValues) },
    distinct,
  };
}
