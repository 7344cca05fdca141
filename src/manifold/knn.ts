/**
 * k-nearest-neighbour graphs for the neighbour embeddings (t-SNE affinities, LLE).
 *
 * - `exactKnn`: blocked brute force. Squared distances of a block of rows against all rows come from
 *   the float32 dense kernel `sqdist` (the f32 gemm) on a centred copy scaled by a power of two (no
 *   float32 overflow or underflow at any data scale); per row a threshold scan keeps the entries within
 *   a bound on the float32 rounding error of the k-th smallest, and those are measured again in
 *   float64 (`sqDist64`, on the data as given), so the graph is exactly the float64 brute-force answer
 *   (ties by index). Inputs the screen cannot serve (non-finite values, float64 distances that may
 *   overflow) get the plain float64 brute force. O(n² d) time, O(block · n) memory.
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
import { HeapBuffers, sqdist, rowSqNorms } from '../kernels/index.js';
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

/** Sorts each heap row ascending by distance (ties by index), in place (descending: the reverse). */
function sortRows(n: number, k: number, hd: Float64Array, hi: Int32Array, descending = false): void {
  for (let i = 0; i < n; i++) {
    const o = i * k;
    sortPairs(hd, hi, o, o + k);
    if (descending) {
      for (let a = o, b = o + k - 1; a < b; a++, b--) {
        const t = hd[a]!;
        hd[a] = hd[b]!;
        hd[b] = t;
        const u = hi[a]!;
        hi[a] = hi[b]!;
        hi[b] = u;
      }
    }
  }
}

/**
 * Float32 copy of (X − mu)·scale (n × d) and its squared row norms in float32 (n32, the kernel's) and
 * float64 (n64, of the float64 values before the rounding to float32), in wasm memory when there is room.
 */
function toF32(
  X: Float64Array,
  n: number,
  d: number,
  mu: Float64Array,
  scale: number,
  n64: Float64Array,
  heap: HeapBuffers,
): { X32: Float32Array; n32: Float32Array } {
  const X32 = heap.f32(n * d);
  const n32 = heap.f32(n);
  for (let i = 0; i < n; i++) {
    const o = i * d;
    let s = 0;
    for (let t = 0; t < d; t++) {
      const y = (X[o + t]! - mu[t]!) * scale;
      X32[o + t] = y;
      s += y * y;
    }
    n64[i] = s;
  }
  rowSqNorms(n, d, X32, n32);
  return { X32, n32 };
}

/**
 * Row i of Q against all rows of X in float64 (sqDist64), the k smallest by (distance, index) into
 * outD/outI at i·k: the plain brute force, for the inputs and rows the float32 screen cannot handle.
 * bd/bi: scratch of length >= n.
 */
function bruteRow64(
  Q: Float64Array,
  i: number,
  X: Float64Array,
  n: number,
  d: number,
  k: number,
  self: boolean,
  outD: Float64Array,
  outI: Int32Array,
  bd: Float64Array,
  bi: Int32Array,
): void {
  let c = 0;
  for (let j = 0; j < n; j++) {
    if (self && j === i) continue;
    bd[c] = sqDist64(Q, i * d, X, j * d, d);
    bi[c] = j;
    c++;
  }
  sortPairs(bd, bi, 0, c);
  outD.set(bd.subarray(0, k), i * k);
  outI.set(bi.subarray(0, k), i * k);
}

/**
 * Blocked brute force shared by `exactKnn` and `exactKnnQuery`. The distances of a block of query
 * rows to all reference rows come from the float32 `sqdist` (the f32 gemm: about twice the speed of
 * the f64 one, half the memory traffic); per row, a threshold scan keeps only the entries within a
 * rounding margin of the k-th smallest float32 distance; those candidates get their distance again
 * in float64 (Σ_t (q_t − x_t)², the order of `dist2`) and the k smallest of these, ties by index,
 * are the answer. The float32 rows are (x − μ)·2⁻ᵉ (μ: X's column means; ‖y‖² <= 1). The margin
 * bounds the float32 error (rounding of the inputs, the norms, a d-term dot product and the two
 * additions: |D32 − D| ≤ (d + 8)·2⁻²⁴·(‖q‖² + ‖x‖²) with room to spare, plus absolute terms for
 * float32 subnormals and float64 underflow), so the neighbours and distances are exactly those of a
 * float64 brute force: any row whose float64 distance is among the k smallest has a float32 distance
 * below the threshold.
 * `self` = true: Q is X itself, the query row's own index is excluded.
 */
