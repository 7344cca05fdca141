/**
 * Lasso by cyclic coordinate descent.
 *
 * Reference: Friedman, Hastie & Tibshirani (2010), "Regularization paths for generalized linear
 * models via coordinate descent", J. Stat. Softw. 33(1); seed 004, "Sparse coding": for a fixed
 * dictionary the code of each signal solves a lasso problem (Tibshirani 1996).
 *
 * Objective (scikit-learn's Lasso scaling, no intercept):
 *   min_w  1/(2n)·‖y − Xw‖² + α‖w‖₁          (X: n × p)
 * Internally the equivalent ½‖y − Xw‖² + (nα)‖w‖₁ is solved, each coordinate by soft
 * thresholding  w_j ← S(x_jᵀr_j, nα)/‖x_j‖², as scikit-learn's cd_fast.enet_coordinate_descent,
 * with its stopping rule: when the largest coordinate change is below tol × the largest |w_j| (or at
 * the last iteration), the duality gap is computed and the run stops when gap < tol·‖y‖².
 *
 * `lassoGramCd` solves the same problem from the Gram matrix G = XᵀX and q = Xᵀy only (scikit-learn's
 * enet_coordinate_descent_gram), which is what sparse coding of many signals over one dictionary
 * needs: G is formed once with a kernel product.
 */
import { ValidationError } from '../core/errors.js';
import { type MatrixLike } from '../core/matrix.js';
import { toMatrix, toVector } from '../core/validate.js';
import { type F64Matrix } from './_shared.js';

export interface LassoOptions {
  /** Regularisation α ≥ 0 of 1/(2n)‖y − Xw‖² + α‖w‖₁. Default 1. */
  alpha?: number;
  /** Maximum passes over the coordinates. Default 1000. */
  maxIter?: number;
  /** Tolerance (duality gap relative to ‖y‖², and coordinate change relative to max|w|). Default 1e-4. */
  tol?: number;
  /** Constrain w ≥ 0. Default false. */
  positive?: boolean;
  /** Warm start (length p). */
  init?: ArrayLike<number>;
}

export interface LassoResult {
  coef: Float64Array;
  nIter: number;
  /** Duality gap at the end, in the 1/(2n) scaling of the objective. */
  dualGap: number;
  converged: boolean;
}

function soft(v: number, t: number): number {
  return v > t ? v - t : v < -t ? v + t : 0;
}

/** Inner routine: X row-major n × p (column access by stride), validated. `w` is updated in place. */
export function lassoCdInPlace(
  X: Float64Array,
  n: number,
  p: number,
  y: Float64Array,
  w: Float64Array,
  l1: number,
  maxIter: number,
  tol: number,
  positive: boolean,
): { nIter: number; gap: number; converged: boolean } {
  const colNorm = new Float64Array(p);
  for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) colNorm[j] += X[i * p + j]! ** 2;
  const R = new Float64Array(n);
  let yy = 0;
  for (let i = 0; i < n; i++) {
    let s = y[i]!;
    for (let j = 0; j < p; j++) s -= X[i * p + j]! * w[j]!;
    R[i] = s;
    yy += y[i]! * y[i]!;
  }
  if (yy === 0) {
    // y = 0: w = 0 is the solution (the relative gap test below could never pass).
    w.fill(0);
    return { nIter: 0, gap: 0, converged: true };
  }
  const gapTol = tol * yy;
  let gap = tol + 1;
  let it = 0;
  let converged = false;
  for (; it < maxIter; it++) {
    let wMax = 0;
    let dMax = 0;
    for (let j = 0; j < p; j++) {
      const nj = colNorm[j]!;
      if (nj === 0) continue;
      const wj = w[j]!;
      let tmp = 0;
      if (wj !== 0) for (let i = 0; i < n; i++) R[i] += wj * X[i * p + j]!;
      for (let i = 0; i < n; i++) tmp += X[i * p + j]! * R[i]!;
      const nw = positive && tmp < 0 ? 0 : soft(tmp, l1) / nj;
      w[j] = nw;
      if (nw !== 0) for (let i = 0; i < n; i++) R[i] -= nw * X[i * p + j]!;
      const dw = Math.abs(nw - wj);
      if (dw > dMax) dMax = dw;
      if (Math.abs(nw) > wMax) wMax = Math.abs(nw);
    }
    if (wMax === 0 || dMax / wMax < tol || it === maxIter - 1) {
      let dual = 0;
      let rr = 0;
      let ry = 0;
      let l1n = 0;
      for (let i = 0; i < n; i++) {
        rr += R[i]! * R[i]!;
        ry += R[i]! * y[i]!;
      }
      for (let j = 0; j < p; j++) {
        let s = 0;
        for (let i = 0; i < n; i++) s += X[i * p + j]! * R[i]!;
        const a = positive ? s : Math.abs(s);
        if (a > dual) dual = a;
        l1n += Math.abs(w[j]!);
      }
      gap = dualityGap(rr, ry, dual, l1, l1n);
      if (gap < gapTol) {
        converged = true;
        it++;
        break;
      }
    }
  }
  return { nIter: Math.min(it, maxIter), gap, converged };
}

