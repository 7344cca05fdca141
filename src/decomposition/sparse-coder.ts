/**
 * Sparse coding over a fixed dictionary.
 *
 * Reference: seed 004, "Sparse coding": with the dictionary W fixed, each code solves
 *   ℓ1:  min_z ½‖x − Wz‖² + λ‖z‖₁          (lasso; coordinate descent or LARS)
 *   ℓ0:  min_z ‖z‖₀ s.t. ‖x − Wz‖² ≤ ε  or ‖z‖₀ ≤ K   (orthogonal matching pursuit)
 * and, as a cheap approximation, soft thresholding of the correlations z = S(Wᵀx, λ) (exact when
 * the atoms are orthonormal). Olshausen & Field (1996) for the model; Mairal et al. (2009) for
 * coding with a learned dictionary. scikit-learn's sparse_encode / SparseCoder conventions: the
 * dictionary is stored as rows (nComponents × nFeatures), codes are n × nComponents, and the ℓ1
 * penalty multiplies ½‖x − zD‖² unscaled (scikit-learn passes α/nFeatures to its 1/(2n)-scaled
 * Lasso, which is the same problem).
 *
 * All signals share one Gram matrix DDᵀ and one product X·Dᵀ, both formed with gemm; the per-signal
 * solvers then work in the nComponents-dimensional code space only.
 */
import { ValidationError } from '../core/errors.js';
import {
  fitted,
  registerModel,
  serialisableOptions,
  stateArray,
  type ModelState,
} from '../core/estimator.js';
import { Matrix, type MatrixLike } from '../core/matrix.js';
import { toMatrix, validateOptions, type ConstraintTable } from '../core/validate.js';
import { gemm } from '../kernels/index.js';
import { type F64Matrix } from './_shared.js';
import { lassoGramCdInPlace } from './lasso-cd.js';
import { LarsWorkspace, lassoLarsGram } from './lasso-lars.js';
import { OmpWorkspace, ompGramSolve } from './omp.js';

/** The coding algorithms of sparseEncode / SparseCoder / dictionary learning's transform. */
export const SPARSE_CODING_ALGORITHMS = ['lasso_cd', 'lasso_lars', 'omp', 'threshold'] as const;
export type SparseCodingAlgorithm = (typeof SPARSE_CODING_ALGORITHMS)[number];

export interface SparseEncodeOptions {
  /** Default 'lasso_lars'. */
  algorithm?: SparseCodingAlgorithm;
  /**
   * λ of ½‖x − zD‖² + λ‖z‖₁ (lasso), the threshold (threshold), or, for 'omp', the target squared
   * residual ε of seed 004's ℓ0 problem (overrides nNonzeroCoefs; scikit-learn 1.2's sparse_encode
   * documents this but ignores alpha for OMP). Default 1 (unset for omp).
   */
  alpha?: number;
  /** OMP sparsity K; default min(max(⌊nFeatures/10⌋, 1), nComponents). */
  nNonzeroCoefs?: number;
  /** Iterations of lasso_cd / steps of lasso_lars. Default 1000. */
  maxIter?: number;
  /** Relative tolerance of lasso_cd (duality gap ÷ ‖x‖²). Default 1e-4. */
  tol?: number;
  /** Non-negative codes (lasso and threshold). Default false. */
  positive?: boolean;
  /** Warm start for lasso_cd (n × nComponents). */
  init?: Float64Array;
}

/** Soft thresholding S(v, t) = sign(v)·max(|v| − t, 0), the proximal operator of t‖·‖₁. */
export function softThreshold(v: number, t: number): number {
  return v > t ? v - t : v < -t ? v + t : 0;
}

/** Elementwise soft thresholding of an array (new array); t must be a finite number >= 0. */
export function softThresholdArray(v: ArrayLike<number>, t: number): Float64Array {
  if (!(t >= 0 && Number.isFinite(t))) throw new ValidationError(`t must be a finite number >= 0; got ${t}`);
  for (let i = 0; i < v.length; i++) {
    if (!Number.isFinite(v[i]!)) throw new ValidationError(`v has ${v[i]} at index ${i}`);
  }
  const out = new Float64Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = softThreshold(v[i]!, t);
  return out;
}

/**
 * Inner routine: codes (n × k) of the rows of X (n × d, row-major, offset xo) over D (k × d).
 * Assumes validated input.
 */
