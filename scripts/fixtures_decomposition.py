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



def ica_sources(n=2000, seed=0):
    rng = np.random.RandomState(seed)
    t = np.linspace(0, 8, n)
    s1 = np.sin(2 * t)
    s2 = np.sign(np.sin(3 * t))
    s3 = 2 * ((1.5 * t) % 1) - 1
    S = np.c_[s1, s2, s3] + 0.05 * rng.standard_normal((n, 3))
    S /= S.std(axis=0)
    return S


def ica_fixtures():
    S = ica_sources()
    A = np.array([[1.0, 1.0, 1.0], [0.5, 2.0, 1.0], [1.5, 1.0, 2.0]])
    A4 = np.array([[1.0, 1.0, 1.0], [0.5, 2.0, 1.0], [1.5, 1.0, 2.0], [0.3, -0.7, 1.2]])
    X = S @ A.T + np.array([0.5, -1.0, 2.0])
    X4 = S @ A4.T
    w_init = np.random.RandomState(42).standard_normal((3, 3))
    cases = []
    for data, XX in (("X3", X), ("X4", X4)):
        for algorithm in ("parallel", "deflation"):
            for fun in ("logcosh", "exp", "cube"):
                for whiten in ("unit-variance", "arbitrary-variance"):
                    if data == "X4" and (fun != "logcosh"):
                        continue
                    ica = FastICA(n_components=3, algorithm=algorithm, fun=fun, whiten=whiten, w_init=w_init,
                                  max_iter=400, tol=1e-6, whiten_solver="svd")
                    Sx = ica.fit_transform(XX)
                    cases.append(dict(data=data, algorithm=algorithm, fun=fun, whiten=whiten,
                                      components=L(ica.components_), mixing=L(ica.mixing_), mean=L(ica.mean_),
                                      nIter=int(ica.n_iter_), sources=L(Sx[:20])))
    dump("ica.json", dict(S=L(S), X3=L(X), X4=L(X4), A=L(A), wInit=L(w_init), cases=cases))



def sparse_fixtures():
    from sklearn.decomposition import SparseCoder
    rng = np.random.RandomState(3)
    lasso = []
    problems = {}
    for name, n, p in (("tall", 30, 12), ("wide", 15, 30)):
        X = rng.randn(n, p)
        w = np.zeros(p)
        w[[1, 4, 7]] = [2.0, -1.5, 0.8]
        y = X @ w + 0.1 * rng.randn(n)
        problems[name] = dict(X=L(X), y=L(y))
        for alpha in (0.01, 0.1, 0.5):
            cd = Lasso(alpha=alpha, fit_intercept=False, tol=1e-12, max_iter=100000).fit(X, y)
            cd4 = Lasso(alpha=alpha, fit_intercept=False).fit(X, y)
            lars = LassoLars(alpha=alpha, fit_intercept=False, normalize=False).fit(X, y)
            lasso.append(dict(problem=name, alpha=alpha, cdExact=L(cd.coef_), cd=L(cd4.coef_), cdNIter=int(cd4.n_iter_),
                              cdGap=float(cd4.dual_gap_), lars=L(lars.coef_)))
    # OMP
    D = rng.randn(40, 60)
    D /= np.linalg.norm(D, axis=0)
    Y = np.zeros((40, 6))
    for t in range(6):
        z = np.zeros(60)
        z[rng.choice(60, 4, replace=False)] = rng.randn(4) * 2
        Y[:, t] = D @ z + 0.01 * rng.randn(40)
    omp = []
    for t in range(6):
        for kind, kw in (("k3", dict(n_nonzero_coefs=3)), ("k6", dict(n_nonzero_coefs=6)), ("tol", dict(tol=0.05))):
            c = orthogonal_mp(D, Y[:, t], **kw)
            cg = orthogonal_mp_gram(D.T @ D, D.T @ Y[:, t], norms_squared=np.array([Y[:, t] @ Y[:, t]]) if "tol" in kw else None, **kw)
            omp.append(dict(signal=t, kind=kind, coef=L(c), coefGram=L(cg), support=[int(i) for i in np.flatnonzero(c)]))
    # SparseCoder over a fixed dictionary (rows = atoms)
    Dict = rng.randn(20, 10)
    Dict /= np.linalg.norm(Dict, axis=1, keepdims=True)
    Xs = rng.randn(8, 10)
    coder = {}
    for alg, kw in (("lasso_lars", dict(transform_alpha=0.3)), ("lasso_cd", dict(transform_alpha=0.3)),
                    ("threshold", dict(transform_alpha=0.3)), ("omp", dict(transform_n_nonzero_coefs=3))):
        sc = SparseCoder(dictionary=Dict, transform_algorithm=alg, **kw)
        coder[alg] = L(sc.transform(Xs))
    dump("sparse.json", dict(problems=problems, lasso=lasso, omp=dict(D=L(D), Y=L(Y.T), cases=omp),
                             coder=dict(dictionary=L(Dict), X=L(Xs), codes=coder)))



def nmf_fixtures():
    rng = np.random.RandomState(5)
    X = np.abs(rng.randn(30, 4)) @ np.abs(rng.randn(4, 12)) + 0.1 * np.abs(rng.randn(30, 12))
    X[0, 3] = 0.0
    inits = {}
    for init in ("nndsvd", "nndsvda"):
        W, H = _initialize_nmf(X, 4, init=init, random_state=0)
        inits[init] = dict(W=L(W), H=L(H))
    W0, H0 = _initialize_nmf(X, 4, init="random", random_state=1)
    runs = []
    for solver in ("cd", "mu"):
        for reg in (dict(), dict(alpha_W=0.01, l1_ratio=0.5)):
            m = NMF(n_components=4, init="custom", solver=solver, max_iter=300, tol=1e-4, **reg)
            W = m.fit_transform(X, W=W0.copy(), H=H0.copy())
            runs.append(dict(solver=solver, alphaW=reg.get("alpha_W", 0.0), l1Ratio=reg.get("l1_ratio", 0.0),
                             W=L(W), H=L(m.components_), nIter=int(m.n_iter_), err=float(m.reconstruction_err_),
                             transform=L(m.transform(X[:5]))))
    dump("nmf.json", dict(X=L(X), inits=inits, W0=L(W0), H0=L(H0), runs=runs))



def dict_fixtures():
    from sklearn.decomposition import DictionaryLearning, dict_learning
    rng = np.random.RandomState(11)
    X = rng.randn(40, 6) @ rng.randn(6, 6)
    runs = []
    for alg in ("lars", "cd"):
        code, dictionary, errors, n_iter = dict_learning(X, 5, alpha=0.5, max_iter=15, tol=1e-12, method=alg,
                                                         random_state=0, return_n_iter=True)
        runs.append(dict(fitAlgorithm=alg, components=L(dictionary), codes=L(code), errors=L(errors), nIter=int(n_iter)))
    dump("dict.json", dict(X=L(X), alpha=0.5, nComponents=5, runs=runs))


ALL = {"pca": pca_fixtures, "ica": ica_fixtures, "sparse": sparse_fixtures, "nmf": nmf_fixtures, "dict": dict_fixtures}

if __name__ == "__main__":
    import sys
    for name in sys.argv[1:] or list(ALL):
        ALL[name]()
