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
}

/**
 * Regresses hour-of-day and/or day-of-week out of a metric series (weighted least squares, `seasonalAdjustment`)
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
): SeriesAdjustment {
  const none = (reason: string): SeriesAdjustment => ({ adjusted: values.slice(), applied: false, reason, dayOfWeek: null, hourOfDay: null });
  if (seasonality.length === 0) return none('no adjustment asked');
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
  if (!hourOfDay && !dayOfWeek) {
    return none(`the ${fitCount} windows with a value do not hold every ${seasonality.join('/')} level at least twice (hour needs hourly windows, weekday hourly or daily ones); adjusted = raw`);
  }
  const coefficients = 1 + (hourOfDay ? 23 : 0) + (dayOfWeek ? 6 : 0);
  if (fitCount < 2 * coefficients) return none(`${fitCount} windows with a value are too few for ${coefficients} coefficients (need ${2 * coefficients}); adjusted = raw`);
  const fit = seasonalAdjustment({
    values: values.slice(0, fitCount),
    windowStartMs: fitStarts,
    hourOfDay,
    dayOfWeek,
    ...(weights === undefined ? {} : { weights: weights.slice(0, fitCount) }),
  });
  const fittedMean = fit.fitted.reduce((s, f) => s + f, 0) / fitCount;
  const adjusted = values.map((value, t) => {
    if (t < fitCount) return fit.adjusted[t]!;
    // A level the fit never saw has no effect to remove: the window stays as it is.
    const h = hourOfDay ? fit.hourOfDay![hour(startsMs[t]!)] : 0;
    const d = dayOfWeek ? fit.dayOfWeek![weekday(startsMs[t]!)] : 0;
    if (h === null || d === null || h === undefined || d === undefined) return value;
    return value - (fit.intercept + h + d - fittedMean);
  });
  const parts = [hourOfDay ? 'hour of day' : null, dayOfWeek ? 'day of week' : null].filter((x) => x !== null);
  return {
    adjusted,
    applied: true,
    reason: `${parts.join(' and ')} fitted by weighted least squares on ${fitCount} windows; adjusted = raw − (fitted − mean fitted)`,
    dayOfWeek: fit.dayOfWeek,
    hourOfDay: fit.hourOfDay,
  };
}
