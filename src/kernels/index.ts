/**
 * Kernels: the only place with hot loops over dense (and t-SNE's sparse) data. PUBLIC INTERFACE (stable):
 *
 *   gemm(m, n, k, A, B, C, opts)      C = alpha·op(A)·op(B) + beta·C, row-major, f32 or f64
 *   syrk(n, d, X, C, opts)            C (d×d) = alpha·XᵀX + beta·C (full symmetric result)
 *   rowSqNorms(m, d, X, out)          out[i] = Σ_j X[i,j]²
 *   sqdist(m, n, d, X, Y, D, opts)    D[i,j] = max(0, ‖x_i‖² + ‖y_j‖² − 2 x_i·y_j)
 *   argminRows(m, n, D, idx, val)     per-row argmin
 *   topkRows(m, n, k, D, idx, val)    per-row k smallest, ascending (ties: lower index first)
 *   matmul(A, B)                      Matrix-level product honouring transpose views
 *   vecAxpy / vecScale / vecAdd / vecMul / vecSum / vecDot / vecMax   elementwise maps and reductions
 *   vecExpF32 / ... / adamStepF32     the neural-network elementwise kernels (float32)
 *   tsneRepulsion2d(n, Y, θ, rep, sumW)                 t-SNE Barnes-Hut repulsion of a 2-D map
 *   tsneAttraction2d(n, Y, indptr, indices, data, ...)  t-SNE attraction over a sparse P
 *   tsneFftRepulsion2d(n, Y, p, N, lo, boxW, rep, ...)  t-SNE FFT-interpolated repulsion (FIt-SNE)
 *
 * Behind them: a registry (registry.ts) chooses between the plain TypeScript backend (reference and
 * fallback) and the WebAssembly SIMD backend (AssemblyScript, packed GotoBLAS gemm, FMA when relaxed
 * SIMD is available, a 2-thread worker pool over shared memory for large products). In Node the wasm
 * backend loads synchronously when this module is imported; in browsers `await initKernels()`.
 *
 * Memory: `wasmHeap` allocates typed arrays inside the kernels' WebAssembly memory; operands that live
 * there are used in place, others are copied into scratch space (in blocks when large).
 */
import { Matrix, allocFloat, type Float } from '../core/matrix.js';
import { isInHeap, wasmHeap } from './heap.js';
import { active } from './registry.js';
import { MAX_FFT_GRID, fftSizeOk, type FftRepulsionBuffers } from './ts-fft.js';
import { initWasmBackend } from './wasm-backend.js';

export { wasmHeap, isInHeap, HeapBuffers, type WasmHeap } from './heap.js';
export { getBackend, setBackend, type KernelBackend } from './registry.js';
export {
  setPoolOptions,
  getPoolStats,
  whenPoolReady,
  type PoolOptions,
  type PoolStats,
} from './wasm-backend.js';

/**
 * Loads the WebAssembly backend (browsers; a no-op in Node, where it loads at import). Resolves to the
 * active backend's name; never rejects (without WebAssembly SIMD the TypeScript backend stays).
 * @param wasmUrl where to fetch the .wasm files from (default: next to this module, `./wasm/`).
 */
export async function initKernels(wasmUrl?: string | URL): Promise<'ts' | 'wasm'> {
  await initWasmBackend(wasmUrl);
  return active.name;
}

export interface GemmOptions {
  /** Use Aᵀ: A is stored k×m (row-major, lda default m). */
  transA?: boolean;
  /** Use Bᵀ: B is stored n×k (row-major, ldb default k). */
  transB?: boolean;
  alpha?: number;
  beta?: number;
  aOffset?: number;
  bOffset?: number;
  cOffset?: number;
  lda?: number;
  ldb?: number;
  ldc?: number;
}

function checkDim(name: string, v: number): void {
  if (!Number.isInteger(v) || v < 0)
    throw new RangeError(`gemm: ${name} must be a non-negative integer, got ${v}`);
}