function bruteKnn(
  Q: Float64Array,
  m: number,
  X: Float64Array,
  n: number,
  d: number,
  k: number,
  self: boolean,
): KnnGraph {
  const outD = new Float64Array(m * k);
  const outI = new Int32Array(m * k);
  // Distances are translation invariant: the float32 copy holds (x − μ)·2⁻ᵉ, μ the column means of
  // X, 2⁻ᵉ a power of two (exact) that brings every coordinate to |y| <= 1/√d, so ‖y‖² <= 1: no
  // float32 overflow, no subnormals but for distances far below the data's extent, and the
  // relative margin (∝ ‖y‖²) is small for data far from the origin (1e6 + O(1): without the
  // centring every entry was a candidate). The float64 check keeps using Q and X as they are.
  const mu = new Float64Array(d);
  for (let j = 0; j < n; j++) for (let t = 0; t < d; t++) mu[t]! += X[j * d + t]!;
  for (let t = 0; t < d; t++) mu[t]! /= n;
  let A = 0;
  let finite = true;
  const extent = (Y: Float64Array, rows: number): void => {
    for (let j = 0; j < rows; j++)
      for (let t = 0; t < d; t++) {
        const u = Math.abs(Y[j * d + t]! - mu[t]!);
        if (!(u <= Number.MAX_VALUE)) finite = false;
        else if (u > A) A = u;
      }
  };
  extent(X, n);
  if (!self) extent(Q, m);
  const e = A > 0 ? Math.ceil(Math.log2(A)) + Math.ceil(Math.log2(d) / 2) : 0;
  let bd: Float64Array | null = null;
  let bi: Int32Array | null = null;
  if (!finite || A > 1e150 / Math.sqrt(d) || e < -1020) {
    // non-finite values, float64 distances that may overflow (the float64 answer then has
    // Infinity ties the float32 screen cannot see) or a spread near the float64 underflow:
    // the plain float64 brute force
    bd = new Float64Array(n);
    bi = new Int32Array(n);
    for (let i = 0; i < m; i++) bruteRow64(Q, i, X, n, d, k, self, outD, outI, bd, bi);
    return { indices: outI, distances: outD, k };
  }
  const scale = 2 ** -e;
  const xn64 = new Float64Array(n);
  const qn64 = self ? xn64 : new Float64Array(m);
  // the float32 copies and the distance block, in wasm memory where they fit (the sqdist kernel
  // then reads them in place), released at the end
  const heap = new HeapBuffers();
  const ref = toF32(X, n, d, mu, scale, xn64, heap);
  const qry = self ? ref : toF32(Q, m, d, mu, scale, qn64, heap);
  let maxNorm = 0;
  for (let j = 0; j < n; j++) if (xn64[j]! > maxNorm) maxNorm = xn64[j]!;
  // 2·(d + 8)·2⁻²⁴ (the bound is used twice: once to bound the true k-th distance, once per row j);
  // 1e-12 covers the float64 rounding of the centring and of sqDist64 (relative)
  const eps = 2 * (d + 8) * 2 ** -24 * 2 + 1e-12;
  // absolute terms (scaled units, where a squared distance is the data's ×2⁻²ᵉ), also used twice:
  // float32 subnormal products and sums (each off by up to 2⁻¹⁵⁰, about 3d + 3 of them) and float64
  // underflow in sqDist64 (up to (d + 2)·2⁻¹⁰⁷⁴ in the data's units)
  const absMarg = 16 * (d + 8) * 2 ** -149 + 8 * (d + 4) * 2 ** (-1074 - 2 * e);
  const B = Math.max(1, Math.min(m, Math.floor(4_000_000 / n)));
  // sampling for the first guess of each row's k-th distance (see below)
  const step = Math.floor(n / (8 * k));
  const rank = step > 1 ? Math.max(2, Math.round((2 * k) / step)) : 1;
  const samp = new Float64Array(rank);
  const D = heap.f32(B * n);
  let cap = Math.max(4 * k, 256);
  let cv = new Float64Array(cap);
  let ci = new Int32Array(cap);
  let tmp = new Float64Array(cap);
  // exact float64 rechecks of a row's candidates
  let ed = new Float64Array(cap);
  let ei = new Int32Array(cap);
  try {
    for (let i0 = 0; i0 < m; i0 += B) {
      const b = Math.min(B, m - i0);
      sqdist(b, n, d, qry.X32.subarray(i0 * d, (i0 + b) * d), ref.X32, D.subarray(0, b * n), {
        xNorms: qry.n32.subarray(i0, i0 + b),
        yNorms: ref.n32,
      });
      for (let r = 0; r < b; r++) {
        const i = i0 + r;
        const base = r * n;
        if (self) D[base + i] = Infinity;
        const marg = eps * (qn64[i]! + maxNorm) + absMarg;
        // A first guess of the k-th distance: the r-th smallest of every step-th entry (expected rank
        // about 2k in the row). Entries up to guess + margin are collected; when the buffer fills,
        // it is cut to its k smallest + margin (always safe). The guess is checked at the end: if the
        // k-th smallest collected exceeds it, entries may be missing and the row is scanned again
        // without a guess (rare).
        let guess = Number.MAX_VALUE;
        if (step > 1) {
          let sc = 0;
          for (let j = step >> 1; j < n; j += step) {
            const v = D[base + j]!;
            if (sc < rank) {
              let p = sc++;
              while (p > 0 && samp[p - 1]! > v) {
                samp[p] = samp[p - 1]!;
                p--;
              }
              samp[p] = v;
            } else if (v < samp[rank - 1]!) {
              let p = rank - 1;
              while (p > 0 && samp[p - 1]! > v) {
                samp[p] = samp[p - 1]!;
                p--;
              }
              samp[p] = v;
            }
          }
          if (sc === rank && samp[rank - 1]! < Number.MAX_VALUE) guess = samp[rank - 1]!;
        }
        let cnt = 0;
        for (let attempt = 0; attempt < 2; attempt++) {
          // thr excludes the Infinity put on the diagonal
          let thr = guess === Number.MAX_VALUE ? guess : guess + marg;
          cnt = 0;
          for (let j = 0; j < n;) {
            j = scanRow(D, base, j, n, thr, cv, ci, cnt, cap);
            cnt = scanCount;
            if (cnt < cap) continue;
            thr = kthSmallest(cv, cnt, k, tmp) + marg;
            cnt = compact(cv, ci, cnt, thr);
            if (cnt > cap >> 1) {
              // many values within the margin (duplicates, ties): grow the buffers
              cap *= 2;
              const nv = new Float64Array(cap);
              nv.set(cv);
              cv = nv;
              const ni = new Int32Array(cap);
              ni.set(ci);
              ci = ni;
              tmp = new Float64Array(cap);
              ed = new Float64Array(cap);
              ei = new Int32Array(cap);
            }
          }
          if (cnt >= k) {
            const kth = kthSmallest(cv, cnt, k, tmp);
            if (kth <= guess) {
              cnt = compact(cv, ci, cnt, kth + marg);
              break;
            }
          }
          guess = Number.MAX_VALUE;
        }
        if (cnt < k) {
          // cannot happen with finite inputs scaled to ‖y‖² <= 1 (every float32 distance is finite and
          // the second attempt keeps all of them); kept so that a row is never filled from stale buffers
          if (!bd || !bi) {
            bd = new Float64Array(n);
            bi = new Int32Array(n);
          }
          bruteRow64(Q, i, X, n, d, k, self, outD, outI, bd, bi);
          continue;
        }
        // exact float64 distances of the survivors (in index order: the scan kept it), sorted
        for (let t = 0; t < cnt; t++) {
          const j = ci[t]!;
          ed[t] = sqDist64(Q, i * d, X, j * d, d);
          ei[t] = j;
        }
        sortPairs(ed, ei, 0, cnt);
        outD.set(ed.subarray(0, k), i * k);
        outI.set(ei.subarray(0, k), i * k);
      }
    }
  } finally {
    heap.release();
  }
  return { indices: outI, distances: outD, k };
}

