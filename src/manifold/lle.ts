/**
 * Locally linear embedding (Roweis & Saul 2000, "Nonlinear dimensionality reduction by locally linear
 * embedding", Science 290; seed deck 004, "LLE algorithm"):
 *   1. the k nearest neighbours of each x_i;
 *   2. weights minimising E(W) = Σ_i ‖x_i − Σ_j w_ij x_j‖² with Σ_j w_ij = 1: solve the local Gram
 *      system C w = 1, C_jk = (x_i − η_j)·(x_i − η_k), regularised C += reg·trace(C)·I (scikit-learn's
 *      `barycenter_weights`, reg = 1e-3), then rescale w to sum to one;
 *   3. Y minimising Φ(Y) = Σ_i ‖y_i − Σ_j w_ij y_j‖² = tr(Yᵀ M Y), M = (I − W)ᵀ(I − W), under
 *      Σ_i y_i = 0 and YᵀY = I: the bottom d + 1 eigenvectors of M, the constant one discarded.
 * M is sparse (never a dense n × n): its bottom eigenvectors come from the Lanczos method on the
 * shift-inverted operator (M + τI)⁻¹ (linalg `eigsh`), whose solves use an envelope Cholesky factor
 * in reverse Cuthill-McKee order — scikit-learn's 'arpack' path (eigsh with sigma = 0 and a sparse
 * LU). When the envelope would be too large (high intrinsic dimension), Lanczos runs on M itself
 * ('smallest' end), slower but still sparse. The embedding has unit-norm columns, as scikit-learn's.
 */
import { Matrix, type MatrixLike } from '../core/matrix.js';
import { checkFeatures, toMatrix, validateOptions, type ConstraintTable } from '../core/validate.js';
import { NumericalError, ValidationError } from '../core/errors.js';
import {
  fitted,
  registerModel,
  serialisableOptions,
  stateArray,
  type ModelState,
} from '../core/estimator.js';
import { eigsh } from '../linalg/index.js';
import { kNearest } from '../neighbors/index.js';
import { csrFromCoo, csrMatvec, EnvelopeCholesky, reverseCuthillMcKee } from './sparse.js';

export interface LleOptions {
  /** Number of neighbours k (>= nComponents + 1, < nSamples). Default 5 (scikit-learn). */
  nNeighbors?: number;
  /** Output dimension d. Default 2. */
  nComponents?: number;
  /** Regularisation of the local Gram matrices, times their trace. Default 1e-3. */
  reg?: number;
  /** Eigensolver tolerance (relative residual). Default 1e-10. */
  tol?: number;
  /** Largest envelope (stored entries) for the direct shift-invert solve; above it, plain Lanczos. Default 5e7. */
  maxEnvelope?: number;
  /** Seed of the eigensolver start vector. Default 0. */
  seed?: number;
}

type LleResolved = Required<LleOptions>;

export const LLE_DEFAULTS: Readonly<LleResolved> = {
  nNeighbors: 5,
  nComponents: 2,
  reg: 1e-3,
  tol: 1e-10,
  maxEnvelope: 5e7,
  seed: 0,
};

const TABLE: ConstraintTable<LleOptions> = {
  nNeighbors: { type: 'int', min: 1 },
  nComponents: { type: 'int', min: 1 },
  reg: { type: 'number', min: 0 },
  tol: { type: 'number', min: 0, exclusiveMin: true },
  maxEnvelope: { type: 'number', min: 0 },
  seed: { type: 'int' },
};

/**
 * Barycentric weights of each query row on its k neighbours (rows of `ref`): W (m × k), rows sum to
 * one. `ind` holds m × k neighbour indices. Assumes validated input.
 */