function checkExtent(
  fn: string,
  name: string,
  arr: Float,
  off: number,
  rows: number,
  cols: number,
  ld: number,
): void {
  if (!Number.isInteger(off) || off < 0)
    throw new RangeError(`${fn}: ${name} offset must be a non-negative integer, got ${off}`);
  if (!Number.isInteger(ld) || (ld < cols && rows > 1)) {
    throw new RangeError(`${fn}: leading dimension of ${name} (${ld}) is smaller than its ${cols} columns`);
  }
  if (rows === 0 || cols === 0) return;
  const last = off + (rows - 1) * ld + cols;
  if (last > arr.length) {
    throw new RangeError(
      `${fn}: ${name} needs ${last} elements (${rows}x${cols}, ld ${ld}, offset ${off}) but has ${arr.length}`,
    );
  }
}

function sameDtype(fn: string, ...arrs: Float[]): boolean {
  const f32 = arrs[0] instanceof Float32Array;
  for (const a of arrs) {
    if (a instanceof Float32Array !== f32)
      throw new TypeError(`${fn}: operands mix Float32Array and Float64Array`);
  }
  return f32;
}

/**
 * C = alpha·op(A)·op(B) + beta·C for row-major f32 or f64 arrays (all three the same dtype).
 * op(A) is m×k, op(B) is k×n, C is m×n; offsets and leading dimensions (in elements) select blocks of
 * larger arrays. With beta = 0, C is not read (NaN there does not survive). Operands from `wasmHeap`
 * are used in place; others are copied in (and C back) by the wasm backend.
 * @throws RangeError when an array is too short for its shape, TypeError when dtypes are mixed.
 */
export function gemm<T extends Float>(
  m: number,
  n: number,
  k: number,
  A: T,
  B: T,
  C: T,
  o: GemmOptions = {},
): void {
  const ta = o.transA ?? false;
  const tb = o.transB ?? false;
  const alpha = o.alpha ?? 1;
  const beta = o.beta ?? 0;
  const ao = o.aOffset ?? 0;
  const bo = o.bOffset ?? 0;
  const co = o.cOffset ?? 0;
  const lda = o.lda ?? (ta ? m : k);
  const ldb = o.ldb ?? (tb ? k : n);
  const ldc = o.ldc ?? n;
  checkDim('m', m);
  checkDim('n', n);
  checkDim('k', k);
  if (k > 0) {
    checkExtent('gemm', 'A', A, ao, ta ? k : m, ta ? m : k, lda);
    checkExtent('gemm', 'B', B, bo, tb ? n : k, tb ? k : n, ldb);
  }
  checkExtent('gemm', 'C', C, co, m, n, ldc);
  if (sameDtype('gemm', A, B, C)) {
    active.gemmF32(
      m,
      n,
      k,
      A as Float32Array,
      ao,
      lda,
      ta,
      B as Float32Array,
      bo,
      ldb,
      tb,
      C as Float32Array,
      co,
      ldc,
      alpha,
      beta,
    );
  } else {
    active.gemmF64(
      m,
      n,
      k,
      A as Float64Array,
      ao,
      lda,
      ta,
      B as Float64Array,
      bo,
      ldb,
      tb,
      C as Float64Array,
      co,
      ldc,
      alpha,
      beta,
    );
  }
}

export interface SyrkOptions {
  alpha?: number;
  beta?: number;
}

/** Block size of syrk's triangle: only blocks on or above the diagonal are multiplied (half the flops). */
const SYRK_BLOCK = 256;

/**
 * C (d×d) = alpha·XᵀX + beta·C for X n×d (row-major). Only the upper triangle is computed (blocks on
 * or above the diagonal: about half the flops of a gemm) and then mirrored, so the result is exactly
 * symmetric; with beta ≠ 0 only the upper triangle of the input C is read (C is taken as symmetric).
 */
