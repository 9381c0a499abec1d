export interface LocalLevelVariances {
  /** σ²_ε: variance of one row's contribution; window t has observation variance σ²_ε / n_t. */
  irregularVariance: number;
  /** σ²_η: variance of the level's random-walk step between windows. */
  levelVariance: number;
}

export interface LocalLevelFilter {
  /** Filtered level a_{t|t}: the estimate of the metric's true level after window t. */
  filtered: Float64Array;
  /** Its variance P_{t|t}. */
  filteredVariance: Float64Array;
  /** One-step prediction errors v_t = y_t − a_{t|t−1} and their variances F_t (index 0 holds 0: the first window has no prediction). */
  innovations: Float64Array;
  innovationVariances: Float64Array;
  /** Gaussian log-likelihood by the prediction-error decomposition, Σ_{t≥2} −½(log 2π + log F_t + v_t²/F_t). */
  logLikelihood: number;
}

/**
 * Kalman filter for the local level model (Durbin & Koopman, Time Series Analysis by State Space Methods,
 * 2nd ed., §2.2, eq. 2.15): y_t = μ_t + ε_t, ε_t ~ N(0, σ²_ε/n_t); μ_{t+1} = μ_t + η_t, η_t ~ N(0, σ²_η).
 * Recursion: v = y_t − a, F = P + σ²_ε/n_t, K = P/F, a ← a + K·v, P ← P(1 − K) then P ← P + σ²_η.
 *
 * The level starts diffuse (exact diffuse initialisation, D&K §2.9): after the first window the level is y₁
 * with variance σ²_ε/n₁, and the first window adds only a constant to the likelihood, which is left out.
 * With every n_t equal to 1 this is statsmodels' `UnobservedComponents(y, 'llevel')`.
 */
export function localLevelFilter(values: ArrayLike<number>, variances: LocalLevelVariances, sampleSizes?: ArrayLike<number>): LocalLevelFilter {
  const { irregularVariance: s2eps, levelVariance: s2eta } = variances;
  const n = values.length;
  if (n === 0) throw new RangeError('localLevelFilter: values is empty');
  if (!(s2eps > 0 && Number.isFinite(s2eps))) throw new RangeError(`localLevelFilter: irregularVariance is ${s2eps}, expected a positive number`);
  if (!(s2eta >= 0 && Number.isFinite(s2eta))) throw new RangeError(`localLevelFilter: levelVariance is ${s2eta}, expected a non-negative number`);
  if (sampleSizes !== undefined && sampleSizes.length !== n) {
    throw new RangeError(`localLevelFilter: values has ${n} windows but sampleSizes has ${sampleSizes.length}`);
  }
  const size = (t: number): number => {
    const s = sampleSizes === undefined ? 1 : sampleSizes[t]!;
    if (!(s > 0 && Number.isFinite(s))) throw new RangeError(`localLevelFilter: sampleSizes[${t}] is ${s}, expected a positive number`);
    return s;
  };
  const value = (t: number): number => {
    const y = values[t]!;
    if (!Number.isFinite(y)) throw new RangeError(`localLevelFilter: values[${t}] is ${y}, expected a finite number`);
    return y;
  };
  const filtered = new Float64Array(n);
  const filteredVariance = new Float64Array(n);
  const innovations = new Float64Array(n);
  const innovationVariances = new Float64Array(n);
  let a = value(0);
  let p = s2eps / size(0);
  filtered[0] = a;
  filteredVariance[0] = p;
  let logLikelihood = 0;
  for (let t = 1; t < n; t++) {
    const predictedVariance = p + s2eta;
    const f = predictedVariance + s2eps / size(t);
    const v = value(t) - a;
    const gain = predictedVariance / f;
    a += gain * v;
    p = predictedVariance * (1 - gain);
    filtered[t] = a;
    filteredVariance[t] = p;
    innovations[t] = v;
    innovationVariances[t] = f;
    logLikelihood -= 0.5 * (Math.log(2 * Math.PI) + Math.log(f) + (v * v) / f);
  }
  return { filtered, filteredVariance, innovations, innovationVariances, logLikelihood };
}
