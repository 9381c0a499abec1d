import type { Window } from '@outlay/store';
import { z } from 'zod';
import type { KnownFactorSpec } from './adjust-factors.js';
import { adjustSeries, type Seasonality } from './adjust-series.js';
import type { MetricWindow } from './compute-metric-series.js';
import type { EstimateSummary, WindowEstimate } from './estimate-performance.js';
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
  /** value − fitted of the adjustment (seasonality and known factors); null without one. */
  residual: Num,
  /** Each known factor's value in this window (mean of the column, or share of rows with the value); null without factors. */
  factors: z.record(z.string(), Num).nullable(),
  /** `estimate=cbpe`: the label-free estimate of the metric from calibrated scores, with its 95 % band. */
  estimated: Num,
  estimated_lower: Num,
  estimated_upper: Num,
  /** Predictions with a score behind the estimate. */
  estimated_n: z.number().nullable(),
  /** Why `estimated` is null (when an estimate was asked). */
  estimate_reason: z.string().nullable(),
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
  adjustment: z
    .object({
      asked: z.array(z.string()),
      applied: z.boolean(),
      reason: z.string(),
      /** The declared known factors, with their fitted coefficient (metric units per unit of the factor; null when not fitted). */
      factors: z.array(z.object({ name: z.string(), column: z.string(), value: z.string().nullable(), kind: z.enum(['mean', 'share']), coefficient: Num })),
    })
    .nullable(),
  estimate: z
    .object({
      method: z.literal('cbpe'),
      reference_from: z.string().nullable(),
      reference_to: z.string().nullable(),
      reference_labelled: z.number(),
      calibration: z.object({ method: z.literal('isotonic'), rows: z.number(), positive_share: z.number(), knots: z.array(z.object({ score: z.number(), probability: z.number() })) }).nullable(),
      confidence: z.number(),
      reason: z.string().nullable(),
    })
    .nullable(),
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
  /** The terms asked (for the document); default: `adjust`. */
  adjustAsked?: string[];
  /** Declared known factors and their value per window start (epoch ms). */
  factors?: { specs: KnownFactorSpec[]; values: Map<string, Map<number, number>> };
  estimate?: { summary: EstimateSummary; windows: WindowEstimate[] };
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
  const factorSpecs = options.factors?.specs ?? [];
  const points: MetricPoint[] = windows.map((w, i) => ({
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
    residual: null,
    factors: factorSpecs.length === 0 ? null : Object.fromEntries(factorSpecs.map((f) => [f.name, options.factors!.values.get(f.name)?.get(w.startMs) ?? null])),
    estimated: options.estimate?.windows[i]?.estimated ?? null,
    estimated_lower: options.estimate?.windows[i]?.lower ?? null,
    estimated_upper: options.estimate?.windows[i]?.upper ?? null,
    estimated_n: options.estimate ? (options.estimate.windows[i]?.rows ?? 0) : null,
    estimate_reason: options.estimate?.windows[i]?.reason ?? null,
  }));
  // A window enters the fit (and is adjusted) when it has a value and every known factor has one there.
  const withValue = windows.flatMap((w, i) => (w.value === null || factorSpecs.some((f) => points[i]!.factors![f.name] === null) ? [] : [i]));
  const values = withValue.map((i) => windows[i]!.value!);
  const { weighted, rate } = metricSample[options.metric];
  const sizes = weighted ? withValue.map((i) => windows[i]!.sample) : undefined;
  let series = values;
  let adjustment: MetricSeriesDocument['adjustment'] = null;
  if (options.adjust.length > 0 || factorSpecs.length > 0) {
    const factorValues = Object.fromEntries(factorSpecs.map((f) => [f.name, withValue.map((i) => points[i]!.factors![f.name]!)]));
    const skipped = windows.filter((w, i) => w.value !== null && !withValue.includes(i)).length;
    if (skipped > 0) notes.push(`adjustment: ${skipped} windows with a value but no value of a known factor are left out of the fit (adjusted null)`);
    const fit = withValue.length === 0 ? null : adjustSeries(values, withValue.map((i) => windows[i]!.startMs), sizes, options.adjust, values.length, factorValues);
    adjustment = {
      asked: options.adjustAsked ?? options.adjust,
      applied: fit?.applied ?? false,
      reason: fit?.reason ?? 'no window has a value (and every known factor) to fit on',
      factors: factorSpecs.map((f) => ({ name: f.name, column: f.column, value: f.value ?? null, kind: f.value === undefined ? 'mean' : 'share', coefficient: fit?.factors?.[f.name] ?? null })),
    };
    if (fit) {
      series = fit.adjusted;
      withValue.forEach((i, k) => {
        points[i]!.adjusted = series[k]!;
        const fitted = fit.fitted?.[k];
        points[i]!.residual = fitted === null || fitted === undefined ? null : values[k]! - fitted;
      });
    }
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
    estimate: options.estimate?.summary ?? null,
    smoothing,
    points,
    notes,
  };
}
