import { assertCounts, assertSample, type DriftInput } from './drift-input.js';

/** A category: a label, or a numeric value when a numeric column has few distinct values. */
export type CategoryKey = string | number;

/**
 * Counts per category of an input: the map itself for `categories`, one category per distinct value for a
 * `sample` (how Evidently treats a numeric column with few values), one per bin index for `bins`.
 */
export function categoryCounts(input: DriftInput, what: string): Map<CategoryKey, number> {
  const counts = new Map<CategoryKey, number>();
  if (input.type === 'sample') {
    assertSample(input.values, what);
    for (const v of input.values) counts.set(v, (counts.get(v) ?? 0) + 1);
    return counts;
  }
  if (input.type === 'bins') {
    assertCounts(Array.from(input.counts), what);
    for (let i = 0; i < input.counts.length; i++) counts.set(i, input.counts[i]!);
    return counts;
  }
  assertCounts(input.counts.values(), what);
  for (const [key, c] of input.counts) counts.set(key, c);
  return counts;
}

/** The union of both sides' categories, sorted (numbers numerically, then strings) so results are reproducible. */
export function unionOfKeys(reference: Map<CategoryKey, number>, current: Map<CategoryKey, number>): CategoryKey[] {
  const keys = new Set<CategoryKey>([...reference.keys(), ...current.keys()]);
  return [...keys].sort((a, b) => {
    if (typeof a === 'number' && typeof b === 'number') return a - b;
    if (typeof a === 'number') return -1;
    if (typeof b === 'number') return 1;
    return a < b ? -1 : a > b ? 1 : 0;
  });
}
