/**
 * Gradients of the t-SNE objective C = KL(P‖Q) = Σ_ij p_ij log(p_ij / q_ij) with the heavy-tailed
 * output kernel w_ij = (1 + ‖y_i − y_j‖²/α)^{−(α+1)/2}, q_ij = w_ij / Z, Z = Σ_{k≠l} w_kl
 * (van der Maaten & Hinton 2008 with α = 1; van der Maaten 2009 and Kobak et al. 2019 for α ≠ 1):
 *   ∂C/∂y_i = (2(α+1)/α) Σ_j (p_ij − q_ij) u_ij (y_i − y_j),   u_ij = (1 + ‖y_i − y_j‖²/α)^{−1}.
 * Every method here returns G_i = Σ_j (e·p_ij − q_ij) u_ij (y_i − y_j), i.e. the gradient without the
 * constant 2(α+1)/α and with the attraction scaled by the exaggeration e (the convention of openTSNE
 * and FIt-SNE, which the learning rate 'auto' = N/e assumes). The attractive part is a sum over the
 * non-zeros of the sparse P (2-D, α = 1: `PairAttraction`, the kernel, each symmetric pair once);
 * the repulsive part −Σ_j w_ij u_ij (y_i − y_j) / Z is computed
 *   - exactly, O(n²) (any output dimension, any α);
 *   - by Barnes-Hut (van der Maaten 2014): a 2^dim-ary space-partitioning tree, a cell seen from y_i
 *     under an angle width/distance < θ acts as one point at its centre of mass (dim 2 or 3, any α);
 *     θ = 0 is exact;
 *   - by FFT-accelerated interpolation (Linderman et al. 2019, FIt-SNE): the kernel sums over the
 *     points are interpolated from an equispaced grid (p = 3 Lagrange nodes per box), where they are
 *     a discrete convolution done by FFT. Dim 2 and α = 1 only (the squared Cauchy kernel, and
 *     Σ_j w_ij² (1 + d_ij²) = Σ_j w_ij gives Z from the same four potentials).
 */
import type { Csr } from './affinity.js';
import { FftRepulsionBuffers, MAX_FFT_GRID, nextGridSize } from '../kernels/ts-fft.js';
import { HeapBuffers, tsneAttraction2d, tsneFftRepulsion2d, tsneRepulsion2d } from '../kernels/index.js';

export interface GradientResult {
  /** Z = Σ_{i≠j} w_ij. */
  Z: number;
}

/** Strict upper triangles of symmetric P matrices (null: P is not exactly symmetric), built once per P. */
const upperCache = new WeakMap<Csr, Csr | null>();

/**
 * The entries j > i of P when P is exactly symmetric (same pattern, bit-identical values: as the
 * symmetrised t-SNE affinities are), else null. O(nnz), cached per P object.
 */
