/**
 * LU factorisation with partial (row) pivoting, P·A = L·U (Golub & Van Loan §3.2, Algorithm 3.2.1;
 * §3.4.3 for pivoting; LAPACK dgetrf/dgetrs), and what it gives: linear solves, the
 * sign/log-determinant (as numpy.linalg.slogdet) and the inverse.
 *
 * Right-looking, row-major: after choosing the pivot of column k, each row below is updated by a
 * contiguous axpy with the pivot row. An exactly zero pivot means A is singular: `solve` and `inv`
 * raise NumericalError, `logDet` returns { sign: 0, logAbsDet: -Infinity } as numpy does.
 */
import { NumericalError, ValidationError } from '../core/errors.js';
import { Matrix, type MatrixLike } from '../core/matrix.js';
import { triangularSolveInPlace } from './triangular.js';
import { asMatrix, denseCopy, requireSquare } from './util.js';

/** In place: a (n×n) ← L\U (unit lower L below the diagonal). Returns the pivot rows, or the index of the first zero pivot as -(k+1). */
export function luInPlace(a: Float64Array, n: number, piv: Int32Array): number {
  let singular = 0;
  for (let k = 0; k < n; k++) {
    let p = k;
    let best = Math.abs(a[k * n + k]);
    for (let i = k + 1; i < n; i++) {
      const v = Math.abs(a[i * n + k]);
      if (v > best) {
        best = v;
        p = i;
      }
    }
    piv[k] = p;
    if (p !== k) {
      const rk = k * n;
      const rp = p * n;
      for (let j = 0; j < n; j++) {
        const t = a[rk + j];
        a[rk + j] = a[rp + j];
        a[rp + j] = t;
      }
    }
    const pivot = a[k * n + k];
    if (pivot === 0) {
      if (singular === 0) singular = -(k + 1);
      continue;
    }
    const inv = 1 / pivot;
    const rk = k * n;
    for (let i = k + 1; i < n; i++) {
      const ri = i * n;
      const l = a[ri + k] * inv;
      a[ri + k] = l;
      if (l === 0) continue;
      for (let j = k + 1; j < n; j++) a[ri + j] -= l * a[rk + j];
    }
  }
  return singular;
}

function factor(A: Matrix | MatrixLike, name: string): { a: Float64Array; n: number; piv: Int32Array; singular: number } {
  const M = asMatrix(A, name);
  const n = requireSquare(M, name);
  const a = denseCopy(M, name);
  const piv = new Int32Array(n);
  const singular = luInPlace(a, n, piv);
  return { a, n, piv, singular };
}

/**
 * Solves A·X = B (A n×n, B n×k Matrix or a length-n vector) by LU with partial pivoting.
 * Throws NumericalError "A is singular ..." when a pivot is exactly zero.
 * @example const x = solve(A, new Float64Array([1, 2, 3]));
 */
export function solve(A: Matrix | MatrixLike, B: Float64Array): Float64Array;
export function solve(A: Matrix | MatrixLike, B: Matrix | MatrixLike): Matrix<Float64Array>;
export function solve(A: Matrix | MatrixLike, B: Matrix | MatrixLike | Float64Array): Float64Array | Matrix<Float64Array> {
  const M = asMatrix(A, 'A');
  const n = requireSquare(M, 'A');
  const isVec = B instanceof Float64Array;
  let x: Float64Array;
  let k: number;
  if (isVec) {
    if (B.length !== n) throw new ValidationError(`B has length ${B.length}, but A is ${n}x${n}`);
    x = denseCopy(new Matrix(B, n, 1), 'B');
    k = 1;
  } else {
    const BM = asMatrix(B as MatrixLike, 'B');
    if (BM.rows !== n) throw new ValidationError(`B has ${BM.rows} rows, but A is ${n}x${n}`);
    x = denseCopy(BM, 'B');
    k = BM.cols;
  }
  const { a, piv, singular } = factor(M, 'A');
  if (singular !== 0) {
    throw new NumericalError(`A is singular: pivot ${-singular - 1} of its LU factorisation is exactly zero`);
  }
  luSolveInPlace(a, n, piv, x, k);
  return isVec ? x : new Matrix(x, n, k);
}

/** X (n×k) ← A⁻¹·X given the packed LU factors and pivots. */
export function luSolveInPlace(a: Float64Array, n: number, piv: Int32Array, x: Float64Array, k: number): void {
  for (let i = 0; i < n; i++) {
    const p = piv[i];
    if (p !== i) {
      for (let c = 0; c < k; c++) {
        const t = x[i * k + c];
        x[i * k + c] = x[p * k + c];
        x[p * k + c] = t;
      }
    }
  }
  triangularSolveInPlace(a, n, x, k, true, false, true);
  triangularSolveInPlace(a, n, x, k, false, false, false);
}

export interface LogDetResult {
  /** +1, −1, or 0 for a singular matrix. */
  sign: number;
  /** log|det A| (−Infinity when singular). */
  logAbsDet: number;
}

/** Sign and log of |det A| by LU (as numpy.linalg.slogdet); never overflows. */
export function logDet(A: Matrix | MatrixLike): LogDetResult {
  const { a, n, piv, singular } = factor(A, 'A');
  if (singular !== 0) return { sign: 0, logAbsDet: -Infinity };
  let sign = 1;
  let s = 0;
  for (let i = 0; i < n; i++) {
    if (piv[i] !== i) sign = -sign;
    const u = a[i * n + i];
    if (u < 0) sign = -sign;
    s += Math.log(Math.abs(u));
  }
  return { sign, logAbsDet: s };
}

/** A⁻¹ by LU with partial pivoting (NumericalError if A is singular). Prefer `solve` when possible. */
export function inv(A: Matrix | MatrixLike): Matrix<Float64Array> {
  const { a, n, piv, singular } = factor(A, 'A');
  if (singular !== 0) {
    throw new NumericalError(`A is singular: pivot ${-singular - 1} of its LU factorisation is exactly zero`);
  }
  const x = new Float64Array(n * n);
  for (let i = 0; i < n; i++) x[i * n + i] = 1;
  luSolveInPlace(a, n, piv, x, n);
  return new Matrix(x, n, n);
}
