// Pure helpers of the Model health page: what the URL's controls mean, how a metric series becomes chart
// columns, which windows are gaps and why, and how each metric's numbers are written.

import { formatCount, formatShare, formatStatistic, formatUsd } from './format.ts';
import type { EstimateInfo, MetricName, MetricPoint, MetricSeries, MetricWindow, Smoothing } from './health-api.ts';

export const seasonalAdjustments = ['weekday', 'hour'] as const;

/** `?window=`: hour, day or week; day when absent or unknown. */
export function parseMetricWindow(text: string | null): MetricWindow {
  return text === 'hour' || text === 'week' ? text : 'day';
}

/** `?smooth=`: ewma (the default), kalman, or none (`smooth=none`) for the raw series alone. */
export function parseSmoothing(text: string | null): Smoothing | null {
  if (text === 'none') return null;
  return text === 'kalman' ? 'kalman' : 'ewma';
}

/**
 * `?adjust=`: a comma-separated list of what to regress out, `weekday` and `hour` and known factors of the
 * project config (`COLUMN` or `COLUMN=VALUE`); `none` or empty for nothing; weekday when absent. Each item
 * once, in the order given.
 *
 * @example parseAdjust('weekday,occluded,weekday') → ['weekday', 'occluded']
 */
export function parseAdjust(text: string | null): string[] {
  if (text === null) return ['weekday'];
  const items = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '' && s !== 'none');
  return [...new Set(items)];
}

/** The `?adjust=` value of a list; `none` for an empty list, so an empty choice survives a reload. */
export function adjustParam(items: readonly string[]): string {
  return items.length === 0 ? 'none' : items.join(',');
}

/** The list with `item` added (at its place among `order`) or removed. */
export function toggleItem(items: readonly string[], item: string, on: boolean, order: readonly string[]): string[] {
  const next = new Set(items);
  if (on) next.add(item);
  else next.delete(item);
  const rank = (s: string) => (order.includes(s) ? order.indexOf(s) : order.length);
  return [...next].sort((a, b) => rank(a) - rank(b));
}

export type PointField = 'value' | 'lower' | 'upper' | 'smoothed' | 'control_lower' | 'control_upper' | 'adjusted' | 'estimated' | 'estimated_lower' | 'estimated_upper' | 'residual';

/** Seconds since the epoch of each window's start: uPlot's x axis. */
export function windowSeconds(points: readonly MetricPoint[]): number[] {
  return points.map((p) => Math.floor(Date.parse(p.start) / 1000));
}

/** One field of every window, null where the window has none: uPlot draws nulls as gaps, never as zero. */
export function column(points: readonly MetricPoint[], field: PointField): (number | null)[] {
  return points.map((p) => p[field]);
}

/** The window's value where the server raised an alert, null elsewhere: drawn as points over the series. */
export function alertColumn(points: readonly MetricPoint[]): (number | null)[] {
  return points.map((p) => (p.alert ? (p.smoothed ?? p.adjusted ?? p.value) : null));
}

/** Whether any window has a number in `field`: a line with no number at all is left out of chart and legend. */
export function hasField(points: readonly MetricPoint[], field: PointField): boolean {
  return points.some((p) => p[field] !== null);
}

export interface Gap {
  start: string;
  reason: string;
  detail: string | null;
}

/** Windows without a value and why (`insufficient_data` and the server's detail), in order. */
export function gaps(points: readonly MetricPoint[]): Gap[] {
  return points.flatMap((p) => (p.value === null ? [{ start: p.start, reason: p.reason ?? 'no value', detail: p.detail }] : []));
}

/** The latest window that has a value, or null. */
export function latestWithValue(points: readonly MetricPoint[]): MetricPoint | null {
  for (let i = points.length - 1; i >= 0; i -= 1) if (points[i]!.value !== null) return points[i]!;
  return null;
}

/** Labelled rows over predictions across the series; null without predictions. */
export function overallCoverage(points: readonly MetricPoint[]): number | null {
  const n = points.reduce((sum, p) => sum + p.n, 0);
  return n === 0 ? null : points.reduce((sum, p) => sum + p.labelled, 0) / n;
}

