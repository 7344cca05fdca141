/**
 * Householder tridiagonalisation of a symmetric matrix, Q·T·Qᵀ = A (Golub & Van Loan, Matrix
 * Computations 4th ed., §8.3.1, Algorithm 8.3.1; LAPACK dsytd2 / dsytrd), and the application of Q
 * to a block of vectors (§5.1.6 and the compact WY form of §5.2.2, LAPACK dormtr/dlarft/dlarfb).
 *
 * Storage is row-major and only the UPPER triangle of the trailing block is read and updated, so the
 * symmetric matrix-vector product and the rank-2 update both run along contiguous rows. Reflector k
 * (v = (1, v₂, ...), supported on indices k+1..n−1) is stored in row k, columns k+2.., with its tau.
 */
import { gemm } from '../kernels/index.js';
import { householder } from './util.js';

export interface Tridiagonal {
  /** Diagonal of T (length n). */
  d: Float64Array;
  /** Off-diagonal of T: e[i] couples i and i+1 (length n; e[n−1] = 0). */
  e: Float64Array;
  /** Reflector scalars (length n). */
  tau: Float64Array;
}

const NB = 32;
const BLOCKED_MIN = 160;
const UPD_ROWS = 64;

/**
 * Reduces the symmetric n×n row-major `a` (destroyed: holds the reflectors afterwards). Only the
 * upper triangle of `a` is read. Large matrices are reduced in panels of NB columns
 * (LAPACK dlatrd, Dongarra, Hammarling & Sorensen 1989): inside a panel the trailing matrix is left
 * stale and each symmetric product is corrected by the panel's V, W; after the panel one rank-2NB
 * update A −= V·Wᵀ + W·Vᵀ runs as two gemms, so half of the 4n³/3 flops move into gemm.
 */
export function tridiagonalize(a: Float64Array, n: number): Tridiagonal {
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  const tau = new Float64Array(n);
  let k0 = 0;
  if (n >= BLOCKED_MIN) {
    const V = new Float64Array(n * NB);
    const W = new Float64Array(n * NB);
    const y = new Float64Array(n);
    const vc = new Float64Array(n);
    const t1 = new Float64Array(NB);
    const t2 = new Float64Array(NB);
    const hb = new Float64Array(2);
    while (n - k0 - 2 > 2 * NB) {
      const nb = NB;
      V.fill(0);
      W.fill(0);
      for (let i = 0; i < nb; i++) {
        const k = k0 + i;
        const rk = k * n;
        // Bring row k (columns k..n−1) up to date with the panel's earlier reflectors.
        if (i > 0) {
          const vk = k * nb;
          for (let j = k; j < n; j++) {
            const vj = j * nb;
            let s = 0;
            for (let q = 0; q < i; q++) s += V[vk + q] * W[vj + q] + W[vk + q] * V[vj + q];
            a[rk + j] -= s;
          }
        }
        d[k] = a[rk + k];
        householder(a[rk + k + 1], a, rk + k + 2, n - k - 2, 1, hb);
        e[k] = hb[0];
        const t = hb[1];
        tau[k] = t;
        // v (rows k+1..n−1) into V[:, i]; v[k+1] = 1.
        const s0 = k + 1;
        V[s0 * nb + i] = 1;
        for (let j = s0 + 1; j < n; j++) V[j * nb + i] = a[rk + j];
        if (t === 0) continue; // W[:, i] stays 0: H = I contributes nothing
        vc[s0] = 1;
        for (let j = s0 + 1; j < n; j++) vc[j] = a[rk + j];
        // y = A_stale[s0:, s0:]·v from the upper triangle only: each stored entry is read once and
        // used twice, halving the memory traffic of this memory-bound step.
        // Two rows per pass share the loads and stores of y[j].
        y.fill(0, s0, n);
        let r = s0;
        for (; r + 1 < n; r += 2) {
          const ra = r * n;
          const rb = ra + n;
          const va = vc[r];
          const vb = vc[r + 1];
          const ab = a[ra + r + 1];
          let accA = a[ra + r] * va + ab * vb;
          let accB = ab * va + a[rb + r + 1] * vb;
          for (let j = r + 2; j < n; j++) {
            const x = a[ra + j];
            const z = a[rb + j];
            const vj = vc[j];
            accA += x * vj;
            accB += z * vj;
            y[j] += x * va + z * vb;
          }
          y[r] += accA;
          y[r + 1] += accB;
        }
        if (r < n) y[r] += a[r * n + r] * vc[r];
        // Correct for the panel's pending update: y −= V·(Wᵀv) + W·(Vᵀv).
        if (i > 0) {
          for (let q = 0; q < i; q++) {
            t1[q] = 0;
            t2[q] = 0;
          }
          for (let j = s0; j < n; j++) {
            const vj = vc[j];
            const row = j * nb;
            for (let q = 0; q < i; q++) {
              t1[q] += W[row + q] * vj;
              t2[q] += V[row + q] * vj;
            }
          }
          for (let r = s0; r < n; r++) {
            const row = r * nb;
            let s = 0;
            for (let q = 0; q < i; q++) s += V[row + q] * t1[q] + W[row + q] * t2[q];
            y[r] -= s;
          }
        }
        // w = τ·y − (τ²/2)(yᵀv)·v
        let yv = 0;
        for (let r = s0; r < n; r++) {
          y[r] *= t;
          yv += y[r] * vc[r];
        }
        const half = 0.5 * t * yv;
        for (let r = s0; r < n; r++) W[r * nb + i] = y[r] - half * vc[r];
      }
      // Trailing update A[k1:, k1:] −= V·Wᵀ + W·Vᵀ on the upper triangle, in row blocks so the
      // gemms skip (most of) the lower half.
      const k1 = k0 + nb;
      for (let r0 = k1; r0 < n; r0 += UPD_ROWS) {
        const h = Math.min(UPD_ROWS, n - r0);
        const w = n - r0;
        const o = {
          transB: true,
          alpha: -1,
          beta: 1,
          aOffset: r0 * nb,
          bOffset: r0 * nb,
          lda: nb,
          ldb: nb,
          cOffset: r0 * n + r0,
          ldc: n,
        };
        gemm(h, w, nb, V, W, a, o);
        gemm(h, w, nb, W, V, a, o);
      }
      k0 = k1;
    }
  }
  unblocked(a, n, k0, d, e, tau);
  return { d, e, tau };
}