export function syrk<T extends Float>(n: number, d: number, X: T, C: T, o: SyrkOptions = {}): void {
  const alpha = o.alpha ?? 1;
  const beta = o.beta ?? 0;
  checkDim('n', n);
  checkDim('d', d);
  checkExtent('syrk', 'X', X, 0, n, d, d);
  checkExtent('syrk', 'C', C, 0, d, d, d);
  sameDtype('syrk', X, C);
  if (d <= SYRK_BLOCK + SYRK_BLOCK / 2) {
    gemm(d, d, n, X, X, C, { transA: true, alpha, beta });
  } else {
    // the block rows below all read X: with the wasm backend, copy it into wasm memory once rather
    // than once per block row (when there is room; otherwise each gemm copies what it needs)
    let Xk = X;
    let tmp: T | null = null;
    if (active.name === 'wasm' && !isInHeap(X)) {
      try {
        tmp = (X instanceof Float32Array ? wasmHeap.allocF32(n * d) : wasmHeap.allocF64(n * d)) as T;
        tmp.set(X.subarray(0, n * d));
        Xk = tmp;
      } catch {
        tmp = null;
      }
    }
    try {
      syrkBlocks(n, d, Xk, C, alpha, beta);
    } finally {
      if (tmp) wasmHeap.free(tmp);
    }
  }
  // exact symmetry: copy the upper triangle onto the lower
  for (let i = 1; i < d; i++) {
    const r = i * d;
    for (let j = 0; j < i; j++) C[r + j] = C[j * d + i]!;
  }
}

function syrkBlocks<T extends Float>(n: number, d: number, X: T, C: T, alpha: number, beta: number): void {
  for (let i0 = 0; i0 < d; i0 += SYRK_BLOCK) {
    const bi = Math.min(SYRK_BLOCK, d - i0);
    // the j-block starts at the diagonal block and runs to the end: one wide gemm per block row
    gemm(bi, d - i0, n, X, X, C, {
      transA: true,
      alpha,
      beta,
      aOffset: i0,
      lda: d,
      bOffset: i0,
      ldb: d,
      cOffset: i0 * d + i0,
      ldc: d,
    });
  }
}

/** out[i] = Σ_j X[i, j]² for X m×d row-major (f32 results accumulate in f64, rounded once). */
export function rowSqNorms<T extends Float>(m: number, d: number, X: T, out: T): void {
  checkExtent('rowSqNorms', 'X', X, 0, m, d, d);
  if (out.length < m) throw new RangeError(`rowSqNorms: out has length ${out.length} < m=${m}`);
  if (sameDtype('rowSqNorms', X, out))
    active.rowSqNormsF32(m, d, X as Float32Array, 0, d, out as Float32Array, 0);
  else active.rowSqNormsF64(m, d, X as Float64Array, 0, d, out as Float64Array, 0);
}

export interface SqdistOptions<T extends Float> {
  /** Precomputed ‖x_i‖² (length m). */
  xNorms?: T;
  /** Precomputed ‖y_j‖² (length n). */
  yNorms?: T;
}

/**
 * D[i, j] = max(0, ‖x_i‖² + ‖y_j‖² − 2·x_i·y_j) for X m×d, Y n×d, D m×n (row-major). The product goes
 * through gemm (threaded in wasm); the clamp removes the small negatives that cancellation leaves.
 * When X and Y are the same array and m = n, the diagonal is set to exactly 0. Norms may be passed
 * precomputed (e.g. the cluster centres' norms, reused across iterations).
 */
