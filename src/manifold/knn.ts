/**
 * k-nearest-neighbour graphs for the neighbour embeddings (t-SNE affinities, LLE).
 *
 * - `exactKnn`: blocked brute force. Squared distances of a block of rows against all rows come from
 *   the dense kernel `sqdist` (so the WebAssembly backend speeds it up), and a bounded max-heap per row
 *   keeps the k smallest. O(n² d) time, O(block · n) memory.
 * - `approxKnn`: a random-projection forest (Dasgupta & Freund 2008; the Annoy/PyNNDescent split:
 *   hyperplane equidistant from two random points of the node) gives candidate neighbours in its
 *   leaves, then one pass of neighbour-of-neighbour refinement (the NN-descent idea, Dong et al. 2011,
 *   "Efficient k-nearest neighbor graph construction for generic similarity measures") improves the
 *   recall. O(n (T·L + m·k) d) time. Seeded: the same seed gives the same graph. The pairs of a
 *   leaf come from one `sqdist` block (the dense kernel); a candidate already in a heap is found by
 *   stamping the heap's members once per row (not by scanning the heap per candidate); refinement
 *   candidates that cannot beat the current k-th distance are skipped early (norm lower bound,
 *   partial sums) — pruning that never changes which neighbours are kept.
 *
 * Both return squared Euclidean distances, rows sorted ascending, the query point itself excluded
 * (a duplicate of it is kept: it is another sample at distance 0).
 */
import { sqdist, rowSqNorms } from '../kernels/index.js';
import { Rng } from '../core/rng.js';

export interface KnnGraph {
  /** n × k neighbour indices, row-major, nearest first. */
  indices: Int32Array;
  /** n × k squared Euclidean distances, ascending per row. */
  distances: Float64Array;
  k: number;
}

/** Pushes (d, j) into a max-heap of size k stored in hd/hi at offset o; returns the new heap size. */
function heapPush(
  hd: Float64Array,
  hi: Int32Array,
  o: number,
  size: number,
  k: number,
  d: number,
  j: number,
): number {
  if (size < k) {
    let c = size;
    while (c > 0) {
      const p = (c - 1) >> 1;
      if (hd[o + p]! >= d) break;
      hd[o + c] = hd[o + p]!;
      hi[o + c] = hi[o + p]!;
      c = p;
    }
    hd[o + c] = d;
    hi[o + c] = j;
    return size + 1;
  }
  if (d >= hd[o]!) return size;
  // replace the root, sift down
  let c = 0;
  for (;;) {
    const l = 2 * c + 1;
    if (l >= k) break;
    const r = l + 1;
    const m = r < k && hd[o + r]! > hd[o + l]! ? r : l;
    if (hd[o + m]! <= d) break;
    hd[o + c] = hd[o + m]!;
    hi[o + c] = hi[o + m]!;
    c = m;
  }
  hd[o + c] = d;
  hi[o + c] = j;
  return size;
}

/** Sorts each heap row ascending by distance (ties by index), in place. */
function sortRows(n: number, k: number, hd: Float64Array, hi: Int32Array, descending = false): void {
  const sgn = descending ? -1 : 1;
  const idx = new Int32Array(k);
  const td = new Float64Array(k);
  const ti = new Int32Array(k);
  for (let i = 0; i < n; i++) {
    const o = i * k;
    for (let t = 0; t < k; t++) idx[t] = t;
    const sorted = Array.from(idx).sort((a, b) => sgn * (hd[o + a]! - hd[o + b]! || hi[o + a]! - hi[o + b]!));
    for (let t = 0; t < k; t++) {
      td[t] = hd[o + sorted[t]!]!;
      ti[t] = hi[o + sorted[t]!]!;
    }
    hd.set(td, o);
    hi.set(ti, o);
  }
}

/**
 * Exact k nearest neighbours of every row of X (n × d, row-major) among the other rows.
 * Assumes 1 <= k < n.
 */
export function exactKnn(X: Float64Array, n: number, d: number, k: number): KnnGraph {
  const hd = new Float64Array(n * k);
  const hi = new Int32Array(n * k);
  const norms = new Float64Array(n);
  rowSqNorms(n, d, X, norms);
  const B = Math.max(1, Math.min(n, Math.floor(4_000_000 / n)));
  const D = new Float64Array(B * n);
  for (let i0 = 0; i0 < n; i0 += B) {
    const b = Math.min(B, n - i0);
    const Xb = X.subarray(i0 * d, (i0 + b) * d);
    sqdist(b, n, d, Xb, X, D, { xNorms: norms.subarray(i0, i0 + b), yNorms: norms });
    for (let r = 0; r < b; r++) {
      const i = i0 + r;
      const o = i * k;
      let size = 0;
      const base = r * n;
      for (let j = 0; j < n; j++) {
        if (j === i) continue;
        const v = D[base + j]!;
        if (size === k && v >= hd[o]!) continue;
        size = heapPush(hd, hi, o, size, k, v, j);
      }
    }
  }
  sortRows(n, k, hd, hi);
  return { indices: hi, distances: hd, k };
}

