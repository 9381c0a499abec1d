"""Golden values for the late-label and annotated-batch parts of packages/stats/src/health (CBPE).

Run: /usr/bin/python3 packages/stats/golden/health/make-cbpe-golden.py
(Debian: apt-get install python3-scipy python3-sklearn python3-statsmodels)
Writes cbpe-golden.ts next to this script: the inputs themselves (so the tests need neither Python nor
numpy's generator) and the reference outputs:

- Isotonic calibration: sklearn.isotonic.IsotonicRegression(out_of_bounds='clip') fitted with and without
  sample weights; its knots (X_thresholds_, y_thresholds_) and its predictions on scores inside and
  outside the fitted range.
- CBPE expected confusion, metrics and cost with the Poisson-binomial standard errors, computed here in
  plain numpy from the definitions (a second implementation) on calibrated probabilities from sklearn.
- Latest batch worse, error counts: statsmodels.stats.proportion.proportions_ztest(alternative='larger')
  and scipy.stats.fisher_exact(alternative='greater').
- Latest batch worse, row costs: scipy.stats.permutation_test (independent, alternative='greater',
  n_resamples=inf, so exact) on the difference of means; for thousands of rows a side,
  scipy.stats.ttest_ind(equal_var=False, alternative='greater') (Welch, t with ~10,000 degrees of freedom,
  which the TypeScript compares with the normal: agreement to a few per cent in p).
- Latest batch worse within strata: statsmodels StratifiedTable.test_null_odds(correction=False) (the
  Cochran-Mantel-Haenszel chi-square, the square of the one-sided z) and oddsratio_pooled.
"""
import json
import math
import os

import numpy as np
import scipy
import sklearn
import statsmodels
from scipy import stats
from sklearn.isotonic import IsotonicRegression
from statsmodels.stats.proportion import proportions_ztest

rng = np.random.default_rng(20261129)
out = {}

# --- isotonic calibration ----------------------------------------------------------------------------------
iso_cases = []
# 1. 300 scores rounded to 2 decimals (many ties), labels ~ Bernoulli(score^2): miscalibrated scores.
s = np.round(rng.random(300), 2)
y = (rng.random(300) < s ** 2).astype(int)
queries = [-0.5, 0.0, 0.005, 0.1, 0.237, 0.5, 0.555, 0.9, 0.999, 1.0, 1.7] + np.round(rng.random(20), 4).tolist()
iso_cases.append({"name": "ties", "scores": s.tolist(), "labels": y.tolist(), "weights": None, "queries": queries})
# 2. continuous scores on a logit scale (not in [0, 1]), labels ~ Bernoulli(sigmoid(score / 2)).
s = rng.normal(0, 2, 250)
y = (rng.random(250) < 1 / (1 + np.exp(-s / 2))).astype(int)
iso_cases.append({"name": "logits", "scores": s.tolist(), "labels": y.tolist(), "weights": None,
                  "queries": [-9.0, -3.0, -1.0, 0.0, 0.4, 1.5, 3.3, 12.0]})
# 3. aggregated rows: one per bin with a count and the share of positives.
s = np.round(np.linspace(0.05, 0.95, 19), 2)
w = rng.integers(1, 60, 19).astype(float)
y = np.clip(s + rng.normal(0, 0.15, 19), 0, 1).round(3)
iso_cases.append({"name": "weighted", "scores": s.tolist(), "labels": y.tolist(), "weights": w.tolist(),
                  "queries": [0.0, 0.05, 0.12, 0.5, 0.77, 0.95, 1.0]})
# 4. hand-checkable: 0.1→0, 0.2→1, 0.3→0, 0.4→1: PAV pools 0.2 and 0.3 into ½.
iso_cases.append({"name": "hand", "scores": [0.1, 0.2, 0.3, 0.4], "labels": [0, 1, 0, 1], "weights": None,
                  "queries": [0.0, 0.15, 0.25, 0.35, 0.5]})
for case in iso_cases:
    model = IsotonicRegression(out_of_bounds='clip')
    model.fit(np.array(case["scores"]), np.array(case["labels"], dtype=float),
              sample_weight=None if case["weights"] is None else np.array(case["weights"]))
    case["knots"] = model.X_thresholds_.tolist()
    case["knotProbabilities"] = model.y_thresholds_.tolist()
    case["predictions"] = model.predict(np.array(case["queries"], dtype=float)).tolist()
