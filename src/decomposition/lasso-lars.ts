/**
 * Lasso by least-angle regression (LARS with the lasso modification).
 *
 * Reference: Efron, Hastie, Johnstone & Tibshirani (2004), "Least angle regression", Ann. Statist.
 * 32(2) — §2 (the LARS step: move along the equiangular direction of the active set until an
 * inactive variable's correlation catches up) and §3.1 (lasso modification: drop a variable whose
 * coefficient would cross zero). Seed 004: the code of a signal over a fixed dictionary is a lasso
 * problem.
 *
 * Objective (scikit-learn's LassoLars scaling, no intercept):  1/(2n)‖y − Xw‖² + α‖w‖₁.
 * The path is followed exactly (piecewise linear in the correlation level C = max|xⱼᵀr|) and stopped
 * where C = nα, so the result is the exact lasso solution up to rounding — the same point
 * scikit-learn's LassoLars reaches, and the point coordinate descent converges to.
 *
 * Works from the Gram matrix G = XᵀX and Xᵀy only (lars_path_gram), which sparse coding over a fixed
 * dictionary forms once with a kernel product. The active-set system G_AA·w = s_A is re-factorised
 * by Cholesky at each step (|A| is small in sparse coding; scikit-learn updates it in place).
 */
import { ValidationError } from '../core/errors.js';
import { type MatrixLike } from '../core/matrix.js';
import { toMatrix, toVector } from '../core/validate.js';
import { gemm } from '../kernels/index.js';
import { type F64Matrix } from './_shared.js';

export interface LassoLarsOptions {
  /** α ≥ 0 of 1/(2n)‖y − Xw‖² + α‖w‖₁. Default 1. */
  alpha?: number;
  /** Maximum LARS steps (additions + drops). Default 500. */
  maxIter?: number;
  /** Constrain w ≥ 0 (only positive correlations enter). Default false. */
  positive?: boolean;
}

export interface LassoLarsResult {
  coef: Float64Array;
  /** Active variables at the end, in order of entry. */
  active: Int32Array;
  nIter: number;
}

/** Solves (L Lᵀ) x = b for lower-triangular L (m × m, leading dim ld) in place on x. */
function cholSolve(L: Float64Array, ld: number, m: number, x: Float64Array): void {
  for (let i = 0; i < m; i++) {
    let s = x[i]!;
    for (let p = 0; p < i; p++) s -= L[i * ld + p]! * x[p]!;
    x[i] = s / L[i * ld + i]!;
  }
  for (let i = m - 1; i >= 0; i--) {
    let s = x[i]!;
    for (let p = i + 1; p < m; p++) s -= L[p * ld + i]! * x[p]!;
    x[i] = s / L[i * ld + i]!;
  }
}

/**
 * Inner routine. G: p × p Gram (row-major), Xy: correlations Xᵀy (read at Xy[xyOff + j]), l1: the
 * target correlation level (nα in the 1/(2n) scaling; λ for ½‖·‖² + λ‖·‖₁). Writes the solution to
 * w[wOff .. wOff + p). Returns the number of steps and the final active set.
 */
/** Buffers of lassoLarsGram, allocated once for many solves over one Gram matrix. */
export class LarsWorkspace {
  readonly c: Float64Array;
  readonly inA: Uint8Array;
  readonly L: Float64Array;
  readonly sol: Float64Array;
  readonly dA: Float64Array;
  readonly a: Float64Array;
  readonly A: Int32Array;
  constructor(readonly p: number) {
    this.c = new Float64Array(p);
    this.inA = new Uint8Array(p);
    this.L = new Float64Array(p * p);
    this.sol = new Float64Array(p);
    this.dA = new Float64Array(p);
    this.a = new Float64Array(p);
    this.A = new Int32Array(p);
  }
}

