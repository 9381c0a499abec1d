// Exact null distribution of the two-sample two-sided Kolmogorov–Smirnov statistic, ported from
// scipy.stats.ks_2samp (scipy 1.10, `_attempt_exact_2kssamp`): lattice-path counting after
// Hodges, "The significance probability of the Smirnov two-sample test", Arkiv för Matematik 3 (1958),
// with Viehmann's recursion for 1 − p (arXiv:2102.08037) when the sizes differ.

/**
 * P(D ≥ d) for samples of sizes n1 and n2 under the null, with d snapped to the lattice h/lcm(n1, n2) as scipy
 * does. Returns null when floating point cannot represent the computation (the caller then falls back on
 * the asymptotic distribution, like scipy).
 */
export function ksTwoSampleExactSf(n1: number, n2: number, d: number): number | null {
  const g = gcd(n1, n2);
  const lcm = (n1 / g) * n2;
  const h = roundHalfEven(d * lcm);
  if (h === 0) return 1;
  const p = n1 === n2 ? probabilityOutsideSquare(n1, h) : outerProbabilityInsideMethod(n1, n2, g, h);
  return Number.isFinite(p) && p >= 0 && p <= 1 ? p : null;
}

// Pr(D_{n,n} ≥ h/n) = 2 Σ_k (−1)^(k−1) C(2n, n − kh)/C(2n, n), in Horner form to avoid cancellation.
function probabilityOutsideSquare(n: number, h: number): number {
  let p = 0;
  for (let k = Math.floor(n / h); k >= 0; k--) {
    let p1 = 1;
    for (let j = 0; j < h; j++) p1 = ((n - k * h - j) * p1) / (n + k * h + j + 1);
    p = p1 * (1 - p);
  }
  return 2 * p;
}

// Share of lattice paths from (0,0) to (m,n) that leave the band |x/m − y/n| < h/lcm, one column at a time.
function outerProbabilityInsideMethod(m0: number, n0: number, g: number, h: number): number {
  const m = Math.max(m0, n0);
  const n = Math.min(m0, n0);
  const mg = m / g;
  const ng = n / g;
  let minj = 0;
  let maxj = Math.min(Math.ceil(h / mg), n + 1);
  let curlen = maxj - minj;
  const lenA = Math.min(2 * maxj + 2, n + 1);
  const a = new Float64Array(lenA).fill(1);
  a.fill(0, minj, maxj);
  for (let i = 1; i <= m; i++) {
    const lastminj = minj;
    const lastlen = curlen;
    minj = Math.min(Math.max(Math.floor((ng * i - h) / mg) + 1, 0), n);
    maxj = Math.min(Math.ceil((ng * i + h) / mg), n + 1);
    if (maxj <= minj) return 1;
    let val = minj === 0 ? 0 : 1;
    for (let jj = 0; jj < maxj - minj; jj++) {
      const j = jj + minj;
      val = (a[jj + minj - lastminj]! * i + val * j) / (i + j);
      a[jj] = val;
    }
    curlen = maxj - minj;
    if (lastlen > curlen) a.fill(1, maxj - minj, maxj - minj + (lastlen - curlen));
  }
  return a[maxj - minj - 1]!;
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/** numpy's round(): halves go to the even neighbour. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}
