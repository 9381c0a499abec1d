"""Golden values for packages/stats/src/cost/*.test.ts: Erlang C, the M/M/c sojourn-time quantile, capacity plans.

Run: /usr/bin/python3 packages/stats/golden/cost/erlang-golden.py   (Debian: apt-get install python3-scipy)

Independent of the TypeScript in three ways:
- Erlang C is the textbook ratio of factorial sums (Kleinrock 1975 vol. 1 §3.5), in exact rational arithmetic
  with fractions.Fraction, not the Erlang B recursion the code uses.
- The sojourn CDF is not the closed form the code uses: P(T <= t) = ∫_0^t P(W <= t - s) μ e^{-μs} ds is
  integrated numerically by scipy.integrate.quad from the wait's distribution alone
  (P(W <= x) = 1 - C e^{-(cμ-λ)x}), and solved for the quantile with scipy.optimize.brentq (xtol 1e-13).
- A Monte Carlo simulation of the FCFS M/M/c queue itself (Kiefer-Wolfowitz workload vector, numpy seed 7,
  400,000 customers after 20,000 warm-up) checks the quantiles (printed, not stored): measured -0.2% at ρ = 0.67 and -2% to -3% at ρ = 0.8 and 0.97,
  where the simulated queue mixes slowly; it guards against a wrong model, the integral against a wrong number.
- Batching: the bound capacityPlan uses (fill time at the (1+q)/2 quantile, scipy.stats.gamma.ppf, plus the batch
  sojourn at the same quantile) with the fewest c meeting it; a simulation of the real batched system (fixed
  batches in arrival order, FCFS, numpy seed 11) prints its p99 to show the bound holds (measured 20-50% slack).
"""
import json
import math
from fractions import Fraction

import numpy as np
from scipy import integrate, optimize, stats


def erlang_c_exact(c, a):
    """C(c, A) = (A^c/c! · c/(c-A)) / (Σ_{k<c} A^k/k! + A^c/c! · c/(c-A)), exactly."""
    a = Fraction(a)
    term = Fraction(1)
    total = Fraction(0)
    for k in range(c):
        total += term
        term = term * a / (k + 1)  # after the loop: A^c / c!
    top = term * c / (c - a)
    return top / (total + top)


def sojourn_cdf(c, lam, mu, t, pw):
    alpha = c * mu - lam
    integrand = lambda s: (1.0 - pw * math.exp(-alpha * (t - s))) * mu * math.exp(-mu * s)
    value, _ = integrate.quad(integrand, 0.0, t, epsabs=1e-15, epsrel=1e-13, limit=200)
    return value


def sojourn_quantile(c, lam, mu, q):
    pw = float(erlang_c_exact(c, Fraction(lam) / Fraction(mu)))
    hi = 1.0 / mu
    while sojourn_cdf(c, lam, mu, hi, pw) < q:
        hi *= 2
    return optimize.brentq(lambda t: sojourn_cdf(c, lam, mu, t, pw) - q, 0.0, hi, xtol=1e-13, rtol=1e-14, maxiter=500)


def simulate_quantile(c, lam, mu, q, n=400_000, warmup=20_000, seed=7):
    rng = np.random.default_rng(seed)
    gaps = rng.exponential(1 / lam, n + warmup)
    services = rng.exponential(1 / mu, n + warmup)
    free = np.zeros(c)  # workload vector: time until each server frees up (Kiefer & Wolfowitz 1955)
    sojourn = np.empty(n + warmup)
    for i in range(n + warmup):
        free = np.maximum(free - gaps[i], 0.0)
        j = int(np.argmin(free))
        wait = free[j]
        free[j] = wait + services[i]
        sojourn[i] = wait + services[i]
    return float(np.quantile(sojourn[warmup:], q))


def replicas_needed(qps, service_ms, p99_ms, q=0.99):
    mu = 1000.0 / service_ms
    c = max(1, math.floor(qps / mu) + 1)
    while sojourn_quantile(c, qps, mu, q) * 1000 > p99_ms:
        c += 1
    return c


# (c, A) pairs: small, a case checkable by hand (c=2, A=1 -> 1/3), heavy load, and large c.
erlang_cases = [(1, "0.5"), (2, "1"), (5, "4"), (6, "4"), (10, "8"), (20, "15.5"), (50, "45"), (100, "95"), (300, "290"), (1000, "950"), (2000, "1990")]
erlang = [{"servers": c, "load": float(Fraction(a)), "probability_of_waiting": float(erlang_c_exact(c, Fraction(a)))} for c, a in erlang_cases]

