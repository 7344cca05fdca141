"""Reference fixtures for test/cluster (KMeans, agglomerative/scipy linkage, GaussianMixture).

Run: /usr/bin/python3 scripts/fixtures_cluster.py   (scikit-learn 1.2, scipy, numpy)
Writes test/fixtures/cluster/*.json. Data are generated here with a fixed numpy seed and stored in
the JSON, so the TypeScript tests never need Python.
"""
import json
import os
import warnings

import numpy as np
import scipy
import sklearn
from scipy.cluster.hierarchy import fcluster, linkage
from sklearn.cluster import AgglomerativeClustering, KMeans
from sklearn.mixture import GaussianMixture

warnings.filterwarnings("ignore")
OUT = os.path.join(os.path.dirname(__file__), "..", "test", "fixtures", "cluster")
os.makedirs(OUT, exist_ok=True)
VERSIONS = {"sklearn": sklearn.__version__, "scipy": scipy.__version__, "numpy": np.__version__}


def dump(name, obj):
    obj["versions"] = VERSIONS
    with open(os.path.join(OUT, name), "w") as f:
        json.dump(obj, f)


def blobs(rng, n, d, k, spread=1.0, sep=4.0):
    centers = rng.normal(0, sep, size=(k, d))
    y = rng.integers(0, k, size=n)
    return centers[y] + rng.normal(0, spread, size=(n, d)), y


# ---------------------------------------------------------------- KMeans
rng = np.random.default_rng(0)
X, _ = blobs(rng, 300, 4, 5, spread=1.5, sep=3.0)
cases = []
for name, k, init_idx, far, max_iter in [
    ("blobs-k5", 5, [0, 1, 2, 3, 4], False, 300),
    ("blobs-k8", 8, [10, 20, 30, 40, 50, 60, 70, 80], False, 300),
    ("empty-cluster", 4, [0, 1, 2, 3], True, 300),
    ("maxiter-2", 6, [5, 6, 7, 8, 9, 11], False, 2),
]:
    init = X[init_idx].copy()
    if far:
        init[3] = 100.0  # a centre no point is near: its cluster is empty after the first E-step
    res = {}
    for algo in ["lloyd", "elkan"]:
        km = KMeans(n_clusters=k, init=init, n_init=1, algorithm=algo, max_iter=max_iter, tol=1e-4).fit(X)
        res[algo] = {
            "labels": km.labels_.tolist(),
            "inertia": float(km.inertia_),
            "centers": km.cluster_centers_.tolist(),
            "nIter": int(km.n_iter_),
        }
    cases.append({"name": name, "k": k, "maxIter": max_iter, "init": init.tolist(), **res})
dump("kmeans.json", {"X": X.tolist(), "cases": cases})

# ---------------------------------------------------------------- agglomerative (scipy linkage)
rng = np.random.default_rng(1)
Xa, _ = blobs(rng, 40, 3, 4, spread=1.0, sep=3.0)
out = {"X": Xa.tolist(), "methods": {}}
for method in ["single", "complete", "average", "weighted", "centroid", "median", "ward"]:
    Z = linkage(Xa, method=method)
    labels4 = fcluster(Z, t=4, criterion="maxclust")
    entry = {"Z": Z.tolist(), "fcluster4": labels4.tolist()}
    if method in ("single", "complete", "average", "ward"):
        ag = AgglomerativeClustering(n_clusters=4, linkage=method).fit(Xa)
        entry["sklearnLabels4"] = ag.labels_.tolist()
        # midway between two merge heights, so rounding in the heights cannot move the cut
        thr = float((Z[19, 2] + Z[20, 2]) / 2)
        ag2 = AgglomerativeClustering(n_clusters=None, distance_threshold=thr, linkage=method).fit(Xa)
        entry["threshold"] = thr
        entry["sklearnThresholdLabels"] = ag2.labels_.tolist()
    out["methods"][method] = entry
# a larger random set (no cluster structure, many near-equal heights) for the tree algorithms
rng = np.random.default_rng(11)
Xl = rng.normal(size=(300, 5))
out["large"] = {"X": Xl.tolist(), "Z": {m: linkage(Xl, method=m).tolist() for m in
                                         ["single", "complete", "average", "weighted", "centroid", "median", "ward"]}}
dump("agglomerative.json", out)

# ---------------------------------------------------------------- GaussianMixture from a fixed start
rng = np.random.default_rng(2)
A = rng.normal(size=(3, 3))
Xg = np.vstack([
    rng.normal(size=(120, 3)) @ (A * 0.5) + [0, 0, 0],
    rng.normal(size=(100, 3)) * [1.0, 0.3, 0.6] + [4, 1, -2],
    rng.normal(size=(80, 3)) * 0.7 + [-3, 3, 2],
])
means_init = Xg[[0, 130, 250]] + 0.1
weights_init = np.array([0.3, 0.3, 0.4])
gm_cases = {}
for ct in ["full", "tied", "diag", "spherical"]:
    if ct == "full":
        prec = np.stack([np.eye(3)] * 3)
    elif ct == "tied":
        prec = np.eye(3)
    elif ct == "diag":
        prec = np.ones((3, 3))
    else:
        prec = np.ones(3)
    traj = []
    for it in [1, 2, 5]:
        g = GaussianMixture(3, covariance_type=ct, means_init=means_init, weights_init=weights_init,
                            precisions_init=prec, max_iter=it, tol=0, reg_covar=1e-6).fit(Xg)
        traj.append({"maxIter": it, "means": g.means_.tolist(), "weights": g.weights_.tolist(),
                     "lowerBound": float(g.lower_bound_)})
    g = GaussianMixture(3, covariance_type=ct, means_init=means_init, weights_init=weights_init,
                        precisions_init=prec, max_iter=200, tol=1e-3, reg_covar=1e-6).fit(Xg)
    gm_cases[ct] = {
        "precisionsInit": prec.tolist(),
        "trajectory": traj,
        "means": g.means_.tolist(),
        "weights": g.weights_.tolist(),
        "covariances": g.covariances_.tolist(),
        "lowerBound": float(g.lower_bound_),
        "nIter": int(g.n_iter_),
        "converged": bool(g.converged_),
        "scoreSamples": g.score_samples(Xg[:10]).tolist(),
        "predictProba": g.predict_proba(Xg[:5]).tolist(),
        "predict": g.predict(Xg).tolist(),
        "bic": float(g.bic(Xg)),
        "aic": float(g.aic(Xg)),
        "score": float(g.score(Xg)),
    }
dump("gmm.json", {"X": Xg.tolist(), "meansInit": means_init.tolist(), "weightsInit": weights_init.tolist(), "cases": gm_cases})
print("fixtures written to", os.path.abspath(OUT))
