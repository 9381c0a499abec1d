import { OutlayError, type MonitorSlice, type ProjectConfig } from '@outlay/schema';
import { normalQuantile, wilsonInterval } from '@outlay/stats';
import type { AggregateQuery, AggregateRow, ColumnRef, Filter, Measure, Store, Window } from '@outlay/store';
import { metricSample, type MetricName } from './metric-name.js';
import { modelCost, modelTask, type ModelCost, type ModelTask } from './model-task.js';
import { sliceFilter } from './resolve-slice.js';
import { floorToWindow, windowMs, windowStarts } from './window-starts.js';

export interface MetricSeriesRequest {
  project: string;
  model: string;
  metric: MetricName;
  window: Window;
  fromMs: number;
  toMs: number;
  slice?: MonitorSlice;
  /** Fewer rows behind a window's value than this: value null, reason `insufficient_data`. */
  minSample: number;
  config: ProjectConfig | null;
  /** Rows read per window by the metrics no SQL aggregate can give (mae, a regressor's cost); default 20,000. */
  sampleRows?: number;
  /**
   * Runs the series' main aggregate instead of `store.aggregate`: the slices route answers it for every value of a
   * column from one grouped query (see groupedBySlice).
   */
  aggregate?: (query: AggregateQuery) => Promise<AggregateRow[]>;
}

/** One window of a metric series, before smoothing and adjustment. */
export interface MetricWindow {
  start: string;
  startMs: number;
  n: number;
  labelled: number;
  /** Rows behind the value (labelled rows, non-null values, or all rows, by metric). */
  sample: number;
  value: number | null;
  /** 95 % interval of the value: Wilson for rates, normal for means; null where there is none. */
  lower: number | null;
  upper: number | null;
  /** Standard deviation of one row's contribution (for pooled control limits); null where unknown. */
  rowSd: number | null;
  /** The value comes from a deterministic sample of the window's rows, not all of them. */
  sampled: boolean;
  reason: 'insufficient_data' | null;
  detail: string | null;
}

export interface MetricSeries {
  fromMs: number;
  toMs: number;
  windows: MetricWindow[];
  notes: string[];
}

const MAX_WINDOWS = 5000;
const Z95 = normalQuantile(0.975);
const label: ColumnRef = { source: 'core', name: 'label' };
const labelClass: ColumnRef = { source: 'core', name: 'label_class' };
const prediction: ColumnRef = { source: 'core', name: 'prediction' };
const predictionClass: ColumnRef = { source: 'core', name: 'prediction_class' };

/**
 * A metric of a model per window over [from, to) (widened to whole windows), every number an SQL aggregate in
 * the store (counts, confusion counts, means, quantiles per window); mae and a regressor's cost read a
 * deterministic sample of at most `sampleRows` labelled rows per window (exact below that). Windows with no
 * rows are filled in with n = 0.
 */
