import { minimiseInBox } from './minimise-in-box.js';

export type Seasonality = 'additive' | 'multiplicative';

export interface HoltWintersParameters {
  /** Level smoothing, 0 ≤ α ≤ 1. */
  alpha: number;
  /** Trend smoothing, 0 ≤ β ≤ 1 (statsmodels' smoothing_trend, Hyndman's β*). */
  beta: number;
  /** Seasonal smoothing, 0 ≤ γ ≤ 1. */
  gamma: number;
}

export interface HoltWintersState {
  level: number;
  trend: number;
  /** One value per position in the season, starting with the position of the next observation. */
  season: number[];
}

export interface HoltWintersOptions {
  seasonLength: number;
  seasonality: Seasonality;
  /** Fixed smoothing parameters; when absent they are fitted by minimising the SSE of one-step fits. */
  parameters?: HoltWintersParameters;
  /** Initial state; when absent, `holtWintersInitialState`. */
  initial?: HoltWintersState;
}

export interface HoltWintersModel {
  seasonality: Seasonality;
  seasonLength: number;
  parameters: HoltWintersParameters;
  /** Whether the parameters were fitted (true) or given (false). */
  fitted_parameters: boolean;
  initial: HoltWintersState;
  /** One-step-ahead fitted values, one per observation. */
  fitted: number[];
  /** Sum of squared one-step errors. */
  sse: number;
  /** State after the last observation, from which forecasts run. */
  final: HoltWintersState;
  observations: number;
}

/**
 * The classic starting state from the first two seasons: level = mean of season 1, trend = mean of
 * (y[m + i] − y[i]) / m, season = y[i] − level (additive) or y[i] / level (multiplicative).
 */
export function holtWintersInitialState(y: readonly number[], seasonLength: number, seasonality: Seasonality): HoltWintersState {
  const m = seasonLength;
  checkSeries(y, m, seasonality);
  let level = 0;
  for (let i = 0; i < m; i++) level += y[i]! / m;
  let trend = 0;
  for (let i = 0; i < m; i++) trend += (y[m + i]! - y[i]!) / m / m;
  const season = y.slice(0, m).map((v) => (seasonality === 'additive' ? v - level : v / level));
  return { level, trend, season };
}

/**
 * Holt-Winters exponential smoothing with an additive trend and additive or multiplicative seasonality, in the
 * error-correction form of Hyndman & Athanasopoulos (FPP3 §8.3) that statsmodels' ExponentialSmoothing uses:
 *
 *   ŷ_t = l + b + s (additive) or (l + b)·s (multiplicative), s the season value m steps back
 *   l_t = α(y_t − s) + (1 − α)(l + b)            or  α(y_t / s) + (1 − α)(l + b)
 *   b_t = β(l_t − l) + (1 − β)b
 *   s_t = γ(y_t − l − b) + (1 − γ)s              or  γ(y_t / (l + b)) + (1 − γ)s
 *
 * Without `parameters`, α, β and γ minimise the SSE of the one-step fits under statsmodels' constraints
 * (β ≤ α, γ ≤ 1 − α): a grid search, then Nelder–Mead from the best grid points. Optimisers differ, so fitted
 * parameters may differ slightly from statsmodels' (whose L-BFGS-B can stop at a worse SSE); with the same fixed
 * parameters and initial state the numbers are the same.
 *
 * @example holtWintersForecast(holtWinters(dailyRequests, {seasonLength: 7, seasonality: 'multiplicative'}), 28)
 */
export function holtWinters(y: readonly number[], options: HoltWintersOptions): HoltWintersModel {
  const { seasonLength: m, seasonality } = options;
  checkSeries(y, m, seasonality);
  const initial = options.initial ?? holtWintersInitialState(y, m, seasonality);
  if (initial.season.length !== m) throw new RangeError(`holtWinters: the initial season has ${initial.season.length} values, expected ${m}`);
  let parameters = options.parameters;
  if (parameters !== undefined) {
    for (const name of ['alpha', 'beta', 'gamma'] as const) {
      const v = parameters[name];
      if (!(v >= 0 && v <= 1)) throw new RangeError(`holtWinters: ${name} must be in [0, 1], got ${v}`);
    }
  } else {
    parameters = fitParameters(y, m, seasonality, initial);
  }
  const run = smooth(y, m, seasonality, parameters, initial, true);
  return {
    seasonality,
    seasonLength: m,
    parameters,
    fitted_parameters: options.parameters === undefined,
    initial,
    fitted: run.fitted!,
    sse: run.sse,
    final: run.final,
    observations: y.length,
  };
}