/**
 * Gram-matrix coordinate descent for ½‖y − Xw‖² + l1‖w‖₁ given G = XᵀX (p × p, row-major),
 * q = Xᵀy and yy = ‖y‖². `w` (warm start) is updated in place; `H` is a length-p scratch buffer.
 */
export function lassoGramCdInPlace(
  G: Float64Array,
  q: Float64Array,
  qOff: number,
  yy: number,
  p: number,
  w: Float64Array,
  wOff: number,
  l1: number,
  maxIter: number,
  tol: number,
  positive: boolean,
  H: Float64Array,
): { nIter: number; gap: number; converged: boolean } {
  if (yy === 0) {
    for (let j = 0; j < p; j++) w[wOff + j] = 0;
    return { nIter: 0, gap: 0, converged: true };
  }
  // H = G w
  for (let a = 0; a < p; a++) {
    let s = 0;
    for (let b = 0; b < p; b++) s += G[a * p + b]! * w[wOff + b]!;
    H[a] = s;
  }
  const gapTol = tol * yy;
  let gap = tol + 1;
  let it = 0;
  let converged = false;
  for (; it < maxIter; it++) {
    let wMax = 0;
    let dMax = 0;
    for (let j = 0; j < p; j++) {
      const gjj = G[j * p + j]!;
      if (gjj === 0) continue;
      const wj = w[wOff + j]!;
      if (wj !== 0) for (let b = 0; b < p; b++) H[b] -= wj * G[j * p + b]!;
      const tmp = q[qOff + j]! - H[j]!;
      const nw = positive && tmp < 0 ? 0 : soft(tmp, l1) / gjj;
      w[wOff + j] = nw;
      if (nw !== 0) for (let b = 0; b < p; b++) H[b] += nw * G[j * p + b]!;
      const dw = Math.abs(nw - wj);
      if (dw > dMax) dMax = dw;
      if (Math.abs(nw) > wMax) wMax = Math.abs(nw);
    }
    if (wMax === 0 || dMax / wMax < tol || it === maxIter - 1) {
      // R = y − Xw:  ‖R‖² = yy − 2wᵀq + wᵀGw,  Rᵀy = yy − wᵀq,  XᵀR = q − H.
      let wq = 0;
      let wH = 0;
      let dual = 0;
      let l1n = 0;
      for (let j = 0; j < p; j++) {
        const wj = w[wOff + j]!;
        wq += wj * q[qOff + j]!;
        wH += wj * H[j]!;
        const xr = q[qOff + j]! - H[j]!;
        const a = positive ? xr : Math.abs(xr);
        if (a > dual) dual = a;
        l1n += Math.abs(wj);
      }
      const rr = Math.max(0, yy - 2 * wq + wH);
      const ry = yy - wq;
      gap = dualityGap(rr, ry, dual, l1, l1n);
      if (gap < gapTol) {
        converged = true;
        it++;
        break;
      }
    }
  }
  return { nIter: Math.min(it, maxIter), gap, converged };
}

/**
 * Lasso by coordinate descent: argmin_w 1/(2n)‖y − Xw‖² + α‖w‖₁ (no intercept; centre X and y
 * first if you need one).
 *
 * @example const { coef } = lassoCd(X, y, { alpha: 0.1 });
 */
export function lassoCd(X: MatrixLike, y: ArrayLike<number>, options: LassoOptions = {}): LassoResult {
  const M = toMatrix(X, 'X') as F64Matrix;
  const { rows: n, cols: p } = M;
  const yv = toVector(y, 'y', n);
  const alpha = options.alpha ?? 1;
  const maxIter = options.maxIter ?? 1000;
  const tol = options.tol ?? 1e-4;
  if (!(alpha >= 0) || !Number.isFinite(alpha))
    throw new ValidationError(`alpha must be a finite number >= 0; got ${alpha}`);
  if (!Number.isInteger(maxIter) || maxIter < 1)
    throw new ValidationError(`maxIter must be an integer >= 1; got ${maxIter}`);
  if (!(tol >= 0)) throw new ValidationError(`tol must be >= 0; got ${tol}`);
  const w = options.init ? toVector(options.init, 'init', p) : new Float64Array(p);
  const Xd = M.contiguous().data;
  const r = lassoCdInPlace(Xd, n, p, yv, w, alpha * n, maxIter, tol, options.positive ?? false);
  // The gap is reported in the 1/(2n) scaling of the objective, as scikit-learn's dual_gap_.
  return { coef: w, nIter: r.nIter, dualGap: r.gap / n, converged: r.converged };
}

/**
 * Lasso duality gap as scikit-learn's cd_fast: with residual r (‖r‖² = rr, ⟨r, y⟩ = ry) and
 * dual = ‖Xᵀr‖∞, the dual point r·min(1, l1/dual) gives
 * gap = ½(‖r‖² + ‖c·r‖²) + l1‖w‖₁ − c⟨r, y⟩ (c = 1 when dual ≤ l1).
 */
function dualityGap(rr: number, ry: number, dual: number, l1: number, l1n: number): number {
  const c = dual > l1 ? l1 / dual : 1;
  return 0.5 * (rr + rr * c * c) + l1 * l1n - c * ry;
}
