/**
 * The inner k-means iterations, on validated, row-major, float64 data (n×d), centred by the caller.
 * These follow scikit-learn 1.2's `_kmeans_single_lloyd` / `_kmeans_single_elkan` step for step
 * (same convergence tests, same final E-step, same empty-cluster relocation), so that the same
 * initial centres give the same labels and inertia.
 *
 * Lloyd (1982): assign each point to its nearest centre, move each centre to the mean of its points.
 * Elkan (2003): the same iterates, skipping distance computations that the triangle inequality
 * proves useless (one upper bound per point, one lower bound per point and centre).
 *
 * Differences from scikit-learn, for speed: Lloyd's distances are computed in row blocks through the
 * gemm kernel (as scikit-learn's chunks do through BLAS); the cluster sums are kept incrementally
 * (only points whose label changed move between sums), which changes centres by rounding only.
 */
import { gemm, rowSqNorms, sqdist, type HeapBuffers } from '../kernels/index.js';
import type { Rng } from '../core/rng.js';

export interface KMeansRunResult {
  labels: Int32Array;
  centers: Float64Array;
  inertia: number;
  nIter: number;
  stop: 'converged' | 'maxIter' | 'callback' | 'aborted';
}

/** Per-fit scratch buffers, allocated once and reused by every restart. */
export class KMeansWorkspace {
  readonly labels: Int32Array;
  readonly labelsOld: Int32Array;
  /** Which cluster's running sum currently includes point i (-1: none). */
  readonly inSum: Int32Array;
  readonly sums: Float64Array;
  readonly counts: Float64Array;
  readonly centers: Float64Array;
  readonly centersNew: Float64Array;
  readonly shift: Float64Array;
  readonly cNorms: Float64Array;
  readonly block: number;
  readonly D: Float64Array;
  /** Rows gathered for a batched distance computation. */
  readonly gather: Float64Array;
  upper?: Float64Array;
  lower?: Float64Array;
  constructor(
    readonly n: number,
    readonly d: number,
    readonly k: number,
    scratch?: HeapBuffers,
  ) {
    const f64 = (m: number) => (scratch ? scratch.f64(m) : new Float64Array(m));
    this.labels = new Int32Array(n);
    this.labelsOld = new Int32Array(n);
    this.inSum = new Int32Array(n);
    this.sums = new Float64Array(k * d);
    this.counts = new Float64Array(k);
    this.centers = f64(k * d);
    this.centersNew = new Float64Array(k * d);
    this.shift = new Float64Array(k);
    this.cNorms = new Float64Array(k);
    // Row blocks of ~32 MB of gathered data (and a small n×k distance block): bounded memory for any n.
    this.block = Math.max(1, Math.min(n, Math.floor((4 << 20) / Math.max(d, k))));
    this.D = f64(this.block * k);
    this.gather = f64(Math.min(n, this.block) * d);
  }
}

/**
 * dst row di ← src row si (rows of length d). A plain loop: `dst.set(src.subarray(...))` allocates a
 * view object per row, which adds up in per-point loops (Elkan's gather, mini-batch sampling).
 */
export function copyRow(src: Float64Array, si: number, dst: Float64Array, di: number, d: number): void {
  const a = si * d;
  const b = di * d;
  for (let t = 0; t < d; t++) dst[b + t] = src[a + t]!;
}

export function sqDistRow(X: Float64Array, i: number, C: Float64Array, j: number, d: number): number {
  const a = i * d;
  const b = j * d;
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let t = 0;
  for (; t + 3 < d; t += 4) {
    const v0 = X[a + t]! - C[b + t]!;
    const v1 = X[a + t + 1]! - C[b + t + 1]!;
    const v2 = X[a + t + 2]! - C[b + t + 2]!;
    const v3 = X[a + t + 3]! - C[b + t + 3]!;
    s0 += v0 * v0;
    s1 += v1 * v1;
    s2 += v2 * v2;
    s3 += v3 * v3;
  }
  for (; t < d; t++) {
    const v = X[a + t]! - C[b + t]!;
    s0 += v * v;
  }
  return s0 + s1 + (s2 + s3);
}

