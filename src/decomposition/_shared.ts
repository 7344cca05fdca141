/**
 * Helpers shared by the linear latent models (PCA, IncrementalPCA, FastICA, NMF, dictionary
 * learning). Inner functions: they assume validated, finite, row-major float64 input.
 *
 * Every dense product goes through src/kernels (gemm / syrk). Centring is done in row blocks so
 * that a 60,000 × 784 input is never copied whole (the covariance XcᵀXc is accumulated block by
 * block with syrk, beta = 1).
 */
import { Matrix } from '../core/matrix.js';
import { Rng } from '../core/rng.js';
import { gemm, syrk } from '../kernels/index.js';
import { eigh, qr } from '../linalg/index.js';

export type F64Matrix = Matrix<Float64Array>;

/** Rows per block when centring: ~2 MB of float64 per block at d = 784. */
const BLOCK_BYTES = 1 << 21;

export function blockRows(d: number): number {
  return Math.max(16, Math.floor(BLOCK_BYTES / (8 * Math.max(1, d))));
}

/** Column means of a row-major matrix. */
export function columnMeans(X: F64Matrix): Float64Array {
  const { rows: n, cols: d, data, offset: o, rowStride: rs } = X;
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const base = o + i * rs;
    for (let j = 0; j < d; j++) mean[j] += data[base + j]!;
  }
  for (let j = 0; j < d; j++) mean[j] /= n;
  return mean;
}

/** Sum over rows of (x_ij − mean_j)², i.e. (n − 1)·variance, per column. */
export function centredSquares(X: F64Matrix, mean: Float64Array): Float64Array {
  const { rows: n, cols: d, data, offset: o, rowStride: rs } = X;
  const out = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const base = o + i * rs;
    for (let j = 0; j < d; j++) {
      const v = data[base + j]! - mean[j]!;
      out[j] += v * v;
    }
  }
  return out;
}

/** Copies rows [r0, r1) of X minus `mean` (or as is when mean is null) into `buf` (row-major). */
export function copyBlock(
  X: F64Matrix,
  mean: Float64Array | null,
  r0: number,
  r1: number,
  buf: Float64Array,
): void {
  const { cols: d, data, offset: o, rowStride: rs } = X;
  for (let i = r0; i < r1; i++) {
    const src = o + i * rs;
    const dst = (i - r0) * d;
    if (mean) for (let j = 0; j < d; j++) buf[dst + j] = data[src + j]! - mean[j]!;
    else for (let j = 0; j < d; j++) buf[dst + j] = data[src + j]!;
  }
}

/**
 * C = (X − 1·meanᵀ)ᵀ (X − 1·meanᵀ), d × d, accumulated over row blocks with syrk. `mean` may be
 * null for the uncentred Gram matrix XᵀX.
 */
export function centredGram(X: F64Matrix, mean: Float64Array | null): Float64Array {
  const { rows: n, cols: d } = X;
  const C = new Float64Array(d * d);
  if (mean === null && X.isRowMajor() && X.offset === 0 && X.rowStride === d) {
    syrk(n, d, X.data.subarray(0, n * d), C, { alpha: 1, beta: 0 });
    return C;
  }
  const b = Math.min(n, blockRows(d));
  const buf = new Float64Array(b * d);
  for (let r0 = 0; r0 < n; r0 += b) {
    const r1 = Math.min(n, r0 + b);
    copyBlock(X, mean, r0, r1, buf);
    const rowsHere = r1 - r0;
    syrk(rowsHere, d, rowsHere === b ? buf : buf.subarray(0, rowsHere * d), C, {
      alpha: 1,
      beta: r0 === 0 ? 0 : 1,
    });
  }
  return C;
}

/** G = Xc Xcᵀ (n × n), for short wide data (n < d). */
export function centredOuterGram(X: F64Matrix, mean: Float64Array | null): Float64Array {
  const { rows: n, cols: d } = X;
  const Xc = new Float64Array(n * d);
  copyBlock(X, mean, 0, n, Xc);
  const G = new Float64Array(n * n);
  gemm(n, n, d, Xc, Xc, G, { transB: true });
  return G;
}

