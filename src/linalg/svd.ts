/**
 * Thin singular value decomposition A = U·diag(s)·Vᵀ (Golub & Van Loan §8.6: Householder
 * bidiagonalisation, Algorithm 5.4.2, then the Golub–Kahan implicit-shift QR iteration on the
 * bidiagonal, Algorithm 8.6.2, with LINPACK dsvdc's deflation and splitting tests as in JAMA).
 * Tall matrices (m ≥ 1.5n) are first reduced by QR (R-bidiagonalisation, G&VL §8.6.3 / Chan 1982).
 * From n = 128 on the bidiagonalisation runs in panels with gemm trailing updates (dgebrd/dlabrd).
 * From n = 64 on, a well-conditioned bidiagonal (σ_min ≥ 1e-3·σ_max) is diagonalised through the
 * Golub–Kahan tridiagonal and the divide-and-conquer eigensolver, and the result is kept only if it
 * verifies (orthonormal U, V and rounding-level residual); otherwise the QR iteration runs.
 *
 * Accuracy is the backward-stable one of LAPACK's dgesvd: every σᵢ to within c·ε·σ₁, and U, V
 * orthonormal to working precision, also for ill-conditioned and rank-deficient A (unlike the
 * eigendecomposition of AᵀA, which loses every σᵢ < √ε·σ₁).
 *
 * The rotations of each QR sweep are recorded and then applied row by row with the running column
 * in a register (one contiguous pass per sweep, rather than two strided passes per rotation as in
 * LINPACK's column-oriented code). From n = 64 on only V is accumulated (half the rotation work) and
 * U is recovered as the orthonormalised A·V·Σ⁻¹ (QR, columns in descending σ), which keeps the
 * factorisation backward stable and U orthonormal; below that both are accumulated as in dgesvd.
 * Sign convention (scikit-learn's svd_flip, u-based): the largest-|entry| of each column of U is
 * positive; the matching row of Vᵀ is flipped with it.
 */
import { NumericalError } from '../core/errors.js';
import { Matrix, type MatrixLike } from '../core/matrix.js';
import { gemm } from '../kernels/index.js';
import { formQ, householderQrInPlace } from './qr.js';
import { applyQ } from './tridiagonal.js';
import { tridiagDC } from './tridiag-dc.js';
import { asMatrix, denseCopy, flipColumnSigns, householder, hypot2, inWasmHeap } from './util.js';

export interface SvdResult {
  /** m×r left singular vectors (r = min(m, n)). */
  U: Matrix<Float64Array>;
  /** Singular values, descending (length r). */
  s: Float64Array;
  /** r×n right singular vectors (rows). */
  Vt: Matrix<Float64Array>;
}

/** @example const { U, s, Vt } = svd(X); // X ≈ U·diag(s)·Vt */
export function svd(A: Matrix | MatrixLike): SvdResult {
  const M = asMatrix(A, 'A');
  const m = M.rows;
  const n = M.cols;
  const a = denseCopy(M, 'A');
  return svdDense(a, m, n);
}

/** Inner routine on a row-major m×n copy (destroyed). */
export function svdDense(a: Float64Array, m: number, n: number): SvdResult {
  const r = Math.min(m, n);
  if (r === 0) {
    return {
      U: new Matrix(new Float64Array(0), m, 0),
      s: new Float64Array(0),
      Vt: new Matrix(new Float64Array(0), 0, n),
    };
  }
  let U: Float64Array;
  let Vt: Float64Array;
  let s: Float64Array;
  if (m >= n) {
    ({ U, s, Vt } = svdTall(a, m, n));
  } else {
    // A = (Aᵀ)ᵀ: svd(Aᵀ) = U'·S·V'ᵀ gives U = V', Vᵀ = U'ᵀ.
    const at = new Float64Array(m * n);
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) at[j * m + i] = a[i * n + j];
    const t = svdTall(at, n, m);
    s = t.s;
    // U = V' = (t.Vt)ᵀ (m×m), Vt = (t.U)ᵀ (m×n)
    U = new Float64Array(m * m);
    for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) U[i * m + j] = t.Vt[j * m + i];
    Vt = new Float64Array(m * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) Vt[j * n + i] = t.U[i * m + j];
  }
  const flips = flipColumnSigns(U, m, r);
  for (let j = 0; j < r; j++) {
    if (flips[j]) for (let c = 0; c < n; c++) Vt[j * n + c] = -Vt[j * n + c];
  }
  return { U: new Matrix(U, m, r), s, Vt: new Matrix(Vt, r, n) };
}