/**
 * Nearest centre of every row through blocked gemm: labels[i] and (optionally) the squared distance.
 * Ties go to the lower centre index (numpy's argmin).
 */
export function assignLabels(
  X: Float64Array,
  n: number,
  d: number,
  xn: Float64Array,
  C: Float64Array,
  k: number,
  cNorms: Float64Array,
  D: Float64Array,
  block: number,
  labels: Int32Array,
  minDist: Float64Array | null,
): void {
  rowSqNorms(k, d, C, cNorms);
  for (let s = 0; s < n; s += block) {
    const b = Math.min(block, n - s);
    gemm(b, k, d, X, C, D, { transB: true, alpha: -2, aOffset: s * d });
    for (let r = 0; r < b; r++) {
      const o = r * k;
      let best = cNorms[0]! + D[o]!;
      let bi = 0;
      for (let j = 1; j < k; j++) {
        const v = cNorms[j]! + D[o + j]!;
        if (v < best) {
          best = v;
          bi = j;
        }
      }
      labels[s + r] = bi;
      if (minDist) {
        const v = best + xn[s + r]!;
        minDist[s + r] = v > 0 ? v : 0;
      }
    }
  }
}

/** Exact Σ‖x_i − c_{label_i}‖². */
export function inertiaOf(
  X: Float64Array,
  n: number,
  d: number,
  C: Float64Array,
  labels: Int32Array,
): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += sqDistRow(X, i, C, labels[i]!, d);
  return s;
}

/** Brings the running sums in line with `labels` (moving only points whose label changed). */
function updateSums(ws: KMeansWorkspace, X: Float64Array, full: boolean): void {
  const { n, d, labels, inSum, sums, counts } = ws;
  if (full) {
    sums.fill(0);
    counts.fill(0);
    inSum.fill(-1);
  }
  for (let i = 0; i < n; i++) {
    const l = labels[i]!;
    const o = inSum[i]!;
    if (l === o) continue;
    const xo = i * d;
    if (o >= 0) {
      const so = o * d;
      for (let t = 0; t < d; t++) sums[so + t] -= X[xo + t]!;
      counts[o]--;
    }
    const sl = l * d;
    for (let t = 0; t < d; t++) sums[sl + t] += X[xo + t]!;
    counts[l]++;
    inSum[i] = l;
  }
}

/**
 * scikit-learn's `_relocate_empty_clusters_dense`: each empty cluster takes the point farthest from
 * its (old) centre, in decreasing order of distance; that point's contribution moves between sums
 * (its label is left for the next E-step, as scikit-learn does).
 */
function relocateEmpty(ws: KMeansWorkspace, X: Float64Array, oldCenters: Float64Array): void {
  const { n, d, k, labels, inSum, sums, counts } = ws;
  let nEmpty = 0;
  for (let j = 0; j < k; j++) if (counts[j]! === 0) nEmpty++;
  if (nEmpty === 0) return;
  const dist = new Float64Array(n);
  for (let i = 0; i < n; i++) dist[i] = sqDistRow(X, i, oldCenters, labels[i]!, d);
  const order = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => dist[b]! - dist[a]! || a - b);
  let t = 0;
  for (let j = 0; j < k; j++) {
    if (counts[j]! !== 0) continue;
    const far = order[t++]!;
    const old = inSum[far]!;
    const xo = far * d;
    for (let c = 0; c < d; c++) {
      sums[old * d + c] -= X[xo + c]!;
      sums[j * d + c] = X[xo + c]!;
    }
    counts[old]--;
    counts[j] = 1;
    inSum[far] = j;
  }
}

/** centersNew = sums / counts; shift[j] = ‖centersNew_j − centers_j‖. Clusters with zero count keep
 * their centre (only possible when n < k, which fit() forbids). */