let scanCount = 0;

/**
 * Appends (D[base + j], j) for j in [j0, n) with D <= thr to (cv, ci) from position cnt, until the
 * buffer holds cap entries; returns the next j to scan (n when done) and leaves the count in scanCount.
 */
function scanRow(
  D: Float32Array,
  base: number,
  j0: number,
  n: number,
  thr: number,
  cv: Float64Array,
  ci: Int32Array,
  cnt: number,
  cap: number,
): number {
  let j = j0;
  while (j < n) {
    const v = D[base + j]!;
    if (v <= thr) {
      cv[cnt] = v;
      ci[cnt] = j;
      if (++cnt === cap) {
        j++;
        break;
      }
    }
    j++;
  }
  scanCount = cnt;
  return j;
}

/**
 * Σ_t (a_t − b_t)² over d coordinates of rows at offsets oa (in A) and ob (in B), in float64 with
 * four partial sums (t mod 4) added as (s0 + s1) + (s2 + s3): the distance every exact result reports.
 * With `bound`, the partial sums are checked every 8 coordinates and a partial total > bound is
 * returned at once (each sum only grows, so the full distance exceeds the bound too); a distance
 * within the bound is always the full, exactly rounded as above, sum.
 */
export function sqDist64(
  A: Float64Array,
  oa: number,
  B: Float64Array,
  ob: number,
  d: number,
  bound = Infinity,
): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let t = 0;
  for (; t + 4 <= d; t += 4) {
    const u0 = A[oa + t]! - B[ob + t]!;
    const u1 = A[oa + t + 1]! - B[ob + t + 1]!;
    const u2 = A[oa + t + 2]! - B[ob + t + 2]!;
    const u3 = A[oa + t + 3]! - B[ob + t + 3]!;
    s0 += u0 * u0;
    s1 += u1 * u1;
    s2 += u2 * u2;
    s3 += u3 * u3;
    if ((t & 4) !== 0 && s0 + s1 + (s2 + s3) > bound) return s0 + s1 + (s2 + s3);
  }
  if (t < d) {
    const u = A[oa + t]! - B[ob + t]!;
    s0 += u * u;
  }
  if (t + 1 < d) {
    const u = A[oa + t + 1]! - B[ob + t + 1]!;
    s1 += u * u;
  }
  if (t + 2 < d) {
    const u = A[oa + t + 2]! - B[ob + t + 2]!;
    s2 += u * u;
  }
  return s0 + s1 + (s2 + s3);
}

