import { OutlayError, type ProjectConfig } from '@outlay/schema';
import { calibrateScore, estimateBinaryPerformance, fitIsotonicCalibration, type BinaryCostMatrix, type IsotonicCalibration } from '@outlay/stats';
import type { ColumnRef, Filter, Store, Window } from '@outlay/store';
import { positive, type MetricWindow } from './compute-metric-series.js';
import type { MetricName } from './metric-name.js';
import { modelCost, modelTask } from './model-task.js';
import { windowMs } from './window-starts.js';

/** Labelled rows with a score the reference needs before a calibration is fitted (and both classes among them). */
export const MIN_REFERENCE_LABELLED = 200;
/** Buckets of the score in [0, 1] the rows are counted in (scores outside fall in the two end buckets). */
const SCORE_BUCKETS = 100;
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
 * score bucket (a hundredth wide) × predicted class in the store, in the same scan that gives the reference's
 * labelled buckets, each bucket taken at the calibrated probability of its mean score, and
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
  // One scan of the windows (and the reference, when it lies outside them): rows counted per window, label,
  // prediction and score bucket of width 1/SCORE_BUCKETS, with the bucket's score sum. The calibration is fitted on
  // the reference's labelled buckets (their mean score, weighted by rows: isotonic regression on scores rounded to
  // a hundredth), and each window's rows are then taken at the calibrated probability of their bucket's mean score.
  const first = windows[0]?.startMs ?? 0;
  const end = (windows[windows.length - 1]?.startMs ?? 0) + size;
  const bucketed = (from: number, to: number, window: Window | undefined) =>
    store.aggregate({
      project,
      model,
      from,
      to,
      ...(window ? { window } : {}),
      where: [...where, scored],
      groupBy: [label, labelClass, prediction, predictionClass],
      bucket: { column: score, from: 0, width: 1 / SCORE_BUCKETS, count: SCORE_BUCKETS },
      measures: [{ op: 'count' }, { op: 'sum', column: score }],
    });
  const rows = await bucketed(first, end, request.window);
  const insideSeries = refFrom >= first && refTo <= end && windows.some((w) => w.startMs === refFrom) && (refTo === end || windows.some((w) => w.startMs === refTo));
  const referenceRows = insideSeries ? rows.filter((r) => Date.parse(r.window!) >= refFrom && Date.parse(r.window!) < refTo) : await bucketed(refFrom, refTo, undefined);

  const fit = { scores: [] as number[], labels: [] as number[], weights: [] as number[] };
  let positives = 0;
  for (const row of referenceRows) {
    const [ln, ls] = row.group;
    const [k = 0, sum = 0] = row.values.map((v) => v ?? 0);
    if (k <= 0 || (ln === null && ls === null)) continue;
    const y = positive(ln, ls, task, model, 'label') ? 1 : 0;
    fit.scores.push(sum / k);
    fit.labels.push(y);
    fit.weights.push(k);
    summary.reference_labelled += k;
    positives += y * k;
  }
  if (fit.scores.length === 0) return unavailable(`the reference ${summary.reference_from} – ${summary.reference_to} has no labelled row with a score: the model's predictions need a score (probability of the positive class)`);
  if (summary.reference_labelled < MIN_REFERENCE_LABELLED) return unavailable(`the reference has ${summary.reference_labelled} labelled rows with a score, fewer than ${MIN_REFERENCE_LABELLED} to fit a calibration on`);
  if (positives === 0 || positives === summary.reference_labelled) return unavailable(`every labelled row of the reference is ${positives === 0 ? 'negative' : 'positive'}: a calibration needs both classes`);
  const calibration = fitIsotonicCalibration(fit);
  summary.calibration = { method: 'isotonic', rows: summary.reference_labelled, positive_share: positives / summary.reference_labelled, knots: shownKnots(calibration) };

  // Per window and predicted class, the rows of each score bucket (labelled or not) at the calibrated
  // probability of the bucket's mean score.
  const entries = new Map<number, { probabilities: number[]; predictions: number[]; counts: number[]; rows: number }>();
  const cells = new Map<string, { key: number; predicted: number; k: number; sum: number }>();
  for (const row of rows) {
    const [, , pn, ps] = row.group;
    const [k = 0, sum = 0] = row.values.map((v) => v ?? 0);
    if (k <= 0 || (pn === null && ps === null)) continue;
    const key = Date.parse(row.window!);
    const predicted = positive(pn, ps, task, model, 'prediction') ? 1 : 0;
    // The same bucket of one window and predicted class arrives once per label value: add them up.
    const id = `${key}\u0000${predicted}\u0000${row.bucket}`;
    const cell = cells.get(id) ?? { key, predicted, k: 0, sum: 0 };
    cell.k += k;
    cell.sum += sum;
    cells.set(id, cell);
  }
  for (const { key, predicted, k, sum } of cells.values()) {
    const entry = entries.get(key) ?? { probabilities: [], predictions: [], counts: [], rows: 0 };
    entries.set(key, entry);
    entry.probabilities.push(Math.min(1, Math.max(0, calibrateScore(calibration, sum / k))));
    entry.predictions.push(predicted);
    entry.counts.push(k);
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

function shownKnots(calibration: IsotonicCalibration): { score: number; probability: number }[] {
  const m = calibration.scores.length;
  const keep = m <= SHOWN_KNOTS ? Array.from({ length: m }, (_, i) => i) : [...new Set(Array.from({ length: SHOWN_KNOTS }, (_, k) => Math.round((k * (m - 1)) / (SHOWN_KNOTS - 1))))];
  return keep.map((i) => ({ score: calibration.scores[i]!, probability: calibration.probabilities[i]! }));
}
