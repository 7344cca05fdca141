/**
 * A few eigenpairs of a symmetric linear operator given only as y = A·x (matrix-free): the Lanczos
 * process with full re-orthogonalisation and thick restarts (Golub & Van Loan §10.1–10.3; Wu &
 * Simon 2000, "Thick-restart Lanczos method for large symmetric eigenvalue problems", SIAM J.
 * Matrix Anal. Appl. 22(2); the same role as ARPACK's dsaupd behind scipy.sparse.linalg.eigsh).
 *
 * Each cycle extends an orthonormal Krylov basis V to ncv vectors (every new vector is orthogonalised
 * twice against all previous ones, classical Gram–Schmidt "twice is enough", so no ghost copies),
 * takes the Ritz pairs of H = Vᵀ·A·V, and stops when the wanted ones have residual
 * ‖A·x − θ·x‖ = |β·y_last| ≤ tol·max(|θ|, ε‖H‖). Otherwise it keeps the k + (ncv − k)/2 Ritz vectors
 * nearest the wanted end plus the residual direction and continues (thick restart: H becomes
 * diagonal + one arrow row, which the full Gram–Schmidt recomputes exactly). When all k have
 * converged, one more cycle starts from a random direction orthogonal to them, because a single
 * Krylov sequence cannot see a second copy of a repeated eigenvalue (e.g. the zero eigenvalue of a
 * disconnected graph's Laplacian); ARPACK has no such check and can miss multiplicities.
 *
 * which: 'largest' / 'smallest' mean algebraically largest/smallest (scipy's 'LA'/'SA'). For the
 * smallest eigenvalues of a graph Laplacian or the LLE matrix, pass a shift-inverted operator and
 * ask for the largest (much faster convergence).
 */
import { NumericalError, ValidationError } from '../core/errors.js';
import { Matrix } from '../core/matrix.js';
import { Rng } from '../core/rng.js';
import { gemm } from '../kernels/index.js';
import { eighDense } from './eigh.js';
import { flipColumnSigns, optionsObject } from './util.js';

export interface EigshOptions {
  /** Which end of the spectrum (default 'largest'). */
  which?: 'largest' | 'smallest';
  /** Relative residual tolerance (default 1e-10). */
  tol?: number;
  /** Maximum number of restart cycles (default 300). */
  maxIter?: number;
  /** Seed of the random start vector (default 0). */
  seed?: number;
  /** Krylov basis size per cycle (default min(n, max(2k + 1, k + 20))). */
  ncv?: number;
  /** Start vector (length n), instead of a seeded random one. */
  v0?: Float64Array;
}

export interface EigshResult {
  /** The k eigenvalues, ascending. */
  values: Float64Array;
  /** n×k, column j is the unit eigenvector of values[j] (largest-|entry| positive). */
  vectors: Matrix<Float64Array>;
  /** Restart cycles used. */
  nIter: number;
  /** Operator applications used. */
  nMatvec: number;
}

/**
 * k eigenpairs of the symmetric operator `op` (op(x, y) must write A·x into y; it must not keep x).
 * Throws NumericalError if they do not converge within maxIter cycles.
 * @example const { values } = eigsh((x, y) => laplacianTimes(x, y), n, 5, { which: 'largest' });
 */
