import type { ProjectConfig } from '@outlay/schema';
import { mixRateDecomposition } from '@outlay/stats';
import type { AggregateRow, ColumnRef, Filter, Store, Window } from '@outlay/store';
import { z } from 'zod';
import { positive } from './compute-metric-series.js';
import type { MetricName } from './metric-name.js';
import { modelCost, modelTask, type ModelCost } from './model-task.js';
import { floorToWindow, windowMs } from './window-starts.js';

const Num = z.number().nullable();
const Period = z.object({ from: z.string(), to: z.string(), rows: z.number(), value: Num });

export const MixVsRate = z.object({
  /** The periods compared: `before` (the windows before the latest, or compare_from/compare_to) and `after`. */
  before: Period.nullable(),
  after: Period.nullable(),
  /** after.value − before.value = mix + rate (null with `reason` when the split cannot be made). */
  change: Num,
  mix: Num,
  rate: Num,
  segments: z.array(
    z.object({
      value: z.union([z.string(), z.number(), z.boolean()]),
      /** Share of the rows behind the metric (labelled rows for a label-based one); 0 when absent. */
      share_before: z.number(),
      share_after: z.number(),
      /** The value's own metric; null in a period where it has no rows (its part is then all mix). */
      rate_before: Num,
      rate_after: Num,
      mix_part: z.number(),
      rate_part: z.number(),
      rows_before: z.number(),
      rows_after: z.number(),
    }),
  ),
  reason: z.string().nullable(),
});
export type MixVsRate = z.infer<typeof MixVsRate>;

/** The `(other)` bucket: every value outside the named ones, rows without a value included. */
export const OTHER = '(other)';

const label: ColumnRef = { source: 'core', name: 'label' };
const labelClass: ColumnRef = { source: 'core', name: 'label_class' };
const prediction: ColumnRef = { source: 'core', name: 'prediction' };
const predictionClass: ColumnRef = { source: 'core', name: 'prediction_class' };
const score: ColumnRef = { source: 'core', name: 'score' };
const labelSource: ColumnRef = { source: 'core', name: 'label_source' };

export interface MixVsRateRequest {
  project: string;
  model: string;
  metric: MetricName;
  window: Window;
  fromMs: number;
  toMs: number;
  /** Explicit baseline period; default: the windows of [from, to) before the latest one with enough rows. */
  compareFromMs?: number;
  compareToMs?: number;
  by: ColumnRef;
  /** The values named in the split; every other value (and rows without one) is `(other)`. */
  values: (string | number | boolean)[];
  config: ProjectConfig | null;
  minSample: number;
}

/** The numerator and denominator of a metric (value = num / den) per group. */
interface Totals {
  den: number;
  num: number;
}

/**
 * Splits the change of the aggregate metric between two periods into segment mix and within-segment rates
 * (Kitagawa's symmetric shift-share, `mixRateDecomposition`), over the named values of `by` plus an `(other)`
 * bucket so the parts add up to the whole change. Every number is an SQL aggregate in the store: the metric's
 * numerator and denominator per value of the named values, and for the whole selection (other = whole − named).
 */
