import { erfc } from '../drift/normal-sf.js';

// Acklam's rational approximation to the standard normal quantile (relative error < 1.15e-9), coefficients
// from P. J. Acklam, "An algorithm for computing the inverse normal cumulative distribution function" (2003).
const A = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
const B = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
const C = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
const D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];

/**
 * The standard normal quantile Φ⁻¹(p), for p in (0, 1): Acklam's approximation refined by one Halley step
 * on Φ(x) = erfc(−x/√2)/2, which brings it to full double precision.
 *
 * @example normalQuantile(0.975) // 1.959963984540054
 */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`normalQuantile: p must be in (0, 1), got ${p}`);
  // Φ⁻¹(p) = −Φ⁻¹(1 − p), and 1 − p is exact for p ≥ ½ (Sterbenz): solving in the lower tail keeps the
  // refinement below accurate where Φ(x) − p would cancel.
  if (p > 0.5) return -normalQuantile(1 - p);
  const low = 0.02425;
  let x: number;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    x = (((((C[0]! * q + C[1]!) * q + C[2]!) * q + C[3]!) * q + C[4]!) * q + C[5]!) / ((((D[0]! * q + D[1]!) * q + D[2]!) * q + D[3]!) * q + 1);
  } else {
    const q = p - 0.5;
    const r = q * q;
    x = ((((((A[0]! * r + A[1]!) * r + A[2]!) * r + A[3]!) * r + A[4]!) * r + A[5]!) * q) /
      (((((B[0]! * r + B[1]!) * r + B[2]!) * r + B[3]!) * r + B[4]!) * r + 1);
  }
  // Halley's step (Acklam 2003, "refinement"): e = Φ(x) − p, u = e·√(2π)·exp(x²/2), x ← x − u/(1 + x·u/2).
  const e = 0.5 * erfc(-x / Math.SQRT2) - p;
  const u = e * Math.sqrt(2 * Math.PI) * Math.exp((x * x) / 2);
  return x - u / (1 + (x * u) / 2);
}