/** Forecasts `horizon` steps past the last observation: (l + h·b) ⊕ s for h = 1 … horizon. */
export function holtWintersForecast(model: HoltWintersModel, horizon: number): number[] {
  if (!(Number.isInteger(horizon) && horizon >= 0)) throw new RangeError(`holtWintersForecast: horizon must be a whole number ≥ 0, got ${horizon}`);
  const { level, trend, season } = model.final;
  const out: number[] = [];
  for (let h = 1; h <= horizon; h++) {
    const s = season[(h - 1) % model.seasonLength]!;
    out.push(model.seasonality === 'additive' ? level + h * trend + s : (level + h * trend) * s);
  }
  return out;
}

interface Run {
  sse: number;
  fitted: number[] | null;
  final: HoltWintersState;
}

function smooth(y: readonly number[], m: number, seasonality: Seasonality, p: HoltWintersParameters, initial: HoltWintersState, keepFitted: boolean): Run {
  const { alpha, beta, gamma } = p;
  const additive = seasonality === 'additive';
  const season = initial.season.slice();
  let level = initial.level;
  let trend = initial.trend;
  let sse = 0;
  const fitted = keepFitted ? new Array<number>(y.length) : null;
  for (let t = 0; t < y.length; t++) {
    const k = t % m;
    const s = season[k]!;
    const base = level + trend;
    const yHat = additive ? base + s : base * s;
    if (fitted) fitted[t] = yHat;
    const e = y[t]! - yHat;
    sse += e * e;
    const next = additive ? alpha * (y[t]! - s) + (1 - alpha) * base : alpha * (y[t]! / s) + (1 - alpha) * base;
    trend = beta * (next - level) + (1 - beta) * trend;
    season[k] = additive ? gamma * (y[t]! - base) + (1 - gamma) * s : gamma * (y[t]! / base) + (1 - gamma) * s;
    level = next;
  }
  // Rotate so that season[0] belongs to the step after the last observation.
  const offset = y.length % m;
  const rotated = season.map((_, i) => season[(offset + i) % m]!);
  return { sse, fitted, final: { level, trend, season: rotated } };
}

/** α free in [0, 1]; β = u·α and γ = v·(1 − α) with u, v in [0, 1] (statsmodels' to_restricted). */
function fromUnitCube(u: number[]): HoltWintersParameters {
  const alpha = u[0]!;
  return { alpha, beta: u[1]! * alpha, gamma: u[2]! * (1 - alpha) };
}

function fitParameters(y: readonly number[], m: number, seasonality: Seasonality, initial: HoltWintersState): HoltWintersParameters {
  const objective = (u: number[]) => smooth(y, m, seasonality, fromUnitCube(u), initial, false).sse;
  const grid = [0.02, 0.1, 0.3, 0.5, 0.7, 0.9, 0.98];
  const starts: { u: number[]; value: number }[] = [];
  for (const a of grid) for (const b of grid) for (const g of grid) starts.push({ u: [a, b, g], value: objective([a, b, g]) });
  starts.sort((p, q) => p.value - q.value);
  let best = { x: starts[0]!.u, value: starts[0]!.value };
  for (const start of starts.slice(0, 4)) {
    // Restart from the optimum once: Nelder–Mead's simplex can collapse before reaching an edge of the box.
    let result = minimiseInBox(objective, start.u, [0, 0, 0], [1, 1, 1]);
    result = minimiseInBox(objective, result.x, [0, 0, 0], [1, 1, 1]);
    if (result.value < best.value) best = result;
  }
  return fromUnitCube(best.x);
}

function checkSeries(y: readonly number[], m: number, seasonality: Seasonality): void {
  if (!(Number.isInteger(m) && m >= 2)) throw new RangeError(`holtWinters: seasonLength must be a whole number ≥ 2, got ${m}`);
  if (y.length < 2 * m) throw new RangeError(`holtWinters: needs at least two seasons (${2 * m} observations) to start, got ${y.length}`);
  for (let i = 0; i < y.length; i++) {
    const v = y[i]!;
    if (!Number.isFinite(v)) throw new RangeError(`holtWinters: observation ${i} is not a finite number (${v})`);
    if (seasonality === 'multiplicative' && v <= 0) throw new RangeError(`holtWinters: multiplicative seasonality needs positive observations; observation ${i} is ${v}`);
  }
}
