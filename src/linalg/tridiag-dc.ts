/**
 * Cuppen's divide-and-conquer eigensolver for a symmetric tridiagonal T (Golub & Van Loan §8.4.4;
 * Cuppen 1981; with Gu & Eisenstat 1995's recomputed ẑ for numerically orthogonal eigenvectors;
 * the structure of LAPACK dstedc/dlaed0–dlaed4). Used by `eigh` for all eigenvectors of large n.
 *
 * T = diag(T₁, T₂) + ρ·v·vᵀ (tearing at the middle off-diagonal β, ρ = |β|): solve both halves
 * recursively (implicit QL on leaves of ≤ 32), then the eigenproblem of D + ρ·z·zᵀ: deflate tiny zᵢ
 * and close pairs of dᵢ (Givens), find the other roots of the secular equation
 * f(λ) = 1 + ρ·Σ zᵢ²/(dᵢ − λ) (a bracketed two-pole rational-model iteration, Bunch–Nielsen–Sorensen
 * / Li's "middle way", falling back to bisection), rebuild ẑ from the roots (Löwner), and multiply
 * the block-diagonal eigenvector matrix by the small one with two gemms — so nearly all the O(n³)
 * work is gemm, against ~6n³ scalar rotation flops for QL with accumulation.
 */
import { gemm } from '../kernels/index.js';
import { argsortAscending, tridiagQL } from './tridiag-eig.js';

const EPS = 2 ** -52;
const LEAF = 32;

export interface DcResult {
  /** Eigenvalues ascending. */
  lam: Float64Array;
  /** m×m row-major; column j is the eigenvector of lam[j]. */
  Q: Float64Array;
}

/** All eigenpairs of the tridiagonal (d, e) of order n (d, e are modified). */
export function tridiagDC(d: Float64Array, e: Float64Array, n: number): DcResult {
  return solve(d, e, 0, n);
}

function solve(d: Float64Array, e: Float64Array, lo: number, m: number): DcResult {
  if (m <= LEAF) return leaf(d, e, lo, m);
  const k = m >> 1;
  const beta = e[lo + k - 1];
  const rho = Math.abs(beta);
  const sgn = beta >= 0 ? 1 : -1;
  d[lo + k - 1] -= rho;
  d[lo + k] -= rho;
  const L = solve(d, e, lo, k);
  const R = solve(d, e, lo + k, m - k);
  return merge(L, R, k, m, rho, sgn);
}

function leaf(d: Float64Array, e: Float64Array, lo: number, m: number): DcResult {
  const dd = d.slice(lo, lo + m);
  const ee = e.slice(lo, lo + m);
  const ZT = new Float64Array(m * m);
  for (let i = 0; i < m; i++) ZT[i * m + i] = 1;
  tridiagQL(dd, ee, m, ZT, m);
  const order = argsortAscending(dd);
  const lam = new Float64Array(m);
  const Q = new Float64Array(m * m);
  for (let j = 0; j < m; j++) {
    const src = order[j];
    lam[j] = dd[src];
    for (let i = 0; i < m; i++) Q[i * m + j] = ZT[src * m + i];
  }
  return { lam, Q };
}

