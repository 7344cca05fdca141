/**
 * Thin QR factorisation A = Q·R by Householder reflections (Golub & Van Loan §5.2.1–5.2.2,
 * Algorithm 5.2.1 and the backward accumulation of Q; LAPACK dgeqrf + dorgqr, hence the same sign
 * convention as numpy.linalg.qr: R's diagonal is −sign(a_kk)·‖x‖ and may be negative).
 *
 * A is m×n; with r = min(m, n), Q is m×r with orthonormal columns and R is r×n upper triangular.
 * Row-major friendly: applying a reflector to the trailing columns is two passes of contiguous row
 * axpys (w = vᵀ·A, then A −= τ·v·wᵀ).
 */
import { Matrix, type MatrixLike } from '../core/matrix.js';
import { asMatrix, denseCopy, householder } from './util.js';

export interface QrResult {
  /** m×r, orthonormal columns (r = min(m, n)). */
  Q: Matrix<Float64Array>;
  /** r×n upper triangular. */
  R: Matrix<Float64Array>;
}

/** @example const { Q, R } = qr(A); // A ≈ Q·R */
export function qr(A: Matrix | MatrixLike): QrResult {
  const M = asMatrix(A, 'A');
  const m = M.rows;
  const n = M.cols;
  const a = denseCopy(M, 'A');
  const r = Math.min(m, n);
  const tau = new Float64Array(r);
  householderQrInPlace(a, m, n, tau);
  const R = new Float64Array(r * n);
  for (let i = 0; i < r; i++) for (let j = i; j < n; j++) R[i * n + j] = a[i * n + j];
  const Q = new Float64Array(m * r);
  formQ(a, m, n, tau, Q, r);
  return { Q: new Matrix(Q, m, r), R: new Matrix(R, r, n) };
}

/** In place: R in the upper triangle, reflector k's v below the diagonal of column k (v_k = 1 implicit). */
export function householderQrInPlace(a: Float64Array, m: number, n: number, tau: Float64Array): void {
  const r = Math.min(m, n);
  const w = new Float64Array(n);
  const hb = new Float64Array(2);
  for (let k = 0; k < r; k++) {
    householder(a[k * n + k], a, (k + 1) * n + k, m - k - 1, n, hb);
    a[k * n + k] = hb[0];
    const t = hb[1];
    tau[k] = t;
    if (t === 0 || k + 1 >= n) continue;
    // w = vᵀ·A[k:, k+1:]
    const c0 = k + 1;
    for (let j = c0; j < n; j++) w[j] = a[k * n + j];
    for (let i = k + 1; i < m; i++) {
      const vi = a[i * n + k];
      if (vi === 0) continue;
      const ri = i * n;
      for (let j = c0; j < n; j++) w[j] += vi * a[ri + j];
    }
    for (let j = c0; j < n; j++) w[j] *= t;
    for (let j = c0; j < n; j++) a[k * n + j] -= w[j];
    for (let i = k + 1; i < m; i++) {
      const vi = a[i * n + k];
      if (vi === 0) continue;
      const ri = i * n;
      for (let j = c0; j < n; j++) a[ri + j] -= vi * w[j];
    }
  }
}

/** Q (m×q row-major, q ≤ m) = first q columns of H₀H₁…H_{r−1}, from the packed factorisation. */
export function formQ(a: Float64Array, m: number, n: number, tau: Float64Array, Q: Float64Array, q: number): void {
  const r = Math.min(m, n);
  Q.fill(0, 0, m * q);
  for (let i = 0; i < Math.min(m, q); i++) Q[i * q + i] = 1;
  const w = new Float64Array(q);
  for (let k = r - 1; k >= 0; k--) {
    const t = tau[k];
    if (t === 0) continue;
    // Rows k.. of Q; columns < k are still zero in those rows (backward accumulation), skip them.
    const c0 = k < q ? k : q;
    for (let j = c0; j < q; j++) w[j] = Q[k * q + j];
    for (let i = k + 1; i < m; i++) {
      const vi = a[i * n + k];
      if (vi === 0) continue;
      const ri = i * q;
      for (let j = c0; j < q; j++) w[j] += vi * Q[ri + j];
    }
    for (let j = c0; j < q; j++) w[j] *= t;
    for (let j = c0; j < q; j++) Q[k * q + j] -= w[j];
    for (let i = k + 1; i < m; i++) {
      const vi = a[i * n + k];
      if (vi === 0) continue;
      const ri = i * q;
      for (let j = c0; j < q; j++) Q[ri + j] -= vi * w[j];
    }
  }
}
