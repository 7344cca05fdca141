/**
 * Orthogonal matching pursuit for the ℓ0 problem.
 *
 * Reference: Pati, Rezaiifar & Krishnaprasad (1993), "Orthogonal matching pursuit"; Rubinstein,
 * Zibulevsky & Elad (2008), "Efficient implementation of the K-SVD algorithm using batch orthogonal
 * matching pursuit" (Batch-OMP: the Gram form with a growing Cholesky factor). Seed 004, "ℓ0
 * regularization": for the final reconstruction step solve
 *   min_z ‖z‖₀  s.t. ‖x − Wz‖² ≤ ε     (by tolerance), or  min_z ‖x − Wz‖²  s.t. ‖z‖₀ ≤ K.
 *
 * Greedy: pick the atom most correlated with the residual, re-fit all chosen coefficients by least
 * squares (Cholesky factor of the chosen atoms' Gram matrix, extended by one row per step), repeat.
 * Follows scikit-learn's orthogonal_mp_gram step for step (including its row/column swaps, which
 * decide ties), so support sets equal scikit-learn's. Stops early, as scikit-learn (with a
 * warning there), when an atom is chosen twice or the chosen atoms become linearly dependent.
 */
import { ValidationError } from '../core/errors.js';
import { type MatrixLike } from '../core/matrix.js';
import { toMatrix, toVector } from '../core/validate.js';
import { gemm } from '../kernels/index.js';
import { type F64Matrix } from './_shared.js';

export interface OmpOptions {
  /** Target number of non-zero coefficients; default max(⌊p/10⌋, 1) when tol is not given. */
  nNonzeroCoefs?: number;
  /** Target squared residual norm ε; overrides nNonzeroCoefs. */
  tol?: number;
}

export interface OmpResult {
  coef: Float64Array;
  /** Chosen atoms in order of selection. */
  support: Int32Array;
  /** True when it stopped before reaching the target (atom chosen twice or dependent atoms). */
  earlyStop: boolean;
}

/** Reusable buffers for many OMP solves over one Gram matrix. */
export class OmpWorkspace {
  readonly G: Float64Array;
  readonly xy: Float64Array;
  readonly alpha: Float64Array;
  readonly beta: Float64Array;
  readonly gamma: Float64Array;
  readonly L: Float64Array;
  readonly idx: Int32Array;
  readonly ld: number;
  constructor(
    readonly p: number,
    maxFeatures: number,
  ) {
    this.G = new Float64Array(p * p);
    this.xy = new Float64Array(p);
    this.alpha = new Float64Array(p);
    this.beta = new Float64Array(p);
    this.gamma = new Float64Array(maxFeatures);
    this.ld = Math.max(1, maxFeatures);
    this.L = new Float64Array(this.ld * this.ld);
    this.idx = new Int32Array(p);
  }
}

/**
 * One OMP solve from the Gram matrix G0 (p × p, not modified), correlations Xy0 = Xᵀy (read at
 * offset), and ‖y‖² (for the tolerance rule). Writes the coefficients into coef[cOff .. cOff+p)
 * (zeros elsewhere). Exactly scikit-learn's _gram_omp.
 */