export function sqdist<T extends Float>(
  m: number,
  n: number,
  d: number,
  X: T,
  Y: T,
  D: T,
  o: SqdistOptions<T> = {},
): void {
  checkExtent('sqdist', 'X', X, 0, m, d, d);
  checkExtent('sqdist', 'Y', Y, 0, n, d, d);
  checkExtent('sqdist', 'D', D, 0, m, n, n);
  const f32 = sameDtype('sqdist', X, Y, D);
  if (o.xNorms && o.xNorms.length < m)
    throw new RangeError(`sqdist: xNorms has length ${o.xNorms.length} < m=${m}`);
  if (o.yNorms && o.yNorms.length < n)
    throw new RangeError(`sqdist: yNorms has length ${o.yNorms.length} < n=${n}`);
  if (o.xNorms) sameDtype('sqdist', X, o.xNorms);
  if (o.yNorms) sameDtype('sqdist', X, o.yNorms);
  if (f32)
    active.sqdistF32(
      m,
      n,
      d,
      X as Float32Array,
      Y as Float32Array,
      D as Float32Array,
      (o.xNorms ?? null) as Float32Array | null,
      (o.yNorms ?? null) as Float32Array | null,
    );
  else
    active.sqdistF64(
      m,
      n,
      d,
      X as Float64Array,
      Y as Float64Array,
      D as Float64Array,
      (o.xNorms ?? null) as Float64Array | null,
      (o.yNorms ?? null) as Float64Array | null,
    );
  // a point's distance to itself is exactly 0 (the norm and the dot product round differently)
  if (X === Y && m === n) for (let i = 0; i < m; i++) D[i * n + i] = 0;
}

/** Per row of D (m×n): idx[i] = first column of the smallest entry, val[i] = that entry (NaN is skipped). */
export function argminRows<T extends Float>(m: number, n: number, D: T, idx: Int32Array, val: T): void {
  checkExtent('argminRows', 'D', D, 0, m, n, n);
  if (idx.length < m || val.length < m) throw new RangeError(`argminRows: idx/val shorter than m=${m}`);
  if (sameDtype('argminRows', D, val))
    active.argminRowsF32(m, n, D as Float32Array, idx, val as Float32Array);
  else active.argminRowsF64(m, n, D as Float64Array, idx, val as Float64Array);
}

/**
 * Per row of D (m×n): the k smallest entries in ascending order into idx/val (m×k, row-major); ties go
 * to the lower column index; NaN entries sort last (reported as Infinity). O(n log k) per row.
 */
export function topkRows<T extends Float>(
  m: number,
  n: number,
  k: number,
  D: T,
  idx: Int32Array,
  val: T,
): void {
  checkExtent('topkRows', 'D', D, 0, m, n, n);
  if (!Number.isInteger(k) || k < 0 || k > n) throw new RangeError(`topkRows: k=${k} must be in 0..n=${n}`);
  if (idx.length < m * k || val.length < m * k)
    throw new RangeError(`topkRows: idx/val shorter than m*k=${m * k}`);
  sameDtype('topkRows', D, val);
  if (k > 0) active.topkRows(m, n, k, D, idx, val);
}

/** How a Matrix view reaches gemm: as stored (row-major with a leading dimension) or transposed. */
function operand<T extends Float>(M: Matrix<T>): { t: boolean; data: T; off: number; ld: number } {
  if (M.colStride === 1 && (M.rows <= 1 || M.rowStride >= M.cols)) {
    return { t: false, data: M.data, off: M.offset, ld: M.rows <= 1 ? Math.max(1, M.cols) : M.rowStride };
  }
  if (M.rowStride === 1 && (M.cols <= 1 || M.colStride >= M.rows)) {
    return { t: true, data: M.data, off: M.offset, ld: M.cols <= 1 ? Math.max(1, M.rows) : M.colStride };
  }
  const c = M.clone();
  return { t: false, data: c.data, off: 0, ld: Math.max(1, M.cols) };
}

/**
 * C = A·B for Matrix views, returned as a new dense row-major Matrix. Row-major views with any row
 * stride (row/column blocks) and transposed views go to gemm as offsets, leading dimensions and
 * transpose flags, without copies; other layouts are copied once.
 */
export function matmul<T extends Float>(A: Matrix<T>, B: Matrix<T>): Matrix<T> {
  if (A.cols !== B.rows) {
    throw new Error(`matmul: inner dimensions differ (${A.rows}x${A.cols} · ${B.rows}x${B.cols})`);
  }
  const a = operand(A);
  const b = operand(B);
  const C = new Matrix(allocFloat(A.dtype, A.rows * B.cols), A.rows, B.cols) as Matrix<T>;
  gemm(A.rows, B.cols, A.cols, a.data, b.data, C.data, {
    transA: a.t,
    transB: b.t,
    aOffset: a.off,
    bOffset: b.off,
    lda: a.ld,
    ldb: b.ld,
  });
  return C;
}

