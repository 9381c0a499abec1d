import { ewmaChart, fitLocalLevel } from '@outlay/stats';

export type SmoothingMethod = 'ewma' | 'kalman';

export interface SmoothInput {
  values: number[];
  /** Rows behind each value; undefined: every window counts as one observation. */
  sampleSizes: number[] | undefined;
  /** Standard deviation of one row's contribution per window, where known. */
  rowSds: (number | null)[];
  /** A proportion: one row's σ is √(p(1−p)) at the target. */
  rate: boolean;
}

export interface SmoothedPoint {
  smoothed: number;
  /** Control limits (EWMA) or the level's band (Kalman). */
  lower: number;
  upper: number;
  alert: boolean;
}

export interface Smoothing {
  method: SmoothingMethod;
  status: 'ok' | 'insufficient_data';
  reason: string | null;
  referenceWindows: number;
  target: number | null;
  sigmaPerRow: number | null;
  points: SmoothedPoint[] | null;
}

// Kalman band coverage matching the EWMA's 3σ limits (two-sided normal, 99.73 %), as `outlay health` uses.
const KALMAN_CONFIDENCE = 0.9973;

/**
 * EWMA chart or local-level Kalman filter over a metric series, with the target (sample-weighted mean) and σ of
 * one row from the first `referenceCount` windows. σ is the larger of the windows' spread
 * (√(Σnᵢ(xᵢ−μ)²/(K−1)), which keeps day-to-day over-dispersion) and the rows' own σ (√(p(1−p)) for a rate,
 * the pooled row σ otherwise), as `outlay health` does. Too short or flat a reference: `insufficient_data`.
 */
export function smoothSeries(input: SmoothInput, method: SmoothingMethod, referenceCount: number, options: { lambda?: number; limitWidth?: number } = {}): Smoothing {
  const { values, sampleSizes, rowSds, rate } = input;
  const out: Smoothing = { method, status: 'insufficient_data', reason: null, referenceWindows: referenceCount, target: null, sigmaPerRow: null, points: null };
  if (referenceCount < 2 || values.length < 3) {
    out.reason = `${values.length} windows with a value and ${referenceCount} reference windows: smoothing needs at least 3 and 2`;
    return out;
  }
  const weight = (i: number) => (sampleSizes === undefined ? 1 : sampleSizes[i]!);
  let total = 0;
  let weighted = 0;
  for (let i = 0; i < referenceCount; i++) {
    total += weight(i);
    weighted += weight(i) * values[i]!;
  }
  const target = weighted / total;
  let spread = 0;
  for (let i = 0; i < referenceCount; i++) spread += (weight(i) * (values[i]! - target) ** 2) / (referenceCount - 1);
  let within = 0;
  if (rate) within = Math.sqrt(Math.max(0, target * (1 - target)));
  else if (sampleSizes !== undefined) {
    let num = 0;
    let den = 0;
    for (let i = 0; i < referenceCount; i++) {
      const sd = rowSds[i];
      if (sd === null || sd === undefined || sampleSizes[i]! < 2) continue;
      num += (sampleSizes[i]! - 1) * sd * sd;
      den += sampleSizes[i]! - 1;
    }
    within = den > 0 ? Math.sqrt(num / den) : 0;
  }
  const sigma = Math.max(Math.sqrt(spread), within);
  out.target = target;
  out.sigmaPerRow = sigma;
  // A spread at the level of rounding (a constant series that seasonal adjustment left at 1 ± 1e-15) is none:
  // limits that tight would flag the rounding itself.
  if (!(sigma > 1e-9 * Math.max(1, Math.abs(target)))) {
    out.reason = 'the reference windows have no variation: no limits can be set';
    return out;
  }
  if (method === 'ewma') {
    out.points = ewmaChart(values, { target, sigma, ...(sampleSizes === undefined ? {} : { sampleSizes }), ...options }).map(({ smoothed, lower, upper, alert }) => ({ smoothed, lower, upper, alert }));
  } else {
    try {
      const fit = fitLocalLevel(values, { ...(sampleSizes === undefined ? {} : { sampleSizes }), target, confidence: KALMAN_CONFIDENCE });
      out.points = Array.from(fit.filtered, (smoothed, t) => ({ smoothed, lower: fit.lower[t]!, upper: fit.upper[t]!, alert: fit.alert![t]! }));
    } catch (error) {
      if (!(error instanceof RangeError)) throw error;
      out.reason = `the Kalman filter cannot be fitted: ${error.message}`;
      return out;
    }
  }
  out.status = 'ok';
  return out;
}