export function sparseEncodeRaw(
  X: Float64Array,
  xo: number,
  n: number,
  d: number,
  D: Float64Array,
  k: number,
  o: SparseEncodeOptions,
  G?: Float64Array,
): Float64Array {
  const algorithm = o.algorithm ?? 'lasso_lars';
  const cov = new Float64Array(n * k);
  gemm(n, k, d, X, D, cov, { transB: true, aOffset: xo, lda: d });
  const codes = o.init ? o.init.slice() : new Float64Array(n * k);
  const positive = o.positive ?? false;
  if (algorithm === 'threshold') {
    const t = o.alpha ?? 1;
    for (let i = 0; i < n * k; i++) {
      const v = softThreshold(cov[i]!, t);
      codes[i] = positive && v < 0 ? 0 : v;
    }
    return codes;
  }
  if (!G) {
    G = new Float64Array(k * k);
    gemm(k, k, d, D, D, G, { transB: true });
  }
  const maxIter = o.maxIter ?? 1000;
  const needNorms = algorithm === 'lasso_cd' || (algorithm === 'omp' && o.alpha !== undefined);
  const norms = new Float64Array(needNorms ? n : 0);
  if (needNorms) {
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += X[xo + i * d + j]! ** 2;
      norms[i] = s;
    }
  }
  if (algorithm === 'lasso_cd') {
    const H = new Float64Array(k);
    const l1 = o.alpha ?? 1;
    const tol = o.tol ?? 1e-4;
    for (let i = 0; i < n; i++)
      lassoGramCdInPlace(G, cov, i * k, norms[i]!, k, codes, i * k, l1, maxIter, tol, positive, H);
  } else if (algorithm === 'lasso_lars') {
    const l1 = o.alpha ?? 1;
    const ws = new LarsWorkspace(k);
    for (let i = 0; i < n; i++) lassoLarsGram(G, cov, i * k, k, l1, maxIter, positive, codes, i * k, ws);
  } else {
    const tol = o.alpha;
    const K = o.nNonzeroCoefs ?? Math.min(Math.max(Math.floor(d / 10), 1), k);
    const ws = new OmpWorkspace(k, tol !== undefined ? k : K);
    for (let i = 0; i < n; i++)
      ompGramSolve(ws, G, cov, i * k, tol !== undefined ? norms[i]! : 0, K, tol, codes, i * k);
  }
  return codes;
}

/** Sparse codes (n × nComponents) of the rows of X over the dictionary (nComponents × nFeatures). */
export function sparseEncode(
  X: MatrixLike,
  dictionary: MatrixLike,
  options: SparseEncodeOptions = {},
): Matrix<Float64Array> {
  const M = toMatrix(X, 'X') as F64Matrix;
  const D = toMatrix(dictionary, 'dictionary') as F64Matrix;
  checkAtoms(M, D.cols);
  checkEncodeOptions(options, D.rows, M.rows);
  return new Matrix(sparseEncodeRaw(M.data, 0, M.rows, M.cols, D.data, D.rows, options), M.rows, D.rows);
}

/** X must have as many features as the atoms (a fixed dictionary: there is no fitted model to name). */
function checkAtoms(X: Matrix, d: number): void {
  if (X.cols !== d) throw new ValidationError(`X has ${X.cols} features, but the dictionary atoms have ${d}`);
}

function checkEncodeOptions(o: SparseEncodeOptions, k: number, n?: number): void {
  const alg = o.algorithm ?? 'lasso_lars';
  if (!(SPARSE_CODING_ALGORITHMS as readonly string[]).includes(alg)) {
    throw new ValidationError(
      `algorithm must be one of "lasso_cd", "lasso_lars", "omp", "threshold"; got ${JSON.stringify(alg)}`,
    );
  }
  if (o.alpha !== undefined && !(o.alpha >= 0 && Number.isFinite(o.alpha))) {
    throw new ValidationError(`alpha must be a finite number >= 0; got ${o.alpha}`);
  }
  if (
    o.nNonzeroCoefs !== undefined &&
    !(Number.isInteger(o.nNonzeroCoefs) && o.nNonzeroCoefs >= 1 && o.nNonzeroCoefs <= k)
  ) {
    throw new ValidationError(
      `nNonzeroCoefs must be an integer in [1, nComponents=${k}]; got ${o.nNonzeroCoefs}`,
    );
  }
  if (o.maxIter !== undefined && !(Number.isInteger(o.maxIter) && o.maxIter >= 1)) {
    throw new ValidationError(`maxIter must be an integer >= 1; got ${o.maxIter}`);
  }
  if (o.tol !== undefined && !(o.tol >= 0 && Number.isFinite(o.tol))) {
    throw new ValidationError(`tol must be a finite number >= 0; got ${o.tol}`);
  }
  if (o.init !== undefined && n !== undefined) {
    if (o.init.length !== n * k) {
      throw new ValidationError(
        `init has ${o.init.length} entries; expected nSamples × nComponents = ${n} × ${k} = ${n * k}`,
      );
    }
    for (let i = 0; i < o.init.length; i++) {
      if (!Number.isFinite(o.init[i]!)) {
        throw new ValidationError(`init has ${o.init[i]} at row ${Math.floor(i / k)}, column ${i % k}`);
      }
    }
  }
}