// ---- elementwise maps and reductions (SIMD in wasm when the arrays live in wasmHeap) -------------

function checkLen(fn: string, n: number, ...arrs: Float[]): void {
  for (const a of arrs)
    if (a.length < n) throw new RangeError(`${fn}: array of length ${a.length} is shorter than n=${n}`);
}

/** y += alpha·x over the first x.length entries (y at least as long). */
export function vecAxpy<T extends Float>(alpha: number, x: T, y: T): void {
  checkLen('vecAxpy', x.length, y);
  sameDtype('vecAxpy', x, y);
  active.axpy(x.length, alpha, x, 0, y, 0);
}
/** x *= alpha in place. */
export function vecScale<T extends Float>(alpha: number, x: T): void {
  active.scale(x.length, alpha, x, 0);
}
/** out = x + y (out may alias x or y). */
export function vecAdd<T extends Float>(x: T, y: T, out: T): void {
  checkLen('vecAdd', x.length, y, out);
  sameDtype('vecAdd', x, y, out);
  active.add(x.length, x, y, out);
}
/** out = x ⊙ y (out may alias x or y). */
export function vecMul<T extends Float>(x: T, y: T, out: T): void {
  checkLen('vecMul', x.length, y, out);
  sameDtype('vecMul', x, y, out);
  active.mul(x.length, x, y, out);
}
/** Σ x_i. */
export function vecSum(x: Float): number {
  return active.sum(x.length, x);
}
/** Σ x_i·y_i. */
export function vecDot<T extends Float>(x: T, y: T): number {
  checkLen('vecDot', x.length, y);
  sameDtype('vecDot', x, y);
  return active.dot(x.length, x, y);
}
/** max x_i (−Infinity when empty; NaN when any entry is NaN). */
export function vecMax(x: Float): number {
  return active.max(x.length, x);
}

// ---- neural-network elementwise kernels (float32, used by src/nn) -----------------------------------
// Lengths are validated by the callers (the nn primitives own the shapes); operands from wasmHeap run
// in the WebAssembly SIMD module in place, others in the TypeScript reference (ts-nn.ts).

function need(fn: string, n: number, ...arrs: Float32Array[]): void {
  for (const a of arrs)
    if (a.length < n) throw new RangeError(`${fn}: an operand has ${a.length} elements, needs ${n}`);
}