export function barycenterWeights(
  Q: Float64Array,
  m: number,
  ref: Float64Array,
  d: number,
  ind: Int32Array,
  k: number,
  reg: number,
): Float64Array {
  const W = new Float64Array(m * k);
  const Z = new Float64Array(k * d);
  const G = new Float64Array(k * k);
  const w = new Float64Array(k);
  for (let i = 0; i < m; i++) {
    for (let a = 0; a < k; a++) {
      const j = ind[i * k + a]!;
      for (let t = 0; t < d; t++) Z[a * d + t] = ref[j * d + t]! - Q[i * d + t]!;
    }
    let trace = 0;
    for (let a = 0; a < k; a++) {
      for (let b = 0; b <= a; b++) {
        let s = 0;
        for (let t = 0; t < d; t++) s += Z[a * d + t]! * Z[b * d + t]!;
        G[a * k + b] = s;
        G[b * k + a] = s;
      }
      trace += G[a * k + a]!;
    }
    const R = trace > 0 ? reg * trace : reg;
    for (let a = 0; a < k; a++) G[a * k + a]! += R;
    solveSpd(G, k, w);
    let sum = 0;
    for (let a = 0; a < k; a++) sum += w[a]!;
    for (let a = 0; a < k; a++) W[i * k + a] = w[a]! / sum;
  }
  return W;
}

/** Solves G w = 1 for a small symmetric positive (semi)definite G by Gaussian elimination with pivoting. */
function solveSpd(G: Float64Array, k: number, w: Float64Array): void {
  const A = G.slice();
  for (let a = 0; a < k; a++) w[a] = 1;
  for (let c = 0; c < k; c++) {
    let p = c;
    for (let r = c + 1; r < k; r++) if (Math.abs(A[r * k + c]!) > Math.abs(A[p * k + c]!)) p = r;
    if (p !== c) {
      for (let t = 0; t < k; t++) {
        const tmp = A[c * k + t]!;
        A[c * k + t] = A[p * k + t]!;
        A[p * k + t] = tmp;
      }
      const tw = w[c]!;
      w[c] = w[p]!;
      w[p] = tw;
    }
    const piv = A[c * k + c]!;
    if (piv === 0) throw new NumericalError('LLE: singular local Gram matrix (use reg > 0)');
    for (let r = c + 1; r < k; r++) {
      const f = A[r * k + c]! / piv;
      if (f === 0) continue;
      for (let t = c; t < k; t++) A[r * k + t]! -= f * A[c * k + t]!;
      w[r]! -= f * w[c]!;
    }
  }
  for (let c = k - 1; c >= 0; c--) {
    let s = w[c]!;
    for (let t = c + 1; t < k; t++) s -= A[c * k + t]! * w[t]!;
    w[c] = s / A[c * k + c]!;
  }
}

/**
 * Locally linear embedding.
 *
 * @example
 * const lle = new LocallyLinearEmbedding({ nNeighbors: 12, nComponents: 2 });
 * const Y = lle.fitTransform(X);  // X: nSamples × nFeatures → Y: nSamples × 2 (unit-norm columns)
 * lle.reconstructionError;        // Σ of the kept eigenvalues of M
 */
export class LocallyLinearEmbedding {
  readonly options: Readonly<LleResolved>;
  private X?: Matrix<Float64Array>;
  private _embedding?: Matrix<Float64Array>;
  private _err?: number;
  private _solver?: 'shift-invert' | 'lanczos';

  constructor(options: LleOptions = {}) {
    this.options = validateOptions(
      'LocallyLinearEmbedding',
      LLE_DEFAULTS as LleOptions,
      TABLE,
      options,
    ) as Readonly<LleResolved>;
  }

  /** Embedding (nSamples × nComponents). */
  get embedding(): Matrix<Float64Array> {
    return fitted(this._embedding, 'LocallyLinearEmbedding');
  }

  /** Σ of the kept eigenvalues of M (scikit-learn's reconstruction_error_). */
  get reconstructionError(): number {
    return fitted(this._err, 'LocallyLinearEmbedding');
  }

  /** 'shift-invert' (envelope Cholesky) or 'lanczos' (plain, on M). */
  get solver(): 'shift-invert' | 'lanczos' {
    return fitted(this._solver, 'LocallyLinearEmbedding');
  }