export const metricTitles: Record<MetricName, string> = {
  business_cost_per_1k: 'Business cost of errors per 1,000 predictions',
  error_rate: 'Error rate',
  label_coverage: 'Label coverage',
  predictions: 'Predictions',
  latency_p95_ms: 'Latency p95',
  mean_score: 'Mean score',
  mae: 'Mean absolute error',
};

/** Titles short enough for a select. */
export const metricShortTitles: Record<MetricName, string> = { ...metricTitles, business_cost_per_1k: 'Business cost per 1,000', mae: 'MAE' };

const msFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });

/** A metric's value for people: dollars for the cost, percentages for rates, counts, milliseconds. */
export function formatMetric(metric: MetricName, value: number | null): string {
  if (value === null || !Number.isFinite(value)) return '—';
  switch (metric) {
    case 'business_cost_per_1k':
      return formatUsd(value);
    case 'error_rate':
    case 'label_coverage':
      return formatShare(value);
    case 'predictions':
      return formatCount(Math.round(value));
    case 'latency_p95_ms':
      return `${msFormat.format(value)} ms`;
    default:
      return formatStatistic(value);
  }
}

/** A window's start as the page writes it: the date for day and week windows, date and hour for hours (UTC). */
export function formatWindowStart(start: string, window: MetricWindow): string {
  const date = new Date(start);
  if (Number.isNaN(date.getTime())) return start;
  const iso = date.toISOString();
  return window === 'hour' ? `${iso.slice(0, 10)} ${iso.slice(11, 16)}` : iso.slice(0, 10);
}

const axisDayFormat = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' });
const daySeconds = 86_400;

/**
 * Tick spacing and labels of a time axis for day and week windows (a tick per window start, never at noon);
 * null for hour windows, where uPlot's own time ticks fit.
 */
export function dayAxis(window: MetricWindow): { incrs: number[]; format: (seconds: number) => string } | null {
  if (window === 'hour') return null;
  const base = window === 'week' ? 7 * daySeconds : daySeconds;
  return { incrs: [1, 2, 4, 8, 13, 26, 52].map((k) => k * base), format: (seconds) => axisDayFormat.format(new Date(seconds * 1000)) };
}

/**
 * The series with the label-free estimate of another answer for the same metric, window and range laid onto
 * it, window by window. The estimate is asked for on its own because it is the slow part: changing the
 * smoothing or the adjustment then refetches only the fast series.
 */
export function withEstimate(series: MetricSeries, estimate: { data: MetricSeries | undefined; error: unknown; loading: boolean }): MetricSeries {
  let info: EstimateInfo;
  if (estimate.data) info = estimate.data.estimate;
  else if (estimate.loading) info = { status: 'pending' };
  else if (estimate.error !== undefined) info = { status: 'unsupported', reason: estimate.error instanceof Error ? estimate.error.message : String(estimate.error) };
  else info = { status: 'not_asked' };
  const byStart = new Map((estimate.data?.points ?? []).map((p) => [p.start, p]));
  return {
    ...series,
    estimate: info,
    points: series.points.map((p) => {
      const e = byStart.get(p.start);
      return e ? { ...p, estimated: e.estimated, estimated_lower: e.estimated_lower, estimated_upper: e.estimated_upper, estimate_reason: e.estimate_reason } : p;
    }),
  };
}

/**
 * A signed change of a metric: percentage points for rates (a rate going from 48.2% to 19.4% changed by
 * −28.8 pp, not by −28.8%), the metric's own unit otherwise; two decimals for changes under 0.1 pp.
 *
 * @example formatMetricChange('error_rate', -0.2886) → '−28.9 pp'
 */
export function formatMetricChange(metric: MetricName, change: number | null): string {
  if (change === null || !Number.isFinite(change)) return '—';
  const sign = change > 0 ? '+' : change < 0 ? '−' : '';
  const size = Math.abs(change);
  if (metric === 'error_rate' || metric === 'label_coverage') {
    const points = size * 100;
    return `${sign}${points.toFixed(points < 0.1 && points > 0 ? 2 : 1)} pp`;
  }
  return `${sign}${formatMetric(metric, size)}`;
}
