/**
 * Initial embeddings for the neighbour embeddings: PCA scores scaled so that the first column has
 * standard deviation 1e-4 (openTSNE and scikit-learn >= 1.2 'pca' initialisation; Kobak & Linderman
 * 2021, "Initialization is critical for preserving global data structure"), or N(0, 1e-4²) noise.
 *
 * The scores come from src/decomposition's PCA (scikit-learn's sign convention); `pcaScores` below
 * (covariance by the `syrk` kernel, subspace iteration) is kept as the dependency-free fallback for
 * degenerate inputs.
 */
import { syrk } from '../kernels/index.js';
import { Rng } from '../core/rng.js';
import { Matrix } from '../core/matrix.js';
import { PCA } from '../decomposition/index.js';

/** Top-c principal-component scores of X (n × d), rows centred. */
export function pcaScores(X: Float64Array, n: number, d: number, c: number): Float64Array {
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j]! += X[i * d + j]!;
  for (let j = 0; j < d; j++) mean[j]! /= n;
  const Xc = new Float64Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) Xc[i * d + j] = X[i * d + j]! - mean[j]!;
  const C = new Float64Array(d * d);
  syrk(n, d, Xc, C);
  const k = Math.min(c, d);
  // subspace iteration on C with a few extra vectors for faster convergence
  const b = Math.min(d, k + 4);
  let V = new Float64Array(d * b);
  const rng = new Rng(12345);
  for (let t = 0; t < d * b; t++) V[t] = rng.normal();
  const W = new Float64Array(d * b);
  for (let it = 0; it < 200; it++) {
    // W = C V
    W.fill(0);
    for (let r = 0; r < d; r++) {
      for (let s = 0; s < d; s++) {
        const cv = C[r * d + s]!;
        if (cv === 0) continue;
        for (let q = 0; q < b; q++) W[r * b + q]! += cv * V[s * b + q]!;
      }
    }
    orthonormalise(W, d, b);
    let change = 0;
    for (let q = 0; q < k; q++) {
      let dot = 0;
      for (let r = 0; r < d; r++) dot += W[r * b + q]! * V[r * b + q]!;
      change = Math.max(change, 1 - Math.abs(dot));
    }
    const tmp = V;
    V = W.slice();
    W.set(tmp);
    if (change < 1e-12) break;
  }
  // Rayleigh-Ritz on the block would sort components; subspace iteration already orders them by
  // eigenvalue magnitude for a PSD matrix, which is what we need for an initialisation.
  const out = new Float64Array(n * c);
  for (let q = 0; q < k; q++) {
    let big = 0;
    for (let r = 0; r < d; r++) if (Math.abs(V[r * b + q]!) > Math.abs(big)) big = V[r * b + q]!;
    const sgn = big < 0 ? -1 : 1;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let r = 0; r < d; r++) s += Xc[i * d + r]! * V[r * b + q]!;
      out[i * c + q] = sgn * s;
    }
  }
  return out;
}

function orthonormalise(W: Float64Array, d: number, b: number): void {
  for (let q = 0; q < b; q++) {
    for (let pass = 0; pass < 2; pass++) {
      for (let r = 0; r < q; r++) {
        let dot = 0;
        for (let t = 0; t < d; t++) dot += W[t * b + q]! * W[t * b + r]!;
        for (let t = 0; t < d; t++) W[t * b + q]! -= dot * W[t * b + r]!;
      }
    }
    let nrm = 0;
    for (let t = 0; t < d; t++) nrm += W[t * b + q]! * W[t * b + q]!;
    nrm = Math.sqrt(nrm);
    if (nrm === 0) {
      // a rank-deficient direction: any unit vector orthogonal to the rest will do
      W[(q % d) * b + q] = 1;
      continue;
    }
    for (let t = 0; t < d; t++) W[t * b + q]! /= nrm;
  }
}

/** Scales columns so that column 0 has standard deviation `target` (all columns by the same factor). */
export function scaleToStd(Y: Float64Array, n: number, c: number, target = 1e-4): void {
  let mean = 0;
  for (let i = 0; i < n; i++) mean += Y[i * c]!;
  mean /= n;
  let v = 0;
  for (let i = 0; i < n; i++) v += (Y[i * c]! - mean) ** 2;
  const std = Math.sqrt(v / n);
  const f = std > 0 ? target / std : 1;
  for (let t = 0; t < n * c; t++) Y[t]! *= f;
}

/** 'pca' or 'random' initial embedding (n × c). */
export function initialEmbedding(
  X: Float64Array,
  n: number,
  d: number,
  c: number,
  kind: 'pca' | 'random',
  seed: number,
): Float64Array {
  if (kind === 'pca' && d >= 1 && n >= 2) {
    let Y: Float64Array;
    const k = Math.min(c, d, n);
    try {
      const S = new PCA({ nComponents: k, seed }).fitTransform(new Matrix(X, n, d)).data as Float64Array;
      Y = new Float64Array(n * c);
      for (let i = 0; i < n; i++) for (let q = 0; q < k; q++) Y[i * c + q] = S[i * k + q]!;
    } catch {
      Y = pcaScores(X, n, d, c);
    }
    let allZero = true;
    for (let t = 0; t < Y.length; t++) if (Y[t] !== 0) allZero = false;
    if (!allZero) {
      scaleToStd(Y, n, c, 1e-4);
      // columns beyond the rank of X (d < c) get small noise so the map can open up
      if (k < c) {
        const rng = new Rng(seed, 5);
        for (let i = 0; i < n; i++) for (let q = k; q < c; q++) Y[i * c + q] = rng.normal(0, 1e-4);
      }
      return Y;
    }
  }
  const rng = new Rng(seed, 3);
  const Y = new Float64Array(n * c);
  rng.fillNormal(Y, 0, 1e-4);
  return Y;
}
