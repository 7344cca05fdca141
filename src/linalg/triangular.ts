/**
 * Triangular solves op(L)·X = B with op = identity or transpose, lower or upper, optionally unit
 * diagonal (Golub & Van Loan §3.1, Algorithms 3.1.1–3.1.4; LAPACK dtrtrs/BLAS dtrsm). Row-oriented:
 * each step is an axpy over a contiguous row of X, so many right-hand sides cost the same per entry
 * as one. An exactly zero diagonal entry raises NumericalError (the system is singular).
 */
import { NumericalError, ValidationError } from '../core/errors.js';
import { Matrix, type MatrixLike } from '../core/matrix.js';
import { asMatrix, denseCopy, requireSquare } from './util.js';

export interface SolveTriangularOptions {
  /** L is lower triangular (default true); false: upper. Only that triangle is read. */
  lower?: boolean;
  /** Solve Lᵀ·X = B instead of L·X = B (default false). */
  trans?: boolean;
  /** Assume a unit diagonal without reading it (default false). */
  unitDiagonal?: boolean;
}

/**
 * Solves op(L)·X = B for X. B is n×k (Matrix) or a vector of length n (Float64Array); the result has
 * the same form.
 * @example const y = solveTriangular(L, b); const x = solveTriangular(L, y, { trans: true });
 */
export function solveTriangular(L: Matrix | MatrixLike, B: Float64Array, opts?: SolveTriangularOptions): Float64Array;
export function solveTriangular(
  L: Matrix | MatrixLike,
  B: Matrix | MatrixLike,
  opts?: SolveTriangularOptions,
): Matrix<Float64Array>;
export function solveTriangular(
  L: Matrix | MatrixLike,
  B: Matrix | MatrixLike | Float64Array,
  opts: SolveTriangularOptions = {},
): Float64Array | Matrix<Float64Array> {
  const M = asMatrix(L, 'L');
  const n = requireSquare(M, 'L');
  const isVec = B instanceof Float64Array;
  let x: Float64Array;
  let k: number;
  if (isVec) {
    if (B.length !== n) throw new ValidationError(`B has length ${B.length}, but L is ${n}x${n}`);
    x = denseCopy(new Matrix(B, n, 1), 'B');
    k = 1;
  } else {
    const BM = asMatrix(B as MatrixLike, 'B');
    if (BM.rows !== n) throw new ValidationError(`B has ${BM.rows} rows, but L is ${n}x${n}`);
    x = denseCopy(BM, 'B');
    k = BM.cols;
  }
  const l = denseCopy(M, 'L');
  triangularSolveInPlace(l, n, x, k, opts.lower ?? true, opts.trans ?? false, opts.unitDiagonal ?? false);
  return isVec ? x : new Matrix(x, n, k);
}

/** Inner routine: X (n×k row-major) ← op(L)⁻¹·X, with L row-major n×n. */
export function triangularSolveInPlace(
  l: Float64Array,
  n: number,
  x: Float64Array,
  k: number,
  lower: boolean,
  trans: boolean,
  unit: boolean,
): void {
  if (!unit) {
    for (let i = 0; i < n; i++) {
      if (l[i * n + i] === 0) throw new NumericalError(`L is singular: diagonal entry ${i} is zero`);
    }
  }
  // Effective orientation: Lᵀ of a lower matrix is upper.
  const forward = lower !== trans;
  if (forward) {
    for (let i = 0; i < n; i++) {
      const ri = i * k;
      // x_i -= Σ_{j<i} op(L)[i,j]·x_j
      for (let j = 0; j < i; j++) {
        const lij = trans ? l[j * n + i] : l[i * n + j];
        if (lij === 0) continue;
        const rj = j * k;
        for (let c = 0; c < k; c++) x[ri + c] -= lij * x[rj + c];
      }
      if (!unit) {
        const inv = 1 / l[i * n + i];
        for (let c = 0; c < k; c++) x[ri + c] *= inv;
      }
    }
  } else {
    for (let i = n - 1; i >= 0; i--) {
      const ri = i * k;
      for (let j = i + 1; j < n; j++) {
        const lij = trans ? l[j * n + i] : l[i * n + j];
        if (lij === 0) continue;
        const rj = j * k;
        for (let c = 0; c < k; c++) x[ri + c] -= lij * x[rj + c];
      }
      if (!unit) {
        const inv = 1 / l[i * n + i];
        for (let c = 0; c < k; c++) x[ri + c] *= inv;
      }
    }
  }
}
