"""Golden values for packages/stats/src/health/*.test.ts.

Run: /usr/bin/python3 packages/stats/golden/health/make-golden.py
(Debian: apt-get install python3-scipy python3-sklearn python3-statsmodels)
Writes golden.ts next to this script: the inputs themselves (so the tests need neither Python nor numpy's
generator) and the reference outputs:

- Wilson intervals: statsmodels.stats.proportion.proportion_confint(method='wilson').
- Normal quantiles: scipy.stats.norm.ppf.
- ROC AUC (with tied scores) and log loss: sklearn.metrics.roc_auc_score, log_loss.
- MAE, RMSE, MAPE: sklearn.metrics mean_absolute_error, mean_squared_error, mean_absolute_percentage_error.
- Local level model (random walk + noise), equal sample sizes: statsmodels UnobservedComponents('llevel')
  with exact diffuse initialisation: filtered states, their variances and the log-likelihood at fixed
  variances, and the maximum-likelihood fit (lbfgs).
- Local level model with unequal sample sizes (observation variance sigma2_eps / n_t): statsmodels has no
  time-varying observation variance for this model, so the Kalman recursion is written out here in plain
  numpy (Durbin & Koopman 2012, eq. 2.15), a second implementation independent of the TypeScript one.
- EWMA chart limits: the closed form of Montgomery (ISQC, 7th ed., eq. 9.25) for n_i = 1, and the sum
  sigma^2 * sum_j lambda^2 (1-lambda)^(2(i-j)) / n_j for unequal n_i.
- Seasonal adjustment coefficients: numpy.linalg.lstsq.
- mulberry32: a plain-Python transcription with explicit uint32 arithmetic (the generator's reference C is
  by Tommy Ettinger, 2017).
"""
import json
import math
import os

import numpy as np
import scipy
import sklearn
import statsmodels
import statsmodels.api as sm
from scipy import stats
from sklearn import metrics
from statsmodels.stats.proportion import proportion_confint

rng = np.random.default_rng(20261128)
out = {}

# --- Wilson intervals -----------------------------------------------------------------------------------
wilson = []
for successes, n, confidence in [(0, 10, 0.95), (1, 10, 0.95), (5, 10, 0.95), (10, 10, 0.95), (37, 120, 0.9),
                                 (812, 1000, 0.99), (3, 30000, 0.95)]:
    lo, hi = proportion_confint(successes, n, alpha=1 - confidence, method='wilson')
    wilson.append({"successes": successes, "n": n, "confidence": confidence, "lower": float(lo), "upper": float(hi)})
out["wilson"] = wilson

out["normalQuantile"] = [[p, float(stats.norm.ppf(p))] for p in
                         [1e-12, 1e-6, 0.001, 0.01, 0.025, 0.05, 0.2, 0.5, 0.8, 0.95, 0.975, 0.995, 1 - 1e-6]]

# --- classification metrics ------------------------------------------------------------------------------
n = 300
labels = (rng.random(n) < 0.3).astype(int)
# scores rounded to 1 decimal so that many are tied, across classes too
scores = np.clip(np.round(0.3 + 0.35 * labels + rng.normal(0, 0.22, n), 1), 0.0, 1.0)
out["classification"] = {
    "labels": labels.tolist(),
    "scores": scores.tolist(),
    "rocAuc": float(metrics.roc_auc_score(labels, scores)),
    # eps=1e-15 explicitly: the repo's logLoss clips at 1e-15 (sklearn < 1.2); sklearn 1.2's default 'auto'
    # clips at machine epsilon, 2.2e-16, which differs whenever a score is exactly 0 or 1 (two rows here).
    "logLoss": float(metrics.log_loss(labels, scores, eps=1e-15)),
    "threshold": 0.5,
}
pred = (scores >= 0.5).astype(int)
out["classification"]["accuracy"] = float(metrics.accuracy_score(labels, pred))
out["classification"]["precision"] = float(metrics.precision_score(labels, pred))
out["classification"]["recall"] = float(metrics.recall_score(labels, pred))
out["classification"]["f1"] = float(metrics.f1_score(labels, pred))

# --- regression metrics ----------------------------------------------------------------------------------
actual = np.round(rng.gamma(2.0, 20.0, 200) + 1, 3)
predicted = np.round(actual + rng.normal(0, 8, 200), 3)
out["regression"] = {
    "actual": actual.tolist(),
    "predicted": predicted.tolist(),
    "mae": float(metrics.mean_absolute_error(actual, predicted)),
    "rmse": float(math.sqrt(metrics.mean_squared_error(actual, predicted))),
    "mape": float(metrics.mean_absolute_percentage_error(actual, predicted)),
}

