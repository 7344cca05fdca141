/**
 * Thin QR factorisation A = Q·R by Householder reflections (Golub & Van Loan §5.2.1–5.2.2,
 * Algorithm 5.2.1 and the backward accumulation of Q; LAPACK dgeqrf + dorgqr, hence the same sign
 * convention as numpy.linalg.qr: R's diagonal is −sign(a_kk)·‖x‖ and may be negative).
 *
 * A is m×n; with r = min(m, n), Q is m×r with orthonormal columns and R is r×n upper triangular.
 * Row-major friendly: applying a reflector to the trailing columns is two passes of contiguous row
 * axpys (w = vᵀ·A, then A −= τ·v·wᵀ). From 96 columns on, panels of 32 reflectors are combined into
 * compact WY blocks (§5.2.3, dgeqrf/dorgqr) and applied through gemm.
 */
import { Matrix, type MatrixLike } from '../core/matrix.js';
import { applyBlockLeft, larft } from './householder-block.js';
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

const NB = 32;
/** Below this many columns (or rows) the unblocked level-2 code is as fast as the blocked one. */
const BLOCK_MIN = 96;

/**
 * In place: R in the upper triangle, reflector k's v below the diagonal of column k (v_k = 1
 * implicit). Wide panels are factored unblocked; the trailing columns are then updated by the panel's
 * block reflector through gemm (dgeqrf).
 */
export function householderQrInPlace(a: Float64Array, m: number, n: number, tau: Float64Array): void {
  const r = Math.min(m, n);
  if (r < BLOCK_MIN || n - NB < NB) {
    qrPanel(a, m, n, 0, r, n, tau);
    return;
  }
  const V = new Float64Array(m * NB);
  const T = new Float64Array(NB * NB);
  const tmp = new Float64Array(NB);
  const W1 = new Float64Array(NB * n);
  const W2 = new Float64Array(NB * n);
  for (let k0 = 0; k0 < r; k0 += NB) {
    const kb = Math.min(NB, r - k0);
    // Panel: columns k0..k0+kb−1, updated only among themselves.
    qrPanel(a, m, n, k0, kb, k0 + kb, tau);
    const c0 = k0 + kb;
    if (c0 >= n) continue;
    const rows = m - k0;
    loadV(a, n, k0, kb, rows, V);
    larft(V, rows, kb, tau, k0, T, tmp);
    applyBlockLeft(V, rows, kb, T, true, a, k0 * n + c0, n, n - c0, W1, W2);
  }
}

/** V (rows×kb) from the reflectors stored below the diagonal of columns k0..k0+kb−1. */
function loadV(a: Float64Array, n: number, k0: number, kb: number, rows: number, V: Float64Array): void {
  V.fill(0, 0, rows * kb);
  for (let i = 0; i < rows; i++) {
    const src = (k0 + i) * n + k0;
    const dst = i * kb;
    const lim = Math.min(i, kb);
    for (let jj = 0; jj < lim; jj++) V[dst + jj] = a[src + jj];
    if (i < kb) V[dst + i] = 1;
  }
}

/** Unblocked Householder QR of columns k0..k0+kb−1, applying each reflector to columns < cEnd. */
function qrPanel(
  a: Float64Array,
  m: number,
  n: number,
  k0: number,
  kb: number,
  cEnd: number,
  tau: Float64Array,
): void {
  const w = new Float64Array(n);
  const hb = new Float64Array(2);
  for (let k = k0; k < k0 + kb; k++) {
    householder(a[k * n + k], a, (k + 1) * n + k, m - k - 1, n, hb);
    a[k * n + k] = hb[0];
    const t = hb[1];
    tau[k] = t;
    if (t === 0 || k + 1 >= cEnd) continue;
    // w = vᵀ·A[k:, k+1:cEnd]
    const c0 = k + 1;
    for (let j = c0; j < cEnd; j++) w[j] = a[k * n + j];
    for (let i = k + 1; i < m; i++) {
      const vi = a[i * n + k];
      if (vi === 0) continue;
      const ri = i * n;
      for (let j = c0; j < cEnd; j++) w[j] += vi * a[ri + j];
    }
    for (let j = c0; j < cEnd; j++) w[j] *= t;
    for (let j = c0; j < cEnd; j++) a[k * n + j] -= w[j];
    for (let i = k + 1; i < m; i++) {
      const vi = a[i * n + k];
      if (vi === 0) continue;
      const ri = i * n;
      for (let j = c0; j < cEnd; j++) a[ri + j] -= vi * w[j];
    }
  }
}

/**
 * Q (m×q row-major, q ≤ m) = first q columns of H₀H₁…H_{r−1}, from the packed factorisation
 * (backward accumulation, dorgqr; blocks of NB reflectors through gemm when large).
 */
export function formQ(
  a: Float64Array,
  m: number,
  n: number,
  tau: Float64Array,
  Q: Float64Array,
  q: number,
): void {
  const r = Math.min(m, n);
  Q.fill(0, 0, m * q);
  for (let i = 0; i < Math.min(m, q); i++) Q[i * q + i] = 1;
  if (r < BLOCK_MIN) {
    applyUnblocked(a, m, n, tau, Q, q, 0, r);
    return;
  }
  const V = new Float64Array(m * NB);
  const T = new Float64Array(NB * NB);
  const tmp = new Float64Array(NB);
  const W1 = new Float64Array(NB * q);
  const W2 = new Float64Array(NB * q);
  const nBlocks = Math.ceil(r / NB);
  for (let b = nBlocks - 1; b >= 0; b--) {
    const k0 = b * NB;
    const kb = Math.min(NB, r - k0);
    const rows = m - k0;
    // Rows k0.. of Q: columns < k0 are still zero there (backward accumulation), skip them.
    const c0 = Math.min(k0, q);
    loadV(a, n, k0, kb, rows, V);
    larft(V, rows, kb, tau, k0, T, tmp);
    applyBlockLeft(V, rows, kb, T, false, Q, k0 * q + c0, q, q - c0, W1, W2);
  }
}

function applyUnblocked(
  a: Float64Array,
  m: number,
  n: number,
  tau: Float64Array,
  Q: Float64Array,
  q: number,
  kLo: number,
  kHi: number,
): void {
  const w = new Float64Array(q);
  for (let k = kHi - 1; k >= kLo; k--) {
    const t = tau[k];
    if (t === 0) continue;
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
