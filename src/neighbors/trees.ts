/**
 * Space-partitioning trees for exact nearest neighbours in low dimensions.
 *
 * - kd-tree (Bentley 1975; Friedman, Bentley & Finkel 1977): split on the dimension of widest spread
 *   at the median; each node keeps its bounding box, and a subtree is skipped when the box is farther
 *   than the current k-th best (as scikit-learn's KDTree, which also prunes with node bounds).
 * - vantage-point tree (Yianilos 1993): split by the median distance to a vantage point; only the
 *   triangle inequality is used, so it suits any metric; here Euclidean.
 *
 * Both return exactly what brute force returns (ties by smaller index) — a property the tests check.
 * Points are referenced through a permutation array; leaves hold up to `leafSize` points. Nodes live
 * in flat typed arrays built once (no objects per node).
 */
import { Rng } from '../core/rng.js';
import { exactSqDist } from './brute.js';
import type { KBest } from './select.js';

function swap(a: Int32Array, i: number, j: number): void {
  const t = a[i]!;
  a[i] = a[j]!;
  a[j] = t;
}

/** Quickselect perm[lo:hi) so that key(perm[mid]) is the median, smaller keys before it. */
function selectByKey(perm: Int32Array, key: Float64Array, lo: number, hi: number, mid: number): void {
  let l = lo;
  let r = hi - 1;
  while (r > l) {
    const pv = key[perm[(l + r) >> 1]!]!;
    let i = l;
    let j = r;
    while (i <= j) {
      while (key[perm[i]!]! < pv) i++;
      while (key[perm[j]!]! > pv) j--;
      if (i <= j) {
        swap(perm, i, j);
        i++;
        j--;
      }
    }
    if (mid <= j) r = j;
    else if (mid >= i) l = i;
    else break;
  }
}

export class KdTree {
  readonly perm: Int32Array;
  private readonly start: Int32Array;
  private readonly end: Int32Array;
  private readonly left: Int32Array;
  private readonly right: Int32Array;
  private readonly lo: Float64Array;
  private readonly hi: Float64Array;
  private nNodes = 0;

  constructor(
    readonly X: Float64Array,
    readonly n: number,
    readonly d: number,
    readonly leafSize = 30,
  ) {
    const maxNodes = 2 * Math.ceil(n / Math.max(1, Math.floor(leafSize / 2))) + 1;
    this.perm = new Int32Array(n);
    for (let i = 0; i < n; i++) this.perm[i] = i;
    this.start = new Int32Array(maxNodes);
    this.end = new Int32Array(maxNodes);
    this.left = new Int32Array(maxNodes).fill(-1);
    this.right = new Int32Array(maxNodes).fill(-1);
    this.lo = new Float64Array(maxNodes * d);
    this.hi = new Float64Array(maxNodes * d);
    const key = new Float64Array(n);
    this.build(0, n, key);
  }

  private build(s: number, e: number, key: Float64Array): number {
    const node = this.nNodes++;
    const { X, d, perm } = this;
    this.start[node] = s;
    this.end[node] = e;
    const lo = this.lo;
    const hi = this.hi;
    const b = node * d;
    for (let t = 0; t < d; t++) {
      lo[b + t] = Infinity;
      hi[b + t] = -Infinity;
    }
    for (let p = s; p < e; p++) {
      const r = perm[p]! * d;
      for (let t = 0; t < d; t++) {
        const v = X[r + t]!;
        if (v < lo[b + t]!) lo[b + t] = v;
        if (v > hi[b + t]!) hi[b + t] = v;
      }
    }
    if (e - s <= this.leafSize) return node;
    let dim = 0;
    let spread = -1;
    for (let t = 0; t < d; t++) {
      const w = hi[b + t]! - lo[b + t]!;
      if (w > spread) {
        spread = w;
        dim = t;
      }
    }
    if (spread <= 0) return node; // all points identical: keep as one leaf
    for (let p = s; p < e; p++) key[perm[p]!] = X[perm[p]! * d + dim]!;
    const mid = (s + e) >> 1;
    selectByKey(perm, key, s, e, mid);
    this.left[node] = this.build(s, mid, key);
    this.right[node] = this.build(mid, e, key);
    return node;
  }

  private boxDist(node: number, Q: Float64Array, q: number): number {
    const d = this.d;
    const b = node * d;
    let s = 0;
    for (let t = 0; t < d; t++) {
      const v = Q[q + t]!;
      const l = this.lo[b + t]!;
      const h = this.hi[b + t]!;
      const g = v < l ? l - v : v > h ? v - h : 0;
      s += g * g;
    }
    return s;
  }

  /** Fills `heap` (squared distances) with the k nearest points to row qi of Q. */
  knn(Q: Float64Array, qi: number, heap: KBest, exclude: number): void {
    this.knnNode(0, Q, qi, qi * this.d, heap, exclude);
  }

  private knnNode(node: number, Q: Float64Array, qi: number, qo: number, heap: KBest, exclude: number): void {
    const l = this.left[node]!;
    if (l < 0) {
      const { perm, X, d } = this;
      for (let p = this.start[node]!, e = this.end[node]!; p < e; p++) {
        const j = perm[p]!;
        if (j === exclude) continue;
        const dv = exactSqDist(Q, qi, X, j, d);
        if (dv <= heap.worst()) heap.push(dv, j);
      }
      return;
    }
    const r = this.right[node]!;
    const dl = this.boxDist(l, Q, qo);
    const dr = this.boxDist(r, Q, qo);
    if (dl <= dr) {
      if (dl <= heap.worst()) this.knnNode(l, Q, qi, qo, heap, exclude);
      if (dr <= heap.worst()) this.knnNode(r, Q, qi, qo, heap, exclude);
    } else {
      if (dr <= heap.worst()) this.knnNode(r, Q, qi, qo, heap, exclude);
      if (dl <= heap.worst()) this.knnNode(l, Q, qi, qo, heap, exclude);
    }
  }

