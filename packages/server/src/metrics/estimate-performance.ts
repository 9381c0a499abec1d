import { OutlayError, type ProjectConfig } from '@outlay/schema';
import { calibrateScore, estimateBinaryPerformance, fitIsotonicCalibration, type BinaryCostMatrix, type IsotonicCalibration } from '@outlay/stats';
import type { ColumnRef, Filter, Store, Window } from '@outlay/store';
import { positive, type MetricWindow } from './compute-metric-series.js';
import type { MetricName } from './metric-name.js';
import { modelCost, modelTask } from './model-task.js';
import { windowMs } from './window-starts.js';

/** Labelled rows with a score the reference needs before a calibration is fitted (and both classes among them). */
export const MIN_REFERENCE_LABELLED = 200;
/** Labelled rows the calibration is fitted on at most (a deterministic sample above that). */
const REFERENCE_SAMPLE_ROWS = 100_000;
/** Bins of calibrated probability (one SQL aggregate each, over every window): p moves by at most 1/BINS of its range inside one. */
const BINS = 50;
/** Knots of the calibration shown in the document (thinned evenly above that; the fit keeps them all). */
const SHOWN_KNOTS = 100;

const score: ColumnRef = { source: 'core', name: 'score' };
const label: ColumnRef = { source: 'core', name: 'label' };
const labelClass: ColumnRef = { source: 'core', name: 'label_class' };
const prediction: ColumnRef = { source: 'core', name: 'prediction' };
const predictionClass: ColumnRef = { source: 'core', name: 'prediction_class' };

/** The label-free estimate of one window. */
export interface WindowEstimate {
  estimated: number | null;
  lower: number | null;
  upper: number | null;
  /** Predictions with a score and a predicted class behind the estimate. */
  rows: number;
  reason: string | null;
}

export interface EstimateSummary {
  method: 'cbpe';
  reference_from: string | null;
  reference_to: string | null;
  /** Labelled rows with a score in the reference (the calibration reads a deterministic sample of at most 100,000). */
  reference_labelled: number;
  /** Null when no calibration could be fitted (see `reason`). */
  calibration: {
    method: 'isotonic';
    rows: number;
    positive_share: number;
    /** The calibration's knots (score → P(y = 1)), at most 100 shown; linear in between, clipped outside. */
    knots: { score: number; probability: number }[];
  } | null;
  /** Confidence of the bands. */
  confidence: number;
  reason: string | null;
}

export interface EstimateRequest {
  project: string;
  model: string;
  metric: MetricName;
  window: Window;
  /** The series' windows (their labelled counts choose the default reference). */
  windows: MetricWindow[];
  where: Filter[];
  config: ProjectConfig | null;
  minSample: number;
  referenceFromMs?: number;
  referenceToMs?: number;
}

/**
 * Confidence-based performance estimation (CBPE) of `error_rate` or `business_cost_per_1k` for every window,
 * labelled or not. An isotonic calibration (`fitIsotonicCalibration`) is fitted on the labelled rows of the
 * reference (default: the request's windows that have labels); then each window's predictions are counted per
 * bin of calibrated probability × predicted class in the store (one bucketed aggregate over every window: count,
 * Σscore and its spread per window × predicted class; edges where the calibration rises by 1/50 of its range, the
 * flat stretches of the step function being one exact bin, p linear in the score inside a bin), and
 * `estimateBinaryPerformance` gives the expected confusion counts and the Poisson-binomial band (variance
 * Σp(1−p)). A window that cannot be estimated has null with a reason, never NaN.
 */