/** The k-th smallest (1-based) of v[0..cnt) (cnt >= k), by quickselect on a copy in tmp. */
function kthSmallest(v: Float64Array, cnt: number, k: number, tmp: Float64Array): number {
  for (let t = 0; t < cnt; t++) tmp[t] = v[t]!;
  let lo = 0;
  let hi = cnt - 1;
  const want = k - 1;
  while (hi > lo) {
    // median of three pivot
    const mid = (lo + hi) >> 1;
    let a = tmp[lo]!;
    let b = tmp[mid]!;
    let c = tmp[hi]!;
    if (a > b) [a, b] = [b, a];
    if (b > c) [b, c] = [c, b];
    if (a > b) [a, b] = [b, a];
    const piv = b;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (tmp[i]! < piv) i++;
      while (tmp[j]! > piv) j--;
      if (i <= j) {
        const w = tmp[i]!;
        tmp[i] = tmp[j]!;
        tmp[j] = w;
        i++;
        j--;
      }
    }
    if (want <= j) hi = j;
    else if (want >= i) lo = i;
    else break;
  }
  return tmp[want]!;
}

/** Keeps the entries of (v, idx)[0..cnt) with v <= thr, in order; returns their count. */
function compact(v: Float64Array, idx: Int32Array, cnt: number, thr: number): number {
  let w = 0;
  for (let t = 0; t < cnt; t++) {
    const x = v[t]!;
    if (x <= thr) {
      v[w] = x;
      idx[w] = idx[t]!;
      w++;
    }
  }
  return w;
}

