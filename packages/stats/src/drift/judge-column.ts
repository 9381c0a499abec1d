import { chooseMethod } from './choose-method.js';
import { detectColumnDrift, type ColumnDrift } from './detect-column-drift.js';
import type { ColumnKind, DriftInput } from './drift-input.js';
import { driftMethod } from './drift-methods.js';

/** What a column brings to its verdict: its values on each side and what the method choice reads. */
export interface ColumnEvidence {
  readonly kind: ColumnKind;
  readonly reference: DriftInput;
  readonly current: DriftInput;
  /** Present (non-missing) reference rows: the row count Evidently's rule reads. */
  readonly referenceRows: number;
  /** Present current rows. */
  readonly currentRows: number;
  /** Distinct reference values (categories, or distinct numbers). */
  readonly distinctValues: number;
}

export interface ColumnJudgement {
  readonly verdict: ColumnDrift;
  /** False when one side had no values: nothing was tested, and the column drifts when only one side is empty. */
  readonly compared: boolean;
}

// A sample counts the finite values it holds; counted inputs (categories, bins) their side's present rows.
const size = (input: DriftInput, present: number): number => (input.type === 'sample' ? input.values.length : present);

/**
 * One column's verdict as `outlay drift` and the server's window drift give it: `method` forced on the
 * columns it applies to (Evidently's rule for the others), `threshold` with the forced method or for every
 * column when none is forced; a side with no values is not tested.
 */
export function judgeColumn(column: ColumnEvidence, options: { method?: string; threshold?: number } = {}): ColumnJudgement {
  const referenceN = size(column.reference, column.referenceRows);
  const currentN = size(column.current, column.currentRows);
  const applies = options.method !== undefined && driftMethod(options.method).kinds.includes(column.kind) && driftMethod(options.method).inputs.includes(column.reference.type);
  const forced = applies ? options.method : undefined;
  const method = forced ?? (referenceN > 0 && column.distinctValues > 0 ? chooseMethod({ kind: column.kind, referenceRows: column.referenceRows, distinctValues: column.distinctValues }) : 'none');
  const threshold = options.method === undefined || forced !== undefined ? options.threshold : undefined;
  if (referenceN === 0 || currentN === 0) {
    return { verdict: { method, score: 0, p_value: null, threshold: threshold ?? Number.NaN, drift: referenceN !== currentN }, compared: false };
  }
  return { verdict: detectColumnDrift({ kind: column.kind, reference: column.reference, current: column.current, method, ...(threshold === undefined ? {} : { threshold }) }), compared: true };
}

/**
 * A verdict (after any p-value correction) as the reports print it: an infinite statistic as ±Number.MAX_VALUE
 * (JSON has no Infinity), no score when nothing was compared, and the method's default threshold where none
 * was set.
 */
export function reportedVerdict(verdict: ColumnDrift, compared: boolean): { method: string; score: number | null; p_value: number | null; threshold: number; drift: boolean } {
  return {
    method: verdict.method,
    score: !compared ? null : Number.isFinite(verdict.score) ? verdict.score : Math.sign(verdict.score) * Number.MAX_VALUE,
    p_value: verdict.p_value,
    threshold: Number.isFinite(verdict.threshold) ? verdict.threshold : verdict.method === 'none' ? 0 : driftMethod(verdict.method).defaultThreshold,
    drift: verdict.drift,
  };
}
