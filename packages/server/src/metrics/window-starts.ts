import type { Window } from '@outlay/store';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
// Weeks start on Monday 00:00 UTC, as the stores bucket them (DuckDB's time_bucket origin 2000-01-03).
const MONDAY_MS = Date.UTC(2000, 0, 3);

export const windowMs: Record<Window, number> = { hour: HOUR_MS, day: DAY_MS, week: 7 * DAY_MS };

/** Start of the UTC window that holds `ms`. */
export function floorToWindow(ms: number, window: Window): number {
  const size = windowMs[window];
  const origin = window === 'week' ? MONDAY_MS : 0;
  return origin + Math.floor((ms - origin) / size) * size;
}

/** Starts of every window that overlaps [fromMs, toMs), in order. */
export function windowStarts(fromMs: number, toMs: number, window: Window): number[] {
  const starts: number[] = [];
  for (let start = floorToWindow(fromMs, window); start < toMs; start += windowMs[window]) starts.push(start);
  return starts;
}
