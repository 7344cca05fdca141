/**
 * Clustering benchmarks, side by side in one run on the same data (written to temporary .npy files
 * for Python):
 * - KMeans on MNIST (k = 10, nInit restarts): ours (Elkan and Lloyd) vs scikit-learn 1.2 (lloyd, its
 *   default, and elkan) vs ml-kmeans (one run per restart, k-means++); inertias compared.
 * - Ward agglomerative clustering: ours vs scikit-learn (scipy's NN-chain after pdist) vs ml-hclust
 *   (agnes, 'ward'), ml-hclust on a smaller subset (it is O(n³)); ours is re-timed at that size.
 * - GaussianMixture (10 components, full covariances) on the PCA-50 projection of MNIST: a fixed
 *   number of EM iterations (tol = 0) from k-means initialisation, so both do the same work.
 *
 *   npx tsx bench/cluster.ts            full sizes (60,000 digits, nInit 10; Ward on 10,000)
 *   npx tsx bench/cluster.ts --small    smoke run (5,000 digits, nInit 2; Ward on 1,500)
 *
 * Writes bench/results/cluster.md.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kmeans as mlKmeans } from 'ml-kmeans';
import { agnes } from 'ml-hclust';
import { AgglomerativeClustering, GaussianMixture, KMeans } from '../src/cluster/index.js';
import { Matrix } from '../src/core/matrix.js';
import { loadMnist, writeNpy } from '../src/datasets/index.js';
import { PCA } from '../src/decomposition/index.js';
import { getBackend } from '../src/kernels/index.js';
import { fmt, machineInfo, mdTable, runPython, writeResults } from './common.js';

const small = process.argv.includes('--small');
const nKm = small ? 5000 : 60000;
const nInit = small ? 2 : 10;
const nWard = small ? 1500 : 10000;
const nMl = small ? 500 : 2000;
const nGmm = small ? 5000 : 60000;
const gmmIter = small ? 10 : 50;
const dir = mkdtempSync(join(tmpdir(), 'cluster-bench-'));
const log = (s: string) => console.error(s);
const secs = (t0: number) => (performance.now() - t0) / 1000;

const { X: all } = loadMnist({ split: 'train' });
const Xk = all.rowSlice(0, nKm).clone() as Matrix<Float64Array>;
const Xw = all.rowSlice(0, nWard).clone() as Matrix<Float64Array>;
writeFileSync(join(dir, 'km.npy'), writeNpy(Xk));
writeFileSync(join(dir, 'ward.npy'), writeNpy(Xw));
const Z = new PCA({ nComponents: 50, seed: 0 }).fitTransform(all.rowSlice(0, nGmm));
writeFileSync(join(dir, 'gmm.npy'), writeNpy(Z));

const rows: (string | number)[][] = [];
const ratio = (a: number | null, b: number | null) =>
  a !== null && b !== null ? `${(a / b).toFixed(2)}×` : 'n/a';

// ---------------------------------------------------------------------------------------------
// KMeans
log(`KMeans k=10 nInit=${nInit} on ${nKm} × 784 ...`);
const ours: Record<string, { t: number; inertia: number; nIter: number }> = {};
for (const algorithm of ['elkan', 'lloyd'] as const) {
  const t0 = performance.now();
  const km = new KMeans({ nClusters: 10, nInit, seed: 0, algorithm }).fit(Xk);
  ours[algorithm] = { t: secs(t0), inertia: km.inertia, nIter: km.nIter };
  log(`  ours ${algorithm}: ${ours[algorithm]!.t.toFixed(2)} s, inertia ${km.inertia.toFixed(1)}`);
}
const sk = runPython<{ lloyd: number; elkan: number; il: number; ie: number }>(`
import time, json, numpy as np
from sklearn.cluster import KMeans
X = np.load(${JSON.stringify(join(dir, 'km.npy'))})
out = {}
for algo, key in (('lloyd', 'l'), ('elkan', 'e')):
    t0 = time.perf_counter(); km = KMeans(n_clusters=10, n_init=${nInit}, algorithm=algo, random_state=0).fit(X); out[algo] = time.perf_counter() - t0
    out['i' + key] = float(km.inertia_)
print(json.dumps(out))
`);
log(`  scikit-learn: ${JSON.stringify(sk)}`);
const Xrows = Xk.toArray();
let mlPer = 0;
let mlInertia = Infinity;
{
  const runs = small ? nInit : 1;
  const t0 = performance.now();
  for (let r = 0; r < runs; r++) {
    const res = mlKmeans(Xrows, 10, { initialization: 'kmeans++', seed: r, maxIterations: 300 });
    let inertia = 0;
    for (let i = 0; i < Xrows.length; i++) {
      const c = res.centroids[res.clusters[i]!]!;
      for (let t = 0; t < 784; t++) inertia += (Xrows[i]![t]! - c[t]!) ** 2;
    }
    mlInertia = Math.min(mlInertia, inertia);
  }
  mlPer = secs(t0) / runs;
}
const mlTotal = mlPer * nInit;
log(`  ml-kmeans: ${mlPer.toFixed(2)} s per run`);
const bestOurs = ours.elkan!.t <= ours.lloyd!.t ? 'elkan' : 'lloyd';
const skBest = sk ? Math.min(sk.lloyd, sk.elkan) : null;
rows.push([
  `KMeans k=10, nInit=${nInit}, ${nKm}×784`,
  `${fmt(ours.elkan!.t, 2)} (elkan) / ${fmt(ours.lloyd!.t, 2)} (lloyd)`,
  sk ? `${fmt(sk.lloyd, 2)} (lloyd) / ${fmt(sk.elkan, 2)} (elkan)` : 'n/a',
  `${fmt(mlTotal, 1)}${small ? '' : ' (1 run × nInit)'}`,
  `${ratio(ours[bestOurs]!.t, skBest)} of sklearn's best; ${(mlTotal / ours[bestOurs]!.t).toFixed(1)}× faster than ml-kmeans`,
  `inertia ours ${ours.elkan!.inertia.toExponential(6)} vs sklearn ${sk ? Math.min(sk.il, sk.ie).toExponential(6) : 'n/a'}, ml-kmeans ${mlInertia.toExponential(6)}`,
]);

// ---------------------------------------------------------------------------------------------
// Ward
log(`Ward on ${nWard} × 784 ...`);
let t0 = performance.now();
const ag = new AgglomerativeClustering({ nClusters: 10, linkage: 'ward' }).fit(Xw);
const tWard = secs(t0);
const skWard = runPython<{ t: number; top: number }>(`
import time, json, numpy as np
from sklearn.cluster import AgglomerativeClustering
X = np.load(${JSON.stringify(join(dir, 'ward.npy'))})
t0 = time.perf_counter(); a = AgglomerativeClustering(n_clusters=10, linkage='ward', compute_distances=True).fit(X); t = time.perf_counter() - t0
print(json.dumps({'t': t, 'top': float(a.distances_[-1])}))
`);
log(`  ours ${tWard.toFixed(2)} s, sklearn ${skWard?.t.toFixed(2)} s`);
const Xm = all.rowSlice(0, nMl).clone() as Matrix<Float64Array>;
t0 = performance.now();
new AgglomerativeClustering({ nClusters: 10, linkage: 'ward' }).fit(Xm);
const tOursMl = secs(t0);
const mrows = Xm.toArray();
t0 = performance.now();
agnes(mrows, { method: 'ward' });
const tMl = secs(t0);
log(`  at ${nMl}: ours ${tOursMl.toFixed(3)} s, ml-hclust ${tMl.toFixed(2)} s`);
rows.push([
  `Ward, ${nWard}×784 (ml-hclust at ${nMl})`,
  `${fmt(tWard, 2)} (${fmt(tOursMl, 3)} at ${nMl})`,
  skWard ? fmt(skWard.t, 2) : 'n/a',
  fmt(tMl, 2),
  `${ratio(tWard, skWard?.t ?? null)} of sklearn; ${(tMl / tOursMl).toFixed(0)}× faster than ml-hclust`,
  `top merge height ours ${ag.distances[nWard - 2]!.toFixed(6)} vs sklearn ${skWard ? skWard.top.toFixed(6) : 'n/a'}`,
]);

// ---------------------------------------------------------------------------------------------
// GMM
log(`GMM k=10 full on PCA-50 of ${nGmm} digits, ${gmmIter} EM iterations ...`);
t0 = performance.now();
const gm = new GaussianMixture({
  nComponents: 10,
  covarianceType: 'full',
  maxIter: gmmIter,
  tol: 0,
  seed: 0,
}).fit(Z);
const tGmm = secs(t0);
const skGmm = runPython<{ t: number; lb: number }>(`
import time, json, numpy as np, warnings
warnings.filterwarnings('ignore')
from sklearn.mixture import GaussianMixture
X = np.load(${JSON.stringify(join(dir, 'gmm.npy'))})
t0 = time.perf_counter(); g = GaussianMixture(10, covariance_type='full', max_iter=${gmmIter}, tol=0, random_state=0).fit(X); t = time.perf_counter() - t0
print(json.dumps({'t': t, 'lb': float(g.lower_bound_)}))
`);
log(`  ours ${tGmm.toFixed(2)} s, sklearn ${skGmm?.t.toFixed(2)} s`);
rows.push([
  `GaussianMixture k=10 full, PCA-50 of ${nGmm}, ${gmmIter} EM iterations`,
  fmt(tGmm, 2),
  skGmm ? fmt(skGmm.t, 2) : 'n/a',
  '–',
  `${ratio(tGmm, skGmm?.t ?? null)} of sklearn`,
  `lower bound ours ${gm.lowerBound.toFixed(4)} vs sklearn ${skGmm ? skGmm.lb.toFixed(4) : 'n/a'}`,
]);

rmSync(dir, { recursive: true, force: true });
const md = `## Clustering (bench/cluster.ts${small ? ' --small' : ''})

Command: \`npx tsx bench/cluster.ts${small ? ' --small' : ''}\` · ${machineInfo()} · kernels: ${getBackend().description} · ${new Date().toISOString().slice(0, 10)}

Wall-clock seconds of one fit each (scikit-learn ${small ? '' : 'and ml-kmeans '}timed in the same run on the same data; scikit-learn uses its default threads).
${small ? '\n*Smoke run at reduced sizes — not the figures to quote.*\n' : ''}
${mdTable(['task', 'ours (s)', 'scikit-learn 1.2 (s)', 'JS peer (s)', 'ratio', 'check'], rows)}
`;
writeResults('cluster', md);
