"""Golden values for packages/stats/src/concept/*.test.ts.

Run: /usr/bin/python3 packages/stats/golden/concept/make-golden.py
(Debian: apt-get install python3-numpy python3-scipy python3-sklearn)
Writes golden.ts next to this script: the inputs themselves (rounded, so the tests need neither Python nor
numpy's generator) and the reference outputs:

- Entropy of class probabilities: scipy.stats.entropy (natural log); margin: top-1 minus top-2 by numpy.sort.
- Correlation matrices: numpy.corrcoef on each side; distance: numpy.linalg.norm(current - reference, 'fro');
  covariance variant: numpy.cov (ddof 1) of the features scaled by the reference mean and standard deviation.
- k-means: three well separated blobs; sklearn StandardScaler + KMeans(n_init=10) labels, a partition that any
  correct k-means finds (compared up to relabelling), and its cluster means in the original units.
- Cluster mix: current rows assigned to the nearest sklearn centre, then
  scipy.stats.chi2_contingency(correction=False) of the 2 x k table of reference and current counts.
"""
import json
import os

import numpy as np
import scipy
import sklearn
from scipy import stats
from sklearn.cluster import KMeans
from sklearn.preprocessing import StandardScaler

rng = np.random.default_rng(20261128)
out = {}

# --- confidence ----------------------------------------------------------------------------------------------
rows3 = np.round(rng.dirichlet([1, 1, 1], 12), 6)
rows3[:, 2] = np.round(1 - rows3[:, 0] - rows3[:, 1], 6)
rows3 = np.vstack([rows3, [1 / 3, 1 / 3, 1 / 3], [1.0, 0.0, 0.0], [0.5, 0.5, 0.0]])
rows3 = np.abs(rows3)  # a rounded -0.0 would be negative zero only
rows4 = np.round(rng.dirichlet([0.5, 1, 2, 4], 10), 6)
rows4[:, 3] = np.round(1 - rows4[:, :3].sum(axis=1), 6)
out["confidence"] = []
for rows in (rows3, rows4):
    srt = np.sort(rows / rows.sum(axis=1, keepdims=True), axis=1)
    ent = stats.entropy(rows, axis=1)
    out["confidence"].append({
        "rows": rows.tolist(),
        "entropy": ent.tolist(),
        "normalizedEntropy": (ent / np.log(rows.shape[1])).tolist(),
        "margin": (srt[:, -1] - srt[:, -2]).tolist(),
    })

# --- correlation -----------------------------------------------------------------------------------------------
def correlated(n, cov, mean):
    return np.round(rng.multivariate_normal(mean, cov, n), 6)

cov_ref = np.array([[1.0, 0.8, 0.2, 0.0], [0.8, 1.0, 0.1, 0.0], [0.2, 0.1, 1.0, -0.5], [0.0, 0.0, -0.5, 1.0]])
cov_cur = np.array([[1.0, -0.6, 0.2, 0.0], [-0.6, 1.0, 0.1, 0.0], [0.2, 0.1, 2.0, -0.5], [0.0, 0.0, -0.5, 1.0]])
ref = correlated(60, cov_ref, [0, 5, -2, 100])
cur = correlated(40, cov_cur, [0.5, 5, -2, 100])
r_ref = np.corrcoef(ref, rowvar=False)
r_cur = np.corrcoef(cur, rowvar=False)
mu, sd = ref.mean(axis=0), ref.std(axis=0, ddof=1)
c_ref = np.cov((ref - mu) / sd, rowvar=False)
c_cur = np.cov((cur - mu) / sd, rowvar=False)
out["correlation"] = {
    "features": ["a", "b", "c", "d"],
    "reference": ref.T.tolist(),
    "current": cur.T.tolist(),
    "referenceMatrix": r_ref.tolist(),
    "currentMatrix": r_cur.tolist(),
    "distance": float(np.linalg.norm(r_cur - r_ref, "fro")),
    "maxAbsDifference": float(np.abs(r_cur - r_ref).max()),
    "covarianceDistance": float(np.linalg.norm(c_cur - c_ref, "fro")),
    "covarianceMaxAbsDifference": float(np.abs(c_cur - c_ref).max()),
}

# --- k-means on well separated blobs --------------------------------------------------------------------------
centres = np.array([[0.0, 0.0, 10.0], [20.0, 5.0, 10.0], [0.0, 40.0, -10.0]])
spread = np.array([1.0, 0.5, 2.0])
sizes = [30, 20, 25]
blobs = np.round(np.vstack([c + rng.normal(0, 1, (n, 3)) * spread for c, n in zip(centres, sizes)]), 4)
order = rng.permutation(len(blobs))
blobs = blobs[order]
scaler = StandardScaler().fit(blobs)
km = KMeans(n_clusters=3, n_init=10, random_state=0).fit(scaler.transform(blobs))
means = [blobs[km.labels_ == c].mean(axis=0).tolist() for c in range(3)]
current_sizes = [10, 30, 5]
current = np.round(np.vstack([c + rng.normal(0, 1, (n, 3)) * spread for c, n in zip(centres, current_sizes)]), 4)
current_labels = km.predict(scaler.transform(current))
ref_counts = np.bincount(km.labels_, minlength=3)
cur_counts = np.bincount(current_labels, minlength=3)
chi = stats.chi2_contingency(np.vstack([ref_counts, cur_counts]), correction=False)
out["kmeans"] = {
    "reference": blobs.T.tolist(),
    "labels": km.labels_.tolist(),
    "means": means,
    "current": current.T.tolist(),
    "currentLabels": current_labels.tolist(),
    "statistic": float(chi[0]),
    "pValue": float(chi[1]),
}

# --- chi-square test of homogeneity (2 x k), categories empty on both sides left out ------------------------------
out["homogeneity"] = []
for reference, current in [([30, 20, 25], [10, 30, 5]), ([12, 0, 7, 40], [9, 0, 11, 35]), ([500, 480], [260, 240]),
                           ([1, 2, 3, 4, 5], [5, 4, 3, 2, 1])]:
    table = np.array([reference, current])
    table = table[:, table.sum(axis=0) > 0]
    statistic, p_value, dof, _ = stats.chi2_contingency(table, correction=False)
    out["homogeneity"].append({"reference": reference, "current": current, "statistic": float(statistic),
                               "pValue": float(p_value), "dof": int(dof)})

header = (f"// Generated by make-golden.py (numpy {np.__version__}, scipy {scipy.__version__}, "
          f"sklearn {sklearn.__version__}). Do not edit; rerun the script.\n")
body = "export const golden = " + json.dumps(out, indent=1) + ";\n"
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "golden.ts"), "w") as fh:
    fh.write(header + body)
print("ok", out["correlation"]["distance"], out["kmeans"]["pValue"])
