#!/usr/bin/python3
"""Golden values for packages/stats/src/multivariate: numpy's eigh on a fixed symmetric matrix, and NannyML's
reconstruction-error recipe (sklearn StandardScaler + PCA(n_components=0.65)) on fixed small data.
Run: /usr/bin/python3 packages/stats/golden/multivariate/make-golden.py (numpy 1.24, sklearn 1.2)."""
import json
import numpy as np
from sklearn.decomposition import PCA
from sklearn.preprocessing import StandardScaler

m = np.array([[4.0, 1.0, 0.5, 0.0], [1.0, 3.0, 0.2, 0.1], [0.5, 0.2, 2.0, 0.3], [0.0, 0.1, 0.3, 1.0]])
values, vectors = np.linalg.eigh(m)
order = np.argsort(values)[::-1]
print(json.dumps({"matrix": m.tolist(), "eigenvalues": values[order].tolist(),
                  "first_vector": (vectors[:, order[0]] * np.sign(vectors[np.argmax(np.abs(vectors[:, order[0]])), order[0]])).tolist()}))

# Reference: 3 correlated numeric columns and one categorical, 20 rows; current: 5 rows.
rng = np.random.default_rng(7)
base = rng.normal(size=20)
ref_num = np.column_stack([base + 0.1 * rng.normal(size=20), 2 * base + 0.3 * rng.normal(size=20), rng.normal(size=20)])
ref_cat = np.array(list("aabababcaabbacaaabca"))
cur_num = np.array([[0.1, 0.2, 0.0], [1.0, -2.0, 0.5], [-1.0, -2.1, 1.0], [0.5, 1.0, -3.0], [2.0, 4.1, 0.2]])
cur_cat = np.array(list("abcdb"))
freq = {k: np.mean(ref_cat == k) for k in set(ref_cat)}
def encode(num, cat):
    return np.column_stack([num, [freq.get(c, 0.0) for c in cat]])
scaler = StandardScaler().fit(encode(ref_num, ref_cat))
pca = PCA(n_components=0.65, svd_solver="full").fit(scaler.transform(encode(ref_num, ref_cat)))
def errors(num, cat):
    z = scaler.transform(encode(num, cat))
    return np.linalg.norm(z - pca.inverse_transform(pca.transform(z)), axis=1)
print(json.dumps({"ref_num": ref_num.tolist(), "ref_cat": "".join(ref_cat), "cur_num": cur_num.tolist(), "cur_cat": "".join(cur_cat),
                  "components": int(pca.n_components_), "explained": float(np.sum(pca.explained_variance_ratio_)),
                  "reference_errors": errors(ref_num, ref_cat).tolist(), "current_errors": errors(cur_num, cur_cat).tolist()}))