export async function computeMetricSeries(store: Store, request: MetricSeriesRequest): Promise<MetricSeries> {
  const { project, model, metric, window, minSample } = request;
  const stats = await store.modelStats(project, model);
  if (!stats) throw new OutlayError('not_found', `no model "${model}" in project "${project}"`);
  if (!(request.toMs > request.fromMs)) throw new OutlayError('invalid_input', `from (${new Date(request.fromMs).toISOString()}) must be before to (${new Date(request.toMs).toISOString()})`);
  const fromMs = floorToWindow(request.fromMs, window);
  const toMs = floorToWindow(request.toMs - 1, window) + windowMs[window];
  const starts = windowStarts(fromMs, toMs, window);
  if (starts.length > MAX_WINDOWS) {
    throw new OutlayError('invalid_input', `${starts.length} ${window} windows between from and to; at most ${MAX_WINDOWS}: use a larger window or a shorter range`);
  }
  // Resolve what can be refused before any query runs.
  const task = modelTask(request.config, model);
  const cost = metric === 'business_cost_per_1k' ? modelCost(request.config, model) : null;
  if (metric === 'error_rate' && task.task === 'regression') {
    throw new OutlayError('invalid_input', `error_rate is for classifiers; model "${model}" is a regressor in the project config: use mae or business_cost_per_1k`);
  }
  if (metric === 'mae' && task.configured && task.task !== 'regression') {
    throw new OutlayError('invalid_input', `mae is for regressors; model "${model}" is ${task.task} in the project config: use error_rate or business_cost_per_1k`);
  }
  const where: Filter[] = request.slice ? [sliceFilter(request.slice, await store.modelColumns(project, model))] : [];
  const base = { project, model, from: fromMs, to: toMs, where };

  // One query per metric where SQL can give it all: every window's rows and labelled rows, beside the
  // metric's own measures (or its counts per label and prediction for a classifier's error and cost).
  const classification = (metric === 'error_rate' || metric === 'business_cost_per_1k') && cost?.task !== 'regression';
  const score: ColumnRef = { source: 'core', name: 'score' };
  const latency: ColumnRef = { source: 'core', name: 'latency_ms' };
  const extra: Measure[] =
    metric === 'mean_score'
      ? [{ op: 'count_non_null', column: score }, { op: 'mean', column: score }, { op: 'stddev', column: score }]
      : metric === 'latency_p95_ms'
        ? [{ op: 'count_non_null', column: latency }, { op: 'quantile', column: latency, q: 0.95 }]
        : [];
  const rows = await (request.aggregate ?? ((query: AggregateQuery) => store.aggregate(query)))({
    ...base,
    window,
    ...(classification ? { groupBy: [label, labelClass, prediction, predictionClass] } : {}),
    measures: [{ op: 'count' }, { op: 'count_non_null', column: { source: 'core', name: 'label_source' } }, ...extra],
  });
  const counts = new Map<number, { n: number; labelled: number; values: (number | null)[] }>();
  for (const row of rows) {
    const key = Date.parse(row.window!);
    const c = counts.get(key) ?? { n: 0, labelled: 0, values: row.values.slice(2) };
    c.n += row.values[0] ?? 0;
    c.labelled += row.values[1] ?? 0;
    counts.set(key, c);
  }
  const windows: MetricWindow[] = starts.map((startMs) => {
    const row = counts.get(startMs);
    return { start: new Date(startMs).toISOString(), startMs, n: row?.n ?? 0, labelled: row?.labelled ?? 0, sample: 0, value: null, lower: null, upper: null, rowSd: null, sampled: false, reason: null, detail: null };
  });
  const notes: string[] = [];
  const basis = metricSample[metric].basis;
  const enough = (w: MetricWindow, sample: number, what: string): boolean => {
    w.sample = sample;
    if (sample >= minSample && sample > 0) return true;
    w.reason = 'insufficient_data';
    w.detail = w.n === 0 ? 'no predictions in this window' : `${sample} ${what}, fewer than min_sample ${minSample}`;
    return false;
  };

  switch (metric) {
    case 'predictions':
      for (const w of windows) Object.assign(w, { sample: w.n, value: w.n });
      break;
    case 'label_coverage':
      for (const w of windows) if (enough(w, w.n, 'predictions')) setRate(w, w.labelled, w.n);
      break;
    case 'error_rate':
    case 'business_cost_per_1k': {
      if (cost?.task === 'regression') {
        await sampledWindows(store, base, windows, windowMs[window], request.sampleRows, minSample, enough, (y, p) => 1000 * (y > p ? cost.rates.underPredictionUsdPerUnit * (y - p) : cost.rates.overPredictionUsdPerUnit * (p - y)));
        notes.push('a regressor\'s cost per row needs label and prediction together: windows above the sample size are estimated from a deterministic sample (flagged sampled)');
        break;
      }
      const confusion = confusionByWindow(rows, task, model, metric === 'business_cost_per_1k' || (task.configured && task.task === 'binary'));
      const amounts = cost?.task === 'binary' && cost.amountFeature !== undefined ? await falseNegativeAmounts(store, base, window, task, cost.amountFeature) : null;
      for (const w of windows) {
        const c = confusion.get(w.startMs) ?? { tp: 0, fp: 0, fn: 0, tn: 0, errors: 0, total: 0 };
        if (!enough(w, c.total, 'labelled rows')) continue;
        if (metric === 'error_rate') setRate(w, c.errors, c.total);
        else setBinaryCost(w, c, cost as Extract<ModelCost, { task: 'binary' }>, amounts?.get(w.startMs));
      }
      if (amounts) notes.push(`a false negative costs false_negative plus its row's ${(cost as Extract<ModelCost, { task: 'binary' }>).amountFeature} (a row without one adds 0)`);
      break;
    }
    case 'mean_score': {
      for (const w of windows) {
        const [k = 0, mean = null, sd = null] = counts.get(w.startMs)?.values ?? [];
        if (!enough(w, k ?? 0, 'rows with a score') || mean === null) continue;
        setMean(w, mean, sd ?? 0, k!);
      }
      break;
    }
    case 'latency_p95_ms': {
      for (const w of windows) {
        const [k = 0, p95 = null] = counts.get(w.startMs)?.values ?? [];
        if (!enough(w, k ?? 0, 'rows with latency_ms') || p95 === null) continue;
        w.value = p95;
      }
      break;
    }
    case 'mae':
      await sampledWindows(store, base, windows, windowMs[window], request.sampleRows, minSample, enough, (y, p) => Math.abs(y - p));
      notes.push('mae needs label and prediction together: windows above the sample size are estimated from a deterministic sample (flagged sampled)');
      break;
  }
  if (basis !== 'none') {
    const short = windows.filter((w) => w.reason !== null).length;
    if (short > 0) notes.push(`${short} of ${windows.length} windows have fewer than min_sample ${minSample} rows behind the value: value null, reason insufficient_data`);
  }
  return { fromMs, toMs, windows, notes };
}

