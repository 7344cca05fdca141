"""Reference fixtures for test/manifold (scikit-learn 1.2): t-SNE joint probabilities (exact and k-NN),
binary-search betas, and LLE embeddings. Run: /usr/bin/python3 scripts/fixtures_manifold.py"""
import json, os
import numpy as np
from scipy.spatial.distance import squareform
from sklearn.manifold import _t_sne, LocallyLinearEmbedding
from sklearn.manifold._utils import _binary_search_perplexity
from sklearn.metrics import pairwise_distances
from sklearn.neighbors import NearestNeighbors
from sklearn.datasets import make_swiss_roll

out = os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures', 'manifold')
os.makedirs(out, exist_ok=True)
rng = np.random.RandomState(0)

# exact joint probabilities on 40 points in 4-D (two clusters), perplexity 10
X = np.vstack([rng.normal(0, 1, (20, 4)), rng.normal(3, 1.5, (20, 4))])
D = pairwise_distances(X, squared=True)
P = squareform(_t_sne._joint_probabilities(D, 10.0, 0))
cond = _binary_search_perplexity(D.astype(np.float32), 10.0, 0)
json.dump({'X': X.tolist(), 'perplexity': 10.0, 'P': P.tolist(), 'conditional': cond.tolist()},
          open(os.path.join(out, 'joint_exact.json'), 'w'))

# k-NN joint probabilities on 80 points in 6-D, perplexity 8, k = floor(3*8+1) = 25
X2 = rng.normal(0, 1, (80, 6))
X2[40:] += 2.5
k = int(min(79, np.floor(3 * 8 + 1)))
nn = NearestNeighbors(n_neighbors=k).fit(X2)
Dk = nn.kneighbors_graph(mode='distance')
Dk.data **= 2
Pnn = _t_sne._joint_probabilities_nn(Dk, 8.0, 0).toarray()
json.dump({'X': X2.tolist(), 'perplexity': 8.0, 'k': k, 'P': Pnn.tolist()},
          open(os.path.join(out, 'joint_knn.json'), 'w'))

# LLE (standard, dense eigen solver) on a 300-point swiss roll, 12 neighbours, 2 components
Xs, t = make_swiss_roll(n_samples=300, noise=0.0, random_state=1)
lle = LocallyLinearEmbedding(n_neighbors=12, n_components=2, eigen_solver='dense', reg=1e-3)
Y = lle.fit_transform(Xs)
Xq = Xs[:5] + 0.05
json.dump({'X': Xs.tolist(), 't': t.tolist(), 'nNeighbors': 12, 'embedding': Y.tolist(),
           'reconstructionError': float(lle.reconstruction_error_),
           'Xq': Xq.tolist(), 'transform': lle.transform(Xq).tolist()},
          open(os.path.join(out, 'lle_swiss.json'), 'w'))
print('written to', out)