export function lassoLarsGram(
  G: Float64Array,
  Xy: Float64Array,
  xyOff: number,
  p: number,
  l1: number,
  maxIter: number,
  positive: boolean,
  w: Float64Array,
  wOff: number,
  ws: LarsWorkspace = new LarsWorkspace(p),
): { nIter: number; active: Int32Array } {
  const { c, inA, L, sol, dA, a } = ws; // c: current correlations Xᵀ(y − Xw)
  for (let j = 0; j < p; j++) {
    c[j] = Xy[xyOff + j]!;
    w[wOff + j] = 0;
    inA[j] = 0;
  }
  const A: number[] = [];
  const maxActive = p;
  const tiny = 1e-14;

  // Variable entering first.
  let C = 0;
  let jin = -1;
  for (let j = 0; j < p; j++) {
    const v = positive ? c[j]! : Math.abs(c[j]!);
    if (v > C) {
      C = v;
      jin = j;
    }
  }
  if (jin < 0 || C <= l1) return { nIter: 0, active: new Int32Array(0) };
  A.push(jin);
  inA[jin] = 1;
  let it = 0;
  while (it < maxIter) {
    it++;
    const m = A.length;
    // Cholesky of G_AA and the equiangular direction: G_AA·w = s_A, A_A = (s_Aᵀ w)^(-1/2).
    let ok = true;
    for (let r = 0; r < m && ok; r++) {
      for (let q = 0; q <= r; q++) {
        let s = G[A[r]! * p + A[q]!]!;
        for (let t = 0; t < q; t++) s -= L[r * maxActive + t]! * L[q * maxActive + t]!;
        if (r === q) {
          if (!(s > tiny * Math.max(1, G[A[r]! * p + A[r]!]!))) ok = false;
          else L[r * maxActive + r] = Math.sqrt(s);
        } else L[r * maxActive + q] = s / L[q * maxActive + q]!;
      }
    }
    if (!ok) {
      // The entering variable is (numerically) a combination of the active ones: remove it and stop.
      const last = A.pop()!;
      inA[last] = 0;
      break;
    }
    for (let r = 0; r < m; r++) sol[r] = c[A[r]!]! >= 0 ? 1 : -1;
    cholSolve(L, maxActive, m, sol);
    let ssum = 0;
    for (let r = 0; r < m; r++) ssum += (c[A[r]!]! >= 0 ? 1 : -1) * sol[r]!;
    const AA = 1 / Math.sqrt(ssum);
    for (let r = 0; r < m; r++) dA[r] = AA * sol[r]!;
    // a = G[:, A]·d_A (correlation change per unit step)
    for (let j = 0; j < p; j++) {
      let s = 0;
      for (let r = 0; r < m; r++) s += G[j * p + A[r]!]! * dA[r]!;
      a[j] = s;
    }
    // Step to the next entering variable.
    let gamma = C / AA; // all correlations reach 0
    let enter = -1;
    for (let j = 0; j < p; j++) {
      if (inA[j]) continue;
      const g1 = (C - c[j]!) / (AA - a[j]!);
      if (g1 > tiny && g1 < gamma) {
        gamma = g1;
        enter = j;
      }
      if (!positive) {
        const g2 = (C + c[j]!) / (AA + a[j]!);
        if (g2 > tiny && g2 < gamma) {
          gamma = g2;
          enter = j;
        }
      }
    }
    // Lasso modification: a coefficient crossing zero leaves the active set.
    let drop = -1;
    for (let r = 0; r < m; r++) {
      const wj = w[wOff + A[r]!]!;
      if (dA[r] === 0 || wj === 0) continue;
      const g = -wj / dA[r]!;
      if (g > tiny && g < gamma) {
        gamma = g;
        drop = r;
        enter = -1;
      }
    }
    // Stop where the correlation level reaches the target.
    let done = false;
    if (C - gamma * AA <= l1) {
      gamma = (C - l1) / AA;
      done = true;
      drop = -1;
      enter = -1;
    }
    for (let r = 0; r < m; r++) w[wOff + A[r]!] += gamma * dA[r]!;
    for (let j = 0; j < p; j++) c[j] -= gamma * a[j]!;
    C -= gamma * AA;
    if (done) break;
    if (drop >= 0) {
      const j = A[drop]!;
      w[wOff + j] = 0;
      inA[j] = 0;
      A.splice(drop, 1);
      if (A.length === 0) break;
    } else if (enter >= 0) {
      if (A.length >= maxActive) break;
      A.push(enter);
      inA[enter] = 1;
    } else {
      break; // full least-squares solution reached (C → 0)
    }
  }
  return { nIter: it, active: Int32Array.from(A) };
}

/**
 * Lasso by LARS: argmin_w 1/(2n)‖y − Xw‖² + α‖w‖₁ (no intercept).
 *
 * @example const { coef, active } = lassoLars(X, y, { alpha: 0.05 });
 */
export function lassoLars(
  X: MatrixLike,
  y: ArrayLike<number>,
  options: LassoLarsOptions = {},
): LassoLarsResult {
  const M = toMatrix(X, 'X') as F64Matrix;
  const { rows: n, cols: p } = M;
  const yv = toVector(y, 'y', n);
  const alpha = options.alpha ?? 1;
  const maxIter = options.maxIter ?? 500;
  if (!(alpha >= 0) || !Number.isFinite(alpha))
    throw new ValidationError(`alpha must be a finite number >= 0; got ${alpha}`);
  if (!Number.isInteger(maxIter) || maxIter < 1)
    throw new ValidationError(`maxIter must be an integer >= 1; got ${maxIter}`);
  const G = new Float64Array(p * p);
  gemm(p, p, n, M.data, M.data, G, { transA: true });
  const Xy = new Float64Array(p);
  gemm(p, 1, n, M.data, yv, Xy, { transA: true });
  const w = new Float64Array(p);
  const r = lassoLarsGram(G, Xy, 0, p, alpha * n, maxIter, options.positive ?? false, w, 0);
  return { coef: w, active: r.active, nIter: r.nIter };
}