/**
 * out (n × k) = (X − 1·meanᵀ) Vᵀ, with V stored k × d (rows = components). The mean is folded in
 * as a per-column offset (mean·Vᵀ) so X is not copied.
 */
export function projectRows(
  X: F64Matrix,
  mean: Float64Array | null,
  V: Float64Array,
  k: number,
  out: Float64Array,
): void {
  const { rows: n, cols: d } = X;
  if (X.isRowMajor()) {
    gemm(n, k, d, X.data, V, out, { transB: true, aOffset: X.offset, lda: n > 1 ? X.rowStride : d });
  } else {
    const Xc = X.clone() as F64Matrix;
    gemm(n, k, d, Xc.data, V, out, { transB: true });
  }
  if (mean) {
    const shift = new Float64Array(k);
    for (let c = 0; c < k; c++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += mean[j]! * V[c * d + j]!;
      shift[c] = s;
    }
    for (let i = 0; i < n; i++) for (let c = 0; c < k; c++) out[i * k + c] -= shift[c]!;
  }
}

/**
 * Top-k eigenpairs of a symmetric d × d matrix, in DESCENDING order: values (k) and vectors as
 * rows (k × d). `k = d` gives the whole spectrum.
 */
export function topEigen(
  C: Float64Array,
  d: number,
  k: number,
): { values: Float64Array; rows: Float64Array } {
  const A = new Matrix(C, d, d);
  const r = k >= d ? eigh(A) : eigh(A, { largest: k });
  const m = r.values.length;
  const take = Math.min(k, m);
  const values = new Float64Array(take);
  const rows = new Float64Array(take * d);
  const V = r.vectors;
  for (let t = 0; t < take; t++) {
    const src = m - 1 - t; // ascending → descending
    values[t] = r.values[src]!;
    for (let j = 0; j < d; j++) rows[t * d + j] = V.get(j, src);
  }
  return { values, rows };
}

/**
 * scikit-learn's svd_flip with u_based_decision=True, applied through the scores: the sign of
 * component c is chosen so that the score of largest magnitude in column c of U (equivalently of
 * the scores X·v_c, which are U scaled by s_c > 0) is positive. Flips `rows` (k × d) and
 * `scores` (n × k) in place.
 */
export function flipByScores(
  scores: Float64Array,
  n: number,
  rows: Float64Array,
  k: number,
  d: number,
): void {
  for (let c = 0; c < k; c++) {
    let best = -1;
    let bi = 0;
    for (let i = 0; i < n; i++) {
      const a = Math.abs(scores[i * k + c]!);
      if (a > best) {
        best = a;
        bi = i;
      }
    }
    if (scores[bi * k + c]! < 0) {
      for (let i = 0; i < n; i++) scores[i * k + c] = -scores[i * k + c]!;
      for (let j = 0; j < d; j++) rows[c * d + j] = -rows[c * d + j]!;
    }
  }
}

/** svd_flip with u_based_decision=False: the largest-magnitude entry of each row of Vt is positive. */
export function flipByRows(
  rows: Float64Array,
  k: number,
  d: number,
  other?: { data: Float64Array; n: number },
): void {
  for (let c = 0; c < k; c++) {
    let best = -1;
    let bj = 0;
    for (let j = 0; j < d; j++) {
      const a = Math.abs(rows[c * d + j]!);
      if (a > best) {
        best = a;
        bj = j;
      }
    }
    if (rows[c * d + bj]! < 0) {
      for (let j = 0; j < d; j++) rows[c * d + j] = -rows[c * d + j]!;
      if (other) for (let i = 0; i < other.n; i++) other.data[i * k + c] = -other.data[i * k + c]!;
    }
  }
}

/**
 * Thin truncated SVD of X (uncentred or centred by `mean`) through the Gram matrix of the smaller
 * side: returns s (k, descending), Vt (k × d) and U (n × k). Accurate for the leading singular
 * values (it squares the condition number, so tiny singular values lose relative precision).
 */