export function eigsh(
  op: (x: Float64Array, y: Float64Array) => void,
  n: number,
  k: number,
  options?: EigshOptions,
): EigshResult {
  const opts = optionsObject(options, 'eigsh');
  if (typeof op !== 'function')
    throw new ValidationError('op must be a function (x, y) => void writing A·x into y');
  if (!Number.isInteger(n) || n < 1) throw new ValidationError(`n must be an integer >= 1; got ${n}`);
  if (!Number.isInteger(k) || k < 1 || k > n)
    throw new ValidationError(`k must be an integer in [1, n = ${n}]; got ${k}`);
  const which = opts.which ?? 'largest';
  if (which !== 'largest' && which !== 'smallest') {
    throw new ValidationError(`which must be 'largest' or 'smallest'; got ${String(which)}`);
  }
  const tol = opts.tol ?? 1e-10;
  if (!(tol > 0) || !Number.isFinite(tol))
    throw new ValidationError(`tol must be a finite number > 0; got ${tol}`);
  const maxIter = opts.maxIter ?? 300;
  if (!Number.isInteger(maxIter) || maxIter < 1)
    throw new ValidationError(`maxIter must be an integer >= 1; got ${maxIter}`);
  let ncv = opts.ncv ?? Math.min(n, Math.max(2 * k + 1, k + 20));
  if (!Number.isInteger(ncv) || ncv <= k || ncv > n) {
    if (!(ncv === n && k === n)) {
      throw new ValidationError(`ncv must be an integer in (k = ${k}, n = ${n}]; got ${ncv}`);
    }
  }
  ncv = Math.min(ncv, n);
  const rng = new Rng(opts.seed ?? 0);
  const eps = 2 ** -52;

  // Basis vectors are rows of V: rows 0..ncv-1, row ncv holds the residual direction.
  const V = new Float64Array((ncv + 1) * n);
  const H = new Float64Array(ncv * ncv);
  const w = new Float64Array(n);
  const h = new Float64Array(ncv + 1);
  const h2 = new Float64Array(ncv + 1);
  let nMatvec = 0;

  if (opts.v0 !== undefined) {
    if (!(opts.v0 instanceof Float64Array) || opts.v0.length !== n) {
      throw new ValidationError(`v0 must be a Float64Array of length n = ${n}`);
    }
    V.set(opts.v0, 0);
  } else {
    for (let i = 0; i < n; i++) V[i] = rng.normal();
  }
  if (!normalizeRow(V, 0, n)) throw new ValidationError('v0 must be a non-zero, finite vector');

  let kept = 0;
  let anorm = 0;
  let verified = false;
  for (let cycle = 1; cycle <= maxIter; cycle++) {
    let beta = 0;
    for (let j = kept; j < ncv; j++) {
      const vj = V.subarray(j * n, (j + 1) * n);
      op(vj, w);
      nMatvec++;
      for (let i = 0; i < n; i++) {
        if (!Number.isFinite(w[i]))
          throw new NumericalError(`eigsh: op returned a non-finite value at index ${i}`);
      }
      // Classical Gram–Schmidt, twice.
      h.fill(0, 0, j + 1);
      for (let pass = 0; pass < 2; pass++) {
        gemm(j + 1, 1, n, V, w, h2, {});
        for (let i = 0; i <= j; i++) h[i] += h2[i];
        gemm(n, 1, j + 1, V, h2, w, { transA: true, alpha: -1, beta: 1 });
      }
      for (let i = 0; i <= j; i++) {
        H[i * ncv + j] = h[i];
        H[j * ncv + i] = h[i];
        const a = Math.abs(h[i]);
        if (a > anorm) anorm = a;
      }
      beta = 0;
      for (let i = 0; i < n; i++) beta += w[i] * w[i];
      beta = Math.sqrt(beta);
      const row = (j + 1) * n;
      if (beta <= n * eps * anorm || beta === 0) {
        // Invariant subspace found: continue with a random direction orthogonal to the basis.
        beta = 0;
        if (j + 1 < ncv) {
          for (let i = 0; i < n; i++) w[i] = rng.normal();
          for (let pass = 0; pass < 2; pass++) {
            gemm(j + 1, 1, n, V, w, h2, {});
            gemm(n, 1, j + 1, V, h2, w, { transA: true, alpha: -1, beta: 1 });
          }
          V.set(w, row);
          if (!normalizeRow(V, j + 1, n))
            throw new NumericalError('eigsh: could not extend the Krylov basis');
        } else {
          V.fill(0, row, row + n);
        }
      } else {
        const inv = 1 / beta;
        for (let i = 0; i < n; i++) V[row + i] = w[i] * inv;
      }
    }
    // Ritz pairs of H.
    const { values: theta, vectors: Y } = eighDense(H.slice(), ncv, ncv, false);
    const y = Y.data;
    const sel = new Int32Array(k);
    for (let t = 0; t < k; t++) sel[t] = which === 'largest' ? ncv - k + t : t;
    let hnorm = 0;
    for (let t = 0; t < ncv; t++) hnorm = Math.max(hnorm, Math.abs(theta[t]));
    let nconv = 0;
    for (let t = 0; t < k; t++) {
      const s = sel[t];
      const res = Math.abs(beta * y[(ncv - 1) * ncv + s]);
      if (res <= tol * Math.max(Math.abs(theta[s]), eps * hnorm) || res <= eps * hnorm) nconv++;
    }
    if ((nconv === k && verified) || ncv === n) {
      const X = ritzVectors(V, y, ncv, n, sel);
      const values = new Float64Array(k);
      for (let t = 0; t < k; t++) values[t] = theta[sel[t]];
      flipColumnSigns(X, n, k);
      return { values, vectors: new Matrix(X, n, k), nIter: cycle, nMatvec };
    }
    if (cycle === maxIter) {
      throw new NumericalError(
        `eigsh did not converge: ${nconv} of ${k} eigenpairs reached tol=${tol} after ${maxIter} restarts`,
      );
    }
    // Thick restart: keep p Ritz vectors nearest the wanted end, then the residual direction.
    // The first time all k have converged, keep exactly those k and continue from a fresh random
    // direction orthogonal to them instead: a Krylov space sees only one copy of a repeated
    // eigenvalue, so this one extra cycle looks for copies (and anything else) that were missed.
    const recheck = nconv === k;
    if (recheck) verified = true;
    const p = recheck ? k : Math.min(ncv - 1, k + Math.floor((ncv - k) / 2));
    const keep = new Int32Array(p);
    for (let t = 0; t < p; t++) keep[t] = which === 'largest' ? ncv - p + t : t;
    const Xk = ritzVectors(V, y, ncv, n, keep); // n×p
    H.fill(0);
    for (let t = 0; t < p; t++) {
      for (let i = 0; i < n; i++) V[t * n + i] = Xk[i * p + t];
      H[t * ncv + t] = theta[keep[t]];
    }
    if (recheck) {
      for (let i = 0; i < n; i++) w[i] = rng.normal();
      for (let pass = 0; pass < 2; pass++) {
        gemm(p, 1, n, V, w, h2, {});
        gemm(n, 1, p, V, h2, w, { transA: true, alpha: -1, beta: 1 });
      }
      V.set(w, p * n);
      if (!normalizeRow(V, p, n)) throw new NumericalError('eigsh: could not extend the Krylov basis');
    } else {
      V.copyWithin(p * n, ncv * n, (ncv + 1) * n);
    }
    kept = p;
  }
  throw new NumericalError('eigsh: unreachable');
}

/** X (n×s) = Vᵀ·Y[:, sel] (V rows are the basis). */
function ritzVectors(
  V: Float64Array,
  y: Float64Array,
  ncv: number,
  n: number,
  sel: Int32Array,
): Float64Array {
  const s = sel.length;
  const Ys = new Float64Array(ncv * s);
  for (let j = 0; j < ncv; j++) for (let t = 0; t < s; t++) Ys[j * s + t] = y[j * ncv + sel[t]];
  const X = new Float64Array(n * s);
  gemm(n, s, ncv, V, Ys, X, { transA: true, lda: n });
  return X;
}

function normalizeRow(V: Float64Array, r: number, n: number): boolean {
  let s = 0;
  for (let i = 0; i < n; i++) s += V[r * n + i] * V[r * n + i];
  if (!(s > 0) || !Number.isFinite(s)) return false;
  const inv = 1 / Math.sqrt(s);
  for (let i = 0; i < n; i++) V[r * n + i] *= inv;
  return true;
}
