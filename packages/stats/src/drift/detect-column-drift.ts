import { chooseMethod } from './choose-method.js';
import type { ColumnKind, DriftInput } from './drift-input.js';
import { driftMethod, isDrift } from './drift-methods.js';

export interface ColumnDriftOptions {
  readonly kind: ColumnKind;
  readonly reference: DriftInput;
  readonly current: DriftInput;
  /** A registered method name; chosen by Evidently's rule (chooseMethod) when absent. */
  readonly method?: string;
  /** In the method's own direction; its default threshold when absent. */
  readonly threshold?: number;
  /** Needed to choose a method for `bins` inputs, where they cannot be derived. */
  readonly referenceRows?: number;
  readonly distinctValues?: number;
}

/** One column's drift verdict, shaped like a column of `outlay drift --format json`. */
export interface ColumnDrift {
  readonly method: string;
  readonly score: number;
  readonly p_value: number | null;
  readonly threshold: number;
  readonly drift: boolean;
}

/**
 * Runs one drift method on one column: the named one or Evidently's default for the column's kind, size and
 * number of distinct values. Example:
 * `detectColumnDrift({kind: 'categorical', reference: {type: 'categories', counts: ref}, current: {type: 'categories', counts: cur}})`.
 */
export function detectColumnDrift(options: ColumnDriftOptions): ColumnDrift {
  const { kind, reference, current } = options;
  const name = options.method ?? chooseMethod({ kind, ...profileOf(reference, options) });
  const method = driftMethod(name);
  if (!method.kinds.includes(kind)) throw new RangeError(`${name} does not apply to ${kind} columns`);
  if (!method.inputs.includes(reference.type)) {
    throw new TypeError(`${name} takes ${method.inputs.join(' or ')} inputs, not ${reference.type}`);
  }
  const threshold = options.threshold ?? method.defaultThreshold;
  if (!Number.isFinite(threshold)) throw new RangeError(`detectColumnDrift: threshold is ${threshold}`);
  const result = method.compute(reference, current);
  return { method: name, score: result.score, p_value: result.pValue, threshold, drift: isDrift(method, result, threshold) };
}

function profileOf(reference: DriftInput, options: ColumnDriftOptions): { referenceRows: number; distinctValues: number } {
  if (options.referenceRows !== undefined && options.distinctValues !== undefined) {
    return { referenceRows: options.referenceRows, distinctValues: options.distinctValues };
  }
  if (reference.type === 'sample') return { referenceRows: reference.values.length, distinctValues: new Set(reference.values).size };
  if (reference.type === 'categories') {
    let rows = 0;
    let distinct = 0;
    for (const c of reference.counts.values()) {
      rows += c;
      if (c > 0) distinct++;
    }
    return { referenceRows: rows, distinctValues: distinct };
  }
  throw new RangeError('detectColumnDrift: with bins input, give method, or referenceRows and distinctValues');
}