/** m ≥ n ≥ 1. Returns U (m×n), s (n), Vt (n×n), unsorted signs. */
function svdTall(
  a: Float64Array,
  m: number,
  n: number,
): { U: Float64Array; s: Float64Array; Vt: Float64Array } {
  let scale = 0;
  for (let t = 0; t < m * n; t++) {
    const v = Math.abs(a[t]);
    if (v > scale) scale = v;
  }
  if (scale === 0) {
    const U = new Float64Array(m * n);
    const Vt = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      U[i * n + i] = 1;
      Vt[i * n + i] = 1;
    }
    return { U, s: new Float64Array(n), Vt };
  }
  const inv = 1 / scale;
  for (let t = 0; t < m * n; t++) a[t] *= inv;

  if (m >= 1.5 * n && n > 1) {
    // A = Q·R, R = Ur·S·Vᵀ ⇒ U = Q·Ur.
    const tau = new Float64Array(n);
    householderQrInPlace(a, m, n, tau);
    const R = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = i; j < n; j++) R[i * n + j] = a[i * n + j];
    const Q = new Float64Array(m * n);
    formQ(a, m, n, tau, Q, n);
    const inner = svdSquareish(R, n, n);
    const U = new Float64Array(m * n);
    gemm(m, n, n, Q, inner.U, U);
    for (let i = 0; i < n; i++) inner.s[i] *= scale;
    return { U, s: inner.s, Vt: inner.Vt };
  }
  const res = svdSquareish(a, m, n);
  for (let i = 0; i < n; i++) res.s[i] *= scale;
  return res;
}

const BRD_NB = 32;
/** From this n on, the bidiagonalisation runs in panels of BRD_NB (dgebrd/dlabrd). */
const BRD_MIN = 128;

/**
 * Blocked bidiagonalisation of the leading panels (LAPACK dgebrd with dlabrd; Dongarra, Sorensen &
 * Hammarling 1989): inside a panel of NB columns and rows the trailing matrix is left stale, each
 * reflector's matrix-vector products are corrected with the panel's V, U, X, Y, and after the panel
 * A₂₂ −= V·Yᵀ + X·Uᵀ runs as two gemms. Writes d, e, tauq, taup and the reflectors (left ones
 * below the diagonal, right ones right of the superdiagonal) exactly as the unblocked loop does, and
 * returns the first column left for it.
 */