function setRate(w: MetricWindow, successes: number, trials: number): void {
  const band = wilsonInterval(successes, trials);
  Object.assign(w, { value: band.value, lower: band.lower, upper: band.upper, rowSd: Math.sqrt(band.value * (1 - band.value)) });
}

function setMean(w: MetricWindow, mean: number, sd: number, k: number): void {
  const half = k > 1 ? (Z95 * sd) / Math.sqrt(k) : null;
  Object.assign(w, { value: mean, lower: half === null ? null : mean - half, upper: half === null ? null : mean + half, rowSd: k > 1 ? sd : null });
}

interface Confusion {
  tp: number;
  fp: number;
  fn: number;
  tn: number;
  errors: number;
  total: number;
}

/** Confusion counts and errors per window from labelled-row counts grouped by (label, prediction), numeric or class. */
function confusionByWindow(groups: AggregateRow[], task: ModelTask, model: string, binary: boolean): Map<number, Confusion> {
  const out = new Map<number, Confusion>();
  for (const row of groups) {
    const [ln, ls, pn, ps] = row.group;
    // Labelled rows of the group (measure 1): an adapter that gave unmatched rows a default label instead of
    // NULL would still not count them.
    const count = row.values[1] ?? 0;
    const key = Date.parse(row.window!);
    const c = out.get(key) ?? { tp: 0, fp: 0, fn: 0, tn: 0, errors: 0, total: 0 };
    out.set(key, c);
    if (count === 0 || (ln === null && ls === null) || (pn === null && ps === null)) continue;
    c.total += count;
    if (binary) {
      const y = positive(ln, ls, task, model, 'label');
      const p = positive(pn, ps, task, model, 'prediction');
      if (y && p) c.tp += count;
      else if (!y && p) c.fp += count;
      else if (y && !p) c.fn += count;
      else c.tn += count;
      if (y !== p) c.errors += count;
    } else if ((ln ?? ls) !== (pn ?? ps) && String(ln ?? ls) !== String(pn ?? ps)) {
      c.errors += count;
    }
  }
  return out;
}

export function positive(num: unknown, str: unknown, task: ModelTask, model: string, what: 'label' | 'prediction'): boolean {
  const pc = task.positiveClass;
  if (pc === undefined) {
    if (num === 1 || num === 0) return num === 1;
    throw new OutlayError('invalid_input', `model "${model}": a ${what} is ${JSON.stringify(num ?? str)}, not 0 or 1; a binary model with other classes needs models[name=${model}].positive_class in the project config (or task: multiclass)`, {
      details: { field: `models[name=${model}].positive_class` },
    });
  }
  if (typeof pc === 'string') return (str ?? (num === null ? null : String(num))) === pc;
  return num === Number(pc);
}

/** Sum and sum of squares of the amount over each window's false negatives (positive label, negative prediction). */
interface AmountSums {
  sum: number;
  squares: number;
}