/** Exact k nearest neighbours of each query row (m × d) among the reference rows (n × d). k <= n. */
export function exactKnnQuery(
  Q: Float64Array,
  m: number,
  X: Float64Array,
  n: number,
  d: number,
  k: number,
): KnnGraph {
  const hd = new Float64Array(m * k);
  const hi = new Int32Array(m * k);
  const xn = new Float64Array(n);
  rowSqNorms(n, d, X, xn);
  const qn = new Float64Array(m);
  rowSqNorms(m, d, Q, qn);
  const B = Math.max(1, Math.min(m, Math.floor(4_000_000 / n)));
  const D = new Float64Array(B * n);
  for (let i0 = 0; i0 < m; i0 += B) {
    const b = Math.min(B, m - i0);
    sqdist(b, n, d, Q.subarray(i0 * d, (i0 + b) * d), X, D, { xNorms: qn.subarray(i0, i0 + b), yNorms: xn });
    for (let r = 0; r < b; r++) {
      const o = (i0 + r) * k;
      let size = 0;
      for (let j = 0; j < n; j++) {
        const v = D[r * n + j]!;
        if (size === k && v >= hd[o]!) continue;
        size = heapPush(hd, hi, o, size, k, v, j);
      }
    }
  }
  sortRows(m, k, hd, hi);
  return { indices: hi, distances: hd, k };
}

function dist2(X: Float64Array, d: number, a: number, b: number): number {
  let s = 0;
  const oa = a * d;
  const ob = b * d;
  for (let t = 0; t < d; t++) {
    const u = X[oa + t]! - X[ob + t]!;
    s += u * u;
  }
  return s;
}

export interface ApproxKnnOptions {
  /** Number of random-projection trees (default: 5 + n^0.25/2, as PyNNDescent, capped at 12). */
  nTrees?: number;
  /** Leaf size of the trees (default max(k + 1, 64)... capped by n). */
  leafSize?: number;
  /** Neighbour-of-neighbour refinement passes (default 1). */
  refinePasses?: number;
  seed?: number;
}

/**
 * Approximate k nearest neighbours (random-projection forest + neighbour-of-neighbour refinement).
 * Assumes 1 <= k < n.
 */