export function upperTriangle(P: Csr): Csr | null {
  const hit = upperCache.get(P);
  if (hit !== undefined) return hit;
  const { n, indptr, indices, data } = P;
  const cntU = new Int32Array(n + 1);
  const cntL = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) {
    for (let q = indptr[i]!; q < indptr[i + 1]!; q++) {
      const j = indices[q]!;
      if (j > i) cntU[i + 1]!++;
      else if (j < i) cntL[j + 1]!++;
    }
  }
  for (let i = 0; i < n; i++) {
    cntU[i + 1]! += cntU[i]!;
    cntL[i + 1]! += cntL[i]!;
  }
  let result: Csr | null = null;
  if (cntU[n] === cntL[n]) {
    const m = cntU[n]!;
    const uI = new Int32Array(m);
    const uD = new Float64Array(m);
    const lI = new Int32Array(m);
    const lD = new Float64Array(m);
    const fillU = cntU.slice(0, n);
    const fillL = cntL.slice(0, n);
    for (let i = 0; i < n; i++) {
      for (let q = indptr[i]!; q < indptr[i + 1]!; q++) {
        const j = indices[q]!;
        if (j > i) {
          uI[fillU[i]!] = j;
          uD[fillU[i]!++] = data[q]!;
        } else if (j < i) {
          // transposed lower entry (j, i): rows filled in ascending i, so columns come sorted
          lI[fillL[j]!] = i;
          lD[fillL[j]!++] = data[q]!;
        }
      }
    }
    let same = true;
    for (let i = 0; i <= n && same; i++) if (cntU[i] !== cntL[i]) same = false;
    // rows of U keep P's column order (unsorted after a renumbering): sort them (insertion sort,
    // rows are short) so that U and the transposed lower part compare entry by entry
    for (let i = 0; i < n && same; i++) {
      const a = cntU[i]!;
      const b = cntU[i + 1]!;
      for (let q = a + 1; q < b; q++) {
        const j = uI[q]!;
        const v = uD[q]!;
        let t = q - 1;
        while (t >= a && uI[t]! > j) {
          uI[t + 1] = uI[t]!;
          uD[t + 1] = uD[t]!;
          t--;
        }
        uI[t + 1] = j;
        uD[t + 1] = v;
      }
    }
    for (let q = 0; q < m && same; q++) if (uI[q] !== lI[q] || uD[q] !== lD[q]) same = false;
    if (same) result = { n, indptr: cntU, indices: uI, data: uD };
  }
  upperCache.set(P, result);
  return result;
}

/**
 * Attractive part: grad_i += e Σ_j p_ij u_ij (y_i − y_j). Returns Σ p_ij log w_ij (for the KL). The
 * general loop (any dimension and α); t-SNE runs 2-D maps with α = 1 through `PairAttraction` (the
 * kernel, each symmetric pair once).
 */
export function attractive(
  Y: Float64Array,
  dim: number,
  P: Csr,
  exaggeration: number,
  dof: number,
  grad: Float64Array,
  computeKl = true,
): number {
  const { indptr, indices, data } = P;
  let sumPLogW = 0;
  const e = -(dof + 1) / 2;
  for (let i = 0; i < P.n; i++) {
    for (let q = indptr[i]!; q < indptr[i + 1]!; q++) {
      const j = indices[q]!;
      let d2 = 0;
      for (let c = 0; c < dim; c++) {
        const t = Y[i * dim + c]! - Y[j * dim + c]!;
        d2 += t * t;
      }
      const base = 1 + d2 / dof;
      const u = 1 / base;
      const p = data[q]!;
      if (computeKl) sumPLogW += p * (dof === 1 ? Math.log(u) : e * Math.log(base));
      const pu = exaggeration * p * u;
      for (let c = 0; c < dim; c++) grad[i * dim + c]! += pu * (Y[i * dim + c]! - Y[j * dim + c]!);
    }
  }
  return sumPLogW;
}

/** Σ p log p over the non-zeros (constant part of the KL). */
export function entropyTerm(P: Csr): number {
  let s = 0;
  for (let q = 0; q < P.data.length; q++) {
    const p = P.data[q]!;
    if (p > 0) s += p * Math.log(p);
  }
  return s;
}

/**
 * Exact gradient (O(n² dim)). Writes grad (n × dim, overwritten) and returns Z and the KL of the
 * un-exaggerated P (KL uses p log p from `entropyTerm`, passed in as `plogp`).
 */
export function exactGradient(
  Y: Float64Array,
  n: number,
  dim: number,
  P: Csr,
  exaggeration: number,
  dof: number,
  grad: Float64Array,
  plogp: number,
  computeKl = true,
): { Z: number; kl: number } {
  grad.fill(0);
  const sumPLogW = attractive(Y, dim, P, exaggeration, dof, grad, computeKl);
  const e = -(dof + 1) / 2;
  let Z = 0;
  const rep = new Float64Array(n * dim);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      let d2 = 0;
      for (let c = 0; c < dim; c++) {
        const t = Y[i * dim + c]! - Y[j * dim + c]!;
        d2 += t * t;
      }
      const base = 1 + d2 / dof;
      const u = 1 / base;
      const w = dof === 1 ? u : Math.pow(base, e);
      Z += 2 * w;
      const wu = w * u;
      for (let c = 0; c < dim; c++) {
        const t = wu * (Y[i * dim + c]! - Y[j * dim + c]!);
        rep[i * dim + c]! += t;
        rep[j * dim + c]! -= t;
      }
    }
  }
  for (let t = 0; t < n * dim; t++) grad[t]! -= rep[t]! / Z;
  return { Z, kl: computeKl ? plogp - sumPLogW + Math.log(Z) : NaN };
}