  /** Appends (index, squared distance) of all points within sqrt(r2) of row qi of Q. */
  radius(Q: Float64Array, qi: number, r2: number, exclude: number, outIdx: number[], outD2: number[]): void {
    const stack: number[] = [0];
    const qo = qi * this.d;
    while (stack.length > 0) {
      const node = stack.pop()!;
      if (this.boxDist(node, Q, qo) > r2) continue;
      const l = this.left[node]!;
      if (l >= 0) {
        stack.push(l, this.right[node]!);
        continue;
      }
      for (let p = this.start[node]!, e = this.end[node]!; p < e; p++) {
        const j = this.perm[p]!;
        if (j === exclude) continue;
        const dv = exactSqDist(Q, qi, this.X, j, this.d);
        if (dv <= r2) {
          outIdx.push(j);
          outD2.push(dv);
        }
      }
    }
  }
}

export class VpTree {
  readonly perm: Int32Array;
  /** Per node: first/last position in perm; vantage point is perm[start] for inner nodes. */
  private readonly start: Int32Array;
  private readonly end: Int32Array;
  private readonly inner: Int32Array;
  private readonly outer: Int32Array;
  private readonly mu: Float64Array;
  private nNodes = 0;

  constructor(
    readonly X: Float64Array,
    readonly n: number,
    readonly d: number,
    readonly leafSize = 30,
    seed = 0,
  ) {
    const maxNodes = 2 * Math.ceil(n / Math.max(1, Math.floor(leafSize / 2))) + 2;
    this.perm = new Int32Array(n);
    for (let i = 0; i < n; i++) this.perm[i] = i;
    this.start = new Int32Array(maxNodes);
    this.end = new Int32Array(maxNodes);
    this.inner = new Int32Array(maxNodes).fill(-1);
    this.outer = new Int32Array(maxNodes).fill(-1);
    this.mu = new Float64Array(maxNodes);
    this.build(0, n, new Float64Array(n), new Rng(seed));
  }

  private build(s: number, e: number, key: Float64Array, rng: Rng): number {
    const node = this.nNodes++;
    this.start[node] = s;
    this.end[node] = e;
    if (e - s <= this.leafSize) return node;
    const { perm, X, d } = this;
    swap(perm, s, s + rng.int(e - s));
    const vp = perm[s]!;
    for (let p = s + 1; p < e; p++) key[perm[p]!] = Math.sqrt(exactSqDist(X, vp, X, perm[p]!, d));
    const mid = (s + 1 + e) >> 1;
    selectByKey(perm, key, s + 1, e, mid);
    this.mu[node] = key[perm[mid]!]!;
    // inner: distance < mu ∪ some ties, positions [s+1, mid); outer: [mid, e)
    this.inner[node] = this.build(s + 1, mid, key, rng);
    this.outer[node] = this.build(mid, e, key, rng);
    return node;
  }

  /** Fills `heap` with Euclidean (not squared) distances of the k nearest points to row qi of Q. */
  knn(Q: Float64Array, qi: number, heap: KBest, exclude: number): void {
    this.knnNode(0, Q, qi, heap, exclude);
  }

  private knnNode(node: number, Q: Float64Array, qi: number, heap: KBest, exclude: number): void {
    const { perm, X, d } = this;
    const s = this.start[node]!;
    const e = this.end[node]!;
    const inn = this.inner[node]!;
    if (inn < 0) {
      for (let p = s; p < e; p++) {
        const j = perm[p]!;
        if (j === exclude) continue;
        const dv = Math.sqrt(exactSqDist(Q, qi, X, j, d));
        if (dv <= heap.worst()) heap.push(dv, j);
      }
      return;
    }
    const vp = perm[s]!;
    const dv = Math.sqrt(exactSqDist(Q, qi, X, vp, d));
    if (vp !== exclude && dv <= heap.worst()) heap.push(dv, vp);
    const mu = this.mu[node]!;
    const out = this.outer[node]!;
    // Inner points have distance <= mu to vp, outer points >= mu.
    if (dv < mu) {
      if (dv - heap.worst() <= mu) this.knnNode(inn, Q, qi, heap, exclude);
      if (dv + heap.worst() >= mu) this.knnNode(out, Q, qi, heap, exclude);
    } else {
      if (dv + heap.worst() >= mu) this.knnNode(out, Q, qi, heap, exclude);
      if (dv - heap.worst() <= mu) this.knnNode(inn, Q, qi, heap, exclude);
    }
  }

  radius(Q: Float64Array, qi: number, r: number, exclude: number, outIdx: number[], outD2: number[]): void {
    const stack: number[] = [0];
    const { perm, X, d } = this;
    const r2 = r * r;
    while (stack.length > 0) {
      const node = stack.pop()!;
      const s = this.start[node]!;
      const e = this.end[node]!;
      const inn = this.inner[node]!;
      if (inn < 0) {
        for (let p = s; p < e; p++) {
          const j = perm[p]!;
          if (j === exclude) continue;
          const dv = exactSqDist(Q, qi, X, j, d);
          if (dv <= r2) {
            outIdx.push(j);
            outD2.push(dv);
          }
        }
        continue;
      }
      const vp = perm[s]!;
      const dv2 = exactSqDist(Q, qi, X, vp, d);
      if (vp !== exclude && dv2 <= r2) {
        outIdx.push(vp);
        outD2.push(dv2);
      }
      const dv = Math.sqrt(dv2);
      const mu = this.mu[node]!;
      if (dv - r <= mu) stack.push(inn);
      if (dv + r >= mu) stack.push(this.outer[node]!);
    }
  }
}