function finishCenters(ws: KMeansWorkspace): number {
  const { d, k, sums, counts, centers, centersNew, shift } = ws;
  let tot = 0;
  for (let j = 0; j < k; j++) {
    const c = counts[j]!;
    let s = 0;
    for (let t = 0; t < d; t++) {
      const v = c > 0 ? sums[j * d + t]! / c : centers[j * d + t]!;
      centersNew[j * d + t] = v;
      const g = v - centers[j * d + t]!;
      s += g * g;
    }
    shift[j] = Math.sqrt(s);
    tot += s;
  }
  return tot;
}

function sameLabels(a: Int32Array, b: Int32Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

type StepHook = (
  iteration: number,
  labels: Int32Array,
  centers: Float64Array,
) => 'callback' | 'aborted' | null;

function swapCenters(ws: KMeansWorkspace): void {
  ws.centers.set(ws.centersNew);
}

/** Lloyd iterations from ws.centers. */
export function lloyd(
  ws: KMeansWorkspace,
  X: Float64Array,
  xn: Float64Array,
  maxIter: number,
  tol: number,
  hook: StepHook | null,
): KMeansRunResult {
  const { n, d, k, labels, labelsOld, D, cNorms, block } = ws;
  labelsOld.fill(-1);
  let strict = false;
  let it = 0;
  let stop: KMeansRunResult['stop'] = 'maxIter';
  for (; it < maxIter; it++) {
    assignLabels(X, n, d, xn, ws.centers, k, cNorms, D, block, labels, null);
    if (hook) {
      const r = hook(it + 1, labels, ws.centers);
      if (r) {
        stop = r;
        it++;
        return finish(ws, X, it, stop, true);
      }
    }
    updateSums(ws, X, it === 0);
    relocateEmpty(ws, X, ws.centers);
    const tot = finishCenters(ws);
    swapCenters(ws);
    if (sameLabels(labels, labelsOld)) {
      strict = true;
      stop = 'converged';
      break;
    }
    if (tot <= tol) {
      stop = 'converged';
      break;
    }
    labelsOld.set(labels);
  }
  const nIter = Math.min(it + 1, maxIter);
  if (!strict) assignLabels(X, n, d, xn, ws.centers, k, cNorms, D, block, labels, null);
  return finish(ws, X, nIter, stop, false);
}

function finish(
  ws: KMeansWorkspace,
  X: Float64Array,
  nIter: number,
  stop: KMeansRunResult['stop'],
  reassign: boolean,
): KMeansRunResult {
  const { n, d, k } = ws;
  if (reassign) assignLabels(X, n, d, ws.cNorms, ws.centers, k, ws.cNorms, ws.D, ws.block, ws.labels, null);
  return {
    labels: Int32Array.from(ws.labels),
    centers: Float64Array.from(ws.centers),
    inertia: inertiaOf(X, n, d, ws.centers, ws.labels),
    nIter,
    stop,
  };
}

/** Half distances between centres and, per centre, the half distance to its nearest other centre. */
function centerHalfDistances(
  C: Float64Array,
  k: number,
  d: number,
  chd: Float64Array,
  next: Float64Array,
): void {
  for (let a = 0; a < k; a++) {
    chd[a * k + a] = 0;
    for (let b = a + 1; b < k; b++) {
      const v = Math.sqrt(sqDistRow(C, a, C, b, d)) / 2;
      chd[a * k + b] = v;
      chd[b * k + a] = v;
    }
  }
  for (let a = 0; a < k; a++) {
    let m = Infinity;
    for (let b = 0; b < k; b++) if (b !== a && chd[a * k + b]! < m) m = chd[a * k + b]!;
    next[a] = k > 1 ? m : Infinity;
  }
}

/** Elkan iterations from ws.centers (scikit-learn's `_kmeans_single_elkan`). */
export function elkan(
  ws: KMeansWorkspace,
  X: Float64Array,
  xn: Float64Array,
  maxIter: number,
  tol: number,
  hook: StepHook | null,
): KMeansRunResult {
  const { n, d, k, labels, labelsOld, shift } = ws;
  const upper = (ws.upper ??= new Float64Array(n));
  const lower = (ws.lower ??= new Float64Array(n * k));
  const chd = new Float64Array(k * k);
  const next = new Float64Array(k);
  const todo = new Int32Array(n);
  const gather = ws.gather;
  let C = ws.centers;
  centerHalfDistances(C, k, d, chd, next);
  // init_bounds: every point's bounds start tight (all k distances, through gemm).
  for (let i = 0; i < n; i++) todo[i] = i;
  tightenBounds(ws, X, xn, C, todo, n, gather, upper, lower);
  labelsOld.fill(-1);
  let strict = false;
  let it = 0;
  let stop: KMeansRunResult['stop'] = 'maxIter';
  for (; it < maxIter; it++) {
    if (it > 0) elkanAssign(ws, X, xn, C, chd, next, upper, lower, todo, gather);
    if (hook) {
      const r = hook(it + 1, labels, C);
      if (r) return finish(ws, X, it + 1, r, true);
    }
    updateSums(ws, X, it === 0);
    relocateEmpty(ws, X, C);
    const tot = finishCenters(ws);
    for (let i = 0; i < n; i++) {
      upper[i] += shift[labels[i]!]!;
      const o = i * k;
      for (let j = 0; j < k; j++) {
        const v = lower[o + j]! - shift[j]!;
        lower[o + j] = v < 0 ? 0 : v;
      }
    }
    swapCenters(ws);
    C = ws.centers;
    centerHalfDistances(C, k, d, chd, next);
    if (sameLabels(labels, labelsOld)) {
      strict = true;
      stop = 'converged';
      break;
    }
    if (tot <= tol) {
      stop = 'converged';
      break;
    }
    labelsOld.set(labels);
  }
  const nIter = Math.min(it + 1, maxIter);
  if (!strict) elkanAssign(ws, X, xn, C, chd, next, upper, lower, todo, gather);
  return finish(ws, X, nIter, stop, false);
}

/**
 * The bounds test of scikit-learn's `_update_chunk_dense` (Elkan): a point needs work only if its
 * nearest-other-centre half distance does not cover its upper bound and some centre j passes
 * u > l_j and u > ½‖c_label − c_j‖. Unlike scikit-learn, which then computes the surviving distances
 * one by one, the points that need work are gathered and get all k distances at once through the
 * gemm kernel (far faster per distance than a scalar loop); the labels are the same.
 */
function elkanAssign(
  ws: KMeansWorkspace,
  X: Float64Array,
  xn: Float64Array,
  C: Float64Array,
  chd: Float64Array,
  next: Float64Array,
  upper: Float64Array,
  lower: Float64Array,
  todo: Int32Array,
  gather: Float64Array,
): void {
  const { n, k, labels } = ws;
  let m = 0;
  for (let i = 0; i < n; i++) {
    const ub = upper[i]!;
    const label = labels[i]!;
    if (next[label]! >= ub) continue;
    const o = i * k;
    const row = label * k;
    for (let j = 0; j < k; j++) {
      if (j !== label && ub > lower[o + j]! && ub > chd[row + j]!) {
        todo[m++] = i;
        break;
      }
    }
  }
  tightenBounds(ws, X, xn, C, todo, m, gather, upper, lower);
}

/** For the listed points: all k distances by gemm, label = nearest (lowest index on ties, as Lloyd),
 * upper bound = its distance, lower bounds = the exact distances. */
function tightenBounds(
  ws: KMeansWorkspace,
  X: Float64Array,
  xn: Float64Array,
  C: Float64Array,
  todo: Int32Array,
  m: number,
  gather: Float64Array,
  upper: Float64Array,
  lower: Float64Array,
): void {
  const { n, d, k, labels, D, cNorms } = ws;
  const block = gather.length / d;
  rowSqNorms(k, d, C, cNorms);
  // When most points need work, tightening all of them is cheaper than gathering rows (and exact
  // bounds are always valid), so gemm reads X in place.
  const all = 2 * m >= n;
  const count = all ? n : m;
  for (let s = 0; s < count; s += block) {
    const b = Math.min(block, count - s);
    if (all) gemm(b, k, d, X, C, D, { transB: true, alpha: -2, aOffset: s * d });
    else {
      for (let r = 0; r < b; r++) {
        const i = todo[s + r]!;
        copyRow(X, i, gather, r, d);
      }
      gemm(b, k, d, gather, C, D, { transB: true, alpha: -2 });
    }
    for (let r = 0; r < b; r++) {
      const i = all ? s + r : todo[s + r]!;
      const o = r * k;
      const xi = xn[i]!;
      let best = cNorms[0]! + D[o]!;
      let bi = 0;
      for (let j = 0; j < k; j++) {
        const v = cNorms[j]! + D[o + j]!;
        if (v < best) {
          best = v;
          bi = j;
        }
        // The expanded formula rounds: keep the bounds on their safe side by a relative 1e-12.
        const sq = v + xi;
        lower[i * k + j] = sq > 0 ? Math.sqrt(sq) * (1 - 1e-12) : 0;
      }
      labels[i] = bi;
      const sb = best + xi;
      upper[i] = sb > 0 ? Math.sqrt(sb) * (1 + 1e-12) : 0;
    }
  }
}

/**
 * k-means++ seeding as scikit-learn's `_kmeans_plusplus` (Arthur & Vassilvitskii 2007, greedy
 * variant): each new centre is the best of `nLocalTrials` (default 2 + ⌊ln k⌋) candidates drawn
 * with probability ∝ D(x)², "best" meaning the lowest resulting potential Σ min D². Distances of
 * the candidates to all points go through sqdist (gemm).
 */
export function kmeansPlusPlus(
  X: Float64Array,
  n: number,
  d: number,
  xn: Float64Array,
  k: number,
  rng: Rng,
  nLocalTrials: number,
  out: Float64Array,
): Int32Array {
  const indices = new Int32Array(k);
  const first = rng.int(n);
  indices[0] = first;
  out.set(X.subarray(first * d, first * d + d), 0);
  const closest = new Float64Array(n);
  sqdist(1, n, d, X.subarray(first * d, first * d + d), X, closest, {
    xNorms: xn.subarray(first, first + 1),
    yNorms: xn,
  });
  let pot = 0;
  for (let i = 0; i < n; i++) pot += closest[i]!;
  const T = nLocalTrials;
  const cand = new Int32Array(T);
  const candX = new Float64Array(T * d);
  const candN = new Float64Array(T);
  const Dc = new Float64Array(T * n);
  const cum = new Float64Array(n);
  for (let c = 1; c < k; c++) {
    let acc = 0;
    for (let i = 0; i < n; i++) {
      acc += closest[i]!;
      cum[i] = acc;
    }
    for (let t = 0; t < T; t++) {
      const r = rng.random() * pot;
      // searchsorted(cum, r, side='left'), clipped to n-1
      let lo = 0;
      let hi = n;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (cum[mid]! < r) lo = mid + 1;
        else hi = mid;
      }
      const id = Math.min(lo, n - 1);
      cand[t] = id;
      candX.set(X.subarray(id * d, id * d + d), t * d);
      candN[t] = xn[id]!;
    }
    sqdist(T, n, d, candX, X, Dc, { xNorms: candN, yNorms: xn });
    let best = 0;
    let bestPot = Infinity;
    for (let t = 0; t < T; t++) {
      let p = 0;
      const o = t * n;
      for (let i = 0; i < n; i++) {
        const v = Dc[o + i]!;
        const m = v < closest[i]! ? v : closest[i]!;
        Dc[o + i] = m;
        p += m;
      }
      if (p < bestPot) {
        bestPot = p;
        best = t;
      }
    }
    pot = bestPot;
    closest.set(Dc.subarray(best * n, best * n + n));
    const id = cand[best]!;
    indices[c] = id;
    out.set(X.subarray(id * d, id * d + d), c * d);
  }
  return indices;
}
