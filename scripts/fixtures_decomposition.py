#!/usr/bin/python3
"""Reference fixtures for src/decomposition (scikit-learn 1.2, numpy, float64).

Run: /usr/bin/python3 scripts/fixtures_decomposition.py
Writes test/fixtures/decomposition/*.json. Inputs are generated here with numpy's seeded
generator and stored in the JSON, so the TypeScript tests never need Python.
"""
import json
import os
import warnings

import numpy as np
import sklearn
from sklearn.decomposition import PCA, IncrementalPCA, FastICA, NMF
from sklearn.decomposition._nmf import _initialize_nmf
from sklearn.linear_model import Lasso, LassoLars, orthogonal_mp, orthogonal_mp_gram

warnings.filterwarnings("ignore")
OUT = os.path.join(os.path.dirname(__file__), "..", "test", "fixtures", "decomposition")
os.makedirs(OUT, exist_ok=True)


def L(a):
    return np.asarray(a, dtype=float).tolist()


def dump(name, obj):
    obj["sklearn"] = sklearn.__version__
    with open(os.path.join(OUT, name), "w") as f:
        json.dump(obj, f)
    print("wrote", name)


def pca_fixtures():
    rng = np.random.RandomState(0)
    cases = []
    # tall correlated data
    A = rng.randn(40, 6) @ rng.randn(6, 6) + rng.randn(6) * 3
    # short wide data
    B = rng.randn(12, 20) @ np.diag(np.linspace(3, 0.2, 20)) + 1.5
    for name, X in (("tall", A), ("wide", B)):
        for nc, whiten in ((3, False), (3, True), (0.9, False), (None, False)):
            p = PCA(n_components=nc, whiten=whiten, svd_solver="full").fit(X)
            cases.append(dict(
                data=name, nComponents=nc, whiten=whiten,
                components=L(p.components_), explainedVariance=L(p.explained_variance_),
                explainedVarianceRatio=L(p.explained_variance_ratio_), singularValues=L(p.singular_values_),
                mean=L(p.mean_), noiseVariance=float(p.noise_variance_), nComponentsFitted=int(p.n_components_),
                transform=L(p.transform(X)), inverse=L(p.inverse_transform(p.transform(X)[:5])),
            ))
    # incremental PCA
    C = rng.randn(90, 8) @ rng.randn(8, 8) + 2
    ip = IncrementalPCA(n_components=4, batch_size=25).fit(C)
    ipw = IncrementalPCA(n_components=3, batch_size=30, whiten=True).fit(C)
    inc = [
        dict(nComponents=4, batchSize=25, whiten=False, components=L(ip.components_),
             explainedVariance=L(ip.explained_variance_), explainedVarianceRatio=L(ip.explained_variance_ratio_),
             singularValues=L(ip.singular_values_), mean=L(ip.mean_), var=L(ip.var_),
             noiseVariance=float(ip.noise_variance_), transform=L(ip.transform(C))),
        dict(nComponents=3, batchSize=30, whiten=True, components=L(ipw.components_),
             explainedVariance=L(ipw.explained_variance_), explainedVarianceRatio=L(ipw.explained_variance_ratio_),
             singularValues=L(ipw.singular_values_), mean=L(ipw.mean_), var=L(ipw.var_),
             noiseVariance=float(ipw.noise_variance_), transform=L(ipw.transform(C))),
    ]
    dump("pca.json", dict(data=dict(tall=L(A), wide=L(B)), cases=cases, incremental=dict(X=L(C), cases=inc)))


if __name__ == "__main__":
    pca_fixtures()
