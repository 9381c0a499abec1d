// Day windows as the URL carries them: `from` and `to` are UTC dates (YYYY-MM-DD), both days included.
// Pure, so the defaults (the first and the last 7 days of a model's data) are tested without a browser.

export interface DayWindow {
  /** First day, YYYY-MM-DD (UTC). */
  from: string;
  /** Last day, included. */
  to: string;
}

const dayMs = 86_400_000;
const datePattern = /^\d{4}-\d{2}-\d{2}$/;

/** A valid YYYY-MM-DD date, or false. */
export function isDay(text: string | null): text is string {
  if (text === null || !datePattern.test(text)) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}

function day(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function dayStartMs(text: string): number {
  return Date.parse(`${text}T00:00:00Z`);
}

export function windowStartIso(window: DayWindow): string {
  return `${window.from}T00:00:00.000Z`;
}

/** The exclusive end the API takes: midnight after the last day. */
export function windowEndIso(window: DayWindow): string {
  return new Date(dayStartMs(window.to) + dayMs).toISOString();
}

/** Days in the window, both ends counted. */
export function windowDays(window: DayWindow): number {
  return Math.round((dayStartMs(window.to) - dayStartMs(window.from)) / dayMs) + 1;
}

/** A window from the URL when both ends are valid dates in order, else null. */
export function parseWindow(from: string | null, to: string | null): DayWindow | null {
  if (!isDay(from) || !isDay(to) || to < from) return null;
  return { from, to };
}

/** The first `days` days of the data (from its first timestamp), never past its last day. */
export function firstDays(firstTimestamp: string, lastTimestamp: string, days: number): DayWindow {
  const from = day(Date.parse(firstTimestamp));
  const last = day(Date.parse(lastTimestamp));
  const to = day(dayStartMs(from) + (days - 1) * dayMs);
  return { from, to: to > last ? last : to };
}

/** The last `days` days of the data (up to its last timestamp), never before its first day. */
export function lastDays(firstTimestamp: string, lastTimestamp: string, days: number): DayWindow {
  const first = day(Date.parse(firstTimestamp));
  const to = day(Date.parse(lastTimestamp));
  const from = day(dayStartMs(to) - (days - 1) * dayMs);
  return { from: from < first ? first : from, to };
}

/** Whether two windows share at least one day. */
export function overlaps(a: DayWindow, b: DayWindow): boolean {
  return a.from <= b.to && b.from <= a.to;
}