function bidiagBlocked(
  a: Float64Array,
  m: number,
  n: number,
  d: Float64Array,
  e: Float64Array,
  tauq: Float64Array,
  taup: Float64Array,
): number {
  const nb = BRD_NB;
  const X = new Float64Array(m * nb);
  const Y = new Float64Array(n * nb);
  const yc = new Float64Array(n);
  const t1 = new Float64Array(nb);
  const t2 = new Float64Array(nb);
  const hb = new Float64Array(2);
  let k0 = 0;
  while (n - k0 > 2 * nb) {
    X.fill(0);
    Y.fill(0);
    for (let ii = 0; ii < nb; ii++) {
      const i = k0 + ii;
      const ri = i * n;
      // Bring column i (rows i..m−1) up to date: a[:, i] −= V·Y[i, :]ᵀ + X·U[:, i].
      if (ii > 0) {
        for (let q = 0; q < ii; q++) t1[q] = a[(k0 + q) * n + i];
        const yi = i * nb;
        for (let r = i; r < m; r++) {
          const rr = r * n;
          const xr = r * nb;
          let s = 0;
          for (let q = 0; q < ii; q++) s += a[rr + k0 + q] * Y[yi + q] + X[xr + q] * t1[q];
          a[rr + i] -= s;
        }
      }
      householder(a[ri + i], a, (i + 1) * n + i, m - i - 1, n, hb);
      d[i] = hb[0];
      const tq = hb[1];
      tauq[i] = tq;
      a[ri + i] = 1;
      // Y[:, ii] = τ_q·(A_stale[i:, i+1:]ᵀ·v − Y·(Vᵀv) − Uᵀ·(Xᵀv)), v = a[i:, i].
      for (let c = i + 1; c < n; c++) yc[c] = 0;
      for (let q = 0; q < ii; q++) {
        t1[q] = 0;
        t2[q] = 0;
      }
      for (let r = i; r < m; r++) {
        const rr = r * n;
        const vr = a[rr + i];
        if (vr === 0) continue;
        for (let c = i + 1; c < n; c++) yc[c] += a[rr + c] * vr;
        const xr = r * nb;
        for (let q = 0; q < ii; q++) {
          t1[q] += a[rr + k0 + q] * vr;
          t2[q] += X[xr + q] * vr;
        }
      }
      for (let q = 0; q < ii; q++) {
        const rq = (k0 + q) * n;
        const t = t2[q];
        for (let c = i + 1; c < n; c++) yc[c] -= a[rq + c] * t;
      }
      for (let c = i + 1; c < n; c++) {
        const yr = c * nb;
        let s = yc[c];
        for (let q = 0; q < ii; q++) s -= Y[yr + q] * t1[q];
        Y[yr + ii] = tq * s;
      }
      // Bring row i (columns i+1..n−1) up to date: a[i, :] −= Y·V[i, :]ᵀ + X[i, :]·U.
      for (let q = 0; q <= ii; q++) t1[q] = a[ri + k0 + q];
      for (let q = 0; q < ii; q++) t2[q] = X[i * nb + q];
      for (let c = i + 1; c < n; c++) {
        const yr = c * nb;
        let s = 0;
        for (let q = 0; q <= ii; q++) s += Y[yr + q] * t1[q];
        a[ri + c] -= s;
      }
      for (let q = 0; q < ii; q++) {
        const rq = (k0 + q) * n;
        const t = t2[q];
        if (t === 0) continue;
        for (let c = i + 1; c < n; c++) a[ri + c] -= a[rq + c] * t;
      }
      householder(a[ri + i + 1], a, ri + i + 2, n - i - 2, 1, hb);
      e[i] = hb[0];
      const tp = hb[1];
      taup[i] = tp;
      a[ri + i + 1] = 1;
      // X[:, ii] = τ_p·(A_stale[i+1:, i+1:]·u − V·(Yᵀu) − X·(U·u)), u = a[i, i+1:].
      for (let q = 0; q <= ii; q++) {
        let s1 = 0;
        for (let c = i + 1; c < n; c++) s1 += Y[c * nb + q] * a[ri + c];
        t1[q] = s1;
      }
      for (let q = 0; q < ii; q++) {
        const rq = (k0 + q) * n;
        let s2 = 0;
        for (let c = i + 1; c < n; c++) s2 += a[rq + c] * a[ri + c];
        t2[q] = s2;
      }
      for (let r = i + 1; r < m; r++) {
        const rr = r * n;
        let s = 0;
        for (let c = i + 1; c < n; c++) s += a[rr + c] * a[ri + c];
        const xr = r * nb;
        for (let q = 0; q <= ii; q++) s -= a[rr + k0 + q] * t1[q];
        for (let q = 0; q < ii; q++) s -= X[xr + q] * t2[q];
        X[xr + ii] = tp * s;
      }
    }
    // A[k1:, k1:] −= V·Yᵀ + X·U (V, U with their unit entries in place).
    const k1 = k0 + nb;
    gemm(m - k1, n - k1, nb, a, Y, a, {
      transB: true,
      alpha: -1,
      beta: 1,
      aOffset: k1 * n + k0,
      lda: n,
      bOffset: k1 * nb,
      ldb: nb,
      cOffset: k1 * n + k1,
      ldc: n,
    });
    gemm(m - k1, n - k1, nb, X, a, a, {
      alpha: -1,
      beta: 1,
      aOffset: k1 * nb,
      lda: nb,
      bOffset: k0 * n + k1,
      ldb: n,
      cOffset: k1 * n + k1,
      ldc: n,
    });
    for (let i = k0; i < k1; i++) {
      a[i * n + i] = d[i];
      a[i * n + i + 1] = e[i];
    }
    k0 = k1;
  }
  return k0;
}

