// What the Overview's money panel computes from the API's answers. Pure, so it is tested without a browser.

import type { CostSummary, MetricPoint, UnitMetrics } from '../../costs-api.ts';

const dayMs = 86_400_000;

/** Days compared: the latest 7 days of a model's data against the 7 days before them. */
export const comparedDays = 7;

export interface ComparedWindows {
  /** First day of the earlier window (inclusive), ISO. */
  previousFrom: string;
  /** First day of the latest window, ISO; the earlier window ends here. */
  currentFrom: string;
  /** Midnight after the model's last day (exclusive), ISO. */
  to: string;
}

/** The latest `comparedDays` UTC days up to the day of `lastTimestamp`, and the as many days before them. */
export function comparedWindows(lastTimestamp: string): ComparedWindows {
  const lastDayStart = Math.floor(Date.parse(lastTimestamp) / dayMs) * dayMs;
  const to = lastDayStart + dayMs;
  const currentFrom = to - comparedDays * dayMs;
  return { previousFrom: new Date(currentFrom - comparedDays * dayMs).toISOString(), currentFrom: new Date(currentFrom).toISOString(), to: new Date(to).toISOString() };
}

export interface WindowValue {
  /** The metric over the whole window, or null when no day of it has a value. */
  value: number | null;
  /** Rows behind it: predictions for the count, labelled predictions for the label-based metrics. */
  rows: number;
}

/**
 * One metric over several day windows: the count adds up; a rate or a cost per 1,000 labelled predictions is the
 * mean of the days weighted by their labelled rows, which is the metric over all those rows together. Days the
 * server left without a value (fewer than its min_sample rows) are left out.
 */
export function overWindow(points: readonly MetricPoint[], kind: 'count' | 'per-labelled', from: string, to: string): WindowValue {
  const inside = points.filter((p) => p.start >= from && p.start < to);
  if (kind === 'count') {
    const valued = inside.filter((p) => p.value !== null);
    return { value: valued.length === 0 ? null : valued.reduce((s, p) => s + p.value!, 0), rows: inside.reduce((s, p) => s + p.n, 0) };
  }
  let weighted = 0;
  let rows = 0;
  for (const p of inside) {
    if (p.value === null || p.labelled <= 0) continue;
    weighted += p.value * p.labelled;
    rows += p.labelled;
  }
  return { value: rows === 0 ? null : weighted / rows, rows };
}

export interface Change {
  /** Relative change, e.g. 0.12 for +12 %; null when the earlier value is missing or zero. */
  relative: number | null;
  /** "up 12%", "down 3.4%", "unchanged", or why there is nothing to compare with. */
  words: string;
  /** Whether the change is good, bad or neither for the business (a count has no direction). */
  tone: 'better' | 'worse' | 'neutral';
}

const percent = new Intl.NumberFormat('en-US', { style: 'percent', maximumFractionDigits: 1 });

/** How `current` moved from `previous`; `higherIsWorse` colours it (costs and errors up are bad news). */
export function changeOf(current: number | null, previous: number | null, higherIsWorse: boolean | null): Change {
  if (current === null) return { relative: null, words: 'no value in the latest days', tone: 'neutral' };
  if (previous === null) return { relative: null, words: 'nothing to compare with before', tone: 'neutral' };
  if (previous === 0) return { relative: null, words: current === 0 ? 'unchanged' : 'up from 0', tone: current === 0 || higherIsWorse === null ? 'neutral' : higherIsWorse ? 'worse' : 'better' };
  const relative = (current - previous) / Math.abs(previous);
  if (Math.abs(relative) < 0.0005) return { relative: 0, words: 'unchanged', tone: 'neutral' };
  const words = `${relative > 0 ? 'up' : 'down'} ${percent.format(Math.abs(relative))}`;
  const tone = higherIsWorse === null ? 'neutral' : relative > 0 === higherIsWorse ? 'worse' : 'better';
  return { relative, words, tone };
}

export interface ModelLedgerCost {
  /** The ledger month, ISO (its first instant). */
  period: string;
  /** Cost of the ledger rows naming the model in that month. */
  costUsd: number;
  /** The model's predictions in that month, as the unit metrics counted them; null when it logged none. */
  predictions: number | null;
  perThousandUsd: number | null;
}

/**
 * A model's own cost per 1,000 predictions in each ledger month: the ledger rows that name it (x_model) over its
 * predictions that month. Costs no row attributes to a model (people, shared tools) are not in it; the project's
 * variable cost per 1,000 says what they add.
 */
export function modelCostByMonth(model: string, summary: CostSummary, unit: UnitMetrics, predictionsByMonth: ReadonlyMap<string, number>): ModelLedgerCost[] {
  return summary.periods.map((period) => {
    const costUsd = period.by_model.find((g) => g.name === model)?.effective_cost ?? 0;
    const allocated = unit.periods.find((p) => p.period === period.period)?.allocation.models.find((m) => m.model === model)?.predictions;
    const predictions = allocated ?? predictionsByMonth.get(period.period) ?? null;
    return { period: period.period, costUsd, predictions, perThousandUsd: predictions !== null && predictions > 0 ? (1000 * costUsd) / predictions : null };
  });
}

/** "February 2001" for a period start. */
export function formatMonth(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleDateString('en-US', { month: 'long', year: 'numeric', timeZone: 'UTC' });
}

/** "Feb 2 – Feb 8, 2001" for a window of days [from, to). */
export function formatDays(fromIso: string, toIso: string): string {
  const from = new Date(fromIso);
  const last = new Date(Date.parse(toIso) - dayMs);
  const day = (d: Date, withYear: boolean) => d.toLocaleDateString('en-US', { month: 'short', day: 'numeric', ...(withYear ? { year: 'numeric' } : {}), timeZone: 'UTC' });
  return `${day(from, from.getUTCFullYear() !== last.getUTCFullYear())} – ${day(last, true)}`;
}
