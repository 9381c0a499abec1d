export interface EwmaChartOptions {
  /** In-control mean μ₀ of the metric (from a reference period). */
  target: number;
  /** Standard deviation σ of one row's contribution (e.g. √(p(1−p)) for an error rate); a window of n rows has σ/√n. */
  sigma: number;
  /** Per-window number of rows n_i (labelled predictions). Omitted: every window counts as one observation. */
  sampleSizes?: ArrayLike<number>;
  /** Smoothing weight λ in (0, 1]; smaller smooths more. 0.2 by default (Montgomery recommends 0.05–0.25). */
  lambda?: number;
  /** Width L of the limits in standard deviations; 3 by default (2.7 is common with λ = 0.1). */
  limitWidth?: number;
}

export interface EwmaPoint {
  value: number;
  smoothed: number;
  lower: number;
  upper: number;
  alert: boolean;
}

/**
 * EWMA control chart (Roberts 1959; Montgomery, Introduction to Statistical Quality Control, 7th ed.,
 * §9.2, eqs. 9.22–9.25): zᵢ = λxᵢ + (1−λ)zᵢ₋₁ with z₀ = μ₀, limits μ₀ ± L·√Var(zᵢ), alert outside them.
 *
 * Sample size: window i has variance σ²/nᵢ, so Var(zᵢ) = Σⱼ λ²(1−λ)^{2(i−j)} σ²/nⱼ, computed by the
 * recursion Var(zᵢ) = (1−λ)²Var(zᵢ₋₁) + λ²σ²/nᵢ. With every nᵢ = 1 this is Montgomery's exact-limit form
 * σ²·λ/(2−λ)·(1 − (1−λ)^{2i}); a window with 30 labels widens the limits far more than one with 30,000.
 * The smoothing itself is the plain EWMA, so the chart's run-length properties for equal n are the textbook ones.
 *
 * @example ewmaChart(errorRates, { target: 0.05, sigma: Math.sqrt(0.05 * 0.95), sampleSizes: labelled })
 */
export function ewmaChart(values: ArrayLike<number>, options: EwmaChartOptions): EwmaPoint[] {
  const { target, sigma, sampleSizes, lambda = 0.2, limitWidth = 3 } = options;
  const n = values.length;
  if (n === 0) throw new RangeError('ewmaChart: values is empty');
  if (!Number.isFinite(target)) throw new RangeError(`ewmaChart: target is ${target}, expected a finite number`);
  if (!(sigma > 0 && Number.isFinite(sigma))) throw new RangeError(`ewmaChart: sigma is ${sigma}, expected a positive number`);
  if (!(lambda > 0 && lambda <= 1)) throw new RangeError(`ewmaChart: lambda is ${lambda}, expected a number in (0, 1]`);
  if (!(limitWidth > 0 && Number.isFinite(limitWidth))) throw new RangeError(`ewmaChart: limitWidth is ${limitWidth}, expected a positive number`);
  if (sampleSizes !== undefined && sampleSizes.length !== n) {
    throw new RangeError(`ewmaChart: values has ${n} windows but sampleSizes has ${sampleSizes.length}`);
  }
  const points: EwmaPoint[] = [];
  const decay = (1 - lambda) * (1 - lambda);
  let smoothed = target;
  let variance = 0;
  for (let i = 0; i < n; i++) {
    const value = values[i]!;
    if (!Number.isFinite(value)) throw new RangeError(`ewmaChart: values[${i}] is ${value}, expected a finite number`);
    const size = sampleSizes === undefined ? 1 : sampleSizes[i]!;
    if (!(size > 0 && Number.isFinite(size))) {
      throw new RangeError(`ewmaChart: sampleSizes[${i}] is ${size}; a window with no labelled rows has no metric, leave it out`);
    }
    smoothed = lambda * value + (1 - lambda) * smoothed;
    variance = decay * variance + (lambda * lambda * sigma * sigma) / size;
    const halfWidth = limitWidth * Math.sqrt(variance);
    const lower = target - halfWidth;
    const upper = target + halfWidth;
    points.push({ value, smoothed, lower, upper, alert: smoothed < lower || smoothed > upper });
  }
  return points;
}