/** From this n on, only V is accumulated during the QR iteration and U comes from A·V (see below). */
const RIGHT_ONLY_MIN = 64;

/** Bidiagonalisation + Golub–Kahan QR, m ≥ n. */
function svdSquareish(
  a: Float64Array,
  m: number,
  n: number,
): { U: Float64Array; s: Float64Array; Vt: Float64Array } {
  const a0 = n >= RIGHT_ONLY_MIN ? a.slice() : null;
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  const tauq = new Float64Array(n);
  const taup = new Float64Array(n);
  const hb = new Float64Array(2);
  const w = new Float64Array(n);
  const kStart = n >= BRD_MIN ? inWasmHeap(a, (h) => bidiagBlocked(h, m, n, d, e, tauq, taup)) : 0;
  for (let k = kStart; k < n; k++) {
    // Left reflector on column k (rows k..m−1): w = τ_q·vᵀ·A[k:, k+1:].
    householder(a[k * n + k], a, (k + 1) * n + k, m - k - 1, n, hb);
    d[k] = hb[0];
    a[k * n + k] = hb[0];
    const tq = hb[1];
    tauq[k] = tq;
    const c0 = k + 1;
    const left = tq !== 0 && c0 < n;
    if (left) {
      for (let j = c0; j < n; j++) w[j] = a[k * n + j];
      for (let i = k + 1; i < m; i++) {
        const vi = a[i * n + k];
        if (vi === 0) continue;
        const ri = i * n;
        for (let j = c0; j < n; j++) w[j] += vi * a[ri + j];
      }
      for (let j = c0; j < n; j++) w[j] *= tq;
      for (let j = c0; j < n; j++) a[k * n + j] -= w[j];
    }
    // Right reflector on row k (columns k+1..n−1), from the updated row k.
    let tp = 0;
    const rk = k * n;
    if (k < n - 2) {
      householder(a[rk + k + 1], a, rk + k + 2, n - k - 2, 1, hb);
      e[k] = hb[0];
      tp = hb[1];
      taup[k] = tp;
    } else if (k === n - 2) {
      e[k] = a[rk + k + 1];
    }
    // One pass over rows k+1..m−1 finishes the left update and applies the right reflector while
    // the row is in cache (A[i, k+1:] −= vᵢ·w, then −= τ_p·(row·u)·u with u = (1, a[k, k+2..])).
    if (!left && tp === 0) continue;
    for (let i = k + 1; i < m; i++) {
      const ri = i * n;
      if (left) {
        const vi = a[ri + k];
        if (vi !== 0) for (let j = c0; j < n; j++) a[ri + j] -= vi * w[j];
      }
      if (tp !== 0) {
        let sdot = a[ri + k + 1];
        for (let j = k + 2; j < n; j++) sdot += a[ri + j] * a[rk + j];
        sdot *= tp;
        a[ri + k + 1] -= sdot;
        for (let j = k + 2; j < n; j++) a[ri + j] -= sdot * a[rk + j];
      }
    }
  }
  if (n >= TGK_MIN) {
    const fast = tgkPath(a, m, n, d, e, tauq, taup);
    if (fast !== null) return fast;
  }
  // V_B (n×n) = G₀…G_{n−3}·I; U_B (m×n) = H₀…H_{n−1}·I.
  const VB = new Float64Array(n * n);
  for (let i = 0; i < n; i++) VB[i * n + i] = 1;
  applyQ(a, n, taup, VB, n);
  let U: Float64Array;
  if (a0 === null) {
    U = new Float64Array(m * n);
    formQ(a, m, n, tauq, U, n);
    bidiagQR(d, e, n, U, m, VB);
  } else {
    bidiagQR(d, e, n, null, m, VB);
    U = leftFromRight(a0, m, n, d, VB);
  }
  const Vt = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) Vt[j * n + i] = VB[i * n + j];
  return { U, s: d, Vt };
}

/** From this n on, well-conditioned bidiagonals go through divide and conquer on the TGK matrix. */
const TGK_MIN = 64;

