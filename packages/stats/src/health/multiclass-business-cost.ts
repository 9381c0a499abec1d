import { businessCost, requireFinite, type BusinessCost } from './business-cost.js';

/**
 * Cost in USD of predicting class `predicted` when the truth is `actual`: `costUsd[actual][predicted]`, one
 * row and one column per entry of `classes` (the diagonal is usually 0 or a negative value).
 */
export interface MulticlassCostMatrix {
  classes: readonly string[];
  costUsd: readonly (readonly number[])[];
}

/**
 * Business cost of a multiclass classifier, Σᵢ C[actualᵢ][predictedᵢ], from rows of class names. A class
 * missing from the matrix, or a matrix that is not k × k with finite entries, throws.
 */
export function multiclassBusinessCost(actual: ArrayLike<string>, predicted: ArrayLike<string>, matrix: MulticlassCostMatrix): BusinessCost {
  const where = 'multiclassBusinessCost';
  const k = matrix.classes.length;
  if (k < 2) throw new RangeError(`${where}: needs at least 2 classes, got ${k}`);
  const index = new Map(matrix.classes.map((c, i) => [c, i]));
  if (index.size !== k) throw new RangeError(`${where}: classes has duplicates`);
  if (matrix.costUsd.length !== k) throw new RangeError(`${where}: costUsd has ${matrix.costUsd.length} rows, expected one per class (${k})`);
  matrix.costUsd.forEach((row, i) => {
    if (row.length !== k) throw new RangeError(`${where}: costUsd row ${matrix.classes[i]} has ${row.length} entries, expected ${k}`);
    row.forEach((v, j) => requireFinite(where, `costUsd[${matrix.classes[i]}][${matrix.classes[j]}]`, v));
  });
  const n = actual.length;
  if (predicted.length !== n) throw new RangeError(`${where}: actual has ${n} rows but predicted has ${predicted.length}`);
  const rowCosts = new Float64Array(n);
  let total = 0;
  for (let r = 0; r < n; r++) {
    const i = index.get(actual[r]!);
    const j = index.get(predicted[r]!);
    if (i === undefined) throw new RangeError(`${where}: actual[${r}] is ${actual[r]}, not a class of the cost matrix (${matrix.classes.join(', ')})`);
    if (j === undefined) throw new RangeError(`${where}: predicted[${r}] is ${predicted[r]}, not a class of the cost matrix (${matrix.classes.join(', ')})`);
    rowCosts[r] = matrix.costUsd[i]![j]!;
    total += rowCosts[r]!;
  }
  return businessCost(n, total, rowCosts);
}
