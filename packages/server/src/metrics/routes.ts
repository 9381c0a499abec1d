import { OutlayError } from '@outlay/schema';
import { z } from 'zod';
import type { FeatureDeps } from '../routes.js';
import type { RouteSpec } from '../routes.js';
import { computeMetricSeries } from './compute-metric-series.js';
import { metricSeriesDocument, MetricSeriesDocument } from './metric-series-document.js';
import { MetricName } from './metric-name.js';
import { parseInput, parseInstant } from '../parse-input.js';
import { parseSlice } from './resolve-slice.js';
import { windowMs } from './window-starts.js';

export const MetricQuery = z.strictObject({
  metric: MetricName.describe('predictions, label_coverage, error_rate, business_cost_per_1k, mean_score, latency_p95_ms or mae'),
  window: z.enum(['hour', 'day', 'week']).default('day'),
  from: z.string().optional().describe('Start (ISO 8601 or epoch ms), widened to its window; default: 30 windows before `to`'),
  to: z.string().optional().describe("End, exclusive; default: just after the model's last prediction"),
  slice: z.string().optional().describe('column:value, a segment or feature of the model (e.g. origin:ORD)'),
  smooth: z.enum(['ewma', 'kalman']).optional(),
  adjust: z.string().optional().describe('Seasonality to regress out: weekday, hour or weekday,hour'),
  min_sample: z.coerce.number().int().min(1).max(1_000_000).default(30).describe('Rows behind a value below which it is null with reason insufficient_data'),
  project: z.string().optional(),
});

/** `GET /v1/models/:model/metrics`: a metric per window, with bands, adjustment and smoothing. */
export function metricsRoutes({ store }: FeatureDeps): RouteSpec[] {
  return [
    {
      method: 'get',
      path: '/v1/models/:model/metrics',
      summary: 'A metric of a model per window (counts, label coverage, error rate, business cost per 1k, mean score, p95 latency, MAE), with bands, seasonal adjustment and smoothing',
      description:
        'Every value is an SQL aggregate per window in the store (mae and a regressor\'s cost read a deterministic sample of at most 20,000 labelled rows per window, flagged `sampled`). Rates have Wilson 95 % bands, means normal ones. A window with fewer than `min_sample` rows behind its value has `value: null, reason: "insufficient_data"`. `business_cost_per_1k` uses the cost matrix of the model in the project config; a missing outcome cost is a 400.',
      role: 'read',
      scoped: true,
      query: MetricQuery,
      response: MetricSeriesDocument,
      errors: [400, 404],
      handler: async ({ c, project }) => {
        const q = parseInput(MetricQuery, c.req.query(), 'query');
        const model = c.req.param('model')!;
        const stats = await store.modelStats(project, model);
        if (!stats) throw new OutlayError('not_found', `no model "${model}" in project "${project}"`);
        const toMs = q.to !== undefined ? parseInstant(q.to, 'to') : stats.last_timestamp !== null ? Date.parse(stats.last_timestamp) + 1 : Date.now();
        const fromMs = q.from !== undefined ? parseInstant(q.from, 'from') : toMs - 30 * windowMs[q.window];
        const adjust = (q.adjust ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
        for (const a of adjust) if (a !== 'weekday' && a !== 'hour') throw new OutlayError('invalid_input', `adjust: expected weekday and/or hour, got "${a}"`);
        const slice = q.slice === undefined ? undefined : parseSlice(q.slice);
        const series = await computeMetricSeries(store, {
          project,
          model,
          metric: q.metric,
          window: q.window,
          fromMs,
          toMs,
          ...(slice ? { slice } : {}),
          minSample: q.min_sample,
          config: await store.getConfig(project),
        });
        return metricSeriesDocument(series.windows, {
          model,
          metric: q.metric,
          window: q.window,
          fromMs: series.fromMs,
          toMs: series.toMs,
          slice: slice ?? null,
          minSample: q.min_sample,
          adjust: adjust as ('weekday' | 'hour')[],
          smooth: q.smooth,
          notes: series.notes,
        });
      },
    },
  ];
}