/** dsytd2 from row k0 on, reading and updating only the upper triangle of the trailing block. */
function unblocked(
  a: Float64Array,
  n: number,
  k0: number,
  d: Float64Array,
  e: Float64Array,
  tau: Float64Array,
): void {
  const p = new Float64Array(n);
  const v = new Float64Array(n);
  const hb = new Float64Array(2);
  for (let k = k0; k < n - 2; k++) {
    const row = k * n;
    d[k] = a[row + k];
    // Reflector that annihilates a[k, k+2..n-1].
    householder(a[row + k + 1], a, row + k + 2, n - k - 2, 1, hb);
    const t = hb[1];
    e[k] = hb[0];
    tau[k] = t;
    if (t === 0) continue;
    const s0 = k + 1;
    v[s0] = 1;
    for (let j = s0 + 1; j < n; j++) v[j] = a[row + j];
    // p = tau · S·v over the trailing block S = a[s0.., s0..] read from its upper triangle.
    for (let j = s0; j < n; j++) p[j] = 0;
    for (let i = s0; i < n; i++) {
      const ri = i * n;
      const vi = v[i];
      let s = a[ri + i] * vi;
      for (let j = i + 1; j < n; j++) {
        const aij = a[ri + j];
        s += aij * v[j];
        p[j] += aij * vi;
      }
      p[i] += s;
    }
    let pv = 0;
    for (let j = s0; j < n; j++) {
      p[j] *= t;
      pv += p[j] * v[j];
    }
    // w = p − (tau/2)(pᵀv)·v, then S −= v·wᵀ + w·vᵀ (upper triangle only).
    const half = 0.5 * t * pv;
    for (let j = s0; j < n; j++) p[j] -= half * v[j];
    for (let i = s0; i < n; i++) {
      const ri = i * n;
      const vi = v[i];
      const wi = p[i];
      for (let j = i; j < n; j++) a[ri + j] -= vi * p[j] + wi * v[j];
    }
  }
  if (n >= 2) {
    d[n - 2] = a[(n - 2) * n + n - 2];
    e[n - 2] = a[(n - 2) * n + n - 1];
  }
  if (n >= 1) d[n - 1] = a[n * n - 1];
}

