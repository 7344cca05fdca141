/**
 * Triangular solves op(L)·X = B with op = identity or transpose, lower or upper, optionally unit
 * diagonal (Golub & Van Loan §3.1, Algorithms 3.1.1–3.1.4, and the blocked form of §3.1.6; LAPACK
 * dtrtrs / BLAS dtrsm). Blocks of ≤ 64 rows are solved by substitution whose steps are axpys over
 * contiguous rows of X; larger systems recurse (solve one half, one gemm to update the other half's
 * right-hand sides, solve the other half), so with many right-hand sides nearly all of the n²k flops
 * run in gemm. An exactly zero diagonal entry raises NumericalError (the system is singular).
 */
import { NumericalError } from '../core/errors.js';
import { Matrix, type MatrixLike } from '../core/matrix.js';
import { gemm } from '../kernels/index.js';
import {
  asMatrix,
  inWasmHeap,
  optionalBoolean,
  optionsObject,
  readOnlyDense,
  requireSquare,
  rhsCopy,
} from './util.js';

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
export function solveTriangular(
  L: Matrix | MatrixLike,
  B: Float64Array | Float32Array,
  opts?: SolveTriangularOptions,
): Float64Array;
export function solveTriangular(
  L: Matrix | MatrixLike,
  B: Matrix | MatrixLike,
  opts?: SolveTriangularOptions,
): Matrix<Float64Array>;
export function solveTriangular(
  L: Matrix | MatrixLike,
  B: Matrix | MatrixLike | Float64Array | Float32Array,
  opts?: SolveTriangularOptions,
): Float64Array | Matrix<Float64Array> {
  const M = asMatrix(L, 'L');
  const n = requireSquare(M, 'L');
  const { x, k, isVec } = rhsCopy(B, n, 'L');
  const o = optionsObject(opts, 'solveTriangular');
  const lower = optionalBoolean(o.lower, 'lower', true);
  const trans = optionalBoolean(o.trans, 'trans', false);
  const unit = optionalBoolean(o.unitDiagonal, 'unitDiagonal', false);
  // L is only read, so a densely packed float64 L is used in place (after the finiteness check).
  const l = readOnlyDense(M, 'L');
  triangularSolveInPlace(l, n, x, k, lower, trans, unit);
  return isVec ? x : new Matrix(x, n, k);
}

/** Below this order the substitution runs as scalar row axpys; above, it recurses through gemm. */
const LEAF = 64;

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
  if (n <= LEAF || k === 0) {
    substitute(l, n, 0, n, x, k, lower, trans, unit);
    return;
  }
  // The recursion's gemms work on views of l and x: keep both in wasm memory meanwhile.
  // l is only read: no copy back.
  inWasmHeap(l, (hl) => inWasmHeap(x, (hx) => recurse(hl, n, 0, n, hx, k, lower, trans, unit)), false);
}

/**
 * Recursive blocked solve (dtrsm) on the diagonal block [i0, i1) of L: split it in two, solve one
 * half, subtract its contribution from the other half's right-hand sides with one gemm, solve the
 * other half. Effective lower (op(L) lower) goes top-down, effective upper bottom-up.
 */
function recurse(
  l: Float64Array,
  n: number,
  i0: number,
  i1: number,
  x: Float64Array,
  k: number,
  lower: boolean,
  trans: boolean,
  unit: boolean,
): void {
  const len = i1 - i0;
  if (len <= LEAF) {
    substitute(l, n, i0, i1, x, k, lower, trans, unit);
    return;
  }
  const im = i0 + (len >> 1);
  const n1 = im - i0;
  const n2 = i1 - im;
  if (lower !== trans) {
    // op(L) lower: X1 first, then X2 −= op(L)[2,1]·X1.
    recurse(l, n, i0, im, x, k, lower, trans, unit);
    // op(L)[2,1] = L[im:i1, i0:im] (lower) or (L[i0:im, im:i1])ᵀ (upper, trans).
    gemm(n2, k, n1, l, x, x, {
      transA: trans,
      alpha: -1,
      beta: 1,
      aOffset: trans ? i0 * n + im : im * n + i0,
      lda: n,
      bOffset: i0 * k,
      ldb: k,
      cOffset: im * k,
      ldc: k,
    });
    recurse(l, n, im, i1, x, k, lower, trans, unit);
  } else {
    // op(L) upper: X2 first, then X1 −= op(L)[1,2]·X2.
    recurse(l, n, im, i1, x, k, lower, trans, unit);
    // op(L)[1,2] = L[i0:im, im:i1] (upper) or (L[im:i1, i0:im])ᵀ (lower, trans).
    gemm(n1, k, n2, l, x, x, {
      transA: trans,
      alpha: -1,
      beta: 1,
      aOffset: trans ? im * n + i0 : i0 * n + im,
      lda: n,
      bOffset: im * k,
      ldb: k,
      cOffset: i0 * k,
      ldc: k,
    });
    recurse(l, n, i0, im, x, k, lower, trans, unit);
  }
}

/** Scalar substitution on the diagonal block [i0, i1) (only couplings inside the block). */
function substitute(
  l: Float64Array,
  n: number,
  i0: number,
  i1: number,
  x: Float64Array,
  k: number,
  lower: boolean,
  trans: boolean,
  unit: boolean,
): void {
  // Effective orientation: Lᵀ of a lower matrix is upper.
  const forward = lower !== trans;
  if (forward) {
    for (let i = i0; i < i1; i++) {
      const ri = i * k;
      // x_i -= Σ_{j<i} op(L)[i,j]·x_j
      for (let j = i0; j < i; j++) {
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
    for (let i = i1 - 1; i >= i0; i--) {
      const ri = i * k;
      for (let j = i + 1; j < i1; j++) {
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
