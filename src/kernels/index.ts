/**
 * Dense kernels: the only place with hot loops over dense data. PUBLIC INTERFACE (stable):
 *
 *   gemm(m, n, k, A, B, C, opts)      C = alpha·op(A)·op(B) + beta·C, row-major, f32 or f64
 *   syrk(n, d, X, C, opts)            C (d×d) = alpha·XᵀX + beta·C (full symmetric result)
 *   rowSqNorms(m, d, X, out)          out[i] = Σ_j X[i,j]²
 *   sqdist(m, n, d, X, Y, D, opts)    D[i,j] = max(0, ‖x_i‖² + ‖y_j‖² − 2 x_i·y_j)
 *   argminRows(m, n, D, idx, val)     per-row argmin
 *   topkRows(m, n, k, D, idx, val)    per-row k smallest, ascending
 *   matmul(A, B)                      Matrix-level product honouring transpose views
 *
 * NOTE: this file currently holds plain reference implementations; the tuned TypeScript and
 * WebAssembly SIMD backends replace the bodies behind the same signatures.
 */
import { Matrix, allocFloat, type Float } from '../core/matrix.js';

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

export function gemm<T extends Float>(m: number, n: number, k: number, A: T, B: T, C: T, o: GemmOptions = {}): void {
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
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) {
        const a = ta ? A[ao + p * lda + i]! : A[ao + i * lda + p]!;
        const b = tb ? B[bo + j * ldb + p]! : B[bo + p * ldb + j]!;
        s += a * b;
      }
      const c = co + i * ldc + j;
      C[c] = alpha * s + (beta === 0 ? 0 : beta * C[c]!);
    }
  }
}

export interface SyrkOptions {
  alpha?: number;
  beta?: number;
}

export function syrk<T extends Float>(n: number, d: number, X: T, C: T, o: SyrkOptions = {}): void {
  gemm(d, d, n, X, X, C, { transA: true, alpha: o.alpha ?? 1, beta: o.beta ?? 0 });
}

export function rowSqNorms<T extends Float>(m: number, d: number, X: T, out: T): void {
  for (let i = 0; i < m; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) {
      const v = X[i * d + j]!;
      s += v * v;
    }
    out[i] = s;
  }
}

export interface SqdistOptions<T extends Float> {
  /** Precomputed ‖x_i‖² (length m). */
  xNorms?: T;
  /** Precomputed ‖y_j‖² (length n). */
  yNorms?: T;
}

export function sqdist<T extends Float>(
  m: number,
  n: number,
  d: number,
  X: T,
  Y: T,
  D: T,
  o: SqdistOptions<T> = {},
): void {
  const xn = o.xNorms ?? (allocFloat(X instanceof Float32Array ? 'float32' : 'float64', m) as T);
  const yn = o.yNorms ?? (allocFloat(X instanceof Float32Array ? 'float32' : 'float64', n) as T);
  if (!o.xNorms) rowSqNorms(m, d, X, xn);
  if (!o.yNorms) rowSqNorms(n, d, Y, yn);
  gemm(m, n, d, X, Y, D, { transB: true, alpha: -2 });
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      const v = D[i * n + j]! + xn[i]! + yn[j]!;
      D[i * n + j] = v > 0 ? v : 0;
    }
  }
}

export function argminRows<T extends Float>(m: number, n: number, D: T, idx: Int32Array, val: T): void {
  for (let i = 0; i < m; i++) {
    let best = Infinity;
    let bi = 0;
    for (let j = 0; j < n; j++) {
      const v = D[i * n + j]!;
      if (v < best) {
        best = v;
        bi = j;
      }
    }
    idx[i] = bi;
    val[i] = best;
  }
}

export function topkRows<T extends Float>(m: number, n: number, k: number, D: T, idx: Int32Array, val: T): void {
  const order = new Int32Array(n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) order[j] = j;
    const row = D.subarray(i * n, (i + 1) * n);
    const sorted = Array.from(order).sort((a, b) => row[a]! - row[b]! || a - b);
    for (let t = 0; t < k; t++) {
      idx[i * k + t] = sorted[t]!;
      val[i * k + t] = row[sorted[t]!]!;
    }
  }
}

/** C = A·B for Matrix views (transpose views are passed to gemm as flags, not copied). */
export function matmul<T extends Float>(A: Matrix<T>, B: Matrix<T>): Matrix<T> {
  if (A.cols !== B.rows) throw new Error(`matmul: inner dimensions differ (${A.rows}x${A.cols} · ${B.rows}x${B.cols})`);
  const a = A.isRowMajor() ? { t: false, m: A } : A.isColMajor() ? { t: true, m: A } : { t: false, m: A.clone() };
  const b = B.isRowMajor() ? { t: false, m: B } : B.isColMajor() ? { t: true, m: B } : { t: false, m: B.clone() };
  const C = new Matrix(allocFloat(A.dtype, A.rows * B.cols), A.rows, B.cols) as Matrix<T>;
  gemm(A.rows, B.cols, A.cols, a.m.data, b.m.data as T, C.data, {
    transA: a.t,
    transB: b.t,
    aOffset: a.m.offset,
    bOffset: b.m.offset,
    lda: a.t ? a.m.colStride : a.m.rowStride,
    ldb: b.t ? b.m.colStride : b.m.rowStride,
  });
  return C;
}