/**
 * Z ← Q·Z where Q = H₀H₁…H_{n−3} from `tridiagonalize` and Z is n×c row-major. Reflectors are
 * applied in blocks of `nb` through the compact WY form I − V·T·Vᵀ, so the O(n²c) work is in gemm.
 */
export function applyQ(a: Float64Array, n: number, tau: Float64Array, Z: Float64Array, c: number): void {
  const nr = n - 2; // number of reflectors
  if (nr <= 0 || c === 0) return;
  const nb = n >= 128 ? 32 : 1;
  if (nb === 1) {
    const w = new Float64Array(c);
    for (let k = nr - 1; k >= 0; k--) applyOne(a, n, k, tau[k], Z, c, w);
    return;
  }
  const V = new Float64Array(n * nb);
  const T = new Float64Array(nb * nb);
  const W = new Float64Array(nb * c);
  const W2 = new Float64Array(nb * c);
  const tmp = new Float64Array(nb);
  // Process blocks from the last one back, so that Q·Z = B₀(B₁(…(B_last·Z))).
  const nBlocks = Math.ceil(nr / nb);
  for (let b = nBlocks - 1; b >= 0; b--) {
    const k0 = b * nb;
    const kb = Math.min(nb, nr - k0);
    const r0 = k0 + 1; // first row touched by this block
    const rows = n - r0;
    // V (rows × kb): column jj is reflector k0+jj, v[k0+jj+1] = 1 and stored entries after it.
    V.fill(0, 0, rows * kb);
    for (let jj = 0; jj < kb; jj++) {
      const k = k0 + jj;
      const one = k + 1 - r0;
      V[one * kb + jj] = 1;
      const src = k * n;
      for (let i = k + 2; i < n; i++) V[(i - r0) * kb + jj] = a[src + i];
    }
    // T upper triangular (dlarft, forward, columnwise): H_k0…H_k1 = I − V·T·Vᵀ.
    T.fill(0, 0, kb * kb);
    for (let jj = 0; jj < kb; jj++) {
      const t = tau[k0 + jj];
      T[jj * kb + jj] = t;
      if (t === 0 || jj === 0) continue;
      // tmp = V[:, 0:jj]ᵀ · V[:, jj]
      for (let q = 0; q < jj; q++) tmp[q] = 0;
      for (let i = 0; i < rows; i++) {
        const vij = V[i * kb + jj];
        if (vij === 0) continue;
        const ri = i * kb;
        for (let q = 0; q < jj; q++) tmp[q] += V[ri + q] * vij;
      }
      // T[0:jj, jj] = −t · T[0:jj, 0:jj] · tmp
      for (let q = 0; q < jj; q++) {
        let s = 0;
        for (let r = q; r < jj; r++) s += T[q * kb + r] * tmp[r];
        T[q * kb + jj] = -t * s;
      }
    }
    // Z[r0:, :] −= V · (T · (Vᵀ · Z[r0:, :]))
    gemm(kb, c, rows, V, Z, W, { transA: true, lda: kb, bOffset: r0 * c, ldb: c, ldc: c });
    gemm(kb, c, kb, T, W, W2, { lda: kb, ldb: c, ldc: c });
    gemm(rows, c, kb, V, W2, Z, { alpha: -1, beta: 1, lda: kb, ldb: c, cOffset: r0 * c, ldc: c });
  }
}

function applyOne(
  a: Float64Array,
  n: number,
  k: number,
  t: number,
  Z: Float64Array,
  c: number,
  w: Float64Array,
): void {
  if (t === 0) return;
  const s0 = k + 1;
  const src = k * n;
  for (let j = 0; j < c; j++) w[j] = Z[s0 * c + j];
  for (let i = s0 + 1; i < n; i++) {
    const vi = a[src + i];
    if (vi === 0) continue;
    const ri = i * c;
    for (let j = 0; j < c; j++) w[j] += vi * Z[ri + j];
  }
  for (let j = 0; j < c; j++) w[j] *= t;
  for (let j = 0; j < c; j++) Z[s0 * c + j] -= w[j];
  for (let i = s0 + 1; i < n; i++) {
    const vi = a[src + i];
    if (vi === 0) continue;
    const ri = i * c;
    for (let j = 0; j < c; j++) Z[ri + j] -= vi * w[j];
  }
}