export function approxKnn(
  X: Float64Array,
  n: number,
  d: number,
  k: number,
  opts: ApproxKnnOptions = {},
): KnnGraph {
  const rng = new Rng(opts.seed ?? 0, 17);
  const nTrees = opts.nTrees ?? Math.min(12, Math.max(4, Math.round(5 + Math.pow(n, 0.25) / 2)));
  const leafSize = Math.min(n, opts.leafSize ?? Math.max(k + 1, Math.min(2 * k, 128)));
  const hd = new Float64Array(n * k).fill(Infinity);
  const hi = new Int32Array(n * k).fill(-1);
  const size = new Int32Array(n);
  // membership test for the top-up below (the forest and the refinement use stamps instead)
  const inHeap = (i: number, j: number): boolean => {
    const o = i * k;
    const s = size[i]!;
    for (let t = 0; t < s; t++) if (hi[o + t] === j) return true;
    return false;
  };

  const perm = new Int32Array(n);
  const proj = new Float64Array(n);
  const sqNorm = new Float64Array(n);
  rowSqNorms(n, d, X, sqNorm);
  const rootNorm = new Float64Array(n);
  for (let i = 0; i < n; i++) rootNorm[i] = Math.sqrt(sqNorm[i]!);
  const leafX = new Float64Array(leafSize * d);
  const leafN = new Float64Array(leafSize);
  const leafD = new Float64Array(leafSize * leafSize);
  const leafStamp = new Int32Array(n).fill(-1);
  let leafTag = -1;
  const normal = new Float64Array(d);
  const stack: number[] = [];
  for (let tree = 0; tree < nTrees; tree++) {
    for (let i = 0; i < n; i++) perm[i] = i;
    stack.length = 0;
    stack.push(0, n);
    while (stack.length > 0) {
      const hiEnd = stack.pop()!;
      const lo = stack.pop()!;
      const m = hiEnd - lo;
      if (m <= leafSize) {
        // all pairs of the leaf at once through the dense kernel (gathered rows, m × m block)
        for (let a = 0; a < m; a++) {
          const src = perm[lo + a]! * d;
          for (let t = 0; t < d; t++) leafX[a * d + t] = X[src + t]!;
          leafN[a] = sqNorm[perm[lo + a]!]!;
        }
        sqdist(m, m, d, leafX, leafX, leafD, { xNorms: leafN, yNorms: leafN });
        // Row by row: stamp the members of pa's heap once, so the duplicate test is one lookup
        // (a linear scan of the heap per candidate dominated the forest). D is symmetric; each
        // ordered pair goes into its row's heap.
        for (let a = 0; a < m; a++) {
          const pa = perm[lo + a]!;
          const tag = ++leafTag;
          const oa = pa * k;
          const sa = size[pa]!;
          for (let t = 0; t < sa; t++) leafStamp[hi[oa + t]!] = tag;
          for (let b = 0; b < m; b++) {
            if (b === a) continue;
            const pb = perm[lo + b]!;
            if (leafStamp[pb] === tag) continue;
            let dd = a < b ? leafD[a * m + b]! : leafD[b * m + a]!;
            if (dd < 0) dd = 0;
            if (size[pa] === k && dd >= hd[oa]!) continue;
            size[pa] = heapPush(hd, hi, oa, size[pa]!, k, dd, pb);
          }
        }
        continue;
      }
      // hyperplane equidistant from two random members
      const a = perm[lo + rng.int(m)]!;
      let b = perm[lo + rng.int(m)]!;
      for (let tries = 0; tries < 8 && b === a; tries++) b = perm[lo + rng.int(m)]!;
      let off = 0;
      for (let t = 0; t < d; t++) {
        const u = X[a * d + t]! - X[b * d + t]!;
        normal[t] = u;
        off -= (u * (X[a * d + t]! + X[b * d + t]!)) / 2;
      }
      let left = lo;
      let right = hiEnd - 1;
      for (let q = lo; q < hiEnd; q++) {
        const p = perm[q]!;
        let s = off;
        for (let t = 0; t < d; t++) s += normal[t]! * X[p * d + t]!;
        proj[p] = s;
      }
      // partition by sign; ties (and degenerate splits) go alternately so leaves always shrink
      let flip = 0;
      while (left <= right) {
        const p = perm[left]!;
        const s = proj[p]!;
        const goLeft = s < 0 || (s === 0 && (flip++ & 1) === 0);
        if (goLeft) left++;
        else {
          perm[left] = perm[right]!;
          perm[right] = p;
          right--;
        }
      }
      let mid = left;
      if (mid - lo < 1 || hiEnd - mid < 1) mid = lo + (m >> 1);
      stack.push(lo, mid, mid, hiEnd);
    }
  }

  // uneven splits can leave a heap short of k: top it up so every heap is full before refining
  for (let i = 0; i < n; i++) {
    if (size[i]! < k) {
      for (let j = 0; j < n && size[i]! < k; j++)
        if (j !== i && !inHeap(i, j)) size[i] = heapPush(hd, hi, i * k, size[i]!, k, dist2(X, d, i, j), j);
    }
  }
  // neighbour-of-neighbour refinement: candidates for i are the neighbours of its nearest neighbours.
  // Rows sorted descending are still valid max-heaps, and put the nearest neighbours at the end.
  const passes = opts.refinePasses ?? 1;
  const mRef = Math.min(k, 10);
  const stamp = new Int32Array(n).fill(-1);
  const snapI = new Int32Array(n * k);
  for (let pass = 0; pass < passes; pass++) {
    sortRows(n, k, hd, hi, true);
    snapI.set(hi);
    for (let i = 0; i < n; i++) {
      const o = i * k;
      const tag = i + pass * n;
      stamp[i] = tag;
      for (let t = 0; t < k; t++) if (snapI[o + t]! >= 0) stamp[snapI[o + t]!] = tag;
      for (let t = k - 1; t >= k - mRef; t--) {
        const j = snapI[o + t]!;
        if (j < 0) continue;
        const oj = j * k;
        for (let u = 0; u < k; u++) {
          const c = snapI[oj + u]!;
          if (c < 0 || stamp[c] === tag) continue;
          stamp[c] = tag;
          // Exact pruning (the graph is the same as without it): a candidate whose distance
          // cannot beat the current k-th would be rejected anyway, so skip it when the
          // bound (‖x_i‖ − ‖x_c‖)² already exceeds that, or stop its sum once the partial sum
          // does (the full sum runs in the same order as dist2, so kept values are identical).
          const thr = hd[o]!;
          const nb = rootNorm[i]! - rootNorm[c]!;
          if (nb * nb > thr * (1 + 1e-9) + 1e-300) continue;
          let dd = 0;
          const oi = i * d;
          const oc = c * d;
          let t = 0;
          while (t < d) {
            const e = Math.min(d, t + 8);
            for (; t < e; t++) {
              const v = X[oi + t]! - X[oc + t]!;
              dd += v * v;
            }
            if (dd > thr) break;
          }
          if (dd > thr) continue;
          // c is neither in the snapshot nor pushed before in this row (stamps): no heap scan
          if (size[i] === k && dd >= hd[o]!) continue;
          size[i] = heapPush(hd, hi, o, size[i]!, k, dd, c);
        }
      }
    }
  }
  sortRows(n, k, hd, hi);
  return { indices: hi, distances: hd, k };
}
