import { seasonalAdjustment } from '@outlay/stats';

export type Seasonality = 'weekday' | 'hour';

export interface SeriesAdjustment {
  /** The series with the fitted seasonal effects taken out, on the fit windows' average level. */
  adjusted: number[];
  applied: boolean;
  /** What was fitted, or why nothing was. */
  reason: string;
  dayOfWeek: (number | null)[] | null;
  hourOfDay: (number | null)[] | null;
  /** Coefficient of each known factor (per unit of the factor), when fitted. */
  factors: Record<string, number> | null;
  /** The fit's value per window (intercept + effects + factors); null where a level the fit never saw leaves it unknown. */
  fitted: (number | null)[] | null;
}

/**
 * Regresses hour-of-day and/or day-of-week, and declared known factors (one value per window each, e.g. the share
 * of hard inputs), out of a metric series (weighted least squares, `seasonalAdjustment`)
 * fitted on the first `fitCount` windows only, then adjusts every window with those effects: a monitor fits on
 * its history and judges the latest window, so a degradation there cannot bend the fit that should expose it.
 * A level is fitted only when the fit windows hold it at least twice, and only with twice as many windows as
 * coefficients; otherwise the series comes back unadjusted with the reason. With `fitCount` = all windows the
 * result equals `seasonalAdjustment(...).adjusted`.
 */
export function adjustSeries(
  values: number[],
  startsMs: number[],
  weights: number[] | undefined,
  seasonality: readonly Seasonality[],
  fitCount = values.length,
  factors: Record<string, readonly number[]> = {},
): SeriesAdjustment {
  const none = (reason: string): SeriesAdjustment => ({ adjusted: values.slice(), applied: false, reason, dayOfWeek: null, hourOfDay: null, factors: null, fitted: null });
  const factorNames = Object.keys(factors);
  if (seasonality.length === 0 && factorNames.length === 0) return none('no adjustment asked');
  const fitStarts = startsMs.slice(0, fitCount);
  const seenTwice = (code: (ms: number) => number): boolean => {
    const counts = new Map<number, number>();
    for (const ms of fitStarts) counts.set(code(ms), (counts.get(code(ms)) ?? 0) + 1);
    return counts.size > 1 && [...counts.values()].every((c) => c >= 2);
  };
  const hour = (ms: number) => new Date(ms).getUTCHours();
  const weekday = (ms: number) => (new Date(ms).getUTCDay() + 6) % 7;
  const hourOfDay = seasonality.includes('hour') && seenTwice(hour);
  const dayOfWeek = seasonality.includes('weekday') && seenTwice(weekday);
  const unseen = seasonality.length > 0 && !hourOfDay && !dayOfWeek;
  if (unseen && factorNames.length === 0) {
    return none(`the ${fitCount} windows with a value do not hold every ${seasonality.join('/')} level at least twice (hour needs hourly windows, weekday hourly or daily ones); adjusted = raw`);
  }
  const coefficients = 1 + (hourOfDay ? 23 : 0) + (dayOfWeek ? 6 : 0) + factorNames.length;
  if (fitCount < 2 * coefficients) return none(`${fitCount} windows with a value are too few for ${coefficients} coefficients (need ${2 * coefficients}); adjusted = raw`);
  for (const name of factorNames) if (factors[name]!.length !== values.length) throw new RangeError(`adjustSeries: factor ${name} has ${factors[name]!.length} values, expected ${values.length}`);
  const constant = factorNames.filter((name) => {
    const column = factors[name]!.slice(0, fitCount);
    const lo = Math.min(...column);
    const hi = Math.max(...column);
    return hi - lo <= 1e-9 * Math.max(1, Math.abs(hi), Math.abs(lo));
  });
  if (constant.length > 0) return none(`the known factor ${constant.join(', ')} cannot be fitted: it is constant over the ${fitCount} windows of the fit (the intercept already holds it); adjusted = raw`);
  let fit: ReturnType<typeof seasonalAdjustment>;
  try {
    fit = seasonalAdjustment({
      values: values.slice(0, fitCount),
      windowStartMs: fitStarts,
      hourOfDay,
      dayOfWeek,
      ...(factorNames.length > 0 ? { factors: Object.fromEntries(factorNames.map((name) => [name, factors[name]!.slice(0, fitCount)])) } : {}),
      ...(weights === undefined ? {} : { weights: weights.slice(0, fitCount) }),
    });
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    return none(`the known factors ${factorNames.join(', ')} cannot be fitted: ${error.message.replace(/^seasonalAdjustment: /, '')} (a factor constant over the windows, or one that is a sum of others); adjusted = raw`);
  }
  if (!Object.values(fit.factors).every(Number.isFinite) || !fit.fitted.every(Number.isFinite)) {
    return none(`the known factors ${factorNames.join(', ')} cannot be fitted: the regressors are collinear; adjusted = raw`);
  }
  const fittedMean = fit.fitted.reduce((s, f) => s + f, 0) / fitCount;
  const fitted: (number | null)[] = values.map((_, t) => {
    if (t < fitCount) return fit.fitted[t]!;
    const h = hourOfDay ? fit.hourOfDay![hour(startsMs[t]!)] : 0;
    const d = dayOfWeek ? fit.dayOfWeek![weekday(startsMs[t]!)] : 0;
    if (h === null || d === null || h === undefined || d === undefined) return null;
    return fit.intercept + h + d + factorNames.reduce((s, name) => s + fit.factors[name]! * factors[name]![t]!, 0);
  });
  // A level the fit never saw has no effect to remove: the window stays as it is.
  const adjusted = values.map((value, t) => (t < fitCount ? fit.adjusted[t]! : fitted[t] === null ? value : value - (fitted[t]! - fittedMean)));
  const parts = [hourOfDay ? 'hour of day' : null, dayOfWeek ? 'day of week' : null, ...factorNames.map((name) => `known factor ${name}`)].filter((x) => x !== null);
  const dropped = unseen ? ` (${seasonality.join('/')} not fitted: the windows do not hold every level at least twice)` : '';
  return {
    adjusted,
    applied: true,
    reason: `${parts.join(' and ')} fitted by weighted least squares on ${fitCount} windows${dropped}; adjusted = raw − (fitted − mean fitted)`,
    dayOfWeek: fit.dayOfWeek,
    hourOfDay: fit.hourOfDay,
    factors: factorNames.length > 0 ? fit.factors : null,
    fitted,
  };
}