export function ompGramSolve(
  ws: OmpWorkspace,
  G0: Float64Array,
  Xy0: Float64Array,
  xyOff: number,
  normSq: number,
  nNonzero: number,
  tol: number | undefined,
  coef: Float64Array,
  cOff: number,
): { nActive: number; earlyStop: boolean; support: Int32Array } {
  const p = ws.p;
  const { G, xy: Xy, alpha, beta, gamma, L, idx, ld } = ws;
  G.set(G0.subarray(0, p * p));
  for (let j = 0; j < p; j++) {
    Xy[j] = Xy0[xyOff + j]!;
    alpha[j] = Xy[j]!;
    idx[j] = j;
  }
  const minFloat = 2.220446049250313e-16;
  const maxFeatures = tol !== undefined ? p : nNonzero;
  let tolCurr = normSq;
  let delta = 0;
  let nActive = 0;
  let earlyStop = false;
  for (;;) {
    let lam = 0;
    let best = -1;
    for (let j = 0; j < p; j++) {
      const v = Math.abs(alpha[j]!);
      if (v > best) {
        best = v;
        lam = j;
      }
    }
    if (lam < nActive || alpha[lam]! * alpha[lam]! < minFloat) {
      earlyStop = true;
      break;
    }
    if (nActive > 0) {
      // L[nActive, :nActive] = solve(L, G[lam, :nActive])
      for (let t = 0; t < nActive; t++) {
        let s = G[lam * p + t]!;
        for (let q = 0; q < t; q++) s -= L[t * ld + q]! * L[nActive * ld + q]!;
        L[nActive * ld + t] = s / L[t * ld + t]!;
      }
      let v = 0;
      for (let t = 0; t < nActive; t++) v += L[nActive * ld + t]! ** 2;
      const Lkk = G[lam * p + lam]! - v;
      if (Lkk <= minFloat) {
        earlyStop = true;
        break;
      }
      L[nActive * ld + nActive] = Math.sqrt(Lkk);
    } else {
      L[0] = Math.sqrt(G[lam * p + lam]!);
    }
    // Swap row and column nActive <-> lam in G, and the entries of Xy and idx.
    if (lam !== nActive) {
      const a = nActive;
      for (let t = 0; t < p; t++) {
        const x = G[a * p + t]!;
        G[a * p + t] = G[lam * p + t]!;
        G[lam * p + t] = x;
      }
      for (let t = 0; t < p; t++) {
        const x = G[t * p + a]!;
        G[t * p + a] = G[t * p + lam]!;
        G[t * p + lam] = x;
      }
      let x = Xy[a]!;
      Xy[a] = Xy[lam]!;
      Xy[lam] = x;
      x = idx[a]!;
      idx[a] = idx[lam]!;
      idx[lam] = x;
    }
    nActive++;
    // gamma = (L Lᵀ)⁻¹ Xy[:nActive]
    for (let t = 0; t < nActive; t++) {
      let s = Xy[t]!;
      for (let q = 0; q < t; q++) s -= L[t * ld + q]! * gamma[q]!;
      gamma[t] = s / L[t * ld + t]!;
    }
    for (let t = nActive - 1; t >= 0; t--) {
      let s = gamma[t]!;
      for (let q = t + 1; q < nActive; q++) s -= L[q * ld + t]! * gamma[q]!;
      gamma[t] = s / L[t * ld + t]!;
    }
    // beta = G[:, :nActive]·gamma ; alpha = Xy − beta
    for (let j = 0; j < p; j++) {
      let s = 0;
      for (let t = 0; t < nActive; t++) s += G[j * p + t]! * gamma[t]!;
      beta[j] = s;
      alpha[j] = Xy[j]! - s;
    }
    if (tol !== undefined) {
      tolCurr += delta;
      delta = 0;
      for (let t = 0; t < nActive; t++) delta += gamma[t]! * beta[t]!;
      tolCurr -= delta;
      if (Math.abs(tolCurr) <= tol) break;
    } else if (nActive === maxFeatures) break;
    if (nActive === p) break;
  }
  for (let j = 0; j < p; j++) coef[cOff + j] = 0;
  const support = new Int32Array(nActive);
  for (let t = 0; t < nActive; t++) {
    coef[cOff + idx[t]!] = gamma[t]!;
    support[t] = idx[t]!;
  }
  return { nActive, earlyStop, support };
}

function resolveTarget(p: number, o: OmpOptions): { k: number; tol: number | undefined } {
  if (o.tol !== undefined) {
    if (!(o.tol >= 0) || !Number.isFinite(o.tol))
      throw new ValidationError(`tol must be a finite number >= 0; got ${o.tol}`);
    return { k: p, tol: o.tol };
  }
  const k = o.nNonzeroCoefs ?? Math.max(Math.floor(0.1 * p), 1);
  if (!Number.isInteger(k) || k < 1)
    throw new ValidationError(`nNonzeroCoefs must be an integer >= 1; got ${k}`);
  if (k > p) throw new ValidationError(`nNonzeroCoefs=${k} must be <= nFeatures=${p}`);
  return { k, tol: undefined };
}

/**
 * OMP over the columns of X (n × p): y ≈ X·coef with few non-zeros.
 *
 * @example const { coef, support } = orthogonalMp(D, x, { nNonzeroCoefs: 5 });
 */
export function orthogonalMp(X: MatrixLike, y: ArrayLike<number>, options: OmpOptions = {}): OmpResult {
  const M = toMatrix(X, 'X') as F64Matrix;
  const { rows: n, cols: p } = M;
  const yv = toVector(y, 'y', n);
  const { k, tol } = resolveTarget(p, options);
  const G = new Float64Array(p * p);
  gemm(p, p, n, M.data, M.data, G, { transA: true });
  const Xy = new Float64Array(p);
  gemm(p, 1, n, M.data, yv, Xy, { transA: true });
  let yy = 0;
  for (let i = 0; i < n; i++) yy += yv[i]! * yv[i]!;
  const ws = new OmpWorkspace(p, tol !== undefined ? p : k);
  const coef = new Float64Array(p);
  const r = ompGramSolve(ws, G, Xy, 0, yy, k, tol, coef, 0);
  return { coef, support: r.support, earlyStop: r.earlyStop };
}

/** OMP from the Gram matrix G = XᵀX (p × p), Xy = Xᵀy and, for `tol`, normSquared = ‖y‖². */
export function orthogonalMpGram(
  G: MatrixLike,
  Xy: ArrayLike<number>,
  options: OmpOptions & { normSquared?: number } = {},
): OmpResult {
  const Gm = toMatrix(G, 'G') as F64Matrix;
  const p = Gm.rows;
  if (Gm.cols !== p) throw new ValidationError(`G must be square; got ${Gm.rows}x${Gm.cols}`);
  const xy = toVector(Xy, 'Xy', p);
  const { k, tol } = resolveTarget(p, options);
  if (tol !== undefined && options.normSquared === undefined) {
    throw new ValidationError('orthogonalMpGram with tol needs normSquared = ‖y‖²');
  }
  const ws = new OmpWorkspace(p, tol !== undefined ? p : k);
  const coef = new Float64Array(p);
  const r = ompGramSolve(ws, Gm.data, xy, 0, options.normSquared ?? 0, k, tol, coef, 0);
  return { coef, support: r.support, earlyStop: r.earlyStop };
}