out["isotonic"] = iso_cases

# --- CBPE on a small chunk ----------------------------------------------------------------------------------
ref_s = np.round(rng.random(2000), 3)
ref_y = (rng.random(2000) < ref_s ** 1.5).astype(int)
cal = IsotonicRegression(out_of_bounds='clip').fit(ref_s, ref_y)
chunk_s = np.round(rng.random(60), 3)
threshold = 0.5
chunk_pred = (chunk_s >= threshold).astype(int)
p = cal.predict(chunk_s)
cost = {"falseNegativeUsd": 500.0, "falsePositiveUsd": 50.0, "truePositiveValueUsd": 20.0, "trueNegativeValueUsd": 1.0}
u = {"tp": -cost["truePositiveValueUsd"], "fp": cost["falsePositiveUsd"], "fn": cost["falseNegativeUsd"],
     "tn": -cost["trueNegativeValueUsd"]}
pos = chunk_pred == 1
tp, fp = p[pos].sum(), (1 - p[pos]).sum()
fn, tn = p[~pos].sum(), (1 - p[~pos]).sum()
n = len(p)
var_tp = (p[pos] * (1 - p[pos])).sum()
var_fn = (p[~pos] * (1 - p[~pos])).sum()
row_if_pos = np.where(pos, u["tp"], u["fn"])
row_if_neg = np.where(pos, u["fp"], u["tn"])
total = (p * row_if_pos + (1 - p) * row_if_neg).sum()
var_total = (p * (1 - p) * (row_if_pos - row_if_neg) ** 2).sum()
# delta method, numerically: gradient of recall and F1 in (TP, FN) by central differences
def recall_f(a, b):
    return a / (a + b)
def f1_f(a, b):
    return 2 * a / (pos.sum() + a + b)
def delta_var(f):
    h = 1e-6
    ga = (f(tp + h, fn) - f(tp - h, fn)) / (2 * h)
    gb = (f(tp, fn + h) - f(tp, fn - h)) / (2 * h)
    return ga ** 2 * var_tp + gb ** 2 * var_fn
out["cbpe"] = {
    "referenceScores": ref_s.tolist(), "referenceLabels": ref_y.tolist(),
    "scores": chunk_s.tolist(), "threshold": threshold, "matrix": cost,
    "probabilities": p.tolist(),
    "confusion": {"truePositives": tp, "falsePositives": fp, "falseNegatives": fn, "trueNegatives": tn},
    "accuracy": (tp + tn) / n, "accuracySe": float(np.sqrt(var_tp + var_fn) / n),
    "precision": tp / pos.sum(), "precisionSe": float(np.sqrt(var_tp) / pos.sum()),
    "recall": tp / (tp + fn), "recallSe": float(np.sqrt(delta_var(recall_f))),
    "f1": 2 * tp / (pos.sum() + tp + fn), "f1Se": float(np.sqrt(delta_var(f1_f))),
    "totalCostUsd": total, "totalCostSe": float(np.sqrt(var_total)),
    "z95": float(stats.norm.ppf(0.975)),
}
out["cbpe"] = {k: (float(v) if isinstance(v, np.floating) else v) for k, v in out["cbpe"].items()}
out["cbpe"]["confusion"] = {k: float(v) for k, v in out["cbpe"]["confusion"].items()}

# --- latest batch worse: error counts ------------------------------------------------------------------------
props = []
for x_l, n_l, x_e, n_e in [(30, 200, 80, 1000), (12, 100, 40, 600), (3, 20, 10, 400), (0, 15, 2, 300), (5, 8, 4, 60),
                           (2, 40, 30, 500), (9, 50, 9, 50), (45, 300, 200, 2000), (1, 1, 0, 5)]:
    z_stat, z_p = proportions_ztest([x_l, x_e], [n_l, n_e], alternative='larger')
    _, f_p = stats.fisher_exact([[x_l, n_l - x_l], [x_e, n_e - x_e]], alternative='greater')
    props.append({"latest": [x_l, n_l], "earlier": [x_e, n_e], "zPValue": float(z_p), "fisherPValue": float(f_p)})
out["proportions"] = props