export async function mixVsRate(store: Store, request: MixVsRateRequest): Promise<MixVsRate> {
  const empty = (reason: string, before: MixVsRate['before'] = null, after: MixVsRate['after'] = null): MixVsRate => ({ before, after, change: null, mix: null, rate: null, segments: [], reason });
  const { metric, model, config } = request;
  if (metric === 'predictions') return empty('predictions is a count, not a rate: there is no mix and rate to split');
  if (metric === 'latency_p95_ms') return empty('a quantile does not split into shares of segments: use mean_score, error_rate, label_coverage or business_cost_per_1k');
  if (metric === 'mae') return empty('mae reads a sample of rows per window: the split needs SQL totals (error_rate or business_cost_per_1k)');
  const task = modelTask(config, model);
  if (metric === 'error_rate' && task.task === 'regression') return empty(`error_rate is for classifiers; model "${model}" is a regressor`);
  let cost: ModelCost | null = null;
  if (metric === 'business_cost_per_1k') {
    try {
      cost = modelCost(config, model);
    } catch (error) {
      return empty(error instanceof Error ? error.message : String(error));
    }
    if (cost.task === 'regression') return empty("a regressor's cost reads a sample of rows per window: the split needs SQL totals");
  }
  const sel = { project: request.project, model };
  const size = windowMs[request.window];

  const iso = (ms: number) => new Date(ms).toISOString();
  const named = (range: Range) =>
    request.values.length === 0 ? Promise.resolve(new Map<string, Totals>()) : totalsBy(store, { ...range, where: [{ column: request.by, op: 'in', value: request.values }] }, request, task, cost, request.by, range.window);
  let periods: { from: number; to: number; whole: Totals; named: Map<string, Totals> }[];
  if (request.compareFromMs !== undefined && request.compareToMs !== undefined) {
    periods = await Promise.all(
      [[request.compareFromMs, request.compareToMs], [request.fromMs, request.toMs]].map(async ([from, to]) => {
        const range = { ...sel, from: from!, to: to! };
        const whole = (await totalsBy(store, range, request, task, cost, null)).get('') ?? { den: 0, num: 0 };
        return { from: from!, to: to!, whole, named: await named(range) };
      }),
    );
  } else {
    // The latest window with at least min_sample rows behind the metric, against every window of the range before
    // it: two queries, the totals per window and the named values' totals per window, summed on each side.
    const perWindow = await totalsBy(store, { ...sel, from: request.fromMs, to: request.toMs }, request, task, cost, null, request.window);
    const starts = [...perWindow.entries()].filter(([, t]) => t.den >= request.minSample).map(([k]) => Number(k)).sort((a, b) => a - b);
    const latest = starts[starts.length - 1];
    if (latest === undefined) return empty(`no window between from and to has min_sample ${request.minSample} rows behind ${metric}`);
    const from = floorToWindow(request.fromMs, request.window);
    if (!(latest > from)) return empty('the latest window with enough rows is the first of the range: there is no earlier window to compare it with (widen from, or give compare_from and compare_to)');
    const perValue = await named({ ...sel, from, to: latest + size, window: request.window });
    periods = [[from, latest], [latest, latest + size]].map(([lo, hi]) => {
      const inside = (start: number) => start >= lo! && start < hi!;
      const whole = { den: 0, num: 0 };
      for (const [k, t] of perWindow) if (inside(Number(k))) addTotals(whole, t);
      const byValue = new Map<string, Totals>();
      for (const [k, t] of perValue) {
        const bar = k.indexOf('|');
        if (!inside(Number(k.slice(0, bar)))) continue;
        const value = k.slice(bar + 1);
        addTotals(byValue.get(value) ?? byValue.set(value, { den: 0, num: 0 }).get(value)!, t);
      }
      return { from: lo!, to: hi!, whole, named: byValue };
    });
  }
  const [b, a] = periods as [(typeof periods)[number], (typeof periods)[number]];
  const period = (p: typeof b) => ({ from: iso(p.from), to: iso(p.to), rows: p.whole.den, value: p.whole.den > 0 ? p.whole.num / p.whole.den : null });
  if (b.whole.den === 0 || a.whole.den === 0) return empty(`the ${b.whole.den === 0 ? 'earlier' : 'later'} period has no rows behind ${metric}`, period(b), period(a));

  const key = (v: string | number | boolean) => `${typeof v}:${String(v)}`;
  const groups: { value: string | number | boolean; before: Totals; after: Totals }[] = [];
  const rest = { before: { ...b.whole }, after: { ...a.whole } };
  for (const value of request.values) {
    const before = b.named.get(key(value)) ?? { den: 0, num: 0 };
    const after = a.named.get(key(value)) ?? { den: 0, num: 0 };
    for (const [side, t] of [['before', before], ['after', after]] as const) {
      rest[side].den -= t.den;
      rest[side].num -= t.num;
    }
    if (before.den > 0 || after.den > 0) groups.push({ value, before, after });
  }
  // Counts subtract exactly; sums of money may leave a rounding crumb.
  for (const side of ['before', 'after'] as const) {
    if (rest[side].den < 0.5) rest[side] = { den: 0, num: 0 };
  }
  if (rest.before.den > 0 || rest.after.den > 0) groups.push({ value: OTHER, ...rest });
  const decomposition = mixRateDecomposition(groups.map((g, i) => ({ segment: String(i), baseline: { rows: g.before.den, total: g.before.num }, current: { rows: g.after.den, total: g.after.num } })));
  return {
    before: period(b),
    after: period(a),
    change: decomposition.change,
    mix: decomposition.mix,
    rate: decomposition.rate,
    segments: decomposition.segments.map((s, i) => ({
      value: groups[i]!.value,
      share_before: s.baselineShare,
      share_after: s.currentShare,
      rate_before: s.absentIn === 'baseline' ? null : s.baselineRate,
      rate_after: s.absentIn === 'current' ? null : s.currentRate,
      mix_part: s.mix,
      rate_part: s.rate,
      rows_before: groups[i]!.before.den,
      rows_after: groups[i]!.after.den,
    })),
    reason: null,
  };
}