async function falseNegativeAmounts(store: Store, base: { project: string; model: string; from: number; to: number; where: Filter[] }, window: Window, task: ModelTask, feature: string): Promise<Map<number, AmountSums>> {
  const columns = await store.modelColumns(base.project, base.model);
  if (!columns.some((c) => c.source === 'feature' && c.name === feature && c.type === 'number')) {
    throw new OutlayError('invalid_input', `business_cost_per_1k: models[name=${base.model}].cost.amount_feature is "${feature}", but the model's rows carry no numeric feature of that name`, {
      details: { field: `models[name=${base.model}].cost.amount_feature` },
    });
  }
  const pc = task.positiveClass;
  const classes = typeof pc === 'string';
  const positive = classes ? pc : pc === undefined ? 1 : Number(pc);
  const amount: ColumnRef = { source: 'feature', name: feature, type: 'number' };
  const rows = await store.aggregate({
    ...base,
    window,
    labelled: 'only',
    where: [...base.where, { column: classes ? labelClass : label, op: '=', value: positive }, { column: classes ? predictionClass : prediction, op: '!=', value: positive }],
    measures: [{ op: 'count_non_null', column: amount }, { op: 'sum', column: amount }, { op: 'stddev', column: amount }],
  });
  return new Map(
    rows.map((r) => {
      const [k = 0, sum = 0, sd = 0] = r.values.map((v) => v ?? 0);
      // Σa² from the sample standard deviation: (k−1)·s² + (Σa)²/k.
      return [Date.parse(r.window!), { sum, squares: k > 0 ? (k - 1) * sd * sd + (sum * sum) / k : 0 }];
    }),
  );
}

function setBinaryCost(w: MetricWindow, c: Confusion, cost: Extract<ModelCost, { task: 'binary' }>, amounts: AmountSums | undefined): void {
  const m = cost.matrix;
  const outcomes: [number, number][] = [
    [c.tp, -m.truePositiveValueUsd],
    [c.fp, m.falsePositiveUsd],
    [c.fn, m.falseNegativeUsd],
    [c.tn, -m.trueNegativeValueUsd],
  ];
  const n = c.total;
  const sum = outcomes.reduce((s, [k, usd]) => s + k * usd, 0) + (amounts?.sum ?? 0);
  // Σ cost²: a false negative costs fn + aᵢ, so its square adds fn² + 2·fn·aᵢ + aᵢ².
  const squares = outcomes.reduce((s, [k, usd]) => s + k * usd * usd, 0) + (amounts ? 2 * m.falseNegativeUsd * amounts.sum + amounts.squares : 0);
  const mean = sum / n;
  const variance = n > 1 ? Math.max(0, (squares - n * mean * mean) / (n - 1)) : 0;
  setMean(w, 1000 * mean, 1000 * Math.sqrt(variance), n);
}

/** Per window, a metric that is the mean of f(label, prediction) over labelled rows, from a bounded sample. */
async function sampledWindows(
  store: Store,
  base: { project: string; model: string; where: Filter[] },
  windows: MetricWindow[],
  sizeMs: number,
  sampleRows: number | undefined,
  minSample: number,
  enough: (w: MetricWindow, sample: number, what: string) => boolean,
  f: (y: number, p: number) => number,
): Promise<void> {
  for (const w of windows) {
    if (!enough(w, w.labelled, 'labelled rows')) continue;
    const sample = await store.sampleColumns({ ...base, from: w.startMs, to: w.startMs + sizeMs, labelled: 'only', columns: [label, prediction], maxRows: sampleRows ?? 20_000 });
    const [ys, ps] = sample.values as [unknown[], unknown[]];
    let k = 0;
    let sum = 0;
    let squares = 0;
    for (let i = 0; i < sample.rows; i++) {
      const y = ys[i];
      const p = ps[i];
      if (typeof y !== 'number' || typeof p !== 'number') continue;
      const v = f(y, p);
      k++;
      sum += v;
      squares += v * v;
    }
    if (!enough(w, k, 'labelled rows with numeric label and prediction')) continue;
    const mean = sum / k;
    const sd = k > 1 ? Math.sqrt(Math.max(0, (squares - k * mean * mean) / (k - 1))) : 0;
    setMean(w, mean, sd, k);
    w.sampled = sample.total > sample.rows;
  }
}
