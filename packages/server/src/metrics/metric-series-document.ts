import type { Window } from '@outlay/store';
import { z } from 'zod';
import { adjustSeries, type Seasonality } from './adjust-series.js';
import type { MetricWindow } from './compute-metric-series.js';
import { metricSample, MetricName } from './metric-name.js';
import { smoothSeries, type SmoothingMethod } from './smooth-series.js';

const Num = z.number().nullable();

export const MetricPoint = z.object({
  start: z.string(),
  n: z.number(),
  labelled: z.number(),
  value: Num,
  lower: Num,
  upper: Num,
  smoothed: Num,
  adjusted: Num,
  /** Control limits of the smoothing (EWMA) or the band of the filtered level (Kalman). */
  control_lower: Num,
  control_upper: Num,
  alert: z.boolean(),
  sampled: z.boolean(),
  reason: z.enum(['insufficient_data']).nullable(),
  detail: z.string().nullable(),
});
export type MetricPoint = z.infer<typeof MetricPoint>;

export const MetricSeriesDocument = z.object({
  model: z.string(),
  metric: MetricName,
  window: z.enum(['hour', 'day', 'week']),
  from: z.string(),
  to: z.string(),
  slice: z.object({ column: z.string(), value: z.union([z.string(), z.number(), z.boolean()]) }).nullable(),
  min_sample: z.number(),
  adjustment: z.object({ asked: z.array(z.string()), applied: z.boolean(), reason: z.string() }).nullable(),
  smoothing: z
    .object({ method: z.enum(['ewma', 'kalman']), series: z.enum(['raw', 'adjusted']), status: z.enum(['ok', 'insufficient_data']), reason: z.string().nullable(), reference_windows: z.number(), target: Num, sigma_per_row: Num })
    .nullable(),
  points: z.array(MetricPoint),
  notes: z.array(z.string()),
});
export type MetricSeriesDocument = z.infer<typeof MetricSeriesDocument>;

export interface DocumentOptions {
  model: string;
  metric: MetricName;
  window: Window;
  fromMs: number;
  toMs: number;
  slice: MetricSeriesDocument['slice'];
  minSample: number;
  adjust: Seasonality[];
  smooth: SmoothingMethod | undefined;
  notes: string[];
}

/**
 * The API's metric series: each window's value and band, the adjusted series (seasonality fitted on every
 * window with a value), and the smoothing run on the adjusted series when there is one (reference: the first
 * half of the windows with a value). Windows without a value get null everywhere, never NaN.
 */
export function metricSeriesDocument(windows: MetricWindow[], options: DocumentOptions): MetricSeriesDocument {
  const notes = options.notes.slice();
  const points: MetricPoint[] = windows.map((w) => ({
    start: w.start,
    n: w.n,
    labelled: w.labelled,
    value: w.value,
    lower: w.lower,
    upper: w.upper,
    smoothed: null,
    adjusted: null,
    control_lower: null,
    control_upper: null,
    alert: false,
    sampled: w.sampled,
    reason: w.reason,
    detail: w.detail,
  }));
  const withValue = windows.flatMap((w, i) => (w.value === null ? [] : [i]));
  const values = withValue.map((i) => windows[i]!.value!);
  const { weighted, rate } = metricSample[options.metric];
  const sizes = weighted ? withValue.map((i) => windows[i]!.sample) : undefined;
  let series = values;
  let adjustment: MetricSeriesDocument['adjustment'] = null;
  if (options.adjust.length > 0) {
    const fit = adjustSeries(values, withValue.map((i) => windows[i]!.startMs), sizes, options.adjust);
    adjustment = { asked: options.adjust, applied: fit.applied, reason: fit.reason };
    series = fit.adjusted;
    withValue.forEach((i, k) => (points[i]!.adjusted = series[k]!));
  }
  let smoothing: MetricSeriesDocument['smoothing'] = null;
  if (options.smooth !== undefined) {
    const result = smoothSeries({ values: series, sampleSizes: sizes, rowSds: withValue.map((i) => windows[i]!.rowSd), rate }, options.smooth, Math.floor(series.length / 2));
    smoothing = {
      method: result.method,
      series: adjustment?.applied ? 'adjusted' : 'raw',
      status: result.status,
      reason: result.reason,
      reference_windows: result.referenceWindows,
      target: result.target,
      sigma_per_row: result.sigmaPerRow,
    };
    if (result.reason) notes.push(`smoothing: ${result.reason}`);
    result.points?.forEach((p, k) => Object.assign(points[withValue[k]!]!, { smoothed: p.smoothed, control_lower: p.lower, control_upper: p.upper, alert: p.alert }));
  }
  return {
    model: options.model,
    metric: options.metric,
    window: options.window,
    from: new Date(options.fromMs).toISOString(),
    to: new Date(options.toMs).toISOString(),
    slice: options.slice,
    min_sample: options.minSample,
    adjustment,
    smoothing,
    points,
    notes,
  };
}
