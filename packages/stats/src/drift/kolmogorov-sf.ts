// The survival function of the one-sample two-sided Kolmogorov–Smirnov statistic Dₙ, P(Dₙ ≥ x), following
// scipy.stats.kstwo.sf (scipy/stats/_ksstats.py `_kolmogn`, after Simard & L'Ecuyer, "Computing the
// two-sided Kolmogorov-Smirnov distribution", J. Stat. Softw. 39(11), 2011). ks2samp's asymptotic mode
// evaluates it at n = round(m·n/(m+n)), as scipy.stats.ks_2samp(method='asymp') does.
//
// Implemented branches: the Ruben–Gambino exact tails (n·x ≤ 1, n·x ≥ n − 1), 2·smirnov(n, x) (exact for
// x ≥ 0.5, Miller's approximation for n·x² ≥ 2.2), and the Pelz–Good asymptotic series otherwise. scipy
// additionally uses the Durbin matrix and Pomeranz recursions for n ≤ 140 and for n·x^1.5 ≤ 1.4 (p near 1);
// here Pelz–Good stands in for them, so for n ≤ 140 the result differs from scipy's in the 3rd–5th digit.

const PI2 = Math.PI * Math.PI;
const PI4 = PI2 * PI2;
const PI6 = PI4 * PI2;
const SQRT2PI = Math.sqrt(2 * Math.PI);
const SQRT3 = Math.sqrt(3);
const MIN_LOG = -708;

/** P(Dₙ ≥ x) for the one-sample two-sided Kolmogorov–Smirnov statistic with n observations. */
export function kolmogorovSf(n: number, x: number): number {
  if (!Number.isInteger(n) || n <= 0) throw new RangeError(`kolmogorovSf: n is ${n}, expected a positive integer`);
  if (Number.isNaN(x)) throw new RangeError('kolmogorovSf: x is NaN');
  if (x >= 1) return 0;
  if (x <= 0) return 1;
  const t = n * x;
  if (t <= 1) {
    if (t <= 0.5) return 1;
    // Ruben & Gambino (1982): P(Dₙ ≤ x) = n!/nⁿ (2t − 1)ⁿ for 1/(2n) ≤ x ≤ 1/n.
    let logCdf = n * Math.log(2 * t - 1);
    for (let i = 1; i <= n; i++) logCdf += Math.log(i / n);
    return clip01(1 - Math.exp(logCdf));
  }
  if (t >= n - 1) return clip01(2 * Math.pow(1 - x, n));
  if (x >= 0.5) return clip01(2 * smirnovSf(n, x));
  const nxSquared = t * x;
  if (nxSquared >= 370) return 0;
  if (nxSquared >= 2.2) return clip01(2 * smirnovSf(n, x));
  return clip01(pelzGoodSf(n, x));
}

/**
 * One-sided P(Dₙ⁺ ≥ x), the Birnbaum & Tingey (1951) exact sum
 * x Σ_{j=0}^{⌊n(1−x)⌋} C(n, j) (1 − x − j/n)^(n−j) (x + j/n)^(j−1), summed in logs (scipy.special.smirnov).
 */
export function smirnovSf(n: number, x: number): number {
  if (x <= 0) return 1;
  if (x >= 1) return 0;
  const last = Math.floor(n * (1 - x) + 1e-12);
  let logBinomial = 0; // ln C(n, 0)
  let sum = 0;
  for (let j = 0; j <= last; j++) {
    if (j > 0) logBinomial += Math.log((n - j + 1) / j);
    const rest = 1 - x - j / n;
    if (rest <= 0) {
      if (n - j === 0) sum += Math.exp(logBinomial + (j - 1) * Math.log(x + j / n));
      continue;
    }
    sum += Math.exp(logBinomial + (n - j) * Math.log(rest) + (j - 1) * Math.log(x + j / n));
  }
  return x * sum;
}

// Pelz & Good (1976), "Approximating the lower tail-areas of the Kolmogorov-Smirnov one-sample statistic",
// JRSS B 38(2): P(Dₙ ≤ x) ≈ K₀(z) + K₁(z)/√n + K₂(z)/n + K₃(z)/n^1.5 with z = x√n, in scipy's arrangement.
function pelzGoodSf(n: number, x: number): number {
  const z = Math.sqrt(n) * x;
  const z2 = z * z;
  const z4 = z2 * z2;
  const z6 = z4 * z2;
  const qlog = -PI2 / 8 / z2;
  if (qlog < MIN_LOG) return 1;
  let q = Math.exp(qlog);
  const k1a = -z2;
  const k1b = PI2 / 4;
  const k2a = 6 * z6 + 2 * z4;
  const k2b = ((2 * z4 - 5 * z2) * PI2) / 4;
  const k2c = (PI4 * (1 - 2 * z2)) / 16;
  const k3d = (PI6 * (5 - 30 * z2)) / 64;
  const k3c = (PI4 * (-60 * z2 + 212 * z4)) / 16;
  const k3b = (PI2 * (135 * z4 - 96 * z6)) / 4;
  const k3a = -30 * z6 - 90 * z4 * z4;
  const k = [0, 0, 0, 0];
  const maxk = Math.ceil((16 * z) / Math.PI);
  for (let i = maxk; i >= 1; i--) {
    const m = 2 * i - 1;
    const m2 = m * m;
    const m4 = m2 * m2;
    const m6 = m4 * m2;
    const qpower = Math.pow(q, 8 * i);
    const coefficients = [1, k1a + k1b * m2, k2a + k2b * m2 + k2c * m4, k3a + k3b * m2 + k3c * m4 + k3d * m6];
    for (let r = 0; r < 4; r++) k[r] = k[r]! * qpower + coefficients[r]!;
  }
  const divisors = [z, 6 * z4, 72 * z4 * z2 * z, 6480 * z4 * z6];
  for (let r = 0; r < 4; r++) k[r] = (k[r]! * q * SQRT2PI) / divisors[r]!;
  q = Math.exp(-PI2 / 2 / z2);
  let k2extra = 0;
  let k3extra = 0;
  const sqrt3z = SQRT3 * z;
  for (let i = maxk; i >= 1; i--) {
    const i2 = i * i;
    const qpower = Math.pow(q, i2);
    const kpi = Math.PI * i;
    k2extra += i2 * qpower;
    k3extra += (sqrt3z + kpi) * (sqrt3z - kpi) * i2 * qpower;
  }
  k[2] = k[2]! + (k2extra * PI2 * SQRT2PI) / (-36 * z2 * z);
  k[3] = k[3]! + (k3extra * PI2 * SQRT2PI) / (216 * z6);
  let cdf = 0;
  for (let r = 0; r < 4; r++) cdf += k[r]! / Math.pow(n, r / 2);
  return 1 - cdf;
}

function clip01(p: number): number {
  return Math.min(1, Math.max(0, p));
}
