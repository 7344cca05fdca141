/**
 * t-SNE input-affinity stage on MNIST after PCA-50: exact k-NN (10,000 points, k = 91), the
 * perplexity search (perplexity 30) and the whole `tsneAffinities` with neighbors 'auto' at 70,000
 * points (approximate k-NN), with the recall of its graph on 2,000 sampled rows against an exact
 * query. Medians of --reps runs (default 3; 1 for the 70,000 stage).
 *
 *   npx tsx bench/manifold-affinity.ts [--reps=3] [--skip-70k]
 */
import { Matrix } from '../src/core/matrix.js';
import { loadMnist } from '../src/datasets/index.js';
import { PCA } from '../src/decomposition/index.js';
import { exactKnn, approxKnn, exactKnnQuery } from '../src/manifold/knn.js';
import { binarySearchPerplexity } from '../src/manifold/affinity.js';
import { tsneAffinities } from '../src/manifold/tsne.js';

const repsArg = process.argv.find((a) => a.startsWith('--reps='));
const reps = repsArg ? Number(repsArg.slice(7)) : 3;
const skip70k = process.argv.includes('--skip-70k');
const k = 91;
const median = (a: number[]): number => a.slice().sort((x, y) => x - y)[a.length >> 1]!;
const time = (f: () => void): number => {
  const t0 = performance.now();
  f();
  return (performance.now() - t0) / 1000;
};

function pca50(n: number): Float64Array {
  const tr = loadMnist({ split: 'train', limit: Math.min(n, 60000) });
  let X = tr.X.data as Float64Array;
  if (n > 60000) {
    const te = loadMnist({ split: 'test', limit: n - 60000 });
    const Y = new Float64Array(n * 784);
    Y.set(X);
    Y.set(te.X.data as Float64Array, 60000 * 784);
    X = Y;
  }
  return new PCA({ nComponents: 50, seed: 0 }).fitTransform(new Matrix(X, n, 784)).data as Float64Array;
}

const X10 = pca50(10000);
const tk: number[] = [];
const tp: number[] = [];
for (let r = 0; r < reps; r++) {
  let g = exactKnn(X10, 10000, 50, k);
  tk.push(time(() => (g = exactKnn(X10, 10000, 50, k))));
  tp.push(time(() => binarySearchPerplexity(g.distances, 10000, k, 30)));
}
console.log(
  `10,000 x 50, k = ${k}: exact k-NN ${median(tk).toFixed(3)} s, perplexity search ${median(tp).toFixed(3)} s`,
);

if (!skip70k) {
  const n = 70000;
  const X = pca50(n);
  const ta: number[] = [];
  for (let r = 0; r < Math.max(1, reps - 2); r++)
    ta.push(time(() => tsneAffinities(X, n, 50, 30, false, 'auto', 0)));
  const g = approxKnn(X, n, 50, k, { seed: 0 });
  const m = 2000;
  const Q = new Float64Array(m * 50);
  const rows: number[] = [];
  for (let q = 0; q < m; q++) {
    const i = (q * 35) % n;
    rows.push(i);
    Q.set(X.subarray(i * 50, i * 50 + 50), q * 50);
  }
  const ex = exactKnnQuery(Q, m, X, n, 50, k + 1);
  let hit = 0;
  for (let q = 0; q < m; q++) {
    const i = rows[q]!;
    const want = new Set<number>();
    for (let t = 0; t <= k && want.size < k; t++)
      if (ex.indices[q * (k + 1) + t] !== i) want.add(ex.indices[q * (k + 1) + t]!);
    for (let t = 0; t < k; t++) if (want.has(g.indices[i * k + t]!)) hit++;
  }
  console.log(
    `70,000 x 50: tsneAffinities (auto) ${median(ta).toFixed(3)} s, k-NN recall ${(hit / (m * k)).toFixed(4)}`,
  );
}