/**
 * Fast path for well-conditioned B (σ_min ≥ 1e-3·σ_max, checked first with a vector-free QR pass
 * costing O(n²)): the Golub–Kahan form T_GK = P·[[0, B], [Bᵀ, 0]]·Pᵀ, a 2n×2n symmetric tridiagonal
 * with zero diagonal and off-diagonal (d₁, e₁, d₂, e₂, …, d_n), has eigenpairs ±σᵢ with vectors
 * (v₁, u₁, v₂, u₂, …)/√2 (Golub & Kahan 1965; G&VL §8.6.1). Its eigenvectors come from the
 * divide-and-conquer solver (gemm-rich), the ± pairs being at least 2σ_min apart. The result is
 * accepted only if U and V are orthonormal and ‖B·V − U·Σ‖ is at rounding level; otherwise (or for
 * ill-conditioned B, where ±σ pairs would mix) the caller runs the QR iteration instead.
 */
function tgkPath(
  a: Float64Array,
  m: number,
  n: number,
  d: Float64Array,
  e: Float64Array,
  tauq: Float64Array,
  taup: Float64Array,
): { U: Float64Array; s: Float64Array; Vt: Float64Array } | null {
  const sd = d.slice();
  bidiagQR(sd, e.slice(), n, null, 0, null);
  if (!(sd[n - 1]! >= 1e-3 * sd[0]!)) return null;
  const N = 2 * n;
  const dT = new Float64Array(N);
  const eT = new Float64Array(N);
  for (let i = 0; i < n; i++) {
    eT[2 * i] = d[i]!;
    if (i < n - 1) eT[2 * i + 1] = e[i]!;
  }
  const { lam, Q } = tridiagDC(dT, eT, N);
  const s = new Float64Array(n);
  const Vb = new Float64Array(n * n);
  const Ub = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    const col = N - 1 - j;
    s[j] = lam[col]!;
    if (!(s[j]! > 0)) return null;
    let nv = 0;
    let nu = 0;
    for (let i = 0; i < n; i++) {
      const v = Q[2 * i * N + col]!;
      const u = Q[(2 * i + 1) * N + col]!;
      Vb[i * n + j] = v;
      Ub[i * n + j] = u;
      nv += v * v;
      nu += u * u;
    }
    const iv = 1 / Math.sqrt(nv);
    const iu = 1 / Math.sqrt(nu);
    for (let i = 0; i < n; i++) {
      Vb[i * n + j] *= iv;
      Ub[i * n + j] *= iu;
    }
  }
  // Verify: orthonormal factors and a rounding-level residual, else give up.
  const tol = Math.max(1e-13, 8 * n * 2 ** -52);
  const G = new Float64Array(n * n);
  for (const Z of [Vb, Ub]) {
    gemm(n, n, n, Z, Z, G, { transA: true });
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) if (Math.abs(G[i * n + j]! - (i === j ? 1 : 0)) > tol) return null;
    }
  }
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const bv = d[i]! * Vb[i * n + j]! + (i < n - 1 ? e[i]! * Vb[(i + 1) * n + j]! : 0);
      if (Math.abs(bv - s[j]! * Ub[i * n + j]!) > tol * s[0]!) return null;
    }
  }
  // Back to A: V = V_B·Vb (reflectors applied in place), U = U_B·Ub.
  applyQ(a, n, taup, Vb, n);
  const UB = new Float64Array(m * n);
  formQ(a, m, n, tauq, UB, n);
  const U = new Float64Array(m * n);
  gemm(m, n, n, UB, Ub, U);
  const Vt = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) Vt[j * n + i] = Vb[i * n + j]!;
  return { U, s, Vt };
}

/**
 * U from A·V = U·Σ: W = A·V·Σ⁻¹ (columns with σⱼ ≤ ε·σ₁ set to 0), then the Q of W's Householder
 * QR with R's diagonal made positive. Columns are processed in descending σ, so accurate directions
 * come first and the inaccurate ones of tiny σⱼ only absorb what is left; ‖A·vⱼ − σⱼ·uⱼ‖ stays at
 * O(ε·σ₁) for every j (backward stable) and U is orthonormal to working precision by construction.
 */
