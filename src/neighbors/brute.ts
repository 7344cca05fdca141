/**
 * Exact nearest neighbours by brute force, as scikit-learn's `algorithm='brute'`: squared distances
 * ‖q‖² + ‖x‖² − 2 q·x for a block of queries against all points through the gemm kernel, then a
 * bounded heap per query. Query blocks are sized so the distance block stays near 32 MB whatever n
 * (60,000 × 60,000 never materialises). The k winners' distances are then recomputed directly from
 * the coordinates, so that near-duplicates are not blurred by the cancellation of the expanded
 * formula (a point's distance to itself is exactly 0), and re-sorted.
 *
 * Inner functions assume validated, row-major float64 input.
 */
import { rowSqNorms, sqdist } from '../kernels/index.js';
import { KBest, KBestMany } from './select.js';

/** Bytes of the distance block per query batch. */
const BLOCK_BYTES = 32 * 1024 * 1024;

export function blockRows(n: number): number {
  return Math.max(1, Math.min(2048, Math.floor(BLOCK_BYTES / 8 / Math.max(1, n))));
}

/** Exact squared Euclidean distance between row i of A and row j of B (both d columns). */
export function exactSqDist(A: Float64Array, i: number, B: Float64Array, j: number, d: number): number {
  let s = 0;
  const a = i * d;
  const b = j * d;
  for (let t = 0; t < d; t++) {
    const v = A[a + t]! - B[b + t]!;
    s += v * v;
  }
  return s;
}

/**
 * k nearest rows of X (n×d) for each row of Q (m×d). With `excludeSelf`, Q must be X and query i
 * never returns i. Writes ascending Euclidean distances into outDist (m×k) and indices into outIdx.
 */
export function bruteKnn(
  X: Float64Array,
  n: number,
  d: number,
  Q: Float64Array,
  m: number,
  k: number,
  excludeSelf: boolean,
  outIdx: Int32Array,
  outDist: Float64Array,
): void {
  if (excludeSelf && Q === X) {
    bruteKnnSelf(X, n, d, k, outIdx, outDist);
    return;
  }
  const xn = new Float64Array(n);
  rowSqNorms(n, d, X, xn);
  const qn = Q === X ? xn : new Float64Array(m);
  if (Q !== X) rowSqNorms(m, d, Q, qn);
  const B = blockRows(n);
  const D = new Float64Array(B * n);
  const heap = new KBest(k);
  for (let s = 0; s < m; s += B) {
    const e = Math.min(m, s + B);
    const b = e - s;
    sqdist(b, n, d, Q.subarray(s * d, e * d), X, D, { xNorms: qn.subarray(s, e), yNorms: xn });
    for (let r = 0; r < b; r++) {
      const qi = s + r;
      const row = r * n;
      heap.reset();
      for (let j = 0; j < n; j++) {
        if (excludeSelf && j === qi) continue;
        const v = D[row + j]!;
        if (v <= heap.worst()) heap.push(v, j);
      }
      // exact distances of the winners, then sort (insertion sort: k is small)
      const size = heap.size;
      const o = qi * k;
      heap.drainSorted(outIdx, outDist, o, false);
      for (let t = 0; t < size; t++) outDist[o + t] = Math.sqrt(exactSqDist(Q, qi, X, outIdx[o + t]!, d));
      insertionSortPairs(outDist, outIdx, o, o + size);
    }
  }
}

/**
 * k-NN of every row of X among the others, using the symmetry d(i, j) = d(j, i): each block of rows
 * is compared only with the rows from its own start onwards, and every distance feeds both rows'
 * heaps — half the flops of the general query.
 */
