/** Named numeric columns of one side: a Map or a plain record of feature name → values (one per row). */
export type FeatureColumns = ReadonlyMap<string, ArrayLike<number>> | Readonly<Record<string, ArrayLike<number>>>;

/** The rows of one side as one row-major array: `values[row * columns + feature]`. */
export interface RowMatrix {
  readonly names: readonly string[];
  readonly rows: number;
  readonly columns: number;
  readonly values: Float64Array;
}

function entries(input: FeatureColumns): Map<string, ArrayLike<number>> {
  return input instanceof Map ? new Map(input) : new Map(Object.entries(input as Readonly<Record<string, ArrayLike<number>>>));
}

/**
 * Copies named columns into a row-major matrix, in the order of `names` (default: the input's own order).
 * Throws when a column is missing, when columns differ in length, on a value that is not a finite number
 * (the caller drops incomplete rows first), or when there is no column at all.
 */
export function rowMatrix(input: FeatureColumns, what: string, names?: readonly string[]): RowMatrix {
  const columns = entries(input);
  const order = names ?? [...columns.keys()];
  if (order.length === 0) throw new RangeError(`${what}: no feature columns`);
  const arrays = order.map((name) => {
    const values = columns.get(name);
    if (values === undefined) throw new RangeError(`${what}: column "${name}" is missing; it has ${[...columns.keys()].join(', ') || 'no columns'}`);
    return values;
  });
  const rows = arrays[0]!.length;
  const p = order.length;
  const values = new Float64Array(rows * p);
  arrays.forEach((column, j) => {
    if (column.length !== rows) throw new RangeError(`${what}: column "${order[j]}" has ${column.length} rows, "${order[0]}" has ${rows}`);
    for (let i = 0; i < rows; i++) {
      const x = column[i]!;
      if (!Number.isFinite(x)) throw new RangeError(`${what}: column "${order[j]}" row ${i} is ${x}; expected finite numbers (drop incomplete rows first)`);
      values[i * p + j] = x;
    }
  });
  return { names: order, rows, columns: p, values };
}

/**
 * The same rows in lexicographic order. Every randomised step (bootstrap indices, k-means++ seeds) then
 * depends on the set of rows only, not on the order they arrived in, so shuffling rows never changes a verdict.
 */
export function sortRows(matrix: RowMatrix): RowMatrix {
  const { rows, columns: p, values } = matrix;
  const order = Uint32Array.from({ length: rows }, (_, i) => i).sort((a, b) => {
    for (let j = 0; j < p; j++) {
      const d = values[a * p + j]! - values[b * p + j]!;
      if (d !== 0) return d;
    }
    return 0;
  });
  const sorted = new Float64Array(values.length);
  for (let i = 0; i < rows; i++) sorted.set(values.subarray(order[i]! * p, order[i]! * p + p), i * p);
  return { ...matrix, values: sorted };
}

/** Number of distinct rows, counting no further than `limit` (so the cost stays bounded). */
export function distinctRows(matrix: RowMatrix, limit: number): number {
  const seen = new Set<string>();
  const { rows, columns: p, values } = matrix;
  for (let i = 0; i < rows && seen.size < limit; i++) seen.add(Array.from(values.subarray(i * p, i * p + p)).join(','));
  return seen.size;
}