function merge(L: DcResult, R: DcResult, k: number, m: number, rho0: number, sgn: number): DcResult {
  const m2 = m - k;
  // D and z in the original (block) coordinates; z = [last row of Q₁; sgn·first row of Q₂]/√2.
  const D = new Float64Array(m);
  const z = new Float64Array(m);
  const r2 = Math.SQRT1_2;
  for (let i = 0; i < k; i++) {
    D[i] = L.lam[i];
    z[i] = L.Q[(k - 1) * k + i] * r2;
  }
  for (let i = 0; i < m2; i++) {
    D[k + i] = R.lam[i];
    z[k + i] = sgn * R.Q[i] * r2;
  }
  const rho = 2 * rho0;
  // Merge the two sorted halves: perm[t] = original index of the t-th smallest.
  const perm = new Int32Array(m);
  {
    let a = 0;
    let b = k;
    for (let t = 0; t < m; t++) {
      if (b >= m || (a < k && D[a] <= D[b])) perm[t] = a++;
      else perm[t] = b++;
    }
  }
  const ds = new Float64Array(m);
  const zs = new Float64Array(m);
  let dmax = 0;
  let zmax = 0;
  for (let t = 0; t < m; t++) {
    ds[t] = D[perm[t]];
    zs[t] = z[perm[t]];
    dmax = Math.max(dmax, Math.abs(ds[t]));
    zmax = Math.max(zmax, Math.abs(zs[t]));
  }
  const tol = 8 * EPS * Math.max(dmax, zmax);
  // Deflation (dlaed2): tiny ρ|zᵢ|, or a pair of close dᵢ rotated so that one z becomes zero.
  const defl = new Uint8Array(m);
  const rotP: number[] = [];
  const rotN: number[] = [];
  const rotC: number[] = [];
  const rotS: number[] = [];
  let pj = -1;
  for (let t = 0; t < m; t++) {
    if (rho * Math.abs(zs[t]) <= tol) {
      defl[t] = 1;
      continue;
    }
    if (pj < 0) {
      pj = t;
      continue;
    }
    let s = zs[pj];
    let c = zs[t];
    const tau = Math.sqrt(s * s + c * c);
    const gap = ds[t] - ds[pj];
    c /= tau;
    s = -s / tau;
    if (Math.abs(gap * c * s) <= tol) {
      zs[t] = tau;
      zs[pj] = 0;
      rotP.push(pj);
      rotN.push(t);
      rotC.push(c);
      rotS.push(s);
      const t1 = ds[pj] * c * c + ds[t] * s * s;
      ds[t] = ds[pj] * s * s + ds[t] * c * c;
      ds[pj] = t1;
      defl[pj] = 1;
    }
    pj = t;
  }
  // Non-deflated part: the secular equation.
  let K = 0;
  for (let t = 0; t < m; t++) if (!defl[t]) K++;
  const idx = new Int32Array(K);
  const dk = new Float64Array(K);
  const zk = new Float64Array(K);
  {
    let q = 0;
    for (let t = 0; t < m; t++) {
      if (defl[t]) continue;
      idx[q] = t;
      dk[q] = ds[t];
      zk[q] = zs[t];
      q++;
    }
  }
  const lamK = new Float64Array(K);
  const Uk = new Float64Array(K * K); // Uk[i*K + j]: component i of root j's vector
  if (K === 1) {
    lamK[0] = dk[0] + rho * zk[0] * zk[0];
    Uk[0] = 1;
  } else if (K > 1) {
    secularVectors(dk, zk, K, rho, lamK, Uk);
  }
  // Final order: all m eigenvalues ascending.
  const vals = new Float64Array(m);
  const src = new Int32Array(m); // ≥ 0: deflated coordinate t; < 0: root −(j+1)
  {
    let q = 0;
    for (let t = 0; t < m; t++) {
      if (defl[t]) {
        vals[q] = ds[t];
        src[q++] = t;
      }
    }
    for (let j = 0; j < K; j++) {
      vals[q] = lamK[j];
      src[q++] = -(j + 1);
    }
  }
  const order = argsortAscending(vals);
  const lam = new Float64Array(m);
  // U: rows = sorted coordinates t, columns = final eigenvalue order.
  const U = new Float64Array(m * m);
  for (let c = 0; c < m; c++) {
    const o = order[c];
    lam[c] = vals[o];
    const sidx = src[o];
    if (sidx >= 0) {
      U[sidx * m + c] = 1;
    } else {
      const j = -sidx - 1;
      for (let i = 0; i < K; i++) U[idx[i] * m + c] = Uk[i * K + j];
    }
  }
  // Undo the deflation rotations (last first): U ← G·U.
  for (let r = rotP.length - 1; r >= 0; r--) {
    const p = rotP[r] * m;
    const q = rotN[r] * m;
    const c = rotC[r];
    const s = rotS[r];
    for (let col = 0; col < m; col++) {
      const x = U[p + col];
      const y = U[q + col];
      U[p + col] = c * x - s * y;
      U[q + col] = s * x + c * y;
    }
  }
  // W = P·U (rows back to block coordinates), then Q = diag(Q₁, Q₂)·W by two gemms.
  const W = new Float64Array(m * m);
  for (let t = 0; t < m; t++) W.set(U.subarray(t * m, (t + 1) * m), perm[t] * m);
  const Q = new Float64Array(m * m);
  gemm(k, m, k, L.Q, W, Q, { lda: k, ldb: m, ldc: m });
  gemm(m2, m, m2, R.Q, W, Q, { lda: m2, bOffset: k * m, ldb: m, cOffset: k * m, ldc: m });
  return { lam, Q };
}

/**
 * Roots of 1 + ρ·Σ zᵢ²/(dᵢ − λ) (d strictly increasing, z ≠ 0, ρ > 0) and the unit eigenvectors of
 * diag(d) + ρ·z·zᵀ, with ẑ recomputed from the roots (Gu–Eisenstat) so the vectors are orthogonal.
 */
