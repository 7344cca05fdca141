/**
 * Quality of a low-dimensional embedding Y of data X (rows are the same samples):
 *
 * - trustworthiness (Venna & Kaski 2001; sklearn.manifold.trustworthiness):
 *   T(k) = 1 − 2 / (n k (2n − 3k − 1)) · Σ_i Σ_{j ∈ N_k^Y(i)} max(0, r(i, j) − k),
 *   r(i, j) = rank of j among the neighbours of i in X (1 = nearest). It penalises points that are
 *   neighbours in the embedding but not in the data.
 * - k-NN preservation: mean over i of |N_k^X(i) ∩ N_k^Y(i)| / k.
 * - 1-NN accuracy: the fraction of test points whose nearest training point (in Y) has their label;
 *   without a test set, the leave-one-out version on Y itself.
 *
 * All are computed a block of rows at a time through the kernels (sqdist, topkRows, argminRows), so
 * memory is O(block · n), never n×n. Ranks use squared distances (same order as distances).
 */
import { ValidationError } from '../core/errors.js';
import type { MatrixLike } from '../core/matrix.js';
import { toLabels } from '../core/validate.js';
import { argminRows, topkRows } from '../kernels/index.js';
import { blockRows, checkSameRows, denseMatrix, forEachDistanceBlock } from './common.js';

function checkK(k: unknown, n: number, fn: string): number {
  if (typeof k !== 'number' || !Number.isInteger(k) || k < 1) {
    throw new ValidationError(`${fn}: k must be an integer >= 1; got ${String(k)}`);
  }
  if (k > n - 1) throw new ValidationError(`${fn}: k=${k} must be <= nSamples - 1 = ${n - 1}`);
  return k;
}

/** Indices of the k nearest other rows of each row of M (n × k, ascending distance). */
function knnIndices(M: ReturnType<typeof denseMatrix>, k: number): Int32Array {
  const n = M.rows;
  const idx = new Int32Array(n * k);
  const val = new Float64Array(Math.min(blockRows(n), n) * k);
  forEachDistanceBlock(M, M, (i0, m, D) => {
    for (let r = 0; r < m; r++) D[r * n + i0 + r] = Infinity;
    topkRows(m, n, k, D, idx.subarray(i0 * k, (i0 + m) * k), val.subarray(0, m * k));
  });
  return idx;
}

/**
 * Trustworthiness of the embedding Y of X with k neighbours (1 = every embedding neighbour is a data
 * neighbour). Equals sklearn.manifold.trustworthiness(X, Y, n_neighbors=k), Euclidean metric.
 * @example trustworthiness(X, tsne.embedding, 10)
 */
export function trustworthiness(X: MatrixLike, Y: MatrixLike, k = 5): number {
  const MX = denseMatrix(X, 'X');
  const MY = denseMatrix(Y, 'Y');
  checkSameRows(MX, MY, 'X', 'Y');
  const n = MX.rows;
  checkK(k, n, 'trustworthiness');
  if (k >= n / 2) throw new ValidationError(`trustworthiness: k=${k} must be < nSamples / 2 = ${n / 2}`);
  const nbrY = knnIndices(MY, k);
  const sorted = new Float64Array(k);
  const hist = new Int32Array(k + 1);
  let penalty = 0;
  forEachDistanceBlock(MX, MX, (i0, m, D) => {
    for (let r = 0; r < m; r++) {
      const i = i0 + r;
      const row = D.subarray(r * n, (r + 1) * n);
      // Only the sorted distances to the embedding neighbours matter, not which neighbour is which:
      // a typed-array sort (numeric, in place) allocates nothing per row.
      for (let t = 0; t < k; t++) sorted[t] = row[nbrY[i * k + t]!]!;
      sorted.sort();
      // rank of target q = 1 + #{l ≠ i : d(i,l) < s_q}: histogram of how many targets each d(i,l) reaches.
      hist.fill(0);
      for (let l = 0; l < n; l++) {
        if (l === i) continue;
        const v = row[l]!;
        let lo = 0;
        let hi = k;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (sorted[mid]! <= v) lo = mid + 1;
          else hi = mid;
        }
        hist[lo]!++;
      }
      let less = 0;
      for (let q = 0; q < k; q++) {
        less += hist[q]!;
        const rank = less + 1;
        if (rank > k) penalty += rank - k;
      }
    }
  });
  return 1 - penalty * (2 / (n * k * (2 * n - 3 * k - 1)));
}

/**
 * Mean fraction of each point's k nearest neighbours in X that are also among its k nearest in Y.
 * @example knnPreservation(X, Y, 10) // 1 for an isometric embedding
 */
export function knnPreservation(X: MatrixLike, Y: MatrixLike, k = 10): number {
  const MX = denseMatrix(X, 'X');
  const MY = denseMatrix(Y, 'Y');
  checkSameRows(MX, MY, 'X', 'Y');
  const n = MX.rows;
  checkK(k, n, 'knnPreservation');
  const a = knnIndices(MX, k);
  const b = knnIndices(MY, k);
  const mark = new Int32Array(n).fill(-1);
  let kept = 0;
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < k; t++) mark[a[i * k + t]!] = i;
    for (let t = 0; t < k; t++) if (mark[b[i * k + t]!] === i) kept++;
  }
  return kept / (n * k);
}

/**
 * 1-nearest-neighbour classification accuracy in an embedding: test points labelled by their nearest
 * training point. With only (Y, y), the leave-one-out accuracy on Y (each point's nearest other point).
 * @example oneNnAccuracy(Ytrain, ytrain, Ytest, ytest)
 * @example oneNnAccuracy(embedding, labels) // leave-one-out
 */
export function oneNnAccuracy(
  Ytrain: MatrixLike,
  ytrain: ArrayLike<number>,
  Ytest?: MatrixLike,
  ytest?: ArrayLike<number>,
): number {
  const A = denseMatrix(Ytrain, 'Ytrain');
  const ya = toLabels(ytrain, 'ytrain');
  if (ya.length !== A.rows)
    throw new ValidationError(`ytrain has ${ya.length} entries but Ytrain has ${A.rows} rows`);
  const loo = Ytest === undefined;
  if (loo && ytest !== undefined) throw new ValidationError('oneNnAccuracy: ytest given without Ytest');
  if (loo && A.rows < 2) throw new ValidationError('oneNnAccuracy: leave-one-out needs at least 2 samples');
  const B = loo ? A : denseMatrix(Ytest, 'Ytest');
  if (!loo && ytest === undefined) throw new ValidationError('oneNnAccuracy: Ytest given without ytest');
  const yb = loo ? ya : toLabels(ytest!, 'ytest');
  if (yb.length !== B.rows)
    throw new ValidationError(`ytest has ${yb.length} entries but Ytest has ${B.rows} rows`);
  if (B.cols !== A.cols) throw new ValidationError(`Ytest has ${B.cols} columns but Ytrain has ${A.cols}`);
  const p = A.rows;
  const idx = new Int32Array(Math.min(blockRows(p), B.rows));
  const val = new Float64Array(idx.length);
  let correct = 0;
  forEachDistanceBlock(B, A, (i0, m, D) => {
    if (loo) for (let r = 0; r < m; r++) D[r * p + i0 + r] = Infinity;
    argminRows(m, p, D, idx, val);
    for (let r = 0; r < m; r++) if (ya[idx[r]!] === yb[i0 + r]) correct++;
  });
  return correct / B.rows;
}
