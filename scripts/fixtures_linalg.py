"""Reference values for test/linalg from numpy/scipy (LAPACK). Run: /usr/bin/python3 scripts/fixtures_linalg.py

Writes test/fixtures/linalg/linalg.json: small fixed matrices and numpy's eigenvalues, singular
values, QR factors, Cholesky factors, solutions and log-determinants. Inputs are generated here with
a fixed seed and stored in the JSON, so the TypeScript tests never need Python.
"""
import json
import os

import numpy as np
import scipy.linalg as sla

rng = np.random.default_rng(20261123)
out = {}


def mat(a):
    return [[float(v) for v in row] for row in np.asarray(a)]


def vec(a):
    return [float(v) for v in np.asarray(a).ravel()]


# eigh: a random symmetric matrix, one with repeated eigenvalues, a 1x1.
X = rng.standard_normal((6, 6))
S = (X + X.T) / 2
w, V = np.linalg.eigh(S)
out["eigh_random"] = {"A": mat(S), "values": vec(w), "vectors": mat(V)}
Q, _ = np.linalg.qr(rng.standard_normal((7, 7)))
R = Q @ np.diag([1.0, 1.0, 1.0, 2.0, 3.0, 3.0, -4.0]) @ Q.T
R = (R + R.T) / 2
out["eigh_repeated"] = {"A": mat(R), "values": vec(np.linalg.eigh(R)[0])}
# Graded matrix: eigenvalues spanning 1e-12..1.
Q, _ = np.linalg.qr(rng.standard_normal((8, 8)))
G = Q @ np.diag(np.logspace(-12, 0, 8)) @ Q.T
G = (G + G.T) / 2
out["eigh_graded"] = {"A": mat(G), "values": vec(np.linalg.eigh(G)[0])}

# svd: tall, wide, ill-conditioned (cond 1e12), rank-deficient.
A = rng.standard_normal((7, 4))
U, s, Vt = np.linalg.svd(A, full_matrices=False)
out["svd_tall"] = {"A": mat(A), "s": vec(s), "U": mat(U), "Vt": mat(Vt)}
A = rng.standard_normal((4, 7))
out["svd_wide"] = {"A": mat(A), "s": vec(np.linalg.svd(A, compute_uv=False))}
Ua, _ = np.linalg.qr(rng.standard_normal((9, 6)))
Va, _ = np.linalg.qr(rng.standard_normal((6, 6)))
sig = np.logspace(0, -12, 6)
A = Ua @ np.diag(sig) @ Va.T
out["svd_illcond"] = {"A": mat(A), "s": vec(np.linalg.svd(A, compute_uv=False)), "s_true": vec(sig)}
A = rng.standard_normal((6, 3)) @ rng.standard_normal((3, 5))
out["svd_rank3"] = {"A": mat(A), "s": vec(np.linalg.svd(A, compute_uv=False))}

# qr (numpy = LAPACK dgeqrf/dorgqr, same sign convention as ours).
A = rng.standard_normal((6, 4))
Q, R = np.linalg.qr(A)
out["qr_tall"] = {"A": mat(A), "Q": mat(Q), "R": mat(R)}
A = rng.standard_normal((3, 5))
Q, R = np.linalg.qr(A)
out["qr_wide"] = {"A": mat(A), "Q": mat(Q), "R": mat(R)}

# cholesky, triangular solves, solve, slogdet, inv.
X = rng.standard_normal((5, 5))
S = X @ X.T + 0.5 * np.eye(5)
L = np.linalg.cholesky(S)
out["cholesky"] = {"A": mat(S), "L": mat(L), "logdet": float(np.linalg.slogdet(S)[1])}
B = rng.standard_normal((5, 2))
out["triangular"] = {
    "L": mat(L),
    "B": mat(B),
    "lower": mat(sla.solve_triangular(L, B, lower=True)),
    "lowerTrans": mat(sla.solve_triangular(L, B, lower=True, trans="T")),
    "upper": mat(sla.solve_triangular(L.T, B, lower=False)),
    "unitLower": mat(sla.solve_triangular(L, B, lower=True, unit_diagonal=True)),
}
A = rng.standard_normal((6, 6))
B = rng.standard_normal((6, 3))
sign, logabs = np.linalg.slogdet(A)
out["solve"] = {
    "A": mat(A),
    "B": mat(B),
    "X": mat(np.linalg.solve(A, B)),
    "sign": float(sign),
    "logAbsDet": float(logabs),
    "inv": mat(np.linalg.inv(A)),
}
A = rng.standard_normal((5, 5))
A[0] = -A[0]
sign, logabs = np.linalg.slogdet(A)
out["slogdet2"] = {"A": mat(A), "sign": float(sign), "logAbsDet": float(logabs)}

path = os.path.join(os.path.dirname(__file__), "..", "test", "fixtures", "linalg", "linalg.json")
with open(path, "w") as f:
    json.dump(out, f, indent=1)
print("wrote", os.path.normpath(path))