type Range = { project: string; model: string; from: number; to: number; where?: Filter[]; window?: Window };

function addTotals(into: Totals, t: Totals): void {
  into.den += t.den;
  into.num += t.num;
}

/**
 * The metric's numerator and denominator per value of `by` (keyed `typeof:value`), per window start (keyed by the
 * epoch ms) when `window` is given, or for the whole range (key '').
 */
async function totalsBy(
  store: Store,
  range: Range,
  request: MixVsRateRequest,
  task: ReturnType<typeof modelTask>,
  cost: ModelCost | null,
  by: ColumnRef | null,
  window?: Window,
): Promise<Map<string, Totals>> {
  const where = range.where ?? [];
  // Keyed by window, by value, or both (`window|value`).
  const valueKey = (row: AggregateRow): string => `${typeof row.group[0]}:${String(row.group[0])}`;
  const groupKey = (row: AggregateRow): string =>
    window && by ? `${Date.parse(row.window!)}|${valueKey(row)}` : window ? String(Date.parse(row.window!)) : by ? valueKey(row) : '';
  const head = by ? [by] : [];
  const out = new Map<string, Totals>();
  const add = (k: string, den: number, num: number) => {
    const t = out.get(k) ?? { den: 0, num: 0 };
    t.den += den;
    t.num += num;
    out.set(k, t);
  };
  const base = { ...range, where, ...(window ? { window } : {}) };
  switch (request.metric) {
    case 'label_coverage': {
      const rows = await store.aggregate({ ...base, ...(by ? { groupBy: head } : {}), measures: [{ op: 'count' }, { op: 'count_non_null', column: labelSource }] });
      for (const r of rows) add(groupKey(r), r.values[0] ?? 0, r.values[1] ?? 0);
      return out;
    }
    case 'mean_score': {
      const rows = await store.aggregate({ ...base, ...(by ? { groupBy: head } : {}), measures: [{ op: 'count_non_null', column: score }, { op: 'sum', column: score }] });
      for (const r of rows) add(groupKey(r), r.values[0] ?? 0, r.values[1] ?? 0);
      return out;
    }
    default:
      break;
  }
  // error_rate and a classifier's business_cost_per_1k: labelled rows per (label, prediction).
  const binary = cost !== null || (task.configured && task.task === 'binary');
  const matrix = cost?.task === 'binary' ? cost.matrix : null;
  const rows = await store.aggregate({ ...base, labelled: 'only', groupBy: [...head, label, labelClass, prediction, predictionClass], measures: [{ op: 'count_non_null', column: labelSource }] });
  for (const r of rows) {
    const [ln, ls, pn, ps] = r.group.slice(head.length);
    const count = r.values[0] ?? 0;
    if (count === 0 || (ln === null && ls === null) || (pn === null && ps === null)) continue;
    let num: number;
    if (binary) {
      const y = positive(ln, ls, task, request.model, 'label');
      const p = positive(pn, ps, task, request.model, 'prediction');
      if (matrix) {
        const usd = y && p ? -matrix.truePositiveValueUsd : !y && p ? matrix.falsePositiveUsd : y && !p ? matrix.falseNegativeUsd : -matrix.trueNegativeValueUsd;
        num = 1000 * usd * count;
      } else num = y !== p ? count : 0;
    } else num = (ln ?? ls) !== (pn ?? ps) && String(ln ?? ls) !== String(pn ?? ps) ? count : 0;
    add(groupKey(r), count, num);
  }
  if (cost?.task === 'binary' && cost.amountFeature !== undefined) {
    // A false negative also costs its row's amount: Σ amount over (positive label, negative prediction).
    const pc = task.positiveClass;
    const classes = typeof pc === 'string';
    const positiveValue = classes ? pc : pc === undefined ? 1 : Number(pc);
    const amount: ColumnRef = { source: 'feature', name: cost.amountFeature, type: 'number' };
    const sums = await store.aggregate({
      ...base,
      labelled: 'only',
      where: [...where, { column: classes ? labelClass : label, op: '=', value: positiveValue }, { column: classes ? predictionClass : prediction, op: '!=', value: positiveValue }],
      ...(by ? { groupBy: head } : {}),
      measures: [{ op: 'sum', column: amount }],
    });
    for (const r of sums) add(groupKey(r), 0, 1000 * (r.values[0] ?? 0));
  }
  return out;
}