export function gramSvd(
  X: F64Matrix,
  mean: Float64Array | null,
  k: number,
  randomized?: { nOversamples: number; nIter: number; seed: number },
): { s: Float64Array; Vt: Float64Array; U: Float64Array; lambda: Float64Array } {
  const { rows: n, cols: d } = X;
  const eig = (C: Float64Array, m: number) =>
    randomized ? randomizedTopEigen(C, m, k, randomized) : topEigen(C, m, k);
  if (d <= n) {
    const C = centredGram(X, mean);
    const { values, rows } = eig(C, d);
    const kk = values.length;
    const s = new Float64Array(kk);
    for (let t = 0; t < kk; t++) s[t] = Math.sqrt(Math.max(values[t]!, 0));
    const U = new Float64Array(n * kk);
    projectRows(X, mean, rows, kk, U);
    for (let i = 0; i < n; i++)
      for (let t = 0; t < kk; t++) U[i * kk + t] = s[t]! > 0 ? U[i * kk + t]! / s[t]! : 0;
    return { s, Vt: rows, U, lambda: values };
  }
  // Short and wide: eigen-decompose Xc Xcᵀ (n × n); v_t = Xcᵀ u_t / s_t.
  const G = centredOuterGram(X, mean);
  const { values, rows: urows } = eig(G, n);
  const kk = values.length;
  const s = new Float64Array(kk);
  for (let t = 0; t < kk; t++) s[t] = Math.sqrt(Math.max(values[t]!, 0));
  const Xc = new Float64Array(n * d);
  copyBlock(X, mean, 0, n, Xc);
  const Vt = new Float64Array(kk * d);
  gemm(kk, d, n, urows, Xc, Vt); // (k × n)(n × d)
  for (let t = 0; t < kk; t++) {
    const inv = s[t]! > 0 ? 1 / s[t]! : 0;
    for (let j = 0; j < d; j++) Vt[t * d + j] *= inv;
  }
  const U = new Float64Array(n * kk);
  for (let t = 0; t < kk; t++) for (let i = 0; i < n; i++) U[i * kk + t] = urows[t * n + i]!;
  return { s, Vt, U, lambda: values };
}

/** ‖a‖₂ of a typed-array range. */
export function norm2(a: Float64Array, start = 0, end = a.length): number {
  let s = 0;
  for (let i = start; i < end; i++) s += a[i]! * a[i]!;
  return Math.sqrt(s);
}

/** Wraps a row-major buffer as a Matrix (no copy). */
export function mat(data: Float64Array, rows: number, cols: number): F64Matrix {
  return new Matrix(data, rows, cols);
}

/** In-place Cholesky of an l × l SPD matrix (lower triangle); false when not positive definite. */
function cholLower(a: Float64Array, l: number): boolean {
  for (let j = 0; j < l; j++) {
    let s = a[j * l + j]!;
    for (let p = 0; p < j; p++) s -= a[j * l + p]! * a[j * l + p]!;
    if (!(s > 0) || !Number.isFinite(s)) return false;
    const djj = Math.sqrt(s);
    a[j * l + j] = djj;
    for (let i = j + 1; i < l; i++) {
      let t = a[i * l + j]!;
      for (let p = 0; p < j; p++) t -= a[i * l + p]! * a[j * l + p]!;
      a[i * l + j] = t / djj;
    }
    for (let p = j + 1; p < l; p++) a[j * l + p] = 0;
  }
  return true;
}

/** Inverse of a lower-triangular l × l matrix (forward substitution on the identity). */
function invLower(L: Float64Array, l: number, out: Float64Array): void {
  out.fill(0);
  for (let c = 0; c < l; c++) {
    out[c * l + c] = 1 / L[c * l + c]!;
    for (let i = c + 1; i < l; i++) {
      let s = 0;
      for (let p = c; p < i; p++) s += L[i * l + p]! * out[p * l + c]!;
      out[i * l + c] = -s / L[i * l + i]!;
    }
  }
}

/**
 * Orthonormalises the columns of Y (m × l, row-major) in place. Cholesky-QR twice (CholeskyQR2,
 * Fukaya et al. 2014): two syrk + two small triangular products, all through the kernels; falls
 * back to Householder QR (linalg.qr) when YᵀY is numerically singular.
 */
