import type { ColumnKind } from './drift-input.js';

export interface ColumnProfile {
  readonly kind: ColumnKind;
  /** Non-missing rows in the reference. */
  readonly referenceRows: number;
  /** Distinct non-missing values in the reference. */
  readonly distinctValues: number;
}

/** Evidently switches from tests (p-values) to distances above this many reference rows. */
export const SMALL_REFERENCE_ROWS = 1000;

/**
 * The default drift method, Evidently's rule (evidently `get_default_stattest`): up to 1,000 reference rows,
 * KS for numeric columns with more than 5 distinct values, chi-square for other columns with more than 2
 * values, the Z-test for 1–2 values; above 1,000 rows, normed Wasserstein for numeric columns with more
 * than 5 values and Jensen–Shannon for the rest.
 */
export function chooseMethod(profile: ColumnProfile): string {
  const { kind, referenceRows, distinctValues } = profile;
  if (!(referenceRows > 0)) throw new RangeError(`chooseMethod: referenceRows is ${referenceRows}, expected > 0`);
  if (!(distinctValues > 0)) throw new RangeError(`chooseMethod: distinctValues is ${distinctValues}, expected > 0`);
  const continuous = kind === 'numeric' && distinctValues > 5;
  if (referenceRows <= SMALL_REFERENCE_ROWS) {
    if (continuous) return 'ks';
    return distinctValues > 2 ? 'chisquare' : 'z';
  }
  return continuous ? 'wasserstein' : 'jensenshannon';
}