// ---------------------------------------------------------------------------------------------
// Barnes-Hut

/** A 2^dim-ary space-partitioning tree over n points (quadtree for dim 2, octree for dim 3). */
export class BhTree {
  readonly dim: number;
  /** Cell centre (nodes × dim), half width, centre of mass (nodes × dim), count, first child or −1. */
  center = new Float64Array(0);
  half = new Float64Array(0);
  com = new Float64Array(0);
  count = new Int32Array(0);
  child = new Int32Array(0);
  /** Leaves hold perm[start..end). */
  start = new Int32Array(0);
  end = new Int32Array(0);
  perm = new Int32Array(0);
  nNodes = 0;

  constructor(dim: number) {
    this.dim = dim;
  }

  private ensure(cap: number): void {
    if (this.half.length >= cap) return;
    const c = Math.max(cap, this.half.length * 2, 64);
    const dim = this.dim;
    const grow = <T extends Float64Array | Int32Array>(a: T, m: number): T => {
      const b = new (a.constructor as { new (k: number): T })(c * m);
      b.set(a);
      return b;
    };
    this.center = grow(this.center, dim);
    this.com = grow(this.com, dim);
    this.half = grow(this.half, 1);
    this.count = grow(this.count, 1);
    this.child = grow(this.child, 1);
    this.start = grow(this.start, 1);
    this.end = grow(this.end, 1);
  }

  build(Y: Float64Array, n: number): void {
    const dim = this.dim;
    const nc = 1 << dim;
    if (this.perm.length !== n) this.perm = new Int32Array(n);
    const perm = this.perm;
    for (let i = 0; i < n; i++) perm[i] = i;
    this.ensure(2 * n + 1);
    let hw = 0;
    const lo = new Float64Array(dim).fill(Infinity);
    const hi = new Float64Array(dim).fill(-Infinity);
    for (let i = 0; i < n; i++) {
      for (let c = 0; c < dim; c++) {
        const v = Y[i * dim + c]!;
        if (v < lo[c]!) lo[c] = v;
        if (v > hi[c]!) hi[c] = v;
      }
    }
    for (let c = 0; c < dim; c++) {
      this.center[c] = (lo[c]! + hi[c]!) / 2;
      hw = Math.max(hw, (hi[c]! - lo[c]!) / 2);
    }
    this.half[0] = hw * (1 + 1e-9) + 1e-12;
    this.start[0] = 0;
    this.end[0] = n;
    this.nNodes = 1;
    const counts = new Int32Array(nc + 1);
    const tmp = new Int32Array(n);
    const code = new Int32Array(n);
    // breadth-first: nodes are appended, processed in order
    for (let node = 0; node < this.nNodes; node++) {
      const s = this.start[node]!;
      const e = this.end[node]!;
      const m = e - s;
      this.count[node] = m;
      for (let c = 0; c < dim; c++) {
        let acc = 0;
        for (let q = s; q < e; q++) acc += Y[perm[q]! * dim + c]!;
        this.com[node * dim + c] = m > 0 ? acc / m : 0;
      }
      const h = this.half[node]!;
      if (m <= 1 || h < 1e-12 * (1 + Math.abs(this.center[node * dim]!))) {
        this.child[node] = -1;
        continue;
      }
      counts.fill(0);
      for (let q = s; q < e; q++) {
        const p = perm[q]!;
        let cd = 0;
        for (let c = 0; c < dim; c++) if (Y[p * dim + c]! >= this.center[node * dim + c]!) cd |= 1 << c;
        code[q] = cd;
        counts[cd + 1]!++;
      }
      for (let t = 0; t < nc; t++) counts[t + 1]! += counts[t]!;
      for (let q = s; q < e; q++) tmp[s + counts[code[q]!]!++] = perm[q]!;
      for (let q = s; q < e; q++) perm[q] = tmp[q]!;
      // counts[t] is now the end offset of child t
      this.ensure(this.nNodes + nc);
      const first = this.nNodes;
      this.child[node] = first;
      let prev = s;
      for (let t = 0; t < nc; t++) {
        const cn = first + t;
        this.start[cn] = prev;
        this.end[cn] = s + counts[t]!;
        prev = s + counts[t]!;
        this.half[cn] = h / 2;
        for (let c = 0; c < dim; c++) {
          this.center[cn * dim + c] = this.center[node * dim + c]! + ((t >> c) & 1 ? h / 2 : -h / 2);
        }
      }
      this.nNodes += nc;
    }
  }
}

