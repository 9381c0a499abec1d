import { localLevelFilter, type LocalLevelFilter, type LocalLevelVariances } from './local-level-filter.js';
import { normalQuantile } from './normal-quantile.js';

export interface FitLocalLevelOptions {
  /** Per-window number of rows n_t; omitted, every window counts as one observation. */
  sampleSizes?: ArrayLike<number>;
  /**
   * Multiplies the fitted level variance σ²_η before filtering: 1 uses the maximum-likelihood value, > 1
   * follows changes faster (more false alarms), < 1 smooths more (longer detection delay). 1 by default.
   */
  sensitivity?: number;
  /** Coverage of the band around the filtered level; 0.95 by default. */
  confidence?: number;
  /** In-control level (from a reference period); when given, a window alerts if its band excludes it. */
  target?: number;
}

export interface LocalLevelFit extends LocalLevelFilter {
  /** Maximum-likelihood variances (before `sensitivity`). */
  estimated: LocalLevelVariances;
  /** Log-likelihood at the estimate. */
  maximumLogLikelihood: number;
  /** Variances the filter ran with (level variance × sensitivity). */
  used: LocalLevelVariances;
  /** Filtered level ± z·√P_{t|t}. */
  lower: Float64Array;
  upper: Float64Array;
  /** Per window: the band excludes `target`. Null without a target. */
  alert: boolean[] | null;
}

// Search range of log q, q = σ²_η/σ²_ε; below e^-30 the level is constant for any practical series.
const LOG_Q_MIN = -30;
const LOG_Q_MAX = 12;

/**
 * Fits the local level model (see `localLevelFilter`) by maximum likelihood and filters with it.
 *
 * Estimation: every variance in the model scales with σ²_ε, so for a fixed signal-to-noise ratio
 * q = σ²_η/σ²_ε the MLE of σ²_ε is Σ v_t²/F*_t / (T−1), with v, F* from the filter run at (1, q), and the
 * profile log-likelihood is −(T−1)/2·(log 2π + 1 + log σ̂²_ε) − ½ Σ log F*_t (Harvey, Forecasting,
 * Structural Time Series Models and the Kalman Filter, 1989, §3.4, eq. 3.4.9). That leaves one parameter,
 * log q, found by a grid over [−30, 12] followed by golden-section search (Kiefer 1953) around the best
 * grid point. Needs at least 3 windows.
 *
 * @example fitLocalLevel(costPer1k, { sampleSizes: labelled, sensitivity: 1 }).filtered
 */
export function fitLocalLevel(values: ArrayLike<number>, options: FitLocalLevelOptions = {}): LocalLevelFit {
  const { sampleSizes, sensitivity = 1, confidence = 0.95, target } = options;
  if (target !== undefined && !Number.isFinite(target)) throw new RangeError(`fitLocalLevel: target is ${target}, expected a finite number`);
  const n = values.length;
  if (n < 3) throw new RangeError(`fitLocalLevel: needs at least 3 windows to estimate two variances, got ${n}`);
  if (!(sensitivity > 0 && Number.isFinite(sensitivity))) throw new RangeError(`fitLocalLevel: sensitivity is ${sensitivity}, expected a positive number`);
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`fitLocalLevel: confidence must be in (0, 1), got ${confidence}`);

  const profile = (logQ: number): { logLikelihood: number; irregularVariance: number } => {
    const run = localLevelFilter(values, { irregularVariance: 1, levelVariance: Math.exp(logQ) }, sampleSizes);
    let weightedSquares = 0;
    let logDet = 0;
    for (let t = 1; t < n; t++) {
      weightedSquares += (run.innovations[t]! * run.innovations[t]!) / run.innovationVariances[t]!;
      logDet += Math.log(run.innovationVariances[t]!);
    }
    const m = n - 1;
    const irregularVariance = weightedSquares / m;
    if (!(irregularVariance > 0)) {
      throw new RangeError('fitLocalLevel: the series is constant; there is no noise to estimate');
    }
    return { logLikelihood: -0.5 * m * (Math.log(2 * Math.PI) + 1 + Math.log(irregularVariance)) - 0.5 * logDet, irregularVariance };
  };

  const step = 0.5;
  let bestLogQ = LOG_Q_MIN;
  let bestValue = -Infinity;
  for (let logQ = LOG_Q_MIN; logQ <= LOG_Q_MAX + 1e-12; logQ += step) {
    const value = profile(logQ).logLikelihood;
    if (value > bestValue) {
      bestValue = value;
      bestLogQ = logQ;
    }
  }
  const logQ = goldenSectionMaximum((x) => profile(x).logLikelihood, Math.max(LOG_Q_MIN, bestLogQ - step), Math.min(LOG_Q_MAX, bestLogQ + step));
  const best = profile(logQ);
  const estimated = { irregularVariance: best.irregularVariance, levelVariance: best.irregularVariance * Math.exp(logQ) };
  const used = { irregularVariance: estimated.irregularVariance, levelVariance: estimated.levelVariance * sensitivity };
  const filter = localLevelFilter(values, used, sampleSizes);
  const z = normalQuantile(1 - (1 - confidence) / 2);
  const lower = filter.filtered.map((a, t) => a - z * Math.sqrt(filter.filteredVariance[t]!));
  const upper = filter.filtered.map((a, t) => a + z * Math.sqrt(filter.filteredVariance[t]!));
  const alert = target === undefined ? null : Array.from(lower, (low, t) => target < low || target > upper[t]!);
  return { ...filter, estimated, maximumLogLikelihood: best.logLikelihood, used, lower, upper, alert };
}

// Golden-section search for the maximum of a unimodal f on [a, b] (Kiefer 1953; Press et al., Numerical
// Recipes, 3rd ed., §10.2), to an interval of 1e-10.
function goldenSectionMaximum(f: (x: number) => number, a: number, b: number): number {
  const ratio = (Math.sqrt(5) - 1) / 2;
  let c = b - ratio * (b - a);
  let d = a + ratio * (b - a);
  let fc = f(c);
  let fd = f(d);
  while (b - a > 1e-10) {
    if (fc > fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - ratio * (b - a);
      fc = f(c);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + ratio * (b - a);
      fd = f(d);
    }
  }
  return (a + b) / 2;
}
