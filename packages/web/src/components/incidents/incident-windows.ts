// Windows of an incident: the defaults of the "Open an incident" form and how a stored window reads. Pure.

import { isDay, type DayWindow } from '../../time-range.ts';

const dayMs = 86_400_000;

function day(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** The `days` days that end the day before `window` starts. */
export function daysBefore(window: DayWindow, days: number): DayWindow {
  const from = Date.parse(`${window.from}T00:00:00Z`);
  return { from: day(from - days * dayMs), to: day(from - dayMs) };
}

/** The window of the same length that ends the day before `window` starts. */
export function precedingWindow(window: DayWindow): DayWindow {
  const length = Math.round((Date.parse(`${window.to}T00:00:00Z`) - Date.parse(`${window.from}T00:00:00Z`)) / dayMs) + 1;
  return daysBefore(window, length);
}

/**
 * A stored window (`from` inclusive, `to` exclusive, ISO instants) as people read it: whole UTC days as
 * `2001-02-01 to 2001-02-03`, anything else as its two instants.
 */
export function formatIncidentWindow(window: { from: string; to: string }): string {
  const from = Date.parse(window.from);
  const to = Date.parse(window.to);
  if (!Number.isFinite(from) || !Number.isFinite(to)) return `${window.from} to ${window.to}`;
  if (from % dayMs === 0 && to % dayMs === 0 && to > from) {
    const last = day(to - dayMs);
    return last === day(from) ? day(from) : `${day(from)} to ${last}`;
  }
  const text = (ms: number) => `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')}`;
  return `${text(from)} to ${text(to)} UTC`;
}

/** Both dates valid and in order. */
export function isDayWindow(window: DayWindow): boolean {
  return isDay(window.from) && isDay(window.to) && window.from <= window.to;
}