/**
 * Barnes-Hut repulsion: rep_i = Σ_j w_ij u_ij (y_i − y_j) (unnormalised) for the query points
 * (rows of Yq, or the tree's own points when `self` is true: the point itself is skipped).
 * Returns Σ_i Σ_j w_ij.
 */
export function bhRepulsive(
  tree: BhTree,
  Yt: Float64Array,
  Yq: Float64Array,
  m: number,
  theta: number,
  dof: number,
  rep: Float64Array,
  self: boolean,
  sumWOut?: Float64Array,
): number {
  const dim = tree.dim;
  const nc = 1 << dim;
  const theta2 = theta * theta;
  const stack = new Int32Array(64 * nc + 16);
  const e = -(dof + 1) / 2;
  const { com, count, child, half, start, end, perm } = tree;
  let total = 0;
  const yi = new Float64Array(dim);
  for (let i = 0; i < m; i++) {
    for (let c = 0; c < dim; c++) yi[c] = Yq[i * dim + c]!;
    let sumW = 0;
    let r0 = 0;
    let r1 = 0;
    let r2 = 0;
    let sp = 0;
    stack[sp++] = 0;
    while (sp > 0) {
      const node = stack[--sp]!;
      const cnt = count[node]!;
      if (cnt === 0) continue;
      const ch = child[node]!;
      if (ch < 0) {
        for (let q = start[node]!; q < end[node]!; q++) {
          const j = perm[q]!;
          if (self && j === i) continue;
          const d0 = yi[0]! - Yt[j * dim]!;
          const d1 = yi[1]! - Yt[j * dim + 1]!;
          const d2c = dim === 3 ? yi[2]! - Yt[j * dim + 2]! : 0;
          const dd = d0 * d0 + d1 * d1 + d2c * d2c;
          let w: number;
          let wu: number;
          if (dof === 1) {
            w = 1 / (1 + dd);
            wu = w * w;
          } else {
            const base = 1 + dd / dof;
            w = Math.pow(base, e);
            wu = w / base;
          }
          sumW += w;
          r0 += wu * d0;
          r1 += wu * d1;
          r2 += wu * d2c;
        }
        continue;
      }
      const d0 = yi[0]! - com[node * dim]!;
      const d1 = yi[1]! - com[node * dim + 1]!;
      const d2c = dim === 3 ? yi[2]! - com[node * dim + 2]! : 0;
      const dd = d0 * d0 + d1 * d1 + d2c * d2c;
      const width = 2 * half[node]!;
      if (width * width < theta2 * dd) {
        let w: number;
        let wu: number;
        if (dof === 1) {
          w = 1 / (1 + dd);
          wu = w * w;
        } else {
          const base = 1 + dd / dof;
          w = Math.pow(base, e);
          wu = w / base;
        }
        sumW += cnt * w;
        r0 += cnt * wu * d0;
        r1 += cnt * wu * d1;
        r2 += cnt * wu * d2c;
      } else {
        if (sp + nc > stack.length) throw new Error('Barnes-Hut stack overflow');
        for (let t = 0; t < nc; t++) stack[sp++] = ch + t;
      }
    }
    rep[i * dim] = r0;
    rep[i * dim + 1] = r1;
    if (dim === 3) rep[i * dim + 2] = r2;
    if (sumWOut) sumWOut[i] = sumW;
    total += sumW;
  }
  return total;
}