export async function estimatePerformance(store: Store, request: EstimateRequest): Promise<{ summary: EstimateSummary; windows: WindowEstimate[] }> {
  const { project, model, metric, windows, where, config, minSample } = request;
  if (metric !== 'error_rate' && metric !== 'business_cost_per_1k') {
    throw new OutlayError('invalid_input', `estimate=cbpe estimates error_rate and business_cost_per_1k, not ${metric}`, { details: { field: 'estimate' } });
  }
  const task = modelTask(config, model);
  if (task.task !== 'binary') throw new OutlayError('invalid_input', `estimate=cbpe is for binary classifiers with scores; model "${model}" is ${task.task} in the project config`, { details: { field: 'estimate' } });
  const cost = metric === 'business_cost_per_1k' ? modelCost(config, model) : null;
  const matrix: BinaryCostMatrix =
    cost?.task === 'binary' ? cost.matrix : { falseNegativeUsd: 1, falsePositiveUsd: 1, truePositiveValueUsd: 0, trueNegativeValueUsd: 0 };

  const size = windowMs[request.window];
  const labelledWindows = windows.filter((w) => w.labelled > 0);
  const refFrom = request.referenceFromMs ?? labelledWindows[0]?.startMs;
  const refTo = request.referenceToMs ?? (labelledWindows.length > 0 ? labelledWindows[labelledWindows.length - 1]!.startMs + size : undefined);
  if (refFrom !== undefined && refTo !== undefined && !(refTo > refFrom)) {
    throw new OutlayError('invalid_input', `estimate_reference_from (${new Date(refFrom).toISOString()}) must be before estimate_reference_to (${new Date(refTo).toISOString()})`);
  }
  const summary: EstimateSummary = {
    method: 'cbpe',
    reference_from: refFrom === undefined ? null : new Date(refFrom).toISOString(),
    reference_to: refTo === undefined ? null : new Date(refTo).toISOString(),
    reference_labelled: 0,
    calibration: null,
    confidence: 0.95,
    reason: null,
  };
  const unavailable = (reason: string) => ({ summary: { ...summary, reason }, windows: windows.map(() => ({ estimated: null, lower: null, upper: null, rows: 0, reason })) });
  if (cost?.task === 'binary' && cost.amountFeature !== undefined) {
    return unavailable(`a false negative's cost includes its row's ${cost.amountFeature} (models[name=${model}].cost.amount_feature), which the binned estimate does not carry yet; estimate error_rate instead`);
  }
  if (refFrom === undefined || refTo === undefined) return unavailable('no window of the request has labels to fit the calibration on; give estimate_reference_from and estimate_reference_to');

  const scored: Filter = { column: score, op: 'not_null' };
  const sample = await store.sampleColumns({ project, model, from: refFrom, to: refTo, where: [...where, scored], labelled: 'only', columns: [score, label, labelClass], maxRows: REFERENCE_SAMPLE_ROWS });
  summary.reference_labelled = sample.total;
  const [scores, ls, lcs] = sample.values as [unknown[], unknown[], unknown[]];
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = 0; i < sample.rows; i++) {
    const s = scores[i];
    if (typeof s !== 'number' || !Number.isFinite(s) || (ls[i] === null && lcs[i] === null)) continue;
    xs.push(s);
    ys.push(positive(ls[i], lcs[i], task, model, 'label') ? 1 : 0);
  }
  if (xs.length === 0) return unavailable(`the reference ${summary.reference_from} – ${summary.reference_to} has no labelled row with a score: the model's predictions need a score (probability of the positive class)`);
  if (sample.total < MIN_REFERENCE_LABELLED) return unavailable(`the reference has ${sample.total} labelled rows with a score, fewer than ${MIN_REFERENCE_LABELLED} to fit a calibration on`);
  const positives = ys.reduce((a, b) => a + b, 0);
  if (positives === 0 || positives === ys.length) return unavailable(`every labelled row of the reference is ${positives === 0 ? 'negative' : 'positive'}: a calibration needs both classes`);
  const calibration = fitIsotonicCalibration({ scores: xs, labels: ys });
  summary.calibration = { method: 'isotonic', rows: calibration.rows, positive_share: positives / ys.length, knots: shownKnots(calibration) };

  // One aggregate over every window, grouped by bin of calibrated probability (the store's bucketed group-by) and
  // predicted class: count, Σscore and the spread of the score. Inside a bin p is taken on the chord between its
  // edges (exact where the bin lies on one linear piece of the calibration), so Σp and Σp² come from Σs and Σs².
  const bins = probabilityBins(calibration);
  const e = bins.edges;
  // Bucket 0 is below the first edge, bucket j in 1 … n−1 is [e[j−1], e[j]) (the last closed), bucket n above.
  const pieces: { alpha: number; beta: number }[] = [
    { alpha: bins.below, beta: 0 },
    ...e.slice(0, -1).map((lo, j) => {
      const hi = e[j + 1]!;
      const pa = calibrateScore(calibration, lo);
      const beta = (calibrateScore(calibration, hi) - pa) / (hi - lo);
      return { alpha: pa - beta * lo, beta };
    }),
    { alpha: bins.above, beta: 0 },
  ];
  const first = windows[0]?.startMs ?? 0;
  const end = (windows[windows.length - 1]?.startMs ?? 0) + size;
  const entries = new Map<number, { probabilities: number[]; predictions: number[]; counts: number[]; rows: number }>();
  // probabilityBins gives at least two edges.
  const rows = await store.aggregate({
    project,
    model,
    from: first,
    to: end,
    window: request.window,
    where: [...where, scored],
    groupBy: [prediction, predictionClass],
    bucket: { column: score, edges: e },
    measures: [{ op: 'count' }, { op: 'sum', column: score }, { op: 'stddev', column: score }],
  });
  for (const row of rows) {
    const range = row.bucket === null || row.bucket === undefined ? undefined : pieces[row.bucket];
    const [pn, ps] = row.group;
    const [k = 0, sum = 0, sd = 0] = row.values.map((v) => v ?? 0);
    if (!range || k <= 0 || (pn === null && ps === null)) continue;
    const predicted = positive(pn, ps, task, model, 'prediction') ? 1 : 0;
    // Σp and Σp² under p = α + β·s, then two entries of k/2 rows at mean ± sd that keep both sums.
    const squares = (k - 1) * sd * sd + (sum * sum) / k;
    const sumP = k * range.alpha + range.beta * sum;
    const sumP2 = k * range.alpha * range.alpha + 2 * range.alpha * range.beta * sum + range.beta * range.beta * squares;
    const mean = Math.min(1, Math.max(0, sumP / k));
    const spread = Math.sqrt(Math.max(0, sumP2 / k - (sumP / k) ** 2));
    const key = Date.parse(row.window!);
    const entry = entries.get(key) ?? { probabilities: [], predictions: [], counts: [], rows: 0 };
    entries.set(key, entry);
    for (const p of spread > 0 ? [mean - spread, mean + spread] : [mean]) {
      entry.probabilities.push(Math.min(1, Math.max(0, p)));
      entry.predictions.push(predicted);
      entry.counts.push(spread > 0 ? k / 2 : k);
    }
    entry.rows += k;
  }
  const out: WindowEstimate[] = windows.map((w) => {
    const entry = entries.get(w.startMs);
    const rows = entry?.rows ?? 0;
    if (w.n === 0) return { estimated: null, lower: null, upper: null, rows: 0, reason: 'no predictions in this window' };
    if (!entry || rows < minSample) return { estimated: null, lower: null, upper: null, rows, reason: `${rows} predictions with a score and a predicted class, fewer than min_sample ${minSample}` };
    const est = estimateBinaryPerformance({ probabilities: entry.probabilities, predictions: entry.predictions, counts: entry.counts, matrix });
    return metric === 'error_rate'
      ? { estimated: 1 - est.accuracy.value, lower: 1 - est.accuracy.upper, upper: 1 - est.accuracy.lower, rows, reason: null }
      : { estimated: est.per1kPredictionsUsd.value, lower: est.per1kPredictionsUsd.lower, upper: est.per1kPredictionsUsd.upper, rows, reason: null };
  });
  return { summary, windows: out };
}

