import { OutlayError } from '@outlay/schema';
import type { AggregateQuery, AggregateRow, ColumnRef, Store } from '@outlay/store';
import { z } from 'zod';
import { parseInput, parseInstant } from '../parse-input.js';
import type { FeatureDeps, RouteSpec } from '../routes.js';
import { computeMetricSeries } from './compute-metric-series.js';
import { MetricName } from './metric-name.js';
import { mixVsRate } from './mix-vs-rate.js';
import { requestedRange } from './requested-range.js';

const SliceQuery = z.strictObject({
  by: z.string().min(1).describe('A segment or feature of the model (e.g. origin)'),
  metric: MetricName.default('error_rate'),
  window: z.enum(['hour', 'day', 'week']).default('day'),
  from: z.string().optional(),
  to: z.string().optional(),
  top: z.coerce.number().int().min(1).max(50).default(8).describe('The most frequent values shown; the rest are counted as `other` in the shares'),
  compare_from: z.string().optional().describe('mix_vs_rate: start of the earlier period compared with [from, to); default: the windows before the latest one'),
  compare_to: z.string().optional().describe('mix_vs_rate: end of the earlier period, exclusive'),
  min_sample: z.coerce.number().int().min(1).max(1_000_000).default(30),
  project: z.string().optional(),
});


/**
 * `GET /v1/models/:model/slices`: a metric per value of a segment or feature, each beside that value's share of
 * the traffic per window — the layout that keeps a change of mix from passing for a change of performance.
 */
export function sliceRoutes({ store }: FeatureDeps): RouteSpec[] {
  return [
    {
      method: 'get', path: '/v1/models/:model/slices', role: 'read', scoped: true, query: SliceQuery, errors: [400, 404],
      summary: "A metric per value of a segment or feature, beside the value's share of traffic, per window",
      handler: async ({ c, project }) => {
        const q = parseInput(SliceQuery, c.req.query(), 'query');
        const model = c.req.param('model')!;
        const { fromMs, toMs } = await requestedRange(store, project, model, q);
        const columns = await store.modelColumns(project, model);
        // A segment of that name first, else a feature (as slices of monitors resolve).
        const info = columns.find((c) => c.source === 'segment' && c.name === q.by) ?? columns.find((c) => c.source === 'feature' && c.name === q.by);
        if (!info) {
          const known = [...new Set(columns.filter((c) => c.source === 'segment' || c.source === 'feature').map((c) => c.name))];
          throw new OutlayError('invalid_input', `by: the model has no segment or feature "${q.by}"; it has ${known.slice(0, 20).join(', ') || 'none'}`);
        }
        const ref = { source: info.source as 'segment' | 'feature', name: info.name, type: info.type };
        const range = { project, model, from: fromMs, to: toMs };
        const top = await store.aggregate({ ...range, groupBy: [ref], measures: [{ op: 'count' }], limit: q.top });
        const perWindow = await store.aggregate({ ...range, window: q.window, groupBy: [ref], measures: [{ op: 'count' }] });
        const totals = new Map<string, number>();
        const counts = new Map<string, number>();
        for (const row of perWindow) {
          totals.set(row.window!, (totals.get(row.window!) ?? 0) + (row.values[0] ?? 0));
          counts.set(`${row.window}\u0000${String(row.group[0])}`, row.values[0] ?? 0);
        }
        if ((q.compare_from === undefined) !== (q.compare_to === undefined)) throw new OutlayError('invalid_input', 'compare_from and compare_to go together: give both or neither');
        const compareFromMs = q.compare_from === undefined ? undefined : parseInstant(q.compare_from, 'compare_from');
        const compareToMs = q.compare_to === undefined ? undefined : parseInstant(q.compare_to, 'compare_to');
        if (compareFromMs !== undefined && !(compareToMs! > compareFromMs)) throw new OutlayError('invalid_input', 'compare_from must be before compare_to');
        if (!(toMs > fromMs)) throw new OutlayError('invalid_input', 'from must be before to');
        const config = await store.getConfig(project);
        const segments = [];
        const values = top.map((row) => row.group[0]).filter((v): v is string | number | boolean => v !== null && v !== undefined);
        const aggregate = groupedBySlice(store, ref, values);
        for (const value of values) {
          const row = top.find((r) => r.group[0] === value)!;
          const series = await computeMetricSeries(store, { project, model, metric: q.metric, window: q.window, fromMs, toMs, slice: { column: q.by, value }, minSample: q.min_sample, config, aggregate });
          segments.push({
            value,
            rows: row.values[0] ?? 0,
            points: series.windows.map((w) => {
              const total = totals.get(w.start) ?? 0;
              return { start: w.start, n: w.n, share: total > 0 ? (counts.get(`${w.start}\u0000${String(value)}`) ?? 0) / total : null, value: w.value, lower: w.lower, upper: w.upper, reason: w.reason };
            }),
          });
        }
        const mix = await mixVsRate(store, {
          project,
          model,
          metric: q.metric,
          window: q.window,
          fromMs,
          toMs,
          ...(compareFromMs !== undefined ? { compareFromMs, compareToMs: compareToMs! } : {}),
          by: ref,
          values: segments.map((s) => s.value as string | number | boolean),
          config,
          minSample: q.min_sample,
        });
        return { model, by: q.by, metric: q.metric, window: q.window, from: new Date(fromMs).toISOString(), to: new Date(toMs).toISOString(), segments, mix_vs_rate: mix };
      },
    },
  ];
}

/**
 * The main aggregate of every value's metric series from one query: the first call (for any value) groups by the
 * column as well, over all `values`, and later calls with the same shape take their value's rows from it. One
 * scan instead of one per value (8 values over 5,000,000 rows: about 8 × 110 ms before).
 */
export function groupedBySlice(store: Store, column: ColumnRef, values: readonly (string | number | boolean)[]): (query: AggregateQuery) => Promise<AggregateRow[]> {
  const cache = new Map<string, Promise<Map<string, AggregateRow[]>>>();
  const keyOf = (value: unknown) => `${typeof value}\u0000${String(value)}`;
  return async (query) => {
    const slice = query.where?.length === 1 && query.where[0]!.op === '=' ? query.where[0]! : null;
    if (!slice || !values.some((v) => keyOf(v) === keyOf(slice.value))) return store.aggregate(query);
    const shape = JSON.stringify({ ...query, where: undefined, column: slice.column });
    let grouped = cache.get(shape);
    if (!grouped) {
      grouped = store
        .aggregate({ ...query, where: [{ column: slice.column, op: 'in', value: [...values] }], groupBy: [slice.column, ...(query.groupBy ?? [])], limit: undefined })
        .then((rows) => {
          const byValue = new Map<string, AggregateRow[]>();
          for (const row of rows) {
            const key = keyOf(row.group[0]);
            const list = byValue.get(key) ?? [];
            list.push({ ...row, group: row.group.slice(1) });
            byValue.set(key, list);
          }
          return byValue;
        });
      cache.set(shape, grouped);
    }
    return (await grouped).get(keyOf(slice.value)) ?? [];
  };
}