/** Barnes-Hut gradient (dim 2 or 3). grad is overwritten. */
export function bhGradient(
  Y: Float64Array,
  n: number,
  dim: number,
  P: Csr,
  exaggeration: number,
  dof: number,
  theta: number,
  tree: BhTree,
  rep: Float64Array,
  grad: Float64Array,
  plogp: number,
  computeKl = true,
): { Z: number; kl: number } {
  tree.build(Y, n);
  const Z = bhRepulsive(tree, Y, Y, n, theta, dof, rep, true);
  grad.fill(0);
  const sumPLogW = attractive(Y, dim, P, exaggeration, dof, grad, computeKl);
  for (let t = 0; t < n * dim; t++) grad[t]! -= rep[t]! / Z;
  return { Z, kl: computeKl ? plogp - sumPLogW + Math.log(Z) : NaN };
}

/**
 * The attractive forces of 2-D maps with α = 1 through the `tsneAttraction2d` kernel:
 * attr_i = Σ_j p_ij w_ij (y_i − y_j). P (its strict upper triangle when it is exactly symmetric, as the
 * t-SNE affinities are: each pair once) is copied once into wasm memory, where the kernel reads it in
 * place every iteration, split over the worker pool; when the memory is full it stays in ordinary
 * arrays (the TypeScript loop: the kernel needs all three arrays in wasm memory). Call `dispose()` to give the memory back (no finalizer does it: see
 * kernels/heap.ts).
 */
export class PairAttraction {
  /** The P this was built from. */
  readonly source: Csr;
  private readonly indptr: Int32Array;
  private readonly indices: Int32Array;
  private readonly data: Float64Array;
  /** P is exactly symmetric and held as its strict upper triangle (each pair once). */
  private readonly upper: boolean;
  private readonly attr: Float64Array;
  private readonly klRow: Float64Array;
  /** The copy of P, in wasm memory where it fits. */
  private readonly heap = new HeapBuffers();

  constructor(P0: Csr) {
    this.source = P0;
    const U = upperTriangle(P0);
    const P = U ?? P0;
    this.upper = U !== null;
    const n = P.n;
    const nnz = P.indptr[n]!;
    this.indptr = this.heap.i32(n + 1);
    this.indices = this.heap.i32(nnz);
    this.data = this.heap.f64(nnz);
    this.indptr.set(P.indptr.subarray(0, n + 1));
    this.indices.set(P.indices.subarray(0, nnz));
    this.data.set(P.data.subarray(0, nnz));
    this.attr = new Float64Array(2 * n);
    this.klRow = new Float64Array(n);
  }

  /** The forces (a buffer reused by the next call) and, when asked, Σ_ij p_ij log w_ij (else NaN). */
  compute(Y: Float64Array, n: number, computeKl: boolean): { attr: Float64Array; sumPLogW: number } {
    const { attr, klRow } = this;
    tsneAttraction2d(n, Y, this.indptr, this.indices, this.data, attr, computeKl ? klRow : null, this.upper);
    if (!computeKl) return { attr, sumPLogW: NaN };
    let sumPLogW = 0;
    for (let i = 0; i < n; i++) sumPLogW += klRow[i]!;
    return { attr, sumPLogW: this.upper ? 2 * sumPLogW : sumPLogW };
  }