# --- local level model: statsmodels ----------------------------------------------------------------------
T = 80
level = 10 + np.cumsum(rng.normal(0, 0.3, T))
y = level + rng.normal(0, 1.0, T)
mod = sm.tsa.UnobservedComponents(y, 'llevel')
# statsmodels 0.13 defaults to an approximate diffuse start (P0 = 1e6, first observation burnt); switch to the
# exact diffuse start the TypeScript filter uses (Durbin & Koopman 2012, section 5.2) and keep every period.
# Its likelihood then includes the first period's constant -1/2 log(2 pi) (F_inf = 1), which ours leaves out.
mod.ssm.initialize_diffuse()
mod.loglikelihood_burn = 0
fixed = [1.2, 0.05]  # sigma2.irregular, sigma2.level
res = mod.filter(fixed)
fit = mod.fit(disp=False, method='lbfgs', maxiter=1000)
out["localLevel"] = {
    "y": y.tolist(),
    "fixed": {"irregularVariance": fixed[0], "levelVariance": fixed[1]},
    "filtered": res.filtered_state[0].tolist(),
    "filteredVariance": res.filtered_state_cov[0, 0].tolist(),
    "logLikelihood": float(res.llf),
    "fit": {"irregularVariance": float(fit.params[0]), "levelVariance": float(fit.params[1]),
            "logLikelihood": float(fit.llf)},
}


# --- local level model, unequal n: plain numpy Kalman recursion -------------------------------------------
def local_level(y, n, s2eps, s2eta):
    # exact diffuse start: after the first observation the level is y[0] with variance s2eps / n[0]
    a, p = y[0], s2eps / n[0]
    filtered, variances, ll = [a], [p], 0.0
    for t in range(1, len(y)):
        p_pred = p + s2eta
        f = p_pred + s2eps / n[t]
        v = y[t] - a
        ll += -0.5 * (math.log(2 * math.pi) + math.log(f) + v * v / f)
        k = p_pred / f
        a = a + k * v
        p = p_pred * (1 - k)
        filtered.append(a)
        variances.append(p)
    return filtered, variances, ll


sizes = rng.integers(20, 3000, T)
y_w = level + rng.normal(0, 1.0, T) * np.sqrt(500.0 / sizes)
f_w, v_w, ll_w = local_level(y_w, sizes, 600.0, 0.05)
out["localLevelWeighted"] = {"y": y_w.tolist(), "sizes": sizes.tolist(),
                             "irregularVariance": 600.0, "levelVariance": 0.05,
                             "filtered": f_w, "filteredVariance": v_w, "logLikelihood": ll_w}

# --- EWMA chart --------------------------------------------------------------------------------------------
x = (5 + rng.normal(0, 2, 30)).tolist()
lam, L, mu0, sigma = 0.2, 3.0, 5.0, 2.0
z, zs, halfwidths = mu0, [], []
for i, xi in enumerate(x, start=1):
    z = lam * xi + (1 - lam) * z
    zs.append(z)
    halfwidths.append(L * sigma * math.sqrt(lam / (2 - lam) * (1 - (1 - lam) ** (2 * i))))
ew_sizes = rng.integers(1, 200, 30).tolist()
var, halfwidths_n = 0.0, []
for i in range(30):
    # Var(z_i) = sum_j lambda^2 (1-lambda)^(2(i-j)) sigma^2 / n_j, accumulated
    var = (1 - lam) ** 2 * var + lam ** 2 * sigma ** 2 / ew_sizes[i]
    halfwidths_n.append(L * math.sqrt(var))
out["ewma"] = {"x": x, "lambda": lam, "L": L, "target": mu0, "sigma": sigma, "smoothed": zs,
               "halfWidth": halfwidths, "sizes": ew_sizes, "halfWidthWeighted": halfwidths_n}

# --- seasonal adjustment --------------------------------------------------------------------------------
hours = 24 * 21
hour_of_day = np.arange(hours) % 24
day_of_week = (np.arange(hours) // 24 + 3) % 7  # the series starts on a Thursday (1970-01-01 was one)
factor = np.round(rng.random(hours) * 0.4, 4)
metric = (50 + 5 * np.sin(2 * np.pi * hour_of_day / 24) + 3 * (day_of_week >= 5) + 20 * factor
          + rng.normal(0, 1, hours))
X = [np.ones(hours)]
X += [(hour_of_day == h).astype(float) for h in range(1, 24)]
X += [(day_of_week == d).astype(float) for d in range(1, 7)]
X.append(factor)
X = np.column_stack(X)
beta, *_ = np.linalg.lstsq(X, metric, rcond=None)
out["seasonal"] = {"metric": np.round(metric, 6).tolist(), "factor": factor.tolist(), "startDayOfWeek": 3,
                   "coefficients": beta.tolist()}
# refit on the rounded metric so the stored input is exactly what the coefficients came from
beta, *_ = np.linalg.lstsq(X, np.round(metric, 6), rcond=None)
out["seasonal"]["coefficients"] = beta.tolist()
out["seasonal"]["residualSumOfSquares"] = float(np.sum((np.round(metric, 6) - X @ beta) ** 2))


# --- mulberry32 --------------------------------------------------------------------------------------------
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


g = mulberry32(42)
out["mulberry32"] = {"seed": 42, "values": [g() for _ in range(8)]}

header = (f"// Generated by make-golden.py (numpy {np.__version__}, scipy {scipy.__version__}, "
          f"sklearn {sklearn.__version__}, statsmodels {statsmodels.__version__}). Do not edit; rerun the script.\n")
body = "export const golden = " + json.dumps(out, indent=1) + ";\n"
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "golden.ts"), "w") as fh:
    fh.write(header + body)
print("ok", out["localLevel"]["fit"])
