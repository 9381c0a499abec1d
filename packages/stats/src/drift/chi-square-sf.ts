import { logGamma } from './log-gamma.js';

/**
 * Survival function of the chi-square distribution, P(X > x) for X ~ χ²(degreesOfFreedom), as the
 * regularised upper incomplete gamma Q(k/2, x/2). Numerical Recipes 3rd ed. §6.2: the series for P(a, x)
 * when x < a + 1 (then Q = 1 − P) and the Lentz continued fraction for Q(a, x) otherwise ("gser"/"gcf").
 */
export function chiSquareSf(x: number, degreesOfFreedom: number): number {
  if (Number.isNaN(x)) throw new RangeError('chiSquareSf: x is NaN');
  if (!(degreesOfFreedom > 0) || !Number.isFinite(degreesOfFreedom)) {
    throw new RangeError(`chiSquareSf: degreesOfFreedom is ${degreesOfFreedom}, expected a finite number > 0`);
  }
  if (x <= 0) return 1;
  if (x === Infinity) return 0;
  return regularizedUpperGamma(degreesOfFreedom / 2, x / 2);
}

/** Q(a, x) = Γ(a, x)/Γ(a), a > 0, x > 0. */
export function regularizedUpperGamma(a: number, x: number): number {
  const logPrefactor = -x + a * Math.log(x) - logGamma(a);
  if (x < a + 1) {
    // P(a, x) = e^(−x) x^a / Γ(a+1) · Σ xⁿ / ((a+1)…(a+n)).
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < 10_000; n++) {
      term *= x / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * 1e-17) break;
    }
    return 1 - sum * Math.exp(logPrefactor);
  }
  // Q(a, x) = e^(−x) x^a / Γ(a) · 1/(x+1−a− 1·(1−a)/(x+3−a− 2·(2−a)/(x+5−a− …))).
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 10_000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(logPrefactor) * h;
}
