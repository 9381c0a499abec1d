import { OutlayError, type Monitor, type ProjectConfig } from '@outlay/schema';
import type { Store, Window } from '@outlay/store';
import { factorSeries, planAdjust } from '../metrics/adjust-factors.js';
import { computeMetricSeries } from '../metrics/compute-metric-series.js';
import { metricSample, MetricName } from '../metrics/metric-name.js';
import { sliceFilter } from '../metrics/resolve-slice.js';
import { floorToWindow, windowMs } from '../metrics/window-starts.js';
import { checkCondition, monitorCondition, type ConditionCheck } from './check-condition.js';

/** Windows of history a monitor reads before the one it judges. */
export function historyWindows(monitor: Monitor): number {
  const condition = monitorCondition(monitor);
  const forCondition = condition?.type === 'relative' ? condition.baseline_windows : condition?.type === 'control_limits' ? condition.reference_windows : 0;
  return Math.max(forCondition, seasonalHistory(monitor.window, monitor.adjust));
}

// Enough windows to see each seasonal level at least twice, with room for the fit's coefficients; known factors
// (any term but weekday and hour) want 28 windows of history.
function seasonalHistory(window: Window, adjust: readonly string[]): number {
  const factors = adjust.some((a) => a !== 'weekday' && a !== 'hour') ? 28 : 0;
  return Math.max(factors, seasonal(window, adjust));
}

function seasonal(window: Window, adjust: readonly string[]): number {
  if (adjust.length === 0 || window === 'week') return 0;
  if (window === 'day') return adjust.includes('weekday') ? 28 : 0;
  return adjust.includes('weekday') ? 24 * 14 : 24 * 3;
}

/**
 * Evaluates a monitor on the latest window of its model (the window holding the model's last prediction, so a
 * replayed or historical model is judged where its data is), with the history its condition needs. When that
 * window is over (its end has passed, `nowMs`) yet too thin to judge — a model whose traffic stopped just after
 * midnight, as the flights demo does with six flights on 1 July — the window before it is judged instead, and the
 * reason says so; a window still in progress is never passed over.
 */
export async function evaluateMonitor(store: Store, project: string, monitor: Monitor, config: ProjectConfig | null, nowMs = Date.now()): Promise<ConditionCheck> {
  const metric = MetricName.safeParse(monitor.metric);
  if (!metric.success) throw new OutlayError('invalid_input', `monitor "${monitor.name}": unknown metric "${monitor.metric}"; expected one of ${MetricName.options.join(', ')}`);
  const stats = await store.modelStats(project, monitor.model);
  if (!stats || stats.last_timestamp === null) throw new OutlayError('not_found', `monitor "${monitor.name}": no model "${monitor.model}" with predictions in project "${project}"`);
  const size = windowMs[monitor.window];
  const latest = floorToWindow(Date.parse(stats.last_timestamp), monitor.window);
  // The series of the window starting at `end` and the history before it.
  const seriesUpTo = (end: number) =>
    computeMetricSeries(store, {
      project,
      model: monitor.model,
      metric: metric.data,
      window: monitor.window,
      fromMs: end - historyWindows(monitor) * size,
      toMs: end + size,
      ...(monitor.slice ? { slice: monitor.slice } : {}),
      minSample: monitor.min_sample,
      config,
    });
  const series = await seriesUpTo(latest);
  const stub = series.windows[series.windows.length - 1];
  if (stub && stub.value === null && stub.n > 0 && stub.startMs + size <= nowMs) {
    const before = await seriesUpTo(latest - size);
    if (before.windows[before.windows.length - 1]?.value != null) {
      const check = await checkWindows(store, project, monitor, config, metric.data, before);
      return { ...check, reason: `${check.reason}; the last window, ${stub.start}, is over and too thin to judge (${stub.detail ?? 'no value'}), so the one before it was judged` };
    }
  }
  return checkWindows(store, project, monitor, config, metric.data, series);
}

async function checkWindows(
  store: Store,
  project: string,
  monitor: Monitor,
  config: ProjectConfig | null,
  metric: MetricName,
  series: { fromMs: number; toMs: number; windows: Parameters<typeof checkCondition>[0] },
): Promise<ConditionCheck> {
  const { windows } = series;
  const plan = planAdjust(monitor.adjust, config, monitor.model, `monitor "${monitor.name}" adjust`);
  if (plan.factors.length === 0) return checkCondition(windows, monitor, { seasonality: plan.seasonality, factors: new Map() });
  const where = monitor.slice ? [sliceFilter(monitor.slice, await store.modelColumns(project, monitor.model))] : [];
  const factors = await factorSeries(
    store,
    { project, model: monitor.model, window: monitor.window, fromMs: series.fromMs, toMs: series.toMs, where, ...(metricSample[metric].basis === 'labelled' ? { labelled: 'only' as const } : {}) },
    plan.factors,
  );
  return checkCondition(windows, monitor, { seasonality: plan.seasonality, factors });
}
