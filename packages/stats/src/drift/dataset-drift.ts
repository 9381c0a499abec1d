import { correctPValues, type PValueCorrection } from './correct-p-values.js';
import type { ColumnDrift } from './detect-column-drift.js';

export interface DatasetDrift {
  /** The columns, with p-values adjusted and drift re-decided when a correction was asked for. */
  readonly columns: readonly ColumnDrift[];
  readonly drifted_columns: number;
  readonly share_of_drifted_columns: number;
  readonly dataset_drift: boolean;
}

/**
 * The dataset drifts when at least `share` of its columns drift (Evidently's DatasetDriftMetric, default ½).
 * With a correction, the p-values of the p-value methods are adjusted together across columns (distances are
 * left as they are) and compared with each column's threshold.
 */
export function datasetDrift(columns: readonly ColumnDrift[], share = 0.5, correction: PValueCorrection = 'none'): DatasetDrift {
  if (columns.length === 0) throw new RangeError('datasetDrift: no columns; dataset drift needs at least one column');
  if (!(share > 0 && share <= 1)) throw new RangeError(`datasetDrift: share is ${share}, expected a number in (0, 1]`);
  const tested = columns.flatMap((c, i) => (c.p_value === null ? [] : [i]));
  const adjusted = correctPValues(tested.map((i) => columns[i]!.p_value!), correction);
  const corrected = columns.map((c) => c);
  tested.forEach((columnIndex, k) => {
    const c = columns[columnIndex]!;
    const p = adjusted[k]!;
    corrected[columnIndex] = { ...c, p_value: p, drift: p < c.threshold };
  });
  const drifted = corrected.filter((c) => c.drift).length;
  const shareOfDrifted = drifted / corrected.length;
  return { columns: corrected, drifted_columns: drifted, share_of_drifted_columns: shareOfDrifted, dataset_drift: shareOfDrifted >= share };
}