/**
 * Score edges where the calibrated probability rises by (max − min)/BINS (found on the piecewise-linear map), and
 * the probability of each bin: the mean of p at its two edges (a row's p is within 1/(2·BINS) of the range of
 * it); a flat stretch of the step function is one exact bin. Below the first edge and above the last, p is the
 * clipped end value.
 */
export function probabilityBins(calibration: IsotonicCalibration): { edges: number[]; probabilities: number[]; below: number; above: number } {
  const x = calibration.scores;
  const y = calibration.probabilities;
  const m = x.length;
  const below = y[0]!;
  const above = y[m - 1]!;
  if (m === 1 || above === below) {
    // One knot or a flat calibration: every score has the same p.
    const lo = x[0]!;
    const hi = m === 1 ? lo + 1 : x[m - 1]!;
    return { edges: [lo, hi], probabilities: [below], below, above };
  }
  const edges = [x[0]!];
  const step = (above - below) / BINS;
  for (let k = 1; k < BINS; k++) {
    const level = below + k * step;
    // The first knot at or above the level, and the score where the segment before it crosses the level.
    let i = 1;
    while (i < m - 1 && y[i]! < level) i++;
    const x0 = x[i - 1]!;
    const y0 = y[i - 1]!;
    const t = y[i]! > y0 ? (level - y0) / (y[i]! - y0) : 1;
    const edge = x0 + Math.min(1, Math.max(0, t)) * (x[i]! - x0);
    if (edge > edges[edges.length - 1]!) edges.push(edge);
  }
  if (x[m - 1]! > edges[edges.length - 1]!) edges.push(x[m - 1]!);
  const probabilities = edges.slice(0, -1).map((lo, j) => (calibrateScore(calibration, lo) + calibrateScore(calibration, edges[j + 1]!)) / 2);
  return { edges, probabilities, below, above };
}

function shownKnots(calibration: IsotonicCalibration): { score: number; probability: number }[] {
  const m = calibration.scores.length;
  const keep = m <= SHOWN_KNOTS ? Array.from({ length: m }, (_, i) => i) : [...new Set(Array.from({ length: SHOWN_KNOTS }, (_, k) => Math.round((k * (m - 1)) / (SHOWN_KNOTS - 1))))];
  return keep.map((i) => ({ score: calibration.scores[i]!, probability: calibration.probabilities[i]! }));
}
