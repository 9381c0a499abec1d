"""Golden values for packages/stats/src/drift/*.test.ts, computed with scipy.

Run: /usr/bin/python3 packages/stats/golden/drift/make-golden.py   (Debian: apt-get install python3-scipy)
Writes golden.ts next to this script: the samples themselves (so the tests need neither Python nor a random
generator), and scipy's statistic and p-value for every case. A TypeScript module rather than JSON because
the tests' tsconfig does not enable resolveJsonModule.

Where scipy has the method it is called (ks_2samp, anderson_ksamp, mannwhitneyu, wasserstein_distance,
chisquare, distance.jensenshannon, stats.entropy, special.erfc, chi2.sf, kstwo.sf, special.smirnov); PSI,
Hellinger and the Z-test are computed here in numpy from their documented formulas. The binning and
empty-bin filling follow Evidently's get_binned_data (see aligned-proportions.ts).
"""
import json
import math
import os
import warnings

import numpy as np
import scipy
from scipy import special, stats
from scipy.spatial import distance

warnings.simplefilter("ignore")  # anderson_ksamp warns when it caps its p-value; the cap is what we test

rng = np.random.default_rng(20240603)


def sample(values):
    return {"type": "sample", "values": [float(v) for v in values]}


def categories(counts):
    return {"type": "categories", "counts": {str(k): int(v) for k, v in counts.items()}}


def bins(counts):
    return {"type": "bins", "counts": [int(c) for c in counts]}


def counts_of(inp):
    """Counts keyed like categoryCounts in TypeScript (numbers for samples, indices for bins)."""
    if inp["type"] == "sample":
        values, counts = np.unique(inp["values"], return_counts=True)
        return dict(zip(values.tolist(), counts.tolist()))
    if inp["type"] == "bins":
        return dict(enumerate(inp["counts"]))
    return dict(inp["counts"])


def sorted_union(a, b):
    keys = set(a) | set(b)
    return sorted(keys, key=lambda k: (isinstance(k, str), k))


def binned(ref, cur, fill):
    """Evidently's get_binned_data: 30 equal-width bins when the reference has > 20 distinct values."""
    if ref["type"] == "sample" and len(np.unique(ref["values"])) > 20:
        r, c = np.asarray(ref["values"]), np.asarray(cur["values"])
        edges = np.histogram_bin_edges(np.concatenate([r, c]), bins=30)
        rp = np.histogram(r, edges)[0] / len(r)
        cp = np.histogram(c, edges)[0] / len(c)
    else:
        rc, cc = counts_of(ref), counts_of(cur)
        keys = sorted_union(rc, cc)
        rp = np.array([rc.get(k, 0) for k in keys], dtype=float)
        cp = np.array([cc.get(k, 0) for k in keys], dtype=float)
        rp, cp = rp / rp.sum(), cp / cp.sum()
    if fill:
        for p in (rp, cp):
            smallest = p[p != 0].min()
            np.place(p, p == 0, smallest / 10**6 if smallest <= 0.0001 else 0.0001)
    return rp, cp


def ks(ref, cur):
    r = stats.ks_2samp(ref["values"], cur["values"], method="auto")
    return r.statistic, r.pvalue


def wasserstein(ref, cur):
    return stats.wasserstein_distance(ref["values"], cur["values"]) / max(np.std(ref["values"]), 0.001), None


def anderson(ref, cur):
    r = stats.anderson_ksamp([ref["values"], cur["values"]], midrank=True)
    return r.statistic, r.significance_level


def mannw(ref, cur):
    r = stats.mannwhitneyu(ref["values"], cur["values"], alternative="two-sided", method="asymptotic")
    return r.statistic, r.pvalue


def chisquare(ref, cur):
    rc, cc = counts_of(ref), counts_of(cur)
    keys = [k for k in sorted_union(rc, cc) if rc.get(k, 0) + cc.get(k, 0) > 0]
    n_ref, n_cur = sum(rc.values()), sum(cc.values())
    observed = [cc.get(k, 0) for k in keys]
    expected = [rc.get(k, 0) * n_cur / n_ref for k in keys]
    r = stats.chisquare(observed, expected)
    return r.statistic, r.pvalue