export interface SparseCoderOptions {
  /** The fixed dictionary, nComponents × nFeatures (rows = atoms). Required. */
  dictionary?: number[][] | Matrix;
  /** 'lasso_lars' (default), 'lasso_cd', 'omp' or 'threshold'. */
  transformAlgorithm?: SparseCodingAlgorithm;
  /** λ (lasso), threshold, or ε for omp (see sparseEncode). Default 1 (unset for omp). */
  transformAlpha?: number;
  /** OMP sparsity K. */
  transformNNonzeroCoefs?: number;
  /** Iterations of lasso_cd / steps of lasso_lars. Default 1000. */
  transformMaxIter?: number;
  /** Non-negative codes. Default false. */
  positiveCode?: boolean;
}

export const SPARSE_CODER_DEFAULTS: Readonly<SparseCoderOptions> = Object.freeze({
  dictionary: undefined,
  transformAlgorithm: 'lasso_lars',
  transformAlpha: undefined,
  transformNNonzeroCoefs: undefined,
  transformMaxIter: 1000,
  positiveCode: false,
});

const CODER_TABLE: ConstraintTable<SparseCoderOptions> = {
  dictionary: { type: 'object' },
  transformAlgorithm: { type: 'enum', values: SPARSE_CODING_ALGORITHMS },
  transformAlpha: { type: 'number', min: 0 },
  transformNNonzeroCoefs: { type: 'int', min: 1 },
  transformMaxIter: { type: 'int', min: 1 },
  positiveCode: { type: 'boolean' },
};

/**
 * Sparse coder over a fixed dictionary (no learning): `transform(X)` → codes (n × nComponents).
 *
 * @example
 *   const coder = new SparseCoder({ dictionary: D, transformAlgorithm: 'omp', transformNNonzeroCoefs: 3 });
 *   const Z = coder.transform(X);
 */
export class SparseCoder {
  readonly options: Readonly<SparseCoderOptions>;
  private readonly D: Float64Array;
  private readonly k: number;
  private readonly d: number;
  private readonly G: Float64Array;
  private fittedFlag?: true;

  constructor(options: SparseCoderOptions = {}) {
    const o = validateOptions('SparseCoder', SPARSE_CODER_DEFAULTS, CODER_TABLE, options);
    if (o.dictionary === undefined)
      throw new ValidationError("SparseCoder needs the 'dictionary' option (nComponents × nFeatures)");
    const D = (toMatrix(o.dictionary as MatrixLike, 'dictionary') as F64Matrix).clone();
    this.D = D.data;
    this.k = D.rows;
    this.d = D.cols;
    checkEncodeOptions({ nNonzeroCoefs: o.transformNNonzeroCoefs }, this.k);
    this.G = new Float64Array(this.k * this.k);
    gemm(this.k, this.k, this.d, this.D, this.D, this.G, { transB: true });
    // Keep the options serialisable: the dictionary travels as an array in the state.
    this.options = Object.freeze({ ...o, dictionary: undefined });
  }

  /** No learning: checks X against the dictionary (scikit-learn's SparseCoder.fit is a no-op). */
  fit(X: MatrixLike): this {
    checkAtoms(toMatrix(X, 'X'), this.d);
    this.fittedFlag = true;
    return this;
  }

  get dictionary(): Matrix<Float64Array> {
    return new Matrix(this.D.slice(), this.k, this.d);
  }
  get nComponents(): number {
    return this.k;
  }

  transform(X: MatrixLike): Matrix<Float64Array> {
    const M = toMatrix(X, 'X') as F64Matrix;
    checkAtoms(M, this.d);
    const o = this.options;
    const codes = sparseEncodeRaw(
      M.data,
      0,
      M.rows,
      this.d,
      this.D,
      this.k,
      {
        algorithm: o.transformAlgorithm,
        alpha: o.transformAlpha ?? (o.transformAlgorithm === 'omp' ? undefined : 1),
        nNonzeroCoefs: o.transformNNonzeroCoefs,
        maxIter: o.transformMaxIter,
        positive: o.positiveCode,
      },
      this.G,
    );
    return new Matrix(codes, M.rows, this.k);
  }

  fitTransform(X: MatrixLike): Matrix<Float64Array> {
    return this.fit(X).transform(X);
  }

  getState(): ModelState {
    fitted(this.fittedFlag, 'SparseCoder');
    return {
      className: 'SparseCoder',
      version: 1,
      options: serialisableOptions({ ...this.options, dictionary: undefined }),
      meta: {},
      arrays: { dictionary: { data: this.D, shape: [this.k, this.d] } },
    };
  }

  static fromState(state: ModelState): SparseCoder {
    const a = stateArray(state, 'dictionary', Float64Array);
    const D = new Matrix(a.data, a.shape[0]!, a.shape[1]!);
    const c = new SparseCoder({ ...(state.options as SparseCoderOptions), dictionary: D });
    c.fittedFlag = true;
    return c;
  }
}

registerModel('SparseCoder', (s) => SparseCoder.fromState(s));