/** out[i] = e^x[i] (float32; Cephes-style polynomial in wasm, ≈1 ulp; 0 / +Inf beyond the limits). */
export function vecExpF32(n: number, x: Float32Array, out: Float32Array): void {
  need('vecExpF32', n, x, out);
  active.mapF32(0, n, x, out);
}
/** out[i] = log x[i] (float32; −Inf at 0, NaN below). */
export function vecLogF32(n: number, x: Float32Array, out: Float32Array): void {
  need('vecLogF32', n, x, out);
  active.mapF32(1, n, x, out);
}
/** out[i] = 1/(1 + e^−x[i]) (exactly 0 and 1 in the limits, no overflow). */
export function vecSigmoidF32(n: number, x: Float32Array, out: Float32Array): void {
  need('vecSigmoidF32', n, x, out);
  active.mapF32(2, n, x, out);
}
/** out = x > 0 ? x : alpha·x (alpha = 0: relu). */
export function vecLeakyReluF32(n: number, alpha: number, x: Float32Array, out: Float32Array): void {
  need('vecLeakyReluF32', n, x, out);
  active.leakyReluF32(n, alpha, x, out);
}
/** dx = (ref > 0 ? g : alpha·g), or += when `acc` (ref: relu output or leaky relu input). */
export function vecLeakyReluBackwardF32(
  n: number,
  alpha: number,
  ref: Float32Array,
  g: Float32Array,
  dx: Float32Array,
  acc: boolean,
): void {
  need('vecLeakyReluBackwardF32', n, ref, g, dx);
  active.leakyReluBackwardF32(n, alpha, ref, g, dx, acc);
}
/** dx = g·s·(1 − s), or += when `acc` (s: the sigmoid's output). */
export function vecSigmoidBackwardF32(
  n: number,
  s: Float32Array,
  g: Float32Array,
  dx: Float32Array,
  acc: boolean,
): void {
  need('vecSigmoidBackwardF32', n, s, g, dx);
  active.sigmoidBackwardF32(n, s, g, dx, acc);
}
/** db[c] += Σ_r g[r, c] for g m×n row-major (a dense layer's bias gradient). */
export function colSumsAddF32(m: number, n: number, g: Float32Array, db: Float32Array): void {
  need('colSumsAddF32', m * n, g);
  need('colSumsAddF32', n, db);
  active.colSumsAddF32(m, n, g, db);
}
/** Σ −[t·max(log p, −100) + (1 − t)·max(log(1 − p), −100)] (torch.nn.BCELoss's sum). */
export function bceSumF32(n: number, p: Float32Array, t: Float32Array): number {
  need('bceSumF32', n, p, t);
  return active.bceSumF32(n, p, t);
}
/**
 * BCE gradient. mode 0 (through a sigmoid, w.r.t. its logits): k·(p − t); mode 1 (w.r.t. p):
 * k·(p − t)/max((1 − p)·p, 1e-12). Written to dx, or added when `acc`.
 */
export function bceBackwardF32(
  mode: 0 | 1,
  n: number,
  k: number,
  p: Float32Array,
  t: Float32Array,
  dx: Float32Array,
  acc: boolean,
): void {
  need('bceBackwardF32', n, p, t, dx);
  active.bceBackwardF32(mode, n, k, p, t, dx, acc);
}
/**
 * In-place Adam step of one float32 parameter (torch.optim.Adam): g += wd·w; m = b1·m + (1−b1)·g;
 * v = b2·v + (1−b2)·g²; w −= stepSize·m/(√v·invSbc2 + eps), stepSize = lr/(1−b1^t), invSbc2 = 1/√(1−b2^t).
 */
export function adamStepF32(
  n: number,
  w: Float32Array,
  g: Float32Array,
  m: Float32Array,
  v: Float32Array,
  b1: number,
  b2: number,
  stepSize: number,
  invSbc2: number,
  eps: number,
  wd: number,
): void {
  need('adamStepF32', n, w, g, m, v);
  active.adamF32(n, w, g, m, v, b1, b2, stepSize, invSbc2, eps, wd);
}

/**
 * t-SNE repulsion of a 2-D map (Cauchy kernel w_ij = 1/(1 + ‖y_i − y_j‖²)) by Barnes-Hut with group
 * traversal (see ts-tsne.ts): rep (n × 2) = Σ_j w_ij² (y_i − y_j), sumW[i] = Σ_{j≠i} w_ij. θ = 0 is exact.
 * Split over the worker pool in the WebAssembly backend; results do not depend on the split.
 */
export function tsneRepulsion2d(
  n: number,
  Y: Float64Array,
  theta: number,
  rep: Float64Array,
  sumW: Float64Array,
): void {
  if (!Number.isInteger(n) || n < 0) {
    throw new RangeError(`tsneRepulsion2d: n must be an integer >= 0, got ${n}`);
  }
  if (Y.length < 2 * n || rep.length < 2 * n || sumW.length < n) {
    throw new RangeError(`tsneRepulsion2d: Y and rep need ${2 * n} values and sumW ${n}`);
  }
  if (!(theta >= 0)) throw new RangeError(`tsneRepulsion2d: theta must be >= 0, got ${theta}`);
  if (n === 0) return;
  active.tsneRepulsion2d(n, Y, theta, rep, sumW);
}

