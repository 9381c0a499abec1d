import { choleskySolve } from '../cholesky-solve.js';

export interface SeasonalAdjustmentInput {
  /** The metric per window (e.g. business cost per 1,000 predictions). */
  values: ArrayLike<number>;
  /** Start of each window, epoch milliseconds; hour of day and day of week are read in UTC. */
  windowStartMs: ArrayLike<number>;
  hourOfDay?: boolean;
  dayOfWeek?: boolean;
  /** Declared known factors per window, e.g. `{ occludedShare: [...] }`. */
  factors?: Record<string, ArrayLike<number>>;
  /** Optional weights per window (e.g. labelled rows n_i): weighted least squares. */
  weights?: ArrayLike<number>;
}

export interface SeasonalAdjustment {
  intercept: number;
  /** Effect of each UTC hour relative to the first hour present (0); null for hours absent from the data. */
  hourOfDay: (number | null)[] | null;
  /** Effect of each ISO weekday (index 0 = Monday) relative to the first present; null where absent. */
  dayOfWeek: (number | null)[] | null;
  factors: Record<string, number>;
  fitted: Float64Array;
  /** values − fitted */
  residuals: Float64Array;
  /** values − (fitted − mean(fitted)): the metric with what is known taken out, on its own average level. */
  adjusted: Float64Array;
}

/**
 * Regresses a metric series on hour-of-day and day-of-week dummies and declared known factors by (weighted)
 * least squares, y = Xβ + e, and returns the coefficients, residuals and the adjusted series. The normal
 * equations XᵀWX β = XᵀWy are solved by Cholesky (`choleskySolve`); each dummy group drops its first level
 * present (treatment coding) so X has full rank; levels that never occur get no column. A factor collinear
 * with the dummies (or constant) makes XᵀX singular and throws.
 *
 * @example seasonalAdjustment({ values: costPer1k, windowStartMs: starts, hourOfDay: true, dayOfWeek: true, factors: { occludedShare } })
 */
export function seasonalAdjustment(input: SeasonalAdjustmentInput): SeasonalAdjustment {
  const where = 'seasonalAdjustment';
  const { values, windowStartMs, hourOfDay = false, dayOfWeek = false, factors = {}, weights } = input;
  const n = values.length;
  if (n === 0) throw new RangeError(`${where}: values is empty`);
  if (windowStartMs.length !== n) throw new RangeError(`${where}: values has ${n} windows but windowStartMs has ${windowStartMs.length}`);
  if (weights !== undefined && weights.length !== n) throw new RangeError(`${where}: values has ${n} windows but weights has ${weights.length}`);
  const hours = new Int32Array(n);
  const days = new Int32Array(n);
  for (let t = 0; t < n; t++) {
    if (!Number.isFinite(values[t]!)) throw new RangeError(`${where}: values[${t}] is ${values[t]}, expected a finite number`);
    if (!Number.isFinite(windowStartMs[t]!)) throw new RangeError(`${where}: windowStartMs[${t}] is ${windowStartMs[t]}, expected epoch milliseconds`);
    if (weights !== undefined && !(weights[t]! > 0 && Number.isFinite(weights[t]!))) throw new RangeError(`${where}: weights[${t}] is ${weights[t]}, expected a positive number`);
    const date = new Date(windowStartMs[t]!);
    hours[t] = date.getUTCHours();
    days[t] = (date.getUTCDay() + 6) % 7; // ISO: Monday = 0
  }
  const factorNames = Object.keys(factors);
  for (const name of factorNames) {
    const column = factors[name]!;
    if (column.length !== n) throw new RangeError(`${where}: factor ${name} has ${column.length} values, expected ${n}`);
    for (let t = 0; t < n; t++) if (!Number.isFinite(column[t]!)) throw new RangeError(`${where}: factor ${name}[${t}] is ${column[t]}, expected a finite number`);
  }

  // Columns: intercept, hour dummies (levels present except the first), weekday dummies (idem), factors.
  const presentLevels = (codes: Int32Array, levels: number): number[] => {
    const seen = new Array<boolean>(levels).fill(false);
    for (const c of codes) seen[c] = true;
    return seen.flatMap((s, level) => (s ? [level] : []));
  };
  const hourLevels = hourOfDay ? presentLevels(hours, 24) : [];
  const dayLevels = dayOfWeek ? presentLevels(days, 7) : [];
  const columns: ((t: number) => number)[] = [() => 1];
  for (const h of hourLevels.slice(1)) columns.push((t) => (hours[t] === h ? 1 : 0));
  for (const d of dayLevels.slice(1)) columns.push((t) => (days[t] === d ? 1 : 0));
  for (const name of factorNames) columns.push((t) => factors[name]![t]!);
  const k = columns.length;
  if (n < k) throw new RangeError(`${where}: ${n} windows cannot fit ${k} coefficients; use fewer dummies or a longer series`);

  const x = new Float64Array(n * k);
  for (let t = 0; t < n; t++) for (let j = 0; j < k; j++) x[t * k + j] = columns[j]!(t);
  const xtx = new Float64Array(k * k);
  const xty = new Float64Array(k);
  for (let t = 0; t < n; t++) {
    const w = weights === undefined ? 1 : weights[t]!;
    for (let i = 0; i < k; i++) {
      const xi = x[t * k + i]! * w;
      if (xi === 0) continue;
      xty[i] = xty[i]! + xi * values[t]!;
      for (let j = 0; j <= i; j++) xtx[i * k + j] = xtx[i * k + j]! + xi * x[t * k + j]!;
    }
  }
  for (let i = 0; i < k; i++) for (let j = i + 1; j < k; j++) xtx[i * k + j] = xtx[j * k + i]!;
  let beta: Float64Array;
  try {
    beta = choleskySolve(xtx, k, xty);
  } catch (cause) {
    throw new RangeError(`${where}: the regressors are collinear (a factor is constant or a sum of dummies)`, { cause });
  }

  const fitted = new Float64Array(n);
  let fittedMean = 0;
  for (let t = 0; t < n; t++) {
    let sum = 0;
    for (let j = 0; j < k; j++) sum += x[t * k + j]! * beta[j]!;
    fitted[t] = sum;
    fittedMean += sum / n;
  }
  const residuals = Float64Array.from(fitted, (f, t) => values[t]! - f);
  const adjusted = Float64Array.from(fitted, (f, t) => values[t]! - (f - fittedMean));

  let column = 1;
  const effects = (enabled: boolean, levels: number[], size: number): (number | null)[] | null => {
    if (!enabled) return null;
    const out = new Array<number | null>(size).fill(null);
    levels.forEach((level, i) => (out[level] = i === 0 ? 0 : beta[column++]!));
    return out;
  };
  const hourEffects = effects(hourOfDay, hourLevels, 24);
  const dayEffects = effects(dayOfWeek, dayLevels, 7);
  const factorEffects = Object.fromEntries(factorNames.map((name) => [name, beta[column++]!]));
  return { intercept: beta[0]!, hourOfDay: hourEffects, dayOfWeek: dayEffects, factors: factorEffects, fitted, residuals, adjusted };
}