def z(ref, cur):
    rc, cc = counts_of(ref), counts_of(cur)
    first = sorted_union(rc, cc)[0]
    n1, n2 = sum(rc.values()), sum(cc.values())
    p1, p2 = (n1 - rc.get(first, 0)) / n1, (n2 - cc.get(first, 0)) / n2
    pooled = (p1 * n1 + p2 * n2) / (n1 + n2)
    zz = (p1 - p2) / math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    return zz, 2 * stats.norm.sf(abs(zz))


def jensenshannon(ref, cur):
    rp, cp = binned(ref, cur, fill=False)
    return distance.jensenshannon(rp, cp, base=2), None


def psi(ref, cur):
    rp, cp = binned(ref, cur, fill=True)
    return float(np.sum((rp - cp) * np.log(rp / cp))), None


def kl_div(ref, cur):
    rp, cp = binned(ref, cur, fill=True)
    return stats.entropy(rp, cp), None


def hellinger(ref, cur):
    rp, cp = binned(ref, cur, fill=False)
    return math.sqrt(np.sum((np.sqrt(rp) - np.sqrt(cp)) ** 2) / 2), None


METHODS = {"ks": ks, "wasserstein": wasserstein, "anderson": anderson, "mannw": mannw, "chisquare": chisquare,
           "z": z, "jensenshannon": jensenshannon, "psi": psi, "kl_div": kl_div, "hellinger": hellinger}

normal_40 = sample(rng.normal(0, 1, 40))
shifted_50 = sample(rng.normal(0.6, 1, 50))
normal_60a = sample(rng.normal(0, 1, 60))
normal_60b = sample(rng.normal(0.2, 1.3, 60))
tied_30 = sample(np.round(rng.normal(0, 1, 30), 1))
tied_45 = sample(np.round(rng.normal(0.3, 1, 45), 1))
normal_80 = sample(rng.normal(0, 1, 80))
wide_100 = sample(rng.normal(0.3, 1.2, 100))
far_70 = sample(rng.normal(2.0, 1, 70))
ints_40 = sample(rng.integers(0, 10, 40))
ints_55 = sample(rng.integers(1, 11, 55))
few_ref = sample(rng.integers(0, 5, 120))
few_cur = sample(rng.choice(5, 150, p=[0.1, 0.15, 0.25, 0.25, 0.25]))
binary_ref = sample(rng.integers(0, 2, 90))
binary_cur = sample((rng.random(110) < 0.65).astype(float))
cat_ref = categories({"card": 500, "cash": 300, "crypto": 15, "voucher": 185})
cat_cur = categories({"card": 420, "cash": 350, "voucher": 210, "gift": 3})
cat_cur_seen = categories({"card": 420, "cash": 350, "crypto": 4, "voucher": 210})
yes_no_ref = categories({"no": 700, "yes": 300})
yes_no_cur = categories({"no": 610, "yes": 390})
hist_ref = bins([5, 40, 120, 300, 320, 150, 50, 15, 0])
hist_cur = bins([2, 20, 90, 250, 350, 200, 70, 15, 3])
hist_cur_seen = bins([2, 20, 90, 250, 350, 200, 70, 18, 0])

