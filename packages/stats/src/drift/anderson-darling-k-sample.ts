import { assertSample } from './drift-input.js';

export interface AndersonDarlingResult {
  /** The standardised statistic (A²akN − (k − 1)) / σ, as scipy returns it. */
  readonly statistic: number;
  /** Interpolated from Scholz & Stephens' table, so only known within [0.001, 0.25]: capped there, as scipy does. */
  readonly pValue: number;
}

// Scholz & Stephens (1987), "K-sample Anderson–Darling tests", JASA 82(399), Table 2 interpolation
// coefficients, as in scipy.stats.anderson_ksamp (scipy 1.10 `_morestats.py`).
const B0 = [0.675, 1.281, 1.645, 1.96, 2.326, 2.573, 3.085];
const B1 = [-0.245, 0.25, 0.678, 1.149, 1.822, 2.364, 3.615];
const B2 = [-0.105, -0.305, -0.362, -0.391, -0.396, -0.345, -0.154];
const SIGNIFICANCE = [0.25, 0.1, 0.05, 0.025, 0.01, 0.005, 0.001];

/**
 * k-sample Anderson–Darling test of samples from one distribution, midrank version (A²akN, Scholz &
 * Stephens eq. 7), standardised, with scipy.stats.anderson_ksamp(samples, midrank=True)'s p-value: a
 * quadratic fitted to log(significance) against the critical values, capped to [0.001, 0.25].
 */
export function andersonDarlingKSample(samples: readonly Float64Array[]): AndersonDarlingResult {
  const k = samples.length;
  if (k < 2) throw new RangeError('andersonDarlingKSample: needs at least two samples');
  samples.forEach((s, i) => assertSample(s, `andersonDarlingKSample: samples[${i}]`));
  const sorted = samples.map((s) => Float64Array.from(s).sort());
  const sizes = sorted.map((s) => s.length);
  const total = sizes.reduce((a, b) => a + b, 0);
  const pooled = new Float64Array(total);
  let offset = 0;
  for (const s of sorted) {
    pooled.set(s, offset);
    offset += s.length;
  }
  pooled.sort();
  if (pooled[0] === pooled[total - 1]) {
    throw new RangeError('andersonDarlingKSample: all values are equal; the test needs more than one distinct value');
  }
  if (total < 4) throw new RangeError(`andersonDarlingKSample: ${total} values in all; the variance needs at least 4`);

  // Walk the distinct pooled values z_j: l_j ties, B_j = (# pooled < z_j) + l_j/2, and per sample
  // M_ij = (# ≤ z_j) − f_ij/2 where f_ij are its ties at z_j.
  const cursor = new Array<number>(k).fill(0);
  const sums = new Array<number>(k).fill(0);
  for (let left = 0; left < total; ) {
    const z = pooled[left]!;
    let right = left;
    while (right < total && pooled[right] === z) right++;
    const l = right - left;
    const b = left + l / 2;
    const denominator = b * (total - b) - (total * l) / 4;
    for (let i = 0; i < k; i++) {
      const s = sorted[i]!;
      const below = cursor[i]!;
      let upTo = below;
      while (upTo < s.length && s[upTo] === z) upTo++;
      cursor[i] = upTo;
      const m = upTo - (upTo - below) / 2;
      const deviation = total * m - b * sizes[i]!;
      sums[i] = sums[i]! + ((l / total) * deviation * deviation) / denominator;
    }
    left = right;
  }
  let a2 = 0;
  for (let i = 0; i < k; i++) a2 += sums[i]! / sizes[i]!;
  a2 *= (total - 1) / total;

  // Variance of A²akN under the null (Scholz & Stephens eq. 4, with a, b, c, d as in scipy).
  let H = 0;
  for (const n of sizes) H += 1 / n;
  // h = Σ_{i=1}^{N−1} 1/i and g = Σ_{i=1}^{N−2} Σ_{j=i+1}^{N−1} 1/((N−i) j), summed in scipy's order
  // (hs_cs = cumsum(1/arange(N−1, 1, −1)); g = Σ hs_cs / arange(2, N)).
  let g = 0;
  let tail = 0;
  for (let i = total - 1; i >= 2; i--) {
    tail += 1 / i;
    g += tail / (total - i + 1);
  }
  const h = tail + 1;
  const a = (4 * g - 6) * (k - 1) + (10 - 6 * g) * H;
  const bb = (2 * g - 4) * k * k + 8 * h * k + (2 * g - 14 * h - 4) * H - 8 * h + 4 * g - 6;
  const c = (6 * h + 2 * g - 2) * k * k + (4 * h - 4 * g + 6) * k + (2 * h - 6) * H + 4 * h;
  const d = (2 * h + 6) * k * k - 4 * h * k;
  const N = total;
  const sigmaSquared = (a * N ** 3 + bb * N ** 2 + c * N + d) / ((N - 1) * (N - 2) * (N - 3));
  const m = k - 1;
  const statistic = (a2 - m) / Math.sqrt(sigmaSquared);

  const critical = B0.map((b0, i) => b0 + B1[i]! / Math.sqrt(m) + B2[i]! / m);
  let pValue: number;
  if (statistic < Math.min(...critical)) pValue = Math.max(...SIGNIFICANCE);
  else if (statistic > Math.max(...critical)) pValue = Math.min(...SIGNIFICANCE);
  else {
    const [c0, c1, c2] = fitQuadratic(critical, SIGNIFICANCE.map(Math.log));
    pValue = Math.exp(c0 + c1 * statistic + c2 * statistic * statistic);
  }
  return { statistic, pValue };
}

// Least-squares y ≈ c0 + c1·x + c2·x² (numpy.polyfit(x, y, 2)) through the normal equations, centred on the
// mean of x to keep them well conditioned.
function fitQuadratic(xs: readonly number[], ys: readonly number[]): [number, number, number] {
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  const m = [
    [0, 0, 0, 0],
    [0, 0, 0, 0],
    [0, 0, 0, 0],
  ];
  xs.forEach((x0, i) => {
    const x = x0 - mean;
    const row = [1, x, x * x];
    for (let r = 0; r < 3; r++) {
      for (let c = 0; c < 3; c++) m[r]![c] = m[r]![c]! + row[r]! * row[c]!;
      m[r]![3] = m[r]![3]! + row[r]! * ys[i]!;
    }
  });
  // Gauss–Jordan elimination with partial pivoting on the 3×4 augmented matrix.
  for (let col = 0; col < 3; col++) {
    let pivot = col;
    for (let r = col + 1; r < 3; r++) if (Math.abs(m[r]![col]!) > Math.abs(m[pivot]![col]!)) pivot = r;
    [m[col], m[pivot]] = [m[pivot]!, m[col]!];
    for (let r = 0; r < 3; r++) {
      if (r === col) continue;
      const f = m[r]![col]! / m[col]![col]!;
      for (let c = col; c < 4; c++) m[r]![c] = m[r]![c]! - f * m[col]![c]!;
    }
  }
  const u0 = m[0]![3]! / m[0]![0]!;
  const u1 = m[1]![3]! / m[1]![1]!;
  const u2 = m[2]![3]! / m[2]![2]!;
  // Back from powers of (x − mean) to powers of x.
  return [u0 - u1 * mean + u2 * mean * mean, u1 - 2 * u2 * mean, u2];
}
