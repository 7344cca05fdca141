/**
 * Randomized truncated SVD (Halko, Martinsson & Tropp 2011, "Finding structure with randomness",
 * SIAM Review 53(2): Algorithm 4.4 (randomized subspace iteration, with a QR re-orthonormalisation
 * after every product with A or Aᵀ) and Algorithm 5.1 (direct SVD of the small B = Qᵀ·A)).
 *
 * Computes the k leading singular triplets of A (m×n): draws Ω (n×(k+p)) ~ N(0, 1) with the seeded
 * Rng, builds an orthonormal basis Q of range((A·Aᵀ)^q·A·Ω), then U = Q·Ũ, s, Vᵀ from svd(Qᵀ·A).
 * Defaults follow scikit-learn's randomized_svd: nOversamples p = 10, nIter q = 'auto' → 7 if
 * k < 0.1·min(m, n) else 4; the wide case runs on Aᵀ. The basis is re-orthonormalised after every
 * product (QR normalisation: never loses rank, unlike scikit-learn's LU for q > 2), by CholeskyQR2
 * (all gemm) with a Householder fallback when the block is numerically rank-deficient.
 * Sign convention as `svd` (svd_flip, u-based). The products go through the gemm kernel.
 */
import { ValidationError } from '../core/errors.js';
import { Matrix, type MatrixLike } from '../core/matrix.js';
import { Rng } from '../core/rng.js';
import { gemm, syrk } from '../kernels/index.js';
import { choleskyInPlace } from './cholesky.js';
import { triangularSolveInPlace } from './triangular.js';
import { formQ, householderQrInPlace } from './qr.js';
import { svdDense, type SvdResult } from './svd.js';
import { asMatrix, denseCopy, flipColumnSigns, inWasmHeap, optionsObject } from './util.js';

export interface RandomizedSvdOptions {
  /** Extra random directions beyond k (default 10). */
  nOversamples?: number;
  /** Power iterations: an integer ≥ 0 or 'auto' (7 if k < 0.1·min(m, n), else 4). */
  nIter?: number | 'auto';
  /** Seed of the Gaussian test matrix (default 0). */
  seed?: number;
}

/**
 * The k leading singular triplets of A: U (m×k), s (k, descending), Vt (k×n).
 * @example const { U, s, Vt } = randomizedSvd(X, 50, { seed: 1 });
 */
export function randomizedSvd(A: Matrix | MatrixLike, k: number, options?: RandomizedSvdOptions): SvdResult {
  const opts = optionsObject(options, 'randomizedSvd');
  const M = asMatrix(A, 'A');
  const m = M.rows;
  const n = M.cols;
  const r = Math.min(m, n);
  if (typeof k !== 'number' || !Number.isInteger(k) || k < 1 || k > r) {
    throw new ValidationError(`k must be an integer in [1, min(m, n) = ${r}]; got ${String(k)}`);
  }
  const p = opts.nOversamples ?? 10;
  if (!Number.isInteger(p) || p < 0)
    throw new ValidationError(`nOversamples must be an integer >= 0; got ${p}`);
  const nIterOpt = opts.nIter ?? 'auto';
  if (nIterOpt !== 'auto' && !(Number.isInteger(nIterOpt) && nIterOpt >= 0)) {
    throw new ValidationError(`nIter must be an integer >= 0 or 'auto'; got ${String(nIterOpt)}`);
  }
  const q = nIterOpt === 'auto' ? (k < 0.1 * r ? 7 : 4) : nIterOpt;
  const seed = opts.seed ?? 0;
  const a = denseCopy(M, 'A');
  if (m < n) {
    const at = new Float64Array(m * n);
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) at[j * m + i] = a[i * n + j];
    const t = inWasmHeap(at, (h) => rsvdTall(h, n, m, k, p, q, seed), false);
    // A = (Aᵀ)ᵀ: U = V', Vt = U'ᵀ.
    const U = new Float64Array(m * k);
    for (let i = 0; i < m; i++) for (let j = 0; j < k; j++) U[i * k + j] = t.Vt[j * m + i];
    const Vt = new Float64Array(k * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) Vt[j * n + i] = t.U[i * k + j];
    return finish(U, t.s, Vt, m, n, k);
  }
  // The products with A dominate: keep A in wasm memory so gemm does not copy it on every call.
  const t = inWasmHeap(a, (h) => rsvdTall(h, m, n, k, p, q, seed), false);
  return finish(t.U, t.s, t.Vt, m, n, k);
}