  /**
   * The gradient (convention of this file) from a repulsion computed elsewhere (rep, Z):
   * grad = e·attr − rep/Z, and the KL plogp − Σ p log w + log Z when asked (else NaN).
   */
  gradient(
    Y: Float64Array,
    n: number,
    exaggeration: number,
    rep: Float64Array,
    Z: number,
    grad: Float64Array,
    plogp: number,
    computeKl: boolean,
  ): { Z: number; kl: number } {
    const { attr, sumPLogW } = this.compute(Y, n, computeKl);
    const inv = 1 / Z;
    for (let t = 0; t < 2 * n; t++) grad[t] = exaggeration * attr[t]! - rep[t]! * inv;
    return { Z, kl: computeKl ? plogp - sumPLogW + Math.log(Z) : NaN };
  }

  /** Returns P's copy in wasm memory to the heap (the object must not be used afterwards). */
  dispose(): void {
    this.heap.release();
  }
}

/**
 * The Barnes-Hut gradient of 2-D maps with α = 1 through the kernels (kernels/ts-tsne.ts and its
 * WebAssembly twin): group traversal of a Morton-ordered quadtree for the repulsion, `PairAttraction`
 * for the attraction, both split over the worker pool. Built from P it owns its `PairAttraction` (call
 * `dispose()`); built from a `PairAttraction` it shares it (the owner disposes it).
 */
export class Bh2dGradient {
  private readonly att: PairAttraction;
  private readonly owns: boolean;
  /** Σ_j w_ij per point, written by the kernel in place (wasm memory where it fits). */
  private readonly heap = new HeapBuffers();
  private readonly sumW: Float64Array;

  constructor(P: Csr | PairAttraction) {
    this.owns = !(P instanceof PairAttraction);
    this.att = P instanceof PairAttraction ? P : new PairAttraction(P);
    this.sumW = this.heap.f64(this.att.source.n);
  }

  /** Gradient (convention of this file) into grad; returns Z and the KL (NaN unless computeKl). */
  gradient(
    Y: Float64Array,
    n: number,
    exaggeration: number,
    theta: number,
    rep: Float64Array,
    grad: Float64Array,
    plogp: number,
    computeKl: boolean,
  ): { Z: number; kl: number } {
    const sumW = this.sumW;
    tsneRepulsion2d(n, Y, theta, rep, sumW);
    let Z = 0;
    for (let i = 0; i < n; i++) Z += sumW[i]!;
    return this.att.gradient(Y, n, exaggeration, rep, Z, grad, plogp, computeKl);
  }

  /** Gives back its wasm memory (and an owned `PairAttraction`'s). */
  dispose(): void {
    this.heap.release();
    if (this.owns) this.att.dispose();
  }
}

// ---------------------------------------------------------------------------------------------
// FFT-accelerated interpolation (FIt-SNE), 2-D, α = 1

export interface FftOptions {
  /** Interpolation nodes per box (FIt-SNE default 3). */
  nInterp?: number;
  /** Minimum number of boxes per dimension (FIt-SNE: 50; here 25: below 25 units of map width the
   * boxes are narrower than one unit anyway, where the interpolation is accurate). */
  minIntervals?: number;
  /** Boxes per unit of embedding length (FIt-SNE default 1). */
  intervalsPerInteger?: number;
}

/** State of the FFT method, reused across iterations: the grid of the cached kernel transform and the buffers. */
export class FftWorkspace {
  /** Grid of the cached kernel transform: size, nodes per box, lower corner, side length. */
  kN = 0;
  kP = 0;
  kLo = 0;
  kCover = 0;
  /** Arrays of the TypeScript path (empty while the WebAssembly kernels run it). */
  readonly buffers = new FftRepulsionBuffers();
  /** The attraction (P in wasm memory), built on first use or shared through `useAttraction`. */
  private att: PairAttraction | null = null;
  private ownsAtt = false;

  /** Grid side of the last call. */
  get size(): number {
    return this.kN;
  }

  /** Shares an attraction owned elsewhere (e.g. the t-SNE run's, also used by Barnes-Hut). */
  useAttraction(att: PairAttraction): void {
    this.dispose();
    this.att = att;
    this.ownsAtt = false;
  }