function leftFromRight(
  a0: Float64Array,
  m: number,
  n: number,
  s: Float64Array,
  V: Float64Array,
): Float64Array {
  const W = new Float64Array(m * n);
  gemm(m, n, n, a0, V, W);
  const inv = new Float64Array(n);
  const floor = 2 ** -52 * s[0];
  for (let j = 0; j < n; j++) inv[j] = s[j] > floor ? 1 / s[j] : 0;
  for (let i = 0; i < m; i++) {
    const r = i * n;
    for (let j = 0; j < n; j++) W[r + j] *= inv[j];
  }
  const tau = new Float64Array(n);
  householderQrInPlace(W, m, n, tau);
  const U = new Float64Array(m * n);
  formQ(W, m, n, tau, U, n);
  for (let j = 0; j < n; j++) {
    if (W[j * n + j] < 0) for (let i = 0; i < m; i++) U[i * n + j] = -U[i * n + j];
  }
  return U;
}

/** Columns (x, y) of the row-major rows×ld matrix Z: (x, y) ← (cs·x + sn·y, −sn·x + cs·y). */
function rotCols(
  Z: Float64Array,
  rows: number,
  ld: number,
  x: number,
  y: number,
  cs: number,
  sn: number,
): void {
  for (let r = 0, o = 0; r < rows; r++, o += ld) {
    const a = Z[o + x];
    const b = Z[o + y];
    Z[o + x] = cs * a + sn * b;
    Z[o + y] = cs * b - sn * a;
  }
}

/**
 * Applies one QR sweep's rotations j = k..k+cnt−1 (each on columns j, j+1) to every row of Z. Row
 * by row, the running column is carried in a register, so each entry is loaded and stored once per
 * sweep along a contiguous row (instead of two strided column passes per rotation).
 */
function applySweep(
  Z: Float64Array,
  rows: number,
  ld: number,
  k: number,
  cnt: number,
  cs: Float64Array,
  sn: Float64Array,
): void {
  if (cnt <= 0) return;
  for (let r = 0, o = 0; r < rows; r++, o += ld) {
    let x = Z[o + k];
    for (let t = 0; t < cnt; t++) {
      const j = o + k + t;
      const y = Z[j + 1];
      const c = cs[t];
      const s = sn[t];
      Z[j] = c * x + s * y;
      x = c * y - s * x;
    }
    Z[o + k + cnt] = x;
  }
}

/**
 * SVD of the upper bidiagonal (s = diagonal, e = superdiagonal, e[k] couples k and k+1), in place;
 * rotations go to the columns of U (m×n row-major) and V (n×n row-major). On return s is
 * non-negative and descending, and A = U·diag(s)·Vᵀ holds for the updated U, V.
 */