  fit(X: MatrixLike): this {
    const M0 = toMatrix(X, 'X') as Matrix<Float64Array>;
    const n = M0.rows;
    const d = M0.cols;
    const { nNeighbors: k, nComponents: c, reg } = this.options;
    if (k >= n) throw new ValidationError(`nNeighbors=${k} must be < nSamples=${n}`);
    if (c + 1 > n) throw new ValidationError(`nComponents=${c} must be < nSamples=${n}`);
    if (c > k) throw new ValidationError(`nComponents=${c} must be <= nNeighbors=${k}`);
    const Xd = M0.contiguous().data;
    // exact k-NN from src/neighbors (kd-tree for low dimension, blocked brute force otherwise)
    const g = kNearest(M0, k);
    const W = barycenterWeights(Xd, n, Xd, d, g.indices, k, reg);
    const M = lleMatrix(n, k, g.indices, W);
    const { vectors, values, solver } = bottomEigenvectors(
      M,
      c + 1,
      this.options.tol,
      this.options.maxEnvelope,
      this.options.seed,
    );
    // discard the eigenvector of the smallest |eigenvalue| (the constant one), keep the next c
    const order = Array.from(values.keys()).sort((a, b) => Math.abs(values[a]!) - Math.abs(values[b]!));
    const Y = new Float64Array(n * c);
    let err = 0;
    for (let q = 0; q < c; q++) {
      const col = order[q + 1]!;
      err += values[col]!;
      for (let i = 0; i < n; i++) Y[i * c + q] = vectors[i * (c + 1) + col]!;
    }
    this.X = new Matrix(Xd.slice(), n, d);
    this._embedding = new Matrix(Y, n, c);
    this._err = err;
    this._solver = solver;
    return this;
  }

  fitTransform(X: MatrixLike): Matrix<Float64Array> {
    return this.fit(X).embedding;
  }

  /** New points: barycentric weights on their k nearest training points, applied to the embedding. */
  transform(Xnew: MatrixLike): Matrix<Float64Array> {
    const E = fitted(this._embedding, 'LocallyLinearEmbedding');
    const Xr = fitted(this.X, 'LocallyLinearEmbedding');
    const Q = toMatrix(Xnew, 'X') as Matrix<Float64Array>;
    checkFeatures(Q, Xr.cols);
    const k = this.options.nNeighbors;
    const c = E.cols;
    const m = Q.rows;
    const Qd = Q.contiguous().data;
    const g = kNearest(Xr, k, { queries: Q });
    const W = barycenterWeights(Qd, m, Xr.data, Xr.cols, g.indices, k, this.options.reg);
    const out = new Float64Array(m * c);
    for (let i = 0; i < m; i++) {
      for (let a = 0; a < k; a++) {
        const j = g.indices[i * k + a]!;
        const w = W[i * k + a]!;
        for (let q = 0; q < c; q++) out[i * c + q]! += w * E.data[j * c + q]!;
      }
    }
    return new Matrix(out, m, c);
  }

  getState(): ModelState {
    const E = this.embedding;
    const X = fitted(this.X, 'LocallyLinearEmbedding');
    return {
      className: 'LocallyLinearEmbedding',
      version: 1,
      options: serialisableOptions(this.options),
      meta: { reconstructionError: this._err, solver: this._solver },
      arrays: {
        embedding: { data: E.data, shape: [E.rows, E.cols] },
        X: { data: X.data, shape: [X.rows, X.cols] },
      },
    };
  }

  static fromState(state: ModelState): LocallyLinearEmbedding {
    const l = new LocallyLinearEmbedding(state.options as LleOptions);
    const E = stateArray(state, 'embedding', Float64Array);
    const X = stateArray(state, 'X', Float64Array);
    l._embedding = new Matrix(E.data.slice(), E.shape[0]!, E.shape[1]!);
    l.X = new Matrix(X.data.slice(), X.shape[0]!, X.shape[1]!);
    l._err = Number(state.meta.reconstructionError);
    l._solver = state.meta.solver as 'shift-invert' | 'lanczos';
    return l;
  }
}