export function orthonormalizeColumns(Y: Float64Array, m: number, l: number): void {
  const G = new Float64Array(l * l);
  const Li = new Float64Array(l * l);
  const T = new Float64Array(m * l);
  for (let pass = 0; pass < 2; pass++) {
    syrk(m, l, Y, G, { alpha: 1, beta: 0 });
    if (!cholLower(G, l)) {
      const { Q } = qr(new Matrix(Y, m, l));
      const r = Q.cols;
      Y.fill(0);
      for (let i = 0; i < m; i++) for (let j = 0; j < r; j++) Y[i * l + j] = Q.get(i, j);
      return;
    }
    invLower(G, l, Li);
    // Y ← Y·L⁻ᵀ  (R = Lᵀ)
    gemm(m, l, l, Y, Li, T, { transB: true });
    Y.set(T);
  }
}

/**
 * Randomized truncated SVD of Xc = X − 1·meanᵀ (Halko, Martinsson & Tropp 2011, Alg. 4.4 with
 * normalised power iterations, as scikit-learn's randomized_svd), with the centring applied
 * implicitly so X is never copied: Xc·Q = X·Q − 1·(meanᵀQ), XcᵀP = XᵀP − mean·(1ᵀP).
 * Normalisation between power iterations is CholeskyQR2 instead of scikit-learn's LU (same span).
 */
export function randomizedSvdCentred(
  X: F64Matrix,
  mean: Float64Array | null,
  k: number,
  opts: { nOversamples: number; nIter: number; seed: number },
): { s: Float64Array; Vt: Float64Array; U: Float64Array } {
  const { rows: n, cols: d } = X;
  const l = Math.min(k + opts.nOversamples, n, d);
  const rng = new Rng(opts.seed);
  const Q = rng.fillNormal(new Float64Array(d * l)); // d × l
  const P = new Float64Array(n * l); // n × l
  const Xd = X.isRowMajor() ? X : (X.clone() as F64Matrix);
  const lda = n > 1 ? Xd.rowStride : d;
  const mulX = (src: Float64Array, dst: Float64Array): void => {
    // dst (n × l) = Xc · src (d × l)
    gemm(n, l, d, Xd.data, src, dst, { aOffset: Xd.offset, lda });
    if (mean) {
      const shift = new Float64Array(l);
      for (let j = 0; j < d; j++) {
        const mj = mean[j]!;
        if (mj !== 0) for (let c = 0; c < l; c++) shift[c] += mj * src[j * l + c]!;
      }
      for (let i = 0; i < n; i++) for (let c = 0; c < l; c++) dst[i * l + c] -= shift[c]!;
    }
  };
  const mulXt = (src: Float64Array, dst: Float64Array): void => {
    // dst (d × l) = Xcᵀ · src (n × l)
    gemm(d, l, n, Xd.data, src, dst, { transA: true, aOffset: Xd.offset, lda });
    if (mean) {
      const colSum = new Float64Array(l);
      for (let i = 0; i < n; i++) for (let c = 0; c < l; c++) colSum[c] += src[i * l + c]!;
      for (let j = 0; j < d; j++) {
        const mj = mean[j]!;
        if (mj !== 0) for (let c = 0; c < l; c++) dst[j * l + c] -= mj * colSum[c]!;
      }
    }
  };
  for (let it = 0; it < opts.nIter; it++) {
    mulX(Q, P);
    orthonormalizeColumns(P, n, l);
    mulXt(P, Q);
    orthonormalizeColumns(Q, d, l);
  }
  mulX(Q, P);
  orthonormalizeColumns(P, n, l);
  // B = Pᵀ Xc (l × d), stored as Bt = Xcᵀ P (d × l); its SVD through the l × l matrix B Bᵀ.
  mulXt(P, Q);
  const BBt = new Float64Array(l * l);
  syrk(d, l, Q, BBt, { alpha: 1, beta: 0 });
  const { values, rows: uh } = topEigen(BBt, l, k); // uh: k × l (rows = left singular vectors of B)
  const kk = values.length;
  const s = new Float64Array(kk);
  for (let t = 0; t < kk; t++) s[t] = Math.sqrt(Math.max(values[t]!, 0));
  // Vt = diag(1/s) · Uhᵀ·B = diag(1/s) · (uh · Btᵀ)  → (k × l)(l × d)
  const Vt = new Float64Array(kk * d);
  gemm(kk, d, l, uh, Q, Vt, { transB: true });
  for (let t = 0; t < kk; t++) {
    const inv = s[t]! > 0 ? 1 / s[t]! : 0;
    for (let j = 0; j < d; j++) Vt[t * d + j] *= inv;
  }
  // U = P · Uh  (n × l)(l × k)
  const U = new Float64Array(n * kk);
  gemm(n, kk, l, P, uh, U, { transB: true });
  return { s, Vt, U };
}

