import { normalQuantile } from './normal-quantile.js';

/** A point estimate of a proportion or metric and its confidence interval. */
export interface Estimate {
  value: number;
  lower: number;
  upper: number;
}

/**
 * Wilson score interval for a binomial proportion (Wilson 1927; Brown, Cai & DasGupta 2001, eq. 4):
 * centre (x + z²/2)/(n + z²), half-width z·√(x(n−x)/n + z²/4)/(n + z²), z = Φ⁻¹(1 − α/2). Unlike the
 * Wald interval it stays inside [0, 1] and keeps its coverage at 0 or n successes and for small n.
 *
 * @example wilsonInterval(1, 10) // { value: 0.1, lower: 0.0179, upper: 0.4042 }
 */
export function wilsonInterval(successes: number, trials: number, confidence = 0.95): Estimate {
  if (!Number.isInteger(trials) || trials < 1) throw new RangeError(`wilsonInterval: trials must be a positive integer, got ${trials}`);
  if (!Number.isInteger(successes) || successes < 0 || successes > trials) {
    throw new RangeError(`wilsonInterval: successes must be an integer in [0, trials = ${trials}], got ${successes}`);
  }
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`wilsonInterval: confidence must be in (0, 1), got ${confidence}`);
  const z = normalQuantile(1 - (1 - confidence) / 2);
  const z2 = z * z;
  const denominator = trials + z2;
  const centre = (successes + z2 / 2) / denominator;
  const halfWidth = (z * Math.sqrt((successes * (trials - successes)) / trials + z2 / 4)) / denominator;
  return { value: successes / trials, lower: Math.max(0, centre - halfWidth), upper: Math.min(1, centre + halfWidth) };
}
