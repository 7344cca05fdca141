/**
 * LU factorisation with partial (row) pivoting, P·A = L·U (Golub & Van Loan §3.2, Algorithm 3.2.1;
 * §3.4.3 for pivoting; LAPACK dgetrf/dgetrs), and what it gives: linear solves, the
 * sign/log-determinant (as numpy.linalg.slogdet) and the inverse.
 *
 * Recursive (Toledo 1997) so that most of the work is gemm; on narrow panels, each row below the
 * pivot is updated by a contiguous axpy with the pivot row. An exactly zero pivot means A is singular: `solve` and `inv`
 * raise NumericalError, `logDet` returns { sign: 0, logAbsDet: -Infinity } as numpy does.
 */
import { NumericalError } from '../core/errors.js';
import { Matrix, type MatrixLike } from '../core/matrix.js';
import { gemm } from '../kernels/index.js';
import { triangularSolveInPlace } from './triangular.js';
import { asMatrix, denseCopy, inWasmHeap, requireSquare, rhsCopy } from './util.js';

/** Column panels narrower than this are eliminated directly (rank-1 updates). */
const LEAF = 16;

/**
 * In place: a (n×n) ← L\U (unit lower L below the diagonal), P·A = L·U. Returns 0, or −(k+1) for
 * the first exactly zero pivot k (elimination continues past it, as LAPACK's dgetrf does).
 *
 * Recursive column splitting (Toledo 1997; the recursive dgetrf2): factor the left half of the
 * panel, apply its row swaps to whole rows, solve L₁₁·U₁₂ = A₁₂, update A₂₂ −= L₂₁·U₁₂ with one
 * gemm, factor the right half. About 85% of the 2n³/3 flops then run in gemm.
 */
export function luInPlace(a: Float64Array, n: number, piv: Int32Array): number {
  const state = { singular: 0 };
  if (n <= 4 * LEAF) {
    panel(a, n, 0, n, piv, state);
  } else {
    inWasmHeap(a, (h) => luRec(h, n, 0, n, piv, state));
  }
  return state.singular;
}

function luRec(
  a: Float64Array,
  n: number,
  c0: number,
  nc: number,
  piv: Int32Array,
  state: { singular: number },
): void {
  if (nc <= LEAF) {
    panel(a, n, c0, nc, piv, state);
    return;
  }
  const n1 = nc >> 1;
  const n2 = nc - n1;
  const cm = c0 + n1;
  luRec(a, n, c0, n1, piv, state);
  // U₁₂ = L₁₁⁻¹·A₁₂ (unit lower, rows c0..cm−1, columns cm..c0+nc−1).
  for (let i = c0 + 1; i < cm; i++) {
    const ri = i * n;
    for (let j = c0; j < i; j++) {
      const lij = a[ri + j];
      if (lij === 0) continue;
      const rj = j * n;
      for (let c = cm; c < c0 + nc; c++) a[ri + c] -= lij * a[rj + c];
    }
  }
  // A₂₂ −= L₂₁·U₁₂
  if (cm < n) {
    gemm(n - cm, n2, n1, a, a, a, {
      alpha: -1,
      beta: 1,
      aOffset: cm * n + c0,
      lda: n,
      bOffset: c0 * n + cm,
      ldb: n,
      cOffset: cm * n + cm,
      ldc: n,
    });
  }
  luRec(a, n, cm, n2, piv, state);
}

/** Unblocked elimination of columns c0..c0+nc−1 (rows c0..n−1), swapping whole rows. */
function panel(
  a: Float64Array,
  n: number,
  c0: number,
  nc: number,
  piv: Int32Array,
  state: { singular: number },
): void {
  const cEnd = c0 + nc;
  for (let k = c0; k < cEnd; k++) {
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
      if (state.singular === 0) state.singular = -(k + 1);
      continue;
    }
    const inv = 1 / pivot;
    const rk = k * n;
    for (let i = k + 1; i < n; i++) {
      const ri = i * n;
      const l = a[ri + k] * inv;
      a[ri + k] = l;
      if (l === 0) continue;
      for (let j = k + 1; j < cEnd; j++) a[ri + j] -= l * a[rk + j];
    }
  }
}

function factor(
  A: Matrix | MatrixLike,
  name: string,
): { a: Float64Array; n: number; piv: Int32Array; singular: number } {
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
export function solve(A: Matrix | MatrixLike, B: Float64Array | Float32Array): Float64Array;
export function solve(A: Matrix | MatrixLike, B: Matrix | MatrixLike): Matrix<Float64Array>;
export function solve(
  A: Matrix | MatrixLike,
  B: Matrix | MatrixLike | Float64Array | Float32Array,
): Float64Array | Matrix<Float64Array> {
  const M = asMatrix(A, 'A');
  const n = requireSquare(M, 'A');
  const { x, k, isVec } = rhsCopy(B, n, 'A');
  const { a, piv, singular } = factor(M, 'A');
  if (singular !== 0) {
    throw new NumericalError(`A is singular: pivot ${-singular - 1} of its LU factorisation is exactly zero`);
  }
  luSolveInPlace(a, n, piv, x, k);
  return isVec ? x : new Matrix(x, n, k);
}

/** X (n×k) ← A⁻¹·X given the packed LU factors and pivots. */
export function luSolveInPlace(
  a: Float64Array,
  n: number,
  piv: Int32Array,
  x: Float64Array,
  k: number,
): void {
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

/**
 * Sign and log of |det A| by LU (as numpy.linalg.slogdet); never overflows.
 * @example const { sign, logAbsDet } = logDet(A); // det A = sign·exp(logAbsDet)
 */
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

/**
 * A⁻¹ by LU with partial pivoting (NumericalError if A is singular). Prefer `solve` when possible.
 * @example const Ainv = inv(A);
 */
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
