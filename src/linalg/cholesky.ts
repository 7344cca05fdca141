/**
 * Cholesky factorisation A = L·Lᵀ of a symmetric positive definite matrix (Golub & Van Loan §4.2,
 * Algorithms 4.2.1 (gaxpy/dot form) and 4.2.4's blocked right-looking form; LAPACK dpotrf), and
 * what it buys: log-determinant and inverse of an SPD matrix.
 *
 * Small matrices use the row-oriented dot-product (Cholesky–Crout) form, whose inner loops run over
 * contiguous row prefixes. Large ones are blocked (nb = 96): factor the diagonal block, solve the
 * panel below it, and update the trailing matrix with one gemm (A22 −= L21·L21ᵀ), so ~all of the
 * n³/3 flops go through the kernels. Only the lower triangle of A is read (A must be symmetric to a
 * relative 1e-8). A pivot ≤ 0 (or non-finite) means A is not positive definite: NumericalError.
 */
import { NumericalError } from '../core/errors.js';
import { Matrix, type MatrixLike } from '../core/matrix.js';
import { gemm } from '../kernels/index.js';
import { solveTriangular } from './triangular.js';
import { asMatrix, denseCopy, requireSquare, symmetrize } from './util.js';

const NB = 96;

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
  if (n <= 2 * NB) {
    crout(a, n, 0, n);
  } else {
    for (let k = 0; k < n; k += NB) {
      const kb = Math.min(NB, n - k);
      crout(a, n, k, kb);
      const below = n - k - kb;
      if (below === 0) break;
      // Panel: L21 = A21·L11⁻ᵀ, row by row (each row is a forward substitution with L11).
      for (let i = k + kb; i < n; i++) {
        const ri = i * n;
        for (let j = k; j < k + kb; j++) {
          const rj = j * n;
          let s = a[ri + j];
          for (let p = k; p < j; p++) s -= a[ri + p] * a[rj + p];
          a[ri + j] = s / a[rj + j];
        }
      }
      // Trailing update A22 −= L21·L21ᵀ (full square; only the lower half is read later).
      const off = (k + kb) * n;
      gemm(below, below, kb, a, a, a, {
        transB: true,
        alpha: -1,
        beta: 1,
        aOffset: off + k,
        bOffset: off + k,
        cOffset: off + k + kb,
        lda: n,
        ldb: n,
        ldc: n,
      });
    }
  }
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) a[i * n + j] = 0;
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

/** log det(A) = 2·Σ log Lᵢᵢ for a Cholesky factor L of A. */
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

/** A⁻¹ for symmetric positive definite A, via A⁻¹ = L⁻ᵀ·L⁻¹ (NumericalError if A is not SPD). */
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
