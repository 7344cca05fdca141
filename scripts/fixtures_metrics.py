#!/usr/bin/python3
"""Reference values for src/metrics, computed with scikit-learn on fixed inputs.

Run: /usr/bin/python3 scripts/fixtures_metrics.py   (scikit-learn 1.2, numpy)
Writes test/fixtures/metrics/{labels,silhouette,embedding,internal}.json. Inputs are stored in the
JSON next to the expected values, so the TypeScript tests never depend on numpy's RNG.
"""
import json
import os

import numpy as np
import sklearn
from sklearn import metrics
from sklearn.manifold import trustworthiness
from sklearn.metrics.cluster import contingency_matrix
from sklearn.neighbors import KNeighborsClassifier

OUT = os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures', 'metrics')
os.makedirs(OUT, exist_ok=True)
rng = np.random.RandomState(20240601)


def dump(name, obj):
    obj = {'generator': 'scripts/fixtures_metrics.py', 'sklearn': sklearn.__version__, **obj}
    with open(os.path.join(OUT, name), 'w') as f:
        json.dump(obj, f, indent=None, separators=(',', ':'))
        f.write('\n')


def purity(a, b):
    c = contingency_matrix(a, b)
    return float(c.max(axis=0).sum() / c.sum())


# ---------------------------------------------------------------- label-comparison metrics
label_cases = []


def add_label_case(name, a, b):
    a = [int(v) for v in a]
    b = [int(v) for v in b]
    case = {
        'name': name,
        'a': a,
        'b': b,
        'ari': float(metrics.adjusted_rand_score(a, b)),
        'nmi': {m: float(metrics.normalized_mutual_info_score(a, b, average_method=m))
                for m in ('arithmetic', 'geometric', 'min', 'max')},
        'ami': float(metrics.adjusted_mutual_info_score(a, b)),
        'mi': float(metrics.mutual_info_score(a, b)),
        'homogeneity': float(metrics.homogeneity_score(a, b)),
        'completeness': float(metrics.completeness_score(a, b)),
        'vMeasure': float(metrics.v_measure_score(a, b)),
        'fowlkesMallows': float(metrics.fowlkes_mallows_score(a, b)),
        'purity': purity(a, b),
    }
    if len(set(a)) * len(set(b)) <= 400:
        case['contingency'] = contingency_matrix(a, b).tolist()
        case['rowLabels'] = sorted(set(a))
        case['colLabels'] = sorted(set(b))
    label_cases.append(case)


add_label_case('random 5 vs 7', rng.randint(0, 5, 200), rng.randint(0, 7, 200))
t = rng.randint(0, 4, 120)
noisy = t.copy()
flip = rng.rand(120) < 0.2
noisy[flip] = rng.randint(0, 4, flip.sum())
add_label_case('noisy copy', t, noisy)
add_label_case('permuted identical', t, (t * 3 + 11) % 4 + 100)
add_label_case('odd label values', rng.choice([-3, 7, 10, 42], 60), rng.choice([-1, 0, 5], 60))
add_label_case('one cluster vs many', np.zeros(30, int), rng.randint(0, 3, 30))
add_label_case('singletons', rng.randint(0, 3, 25), np.arange(25))
add_label_case('both constant', np.zeros(10, int), np.ones(10, int))
add_label_case('sklearn doc -0.5', [0, 0, 1, 1], [0, 1, 0, 1])
add_label_case('two samples', [0, 1], [0, 0])
add_label_case('large 10 vs 12', rng.randint(0, 10, 5000), rng.randint(0, 12, 5000))
dump('labels.json', {'cases': label_cases})

# ---------------------------------------------------------------- silhouette
sil_cases = []


def add_sil_case(name, X, labels):
    X = np.asarray(X, dtype=np.float64)
    labels = np.asarray(labels)
    sil_cases.append({
        'name': name,
        'X': X.tolist(),
        'labels': [int(v) for v in labels],
        'score': float(metrics.silhouette_score(X, labels)),
        'samples': [float(v) for v in metrics.silhouette_samples(X, labels)],
    })


centers = rng.randn(3, 4) * 4
lab = rng.randint(0, 3, 150)
X = centers[lab] + rng.randn(150, 4)
add_sil_case('blobs 3 clusters', X, lab)
add_sil_case('blobs random labels', X, rng.randint(0, 4, 150))
lab2 = lab.copy()
lab2[0] = 9  # a singleton cluster gets silhouette 0
add_sil_case('with singleton', X, lab2)
add_sil_case('1-D two groups', np.concatenate([rng.randn(20, 1), rng.randn(25, 1) + 3]), [0] * 20 + [1] * 25)
dump('silhouette.json', {'cases': sil_cases})

# ---------------------------------------------------------------- embedding quality
emb_cases = []
Xh = rng.randn(120, 10)
Xh[:40] += 3
W = rng.randn(10, 2)
Y = Xh @ W + 0.5 * rng.randn(120, 2)
for k in (1, 5, 12):
    emb_cases.append({
        'name': f'random projection k={k}',
        'X': Xh.tolist(), 'Y': Y.tolist(), 'k': k,
        'trustworthiness': float(trustworthiness(Xh, Y, n_neighbors=k)),
    })
Yr = rng.randn(120, 2)
emb_cases.append({'name': 'random embedding k=7', 'X': Xh.tolist(), 'Y': Yr.tolist(), 'k': 7,
                  'trustworthiness': float(trustworthiness(Xh, Yr, n_neighbors=7))})

# 1-NN accuracy: train/test split of the same projected data with 3 classes.
cls = (Xh[:, 0] > 0).astype(int) + (Xh[:, 1] > 0.5).astype(int)
knn = KNeighborsClassifier(n_neighbors=1).fit(Y[:80], cls[:80])
one_nn = {'Ytrain': Y[:80].tolist(), 'ytrain': cls[:80].tolist(), 'Ytest': Y[80:].tolist(),
          'ytest': cls[80:].tolist(), 'accuracy': float(knn.score(Y[80:], cls[80:]))}
dump('embedding.json', {'trustworthiness': emb_cases, 'oneNn': one_nn})

# ---------------------------------------------------------------- internal indices
int_cases = []
for name, labels in (('blobs 3 clusters', lab), ('random 4 labels', rng.randint(0, 4, 150))):
    ks = np.unique(labels)
    C = np.stack([X[labels == k].mean(axis=0) for k in ks])
    idx = np.searchsorted(ks, labels)
    int_cases.append({
        'name': name,
        'X': X.tolist(),
        'labels': [int(v) for v in labels],
        'centers': C.tolist(),
        'inertia': float(((X - C[idx]) ** 2).sum()),
        'daviesBouldin': float(metrics.davies_bouldin_score(X, labels)),
        'calinskiHarabasz': float(metrics.calinski_harabasz_score(X, labels)),
    })
dump('internal.json', {'cases': int_cases})
print('wrote', OUT)