function secularVectors(
  d: Float64Array,
  z: Float64Array,
  K: number,
  rho: number,
  lam: Float64Array,
  U: Float64Array,
): void {
  let zz = 0;
  for (let i = 0; i < K; i++) zz += z[i] * z[i];
  const z2 = new Float64Array(K);
  for (let i = 0; i < K; i++) z2[i] = z[i] * z[i];
  const diff = new Float64Array(K);
  // delta[i*K + j] = d_i − λ_j computed as (d_i − d_origin(j)) − τ_j, accurately.
  const delta = U;
  for (let j = 0; j < K; j++) {
    let o: number;
    let lo: number;
    let hi: number;
    const last = j === K - 1;
    if (last) {
      o = j;
      lo = 0;
      hi = rho * zz;
    } else {
      const gap = d[j + 1] - d[j];
      // f at the midpoint decides which pole is nearer (f is increasing between the poles).
      const mid = 0.5 * gap;
      let f = 1;
      for (let i = 0; i < K; i++) f += (rho * z2[i]) / (d[i] - d[j] - mid);
      if (f >= 0) {
        o = j;
        lo = 0;
        hi = mid;
      } else {
        o = j + 1;
        lo = -mid;
        hi = 0;
      }
    }
    const dO = d[o];
    for (let i = 0; i < K; i++) diff[i] = d[i] - dO;
    const dl = diff[j];
    const dr = last ? Infinity : diff[j + 1];
    let tau = last ? 0.5 * hi : 0.5 * (lo + hi);
    for (let iter = 0; iter < 100; iter++) {
      let psi = 0;
      let dpsi = 0;
      let phi = 0;
      let dphi = 0;
      for (let i = 0; i <= j; i++) {
        const t = 1 / (diff[i] - tau);
        const w = rho * z2[i] * t;
        psi += w;
        dpsi += w * t;
      }
      for (let i = j + 1; i < K; i++) {
        const t = 1 / (diff[i] - tau);
        const w = rho * z2[i] * t;
        phi += w;
        dphi += w * t;
      }
      const f = 1 + psi + phi;
      if (f === 0) break;
      if (f < 0) lo = tau;
      else hi = tau;
      const err = EPS * (8 * (Math.abs(psi) + Math.abs(phi)) + 3 + Math.abs(tau) * (dpsi + dphi));
      if (Math.abs(f) <= err) break;
      // Two-pole rational model: ψ ≈ a_l + b_l/(δ_l − x), φ ≈ a_r + b_r/(δ_r − x).
      const Dl = dl - tau;
      const bl = dpsi * Dl * Dl;
      const al = psi - dpsi * Dl;
      let eta: number;
      if (last) {
        const c = 1 + al + phi;
        eta = c > 0 ? Dl + bl / c : NaN;
      } else {
        const Dr = dr - tau;
        const br = dphi * Dr * Dr;
        const ar = phi - dphi * Dr;
        const c = 1 + al + ar;
        const B = c * (Dl + Dr) + bl + br;
        const C = Dl * Dr * f;
        const disc = Math.sqrt(Math.max(0, B * B - 4 * c * C));
        const den = B >= 0 ? B + disc : B - disc;
        eta = den !== 0 ? (2 * C) / den : NaN;
      }
      let next = tau + eta;
      if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
      if (
        Math.abs(next - tau) <= 2 * EPS * Math.abs(next) ||
        hi - lo <= 4 * EPS * Math.max(Math.abs(lo), Math.abs(hi))
      ) {
        tau = next;
        break;
      }
      tau = next;
    }
    lam[j] = dO + tau;
    for (let i = 0; i < K; i++) delta[i * K + j] = diff[i] - tau;
  }
  // ẑᵢ² = (λᵢ − dᵢ)/ρ · Π_{k≠i} (λ_k − dᵢ)/(d_k − dᵢ)  (all factors positive by interlacing).
  const zh = new Float64Array(K);
  for (let i = 0; i < K; i++) {
    const row = i * K;
    let w = -delta[row + i] / rho;
    for (let q = 0; q < K; q++) {
      if (q === i) continue;
      w *= -delta[row + q] / (d[q] - d[i]);
    }
    const v = Math.sqrt(Math.abs(w));
    zh[i] = z[i] >= 0 ? v : -v;
  }
  // u_j ∝ ẑᵢ/(dᵢ − λ_j), normalised; written over delta (same storage as U).
  for (let j = 0; j < K; j++) {
    let s = 0;
    for (let i = 0; i < K; i++) {
      const v = zh[i] / delta[i * K + j];
      delta[i * K + j] = v;
      s += v * v;
    }
    const inv = 1 / Math.sqrt(s);
    for (let i = 0; i < K; i++) delta[i * K + j] *= inv;
  }
}