  /** The attraction for P: the shared one, or one built (and owned) here when P changes. */
  attraction(P: Csr): PairAttraction {
    if (this.att?.source !== P) {
      this.dispose();
      this.att = new PairAttraction(P);
      this.ownsAtt = true;
    }
    return this.att;
  }

  /** Gives back the wasm memory of an owned attraction (the workspace stays usable). */
  dispose(): void {
    if (this.att && this.ownsAtt) this.att.dispose();
    this.att = null;
    this.ownsAtt = false;
  }
}

/**
 * FFT-interpolated repulsion for 2-D, α = 1: rep_i ≈ Σ_j w_ij² (y_i − y_j); returns Z ≈ Σ_{i≠j} w_ij.
 * Chooses the grid (side N for the map's extent with 5% slack, kept while the map still fits and has
 * not shrunk by more than 1/1.25, so the kernel's transform is reused) and runs the
 * `tsneFftRepulsion2d` kernel (WebAssembly on the worker pool, or the TypeScript reference).
 */
/** Slack of the FFT grid around the map, so its kernel transform is reused while the map moves. */
const FFT_SLACK = 1.05;

/**
 * The FFT grid map Y (n × 2) needs: its extent (lo, hi, range > 0 over both coordinates) and the
 * side N for `nInterp` nodes per box and `intervalsPerInteger` boxes per unit (at least
 * `minIntervals`), with 5% slack. N may exceed MAX_FFT_GRID (callers decide).
 */
export function fftGrid(
  Y: Float64Array,
  n: number,
  o: FftOptions = {},
): { N: number; lo: number; hi: number; range: number } {
  const p = o.nInterp ?? 3;
  const minIntervals = o.minIntervals ?? 25;
  const perUnit = o.intervalsPerInteger ?? 1;
  let lo = Infinity;
  let hi = -Infinity;
  for (let t = 0; t < 2 * n; t++) {
    const v = Y[t]!;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  let range = hi - lo;
  if (!(range > 0)) range = 1e-6;
  const needed = Math.max(minIntervals, Math.ceil(range * FFT_SLACK * perUnit));
  return { N: nextGridSize(2 * p * needed), lo, hi, range };
}

export function fftRepulsive(
  Y: Float64Array,
  n: number,
  rep: Float64Array,
  ws: FftWorkspace,
  o: FftOptions = {},
): number {
  const p = o.nInterp ?? 3;
  const { N, lo, hi, range } = fftGrid(Y, n, o);
  const slack = FFT_SLACK;
  if (N > MAX_FFT_GRID) {
    throw new RangeError(
      `fftRepulsive: this map needs an FFT grid of side ${N} (> ${MAX_FFT_GRID}, ~0.5 GB per grid): use Barnes-Hut for maps this wide`,
    );
  }
  const nBoxes = Math.floor(N / (2 * p));
  const reuse =
    ws.kN === N &&
    ws.kP === p &&
    ws.kLo <= lo &&
    ws.kLo + ws.kCover >= hi &&
    ws.kCover <= 1.25 * range * slack;
  if (!reuse) {
    const cover = range * slack;
    ws.kLo = (lo + hi) / 2 - cover / 2;
    ws.kCover = cover;
    ws.kN = N;
    ws.kP = p;
  }
  return tsneFftRepulsion2d(n, Y, p, N, ws.kLo, ws.kCover / nBoxes, rep, ws.buffers);
}

/**
 * FFT-interpolated gradient (dim 2, α = 1). grad is overwritten. The attraction runs through the
 * `tsneAttraction2d` kernel with P held by the workspace (in wasm memory until `ws.dispose()`).
 */
export function fftGradient(
  Y: Float64Array,
  n: number,
  P: Csr,
  exaggeration: number,
  ws: FftWorkspace,
  rep: Float64Array,
  grad: Float64Array,
  plogp: number,
  computeKl = true,
  o: FftOptions = {},
): { Z: number; kl: number } {
  const Z = fftRepulsive(Y, n, rep, ws, o);
  return ws.attraction(P).gradient(Y, n, exaggeration, rep, Z, grad, plogp, computeKl);
}