function bruteKnnSelf(
  X: Float64Array,
  n: number,
  d: number,
  k: number,
  outIdx: Int32Array,
  outDist: Float64Array,
): void {
  const xn = new Float64Array(n);
  rowSqNorms(n, d, X, xn);
  const B = blockRows(n);
  const D = new Float64Array(B * n);
  const heaps = new KBestMany(n, k);
  for (let s = 0; s < n; s += B) {
    const e = Math.min(n, s + B);
    const b = e - s;
    const w = n - s; // columns s..n-1
    sqdist(b, w, d, X.subarray(s * d, e * d), X.subarray(s * d), D, {
      xNorms: xn.subarray(s, e),
      yNorms: xn.subarray(s),
    });
    for (let r = 0; r < b; r++) {
      const i = s + r;
      const row = r * w;
      for (let c = r + 1; c < w; c++) {
        const v = D[row + c]!;
        const j = s + c;
        if (v <= heaps.worst(i)) heaps.push(i, v, j);
        if (v <= heaps.worst(j)) heaps.push(j, v, i);
      }
    }
  }
  for (let i = 0; i < n; i++) {
    // exact distances of the winners, sorted (as the general path)
    const o = i * k;
    for (let t = 0; t < k; t++) {
      outIdx[o + t] = heaps.idx[o + t]!;
      outDist[o + t] = Math.sqrt(exactSqDist(X, i, X, heaps.idx[o + t]!, d));
    }
    insertionSortPairs(outDist, outIdx, o, o + k);
  }
}

/** Sorts dist[lo:hi] ascending (ties by index), permuting idx alongside. */
export function insertionSortPairs(dist: Float64Array, idx: Int32Array, lo: number, hi: number): void {
  for (let a = lo + 1; a < hi; a++) {
    const dv = dist[a]!;
    const iv = idx[a]!;
    let c = a - 1;
    while (c >= lo && (dist[c]! > dv || (dist[c] === dv && idx[c]! > iv))) {
      dist[c + 1] = dist[c]!;
      idx[c + 1] = idx[c]!;
      c--;
    }
    dist[c + 1] = dv;
    idx[c + 1] = iv;
  }
}

/** All rows of X within Euclidean `radius` of each row of Q, sorted by distance. */
export function bruteRadius(
  X: Float64Array,
  n: number,
  d: number,
  Q: Float64Array,
  m: number,
  radius: number,
  excludeSelf: boolean,
): { indices: Int32Array[]; distances: Float64Array[] } {
  const xn = new Float64Array(n);
  rowSqNorms(n, d, X, xn);
  const qn = Q === X ? xn : new Float64Array(m);
  if (Q !== X) rowSqNorms(m, d, Q, qn);
  const B = blockRows(n);
  const D = new Float64Array(B * n);
  const r2 = radius * radius;
  const indices: Int32Array[] = new Array(m);
  const distances: Float64Array[] = new Array(m);
  let candIdx = new Int32Array(64);
  let candDist = new Float64Array(64);
  for (let s = 0; s < m; s += B) {
    const e = Math.min(m, s + B);
    const b = e - s;
    sqdist(b, n, d, Q.subarray(s * d, e * d), X, D, { xNorms: qn.subarray(s, e), yNorms: xn });
    for (let r = 0; r < b; r++) {
      const qi = s + r;
      const row = r * n;
      let c = 0;
      for (let j = 0; j < n; j++) {
        if (excludeSelf && j === qi) continue;
        // The expanded formula may err by ~1e-12·(‖q‖²+‖x‖²): admit with slack, then check exactly.
        const slack = 1e-9 * (qn[qi]! + xn[j]!) + 1e-300;
        if (D[row + j]! > r2 + slack) continue;
        const ex = exactSqDist(Q, qi, X, j, d);
        if (ex > r2) continue;
        if (c === candIdx.length) {
          const ni = new Int32Array(c * 2);
          ni.set(candIdx);
          candIdx = ni;
          const nd = new Float64Array(c * 2);
          nd.set(candDist);
          candDist = nd;
        }
        candIdx[c] = j;
        candDist[c] = Math.sqrt(ex);
        c++;
      }
      const oi = candIdx.slice(0, c);
      const od = candDist.slice(0, c);
      sortPairs(od, oi);
      indices[qi] = oi;
      distances[qi] = od;
    }
  }
  return { indices, distances };
}

/** Sorts (dist, idx) pairs ascending by distance then index. */
export function sortPairs(dist: Float64Array, idx: Int32Array): void {
  const n = dist.length;
  if (n < 32) {
    insertionSortPairs(dist, idx, 0, n);
    return;
  }
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => dist[a]! - dist[b]! || idx[a]! - idx[b]!);
  const d2 = Float64Array.from(order, (o) => dist[o]!);
  const i2 = Int32Array.from(order, (o) => idx[o]!);
  dist.set(d2);
  idx.set(i2);
}