# (c, λ, μ, q): c=5, λ=40, μ=10 is the special case cμ − λ = μ; c=2, λ=1, μ=1 too (α = 1 = μ).
sojourn_cases = [(6, 40, 10, 0.99), (5, 40, 10, 0.99), (2, 1, 1, 0.5), (2, 1, 1, 0.99), (7, 40, 10, 0.999), (1, 0.5, 1, 0.9), (50, 450, 10, 0.99), (3, 2.9, 1, 0.95)]
sojourn = [{"servers": c, "arrival_rate": lam, "service_rate": mu, "q": q, "quantile": sojourn_quantile(c, lam, mu, q)} for c, lam, mu, q in sojourn_cases]

capacity_cases = [(40, 100, 500), (40, 100, 470), (1000, 50, 300), (5, 200, 2000), (120, 100, 465)]
capacity = [{"qps": qps, "service_ms": s, "p99_ms": p, "replicas": replicas_needed(qps, s, p)} for qps, s, p in capacity_cases]



def batched_bound(qps, size, batch_ms, c, q=0.99):
    """Upper bound on the q-quantile of fill + batch sojourn (union bound, (1 - q)/2 per side), in ms."""
    split = 1 - (1 - q) / 2
    fill = stats.gamma.ppf(split, a=size - 1, scale=1 / qps) if size > 1 else 0.0
    return (fill + sojourn_quantile(c, qps / size, 1000.0 / batch_ms, split)) * 1000, fill * 1000


def batched_replicas(qps, size, batch_ms, p99_ms):
    mu = 1000.0 / batch_ms
    c = max(1, math.floor(qps / size / mu) + 1)
    while batched_bound(qps, size, batch_ms, c)[0] > p99_ms:
        c += 1
        assert c < 10_000, "objective out of reach of the bound"
    return c


def simulate_batched_quantile(qps, size, batch_ms, c, q=0.99, batches=100_000, seed=11):
    """The real system: batches of `size` formed in arrival order, FCFS on c servers, exponential batch service."""
    rng = np.random.default_rng(seed)
    arrivals = np.cumsum(rng.exponential(1 / qps, batches * size)).reshape(batches, size)
    services = rng.exponential(batch_ms / 1000, batches)
    free = np.zeros(c)
    latencies = []
    for i in range(batches):
        ready = arrivals[i, -1]
        j = int(np.argmin(free))
        start = max(free[j], ready)
        free[j] = start + services[i]
        latencies.append(free[j] - arrivals[i])
    return float(np.quantile(np.concatenate(latencies[batches // 20:]), q)) * 1000


batch_cases = [(400, 8, 100, 600), (1000, 32, 250, 1500), (50, 4, 150, 1200)]
batched = []
for qps, size, batch_ms, p99 in batch_cases:
    c = batched_replicas(qps, size, batch_ms, p99)
    bound, fill = batched_bound(qps, size, batch_ms, c)
    batched.append({"qps": qps, "size": size, "batch_service_ms": batch_ms, "p99_ms": p99, "replicas": c, "bound_ms": bound, "fill_ms": fill})

print(json.dumps({"erlang": erlang, "sojourn": sojourn, "capacity": capacity, "batched": batched}, indent=2))

for b in batched:
    real = simulate_batched_quantile(b["qps"], b["size"], b["batch_service_ms"], b["replicas"])
    print(f"# batched {b['qps']} qps, b={b['size']}, {b['replicas']} replicas: simulated p99 {real:.1f} ms <= bound {b['bound_ms']:.1f} ms: {real <= b['bound_ms']}")

for c, lam, mu, q in [(6, 40, 10, 0.99), (5, 40, 10, 0.99), (3, 2.9, 1, 0.95)]:
    exact = sojourn_quantile(c, lam, mu, q)
    simulated = simulate_quantile(c, lam, mu, q)
    print(f"# Monte Carlo c={c} λ={lam} μ={mu} q={q}: simulated {simulated:.6f} vs integrated {exact:.6f} ({(simulated / exact - 1) * 100:+.2f}%)")
