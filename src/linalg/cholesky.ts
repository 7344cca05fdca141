/**
 * Cholesky factorisation A = L·Lᵀ of a symmetric positive definite matrix (Golub & Van Loan §4.2,
 * Algorithms 4.2.1 (gaxpy/dot form) and 4.2.4's blocked right-looking form; LAPACK dpotrf), and
 * what it buys: log-determinant and inverse of an SPD matrix.
 *
 * Small matrices use the row-oriented dot-product (Cholesky–Crout) form, whose inner loops run over
 * contiguous row prefixes. Larger ones (n > 128) are blocked (nb = 64): factor the diagonal block, solve the
 * panel below it, and update the trailing matrix with one gemm (A22 −= L21·L21ᵀ), so ~all of the
 * n³/3 flops go through the kernels. Only the lower triangle of A is read (A must be symmetric to a
 * relative 1e-8). A pivot ≤ 0 (or non-finite) means A is not positive definite: NumericalError.
 */
import { NumericalError } from '../core/errors.js';
import { Matrix, type MatrixLike } from '../core/matrix.js';
import { gemm } from '../kernels/index.js';
import { solveTriangular } from './triangular.js';
import { asMatrix, denseCopy, inWasmHeap, requireSquare, symmetrize } from './util.js';

const NB = 64;

/**
 * Lower-triangular L with A = L·Lᵀ (the strict upper triangle of L is zero).
 * Throws NumericalError "matrix is not positive definite ..." if A is not SPD.
 * @example const L = cholesky(K); const x = solveTriangular(L, solveTriangular(L, b), { trans: true });
 */
export function cholesky(A: Matrix | MatrixLike): Matrix<Float64Array> {
  const M = asMatrix(A, 'A');
  const n = requireSquare(M, 'A');
  const a = denseCopy(M, 'A');
  symmetrize(a, n, 'A');
  choleskyInPlace(a, n);
  return new Matrix(a, n, n);
}

/** Inner routine: overwrites the row-major n×n `a` with L (upper triangle zeroed). */
export function choleskyInPlace(a: Float64Array, n: number): void {
  if (n > 2 * NB) {
    inWasmHeap(a, (h) => choleskyKernel(h, n));
  } else {
    choleskyKernel(a, n);
  }
}

function choleskyKernel(a: Float64Array, n: number): void {
  if (n <= 2 * NB) {
    // Small: the trailing gemm calls would be too small to pay for themselves.
    crout(a, n, 0, n);
  } else {
    for (let k = 0; k < n; k += NB) {
      const kb = Math.min(NB, n - k);
      crout(a, n, k, kb);
      if (k + kb >= n) break;
      // Panel: L21 = A21·L11⁻ᵀ.
      panelSolve(a, n, k + kb, n, k, k + kb);
      // Trailing update A22 −= L21·L21ᵀ on the lower triangle only (row blocks of NB, each up to
      // and including its diagonal block).
      const c0 = k + kb;
      for (let r0 = c0; r0 < n; r0 += NB) {
        const h = Math.min(NB, n - r0);
        gemm(h, r0 + h - c0, kb, a, a, a, {
          transB: true,
          alpha: -1,
          beta: 1,
          aOffset: r0 * n + k,
          bOffset: c0 * n + k,
          cOffset: r0 * n + c0,
          lda: n,
          ldb: n,
          ldc: n,
        });
      }
    }
  }
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) a[i * n + j] = 0;
}

/**
 * X·L[c0:c1, c0:c1]ᵀ = A[r0:r1, c0:c1] in place (a right-sided lower-triangular solve, dtrsm),
 * recursively: solve the left half, update the right half with one gemm, solve the right half.
 */
function panelSolve(a: Float64Array, n: number, r0: number, r1: number, c0: number, c1: number): void {
  const w = c1 - c0;
  if (w <= 16) {
    for (let i = r0; i < r1; i++) {
      const ri = i * n;
      for (let j = c0; j < c1; j++) {
        const rj = j * n;
        let s = a[ri + j];
        for (let p = c0; p < j; p++) s -= a[ri + p] * a[rj + p];
        a[ri + j] = s / a[rj + j];
      }
    }
    return;
  }
  const cm = c0 + (w >> 1);
  panelSolve(a, n, r0, r1, c0, cm);
  // A[r, cm:c1] −= X[r, c0:cm] · L[cm:c1, c0:cm]ᵀ
  gemm(r1 - r0, c1 - cm, cm - c0, a, a, a, {
    transB: true,
    alpha: -1,
    beta: 1,
    aOffset: r0 * n + c0,
    bOffset: cm * n + c0,
    cOffset: r0 * n + cm,
    lda: n,
    ldb: n,
    ldc: n,
  });
  panelSolve(a, n, r0, r1, cm, c1);
}

/** Unblocked dot-product Cholesky of the diagonal block a[k0..k0+kb, k0..k0+kb] (already updated). */
function crout(a: Float64Array, n: number, k0: number, kb: number): void {
  for (let j = k0; j < k0 + kb; j++) {
    const rj = j * n;
    let s = a[rj + j];
    for (let p = k0; p < j; p++) s -= a[rj + p] * a[rj + p];
    if (!(s > 0) || !Number.isFinite(s)) {
      throw new NumericalError(
        `matrix is not positive definite (the leading minor of order ${j + 1} is not positive)`,
      );
    }
    const ljj = Math.sqrt(s);
    a[rj + j] = ljj;
    const inv = 1 / ljj;
    for (let i = j + 1; i < k0 + kb; i++) {
      const ri = i * n;
      let t = a[ri + j];
      for (let p = k0; p < j; p++) t -= a[ri + p] * a[rj + p];
      a[ri + j] = t * inv;
    }
  }
}

/**
 * log det(A) = 2·Σ log Lᵢᵢ for a Cholesky factor L of A (no overflow, unlike det itself).
 * @example const logdetSigma = choleskyLogDet(cholesky(Sigma));
 */
export function choleskyLogDet(L: Matrix | MatrixLike): number {
  const M = asMatrix(L, 'L');
  const n = requireSquare(M, 'L');
  let s = 0;
  for (let i = 0; i < n; i++) {
    const v = M.get(i, i);
    if (!(v > 0)) throw new NumericalError(`L is not a Cholesky factor: L[${i},${i}] = ${v} is not positive`);
    s += Math.log(v);
  }
  return 2 * s;
}

/**
 * A⁻¹ for symmetric positive definite A, via A⁻¹ = L⁻ᵀ·L⁻¹ (NumericalError if A is not SPD); the
 * result is exactly symmetric. Prefer `cholesky` + `solveTriangular` when only A⁻¹·B is needed.
 * @example const precision = invSpd(covariance);
 */
export function invSpd(A: Matrix | MatrixLike): Matrix<Float64Array> {
  const L = cholesky(A);
  const n = L.rows;
  const I = new Float64Array(n * n);
  for (let i = 0; i < n; i++) I[i * n + i] = 1;
  const Linv = solveTriangular(L, new Matrix(I, n, n), { lower: true });
  const out = new Float64Array(n * n);
  gemm(n, n, n, Linv.data, Linv.data, out, { transA: true });
  // Symmetrise the rounding so callers get an exactly symmetric inverse.
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      const m = 0.5 * (out[i * n + j] + out[j * n + i]);
      out[i * n + j] = m;
      out[j * n + i] = m;
    }
  }
  return new Matrix(out, n, n);
}