export function bidiagQR(
  s: Float64Array,
  e: Float64Array,
  n: number,
  U: Float64Array | null,
  m: number,
  V: Float64Array | null,
): void {
  const eps = 2 ** -52;
  const tiny = 2 ** -966;
  let p = n;
  e[n - 1] = 0;
  const maxIter = 300 * n;
  let total = 0;
  const vcs = new Float64Array(n);
  const vsn = new Float64Array(n);
  const ucs = new Float64Array(n);
  const usn = new Float64Array(n);
  while (p > 0) {
    if (++total > maxIter) throw new NumericalError('svd: the bidiagonal QR iteration did not converge');
    let k: number;
    let kase: number;
    for (k = p - 2; k >= -1; k--) {
      if (k === -1) break;
      if (Math.abs(e[k]) <= tiny + eps * (Math.abs(s[k]) + Math.abs(s[k + 1]))) {
        e[k] = 0;
        break;
      }
    }
    if (k === p - 2) {
      kase = 4;
    } else {
      let ks: number;
      for (ks = p - 1; ks >= k; ks--) {
        if (ks === k) break;
        const t = (ks !== p ? Math.abs(e[ks]) : 0) + (ks !== k + 1 ? Math.abs(e[ks - 1]) : 0);
        if (Math.abs(s[ks]) <= tiny + eps * t) {
          s[ks] = 0;
          break;
        }
      }
      if (ks === k) kase = 3;
      else if (ks === p - 1) kase = 1;
      else {
        kase = 2;
        k = ks;
      }
    }
    k++;
    switch (kase) {
      case 1: {
        // Deflate negligible s(p−1).
        let f = e[p - 2];
        e[p - 2] = 0;
        for (let j = p - 2; j >= k; j--) {
          const t = hypot2(s[j], f);
          const cs = s[j] / t;
          const sn = f / t;
          s[j] = t;
          if (j !== k) {
            f = -sn * e[j - 1];
            e[j - 1] = cs * e[j - 1];
          }
          if (V !== null) rotCols(V, n, n, j, p - 1, cs, sn);
        }
        break;
      }
      case 2: {
        // Split at negligible s(k−1).
        let f = e[k - 1];
        e[k - 1] = 0;
        for (let j = k; j < p; j++) {
          const t = hypot2(s[j], f);
          const cs = s[j] / t;
          const sn = f / t;
          s[j] = t;
          f = -sn * e[j];
          e[j] = cs * e[j];
          if (U !== null) rotCols(U, m, n, j, k - 1, cs, sn);
        }
        break;
      }
      case 3: {
        // One implicit-shift QR step on rows/columns k..p−1.
        const scale = Math.max(
          Math.abs(s[p - 1]),
          Math.abs(s[p - 2]),
          Math.abs(e[p - 2]),
          Math.abs(s[k]),
          Math.abs(e[k]),
        );
        const sp = s[p - 1] / scale;
        const spm1 = s[p - 2] / scale;
        const epm1 = e[p - 2] / scale;
        const sk = s[k] / scale;
        const ek = e[k] / scale;
        const b = ((spm1 + sp) * (spm1 - sp) + epm1 * epm1) / 2;
        const c = sp * epm1 * (sp * epm1);
        let shift = 0;
        if (b !== 0 || c !== 0) {
          shift = Math.sqrt(b * b + c);
          if (b < 0) shift = -shift;
          shift = c / (b + shift);
        }
        let f = (sk + sp) * (sk - sp) + shift;
        let g = sk * ek;
        for (let j = k; j < p - 1; j++) {
          let t = hypot2(f, g);
          let cs = f / t;
          let sn = g / t;
          if (j !== k) e[j - 1] = t;
          f = cs * s[j] + sn * e[j];
          e[j] = cs * e[j] - sn * s[j];
          g = sn * s[j + 1];
          s[j + 1] = cs * s[j + 1];
          vcs[j - k] = cs;
          vsn[j - k] = sn;
          t = hypot2(f, g);
          cs = f / t;
          sn = g / t;
          s[j] = t;
          f = cs * e[j] + sn * s[j + 1];
          s[j + 1] = -sn * e[j] + cs * s[j + 1];
          g = sn * e[j + 1];
          e[j + 1] = cs * e[j + 1];
          ucs[j - k] = cs;
          usn[j - k] = sn;
        }
        e[p - 2] = f;
        if (V !== null) applySweep(V, n, n, k, p - 1 - k, vcs, vsn);
        if (U !== null) applySweep(U, m, n, k, p - 1 - k, ucs, usn);
        break;
      }
      default: {
        // Convergence of s(k): make it non-negative (sorting is done once at the end).
        if (s[k] <= 0) {
          s[k] = s[k] < 0 ? -s[k] : 0;
          if (V !== null) for (let i = 0; i < n; i++) V[i * n + k] = -V[i * n + k];
        }
        p--;
        break;
      }
    }
  }
  // Descending order: one permutation of the columns of U and V (bubbling at each convergence,
  // as LINPACK does, costs O(n) strided column swaps per step: O(n³) in all).
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => s[b] - s[a] || a - b);
  let sorted = true;
  for (let i = 0; i < n; i++) if (order[i] !== i) sorted = false;
  if (sorted) return;
  const s0 = s.slice();
  for (let i = 0; i < n; i++) s[i] = s0[order[i]];
  if (V !== null) permuteCols(V, n, n, order);
  if (U !== null) permuteCols(U, m, n, order);
}

function permuteCols(Z: Float64Array, rows: number, ld: number, order: number[]): void {
  const row = new Float64Array(ld);
  for (let r = 0, o = 0; r < rows; r++, o += ld) {
    for (let j = 0; j < ld; j++) row[j] = Z[o + order[j]];
    Z.set(row, o);
  }
}