registerModel('LocallyLinearEmbedding', (s) => LocallyLinearEmbedding.fromState(s));

/** M = (I − W)ᵀ(I − W) as CSR, from the k-NN weights (row i of I − W: 1 at i, −w at its neighbours). */
export function lleMatrix(n: number, k: number, ind: Int32Array, W: Float64Array) {
  const per = (k + 1) * (k + 1);
  const rows = new Int32Array(n * per);
  const cols = new Int32Array(n * per);
  const vals = new Float64Array(n * per);
  const idx = new Int32Array(k + 1);
  const val = new Float64Array(k + 1);
  let q = 0;
  for (let i = 0; i < n; i++) {
    idx[0] = i;
    val[0] = 1;
    for (let a = 0; a < k; a++) {
      idx[a + 1] = ind[i * k + a]!;
      val[a + 1] = -W[i * k + a]!;
    }
    for (let a = 0; a <= k; a++) {
      for (let b = 0; b <= k; b++) {
        rows[q] = idx[a]!;
        cols[q] = idx[b]!;
        vals[q] = val[a]! * val[b]!;
        q++;
      }
    }
  }
  return csrFromCoo(n, rows, cols, vals, q);
}

/**
 * The `count` smallest eigenpairs of the sparse symmetric positive semidefinite M: eigenvalues
 * (ascending) and eigenvectors (n × count, row-major).
 */
export function bottomEigenvectors(
  M: ReturnType<typeof csrFromCoo>,
  count: number,
  tol: number,
  maxEnvelope: number,
  seed: number,
): { values: Float64Array; vectors: Float64Array; solver: 'shift-invert' | 'lanczos' } {
  const n = M.n;
  const perm = reverseCuthillMcKee(M);
  if (EnvelopeCholesky.envelopeSize(M, perm) <= maxEnvelope) {
    let maxDiag = 0;
    for (let i = 0; i < n; i++) {
      for (let q = M.indptr[i]!; q < M.indptr[i + 1]!; q++)
        if (M.indices[q] === i) maxDiag = Math.max(maxDiag, M.data[q]!);
    }
    // M is singular (M·1 = 0): shift just enough for a numerically positive definite factor
    for (let shift = 1e-12 * Math.max(maxDiag, 1e-300); shift < 1e-3 * maxDiag; shift *= 10) {
      const L = EnvelopeCholesky.factor(M, perm, shift);
      if (!L) continue;
      const r = eigsh((x, y) => L.solve(x, y), n, count, { which: 'largest', tol, seed });
      const values = new Float64Array(count);
      const vectors = new Float64Array(n * count);
      // largest μ = 1/(λ + shift) ↔ smallest λ; eigsh sorts μ ascending, so reverse
      for (let q = 0; q < count; q++) {
        const src = count - 1 - q;
        values[q] = 1 / r.values[src]! - shift;
        for (let i = 0; i < n; i++) vectors[i * count + q] = r.vectors.get(i, src);
      }
      return { values, vectors, solver: 'shift-invert' };
    }
  }
  const r = eigsh((x, y) => csrMatvec(M, x, y), n, count, { which: 'smallest', tol, seed, maxIter: 3000 });
  const vectors = new Float64Array(n * count);
  for (let i = 0; i < n; i++) for (let q = 0; q < count; q++) vectors[i * count + q] = r.vectors.get(i, q);
  return { values: r.values.slice(), vectors, solver: 'lanczos' };
}

/** Functional form: `new LocallyLinearEmbedding(options).fit(X).embedding`. */
export function locallyLinearEmbedding(X: MatrixLike, options: LleOptions = {}): Matrix<Float64Array> {
  return new LocallyLinearEmbedding(options).fit(X).embedding;
}
