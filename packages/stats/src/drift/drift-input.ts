/** What a column holds: numbers, or labels (strings, booleans, classes). */
export type ColumnKind = 'numeric' | 'categorical';

/**
 * What a drift method receives for one side (reference or current):
 * - `sample`: the raw numeric values (small data, or a sample of large data);
 * - `bins`: counts over numeric bins that reference and current share (the store's histogram for large data);
 * - `categories`: counts per category (the store's GROUP BY).
 */
export type DriftInput =
  | { readonly type: 'sample'; readonly values: Float64Array }
  | { readonly type: 'bins'; readonly counts: ArrayLike<number> }
  | { readonly type: 'categories'; readonly counts: ReadonlyMap<string, number> };

export type DriftInputType = DriftInput['type'];

/** Throws unless `values` is a non-empty sample of finite numbers (statistics on NaN are undefined). */
export function assertSample(values: ArrayLike<number>, what: string): void {
  if (values.length === 0) throw new RangeError(`${what} is empty; a drift test needs at least one value`);
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) {
      throw new RangeError(`${what}[${i}] is ${values[i]}; drift tests take finite numbers (filter missing values first)`);
    }
  }
}

/** Throws unless every count is a finite number ≥ 0 and the total is > 0. */
export function assertCounts(counts: Iterable<number>, what: string): number {
  let total = 0;
  let i = 0;
  for (const c of counts) {
    if (!(c >= 0) || !Number.isFinite(c)) throw new RangeError(`${what}: count #${i} is ${c}, expected a finite number ≥ 0`);
    total += c;
    i++;
  }
  if (total === 0) throw new RangeError(`${what}: counts are empty or all zero; a drift test needs at least one row`);
  return total;
}

/** The raw values of a `sample` input, checked; methods that need raw values call this. */
export function requireSample(input: DriftInput, method: string, side: 'reference' | 'current'): Float64Array {
  if (input.type !== 'sample') {
    throw new TypeError(`${method}: ${side} is ${input.type}, but ${method} needs the raw numeric sample`);
  }
  assertSample(input.values, `${method}: ${side}`);
  return input.values;
}
