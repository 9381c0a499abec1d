import { OutlayError } from '@outlay/schema';
import type { ColumnRef, CoreColumn, Store } from '@outlay/store';
import { z } from 'zod';
import type { FeatureDeps } from '../routes.js';
import type { RouteSpec } from '../routes.js';

const Instant = z.union([z.string().datetime({ offset: true }), z.string().regex(/^\d{4}-\d{2}-\d{2}$/), z.coerce.number().int()]);
const finite = z.coerce.number().refine(Number.isFinite, 'expected a finite number');

const coreNumeric = ['prediction', 'score', 'latency_ms', 'interval_low', 'interval_high', 'interval_width', 'label'] as const;
const coreCategorical = ['prediction_class', 'label_class', 'model_version', 'customer', 'label_source'] as const;

export const HistogramQuery = z
  .strictObject({
    column: z.string().min(1).describe('Feature name, or a core column (prediction, score, label, …) with source=core'),
    source: z.enum(['feature', 'core']).default('feature'),
    from: Instant.optional().describe('Start of the window (ISO 8601 or epoch ms), inclusive'),
    to: Instant.optional().describe('End of the window, exclusive'),
    bins: z.coerce.number().int().min(1).max(200).default(30).describe('Numeric: equal-width buckets between lo and hi'),
    lo: finite.optional().describe('Numeric: lower edge (default: the window minimum); give lo and hi to compare windows on the same edges'),
    hi: finite.optional().describe('Numeric: upper edge (default: the window maximum)'),
    top: z.coerce.number().int().min(1).max(1000).default(20).describe('Categorical: most frequent values returned before `other`'),
    project: z.string().optional(),
  })
  .refine((q) => (q.lo === undefined) === (q.hi === undefined), { message: 'give lo and hi together, or neither' })
  .refine((q) => q.lo === undefined || q.hi === undefined || q.hi >= q.lo, { message: 'hi must be ≥ lo' });
export type HistogramQuery = z.infer<typeof HistogramQuery>;

export const VolumeQuery = z.strictObject({
  from: Instant.describe('Start of the window (ISO 8601 or epoch ms), inclusive'),
  to: Instant.describe('End of the window, exclusive'),
  project: z.string().optional(),
});
export type VolumeQuery = z.infer<typeof VolumeQuery>;

const hourMs = 3_600_000;

