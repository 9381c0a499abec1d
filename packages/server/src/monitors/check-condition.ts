import type { Monitor, MonitorCondition } from '@outlay/schema';
import { adjustSeries, type Seasonality } from '../metrics/adjust-series.js';
import type { MetricWindow } from '../metrics/compute-metric-series.js';
import { metricSample, type MetricName } from '../metrics/metric-name.js';
import { smoothSeries } from '../metrics/smooth-series.js';

/** What one evaluation of a monitor found about its latest window. */
export interface ConditionCheck {
  status: 'breach' | 'ok' | 'insufficient_data';
  window_start: string | null;
  /** The value the condition was checked on (adjusted and/or smoothed when the monitor asks). */
  value: number | null;
  /** The limit it was compared with. */
  limit: number | null;
  reason: string;
}

/** What a monitor's `adjust` resolved to: seasonality, and each known factor's value per window start (epoch ms). */
export interface MonitorAdjustment {
  seasonality: Seasonality[];
  factors: Map<string, Map<number, number>>;
}

/** The condition a monitor checks: its `condition`, or the short form `threshold` (a static `>`). */
export function monitorCondition(monitor: Monitor): MonitorCondition | null {
  if (monitor.condition) return monitor.condition;
  if (monitor.threshold !== undefined) return { type: 'static', op: '>', value: monitor.threshold };
  return null;
}

/**
 * Checks a monitor's condition on the last window of `windows` (the ones before it are its history). The
 * series is adjusted for the monitor's seasonality with effects fitted on the history only. A last window
 * without a value (too few rows) is `insufficient_data`, never a breach.
 */
export function checkCondition(windows: MetricWindow[], monitor: Monitor, adjust?: MonitorAdjustment): ConditionCheck {
  const last = windows[windows.length - 1];
  const condition = monitorCondition(monitor);
  if (!condition) return { status: 'insufficient_data', window_start: null, value: null, limit: null, reason: 'the monitor has no condition' };
  if (!last) return { status: 'insufficient_data', window_start: null, value: null, limit: null, reason: 'no window to evaluate' };
  const start = last.start;
  if (last.value === null) return { status: 'insufficient_data', window_start: start, value: null, limit: null, reason: last.detail ?? 'no value in the latest window' };
  const metric = monitor.metric as MetricName;
  const { weighted, rate } = metricSample[metric];
  const plan = adjust ?? { seasonality: monitor.adjust.filter((a): a is Seasonality => a === 'weekday' || a === 'hour'), factors: new Map<string, Map<number, number>>() };
  const factorNames = [...plan.factors.keys()];
  const missing = factorNames.filter((name) => !plan.factors.get(name)!.has(last.startMs));
  if (missing.length > 0) return { status: 'insufficient_data', window_start: start, value: null, limit: null, reason: `the latest window has no value of the known factor ${missing.join(', ')}` };
  // Windows enter when they have a value and every known factor has one there.
  const withValue = windows.filter((w) => w.value !== null && factorNames.every((name) => plan.factors.get(name)!.has(w.startMs)));
  const history = withValue.length - 1;
  const raw = withValue.map((w) => w.value!);
  const sizes = weighted ? withValue.map((w) => w.sample) : undefined;
  const factorValues = Object.fromEntries(factorNames.map((name) => [name, withValue.map((w) => plan.factors.get(name)!.get(w.startMs)!)]));
  const adjustment = adjustSeries(raw, withValue.map((w) => w.startMs), sizes, plan.seasonality, history, factorValues);
  const series = adjustment.adjusted;
  const seriesName = adjustment.applied ? 'adjusted ' : '';
  const note = monitor.adjust.length > 0 && !adjustment.applied ? ` (not adjusted: ${adjustment.reason})` : '';
  const v = series[history]!;
  const what = `${seriesName}${monitor.metric}`;

  switch (condition.type) {
    case 'static': {
      const breach = condition.op === '>' ? v > condition.value : v < condition.value;
      return { status: breach ? 'breach' : 'ok', window_start: start, value: v, limit: condition.value, reason: `${what} = ${fmt(v)} ${breach ? '' : 'not '}${condition.op} ${fmt(condition.value)}${note}` };
    }
    case 'relative': {
      const base = withValue.slice(0, history).slice(-condition.baseline_windows);
      if (base.length === 0) return { status: 'insufficient_data', window_start: start, value: v, limit: null, reason: `none of the ${condition.baseline_windows} baseline windows has a value` };
      const offset = history - base.length;
      let weight = 0;
      let sum = 0;
      base.forEach((w, k) => {
        const wt = weighted ? w.sample : 1;
        weight += wt;
        sum += wt * series[offset + k]!;
      });
      const baseline = sum / weight;
      const r = condition.max_relative_change;
      const upper = baseline + r * Math.abs(baseline);
      const lower = baseline - r * Math.abs(baseline);
      const up = v > upper;
      const down = v < lower;
      const breach = condition.direction === 'increase' ? up : condition.direction === 'decrease' ? down : up || down;
      const limit = condition.direction === 'increase' ? upper : condition.direction === 'decrease' ? lower : v >= baseline ? upper : lower;
      const change = baseline === 0 ? null : (v - baseline) / Math.abs(baseline);
      return {
        status: breach ? 'breach' : 'ok',
        window_start: start,
        value: v,
        limit,
        reason: `${what} = ${fmt(v)} against a baseline of ${fmt(baseline)} over ${base.length} windows (${change === null ? 'baseline 0' : `${change >= 0 ? '+' : ''}${(100 * change).toFixed(1)} %`}, allowed ${condition.direction === 'decrease' ? '−' : condition.direction === 'increase' ? '+' : '±'}${(100 * r).toFixed(1)} %)${note}`,
      };
    }
    case 'control_limits': {
      const smoothing = smoothSeries({ values: series, sampleSizes: sizes, rowSds: withValue.map((w) => w.rowSd), rate }, condition.smooth, history);
      if (smoothing.status !== 'ok' || !smoothing.points) return { status: 'insufficient_data', window_start: start, value: v, limit: null, reason: smoothing.reason ?? 'no control limits' };
      const p = smoothing.points[history]!;
      const above = condition.smooth === 'ewma' ? p.smoothed > p.upper : p.lower > smoothing.target!;
      const limit = condition.smooth === 'kalman' ? smoothing.target! : above ? p.upper : p.lower;
      const method = condition.smooth === 'ewma' ? 'EWMA' : 'Kalman level';
      const reason = p.alert
        ? `${method} of the ${what} (${fmt(p.smoothed)}) is ${condition.smooth === 'ewma' ? `${above ? 'above the upper' : 'below the lower'} control limit ${fmt(limit)}` : `${above ? 'above' : 'below'} the reference level ${fmt(limit)} (band ${fmt(p.lower)}–${fmt(p.upper)})`}`
        : `${method} of the ${what} (${fmt(p.smoothed)}) is within ${fmt(p.lower)}–${fmt(p.upper)}`;
      return { status: p.alert ? 'breach' : 'ok', window_start: start, value: p.smoothed, limit, reason: `${reason} (target ${fmt(smoothing.target!)} from ${history} windows)${note}` };
    }
  }
}

const fmt = (x: number): string => (Math.abs(x) >= 100 ? x.toFixed(1) : Math.abs(x) >= 1 ? x.toFixed(3) : x.toPrecision(3));
