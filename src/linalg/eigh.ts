/**
 * Symmetric eigendecomposition A = V·Λ·Vᵀ (all pairs, or the `largest`/`smallest` k).
 *
 * Algorithm (Golub & Van Loan, Matrix Computations 4th ed., §8.3–8.4): Householder
 * tridiagonalisation Qᵀ·A·Q = T (§8.3.1), then T = Z·Λ·Zᵀ by Cuppen's divide and conquer (§8.4.4,
 * tridiag-dc.ts; the implicit-shift QL iteration of §8.3.5 for n ≤ 32), and back-transformation
 * V = Q·Z with the reflectors blocked in compact WY form (§5.2.2), so most of the O(n³) work runs
 * through `gemm`. The input is scaled by max|aᵢⱼ| first so
 * no intermediate overflows. Accuracy is the backward-stable one: |λ̂ − λ| ≲ c·n·ε·‖A‖.
 *
 * `largest`/`smallest` k: the reduction (4n³/3 flops) is needed either way; the divide and conquer
 * on T still runs in full (at n = 784 about a quarter of the time, and robust for the clusters of
 * near-zero eigenvalues that covariance matrices of image data have), but only k vectors are
 * back-transformed (2n²k flops instead of 2n³). Bisection plus inverse iteration would save the D&C
 * part at the price of re-orthogonalising clusters; when k ≪ n and n is large, use `eigsh`
 * (Lanczos), which skips the O(n³) reduction altogether.
 *
 * Only the symmetric part of A is used; A must be symmetric to a relative 1e-8 (else an error).
 * Sign convention: each eigenvector's largest-|entry| component is positive (first one on ties),
 * so results are deterministic.
 */
import { ValidationError } from '../core/errors.js';
import { Matrix, type MatrixLike } from '../core/matrix.js';
import { applyQ, tridiagonalize } from './tridiagonal.js';
import { tridiagDC } from './tridiag-dc.js';
import { argsortAscending, tridiagQL } from './tridiag-eig.js';
import {
  asMatrix,
  checkCount,
  denseCopy,
  flipColumnSigns,
  inWasmHeap,
  requireSquare,
  symmetrize,
} from './util.js';

/** Above this order the tridiagonal eigenproblem is solved by divide and conquer instead of QL. */
const DC_MIN = 32;

export interface EighOptions {
  /** Return only the k largest eigenpairs (still in ascending order). */
  largest?: number;
  /** Return only the k smallest eigenpairs. */
  smallest?: number;
}

export interface EighResult {
  /** Eigenvalues, ascending (length k). */
  values: Float64Array;
  /** n×k: column j is the unit eigenvector of values[j]. */
  vectors: Matrix<Float64Array>;
}

/**
 * Eigenvalues (ascending) and eigenvectors of the symmetric matrix A (n×n).
 * @example const { values, vectors } = eigh(cov, { largest: 10 });
 */
export function eigh(A: Matrix | MatrixLike, opts: EighOptions = {}): EighResult {
  const M = asMatrix(A, 'A');
  const n = requireSquare(M, 'A');
  if (opts === null || typeof opts !== 'object') throw new ValidationError('eigh options must be an object');
  if (opts.largest !== undefined && opts.smallest !== undefined) {
    throw new ValidationError('eigh: give at most one of largest and smallest');
  }
  const k =
    opts.largest !== undefined
      ? checkCount(opts.largest, 'largest', n)
      : opts.smallest !== undefined
        ? checkCount(opts.smallest, 'smallest', n)
        : n;
  const fromTop = opts.largest !== undefined;
  const a = denseCopy(M, 'A');
  symmetrize(a, n, 'A');
  return eighDense(a, n, k, fromTop);
}

/**
 * Inner routine: `a` (n×n row-major, symmetric, finite; destroyed). Returns the k smallest pairs,
 * or the k largest when fromTop.
 */
export function eighDense(a: Float64Array, n: number, k: number, fromTop: boolean): EighResult {
  const values = new Float64Array(k);
  const V = new Float64Array(n * k);
  if (k === 0) return { values, vectors: new Matrix(V, n, 0) };
  let scale = 0;
  for (let t = 0; t < n * n; t++) {
    const v = Math.abs(a[t]);
    if (v > scale) scale = v;
  }
  if (scale === 0) {
    // Zero matrix: every vector is an eigenvector; return the identity's columns.
    const first = fromTop ? n - k : 0;
    for (let j = 0; j < k; j++) V[(first + j) * k + j] = 1;
    return { values, vectors: new Matrix(V, n, k) };
  }
  const inv = 1 / scale;
  for (let t = 0; t < n * n; t++) a[t] *= inv;
  // The blocked reduction's trailing gemm updates work on views of `a`: keep it in wasm memory.
  const { d, e, tau } = n >= 160 ? inWasmHeap(a, (h) => tridiagonalize(h, n)) : tridiagonalize(a, n);
  const first = fromTop ? n - k : 0;
  if (n > DC_MIN) {
    const { lam, Q } = tridiagDC(d, e, n);
    for (let j = 0; j < k; j++) values[j] = lam[first + j] * scale;
    for (let i = 0; i < n; i++) {
      const row = i * n + first;
      for (let j = 0; j < k; j++) V[i * k + j] = Q[row + j];
    }
  } else {
    const ZT = new Float64Array(n * n);
    for (let i = 0; i < n; i++) ZT[i * n + i] = 1;
    tridiagQL(d, e, n, ZT, n);
    const order = argsortAscending(d);
    for (let j = 0; j < k; j++) {
      const src = order[first + j];
      values[j] = d[src] * scale;
      const row = src * n;
      for (let i = 0; i < n; i++) V[i * k + j] = ZT[row + i];
    }
  }
  applyQ(a, n, tau, V, k);
  flipColumnSigns(V, n, k);
  return { values, vectors: new Matrix(V, n, k) };
}