/**
 * t-SNE attraction of a 2-D map over the rows of a CSR matrix P: attr (n × 2) = Σ_j p_ij w_ij (y_i − y_j),
 * and klRow[i] = Σ_j p_ij log w_ij when given. With `upper` the CSR holds only the strict upper
 * triangle of a symmetric P (each pair once, half the work; klRow[i] then sums over j > i). The
 * WebAssembly backend runs it (on the worker pool) when P's three arrays live in `wasmHeap`;
 * otherwise the TypeScript loop.
 */
export function tsneAttraction2d(
  n: number,
  Y: Float64Array,
  indptr: Int32Array,
  indices: Int32Array,
  data: Float64Array,
  attr: Float64Array,
  klRow: Float64Array | null = null,
  upper = false,
): void {
  if (!Number.isInteger(n) || n < 0) {
    throw new RangeError(`tsneAttraction2d: n must be an integer >= 0, got ${n}`);
  }
  if (Y.length < 2 * n || attr.length < 2 * n || indptr.length < n + 1 || (klRow && klRow.length < n)) {
    throw new RangeError(`tsneAttraction2d: Y and attr need ${2 * n} values, indptr ${n + 1}, klRow ${n}`);
  }
  const nnz = indptr[n]!;
  if (indices.length < nnz || data.length < nnz) {
    throw new RangeError(`tsneAttraction2d: indices and data need ${nnz} values (indptr[n])`);
  }
  // the row pointers (O(n)); the kernels check each column index before using it
  for (let i = 0; i < n; i++) {
    if (!(indptr[i]! >= 0 && indptr[i]! <= indptr[i + 1]!)) {
      throw new RangeError(
        `tsneAttraction2d: indptr must be non-decreasing from 0; indptr[${i}] = ${indptr[i]}, indptr[${i + 1}] = ${indptr[i + 1]}`,
      );
    }
  }
  if (n === 0) return;
  active.tsneAttraction2d(n, Y, indptr, indices, data, attr, klRow, upper);
}

/**
 * FFT-interpolated t-SNE repulsion of a 2-D map (Linderman et al. 2019): rep (n × 2) ≈ Σ_j w_ij² (y_i − y_j),
 * returns Z ≈ Σ_{i≠j} w_ij. The map must lie in the square [lo, lo + ⌊N/2p⌋·boxW)² (points outside are
 * clamped to the border boxes); p Lagrange nodes per box, an N × N grid (N a power of two, 3·2^m or 5·2^m).
 * The WebAssembly backend runs it on the worker pool (results independent of the split) for N >= 16 and
 * p <= 8; otherwise the TypeScript reference, whose arrays live in `buffers`.
 */
export function tsneFftRepulsion2d(
  n: number,
  Y: Float64Array,
  p: number,
  N: number,
  lo: number,
  boxW: number,
  rep: Float64Array,
  buffers: FftRepulsionBuffers,
): number {
  if (Y.length < 2 * n || rep.length < 2 * n) {
    throw new RangeError(`tsneFftRepulsion2d: Y and rep need ${2 * n} values`);
  }
  if (!Number.isInteger(p) || p < 1)
    throw new RangeError(`tsneFftRepulsion2d: p must be an integer >= 1, got ${p}`);
  if (!fftSizeOk(N) || N < 2 * p || N > MAX_FFT_GRID) {
    throw new RangeError(
      `tsneFftRepulsion2d: N must be a power of two, 3·2^m or 5·2^m, at least 2p = ${2 * p} and at most ${MAX_FFT_GRID}, got ${N}`,
    );
  }
  if (!Number.isInteger(n) || n < 0) {
    throw new RangeError(`tsneFftRepulsion2d: n must be an integer >= 0, got ${n}`);
  }
  if (!(boxW > 0) || !Number.isFinite(boxW) || !Number.isFinite(lo)) {
    throw new RangeError(
      `tsneFftRepulsion2d: boxW must be finite and > 0 and lo finite, got ${boxW} and ${lo}`,
    );
  }
  if (n === 0) return 0;
  return active.tsneFftRepulsion2d(n, Y, p, N, lo, boxW, rep, buffers);
}