function finish(
  U: Float64Array,
  s: Float64Array,
  Vt: Float64Array,
  m: number,
  n: number,
  k: number,
): SvdResult {
  const flips = flipColumnSigns(U, m, k);
  for (let j = 0; j < k; j++) if (flips[j]) for (let c = 0; c < n; c++) Vt[j * n + c] = -Vt[j * n + c];
  return { U: new Matrix(U, m, k), s, Vt: new Matrix(Vt, k, n) };
}

/** m ≥ n. Returns U (m×k), s (k), Vt (k×n). */
function rsvdTall(
  a: Float64Array,
  m: number,
  n: number,
  k: number,
  p: number,
  q: number,
  seed: number,
): { U: Float64Array; s: Float64Array; Vt: Float64Array } {
  const l = Math.min(k + p, n);
  const rng = new Rng(seed);
  const omega = new Float64Array(n * l);
  rng.fillNormal(omega);
  const Y = new Float64Array(m * l);
  const Z = new Float64Array(n * l);
  const tauY = new Float64Array(l);
  const tauZ = new Float64Array(l);
  gemm(m, l, n, a, omega, Y);
  orthonormalize(Y, m, l, tauY);
  for (let it = 0; it < q; it++) {
    gemm(n, l, m, a, Y, Z, { transA: true });
    orthonormalize(Z, n, l, tauZ);
    gemm(m, l, n, a, Z, Y);
    orthonormalize(Y, m, l, tauY);
  }
  // B = Qᵀ·A (l×n), small SVD, U = Q·Ũ.
  const B = new Float64Array(l * n);
  gemm(l, n, m, Y, a, B, { transA: true });
  const small = svdDense(B, l, n);
  const Ufull = new Float64Array(m * l);
  gemm(m, l, l, Y, small.U.data, Ufull);
  const U = new Float64Array(m * k);
  for (let i = 0; i < m; i++) for (let j = 0; j < k; j++) U[i * k + j] = Ufull[i * l + j];
  const Vt = small.Vt.data.slice(0, k * n);
  return { U, s: small.s.slice(0, k), Vt };
}

/**
 * Y (m×l, m ≥ l) ← an orthonormal basis of its columns. First CholeskyQR2 (Fukaya et al. 2014:
 * G = YᵀY = RᵀR, Y ← Y·R⁻¹, twice), which is all gemm; if the Cholesky factorisation fails or the
 * result is not orthonormal to 1e-12 (Y numerically rank-deficient, κ(Y) ≳ 1e8), the Householder QR
 * of a saved copy is used instead.
 */
function orthonormalize(Y: Float64Array, m: number, l: number, tau: Float64Array): void {
  const saved = Y.slice();
  if (m >= 4 * l && choleskyQr2(Y, m, l)) return;
  Y.set(saved);
  householderQrInPlace(Y, m, l, tau);
  const Q = new Float64Array(m * l);
  formQ(Y, m, l, tau, Q, l);
  Y.set(Q);
}

function choleskyQr2(Y: Float64Array, m: number, l: number): boolean {
  const G = new Float64Array(l * l);
  const I = new Float64Array(l * l);
  const tmp = new Float64Array(m * l);
  for (let pass = 0; pass < 3; pass++) {
    syrk(m, l, Y, G);
    for (let i = 0; i < l; i++) for (let j = 0; j < i; j++) G[i * l + j] = G[j * l + i];
    if (pass === 2) {
      // Check: ‖YᵀY − I‖max after two passes.
      let dev = 0;
      for (let i = 0; i < l; i++)
        for (let j = 0; j < l; j++) dev = Math.max(dev, Math.abs(G[i * l + j] - (i === j ? 1 : 0)));
      return dev <= 1e-12;
    }
    try {
      choleskyInPlace(G, l); // G ← L, YᵀY = L·Lᵀ, so Y·L⁻ᵀ is orthonormal
    } catch {
      return false;
    }
    // Linv = L⁻¹; Y ← Y·L⁻ᵀ = Y·Linvᵀ
    I.fill(0);
    for (let i = 0; i < l; i++) I[i * l + i] = 1;
    triangularSolveInPlace(G, l, I, l, true, false, false);
    gemm(m, l, l, Y, I, tmp, { transB: true });
    Y.set(tmp);
    for (let t = 0; t < m * l; t++) if (!Number.isFinite(Y[t])) return false;
  }
  return false;
}