/** Routes the dashboard needs beyond the product API: distributions for the drift page, traffic for the scale page. */
export function dashboardRoutes({ store }: FeatureDeps): RouteSpec[] {
  return [
    {
      method: 'get', path: '/v1/models/:model/volume', role: 'read', scoped: true,
      summary: "A model's predictions per hour in a window, with the mean and peak rates that size its serving",
      description: 'Hours without predictions are left out of `hours` but counted in the mean: `mean_per_hour` is the total over every hour of [from, to), `peak_to_mean` the busiest hour over that mean, and `predictions_per_month` the mean × 730 hours.',
      query: VolumeQuery, errors: [400, 404],
      handler: async ({ c, project }) => {
        const model = c.req.param('model')!;
        const parsed = VolumeQuery.safeParse(c.req.query());
        if (!parsed.success) {
          const issues = parsed.error.issues.map((i) => `${i.path.map(String).join('.') || '(query)'}: ${i.message}`);
          throw new OutlayError('invalid_input', `invalid query: ${issues.join('; ')}`, { details: { errors: parsed.error.issues } });
        }
        const fromMs = instantMs(parsed.data.from);
        const toMs = instantMs(parsed.data.to);
        if (!(toMs > fromMs)) throw new OutlayError('invalid_input', 'to: must be after from');
        if (!(await store.modelStats(project, model))) throw new OutlayError('not_found', `no model "${model}" in project "${project}"`);
        const rows = await store.aggregate({ project, model, from: fromMs, to: toMs, window: 'hour', measures: [{ op: 'count' }] });
        const hours = rows.map((r) => ({ start: r.window!, predictions: r.values[0] ?? 0 }));
        const total = hours.reduce((sum, h) => sum + h.predictions, 0);
        const meanPerHour = total / ((toMs - fromMs) / hourMs);
        const peakPerHour = hours.reduce((max, h) => Math.max(max, h.predictions), 0);
        return {
          from: new Date(fromMs).toISOString(),
          to: new Date(toMs).toISOString(),
          hours,
          total,
          mean_per_hour: meanPerHour,
          peak_per_hour: peakPerHour,
          peak_to_mean: total === 0 ? null : peakPerHour / meanPerHour,
          predictions_per_month: meanPerHour * 730,
        };
      },
    },
    {
      method: 'get', path: '/v1/models/:model/histogram', role: 'read', scoped: true,
      summary: "One column's distribution in a window of a model: numeric buckets or the most frequent values",
      description: 'Numeric columns: `bins` equal-width buckets from `lo` to `hi` (the window minimum and maximum unless given), with counts below and above the edges and the missing count. Categorical columns: the `top` values by count, the rest as `other`. Counted in SQL over every row of the window.',
      query: HistogramQuery, errors: [400, 404],
      handler: async ({ c, project }) => {
        const model = c.req.param('model')!;
        const parsed = HistogramQuery.safeParse(c.req.query());
        if (!parsed.success) {
          const issues = parsed.error.issues.map((i) => `${i.path.map(String).join('.') || '(query)'}: ${i.message}`);
          throw new OutlayError('invalid_input', `invalid query: ${issues.join('; ')}`, { details: { errors: parsed.error.issues } });
        }
        const q = parsed.data;
        const column = await columnRef(store, project, model, q.column, q.source);
        const selection = { project, model, ...(q.from === undefined ? {} : { from: q.from }), ...(q.to === undefined ? {} : { to: q.to }) };
        if (column.kind === 'categorical') {
          return { column: q.column, source: q.source, ...(await store.histogram({ ...selection, column: column.ref, top: q.top })) };
        }
        let lo = q.lo;
        let hi = q.hi;
        if (lo === undefined || hi === undefined) {
          const [row] = await store.aggregate({ ...selection, measures: [{ op: 'min', column: column.ref }, { op: 'max', column: column.ref }] });
          lo = row?.values[0] ?? 0;
          hi = row?.values[1] ?? 0;
        }
        return { column: q.column, source: q.source, ...(await store.histogram({ ...selection, column: column.ref, edges: equalWidthEdges(lo, hi, q.bins) })) };
      },
    },
  ];
}

/** Epoch ms of an ISO instant, a YYYY-MM-DD day (UTC midnight) or epoch ms. */
function instantMs(value: string | number): number {
  if (typeof value === 'number') return value;
  return Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
}

/** `bins` + 1 ascending edges from lo to hi; a zero-width range gets a hair-wide single bucket so it still counts. */
export function equalWidthEdges(lo: number, hi: number, bins: number): number[] {
  if (hi <= lo) return [lo, lo + Math.max(Math.abs(lo) * 1e-9, 1e-9)];
  return Array.from({ length: bins + 1 }, (_, i) => (i === bins ? hi : lo + ((hi - lo) * i) / bins));
}

async function columnRef(store: Store, project: string, model: string, name: string, source: 'feature' | 'core'): Promise<{ ref: ColumnRef; kind: 'numeric' | 'categorical' }> {
  if (source === 'core') {
    if ((coreNumeric as readonly string[]).includes(name)) return { ref: { source: 'core', name: name as CoreColumn }, kind: 'numeric' };
    if ((coreCategorical as readonly string[]).includes(name)) return { ref: { source: 'core', name: name as CoreColumn }, kind: 'categorical' };
    throw new OutlayError('invalid_input', `column: "${name}" is not a core column; expected one of ${[...coreNumeric, ...coreCategorical].join(', ')}`);
  }
  const stats = await store.modelStats(project, model);
  if (!stats) throw new OutlayError('not_found', `no model "${model}" in project "${project}"`);
  const types = (await store.modelColumns(project, model)).filter((c) => c.source === 'feature' && c.name === name).map((c) => c.type);
  if (types.length === 0) throw new OutlayError('not_found', `model "${model}" has no feature "${name}"`);
  // A name seen with several types is read as its number column first, as the drift route does.
  const type = types.includes('number') ? 'number' : types.includes('string') ? 'string' : 'boolean';
  return { ref: { source: 'feature', name, type }, kind: type === 'number' ? 'numeric' : 'categorical' };
}
