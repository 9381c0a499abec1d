import { OutlayError } from '@outlay/schema';
import { z } from 'zod';
import type { FeatureDeps } from '../routes.js';
import type { RouteSpec } from '../routes.js';
import { adjustTerms, factorSeries, planAdjust } from './adjust-factors.js';
import { computeMetricSeries } from './compute-metric-series.js';
import { estimatePerformance } from './estimate-performance.js';
import { metricSeriesDocument, MetricSeriesDocument } from './metric-series-document.js';
import { metricSample, MetricName } from './metric-name.js';
import { parseInput, parseInstant } from '../parse-input.js';
import { parseSlice, sliceFilter } from './resolve-slice.js';
import { requestedRange } from './requested-range.js';

export const MetricQuery = z.strictObject({
  metric: MetricName.describe('predictions, label_coverage, error_rate, business_cost_per_1k, mean_score, latency_p95_ms or mae'),
  window: z.enum(['hour', 'day', 'week']).default('day'),
  from: z.string().optional().describe('Start (ISO 8601 or epoch ms), widened to its window; default: 30 windows before `to`'),
  to: z.string().optional().describe("End, exclusive; default: just after the model's last prediction"),
  slice: z.string().optional().describe('column:value, a segment or feature of the model (e.g. origin:ORD)'),
  smooth: z.enum(['ewma', 'kalman']).optional(),
  adjust: z
    .string()
    .optional()
    .describe('What to regress out, comma-separated: weekday, hour, known (the model\'s known_factors in the project config), a numeric feature or segment (its mean per window), or COLUMN=VALUE (the share of rows with that value), e.g. weekday,origin=ORD'),
  estimate: z.enum(['cbpe']).optional().describe('cbpe: a label-free estimate of error_rate or business_cost_per_1k for every window, from calibrated scores'),
  estimate_reference_from: z.string().optional().describe('Start of the labelled reference the calibration is fitted on; default: the first window with labels'),
  estimate_reference_to: z.string().optional().describe('End of the reference, exclusive; default: the end of the last window with labels'),
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
        const { fromMs, toMs } = await requestedRange(store, project, model, q);
        const config = await store.getConfig(project);
        const plan = planAdjust(adjustTerms(q.adjust), config, model);
        const slice = q.slice === undefined ? undefined : parseSlice(q.slice);
        if ((q.estimate_reference_from === undefined) !== (q.estimate_reference_to === undefined)) {
          throw new OutlayError('invalid_input', 'estimate_reference_from and estimate_reference_to go together: give both or neither');
        }
        if (q.estimate === undefined && q.estimate_reference_from !== undefined) throw new OutlayError('invalid_input', 'estimate_reference_from needs estimate=cbpe');
        const series = await computeMetricSeries(store, {
          project,
          model,
          metric: q.metric,
          window: q.window,
          fromMs,
          toMs,
          ...(slice ? { slice } : {}),
          minSample: q.min_sample,
          config,
        });
        const where = slice ? [sliceFilter(slice, await store.modelColumns(project, model))] : [];
        const factorValues = await factorSeries(
          store,
          { project, model, window: q.window, fromMs: series.fromMs, toMs: series.toMs, where, ...(metricSample[q.metric].basis === 'labelled' ? { labelled: 'only' as const } : {}) },
          plan.factors,
        );
        const estimate =
          q.estimate === 'cbpe'
            ? await estimatePerformance(store, {
                project,
                model,
                metric: q.metric,
                window: q.window,
                windows: series.windows,
                where,
                config,
                minSample: q.min_sample,
                ...(q.estimate_reference_from !== undefined
                  ? { referenceFromMs: parseInstant(q.estimate_reference_from, 'estimate_reference_from'), referenceToMs: parseInstant(q.estimate_reference_to!, 'estimate_reference_to') }
                  : {}),
              })
            : undefined;
        return metricSeriesDocument(series.windows, {
          model,
          metric: q.metric,
          window: q.window,
          fromMs: series.fromMs,
          toMs: series.toMs,
          slice: slice ?? null,
          minSample: q.min_sample,
          adjust: plan.seasonality,
          adjustAsked: plan.asked,
          ...(plan.factors.length > 0 ? { factors: { specs: plan.factors, values: factorValues } } : {}),
          ...(estimate ? { estimate } : {}),
          smooth: q.smooth,
          notes: series.notes,
        });
      },
    },
  ];
}