# --- latest batch worse: row costs (exact permutation test) ---------------------------------------------------
perms = []
for latest, earlier in [
    ([10, 0, 0, 10, 1], [0, 0, 1, 0, 0, 10, 0, 1, 0, 0]),
    ([3.5, 7.25, 1.0], [0.5, 1.25, 2.0, 0.0, 3.0, 1.5, 0.75]),
    (np.round(rng.exponential(2.0, 6), 3).tolist(), np.round(rng.exponential(1.0, 9), 3).tolist()),
    ([1.0, 1.0], [1.0, 1.0, 1.0, 1.0]),
]:
    res = stats.permutation_test((np.array(latest, float), np.array(earlier, float)),
                                 lambda a, b: np.mean(a) - np.mean(b), permutation_type='independent',
                                 alternative='greater', n_resamples=np.inf, vectorized=False)
    perms.append({"latest": latest, "earlier": earlier, "statistic": float(res.statistic), "pValue": float(res.pvalue)})
out["permutation"] = perms

# --- latest batch worse: row costs, large batches (Welch) ------------------------------------------------------
# The samples are integers floor(u·width) from mulberry32 (seeded, exact in any language), so the golden file
# stores only the recipe, not 30,000 numbers.
def mulberry32(seed):
    state = seed & 0xFFFFFFFF

    def nxt():
        nonlocal state
        state = (state + 0x6D2B79F5) & 0xFFFFFFFF
        t = state
        t = ((t ^ (t >> 15)) * (t | 1)) & 0xFFFFFFFF
        t ^= (t + (((t ^ (t >> 7)) * (t | 61)) & 0xFFFFFFFF)) & 0xFFFFFFFF
        return ((t ^ (t >> 14)) & 0xFFFFFFFF) / 4294967296

    return nxt


welch = []
for seed, n_l, n_e, width_l, width_e in [(31, 6000, 20000, 10.3, 10.0), (32, 5000, 8000, 9.9, 10.0)]:
    g = mulberry32(seed)
    latest = np.array([math.floor(g() * width_l) for _ in range(n_l)], float)
    earlier = np.array([math.floor(g() * width_e) for _ in range(n_e)], float)
    t = stats.ttest_ind(latest, earlier, equal_var=False, alternative='greater')
    welch.append({"seed": seed, "latestRows": n_l, "earlierRows": n_e, "latestWidth": width_l, "earlierWidth": width_e,
                  "statistic": float(t.statistic), "pValue": float(t.pvalue)})
out["welch"] = welch

# --- latest batch worse within strata (Cochran-Mantel-Haenszel) ----------------------------------------------
from statsmodels.stats.contingency_tables import StratifiedTable
cmh = []
for strata in [
    # a batch with more hard cases but the same per-stratum error rates: not worse within strata
    [("easy", (60, 3), (900, 45)), ("hard", (140, 42), (100, 30))],
    # worse within each stratum
    [("easy", (100, 12), (900, 45)), ("hard", (100, 40), (100, 30)), ("night", (30, 9), (300, 60))],
    # small strata
    [("a", (8, 3), (40, 5)), ("b", (5, 1), (22, 2)), ("c", (6, 2), (30, 9))],
]:
    tables = [np.array([[xl, nl - xl], [xe, ne - xe]]) for _, (nl, xl), (ne, xe) in strata]
    st = StratifiedTable(tables)
    res = st.test_null_odds(correction=False)
    cmh.append({"strata": [{"stratum": name, "latest": {"n": nl, "errors": xl}, "earlier": {"n": ne, "errors": xe}}
                           for name, (nl, xl), (ne, xe) in strata],
                "chiSquare": float(res.statistic), "oddsRatio": float(st.oddsratio_pooled)})
out["cmh"] = cmh

header = (f"// Generated by make-cbpe-golden.py (numpy {np.__version__}, scipy {scipy.__version__}, "
          f"sklearn {sklearn.__version__}, statsmodels {statsmodels.__version__}). Do not edit; rerun the script.\n")
body = "export const cbpeGolden = " + json.dumps(out, indent=1) + ";\n"
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "cbpe-golden.ts"), "w") as fh:
    fh.write(header + body)
print("ok", [(c["name"], len(c["knots"])) for c in iso_cases], [p["fisherPValue"] for p in props])