/**
 * Top-k eigenpairs (descending) of a symmetric positive semi-definite d × d matrix C by randomized
 * subspace iteration (Halko, Martinsson & Tropp 2011, Alg. 4.4 applied to C; Rayleigh–Ritz at the
 * end): Y = C·Ω, then nIter rounds of Y ← orth(C·Y), then the eigenpairs of the small l × l matrix
 * QᵀCQ. On C = XcᵀXc this is randomized SVD of Xc with nIter + 1 power iterations; every product is
 * a d × d × l gemm, so for d ≲ 2000 it costs far less than a dense eigendecomposition.
 */
export function randomizedTopEigen(
  C: Float64Array,
  d: number,
  k: number,
  opts: { nOversamples: number; nIter: number; seed: number },
): { values: Float64Array; rows: Float64Array } {
  const l = Math.min(d, k + opts.nOversamples);
  if (l >= d) return topEigen(C, d, k);
  const rng = new Rng(opts.seed);
  const Om = rng.fillNormal(new Float64Array(d * l));
  const Y = new Float64Array(d * l);
  gemm(d, l, d, C, Om, Y);
  orthonormalizeColumns(Y, d, l);
  for (let it = 0; it < opts.nIter; it++) {
    gemm(d, l, d, C, Y, Om);
    orthonormalizeColumns(Om, d, l);
    Y.set(Om);
  }
  // T = Yᵀ C Y (l × l)
  gemm(d, l, d, C, Y, Om);
  const T = new Float64Array(l * l);
  gemm(l, l, d, Y, Om, T, { transA: true });
  for (let a = 0; a < l; a++) {
    for (let b = a + 1; b < l; b++) {
      const m = 0.5 * (T[a * l + b]! + T[b * l + a]!);
      T[a * l + b] = m;
      T[b * l + a] = m;
    }
  }
  const { values, rows: u } = topEigen(T, l, k);
  const kk = values.length;
  // eigenvectors of C: rows = (Y·u_t)ᵀ  → (k × l)·(l × d)ᵀ
  const rows = new Float64Array(kk * d);
  gemm(kk, d, l, u, Y, rows, { transB: true });
  return { values, rows };
}

/**
 * Whitening of scores (n × k) in place: column t ÷ √ev[t]. A component with zero variance gets
 * scores 0 rather than ±Infinity/NaN (scikit-learn would divide by zero).
 */
export function whitenColumns(scores: Float64Array, n: number, ev: Float64Array, k: number): void {
  for (let t = 0; t < k; t++) {
    const sd = Math.sqrt(ev[t]!);
    const inv = sd > 0 ? 1 / sd : 0;
    for (let i = 0; i < n; i++) scores[i * k + t] *= inv;
  }
}

/** Rows of `components` (k × d) × √ev[t]: the synthesis matrix for whitened scores (new array). */
export function unwhitenRows(components: Float64Array, ev: Float64Array, k: number, d: number): Float64Array {
  const W = components.slice();
  for (let t = 0; t < k; t++) {
    const sd = Math.sqrt(ev[t]!);
    for (let j = 0; j < d; j++) W[t * d + j] *= sd;
  }
  return W;
}

/**
 * Synthesis of a linear latent model: Z·W + 1·meanᵀ (n × d), with Z (n × k) and W stored k × d,
 * or d × k when `transW` (FastICA's mixing matrix).
 */
export function synthesize(
  Z: F64Matrix,
  W: Float64Array,
  mean: Float64Array,
  d: number,
  transW = false,
): Matrix<Float64Array> {
  const M = Z.contiguous();
  const n = M.rows;
  const out = new Float64Array(n * d);
  for (let i = 0; i < n; i++) out.set(mean, i * d);
  gemm(n, d, M.cols, M.data, W, out, { beta: 1, transB: transW });
  return new Matrix(out, n, d);
}
