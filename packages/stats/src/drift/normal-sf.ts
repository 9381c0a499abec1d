const SQRT_PI = Math.sqrt(Math.PI);

/**
 * Complementary error function erfc(x) = (2/√π) ∫ₓ^∞ e^(−t²) dt, to about 1e-15 relative.
 * |x| < 2: the everywhere-positive series of Abramowitz & Stegun 7.1.6,
 *   erf x = (2/√π) e^(−x²) Σₙ 2ⁿ x^(2n+1) / (1·3·…·(2n+1)), then erfc = 1 − erf (erf ≤ 0.9954 there, so no
 *   catastrophic cancellation).
 * x ≥ 2: the continued fraction of A&S 7.1.14, √π e^(x²) erfc x = 1/(x+ ½/(x+ 1/(x+ 3/2/(x+ …)))), evaluated
 *   with the modified Lentz method (Numerical Recipes 3rd ed. §5.2).
 */
export function erfc(x: number): number {
  if (Number.isNaN(x)) throw new RangeError('erfc: x is NaN');
  if (x === Infinity) return 0;
  if (x === -Infinity) return 2;
  if (Math.abs(x) < 2) return 1 - erfSeries(x);
  if (x < 0) return 2 - erfc(-x);
  return (Math.exp(-x * x) / SQRT_PI) * continuedFraction(x);
}

function erfSeries(x: number): number {
  const x2 = x * x;
  let term = x;
  let sum = x;
  for (let n = 1; n < 200; n++) {
    term *= (2 * x2) / (2 * n + 1);
    sum += term;
    if (Math.abs(term) < 1e-17 * Math.abs(sum)) break;
  }
  return (2 / SQRT_PI) * Math.exp(-x2) * sum;
}

// 1/(x + a₁/(x + a₂/(x + …))) with aₖ = k/2, by modified Lentz.
function continuedFraction(x: number): number {
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let k = 1; k < 5000; k++) {
    const a = k / 2;
    d = x + a * d;
    d = d === 0 ? tiny : d;
    c = x + a / c;
    c = c === 0 ? tiny : c;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return 1 / f;
}

/** Upper tail of the standard normal, P(Z > z) = ½ erfc(z/√2); accurate far into the tail, unlike 1 − Φ(z). */
export function normalSf(z: number): number {
  return 0.5 * erfc(z / Math.SQRT2);
}