/** Sorts (v, idx)[lo..hi) ascending by v, ties by idx (heapsort on the pair key, in place). */
function sortPairs(v: Float64Array, idx: Int32Array, lo: number, hi: number): void {
  const len = hi - lo;
  if (len < 2) return;
  if (len <= 24) {
    for (let a = lo + 1; a < hi; a++) {
      const x = v[a]!;
      const xi = idx[a]!;
      let b = a - 1;
      while (b >= lo && (v[b]! > x || (v[b] === x && idx[b]! > xi))) {
        v[b + 1] = v[b]!;
        idx[b + 1] = idx[b]!;
        b--;
      }
      v[b + 1] = x;
      idx[b + 1] = xi;
    }
    return;
  }
  for (let s = (len >> 1) - 1; s >= 0; s--) siftDown(v, idx, lo, s, len);
  for (let end = len - 1; end > 0; end--) {
    const x = v[lo]!;
    const xi = idx[lo]!;
    v[lo] = v[lo + end]!;
    idx[lo] = idx[lo + end]!;
    v[lo + end] = x;
    idx[lo + end] = xi;
    siftDown(v, idx, lo, 0, end);
  }
}

/** Max-heap sift-down on the key (v, idx) over positions [0, size) of the segment at lo. */
function siftDown(v: Float64Array, idx: Int32Array, lo: number, c: number, size: number): void {
  const x = v[lo + c]!;
  const xi = idx[lo + c]!;
  for (;;) {
    let ch = 2 * c + 1;
    if (ch >= size) break;
    const r = ch + 1;
    if (r < size) {
      const vl = v[lo + ch]!;
      const vr = v[lo + r]!;
      if (vr > vl || (vr === vl && idx[lo + r]! > idx[lo + ch]!)) ch = r;
    }
    const vc = v[lo + ch]!;
    if (vc < x || (vc === x && idx[lo + ch]! < xi)) break;
    v[lo + c] = vc;
    idx[lo + c] = idx[lo + ch]!;
    c = ch;
  }
  v[lo + c] = x;
  idx[lo + c] = xi;
}

/**
 * Exact k nearest neighbours of every row of X (n × d, row-major) among the other rows.
 * Assumes 1 <= k < n.
 */
export function exactKnn(X: Float64Array, n: number, d: number, k: number): KnnGraph {
  return bruteKnn(X, n, X, n, d, k, true);
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
  return bruteKnn(Q, m, X, n, d, k, false);
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
          // (stamped lazily: only once a candidate beats the current k-th distance, which in the
          // later trees few rows see)
          const tag = ++leafTag;
          const oa = pa * k;
          let stamped = false;
          for (let b = 0; b < m; b++) {
            if (b === a) continue;
            let dd = a < b ? leafD[a * m + b]! : leafD[b * m + a]!;
            if (dd < 0) dd = 0;
            if (size[pa] === k && dd >= hd[oa]!) continue;
            if (!stamped) {
              const sa = size[pa]!;
              for (let t = 0; t < sa; t++) leafStamp[hi[oa + t]!] = tag;
              stamped = true;
            }
            const pb = perm[lo + b]!;
            if (leafStamp[pb] === tag) continue;
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
          // checked every 8 coordinates: a partial sum above thr means the full distance is too
          const dd = sqDist64(X, i * d, X, c * d, d, thr);
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