CASES = {
    "ks": [("exact, unequal sizes", normal_40, shifted_50), ("exact, equal sizes", normal_60a, normal_60b),
           ("ties", tied_30, tied_45), ("clear shift", normal_80, far_70)],
    "wasserstein": [("continuous", normal_80, wide_100), ("integers", ints_40, ints_55)],
    "anderson": [("interpolated p", normal_40, shifted_50), ("p floored at 0.001", normal_80, far_70),
                 ("p capped at 0.25", normal_60a, normal_60a), ("ties", ints_40, ints_55), ("equal sizes", normal_60a, normal_60b)],
    "mannw": [("continuous", normal_40, shifted_50), ("ties", ints_40, ints_55), ("clear shift", normal_80, far_70)],
    "chisquare": [("categories", cat_ref, cat_cur_seen), ("numeric with few values", few_ref, few_cur),
                  ("bins", hist_ref, hist_cur_seen), ("a bin the reference never saw", hist_ref, hist_cur)],
    "z": [("categories", yes_no_ref, yes_no_cur), ("binary sample", binary_ref, binary_cur)],
    "jensenshannon": [("categories with a new one", cat_ref, cat_cur), ("continuous sample, 30 bins", normal_80, wide_100),
                      ("bins", hist_ref, hist_cur), ("few values", few_ref, few_cur)],
    "psi": [("categories with a new one", cat_ref, cat_cur), ("continuous sample, 30 bins", normal_80, wide_100),
            ("bins with an empty bin", hist_ref, hist_cur), ("few values", few_ref, few_cur)],
    "kl_div": [("categories with a new one", cat_ref, cat_cur), ("continuous sample, 30 bins", normal_80, wide_100),
               ("bins with an empty bin", hist_ref, hist_cur)],
    "hellinger": [("categories with a new one", cat_ref, cat_cur), ("continuous sample, 30 bins", normal_80, wide_100),
                  ("bins", hist_ref, hist_cur)],
}

method_cases = []
for method, cases in CASES.items():
    for name, ref, cur in cases:
        score, p = METHODS[method](ref, cur)
        method_cases.append({"method": method, "name": name, "reference": ref, "current": cur,
                             "score": float(score), "pValue": None if p is None else float(p)})

erfc_cases = [[x, float(special.erfc(x))] for x in
              [-3.0, -1.2, -0.5, 0.0, 1e-8, 0.1, 0.5, 1.0, 1.5, 1.99, 2.0, 2.5, 3.0, 4.5, 6.0, 10.0, 26.0]]
chi2_cases = [[x, df, float(stats.chi2.sf(x, df))] for x, df in
              [(0.5, 1), (3.84, 1), (10.0, 1), (2.0, 2), (7.8, 3), (0.3, 4), (25.0, 4), (12.0, 9), (9.0, 10),
               (11.5, 10), (150.0, 120), (40.0, 29), (80.0, 5), (1e-3, 3)]]
kolmogorov_cases = [[n, x, float(stats.kstwo.sf(x, n))] for n, x in
                    [(200, 0.05), (200, 0.09), (200, 0.12), (1000, 0.03), (1000, 0.045), (5000, 0.01),
                     (5000, 0.018), (5000, 0.03), (20000, 0.008), (20000, 0.012), (100000, 0.004),
                     (100000, 0.0055), (150000, 0.0032), (5000, 0.6), (5000, 0.9999)]]
smirnov_cases = [[n, x, float(special.smirnov(n, x))] for n, x in
                 [(10, 0.3), (50, 0.2), (1000, 0.05), (5000, 0.03), (20000, 0.011)]]

golden = {"scipy": scipy.__version__, "numpy": np.__version__, "methodCases": method_cases,
          "erfc": erfc_cases, "chiSquareSf": chi2_cases, "kolmogorovSf": kolmogorov_cases, "smirnovSf": smirnov_cases}

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "golden.ts")
with open(out, "w") as f:
    # One method case or distribution value per line keeps diffs readable when scipy changes.
    f.write("// Generated by make-golden.py (scipy %s, numpy %s). Do not edit; rerun the script.\n" % (scipy.__version__, np.__version__))
    f.write("import type { DriftGolden } from './golden-types.js';\n\n")
    f.write("export const golden: DriftGolden = {\n")
    f.write("  scipy: %s,\n  numpy: %s,\n" % (json.dumps(scipy.__version__), json.dumps(np.__version__)))
    for key in ["methodCases", "erfc", "chiSquareSf", "kolmogorovSf", "smirnovSf"]:
        f.write("  %s: [\n" % key)
        for item in golden[key]:
            f.write("    %s,\n" % json.dumps(item))
        f.write("  ],\n")
    f.write("};\n")
print(f"scipy {scipy.__version__}: {len(method_cases)} method cases written to {out}")
